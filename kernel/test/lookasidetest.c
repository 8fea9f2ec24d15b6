/*
 * lookasidetest.c - self-tests of lookaside lists (kernel/ex/lookaside.c): blocks come back most
 * recently freed first, the list holds at most its depth and frees the rest to the pool, misses
 * reach the allocate and free routines, the counters say what happened, a paged list works the
 * same, and deleting a list returns every cached block so the pool's tag row is back at zero.
 */
#include "ex.h"
#include "ke.h"
#include "rtl.h"
#include "boottest.h"

#define TAG_LATS POOL_TAG('L', 'a', 'T', 's')
#define TAG_LATC POOL_TAG('L', 'a', 'T', 'c')      /* blocks of the custom-routine list */

static SIZE_T TstTagBytes(ULONG Tag)
{
    POOL_TRACKER_ENTRY e;
    ExQueryPoolTag(Tag, &e);
    return e.Pool[NonPagedPool].Bytes + e.Pool[PagedPool].Bytes;
}

static PCSTR TestLookasideReuse(void)
{
    static PVOID blocks[EX_LOOKASIDE_DEPTH + 8];
    const ULONG n = ARRAYSIZE(blocks);
    NPAGED_LOOKASIDE_LIST list;
    CHECK(TstTagBytes(TAG_LATS) == 0, "tag in use before the test");
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 200, TAG_LATS, 0);
    for (ULONG i = 0; i < n; i++) {
        blocks[i] = ExAllocateFromNPagedLookasideList(&list);
        CHECK(blocks[i] != NULL && ExQueryPoolBlockSize(blocks[i]) >= 200, "a block of the list's size");
        RtlFillMemory(blocks[i], 200, (UCHAR)i);
    }
    CHECK(list.L.TotalAllocates == n && list.L.AllocateMisses == n, "an empty list misses every allocation");
    SIZE_T held = TstTagBytes(TAG_LATS);
    for (ULONG i = 0; i < n; i++) ExFreeToNPagedLookasideList(&list, blocks[i]);
    CHECK(list.L.Depth == EX_LOOKASIDE_DEPTH && list.L.TotalFrees == n && list.L.FreeMisses == n - EX_LOOKASIDE_DEPTH,
          "the list keeps its depth and frees the rest");
    CHECK(TstTagBytes(TAG_LATS) == held / n * EX_LOOKASIDE_DEPTH, "the pool still counts the cached blocks, only them");
    /* Most recently freed first: the last EX_LOOKASIDE_DEPTH blocks freed were the first kept. */
    for (ULONG i = 0; i < EX_LOOKASIDE_DEPTH; i++) {
        PVOID p = ExAllocateFromNPagedLookasideList(&list);
        CHECK(p == blocks[EX_LOOKASIDE_DEPTH - 1 - i], "blocks come back last in, first out");
        blocks[EX_LOOKASIDE_DEPTH - 1 - i] = p;
    }
    CHECK(list.L.AllocateMisses == n && list.L.Depth == 0, "hits do not count as misses");
    for (ULONG i = 0; i < EX_LOOKASIDE_DEPTH; i++) ExFreeToNPagedLookasideList(&list, blocks[i]);
    ExDeleteNPagedLookasideList(&list);
    CHECK(list.L.Depth == 0 && list.L.ListHead.Next == NULL, "deleting empties the list");
    CHECK(TstTagBytes(TAG_LATS) == 0, "deleting returns every cached block to the pool");
    return NULL;
}

static ULONG TstAllocates, TstFrees;
static PVOID TstAllocate(POOL_TYPE Type, SIZE_T Bytes, ULONG Tag)
{
    TstAllocates++;
    return ExAllocatePoolWithTag(Type, Bytes, Tag);
}
static VOID TstFree(PVOID Buffer)
{
    TstFrees++;
    ExFreePoolWithTag(Buffer, TAG_LATC);
}

static PCSTR TestLookasideRoutines(void)
{
    PAGED_LOOKASIDE_LIST list;
    TstAllocates = TstFrees = 0;
    ExInitializePagedLookasideList(&list, TstAllocate, TstFree, 0, 1, TAG_LATC, 0);
    CHECK(list.L.Size >= sizeof(SINGLE_LIST_ENTRY), "a block holds at least the list link");
    PVOID a = ExAllocateFromPagedLookasideList(&list), b = ExAllocateFromPagedLookasideList(&list);
    CHECK(a && b && TstAllocates == 2, "misses go to the allocate routine, with the list's pool type and tag");
    ExFreeToPagedLookasideList(&list, a);
    ExFreeToPagedLookasideList(&list, b);
    CHECK(TstFrees == 0 && list.L.Depth == 2, "frees are cached, not passed to the free routine");
    CHECK(ExAllocateFromPagedLookasideList(&list) == b && TstAllocates == 2, "a hit calls nothing");
    ExFreeToPagedLookasideList(&list, b);
    ExDeletePagedLookasideList(&list);
    CHECK(TstFrees == 2 && TstTagBytes(TAG_LATC) == 0, "deleting frees each cached block through the free routine");
    return NULL;
}

SELFTEST("ex.lookaside.reuse_and_depth", TestLookasideReuse);
SELFTEST("ex.lookaside.routines", TestLookasideRoutines);
