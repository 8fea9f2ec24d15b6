/*
 * pool.c - the executive pool: ExAllocatePoolWithTag / ExFreePoolWithTag for NonPagedPool and
 * PagedPool, per-tag tracking (what poolmon shows) and the checks that turn a corrupted header,
 * a double free or a free of a bad pointer into a bug check instead of silent damage.
 *
 * Each pool owns a range of kernel address space whose pages are mapped on demand.
 *  - Small blocks (header + body <= one page) come from pages carved into blocks of a single
 *    size class. An 8-byte POOL_HEADER sits just before the caller's memory; free blocks of a
 *    class are on a singly-linked list whose link lives in the free block's body.
 *  - Larger requests take whole pages, page aligned, without a header: the pool's page table
 *    (one POOL_PAGE per page of its range) remembers their tag and length.
 * Because every page knows what it holds, a free can check that a pointer is exactly the start
 * of a block of that page before trusting the header in front of it.
 *
 * The paged pool is backed by nonpaged memory for now; it has its own range and accounting, so
 * making it pageable later changes only how its pages are backed. Both pools are protected by
 * raising IRQL to DISPATCH_LEVEL: the machine has one processor and no pool code may block.
 * This file builds for the kernel and for the host unit tests (tests/unit/pool_test.c).
 */
#include "ntdef.h"
#include "ntstatus.h"
#include "ke.h"
#include "mm.h"
#include "ex.h"

#define POOL_GRANULARITY   8
#define POOL_MAX_PAGES     (MM_POOL_BYTES / PAGE_SIZE)
#define POOL_SMALL_MAX     (PAGE_SIZE - sizeof(POOL_HEADER))   /* largest body in a small block */
#define POOL_TRACK_SIZE    512                                  /* tag table slots, power of 2 */
#define POOL_TAG_NONE      POOL_TAG('N', 'o', 'n', 'e')
#define POOL_TAG_OVERFLOW  POOL_TAG('O', 'v', 'f', 'l')

typedef struct _POOL_HEADER {
    USHORT BlockSize;      /* header + body, in POOL_GRANULARITY units */
    UCHAR PoolType;        /* base pool type + 1 while allocated, 0 while free */
    UCHAR Check;           /* ties BlockSize and PoolType together: a stomp rarely keeps it */
    ULONG PoolTag;         /* owner; kept after free to show who last held the block */
} POOL_HEADER, *PPOOL_HEADER;
C_ASSERT(sizeof(POOL_HEADER) == POOL_GRANULARITY);

enum { POOL_PAGE_UNUSED = 0, POOL_PAGE_SMALL, POOL_PAGE_BIG, POOL_PAGE_BIG_TAIL };

typedef struct _POOL_PAGE {
    UCHAR Kind;            /* POOL_PAGE_* */
    UCHAR Class;           /* size class of a small page */
    USHORT Reserved;
    ULONG Pages;           /* length of a big allocation, on its first page */
    ULONG Tag;             /* owner of a big allocation */
} POOL_PAGE;

/* Block sizes (header included) of the small size classes; each divides a page with little
 * waste. */
static const USHORT ExpClassBytes[] = {
    16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 680, 1024, 1360, 2048, 4096,
};
#define POOL_CLASS_COUNT ((ULONG)ARRAYSIZE(ExpClassBytes))

typedef struct _POOL_DESCRIPTOR {
    ULONG_PTR Base;
    ULONG TotalPages;
    ULONG NextPage;                       /* next-fit hint: freed ranges are not reused at once */
    ULONG PagesInUse;
    ULONG Allocs, Frees;
    SIZE_T BytesInUse;
    PPOOL_HEADER FreeList[POOL_CLASS_COUNT];
    POOL_PAGE Page[POOL_MAX_PAGES];
} POOL_DESCRIPTOR, *PPOOL_DESCRIPTOR;

static POOL_DESCRIPTOR ExpPool[POOL_TYPE_COUNT];

/* Size in granules (header included) -> class; and the expected first word of a header. */
static UCHAR ExpGranulesToClass[PAGE_SIZE / POOL_GRANULARITY + 1];
static ULONG ExpHeaderWord[POOL_TYPE_COUNT + 1][POOL_CLASS_COUNT];

static POOL_TRACKER_ENTRY ExpTrackTable[POOL_TRACK_SIZE];
static BOOLEAN ExpTrackUsed[POOL_TRACK_SIZE];
static POOL_TRACKER_ENTRY ExpTrackOverflow;

