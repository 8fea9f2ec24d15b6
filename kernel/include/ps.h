/*
 * ps.h - processes and threads (Ps): the executive's EPROCESS and ETHREAD around the kernel's
 * KPROCESS and KTHREAD, their object types, client ids, and the process and thread services.
 *
 * Design choice: processes are created the NT 5.x way, with NtCreateProcessEx (an address space,
 * a handle table, a PEB) and NtCreateThread (a TEB and an initial context supplied by the
 * caller), not with Vista's NtCreateUserProcess. The creator builds the child's stack and
 * parameters itself through the ordinary virtual memory services, so the kernel stays small and
 * every step of CreateProcess is visible from user mode, in kernel32, where a reader can step
 * through it.
 */
#ifndef PS_H
#define PS_H

#include "ntdef.h"
#include "ntapi.h"
#include "ntobj.h"
#include "ke.h"



struct _HANDLE_TABLE;

typedef struct _EPROCESS {
    KPROCESS Pcb;                         /* first: the process object is waitable */
    ULONG UniqueProcessId;
    ULONG InheritedFromUniqueProcessId;
    struct _HANDLE_TABLE *ObjectTable;
    PVOID Peb;                            /* user address of the PEB */
    NTSTATUS ExitStatus;                  /* STATUS_PENDING while it runs */
    LIST_ENTRY ActiveProcessLinks;        /* PsActiveProcessHead */
    LIST_ENTRY ThreadListHead;            /* ETHREADs */
    ULONG ActiveThreads;
    BOOLEAN Exiting;
    CHAR ImageFileName[16];
    LARGE_INTEGER CreateTime, ExitTime;   /* system time; ExitTime 0 while it runs */
} EPROCESS, *PEPROCESS;

typedef struct _ETHREAD {
    KTHREAD Tcb;                          /* first: the thread object is waitable */
    CLIENT_ID Cid;
    PEPROCESS ThreadsProcess;
    LIST_ENTRY ThreadListEntry;           /* in the process's ThreadListHead */
    NTSTATUS ExitStatus;                  /* STATUS_PENDING while it runs */
    BOOLEAN Terminating;
    BOOLEAN SystemThread;                 /* runs only in kernel mode; cannot be killed from outside */
    BOOLEAN InProcessList;
    PKSTART_ROUTINE StartAddress;         /* system threads: the routine and its argument */
    PVOID StartParameter;
    LIST_ENTRY ReaperLink;
    /* LPC (kernel/lpc): the reply this thread waits for, and where it waits. */
    KEVENT LpcReplyEvent;                 /* set when the reply (or a refusal) is there */
    ULONG LpcReplyMessageId;              /* 0: not waiting for a reply */
    PVOID LpcReplyMessage;                /* the reply, handed over by the replier */
    PVOID LpcWaitingOnPort;               /* the server port whose reply chain holds this thread */
    LIST_ENTRY LpcReplyChain;             /* on that port's chain */
    NTSTATUS LpcReplyStatus;              /* what ended the wait: success, refused, disconnected */
    ULONG LpcSavedMessageId;              /* during a callback: the request still awaiting its reply */
    PVOID LpcSavedWaitingOnPort;
    LIST_ENTRY IrpList;                   /* asynchronous I/O requests outstanding (kernel/io) */
    LARGE_INTEGER CreateTime, ExitTime;   /* system time; ExitTime 0 while it runs */
} ETHREAD, *PETHREAD;


struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *PsProcessType, *PsThreadType;
extern PEPROCESS PsInitialSystemProcess;

BOOLEAN PsInitSystem(VOID);
BOOLEAN PsInitializeSystemDll(VOID);     /* phase 1: ntdll's section and entry points (sysdll.c) */
VOID PsRunInitialProcess(VOID);
NTSTATUS PsQueueUserApc(struct _ETHREAD *Thread, PVOID Routine, PVOID Context, PVOID Argument1, PVOID Argument2);          /* smss; the system ends when it does (initial.c) */
PEPROCESS PsGetCurrentProcess(VOID);
PETHREAD PsGetCurrentThread(VOID);
NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext);
NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process);   /* referenced */
NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread);        /* referenced */
ULONG PsActiveProcessCount(VOID);


/* Kernel-mode callers use the Zw forms (the dispatcher, PreviousMode = KernelMode). */
NTSTATUS NTAPI ZwCreateProcessEx(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, HANDLE, ULONG, HANDLE, HANDLE, HANDLE, ULONG);
NTSTATUS NTAPI ZwCreateThread(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, HANDLE, PCLIENT_ID, PCONTEXT, PINITIAL_TEB, BOOLEAN);
NTSTATUS NTAPI ZwOpenProcess(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
NTSTATUS NTAPI ZwOpenThread(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
NTSTATUS NTAPI ZwTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI ZwTerminateThread(HANDLE, NTSTATUS);
NTSTATUS NTAPI ZwSuspendThread(HANDLE, PULONG);
NTSTATUS NTAPI ZwResumeThread(HANDLE, PULONG);
NTSTATUS NTAPI ZwGetContextThread(HANDLE, PCONTEXT);
NTSTATUS NTAPI ZwSetContextThread(HANDLE, PCONTEXT);
NTSTATUS NTAPI ZwQueryInformationProcess(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwQueryInformationThread(HANDLE, THREADINFOCLASS, PVOID, ULONG, PULONG);

#include "ntnative.h"      /* the Nt services of this layer, with all the others */

#endif
