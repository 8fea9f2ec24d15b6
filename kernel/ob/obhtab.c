/*
 * obhtab.c - the handle table itself: an array of entries indexed by handle / 4, grown by
 * doubling, with the free entries on a LIFO list so that a freed handle value is the next one
 * handed out (as on NT). It knows nothing of objects or reference counts: obhandle.c does that.
 * Callers hold the Ob lock; every change is made at DISPATCH_LEVEL, so that lookups may read the
 * table without the lock (obp.h). This file builds unchanged on the host (tests/unit/handle_test.c).
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

/* Pushes entries [First, Last) on the free list so that the lowest index comes out first. */
static VOID ObpThreadFreeEntries(PHANDLE_TABLE Table, ULONG First, ULONG Last)
{
    for (ULONG i = Last; i-- > First;) {
        Table->Table[i].Object = NULL;
        Table->Table[i].NextFreeTableEntry = Table->FirstFree;
        Table->Table[i].Attributes = 0;
        Table->FirstFree = i;
    }
}

PHANDLE_TABLE ObpAllocateHandleTable(ULONG InitialSize)
{
    if (InitialSize < HANDLE_TABLE_INITIAL_SIZE) InitialSize = HANDLE_TABLE_INITIAL_SIZE;
    if (InitialSize > HANDLE_TABLE_MAXIMUM_SIZE) return NULL;
    PHANDLE_TABLE t = ExAllocatePoolWithTag(PagedPool, sizeof(HANDLE_TABLE), OB_HANDLE_TABLE_TAG);
    if (t == NULL) return NULL;
    t->Table = ExAllocatePoolWithTag(PagedPool, InitialSize * sizeof(HANDLE_TABLE_ENTRY),
                                     OB_HANDLE_TABLE_TAG);
    if (t->Table == NULL) {
        ExFreePoolWithTag(t, OB_HANDLE_TABLE_TAG);
        return NULL;
    }
    t->TableSize = InitialSize;
    t->HandleCount = 0;
    t->FirstFree = 0;
    t->QuotaProcess = NULL;
    RtlZeroMemory(&t->Table[0], sizeof(HANDLE_TABLE_ENTRY));      /* entry 0: handle 0, never */
    ObpThreadFreeEntries(t, 1, InitialSize);
    return t;
}

VOID ObpFreeHandleTable(PHANDLE_TABLE Table)
{
    ExFreePoolWithTag(Table->Table, OB_HANDLE_TABLE_TAG);
    ExFreePoolWithTag(Table, OB_HANDLE_TABLE_TAG);
}