static ULONG ExpMakeHeaderWord(ULONG Granules, ULONG PoolType)
{
    ULONG check = (Granules ^ (Granules >> 8) ^ (PoolType << 4) ^ 0xA5u) & 0xFFu;
    return Granules | (PoolType << 16) | (check << 24);
}

static inline ULONG ExpHeaderWordOf(const POOL_HEADER *h)
{
    return (ULONG)h->BlockSize | ((ULONG)h->PoolType << 16) | ((ULONG)h->Check << 24);
}

static inline void ExpSetHeaderWord(PPOOL_HEADER h, ULONG Word)
{
    h->BlockSize = (USHORT)Word;
    h->PoolType = (UCHAR)(Word >> 16);
    h->Check = (UCHAR)(Word >> 24);
}

static inline PPOOL_HEADER *ExpFreeLink(PPOOL_HEADER h) { return (PPOOL_HEADER *)(h + 1); }

/* ---------------------------------------------------------------------------------------------
 * Tag tracking
 */
VOID ExInitializePoolTracking(VOID)
{
    for (ULONG i = 0; i < POOL_TRACK_SIZE; i++) {
        ExpTrackUsed[i] = FALSE;
        ExpTrackTable[i] = (POOL_TRACKER_ENTRY){0};
    }
    ExpTrackOverflow = (POOL_TRACKER_ENTRY){0};
    ExpTrackOverflow.Tag = POOL_TAG_OVERFLOW;
}

/* Finds the tag's row, creating it on first use. When the table is full the tag is counted in
 * the 'Ovfl' row, so totals stay right even if one tag's detail is lost. */
static PPOOL_TRACKER_ENTRY ExpTracker(ULONG Tag)
{
    ULONG i = (Tag * 0x9E3779B1u) >> 23;
    for (ULONG probes = 0; probes < POOL_TRACK_SIZE; probes++) {
        if (ExpTrackUsed[i]) {
            if (ExpTrackTable[i].Tag == Tag) return &ExpTrackTable[i];
        } else {
            ExpTrackUsed[i] = TRUE;
            ExpTrackTable[i].Tag = Tag;
            return &ExpTrackTable[i];
        }
        i = (i + 1) & (POOL_TRACK_SIZE - 1);
    }
    return &ExpTrackOverflow;
}

BOOLEAN ExQueryPoolTag(ULONG Tag, PPOOL_TRACKER_ENTRY Entry)
{
    ULONG i = (Tag * 0x9E3779B1u) >> 23;
    for (ULONG probes = 0; probes < POOL_TRACK_SIZE && ExpTrackUsed[i]; probes++) {
        if (ExpTrackTable[i].Tag == Tag) { *Entry = ExpTrackTable[i]; return TRUE; }
        i = (i + 1) & (POOL_TRACK_SIZE - 1);
    }
    *Entry = (POOL_TRACKER_ENTRY){ .Tag = Tag };
    return FALSE;
}

