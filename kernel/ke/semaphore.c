/* semaphore.c - semaphores: a count between 0 and a limit; each satisfied wait takes one. */
#include "ki.h"
#include "ntstatus.h"

VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    Semaphore->Header.Type = SemaphoreObject;
    Semaphore->Header.Size = sizeof(KSEMAPHORE) / sizeof(ULONG);
    Semaphore->Header.SignalState = Count;
    InitializeListHead(&Semaphore->Header.WaitListHead);
    Semaphore->Limit = Limit;
}

NTSTATUS KeReleaseSemaphore(PKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                            BOOLEAN Wait, PLONG PreviousCount)
{
    UNREFERENCED_PARAMETER(Wait);
    if (Adjustment <= 0) return STATUS_INVALID_PARAMETER;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG previous = Semaphore->Header.SignalState;
    if (Adjustment > Semaphore->Limit - previous) {          /* no overflow: limit >= previous */
        KeLowerIrql(old);
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    }
    Semaphore->Header.SignalState = previous + Adjustment;
    if (previous == 0) KiWaitTest(Semaphore, Increment);
    KeLowerIrql(old);
    if (PreviousCount) *PreviousCount = previous;
    return STATUS_SUCCESS;
}
