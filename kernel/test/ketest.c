/*
 * ketest.c - self-tests of threads, the scheduler and the dispatcher objects: creation and exit,
 * events (notification and synchronization), mutants (recursion, ownership, abandonment),
 * semaphores, timers, waits on several objects with and without timeouts, preemption, round robin,
 * priority boost, suspend and resume, and a stress run whose pool and page counts must return to
 * their baseline.
 */
#include "ki.h"
#include "ex.h"
#include "mm.h"
#include "kd.h"
#include "ntstatus.h"
#include "boottest.h"
#include "ps.h"

#define TAG_KTEST POOL_TAG('K', 't', 's', 't')

static PKTHREAD TstStartThread(PKSTART_ROUTINE Routine, PVOID Context)
{
    PKTHREAD t = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), TAG_KTEST);
    if (t == NULL) return NULL;
    if (!NT_SUCCESS(KeInitializeThread(t, 2, Routine, Context, &PsInitialSystemProcess->Pcb))) {
        ExFreePoolWithTag(t, TAG_KTEST);
        return NULL;
    }
    KeReadyThread(t);
    return t;
}

/* Waits for the thread to end, frees it and returns its exit status. */
static NTSTATUS TstJoin(PKTHREAD t)
{
    KeWaitForSingleObject(t, Executive, KernelMode, FALSE, NULL);
    NTSTATUS status = t->ExitStatus;
    KeDeleteThread(t);
    ExFreePoolWithTag(t, TAG_KTEST);
    return status;
}

static void TstSleepMs(LONG Ms)
{
    LARGE_INTEGER d = { .QuadPart = -(LONGLONG)Ms * 10000 };
    KeDelayExecutionThread(KernelMode, FALSE, &d);
}

/* ---------------------------------------------------------------------------------------------- */

static volatile ULONG TstFlag;
static VOID SetFlag(PVOID Context) { TstFlag = (ULONG)(ULONG_PTR)Context; }
static VOID ExitWithStatus(PVOID Context) { KeTerminateThread((NTSTATUS)(ULONG_PTR)Context); }

static PCSTR TestThreadCreateExit(void)
{
    TstFlag = 0;
    PKTHREAD t = TstStartThread(SetFlag, (PVOID)42);
    CHECK(t, "thread not created");
    CHECK(TstJoin(t) == STATUS_SUCCESS && TstFlag == 42, "thread did not run to its end");
    t = TstStartThread(ExitWithStatus, (PVOID)0xC0DE);
    CHECK(t && TstJoin(t) == (NTSTATUS)0xC0DE, "exit status lost");
    return NULL;
}

static KEVENT TstPing, TstPong;
static volatile ULONG TstRounds;
static VOID Ponger(PVOID Context)
{
    ULONG n = (ULONG)(ULONG_PTR)Context;
    for (ULONG i = 0; i < n; i++) {
        KeWaitForSingleObject(&TstPing, Executive, KernelMode, FALSE, NULL);
        TstRounds++;
        KeSetEvent(&TstPong, EVENT_INCREMENT, FALSE);
    }
}

static PCSTR TestEventPingPong(void)
{
    KeInitializeEvent(&TstPing, SynchronizationEvent, FALSE);
    KeInitializeEvent(&TstPong, SynchronizationEvent, FALSE);
    TstRounds = 0;
    PKTHREAD t = TstStartThread(Ponger, (PVOID)1000);
    CHECK(t, "thread not created");
    for (ULONG i = 0; i < 1000; i++) {
        KeSetEvent(&TstPing, EVENT_INCREMENT, FALSE);
        KeWaitForSingleObject(&TstPong, Executive, KernelMode, FALSE, NULL);
        CHECK(TstRounds == i + 1, "ping-pong out of step");
    }
    CHECK(TstJoin(t) == STATUS_SUCCESS, "ponger failed");
    CHECK(KeReadStateObject(&TstPing) == 0 && KeReadStateObject(&TstPong) == 0,
          "synchronization events did not reset");
    return NULL;
}

static KEVENT TstGate;
static volatile ULONG TstPassed;
static VOID WaitGate(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&TstGate, Executive, KernelMode, FALSE, NULL);
    TstPassed++;
}