ULONG ExEnumeratePoolTags(PPOOL_TRACKER_ENTRY Entries, ULONG MaxEntries)
{
    ULONG n = 0;
    for (ULONG i = 0; i < POOL_TRACK_SIZE && n < MaxEntries; i++)
        if (ExpTrackUsed[i]) Entries[n++] = ExpTrackTable[i];
    if (n < MaxEntries && (ExpTrackOverflow.Pool[0].Allocs || ExpTrackOverflow.Pool[1].Allocs))
        Entries[n++] = ExpTrackOverflow;
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * Pool descriptors and address space
 */
VOID ExInitializePoolDescriptor(POOL_TYPE PoolType, PVOID Base, ULONG Pages)
{
    PPOOL_DESCRIPTOR d = &ExpPool[POOL_BASE_TYPE(PoolType)];

    for (ULONG g = 0, c = 0; g <= PAGE_SIZE / POOL_GRANULARITY; g++) {
        while (ExpClassBytes[c] < g * POOL_GRANULARITY) c++;
        ExpGranulesToClass[g] = (UCHAR)c;
    }
    for (ULONG t = 0; t <= POOL_TYPE_COUNT; t++)
        for (ULONG c = 0; c < POOL_CLASS_COUNT; c++)
            ExpHeaderWord[t][c] = ExpMakeHeaderWord(ExpClassBytes[c] / POOL_GRANULARITY, t);

    d->Base = (ULONG_PTR)Base;
    d->TotalPages = Pages < POOL_MAX_PAGES ? Pages : POOL_MAX_PAGES;
    d->NextPage = 0;
    d->PagesInUse = 0;
    d->Allocs = d->Frees = 0;
    d->BytesInUse = 0;
    for (ULONG c = 0; c < POOL_CLASS_COUNT; c++) d->FreeList[c] = NULL;
    for (ULONG i = 0; i < POOL_MAX_PAGES; i++) d->Page[i] = (POOL_PAGE){0};
}

VOID ExQueryPoolUsage(POOL_TYPE PoolType, POOL_USAGE *Usage)
{
    PPOOL_DESCRIPTOR d = &ExpPool[POOL_BASE_TYPE(PoolType)];
    Usage->PagesInUse = d->PagesInUse;
    Usage->BytesInUse = d->BytesInUse;
    Usage->Allocs = d->Allocs;
    Usage->Frees = d->Frees;
}

/* Returns the first page of a run of Count unused pages, searching from the next-fit hint so that
 * a freed range is reused as late as possible (a stale pointer then faults or fails the checks
 * rather than hitting a new owner). Returns TotalPages when the range is exhausted. */
static ULONG ExpFindPageRun(PPOOL_DESCRIPTOR d, ULONG Count)
{
    ULONG run = 0, start = d->NextPage;
    for (ULONG scanned = 0; scanned < d->TotalPages + Count; scanned++) {
        ULONG i = (start + scanned) % d->TotalPages;
        if (i == 0) run = 0;                 /* a run cannot wrap around the end */
        if (d->Page[i].Kind != POOL_PAGE_UNUSED) { run = 0; continue; }
        if (++run == Count) {
            ULONG first = i + 1 - Count;
            d->NextPage = (i + 1) % d->TotalPages;
            return first;
        }
    }
    return d->TotalPages;
}

static PVOID ExpPageVa(PPOOL_DESCRIPTOR d, ULONG Index)
{
    return (PVOID)(d->Base + ((ULONG_PTR)Index << PAGE_SHIFT));
}

/* Maps a new page for size class Class and threads its blocks onto the class's free list. */
static PPOOL_HEADER ExpGrowClass(PPOOL_DESCRIPTOR d, ULONG BaseType, ULONG Class)
{
    ULONG index = ExpFindPageRun(d, 1);
    if (index >= d->TotalPages) return NULL;
    PCHAR page = ExpPageVa(d, index);
    if (!MiPoolMapPages(page, 1)) return NULL;

    d->Page[index] = (POOL_PAGE){ .Kind = POOL_PAGE_SMALL, .Class = (UCHAR)Class };
    d->PagesInUse++;

    ULONG bytes = ExpClassBytes[Class];
    PPOOL_HEADER next = NULL;
    for (LONG off = (LONG)((PAGE_SIZE / bytes - 1) * bytes); off >= 0; off -= (LONG)bytes) {
        PPOOL_HEADER h = (PPOOL_HEADER)(page + off);
        ExpSetHeaderWord(h, ExpHeaderWord[0][Class]);
        h->PoolTag = 0;
        *ExpFreeLink(h) = next;
        next = h;
    }
    UNREFERENCED_PARAMETER(BaseType);
    return next;
}

/* ---------------------------------------------------------------------------------------------
 * IRQL rules and locking
 */
static inline KIRQL ExpLockPool(ULONG BaseType, ULONG Code, ULONG_PTR P2, ULONG_PTR P4)
{
    KIRQL irql = KeGetCurrentIrql();
    if (irql > (BaseType == PagedPool ? APC_LEVEL : DISPATCH_LEVEL))
        KeBugCheckEx(BAD_POOL_CALLER, Code, irql, P2, P4);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    return old;
}

/* ---------------------------------------------------------------------------------------------
 * Allocation
 */
static PVOID ExpAllocatePages(PPOOL_DESCRIPTOR d, ULONG BaseType, SIZE_T Bytes, ULONG Tag)
{
    ULONG pages = (ULONG)BYTES_TO_PAGES(Bytes);
    ULONG index = ExpFindPageRun(d, pages);
    if (index >= d->TotalPages) return NULL;
    PVOID va = ExpPageVa(d, index);
    if (!MiPoolMapPages(va, pages)) return NULL;

    d->Page[index] = (POOL_PAGE){ .Kind = POOL_PAGE_BIG, .Pages = pages, .Tag = Tag };
    for (ULONG i = 1; i < pages; i++) d->Page[index + i] = (POOL_PAGE){ .Kind = POOL_PAGE_BIG_TAIL };
    d->PagesInUse += pages;
    d->Allocs++;
    d->BytesInUse += (SIZE_T)pages << PAGE_SHIFT;
    PPOOL_TRACKER_ENTRY t = ExpTracker(Tag);
    t->Pool[BaseType].Allocs++;
    t->Pool[BaseType].Bytes += (SIZE_T)pages << PAGE_SHIFT;
    return va;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    ULONG base = POOL_BASE_TYPE(PoolType);
    PPOOL_DESCRIPTOR d = &ExpPool[base];
    KIRQL old = ExpLockPool(base, 0x08, PoolType, NumberOfBytes);
    PVOID result;

    /* Cache-aligned requests take whole pages: page alignment is cache-line alignment. */
    if (NumberOfBytes > POOL_SMALL_MAX || (PoolType & NonPagedPoolCacheAligned)) {
        result = NumberOfBytes < ((SIZE_T)d->TotalPages << PAGE_SHIFT)
                     ? ExpAllocatePages(d, base, NumberOfBytes ? NumberOfBytes : 1, Tag) : NULL;
    } else {
        ULONG cls = ExpGranulesToClass[(NumberOfBytes + sizeof(POOL_HEADER) + POOL_GRANULARITY - 1)
                                       / POOL_GRANULARITY];
        PPOOL_HEADER h = d->FreeList[cls];
        if (h == NULL) h = ExpGrowClass(d, base, cls);
        if (h == NULL) {
            result = NULL;
        } else {
            /* The head must look like a free block of this class inside this pool, or the list
             * (or a freed block's body) has been overwritten. */
            if ((ULONG_PTR)h - d->Base >= ((ULONG_PTR)d->TotalPages << PAGE_SHIFT) ||
                ExpHeaderWordOf(h) != ExpHeaderWord[0][cls])
                KeBugCheckEx(BAD_POOL_HEADER, 3, (ULONG_PTR)h, (ULONG_PTR)d->FreeList[cls], cls);
            d->FreeList[cls] = *ExpFreeLink(h);
            ExpSetHeaderWord(h, ExpHeaderWord[base + 1][cls]);
            h->PoolTag = Tag;
            d->Allocs++;
            d->BytesInUse += ExpClassBytes[cls];
            PPOOL_TRACKER_ENTRY t = ExpTracker(Tag);
            t->Pool[base].Allocs++;
            t->Pool[base].Bytes += ExpClassBytes[cls];
            result = h + 1;
        }
    }
    KeLowerIrql(old);

    if (result == NULL && (PoolType & NonPagedPoolMustSucceed))
        KeBugCheckEx(MUST_SUCCEED_POOL_EMPTY, NumberOfBytes, d->PagesInUse, d->TotalPages, 0);
    return result;
}

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, POOL_TAG_NONE);
}

