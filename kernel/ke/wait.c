/*
 * wait.c - waiting on dispatcher objects. A thread that cannot be satisfied at once links one
 * wait block per object into the objects' wait lists (plus one for its timeout timer) and
 * switches away; whoever signals an object runs KiWaitTest, which satisfies waiters in FIFO order
 * (a WaitAll waiter only when all of its objects are signalled) and readies them with a priority
 * boost. Satisfying a wait has the object's side effect: a synchronization event or timer resets,
 * a semaphore's count drops, a mutant gains an owner. A wait on behalf of user mode first runs
 * the thread's kernel APCs, and a kernel APC queued while it blocks ends the block
 * (STATUS_KERNEL_APC): the APCs run and the wait starts over, with the same deadline (apc.c).
 */
#include "ki.h"
#include "ntstatus.h"

#define TIMER_WAIT_KEY ((USHORT)STATUS_TIMEOUT)   /* the timer's block returns STATUS_TIMEOUT */

static inline BOOLEAN KiIsSignaled(PDISPATCHER_HEADER h, PKTHREAD t)
{
    if (h->Type == MutantObject)        /* an owner may acquire its mutant again */
        return h->SignalState > 0 || ((PKMUTANT)h)->OwnerThread == t;
    return h->SignalState > 0;
}

/* Applies the object's side effect of a satisfied wait; TRUE if it was an abandoned mutant. */
static BOOLEAN KiSatisfy(PDISPATCHER_HEADER h, PKTHREAD t)
{
    switch (h->Type) {
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
        h->SignalState = 0;
        return FALSE;
    case SemaphoreObject:
        h->SignalState--;
        return FALSE;
    case MutantObject: {
        PKMUTANT m = (PKMUTANT)h;
        if (h->SignalState-- == 1) {
            m->OwnerThread = t;
            InsertTailList(&t->MutantListHead, &m->MutantListEntry);
            if (m->Abandoned) { m->Abandoned = FALSE; return TRUE; }
        }
        return FALSE;
    }
    default:                            /* notification events, timers, threads, processes */
        return FALSE;
    }
}

/* Are all the objects of Thread's WaitAll wait signalled (the timer's block aside)? */
static BOOLEAN KiAllSignaled(PKTHREAD Thread)
{
    PKWAIT_BLOCK w = Thread->WaitBlockList;
    do {
        if (w->WaitKey != TIMER_WAIT_KEY && !KiIsSignaled(w->Object, Thread)) return FALSE;
        w = w->NextWaitBlock;
    } while (w != Thread->WaitBlockList);
    return TRUE;
}

static BOOLEAN KiSatisfyAll(PKTHREAD Thread)
{
    BOOLEAN abandoned = FALSE;
    PKWAIT_BLOCK w = Thread->WaitBlockList;
    do {
        if (w->WaitKey != TIMER_WAIT_KEY) abandoned |= KiSatisfy(w->Object, Thread);
        w = w->NextWaitBlock;
    } while (w != Thread->WaitBlockList);
    return abandoned;
}

VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS WaitStatus, KPRIORITY Increment)
{
    PKWAIT_BLOCK w = Thread->WaitBlockList;
    if (w) {
        do {
            RemoveEntryList(&w->WaitListEntry);
            w = w->NextWaitBlock;
        } while (w != Thread->WaitBlockList);
        Thread->WaitBlockList = NULL;
    }
    KiRemoveTimer(&Thread->Timer);
    Thread->WaitStatus = WaitStatus;
    if (Thread->Priority < LOW_REALTIME_PRIORITY) {           /* boost: dynamic range only */
        KPRIORITY p = Thread->BasePriority + Increment;
        if (p > LOW_REALTIME_PRIORITY - 1) p = LOW_REALTIME_PRIORITY - 1;
        if (p > Thread->Priority) Thread->Priority = (SCHAR)p;
    }
    Thread->Quantum = KI_THREAD_QUANTUM;
    KiReadyThread(Thread);
}

VOID KiWaitTest(PVOID Object, KPRIORITY Increment)
{
    PDISPATCHER_HEADER h = Object;
restart:
    for (PLIST_ENTRY e = h->WaitListHead.Flink; e != &h->WaitListHead; e = e->Flink) {
        PKWAIT_BLOCK w = CONTAINING_RECORD(e, KWAIT_BLOCK, WaitListEntry);
        PKTHREAD t = w->Thread;
        if (!KiIsSignaled(h, t)) return;
        if (w->WaitType == WaitAny) {
            NTSTATUS status = w->WaitKey;
            if (w->WaitKey != TIMER_WAIT_KEY && KiSatisfy(h, t)) status += STATUS_ABANDONED_WAIT_0;
            KiUnwaitThread(t, status, Increment);
            goto restart;                      /* the list changed under us */
        }
        if (KiAllSignaled(t)) {
            NTSTATUS status = KiSatisfyAll(t) ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
            KiUnwaitThread(t, status, Increment);
            goto restart;
        }
    }
}

LONG KeReadStateObject(PVOID Object)
{
    return ((PDISPATCHER_HEADER)Object)->SignalState;
}

/* Blocks the current thread on wait blocks already filled in (at DISPATCH_LEVEL); with a timeout
 * if Timed, until the tick DueTick. */