static PCSTR TestEventKinds(void)
{
    PKTHREAD t[3];
    /* Notification: one set releases every waiter and stays set. */
    KeInitializeEvent(&TstGate, NotificationEvent, FALSE);
    TstPassed = 0;
    for (int i = 0; i < 3; i++) CHECK(t[i] = TstStartThread(WaitGate, NULL), "thread not created");
    TstSleepMs(30);
    CHECK(TstPassed == 0, "waiters passed an unset event");
    KeSetEvent(&TstGate, EVENT_INCREMENT, FALSE);
    for (int i = 0; i < 3; i++) TstJoin(t[i]);
    CHECK(TstPassed == 3 && KeReadStateObject(&TstGate) == 1, "notification event wrong");
    /* Synchronization: each set releases exactly one waiter. */
    KeInitializeEvent(&TstGate, SynchronizationEvent, FALSE);
    TstPassed = 0;
    for (int i = 0; i < 3; i++) CHECK(t[i] = TstStartThread(WaitGate, NULL), "thread not created");
    TstSleepMs(30);
    KeSetEvent(&TstGate, EVENT_INCREMENT, FALSE);
    TstSleepMs(30);
    CHECK(TstPassed == 1 && KeReadStateObject(&TstGate) == 0, "synchronization event released more than one");
    KeSetEvent(&TstGate, EVENT_INCREMENT, FALSE);
    KeSetEvent(&TstGate, EVENT_INCREMENT, FALSE);   /* may find its waiter not yet blocked: then stays set */
    for (int i = 0; i < 3; i++) TstJoin(t[i]);
    CHECK(TstPassed == 3, "not every waiter released");
    /* Pulse with nobody waiting leaves it reset. */
    KeInitializeEvent(&TstGate, NotificationEvent, FALSE);
    KePulseEvent(&TstGate, EVENT_INCREMENT, FALSE);
    CHECK(KeReadStateObject(&TstGate) == 0, "pulse left the event set");
    return NULL;
}

static KMUTANT TstMutant;
static VOID GrabMutantAndDie(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&TstMutant, Executive, KernelMode, FALSE, NULL);
}
static VOID ReleaseMutantNotOwned(PVOID Context)
{
    *(NTSTATUS *)Context = KeReleaseMutant(&TstMutant, MUTANT_INCREMENT, FALSE, FALSE, NULL);
}