/* ---------------------------------------------------------------------------------------------
 * Free
 */

/* Which pool holds Va, or -1. */
static inline LONG ExpPoolOf(ULONG_PTR Va)
{
    for (ULONG t = 0; t < POOL_TYPE_COUNT; t++)
        if (Va - ExpPool[t].Base < ((ULONG_PTR)ExpPool[t].TotalPages << PAGE_SHIFT)) return (LONG)t;
    return -1;
}

__attribute__((noreturn)) static void ExpBadAddress(ULONG_PTR Va, ULONG BaseType, ULONG Kind)
{
    if (Kind == POOL_PAGE_UNUSED)   /* never allocated, or already freed */
        KeBugCheckEx(BAD_POOL_CALLER, BaseType == PagedPool ? 0x48 : 0x41, Va, 0, 0);
    KeBugCheckEx(BAD_POOL_CALLER, 0x46, Va, 0, 0);   /* inside an allocation, not its start */
}

static void ExpFreePages(PPOOL_DESCRIPTOR d, ULONG BaseType, ULONG Index, ULONG Tag)
{
    POOL_PAGE *p = &d->Page[Index];
    ULONG_PTR va = (ULONG_PTR)ExpPageVa(d, Index);
    if (p->Kind != POOL_PAGE_BIG) ExpBadAddress(va, BaseType, p->Kind);
    if (Tag != 0 && Tag != p->Tag) KeBugCheckEx(BAD_POOL_CALLER, 0x0A, va, p->Tag, Tag);

    ULONG pages = p->Pages;
    PPOOL_TRACKER_ENTRY t = ExpTracker(p->Tag);
    t->Pool[BaseType].Frees++;
    t->Pool[BaseType].Bytes -= (SIZE_T)pages << PAGE_SHIFT;
    for (ULONG i = 0; i < pages; i++) d->Page[Index + i] = (POOL_PAGE){0};
    d->PagesInUse -= pages;
    d->Frees++;
    d->BytesInUse -= (SIZE_T)pages << PAGE_SHIFT;
    MiPoolUnmapPages((PVOID)va, pages);
}

