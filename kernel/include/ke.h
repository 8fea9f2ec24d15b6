/* ke.h - the kernel (Ke) interface: IRQL, bug checks, the clock, the processor control region. */
#ifndef KE_H
#define KE_H

#include "ntdef.h"
#include "bugcodes.h"
#include "ketypes.h"

#define PASSIVE_LEVEL  0
#define APC_LEVEL      1
#define DISPATCH_LEVEL 2
#define CLOCK_LEVEL    28
#define HIGH_LEVEL     31

#define KernelMode 0
#define UserMode   1

__attribute__((noreturn)) VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2,
                                            ULONG_PTR P3, ULONG_PTR P4);
__attribute__((noreturn)) VOID KeBugCheck(ULONG BugCheckCode);

/* IRQL is a byte in the KPCR (fs:[0x24]); one processor, so raising it to DISPATCH_LEVEL is the
 * lock of the pool and, later, of the dispatcher. Inline, because every lock goes through it.
 * Host unit tests (NT_HOST) supply their own versions. */
#ifdef NT_HOST
KIRQL KeGetCurrentIrql(VOID);
VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql);
VOID KeLowerIrql(KIRQL NewIrql);
KIRQL KeRaiseIrqlToDpcLevel(VOID);
#else
__attribute__((noreturn)) VOID KiBadIrqlTransition(KIRQL Current, KIRQL Requested);

static inline KIRQL KeGetCurrentIrql(VOID)
{
    KIRQL irql;
    __asm__ volatile("movb %%fs:0x24, %0" : "=q"(irql));
    return irql;
}

static inline VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (__builtin_expect(NewIrql < old, 0)) KiBadIrqlTransition(old, NewIrql);
    if (NewIrql == HIGH_LEVEL) __asm__ volatile("cli" ::: "memory");
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    *OldIrql = old;
}

/* Raises to DISPATCH_LEVEL and returns the previous IRQL; the caller checks that it was not
 * above DISPATCH_LEVEL (NT's rule for this routine). */
static inline KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    KIRQL old = KeGetCurrentIrql();
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"((KIRQL)DISPATCH_LEVEL) : "memory");
    return old;
}

VOID KiCheckForDispatch(VOID);

/* Lowering below DISPATCH_LEVEL runs what was deferred while the processor sat at or above it:
 * a pending thread switch or timer expiry (NT's DISPATCH_LEVEL software interrupt). */
static inline VOID KeLowerIrql(KIRQL NewIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (__builtin_expect(NewIrql > old, 0)) KiBadIrqlTransition(old, NewIrql);
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    if (old == HIGH_LEVEL && NewIrql < HIGH_LEVEL) __asm__ volatile("sti" ::: "memory");
    if (NewIrql < DISPATCH_LEVEL) {
        UCHAR pending;
        __asm__ volatile("movb %%fs:0x48, %0" : "=q"(pending));
        if (__builtin_expect(pending, 0)) KiCheckForDispatch();
    }
}
#endif

/* Clock: ticks since boot (KeTickCount) and the tick length in 100 ns units, as NT keeps them. */
extern volatile ULONG KeTickCount;
#define KE_CLOCK_HZ 100
#define KeQueryTimeIncrement() (10000000u / KE_CLOCK_HZ)

/* Looks up the kernel symbol containing Address; returns its name and sets *Offset. */
PCSTR KeLookupSymbol(ULONG_PTR Address, PULONG_PTR Offset);

/* Threads and the scheduler (kernel/ke/thread.c, sched.c). Priorities 0-31: 1-15 dynamic (boosted
 * on wake, decaying at quantum end), 16-31 real-time; 0 is the idle thread's alone. */
#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define EVENT_INCREMENT 1
#define SEMAPHORE_INCREMENT 1
#define MUTANT_INCREMENT 1
#define IO_NO_INCREMENT 0

PKTHREAD KeGetCurrentThread(VOID);
extern KPROCESS KiSystemProcess;
VOID KeInitializeProcess(PKPROCESS Process, SCHAR BasePriority, ULONG DirectoryTableBase);
VOID KeMoveThreadsToProcess(PKPROCESS From, PKPROCESS To);  /* once, when Ps makes the system process */
NTSTATUS KeInitializeThread(PKTHREAD Thread, ULONG StackPages, PKSTART_ROUTINE StartRoutine,
                            PVOID StartContext, PKPROCESS Process);
