/*
 * thread.c - kernel threads: creating one (its stack made to look as if it had been switched out
 * just before KiThreadStartup), ending one (owned mutants abandoned, waiters released), suspend
 * and resume counts, and priorities.
 */
#include "ki.h"
#include "mm.h"
#include "ntstatus.h"
#include "x86.h"

#define MAXIMUM_SUSPEND_COUNT 127
C_ASSERT(FIELD_OFFSET(KTHREAD, KernelStack) == 24);     /* ctxswap.asm */

extern void KiThreadStartupThunk(void);
static ULONG KiNextThreadNumber = 1;

PKTHREAD KeGetCurrentThread(VOID)
{
    PKTHREAD t;
    __asm__ volatile("movl %%fs:0x124, %0" : "=r"(t));
    return t;
}

static void KiInitializeThreadObject(PKTHREAD Thread, PKPROCESS Process)
{
    __builtin_memset(Thread, 0, sizeof(*Thread));
    Thread->Header.Type = ThreadObject;
    Thread->Header.Size = sizeof(KTHREAD) / sizeof(ULONG);
    InitializeListHead(&Thread->Header.WaitListHead);
    InitializeListHead(&Thread->MutantListHead);
    InitializeListHead(&Thread->UserApcListHead);
    InitializeListHead(&Thread->KernelApcListHead);
    KeInitializeTimer(&Thread->Timer, NotificationTimer);
    Thread->Process = Process;
    Thread->BasePriority = Thread->Priority = Process->BasePriority;
    Thread->Quantum = KI_THREAD_QUANTUM;
    Thread->State = Initialized;
    Thread->UniqueThread = KiNextThreadNumber++;
}

/* The frame a thread's first switch-in pops, just below Top: zeroed registers, EFLAGS with
 * interrupts off, and a "return" into KiThreadStartupThunk. */
VOID KiBuildInitialSwitchFrame(PKTHREAD Thread, PULONG Top)
{
    PULONG sp = Top;
    *--sp = 0;                                  /* return address of the thunk's frame */
    *--sp = (ULONG)KiThreadStartupThunk;
    *--sp = 0; *--sp = 0; *--sp = 0; *--sp = 0; /* ebp, ebx, esi, edi */
    *--sp = 0x2;
    Thread->KernelStack = sp;
}