static PCSTR TestMutant(void)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    KeInitializeMutant(&TstMutant, FALSE);
    CHECK(KeWaitForSingleObject(&TstMutant, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0, "acquire");
    CHECK(KeWaitForSingleObject(&TstMutant, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0, "recursive acquire");
    CHECK(KeReadStateObject(&TstMutant) == -1, "recursion count wrong");
    NTSTATUS other = 0;
    PKTHREAD t = TstStartThread(ReleaseMutantNotOwned, &other);
    TstJoin(t);
    CHECK(other == STATUS_MUTANT_NOT_OWNED, "non-owner could release");
    LONG prev;
    CHECK(KeReleaseMutant(&TstMutant, 1, FALSE, FALSE, &prev) == STATUS_SUCCESS && prev == -1, "release 1");
    CHECK(KeReleaseMutant(&TstMutant, 1, FALSE, FALSE, &prev) == STATUS_SUCCESS && prev == 0, "release 2");
    CHECK(TstMutant.OwnerThread == NULL && KeReadStateObject(&TstMutant) == 1, "mutant not free");
    CHECK(KeReleaseMutant(&TstMutant, 1, FALSE, FALSE, NULL) == STATUS_MUTANT_NOT_OWNED, "free mutant released");
    /* An owner that exits abandons it; the next waiter learns so. */
    t = TstStartThread(GrabMutantAndDie, NULL);
    TstJoin(t);
    CHECK(KeWaitForSingleObject(&TstMutant, Executive, KernelMode, FALSE, NULL) == STATUS_ABANDONED_WAIT_0,
          "abandonment not reported");
    CHECK(KeReleaseMutant(&TstMutant, 1, FALSE, FALSE, NULL) == STATUS_SUCCESS, "release after abandon");
    CHECK(KeWaitForSingleObject(&TstMutant, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0,
          "abandonment reported twice");
    KeReleaseMutant(&TstMutant, 1, FALSE, FALSE, NULL);
    return NULL;
}

static KSEMAPHORE TstSemaphore;
static VOID TakeSemaphore(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&TstSemaphore, Executive, KernelMode, FALSE, NULL);
    TstPassed++;
}

static PCSTR TestSemaphore(void)
{
    PKTHREAD t[4];
    LONG prev;
    KeInitializeSemaphore(&TstSemaphore, 0, 3);
    TstPassed = 0;
    for (int i = 0; i < 4; i++) CHECK(t[i] = TstStartThread(TakeSemaphore, NULL), "thread not created");
    TstSleepMs(30);
    CHECK(TstPassed == 0, "waiters passed a zero semaphore");
    CHECK(KeReleaseSemaphore(&TstSemaphore, 1, 2, FALSE, &prev) == STATUS_SUCCESS && prev == 0, "release 2");
    TstSleepMs(30);
    CHECK(TstPassed == 2 && KeReadStateObject(&TstSemaphore) == 0, "release 2 did not let exactly 2 pass");
    CHECK(KeReleaseSemaphore(&TstSemaphore, 1, 4, FALSE, NULL) == STATUS_SEMAPHORE_LIMIT_EXCEEDED, "limit not enforced");
    CHECK(KeReleaseSemaphore(&TstSemaphore, 1, 0, FALSE, NULL) == STATUS_INVALID_PARAMETER, "zero adjustment accepted");
    CHECK(KeReleaseSemaphore(&TstSemaphore, 1, 3, FALSE, &prev) == STATUS_SUCCESS, "release 3");
    for (int i = 0; i < 4; i++) TstJoin(t[i]);
    CHECK(TstPassed == 4 && KeReadStateObject(&TstSemaphore) == 1, "count wrong after waiters");
    return NULL;
}

static PCSTR TestTimeouts(void)
{
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    LARGE_INTEGER zero = { .QuadPart = 0 }, t30 = { .QuadPart = -300000 };
    CHECK(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero) == STATUS_TIMEOUT, "zero timeout");
    ULONGLONG start = KiTickCount64;
    CHECK(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &t30) == STATUS_TIMEOUT, "30 ms timeout");
    CHECK(KiTickCount64 - start >= 3, "timeout ended early");
    CHECK(KiTickCount64 - start <= 10, "timeout far too late");
    start = KiTickCount64;
    TstSleepMs(50);
    CHECK(KiTickCount64 - start >= 5, "delay ended early");
    LARGE_INTEGER zeroDelay = { .QuadPart = 0 };
    CHECK(KeDelayExecutionThread(KernelMode, FALSE, &zeroDelay) == STATUS_SUCCESS, "Sleep(0)");
    CHECK(KeYieldExecution() == STATUS_NO_YIELD_PERFORMED, "yield with nobody ready");
    return NULL;
}

