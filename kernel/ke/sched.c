/*
 * sched.c - the scheduler: 32 ready queues (one per priority, FIFO within a priority), the
 * choice of the next thread, the switch, preemption when a higher-priority thread becomes ready,
 * round robin at quantum end, priority decay, yield, and the idle thread.
 *
 * Everything here runs at DISPATCH_LEVEL. A decision made where switching is not allowed (an
 * interrupt handler, code at DISPATCH_LEVEL) sets KPCR.DispatchPending; the switch happens when
 * IRQL next drops below DISPATCH_LEVEL (KeLowerIrql, or the end of the interrupt) - NT's
 * dispatch interrupt.
 */
#include "ki.h"
#include "hal.h"
#include "mm.h"
#include "x86.h"
#include "ntstatus.h"
#include "svc.h"

static LIST_ENTRY KiReadyQueue[32];
static ULONG KiReadySummary;                 /* bit n set: queue n is not empty */
KTHREAD KiIdleThread;                        /* the boot thread, once phase 0 is done */

static inline LONG KiHighestReadyPriority(void)
{
    return KiReadySummary ? 31 - __builtin_clz(KiReadySummary) : -1;
}

VOID KiRemoveReadyThread(PKTHREAD Thread)
{
    RemoveEntryList(&Thread->WaitListEntry);
    if (IsListEmpty(&KiReadyQueue[Thread->Priority])) KiReadySummary &= ~(1u << Thread->Priority);
}

static PKTHREAD KiPopReadyThread(LONG Priority)
{
    PLIST_ENTRY e = KiReadyQueue[Priority].Flink;
    PKTHREAD t = CONTAINING_RECORD(e, KTHREAD, WaitListEntry);
    KiRemoveReadyThread(t);
    return t;
}

/* Makes Thread ready (or parks it, if suspended) and asks for preemption when it outranks the
 * running thread. A thread preempted with quantum left goes to the front of its queue. */
VOID KiReadyThread(PKTHREAD Thread)
{
    if (Thread == &KiIdleThread) return;
    if (Thread->SuspendCount) {
        Thread->State = Waiting;
        Thread->WaitReason = Suspended;
        Thread->ReadyWhenResumed = TRUE;
        return;
    }
    Thread->State = Ready;
    if (Thread->PreemptedWithQuantum) InsertHeadList(&KiReadyQueue[Thread->Priority], &Thread->WaitListEntry);
    else InsertTailList(&KiReadyQueue[Thread->Priority], &Thread->WaitListEntry);
    Thread->PreemptedWithQuantum = FALSE;
    KiReadySummary |= 1u << Thread->Priority;
    PKTHREAD current = KeGetCurrentThread();
    if (Thread->Priority > current->Priority || current == &KiIdleThread)
        KeGetPcr()->DispatchPending = 1;
}

static void KiSwitchTo(PKTHREAD Next)
{
    PKTHREAD old = KeGetCurrentThread();
    if (Next == old) { Next->State = Running; return; }
    Next->State = Running;
    if (Next->Quantum <= 0) Next->Quantum = KI_THREAD_QUANTUM;
    KeGetPcr()->PrcbData.CurrentThread = Next;
    KiSetTssStack((ULONG)Next->InitialStack);
    if (Next->Teb) KiSetTebBase((ULONG)Next->Teb);
    if (KiAddressSpaceOf(Next)->DirectoryTableBase != KiAddressSpaceOf(old)->DirectoryTableBase)
        __writecr3(KiAddressSpaceOf(Next)->DirectoryTableBase);
    Next->ContextSwitches++;
    old->PreviousMode = KiPreviousMode;      /* the dispatcher keeps the running thread's here */
    KiPreviousMode = Next->PreviousMode;
    KiSwapContext(old, Next);
}

/* The current thread has stopped running (waiting, terminated, or already requeued): run the
 * best ready thread, or idle. Returns when the current thread is chosen again. */
VOID KiSwapThread(VOID)
{
    LONG p = KiHighestReadyPriority();
    KiSwitchTo(p >= 0 ? KiPopReadyThread(p) : &KiIdleThread);
}