/* Doubles the table (at least to MinimumSize); the new entries join the free list. */
static NTSTATUS ObpGrowHandleTable(PHANDLE_TABLE Table, ULONG MinimumSize)
{
    ULONG size = Table->TableSize;
    while (size < MinimumSize || size == Table->TableSize) {
        if (size >= HANDLE_TABLE_MAXIMUM_SIZE) return STATUS_INSUFFICIENT_RESOURCES;
        size *= 2;
    }
    PHANDLE_TABLE_ENTRY entries = ExAllocatePoolWithTag(PagedPool, size * sizeof(HANDLE_TABLE_ENTRY),
                                                        OB_HANDLE_TABLE_TAG);
    if (entries == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyMemory(entries, Table->Table, Table->TableSize * sizeof(HANDLE_TABLE_ENTRY));
    PHANDLE_TABLE_ENTRY previous = Table->Table;
    ULONG old = Table->TableSize;
    KIRQL irql = ObpBeginTableUpdate();
    Table->Table = entries;
    Table->TableSize = size;
    /* New entries go behind the existing free ones, lowest first. */
    ULONG saved = Table->FirstFree;
    Table->FirstFree = 0;
    ObpThreadFreeEntries(Table, old, size);
    if (saved != 0) {
        ULONG last = saved;
        while (Table->Table[last].NextFreeTableEntry != 0) last = Table->Table[last].NextFreeTableEntry;
        Table->Table[last].NextFreeTableEntry = Table->FirstFree;
        Table->FirstFree = saved;
    }
    ObpEndTableUpdate(irql);
    ExFreePoolWithTag(previous, OB_HANDLE_TABLE_TAG);
    return STATUS_SUCCESS;
}

static VOID ObpFillEntry(PHANDLE_TABLE_ENTRY e, PVOID Object, ACCESS_MASK GrantedAccess,
                         ULONG Attributes)
{
    e->Object = Object;
    e->GrantedAccess = GrantedAccess;
    e->Attributes = Attributes & OBJ_HANDLE_ATTRIBUTES;
}

NTSTATUS ObpAllocateHandle(PHANDLE_TABLE Table, PVOID Object, ACCESS_MASK GrantedAccess,
                           ULONG Attributes, PHANDLE Handle)
{
    if (Table->FirstFree == 0) {
        NTSTATUS status = ObpGrowHandleTable(Table, Table->TableSize + 1);
        if (!NT_SUCCESS(status)) return status;
    }
    KIRQL irql = ObpBeginTableUpdate();
    ULONG i = Table->FirstFree;
    PHANDLE_TABLE_ENTRY e = &Table->Table[i];
    Table->FirstFree = e->NextFreeTableEntry;
    ObpFillEntry(e, Object, GrantedAccess, Attributes);
    Table->HandleCount++;
    ObpEndTableUpdate(irql);
    *Handle = INDEX_TO_HANDLE(i);
    return STATUS_SUCCESS;
}

/* Takes entry Index off the free list (it must be free). */
static VOID ObpUnlinkFreeEntry(PHANDLE_TABLE Table, ULONG Index)
{
    if (Table->FirstFree == Index) {
        Table->FirstFree = Table->Table[Index].NextFreeTableEntry;
        return;
    }
    for (ULONG i = Table->FirstFree; i != 0; i = Table->Table[i].NextFreeTableEntry) {
        if (Table->Table[i].NextFreeTableEntry == Index) {
            Table->Table[i].NextFreeTableEntry = Table->Table[Index].NextFreeTableEntry;
            return;
        }
    }
}

NTSTATUS ObpAllocateHandleAt(PHANDLE_TABLE Table, HANDLE Handle, PVOID Object,
                             ACCESS_MASK GrantedAccess, ULONG Attributes)
{
    ULONG i = HANDLE_TO_INDEX(Handle);
    if (i == 0) return STATUS_INVALID_HANDLE;
    if (i >= Table->TableSize) {
        NTSTATUS status = ObpGrowHandleTable(Table, i + 1);
        if (!NT_SUCCESS(status)) return status;
    }
    PHANDLE_TABLE_ENTRY e = &Table->Table[i];
    if (e->Object != NULL) return STATUS_INVALID_HANDLE;         /* already in use */
    KIRQL irql = ObpBeginTableUpdate();
    ObpUnlinkFreeEntry(Table, i);
    ObpFillEntry(e, Object, GrantedAccess, Attributes);
    Table->HandleCount++;
    ObpEndTableUpdate(irql);
    return STATUS_SUCCESS;
}

PHANDLE_TABLE_ENTRY ObpLookupHandle(PHANDLE_TABLE Table, HANDLE Handle)
{
    ULONG i = HANDLE_TO_INDEX(Handle);
    if (i == 0 || i >= Table->TableSize) return NULL;
    PHANDLE_TABLE_ENTRY e = &Table->Table[i];
    return e->Object != NULL ? e : NULL;
}

VOID ObpFreeHandle(PHANDLE_TABLE Table, HANDLE Handle)
{
    ULONG i = HANDLE_TO_INDEX(Handle);
    KIRQL irql = ObpBeginTableUpdate();
    PHANDLE_TABLE_ENTRY e = &Table->Table[i];
    e->Object = NULL;
    e->Attributes = 0;
    e->NextFreeTableEntry = Table->FirstFree;
    Table->FirstFree = i;
    Table->HandleCount--;
    ObpEndTableUpdate(irql);
}
