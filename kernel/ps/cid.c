/*
 * cid.c - client ids: the numbers that name processes and threads (CLIENT_ID), from one table as
 * on NT, so a process id and a thread id never collide. Ids are multiples of 4 and reused after
 * the object is gone. The table does not keep objects alive: an object leaves it in its delete
 * routine, and a lookup only takes a reference while the object's count is still above zero.
 */
#include "psp.h"

static PVOID *PspCidTable;
static ULONG PspCidCapacity;

static BOOLEAN PspGrowCidTable(void)
{
    ULONG capacity = PspCidCapacity ? PspCidCapacity * 2 : 64;
    PVOID *table = ExAllocatePoolWithTag(NonPagedPool, capacity * sizeof(PVOID), PSP_CID_TAG);
    if (table == NULL) return FALSE;
    RtlZeroMemory(table, capacity * sizeof(PVOID));
    if (PspCidTable) {
        RtlCopyMemory(table, PspCidTable, PspCidCapacity * sizeof(PVOID));
        ExFreePoolWithTag(PspCidTable, PSP_CID_TAG);
    }
    PspCidTable = table;
    PspCidCapacity = capacity;
    return TRUE;
}

/* Returns the new id, or 0 when no memory is left. */
ULONG PspCreateCid(PVOID Object)
{
    for (;;) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        for (ULONG i = 0; i < PspCidCapacity; i++) {
            if (PspCidTable[i] == NULL) {
                PspCidTable[i] = Object;
                KeLowerIrql(old);
                return (i + 1) * 4;
            }
        }
        KeLowerIrql(old);
        if (!PspGrowCidTable()) return 0;
    }
}

VOID PspDeleteCid(ULONG Id)
{
    ULONG i = Id / 4 - 1;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (Id % 4 == 0 && Id != 0 && i < PspCidCapacity) PspCidTable[i] = NULL;
    KeLowerIrql(old);
}

PVOID PspLookupCid(ULONG Id, POBJECT_TYPE Type)
{
    ULONG i = Id / 4 - 1;
    PVOID object = NULL;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);              /* one processor: nobody frees it meanwhile */
    if (Id % 4 == 0 && Id != 0 && i < PspCidCapacity && PspCidTable[i] &&
        ObGetObjectType(PspCidTable[i]) == Type && ObGetObjectPointerCount(PspCidTable[i]) > 0) {
        object = PspCidTable[i];
        ObReferenceObject(object);
    }
    KeLowerIrql(old);
    return object;
}

NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process)
{
    *Process = PspLookupCid((ULONG)(ULONG_PTR)ProcessId, PsProcessType);
    return *Process ? STATUS_SUCCESS : STATUS_INVALID_CID;
}

NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread)
{
    *Thread = PspLookupCid((ULONG)(ULONG_PTR)ThreadId, PsThreadType);
    return *Thread ? STATUS_SUCCESS : STATUS_INVALID_CID;
}
