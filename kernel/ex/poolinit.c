/*
 * poolinit.c - the kernel's set-up of the two pools over their address ranges (mm.h), and a
 * poolmon-style dump of the per-tag table. The allocator itself is pool.c.
 */
#include "ex.h"
#include "mm.h"
#include "kd.h"

VOID ExInitializePool(VOID)
{
    ExInitializePoolTracking();
    ExInitializePoolDescriptor(NonPagedPool, (PVOID)MM_NONPAGED_POOL_START, MM_POOL_BYTES / PAGE_SIZE);
    ExInitializePoolDescriptor(PagedPool, (PVOID)MM_PAGED_POOL_START, MM_POOL_BYTES / PAGE_SIZE);
}

static void ExpTagText(ULONG Tag, char Out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)(Tag >> (8 * i));
        Out[i] = (c >= 0x20 && c < 0x7F) ? c : '.';
    }
    Out[4] = 0;
}

VOID ExDumpPoolTags(VOID)
{
    static POOL_TRACKER_ENTRY rows[128];
    ULONG n = ExEnumeratePoolTags(rows, ARRAYSIZE(rows));
    DbgPrint(" Tag  Type     Allocs      Frees       Diff      Bytes\n");
    for (ULONG i = 0; i < n; i++) {
        char tag[5];
        ExpTagText(rows[i].Tag, tag);
        for (ULONG t = 0; t < POOL_TYPE_COUNT; t++) {
            if (rows[i].Pool[t].Allocs == 0) continue;
            DbgPrint(" %s %-6s %10lu %10lu %10ld %10lu\n", tag, t ? "Paged" : "Nonp",
                     (unsigned long)rows[i].Pool[t].Allocs, (unsigned long)rows[i].Pool[t].Frees,
                     (long)(rows[i].Pool[t].Allocs - rows[i].Pool[t].Frees),
                     (unsigned long)rows[i].Pool[t].Bytes);
        }
    }
}