VOID KeReadyThread(PKTHREAD Thread);              /* starts an initialised thread */
VOID KeDeleteThread(PKTHREAD Thread);             /* frees a terminated thread's stack */
__attribute__((noreturn)) VOID KeTerminateThread(NTSTATUS ExitStatus);
KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority);
/* User mode (kernel/ke/usermode.c). A user thread's first trap frame sits at the top of its kernel
 * stack, exactly where a trap from user mode puts one (TSS.Esp0 = the thread's InitialStack). */
struct _KTRAP_FRAME;
struct _KTRAP_FRAME *KeGetUserTrapFrame(PKTHREAD Thread);
/* CONTEXT <-> a user trap frame, honouring ContextFlags; ToTrapFrame keeps segments and
 * privileged flags the kernel's (except.c). */
struct _CONTEXT;
VOID KeContextFromTrapFrame(struct _KTRAP_FRAME *Tf, struct _CONTEXT *Context);
VOID KeContextToTrapFrame(const struct _CONTEXT *Context, struct _KTRAP_FRAME *Tf);
extern PVOID KeUserExceptionDispatcher;   /* ntdll!KiUserExceptionDispatcher; set by Ps at boot */
extern PVOID KeLdrInitializeThunk;
/* User APCs (apc.c). */
extern PVOID KeUserApcDispatcher;         /* ntdll!KiUserApcDispatcher */
VOID KeInitializeApc(PKAPC Apc, PKTHREAD Thread, PKKERNEL_ROUTINE KernelRoutine, PKRUNDOWN_ROUTINE RundownRoutine,
                     PVOID NormalRoutine, PVOID NormalContext);
BOOLEAN KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2, KPRIORITY Increment);
VOID KeTestAlertThread(VOID);
VOID KeRundownApcQueues(PKTHREAD Thread);        /* ntdll!LdrInitializeThunk: where user threads begin */
VOID KeInitializeUserContext(PKTHREAD Thread, ULONG Eip, ULONG Esp, ULONG Eax);
__attribute__((noreturn)) VOID KeEnterUserMode(VOID);      /* for the new thread itself */
/* Asks Thread to run Routine(Context) on its way back to user mode (NT uses a kernel APC). */
VOID KeSetUserReturnRoutine(PKTHREAD Thread, VOID (*Routine)(PVOID), PVOID Context);

/* Runs the current thread in Process's address space until KeDetachProcess (not nested). */
VOID KeAttachProcess(PKPROCESS Process);
VOID KeDetachProcess(VOID);
PKPROCESS KeGetCurrentAddressSpaceProcess(VOID);  /* the process whose user half is mapped */
ULONG KeSuspendThread(PKTHREAD Thread);           /* returns the previous suspend count */
ULONG KeResumeThread(PKTHREAD Thread);
VOID KeForceResumeThread(PKTHREAD Thread);
VOID KeBreakUserWait(PKTHREAD Thread, NTSTATUS Status);
VOID KeSignalProcess(PKPROCESS Process);
NTSTATUS KeYieldExecution(VOID);
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);

/* Waits (kernel/ke/wait.c). Timeouts are in 100 ns units, negative = relative; NULL = forever. */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray);
LONG KeReadStateObject(PVOID Object);

/* Dispatcher objects (event.c, mutant.c, semaphore.c, timer.c). */
VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG KeResetEvent(PKEVENT Event);
VOID KeClearEvent(PKEVENT Event);
LONG KePulseEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner);
NTSTATUS KeReleaseMutant(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandoned, BOOLEAN Wait,
                         PLONG PreviousCount);
VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit);
NTSTATUS KeReleaseSemaphore(PKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                            BOOLEAN Wait, PLONG PreviousCount);
VOID KeInitializeTimer(PKTIMER Timer, TIMER_TYPE Type);
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, LONG PeriodMs);   /* TRUE if it was set */
BOOLEAN KeCancelTimer(PKTIMER Timer);
ULONGLONG KeQueryInterruptTime(VOID);             /* 100 ns units since boot, tick resolution */

#endif