/* Quantum end: the thread loses a point of boost, and yields to an equal-priority ready thread. */
static void KiQuantumEnd(void)
{
    PKTHREAD t = KeGetCurrentThread();
    if (t == &KiIdleThread) return;
    if (t->Priority < LOW_REALTIME_PRIORITY && t->Priority > t->BasePriority) t->Priority--;
    t->Quantum = KI_THREAD_QUANTUM;
    LONG p = KiHighestReadyPriority();
    if (p >= t->Priority) {
        KiReadyThread(t);
        KiSwitchTo(KiPopReadyThread(p));
    }
}

/* The dispatch "interrupt": expired timers first (they may ready threads), then quantum end,
 * then preemption by a higher-priority ready thread. */
VOID KiDispatchInterrupt(VOID)
{
    PKPCR pcr = KeGetPcr();
    pcr->DispatchPending = 0;
    KiExpireTimers();
    if (pcr->QuantumEnd) {
        pcr->QuantumEnd = 0;
        KiQuantumEnd();
    }
    PKTHREAD t = KeGetCurrentThread();
    LONG p = KiHighestReadyPriority();
    if (p > t->Priority || (p >= 0 && t == &KiIdleThread)) {
        t->PreemptedWithQuantum = t->Quantum > 0;
        KiReadyThread(t);
        KiSwitchTo(KiPopReadyThread(p));
    }
}

/* Called by KeLowerIrql (and the end of an interrupt) when work was deferred. */
VOID KiCheckForDispatch(VOID)
{
    KIRQL target = KeGetCurrentIrql();
    while (KeGetPcr()->DispatchPending) {
        KiSetIrql(DISPATCH_LEVEL);
        KiDispatchInterrupt();
        KiSetIrql(target);
    }
}

/* From the clock interrupt (CLOCK_LEVEL): charge the running thread for the tick. */
VOID KiClockTick(VOID)
{
    PKPCR pcr = KeGetPcr();
    PKTHREAD t = pcr->PrcbData.CurrentThread;
    if (t != &KiIdleThread) {
        t->Quantum -= KI_CLOCK_QUANTUM_DECREMENT;
        if (t->Quantum <= 0) { pcr->QuantumEnd = 1; pcr->DispatchPending = 1; }
    }
    if (KiTimerDue()) pcr->DispatchPending = 1;
}

NTSTATUS KeYieldExecution(VOID)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PKTHREAD t = KeGetCurrentThread();
    LONG p = KiHighestReadyPriority();
    NTSTATUS status = STATUS_NO_YIELD_PERFORMED;
    if (p >= t->Priority) {
        t->Quantum = KI_THREAD_QUANTUM;
        KiReadyThread(t);
        KiSwitchTo(KiPopReadyThread(p));
        status = STATUS_SUCCESS;
    }
    KeLowerIrql(old);
    return status;
}

VOID KiIdleLoop(VOID)
{
    for (;;) {
        _enable();
        __halt();                               /* an interrupt readies threads; its exit switches */
    }
}

/* As on NT, the boot thread becomes the idle thread: priority 0, never in a ready queue, run
 * when nothing else can. It finishes phase 0 at that priority (any thread it readies preempts
 * it at once) and then loops in KiIdleLoop; phase 1 runs in a system thread. It must never
 * wait: there would be nothing to switch to. */
VOID KiInitializeScheduler(PVOID InitialStackTop, ULONG StackPages)
{
    for (ULONG i = 0; i < 32; i++) InitializeListHead(&KiReadyQueue[i]);
    KeInitializeProcess(&KiSystemProcess, 8, __readcr3());
    KiInitializeBootThread(&KiIdleThread, InitialStackTop, StackPages, &KiSystemProcess);
    KiIdleThread.Priority = KiIdleThread.BasePriority = 0;
    KeGetPcr()->PrcbData.CurrentThread = &KiIdleThread;
    KeGetPcr()->PrcbData.IdleThread = &KiIdleThread;
}
