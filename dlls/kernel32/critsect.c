/*
 * critsect.c - critical sections (thin wrappers over ntdll's Rtl*CriticalSection, which own the
 * algorithm) and the Interlocked* functions (LOCK-prefixed x86 instructions via GCC builtins).
 */
#include "k32p.h"

VOID WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    NTSTATUS status = RtlInitializeCriticalSection(lpCriticalSection);
    if (!NT_SUCCESS(status)) RtlRaiseStatus(status);    /* as Windows: it raises on failure */
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount)
{
    NTSTATUS status = RtlInitializeCriticalSectionAndSpinCount(lpCriticalSection, dwSpinCount);
    return BaseNtSuccess(status);
}

DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount)
{
    return RtlSetCriticalSectionSpinCount(lpCriticalSection, dwSpinCount);
}

VOID WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) { RtlEnterCriticalSection(lpCriticalSection); }
VOID WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection) { RtlLeaveCriticalSection(lpCriticalSection); }
BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) { return RtlTryEnterCriticalSection(lpCriticalSection); }
VOID WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection) { RtlDeleteCriticalSection(lpCriticalSection); }

LONG WINAPI InterlockedIncrement(LONG volatile *Addend) { return __sync_add_and_fetch(Addend, 1); }
LONG WINAPI InterlockedDecrement(LONG volatile *Addend) { return __sync_sub_and_fetch(Addend, 1); }
LONG WINAPI InterlockedExchange(LONG volatile *Target, LONG Value) { return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST); }
LONG WINAPI InterlockedExchangeAdd(LONG volatile *Addend, LONG Value) { return __sync_fetch_and_add(Addend, Value); }
LONG WINAPI InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand)
{
    return __sync_val_compare_and_swap(Destination, Comparand, Exchange);
}
