/*
 * svctable.c - the service descriptor tables the int 0x2E dispatcher (sysentry.asm) looks in:
 * table 0 is generated from kernel/services.tab, table 1 is win32k's, added when it loads. Also
 * PreviousMode (where the dispatcher records who called) and NtTestAlert, the near-null service.
 */
#include "ki.h"
#include "svc.h"
#include "ntstatus.h"

KSERVICE_TABLE_DESCRIPTOR KeServiceDescriptorTable[NUMBER_SERVICE_TABLES];
volatile KPROCESSOR_MODE KiPreviousMode = KernelMode;

KPROCESSOR_MODE ExGetPreviousMode(VOID)
{
    return KiPreviousMode;
}

/* Phase 0, once the pool exists and before interrupts are on. The IDT gate is set by idt.c. */
VOID KiInitializeSystemServices(VOID)
{
    KSERVICE_TABLE_DESCRIPTOR *t = &KeServiceDescriptorTable[0];
    t->Base = (PULONG_PTR)KiServiceTable;
    t->Count = NULL;
    t->Number = (PUCHAR)KiArgumentTable;
    t->Limit = KiServiceLimit;
    KiInitializeSystemTime();
}

/* The dispatcher trusts a table whose Limit is non-zero, so Limit is written last on the way in
 * and first on the way out. */
BOOLEAN KeAddSystemServiceTable(PULONG_PTR Base, PULONG Count, ULONG Limit, PUCHAR Number,
                                ULONG Index)
{
    if (Index != 1 || KeServiceDescriptorTable[Index].Limit != 0) return FALSE;
    if (Base == NULL || Number == NULL || Limit == 0 || Limit > SERVICE_NUMBER_MASK + 1) return FALSE;
    KSERVICE_TABLE_DESCRIPTOR *t = &KeServiceDescriptorTable[Index];
    t->Base = Base;
    t->Count = Count;
    t->Number = Number;
    __asm__ volatile("" ::: "memory");
    t->Limit = Limit;
    return TRUE;
}

VOID KiRemoveSystemServiceTable(ULONG Index)
{
    if (Index == 0 || Index >= NUMBER_SERVICE_TABLES) return;
    KSERVICE_TABLE_DESCRIPTOR *t = &KeServiceDescriptorTable[Index];
    t->Limit = 0;
    __asm__ volatile("" ::: "memory");
    t->Base = NULL;
    t->Count = NULL;
    t->Number = NULL;
}

/* Delivers pending user APCs on NT. There are no APCs yet, so there is never anything to do; it
 * is the cheapest real service, which makes it the benchmarks' null call. */
/* Delivers queued user APCs on the way out (apc.c); also the benchmarks' null service. */
NTSTATUS NTAPI NtTestAlert(VOID)
{
    KeTestAlertThread();
    return STATUS_SUCCESS;
}