static PCSTR TestTimer(void)
{
    KTIMER t;
    KeInitializeTimer(&t, NotificationTimer);
    LARGE_INTEGER due = { .QuadPart = -200000 };
    CHECK(!KeSetTimer(&t, due, 0), "new timer reported as set");
    CHECK(KeWaitForSingleObject(&t, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0, "one-shot");
    CHECK(KeReadStateObject(&t) == 1, "notification timer not left signalled");
    KeInitializeTimer(&t, SynchronizationTimer);
    KeSetTimer(&t, due, 20);
    ULONGLONG start = KiTickCount64;
    for (int i = 0; i < 3; i++)
        CHECK(KeWaitForSingleObject(&t, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0, "periodic");
    CHECK(KiTickCount64 - start >= 6, "periodic timer too fast");
    CHECK(KeCancelTimer(&t), "periodic timer not on the list");
    CHECK(!KeCancelTimer(&t), "cancelled twice");
    return NULL;
}

static KEVENT TstA, TstB;
static VOID SetBLater(PVOID Context) { UNREFERENCED_PARAMETER(Context); TstSleepMs(30); KeSetEvent(&TstB, 0, FALSE); }

static PCSTR TestWaitMultiple(void)
{
    PVOID objs[2] = { &TstA, &TstB };
    LARGE_INTEGER zero = { .QuadPart = 0 };
    KeInitializeEvent(&TstA, NotificationEvent, FALSE);
    KeInitializeEvent(&TstB, SynchronizationEvent, TRUE);
    CHECK(KeWaitForMultipleObjects(2, objs, WaitAny, Executive, KernelMode, FALSE, &zero, NULL) == STATUS_WAIT_0 + 1,
          "WaitAny did not return the signalled index");
    CHECK(KeReadStateObject(&TstB) == 0, "WaitAny did not satisfy the object");
    KeSetEvent(&TstA, 0, FALSE);
    CHECK(KeWaitForMultipleObjects(2, objs, WaitAll, Executive, KernelMode, FALSE, &zero, NULL) == STATUS_TIMEOUT,
          "WaitAll passed with one of two");
    PKTHREAD t = TstStartThread(SetBLater, NULL);
    CHECK(KeWaitForMultipleObjects(2, objs, WaitAll, Executive, KernelMode, FALSE, NULL, NULL) == STATUS_WAIT_0,
          "WaitAll did not complete");
    CHECK(KeReadStateObject(&TstB) == 0 && KeReadStateObject(&TstA) == 1, "WaitAll side effects wrong");
    TstJoin(t);
    KWAIT_BLOCK blocks[8];
    PVOID many[8];
    KEVENT ev[8];
    for (int i = 0; i < 8; i++) { KeInitializeEvent(&ev[i], NotificationEvent, i == 6); many[i] = &ev[i]; }
    CHECK(KeWaitForMultipleObjects(8, many, WaitAny, Executive, KernelMode, FALSE, NULL, blocks) == 6,
          "8-object WaitAny");
    CHECK(KeWaitForMultipleObjects(8, many, WaitAny, Executive, KernelMode, FALSE, NULL, NULL) == STATUS_INVALID_PARAMETER,
          "more than 3 objects accepted without wait blocks");
    return NULL;
}

static volatile ULONG TstCount[2];
static volatile BOOLEAN TstStop;
static VOID Spin(PVOID Context)
{
    ULONG i = (ULONG)(ULONG_PTR)Context;
    while (!TstStop) TstCount[i]++;
}

static PCSTR TestRoundRobinAndPreemption(void)
{
    TstStop = FALSE;
    TstCount[0] = TstCount[1] = 0;
    PKTHREAD a = TstStartThread(Spin, (PVOID)0), b = TstStartThread(Spin, (PVOID)1);
    CHECK(a && b, "threads not created");
    /* Two spinners at our priority never yield; we only get back because our sleep's timer
     * readies us with a boost, and they take turns only if quanta expire. */
    TstSleepMs(100);
    ULONG c0 = TstCount[0], c1 = TstCount[1];
    TstSleepMs(100);
    TstStop = TRUE;
    TstJoin(a);
    TstJoin(b);
    CHECK(c0 > 0 && c1 > 0, "a spinner never ran");
    CHECK(TstCount[0] > c0 && TstCount[1] > c1, "spinners did not share the processor");
    return NULL;
}

static VOID WaitGateNoCount(PVOID Context) { UNREFERENCED_PARAMETER(Context); KeWaitForSingleObject(&TstGate, Executive, KernelMode, FALSE, NULL); }

static PCSTR TestPriorityBoost(void)
{
    KeInitializeEvent(&TstGate, NotificationEvent, FALSE);
    PKTHREAD t = TstStartThread(WaitGateNoCount, NULL);
    TstSleepMs(20);
    CHECK(t->State == Waiting, "waiter not waiting");
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);          /* look before it runs */
    KeSetEvent(&TstGate, 2, FALSE);
    SCHAR boosted = t->Priority;
    KeLowerIrql(old);
    TstJoin(t);
    CHECK(boosted == t->BasePriority + 2, "wake-up boost not applied");
    PKTHREAD me = KeGetCurrentThread();
    KPRIORITY mine = me->Priority;
    CHECK(KeSetPriorityThread(me, 9) == mine && me->Priority == 9 && me->BasePriority == 9, "set priority");
    KeSetPriorityThread(me, 8);
    return NULL;
}

static PCSTR TestSuspendResume(void)
{
    TstStop = FALSE;
    TstCount[0] = 0;
    PKTHREAD t = TstStartThread(Spin, (PVOID)0);
    TstSleepMs(30);
    CHECK(KeSuspendThread(t) == 0, "suspend count not 0");
    CHECK(KeSuspendThread(t) == 1, "second suspend count not 1");
    ULONG c = TstCount[0];
    TstSleepMs(50);
    CHECK(TstCount[0] == c, "suspended thread ran");
    CHECK(KeResumeThread(t) == 2 && KeResumeThread(t) == 1, "resume counts wrong");
    CHECK(KeResumeThread(t) == 0, "resume of a running thread");
    TstSleepMs(30);
    CHECK(TstCount[0] > c, "resumed thread did not run");
    TstStop = TRUE;
    TstJoin(t);
    return NULL;
}

static VOID Nothing(PVOID Context) { UNREFERENCED_PARAMETER(Context); }

static PCSTR TestThreadStress(void)
{
    POOL_TRACKER_ENTRY before, after;
    ExQueryPoolTag(TAG_KTEST, &before);
    ULONG pages = MmAvailablePages, threads = PsInitialSystemProcess->Pcb.ThreadCount;
    for (int i = 0; i < 200; i++) {
        PKTHREAD t = TstStartThread(Nothing, NULL);
        CHECK(t, "thread not created");
        CHECK(TstJoin(t) == STATUS_SUCCESS, "thread failed");
    }
    ExQueryPoolTag(TAG_KTEST, &after);
    CHECK(after.Pool[0].Bytes == before.Pool[0].Bytes, "thread pool not back to baseline");
    CHECK(MmAvailablePages == pages, "kernel stack pages not returned");
    CHECK(PsInitialSystemProcess->Pcb.ThreadCount == threads, "process thread count wrong");
    return NULL;
}

SELFTEST("ke.thread.create_exit", TestThreadCreateExit);
SELFTEST("ke.thread.round_robin", TestRoundRobinAndPreemption);
SELFTEST("ke.thread.priority_boost", TestPriorityBoost);
SELFTEST("ke.thread.suspend_resume", TestSuspendResume);
SELFTEST("ke.thread.stress", TestThreadStress);
SELFTEST("ke.wait.event_pingpong", TestEventPingPong);
SELFTEST("ke.wait.event_kinds", TestEventKinds);
SELFTEST("ke.wait.mutant", TestMutant);
SELFTEST("ke.wait.semaphore", TestSemaphore);
SELFTEST("ke.wait.timeouts", TestTimeouts);
SELFTEST("ke.wait.timer", TestTimer);
SELFTEST("ke.wait.multiple", TestWaitMultiple);

/* Benchmarks, run by "bench" (bench.c). */
static VOID BenchPonger(PVOID Context)
{
    ULONG n = (ULONG)(ULONG_PTR)Context;
    for (ULONG i = 0; i < n; i++) {
        KeWaitForSingleObject(&TstPing, Executive, KernelMode, FALSE, NULL);
        KeSetEvent(&TstPong, 0, FALSE);
    }
}

VOID TstRunKeBenchmarks(VOID)
{
    const ULONG rounds = 1000;
    KeInitializeEvent(&TstPing, SynchronizationEvent, FALSE);
    KeInitializeEvent(&TstPong, SynchronizationEvent, FALSE);
    PKTHREAD t = TstStartThread(BenchPonger, (PVOID)(ULONG_PTR)rounds);
    ULONGLONG t0 = __builtin_ia32_rdtsc();
    for (ULONG i = 0; i < rounds; i++) {
        KeSetEvent(&TstPing, 0, FALSE);
        KeWaitForSingleObject(&TstPong, Executive, KernelMode, FALSE, NULL);
    }
    ULONGLONG t1 = __builtin_ia32_rdtsc();
    TstJoin(t);
    DbgPrint("BENCH ke.event_pingpong.threads %lu tsc/round-trip\n", (unsigned long)((t1 - t0) / rounds));

    t0 = __builtin_ia32_rdtsc();
    for (ULONG i = 0; i < 100; i++) TstJoin(TstStartThread(Nothing, NULL));
    t1 = __builtin_ia32_rdtsc();
    DbgPrint("BENCH ke.thread_create_exit_wait %lu tsc/thread\n", (unsigned long)((t1 - t0) / 100));
}
