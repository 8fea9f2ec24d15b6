/*
 * t_critsect.c - critical sections inside NanoNT (ntdll/rtl/critsect.c): NT's x86 layout and
 * initial state, recursion by the owner, TryEnter from another thread, several threads
 * contending on one section to increment a shared counter (with yields inside the section so
 * that they really do contend and sleep on the section's event), a spin count, and the PEB lock.
 */
#define NTEST_NAME "t_critsect"
#include "ntest.h"


static RTL_CRITICAL_SECTION Cs;
static volatile ULONG Counter;

/* Runs Start(Parameter) on a new thread and waits for it; returns its exit status. */
static NTSTATUS RunThread(PUSER_THREAD_START_ROUTINE Start, PVOID Parameter, PHANDLE Handle)
{
    HANDLE thread;
    NTSTATUS s = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Start, Parameter, &thread, NULL);
    if (!NT_SUCCESS(s)) return s;
    if (Handle) {
        *Handle = thread;
        return STATUS_PENDING;
    }
    NtWaitForSingleObject(thread, FALSE, NULL);
    THREAD_BASIC_INFORMATION info;
    s = NtQueryInformationThread(thread, ThreadBasicInformation, &info, sizeof(info), NULL);
    NtClose(thread);
    return NT_SUCCESS(s) ? info.ExitStatus : s;
}

static VOID TestLayout(VOID)
{
    NtestExpect("layout", sizeof(RTL_CRITICAL_SECTION) == 24 && FIELD_OFFSET(RTL_CRITICAL_SECTION, LockCount) == 4 &&
           FIELD_OFFSET(RTL_CRITICAL_SECTION, RecursionCount) == 8 &&
           FIELD_OFFSET(RTL_CRITICAL_SECTION, OwningThread) == 12 &&
           FIELD_OFFSET(RTL_CRITICAL_SECTION, LockSemaphore) == 16 &&
           FIELD_OFFSET(RTL_CRITICAL_SECTION, SpinCount) == 20, "not NT's x86 layout", sizeof(RTL_CRITICAL_SECTION));
    RtlInitializeCriticalSection(&Cs);
    NtestExpect("init", Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL &&
           Cs.LockSemaphore == NULL, "initial state", (ULONG)Cs.LockCount);
}

static NTSTATUS NTAPI TryFromOther(PVOID Unused)
{
    UNREFERENCED_PARAMETER(Unused);
    if (!RtlTryEnterCriticalSection(&Cs)) return 0x1000;
    RtlLeaveCriticalSection(&Cs);
    return 0x2000;
}

static VOID TestRecursion(VOID)
{
    HANDLE me = NtCurrentTeb()->ClientId.UniqueThread;
    RtlEnterCriticalSection(&Cs);
    RtlEnterCriticalSection(&Cs);
    BOOLEAN tried = RtlTryEnterCriticalSection(&Cs);
    NtestExpect("recursion.counts", tried && Cs.RecursionCount == 3 && Cs.LockCount == 2, "RecursionCount/LockCount",
           (ULONG)Cs.RecursionCount);
    NtestExpect("recursion.owner", Cs.OwningThread == me, "OwningThread is not TEB ClientId.UniqueThread",
           (ULONG)(ULONG_PTR)Cs.OwningThread);
    NtestExpect("tryenter.other_fails", RunThread(TryFromOther, NULL, NULL) == 0x1000, "another thread entered", 0);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    NtestExpect("recursion.released", Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL,
           "state after the last leave", (ULONG)Cs.LockCount);
    NtestExpect("tryenter.other_succeeds", RunThread(TryFromOther, NULL, NULL) == 0x2000, "free section refused", 0);
}

#define THREADS 4
#define ROUNDS  3000

static NTSTATUS NTAPI Incrementer(PVOID Parameter)
{
    ULONG rounds = (ULONG)(ULONG_PTR)Parameter;
    for (ULONG i = 0; i < rounds; i++) {
        RtlEnterCriticalSection(&Cs);
        if (i % 5 == 0) RtlEnterCriticalSection(&Cs);
        ULONG v = Counter;
        if (i % 16 == 0) NtYieldExecution();      /* let the others pile up on the section */
        Counter = v + 1;
        if (i % 5 == 0) RtlLeaveCriticalSection(&Cs);
        RtlLeaveCriticalSection(&Cs);
    }
    return STATUS_SUCCESS;
}

static VOID TestContention(PCSTR Name, ULONG SpinCount)
{
    HANDLE threads[THREADS];
    ULONG started = 0;
    RtlInitializeCriticalSectionAndSpinCount(&Cs, SpinCount);
    Counter = 0;
    for (ULONG t = 0; t < THREADS; t++)
        if (RunThread(Incrementer, (PVOID)(ULONG_PTR)ROUNDS, &threads[t]) == STATUS_PENDING) started++;
    for (ULONG t = 0; t < started; t++) {
        NtWaitForSingleObject(threads[t], FALSE, NULL);
        NtClose(threads[t]);
    }
    DbgPrint("t_critsect: %s: counter %lu of %lu, event %s\n", Name, (unsigned long)Counter,
             (unsigned long)(THREADS * ROUNDS), Cs.LockSemaphore ? "created" : "not needed");
    NtestExpect(Name, started == THREADS && Counter == THREADS * ROUNDS, "lost increments (or threads not started)",
           Counter);
    NtestExpect(SpinCount ? "contention_spin.released" : "contention.released",
           Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL, "state after", (ULONG)Cs.LockCount);
    RtlDeleteCriticalSection(&Cs);
}

static VOID TestPebLock(VOID)
{
    RtlAcquirePebLock();
    PRTL_CRITICAL_SECTION lock = NtCurrentPeb()->FastPebLock;
    BOOLEAN owned = lock && lock->OwningThread == NtCurrentTeb()->ClientId.UniqueThread;
    RtlReleasePebLock();
    NtestExpect("peb_lock", owned && lock->OwningThread == NULL, "PEB.FastPebLock not taken/released", 0);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    TestLayout();
    TestRecursion();
    TestContention("contention", 0);
    TestContention("contention_spin", 1000);
    TestPebLock();
    return NtestResult();
}
