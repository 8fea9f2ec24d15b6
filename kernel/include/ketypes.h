/*
 * ketypes.h - the kernel's objects: dispatcher objects (events, mutants, semaphores, timers,
 * threads, processes) that threads wait on, the wait blocks that tie a waiting thread to them,
 * and the kernel thread and process. Type numbers are NT's.
 */
#ifndef KETYPES_H
#define KETYPES_H

#include "ntdef.h"
#include "ntapi.h"


typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    SemaphoreObject = 5,
    ThreadObject = 6,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
} KOBJECTS;


typedef enum _KTHREAD_STATE {
    Initialized, Ready, Running, Standby, Terminated, Waiting, Transition, DeferredReady
} KTHREAD_STATE;

typedef enum _KWAIT_REASON {
    Executive = 0, Suspended = 5, UserRequest = 6, DelayExecution = 4, WrQueue = 15, WrLpcReceive = 16,
    WrLpcReply = 17,
} KWAIT_REASON;

/* Every object a thread can wait on starts with this header. */
typedef struct _DISPATCHER_HEADER {
    UCHAR Type;                 /* KOBJECTS */
    UCHAR Absolute;
    UCHAR Size;
    UCHAR Inserted;             /* timers: on the timer list */
    LONG SignalState;           /* > 0 signalled; for a mutant, 1 - recursion count */
    LIST_ENTRY WaitListHead;    /* KWAIT_BLOCKs of threads waiting on the object */
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;

struct _KTHREAD;

/* One per (thread, object) pair of a wait. */
typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry;
    struct _KTHREAD *Thread;
    PVOID Object;
    struct _KWAIT_BLOCK *NextWaitBlock;   /* circular list of the thread's blocks for this wait */
    USHORT WaitKey;                       /* index: the wait returns STATUS_WAIT_0 + WaitKey */
    UCHAR WaitType;                       /* WaitAll or WaitAny */
    UCHAR Reserved;
} KWAIT_BLOCK, *PKWAIT_BLOCK;

typedef struct _KEVENT { DISPATCHER_HEADER Header; } KEVENT, *PKEVENT;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE;

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;
    LIST_ENTRY MutantListEntry;           /* in the owner's list, to abandon it on exit */
    struct _KTHREAD *OwnerThread;
    BOOLEAN Abandoned;
    UCHAR ApcDisable;
} KMUTANT, *PKMUTANT, KMUTEX, *PKMUTEX;

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULONGLONG DueTick;                    /* interrupt-time tick at which it fires */
    LIST_ENTRY TimerListEntry;            /* KiTimerList, in due order */
    LONG Period;                          /* milliseconds, 0 for one-shot */
} KTIMER, *PKTIMER;

#define THREAD_WAIT_OBJECTS 3             /* waits on up to 3 objects need no caller wait blocks */
#define MAXIMUM_WAIT_OBJECTS 64

typedef struct _KPROCESS {
    DISPATCHER_HEADER Header;             /* signalled when the last thread has exited */
    ULONG DirectoryTableBase;             /* physical address of the page directory (CR3) */
    PVOID AddressSpace;                   /* the memory manager's state for the user half */
    LIST_ENTRY ThreadListHead;
    SCHAR BasePriority;
    BOOLEAN SystemDllMapped;              /* ntdll is mapped: threads start and exceptions go there */
    ULONG ThreadCount;
    ULONG KernelTime, UserTime;           /* clock ticks its threads ran in kernel and user mode */
} KPROCESS, *PKPROCESS;

typedef VOID (*PKSTART_ROUTINE)(PVOID StartContext);

typedef struct _KTHREAD {
    DISPATCHER_HEADER Header;             /* signalled when the thread has terminated */
    PVOID InitialStack;                   /* top of the kernel stack */
    PVOID StackLimit;
    PVOID KernelStack;                    /* saved ESP while not running */
    ULONG StackPages;
    UCHAR State;                          /* KTHREAD_STATE */
    SCHAR Priority, BasePriority;
    CHAR Quantum;                         /* 3 units per clock tick, as NT */
    UCHAR WaitReason, WaitMode;
    BOOLEAN Alertable, PreemptedWithQuantum;
    NTSTATUS WaitStatus;
    KIRQL WaitIrql;
    ULONG SuspendCount;
    BOOLEAN ReadyWhenResumed;             /* became ready while suspended */
    PKWAIT_BLOCK WaitBlockList;
    KWAIT_BLOCK WaitBlock[THREAD_WAIT_OBJECTS + 1];   /* the last one is for the timeout timer */
    KTIMER Timer;
    LIST_ENTRY WaitListEntry;             /* ready list link */
    LIST_ENTRY ThreadListEntry;           /* in the process's list */
    LIST_ENTRY MutantListHead;            /* mutants owned */
    PKPROCESS Process;
    PKPROCESS AttachedProcess;            /* address space borrowed by KeAttachProcess, or NULL */
    PVOID Teb;                            /* user-mode FS base (KGDT_R3_TEB), for user threads */
    VOID (*UserReturnRoutine)(PVOID);     /* run once before the thread next returns to user mode */
    PVOID UserReturnContext;
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    NTSTATUS ExitStatus;
    KPROCESSOR_MODE PreviousMode;         /* of the system service in progress (svc.h) */
    ULONG ContextSwitches;
    ULONG KernelTime, UserTime;           /* clock ticks it ran in kernel and user mode */
    ULONG UniqueThread;                   /* a small number for debug output */
    LIST_ENTRY UserApcListHead;           /* user APCs queued (apc.c) */
    LIST_ENTRY KernelApcListHead;         /* kernel APCs queued (apc.c) */
    BOOLEAN UserApcPending;               /* deliver one on the next return to user mode */
    BOOLEAN KernelApcPending;             /* the kernel APC list is not empty */
    BOOLEAN ApcQueueLocked;               /* the thread is ending: no more APCs */
} KTHREAD, *PKTHREAD;

/* An asynchronous procedure call (apc.c). NormalRoutine is a user address for user APCs; a kernel
 * APC has none (NanoNT's kernel APCs are all of NT's "special" kind: KernelRoutine only). */
struct _KAPC;
typedef VOID (*PKKERNEL_ROUTINE)(struct _KAPC *Apc, PVOID *NormalRoutine, PVOID *NormalContext,
                                 PVOID *SystemArgument1, PVOID *SystemArgument2);
typedef VOID (*PKRUNDOWN_ROUTINE)(struct _KAPC *Apc);
typedef struct _KAPC {
    PKTHREAD Thread;
    LIST_ENTRY ApcListEntry;
    PKKERNEL_ROUTINE KernelRoutine;       /* runs in kernel mode at delivery; frees the APC */
    PKRUNDOWN_ROUTINE RundownRoutine;     /* the thread ended with the APC queued */
    PVOID NormalRoutine, NormalContext;
    PVOID SystemArgument1, SystemArgument2;
    KPROCESSOR_MODE ApcMode;              /* UserMode if NormalRoutine, else KernelMode */
    BOOLEAN Inserted;
} KAPC, *PKAPC;

#endif
