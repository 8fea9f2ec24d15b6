/*
 * critsect.c - critical sections (RTL_CRITICAL_SECTION) and the PEB lock.
 *
 * The fast path is one interlocked operation on LockCount (-1 = free): entering adds 1 and owns
 * the section if the old value was -1; leaving subtracts 1 and, if the result is still >= 0,
 * someone is waiting and gets woken. Waiters sleep on an auto-reset event (LockSemaphore),
 * created lazily on first contention and published with a compare-exchange, so that sections
 * that never see contention (most) never own a handle, and a statically initialized section
 * (RTL_CRITICAL_SECTION_INIT) works. A set event with nobody yet asleep stays signalled, so a
 * wake-up is never lost between "LockCount says wait" and the wait itself.
 */
#include "ntndk.h"

/* How long a contended enter spins (TryEnter attempts) before it sleeps, at most. */
#define RTLP_MAX_SPIN 4000u

static inline HANDLE RtlpCurrentThreadId(VOID)
{
    return NtCurrentTeb()->ClientId.UniqueThread;
}

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                        ULONG SpinCount)
{
    CriticalSection->DebugInfo = NULL;
    CriticalSection->LockCount = -1;
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    CriticalSection->LockSemaphore = NULL;
    CriticalSection->SpinCount = SpinCount & 0x00FFFFFFu;   /* NT keeps flags in the top byte */
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    return RtlInitializeCriticalSectionAndSpinCount(CriticalSection, 0);
}

ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION CriticalSection, ULONG SpinCount)
{
    ULONG old = (ULONG)CriticalSection->SpinCount;
    CriticalSection->SpinCount = SpinCount & 0x00FFFFFFu;
    return old;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    HANDLE event = CriticalSection->LockSemaphore;
    CriticalSection->LockSemaphore = NULL;
    if (event) NtClose(event);
    CriticalSection->LockCount = -1;
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    return STATUS_SUCCESS;
}

/* The section's event, created now if no thread has created it yet. Two threads may race to
 * create it: the compare-exchange keeps one, the loser closes its own. */
static HANDLE RtlpGetCriticalSectionEvent(PRTL_CRITICAL_SECTION CriticalSection)
{
    for (;;) {
        HANDLE event = __atomic_load_n(&CriticalSection->LockSemaphore, __ATOMIC_ACQUIRE);
        if (event) return event;
        NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE);
        if (!NT_SUCCESS(status)) {
            /* No handle to be had: let others run and try again (an enter cannot fail). */
            NtYieldExecution();
            continue;
        }
        HANDLE expected = NULL;
        if (__atomic_compare_exchange_n(&CriticalSection->LockSemaphore, &expected, event, FALSE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return event;
        NtClose(event);
        return expected;
    }
}

static inline VOID RtlpTakeOwnership(PRTL_CRITICAL_SECTION CriticalSection, HANDLE Thread)
{
    CriticalSection->OwningThread = Thread;
    CriticalSection->RecursionCount = 1;
}

/* Free -> owned by us, in one compare-exchange; FALSE if anyone holds it. */
static inline BOOLEAN RtlpTryAcquireFree(PRTL_CRITICAL_SECTION CriticalSection)
{
    LONG expected = -1;
    return __atomic_compare_exchange_n(&CriticalSection->LockCount, &expected, 0, FALSE,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    HANDLE me = RtlpCurrentThreadId();
    if (RtlpTryAcquireFree(CriticalSection)) {
        RtlpTakeOwnership(CriticalSection, me);
        return TRUE;
    }
    if (CriticalSection->OwningThread == me) {
        __atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_ACQUIRE);
        CriticalSection->RecursionCount++;
        return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    HANDLE me = RtlpCurrentThreadId();

    /* The owner re-entering only counts (no one else can change OwningThread to or from us). */
    if (CriticalSection->OwningThread == me) {
        __atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_ACQUIRE);
        CriticalSection->RecursionCount++;
        return STATUS_SUCCESS;
    }
    /* Spinning only pays off when the owner runs on another processor; it is bounded so that
     * on one processor a large SpinCount costs little before the owner gets to run. */
    ULONG spin = (ULONG)CriticalSection->SpinCount;
    for (spin = spin < RTLP_MAX_SPIN ? spin : RTLP_MAX_SPIN; spin; spin--) {
        if (RtlpTryAcquireFree(CriticalSection)) {
            RtlpTakeOwnership(CriticalSection, me);
            return STATUS_SUCCESS;
        }
        __asm__ volatile("pause");
    }
    if (__atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_ACQUIRE) != 0) {
        /* Held by another thread: our increment registered us as a waiter; its leave wakes
         * exactly one waiter and hands the section over. */
        HANDLE event = RtlpGetCriticalSectionEvent(CriticalSection);
        for (;;) {
            NTSTATUS status = NtWaitForSingleObject(event, FALSE, NULL);
            if (status == STATUS_WAIT_0) break;
            if (!NT_SUCCESS(status)) NtYieldExecution();   /* should not happen: keep waiting */
        }
    }
    RtlpTakeOwnership(CriticalSection, me);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection)
{
    if (--CriticalSection->RecursionCount > 0) {
        __atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE);
        return STATUS_SUCCESS;
    }
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    if (__atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE) >= 0)
        NtSetEvent(RtlpGetCriticalSectionEvent(CriticalSection), NULL);
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION CriticalSection)
{
    return CriticalSection->OwningThread == RtlpCurrentThreadId() &&
           CriticalSection->RecursionCount > 0;
}

/* ---- The PEB lock ------------------------------------------------------------------------- */

/* Statically initialized, so RtlAcquirePebLock works even before RtlpInitializeRtl has stored
 * its address in PEB.FastPebLock. */
static RTL_CRITICAL_SECTION RtlpPebLock = RTL_CRITICAL_SECTION_INIT;

static PRTL_CRITICAL_SECTION RtlpGetPebLock(VOID)
{
    PPEB peb = NtCurrentPeb();
    if (peb->FastPebLock == NULL) peb->FastPebLock = &RtlpPebLock;
    return peb->FastPebLock;
}

VOID NTAPI RtlAcquirePebLock(VOID)
{
    RtlEnterCriticalSection(RtlpGetPebLock());
}

VOID NTAPI RtlReleasePebLock(VOID)
{
    RtlLeaveCriticalSection(RtlpGetPebLock());
}