/* The block after h in the same page must carry a well-formed header for the page's class
 * (free or allocated); otherwise h's owner probably wrote past its end. */
static inline void ExpCheckNextBlock(PPOOL_HEADER h, ULONG Class, ULONG Bytes)
{
    ULONG_PTR next = (ULONG_PTR)h + Bytes;
    if ((next & (PAGE_SIZE - 1)) + Bytes > PAGE_SIZE || (next & (PAGE_SIZE - 1)) == 0) return;
    ULONG word = ExpHeaderWordOf((PPOOL_HEADER)next);
    if (word != ExpHeaderWord[0][Class] && word != ExpHeaderWord[1][Class] &&
        word != ExpHeaderWord[2][Class])
        KeBugCheckEx(BAD_POOL_HEADER, 5, (ULONG_PTR)h, 0, next);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    ULONG_PTR va = (ULONG_PTR)P;
    LONG pool = ExpPoolOf(va);
    if (pool < 0) {
        if (va < 0x80000000u) KeBugCheckEx(BAD_POOL_CALLER, 0x40, va, 0x80000000u, 0);
        KeBugCheckEx(BAD_POOL_CALLER, 0x42, va, 0, 0);
    }
    ULONG base = (ULONG)pool;
    PPOOL_DESCRIPTOR d = &ExpPool[base];
    KIRQL old = ExpLockPool(base, 0x09, base, va);
    ULONG index = (ULONG)((va - d->Base) >> PAGE_SHIFT);

    if ((va & (PAGE_SIZE - 1)) == 0) {
        ExpFreePages(d, base, index, Tag);
        KeLowerIrql(old);
        return;
    }

    POOL_PAGE *page = &d->Page[index];
    if (page->Kind != POOL_PAGE_SMALL) ExpBadAddress(va, base, page->Kind);
    ULONG cls = page->Class, bytes = ExpClassBytes[cls];
    PPOOL_HEADER h = (PPOOL_HEADER)P - 1;
    if (((ULONG_PTR)h & (PAGE_SIZE - 1)) % bytes != 0) KeBugCheckEx(BAD_POOL_CALLER, 0x46, va, 0, 0);

    ULONG word = ExpHeaderWordOf(h);
    if (word != ExpHeaderWord[base + 1][cls]) {
        if (word == ExpHeaderWord[0][cls])
            KeBugCheckEx(BAD_POOL_CALLER, 7, 0, word, va);          /* already freed */
        KeBugCheckEx(BAD_POOL_HEADER, 0x20, (ULONG_PTR)h, word, ExpHeaderWord[base + 1][cls]);
    }
    if (Tag != 0 && Tag != h->PoolTag) KeBugCheckEx(BAD_POOL_CALLER, 0x0A, va, h->PoolTag, Tag);
    ExpCheckNextBlock(h, cls, bytes);

    PPOOL_TRACKER_ENTRY t = ExpTracker(h->PoolTag);
    t->Pool[base].Frees++;
    t->Pool[base].Bytes -= bytes;
    d->Frees++;
    d->BytesInUse -= bytes;
    ExpSetHeaderWord(h, ExpHeaderWord[0][cls]);
    *ExpFreeLink(h) = d->FreeList[cls];
    d->FreeList[cls] = h;
    KeLowerIrql(old);
}

VOID ExFreePool(PVOID P)
{
    ExFreePoolWithTag(P, 0);
}

SIZE_T ExQueryPoolBlockSize(PVOID P)
{
    ULONG_PTR va = (ULONG_PTR)P;
    LONG pool = ExpPoolOf(va);
    if (pool < 0) return 0;
    POOL_PAGE *page = &ExpPool[pool].Page[(va - ExpPool[pool].Base) >> PAGE_SHIFT];
    if (page->Kind == POOL_PAGE_BIG && (va & (PAGE_SIZE - 1)) == 0)
        return (SIZE_T)page->Pages << PAGE_SHIFT;
    if (page->Kind == POOL_PAGE_SMALL) return ExpClassBytes[page->Class] - sizeof(POOL_HEADER);
    return 0;
}