static NTSTATUS KiBlock(PKTHREAD t, PKWAIT_BLOCK First, BOOLEAN Timed, ULONGLONG DueTick, KWAIT_REASON Reason,
                        KPROCESSOR_MODE Mode, BOOLEAN Alertable)
{
    PKWAIT_BLOCK last = First;
    if (Timed) {
        PKWAIT_BLOCK tw = &t->WaitBlock[THREAD_WAIT_OBJECTS];
        tw->Thread = t;
        tw->Object = &t->Timer;
        tw->WaitKey = TIMER_WAIT_KEY;
        tw->WaitType = WaitAny;
        t->Timer.Header.SignalState = 0;
        KiInsertTimer(&t->Timer, DueTick, 0);
        InsertTailList(&t->Timer.Header.WaitListHead, &tw->WaitListEntry);
        if (First) {
            while (last->NextWaitBlock != First) last = last->NextWaitBlock;
            last->NextWaitBlock = tw;
            tw->NextWaitBlock = First;
        } else {
            tw->NextWaitBlock = tw;
            First = tw;
        }
    }
    t->WaitBlockList = First;
    t->WaitStatus = STATUS_SUCCESS;
    t->WaitReason = (UCHAR)Reason;
    t->WaitMode = (UCHAR)Mode;
    t->Alertable = Alertable;
    t->State = Waiting;
    KiSwapThread();
    return t->WaitStatus;
}

/* One attempt: satisfies the wait at once or blocks (at DISPATCH_LEVEL). */
static inline __attribute__((always_inline)) NTSTATUS KiWaitOnce(PKTHREAD t, ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
                           KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout, ULONGLONG DueTick,
                           PKWAIT_BLOCK blocks)
{
    NTSTATUS status = STATUS_PENDING;
    if (WaitType == WaitAny) {
        for (ULONG i = 0; i < Count && status == STATUS_PENDING; i++)
            if (KiIsSignaled(Object[i], t))
                status = (KiSatisfy(Object[i], t) ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + (NTSTATUS)i;
    } else if (Count > 0) {
        BOOLEAN all = TRUE;
        for (ULONG i = 0; i < Count && all; i++) all = KiIsSignaled(Object[i], t);
        if (all) {
            BOOLEAN abandoned = FALSE;
            for (ULONG i = 0; i < Count; i++) abandoned |= KiSatisfy(Object[i], t);
            status = abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
        }
    }
    /* An alertable user-mode wait does not block while a user APC is queued: it returns
     * STATUS_USER_APC and the APC runs on the way out (apc.c). */
    if (status == STATUS_PENDING && Alertable && WaitMode == UserMode && KiTestUserApc(t)) status = STATUS_USER_APC;
    if (status == STATUS_PENDING && Timeout && Timeout->QuadPart == 0) status = STATUS_TIMEOUT;
    if (status != STATUS_PENDING) return status;
    for (ULONG i = 0; i < Count; i++) {
        blocks[i].Thread = t;
        blocks[i].Object = Object[i];
        blocks[i].WaitKey = (USHORT)i;
        blocks[i].WaitType = (UCHAR)WaitType;
        blocks[i].NextWaitBlock = &blocks[(i + 1) % Count];
        InsertTailList(&((PDISPATCHER_HEADER)Object[i])->WaitListHead, &blocks[i].WaitListEntry);
    }
    return KiBlock(t, Count ? blocks : NULL, Timeout != NULL, DueTick, WaitReason, WaitMode, Alertable);
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    if (Count > (WaitBlockArray ? MAXIMUM_WAIT_OBJECTS : THREAD_WAIT_OBJECTS))
        return STATUS_INVALID_PARAMETER;
    PKTHREAD t = KeGetCurrentThread();
    PKWAIT_BLOCK blocks = WaitBlockArray ? WaitBlockArray : t->WaitBlock;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ULONGLONG due = Timeout ? KiTimeoutToTicks(*Timeout) : 0;   /* one deadline across restarts */
    for (;;) {
        if (__builtin_expect(t->KernelApcPending, 0) && old == PASSIVE_LEVEL && KiTestKernelApc(t, WaitMode)) {
            KeLowerIrql(old);
            KiDeliverKernelApcs();
            KeRaiseIrql(DISPATCH_LEVEL, &old);
            continue;
        }
        NTSTATUS status = KiWaitOnce(t, Count, Object, WaitType, WaitReason, WaitMode, Alertable, Timeout, due,
                                     blocks);
        if (__builtin_expect(status != STATUS_KERNEL_APC, 1)) {
            KeLowerIrql(old);
            return status;
        }
    }
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    return KeWaitForMultipleObjects(1, &Object, WaitAny, WaitReason, WaitMode, Alertable, Timeout, NULL);
}

/* Sleep: a wait on nothing but the timer. A zero interval yields, as Sleep(0) does - unless it
 * is alertable and a user APC is queued (SleepEx(0, TRUE), the usual way to run them). */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
    if (Interval->QuadPart == 0) {
        if (Alertable && WaitMode == UserMode) {
            KIRQL old;
            KeRaiseIrql(DISPATCH_LEVEL, &old);
            BOOLEAN apc = KiTestUserApc(KeGetCurrentThread());
            KeLowerIrql(old);
            if (apc) return STATUS_USER_APC;
        }
        KeYieldExecution();
        return STATUS_SUCCESS;
    }
    NTSTATUS status = KeWaitForMultipleObjects(0, NULL, WaitAny, DelayExecution, WaitMode, Alertable,
                                               Interval, NULL);
    return status == STATUS_TIMEOUT ? STATUS_SUCCESS : status;
}

/* Ends a wait the thread entered on behalf of user mode (WaitMode == UserMode), so that it
 * returns Status to its caller and meets whatever waits for it on the way back to user mode
 * (thread termination). Kernel-mode waits are never broken: the code below them counts on them. */
VOID KeBreakUserWait(PKTHREAD Thread, NTSTATUS Status)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (Thread->State == Waiting && Thread->WaitMode == UserMode && Thread->WaitBlockList &&
        Thread->WaitReason != Suspended)
        KiUnwaitThread(Thread, Status, IO_NO_INCREMENT);
    KeLowerIrql(old);
}