/* Gives Thread a kernel stack that starts it in KiThreadStartup at its first switch-in. */
NTSTATUS KeInitializeThread(PKTHREAD Thread, ULONG StackPages, PKSTART_ROUTINE StartRoutine,
                            PVOID StartContext, PKPROCESS Process)
{
    PULONG top = MmCreateKernelStack(StackPages);
    if (top == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    KiInitializeThreadObject(Thread, Process);
    Thread->InitialStack = top;
    Thread->StackLimit = (PCHAR)top - StackPages * PAGE_SIZE;
    Thread->StackPages = StackPages;
    Thread->StartRoutine = StartRoutine;
    Thread->StartContext = StartContext;

    KiBuildInitialSwitchFrame(Thread, top);

    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    InsertTailList(&Process->ThreadListHead, &Thread->ThreadListEntry);
    Process->ThreadCount++;
    KeLowerIrql(old);
    return STATUS_SUCCESS;
}

/* The initial thread already runs on its stack; it only needs the object around it. */
VOID KiInitializeBootThread(PKTHREAD Thread, PVOID StackTop, ULONG StackPages, PKPROCESS Process)
{
    KiInitializeThreadObject(Thread, Process);
    Thread->InitialStack = StackTop;
    Thread->StackLimit = (PCHAR)StackTop - StackPages * PAGE_SIZE;
    Thread->StackPages = 0;                     /* not ours to free */
    Thread->State = Running;
    InsertTailList(&Process->ThreadListHead, &Thread->ThreadListEntry);
    Process->ThreadCount++;
}

VOID KiThreadStartup(VOID)
{
    PKTHREAD t = KeGetCurrentThread();
    KeLowerIrql(PASSIVE_LEVEL);                 /* the switch that brought us here was at DISPATCH */
    _enable();
    t->StartRoutine(t->StartContext);
    KeTerminateThread(STATUS_SUCCESS);
}

VOID KeReadyThread(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KiReadyThread(Thread);
    KeLowerIrql(old);
}

VOID KeTerminateThread(NTSTATUS ExitStatus)
{
    PKTHREAD t = KeGetCurrentThread();
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    while (!IsListEmpty(&t->MutantListHead)) {
        PKMUTANT m = CONTAINING_RECORD(t->MutantListHead.Flink, KMUTANT, MutantListEntry);
        KeReleaseMutant(m, MUTANT_INCREMENT, TRUE, FALSE, NULL);
    }
    t->ExitStatus = ExitStatus;
    t->Header.SignalState = 1;
    KiWaitTest(&t->Header, IO_NO_INCREMENT);
    RemoveEntryList(&t->ThreadListEntry);
    if (--t->Process->ThreadCount == 0) {
        t->Process->Header.SignalState = 1;
        KiWaitTest(&t->Process->Header, IO_NO_INCREMENT);
    }
    t->State = Terminated;
    KiSwapThread();
    KeBugCheckEx(KERNEL_SELF_TEST_FAILED, 0x7E4, (ULONG_PTR)t, 0, 0);   /* never resumed */
}

/* Frees the stack of a thread that has terminated (and so has been switched away from). */
VOID KeDeleteThread(PKTHREAD Thread)
{
    if (Thread->State != Terminated && Thread->State != Initialized)
        KeBugCheckEx(KERNEL_SELF_TEST_FAILED, 0x7E5, (ULONG_PTR)Thread, Thread->State, 0);
    if (Thread->State == Initialized) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        RemoveEntryList(&Thread->ThreadListEntry);
        Thread->Process->ThreadCount--;
        KeLowerIrql(old);
    }
    if (Thread->StackPages) MmDeleteKernelStack(Thread->InitialStack, Thread->StackPages);
    Thread->StackPages = 0;
}

ULONG KeSuspendThread(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ULONG previous = Thread->SuspendCount;
    if (previous == MAXIMUM_SUSPEND_COUNT || Thread->State == Terminated) {
        KeLowerIrql(old);
        return previous;                        /* the Nt layer reports the error */
    }
    Thread->SuspendCount++;
    if (previous == 0) {
        if (Thread->State == Ready) {
            KiRemoveReadyThread(Thread);
            KiReadyThread(Thread);              /* sees the count and parks it */
        } else if (Thread == KeGetCurrentThread()) {
            Thread->State = Waiting;
            Thread->WaitReason = Suspended;
            Thread->ReadyWhenResumed = TRUE;
            KiSwapThread();
        }
    }
    KeLowerIrql(old);
    return previous;
}

ULONG KeResumeThread(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ULONG previous = Thread->SuspendCount;
    if (previous != 0 && --Thread->SuspendCount == 0 && Thread->ReadyWhenResumed) {
        Thread->ReadyWhenResumed = FALSE;
        KiReadyThread(Thread);
    }
    KeLowerIrql(old);
    return previous;
}

KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KPRIORITY previous = Thread->Priority;
    Thread->BasePriority = (SCHAR)Priority;
    if (Thread->State == Ready) {
        KiRemoveReadyThread(Thread);
        Thread->Priority = (SCHAR)Priority;
        KiReadyThread(Thread);
    } else {
        Thread->Priority = (SCHAR)Priority;
        if (Thread == KeGetCurrentThread()) KeGetPcr()->DispatchPending = 1;   /* re-evaluate */
    }
    KeLowerIrql(old);
    return previous;
}

/* Drops every suspension at once (for termination, which must not wait on a resume). */
VOID KeForceResumeThread(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Thread->SuspendCount = 0;
    if (Thread->ReadyWhenResumed) {
        Thread->ReadyWhenResumed = FALSE;
        KiReadyThread(Thread);
    }
    KeLowerIrql(old);
}
