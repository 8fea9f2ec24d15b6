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
    union {
        struct {
            USHORT BlockSize;  /* header + body, in POOL_GRANULARITY units */
            UCHAR PoolType;    /* base pool type + 1 while allocated, 0 while free */
            UCHAR Check;       /* ties BlockSize and PoolType together: a stomp rarely keeps it */
        };
        ULONG Word;            /* the three above, compared and written in one access */
    };
    ULONG PoolTag;             /* owner; kept after free to show who last held the block */
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
static const ULONG ExpClassBytes[] = {
    16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 680, 1024, 1360, 2048, 4096,
};
#define POOL_CLASS_COUNT ((ULONG)ARRAYSIZE(ExpClassBytes))

typedef struct _POOL_DESCRIPTOR {
    ULONG_PTR Base;
    ULONG_PTR Limit;                      /* bytes of address space: TotalPages << PAGE_SHIFT */
    ULONG TotalPages;
    ULONG NextPage;                       /* next-fit hint: freed ranges are not reused at once */
    ULONG PagesInUse;
    ULONG BaseType;
    PPOOL_HEADER FreeList[POOL_CLASS_COUNT];
    ULONG BusyWord[POOL_CLASS_COUNT];     /* header word of an allocated block of this pool */
    POOL_PAGE *Page;                      /* one per page of the range */
} POOL_DESCRIPTOR, *PPOOL_DESCRIPTOR;

static POOL_DESCRIPTOR ExpPool[POOL_TYPE_COUNT];
static POOL_PAGE ExpPoolPages[POOL_TYPE_COUNT][POOL_MAX_PAGES];

/* Size in granules (header included) -> class; and the header word of a free block. */
static UCHAR ExpGranulesToClass[PAGE_SIZE / POOL_GRANULARITY + 1];
static ULONG ExpFreeWord[POOL_CLASS_COUNT];

typedef struct _POOL_TRACK_SLOT {
    POOL_TRACKER_ENTRY Entry;
    BOOLEAN Used;
} POOL_TRACK_SLOT;

static POOL_TRACK_SLOT ExpTrackTable[POOL_TRACK_SIZE];
static POOL_TRACKER_ENTRY ExpTrackOverflow;

static ULONG ExpMakeHeaderWord(ULONG Granules, ULONG PoolType)
{
    ULONG check = (Granules ^ (Granules >> 8) ^ (PoolType << 4) ^ 0xA5u) & 0xFFu;
    return Granules | (PoolType << 16) | (check << 24);
}

static inline PPOOL_HEADER *ExpFreeLink(PPOOL_HEADER h) { return (PPOOL_HEADER *)(h + 1); }

/* ---------------------------------------------------------------------------------------------
 * Tag tracking
 */
VOID ExInitializePoolTracking(VOID)
{
    for (ULONG i = 0; i < POOL_TRACK_SIZE; i++) ExpTrackTable[i] = (POOL_TRACK_SLOT){0};
    ExpTrackOverflow = (POOL_TRACKER_ENTRY){0};
    ExpTrackOverflow.Tag = POOL_TAG_OVERFLOW;
}

/* Finds the tag's row, creating it on first use. When the table is full the tag is counted in
 * the 'Ovfl' row, so totals stay right even if one tag's detail is lost. */
static PPOOL_TRACKER_ENTRY ExpTrackerSlow(ULONG Tag, ULONG i)
{
    for (ULONG probes = 0; probes < POOL_TRACK_SIZE; probes++) {
        POOL_TRACK_SLOT *s = &ExpTrackTable[i];
        if (!s->Used) {
            s->Used = TRUE;
            s->Entry.Tag = Tag;
            return &s->Entry;
        }
        if (s->Entry.Tag == Tag) return &s->Entry;
        i = (i + 1) & (POOL_TRACK_SIZE - 1);
    }
    return &ExpTrackOverflow;
}

static inline PPOOL_TRACKER_ENTRY ExpTracker(ULONG Tag)
{
    ULONG i = (Tag * 0x9E3779B1u) >> 23;
    POOL_TRACK_SLOT *s = &ExpTrackTable[i];
    if (__builtin_expect(s->Entry.Tag == Tag && s->Used, 1)) return &s->Entry;
    return ExpTrackerSlow(Tag, i);
}

BOOLEAN ExQueryPoolTag(ULONG Tag, PPOOL_TRACKER_ENTRY Entry)
{
    ULONG i = (Tag * 0x9E3779B1u) >> 23;
    for (ULONG probes = 0; probes < POOL_TRACK_SIZE && ExpTrackTable[i].Used; probes++) {
        if (ExpTrackTable[i].Entry.Tag == Tag) { *Entry = ExpTrackTable[i].Entry; return TRUE; }
        i = (i + 1) & (POOL_TRACK_SIZE - 1);
    }
    *Entry = (POOL_TRACKER_ENTRY){ .Tag = Tag };
    return FALSE;
}

ULONG ExEnumeratePoolTags(PPOOL_TRACKER_ENTRY Entries, ULONG MaxEntries)
{
    ULONG n = 0;
    for (ULONG i = 0; i < POOL_TRACK_SIZE && n < MaxEntries; i++)
        if (ExpTrackTable[i].Used) Entries[n++] = ExpTrackTable[i].Entry;
    if (n < MaxEntries && (ExpTrackOverflow.Pool[0].Allocs || ExpTrackOverflow.Pool[1].Allocs))
        Entries[n++] = ExpTrackOverflow;
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * Pool descriptors and address space
 */
VOID ExInitializePoolDescriptor(POOL_TYPE PoolType, PVOID Base, ULONG Pages)
{
    ULONG base = POOL_BASE_TYPE(PoolType);
    PPOOL_DESCRIPTOR d = &ExpPool[base];

    for (ULONG g = 0, c = 0; g <= PAGE_SIZE / POOL_GRANULARITY; g++) {
        while (ExpClassBytes[c] < g * POOL_GRANULARITY) c++;
        ExpGranulesToClass[g] = (UCHAR)c;
    }
    for (ULONG c = 0; c < POOL_CLASS_COUNT; c++) {
        ExpFreeWord[c] = ExpMakeHeaderWord(ExpClassBytes[c] / POOL_GRANULARITY, 0);
        d->BusyWord[c] = ExpMakeHeaderWord(ExpClassBytes[c] / POOL_GRANULARITY, base + 1);
        d->FreeList[c] = NULL;
    }
    d->Base = (ULONG_PTR)Base;
    d->TotalPages = Pages < POOL_MAX_PAGES ? Pages : POOL_MAX_PAGES;
    d->Limit = (ULONG_PTR)d->TotalPages << PAGE_SHIFT;
    d->NextPage = 0;
    d->PagesInUse = 0;
    d->BaseType = base;
    d->Page = ExpPoolPages[base];
    for (ULONG i = 0; i < POOL_MAX_PAGES; i++) d->Page[i] = (POOL_PAGE){0};
}

/* Totals come from the tag table, which every allocation and free already updates. */
VOID ExQueryPoolUsage(POOL_TYPE PoolType, POOL_USAGE *Usage)
{
    ULONG base = POOL_BASE_TYPE(PoolType);
    *Usage = (POOL_USAGE){ .PagesInUse = ExpPool[base].PagesInUse };
    for (ULONG i = 0; i <= POOL_TRACK_SIZE; i++) {
        PPOOL_TRACKER_ENTRY e = i < POOL_TRACK_SIZE ? &ExpTrackTable[i].Entry : &ExpTrackOverflow;
        Usage->BytesInUse += e->Pool[base].Bytes;
        Usage->Allocs += e->Pool[base].Allocs;
        Usage->Frees += e->Pool[base].Frees;
    }
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
static PPOOL_HEADER ExpGrowClass(PPOOL_DESCRIPTOR d, ULONG Class)
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
        h->Word = ExpFreeWord[Class];
        h->PoolTag = 0;
        *ExpFreeLink(h) = next;
        next = h;
    }
    return next;
}

/* ---------------------------------------------------------------------------------------------
 * IRQL rules and locking
 */
/* Paged pool may be used up to APC_LEVEL, nonpaged pool up to DISPATCH_LEVEL; Code is
 * BAD_POOL_CALLER's parameter 1 for a caller that breaks the rule (8: allocate, 9: free). */
static inline KIRQL ExpLockPool(ULONG BaseType, ULONG Code, ULONG_PTR P3, ULONG_PTR P4)
{
    KIRQL irql = KeGetCurrentIrql();
    if (__builtin_expect(irql > DISPATCH_LEVEL - BaseType, 0))
        KeBugCheckEx(BAD_POOL_CALLER, Code, irql, P3, P4);
    return KeRaiseIrqlToDpcLevel();
}

/* A small block's header is at a block boundary of its page: offset a multiple of the class size
 * with the whole block inside the page. */
static inline BOOLEAN ExpIsBlockStart(ULONG_PTR HeaderVa, ULONG Bytes)
{
    ULONG off = (ULONG)(HeaderVa & (PAGE_SIZE - 1));
    return off % Bytes == 0 && off + Bytes <= PAGE_SIZE;
}

/* Is p the header of a free block of class Class in this pool? Used on every free-list link
 * before it is trusted: a use-after-free write into a freed block's body lands here. */
static inline BOOLEAN ExpIsFreeBlock(PPOOL_DESCRIPTOR d, PPOOL_HEADER p, ULONG Class)
{
    ULONG_PTR off = (ULONG_PTR)p - d->Base;
    if (off >= d->Limit) return FALSE;
    POOL_PAGE *page = &d->Page[off >> PAGE_SHIFT];
    return page->Kind == POOL_PAGE_SMALL && page->Class == Class &&
           ExpIsBlockStart((ULONG_PTR)p, ExpClassBytes[Class]) && p->Word == ExpFreeWord[Class];
}

/* ---------------------------------------------------------------------------------------------
 * Allocation
 */
static PVOID ExpAllocatePages(PPOOL_DESCRIPTOR d, SIZE_T Bytes, ULONG Tag)
{
    ULONG pages = (ULONG)BYTES_TO_PAGES(Bytes);
    ULONG index = ExpFindPageRun(d, pages);
    if (index >= d->TotalPages) return NULL;
    PVOID va = ExpPageVa(d, index);
    if (!MiPoolMapPages(va, pages)) return NULL;

    d->Page[index] = (POOL_PAGE){ .Kind = POOL_PAGE_BIG, .Pages = pages, .Tag = Tag };
    for (ULONG i = 1; i < pages; i++) d->Page[index + i] = (POOL_PAGE){ .Kind = POOL_PAGE_BIG_TAIL };
    d->PagesInUse += pages;
    PPOOL_TRACKER_ENTRY t = ExpTracker(Tag);
    t->Pool[d->BaseType].Allocs++;
    t->Pool[d->BaseType].Bytes += (SIZE_T)pages << PAGE_SHIFT;
    return va;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    ULONG base = POOL_BASE_TYPE(PoolType);
    PPOOL_DESCRIPTOR d = &ExpPool[base];
    KIRQL old = ExpLockPool(base, 0x08, PoolType, NumberOfBytes);
    PVOID result = NULL;

    /* Cache-aligned requests take whole pages: page alignment is cache-line alignment. */
    if (__builtin_expect(NumberOfBytes > POOL_SMALL_MAX || (PoolType & NonPagedPoolCacheAligned), 0)) {
        if (NumberOfBytes < d->Limit) result = ExpAllocatePages(d, NumberOfBytes ? NumberOfBytes : 1, Tag);
    } else {
        ULONG cls = ExpGranulesToClass[(NumberOfBytes + sizeof(POOL_HEADER) + POOL_GRANULARITY - 1)
                                       / POOL_GRANULARITY];
        PPOOL_HEADER h = d->FreeList[cls];
        if (__builtin_expect(h == NULL, 0)) h = ExpGrowClass(d, cls);
        if (h != NULL) {
            /* The head and the link it holds must both be free blocks of this class in this
             * pool, or the list (or a freed block's body) has been overwritten. */
            PPOOL_HEADER next = *ExpFreeLink(h);
            if (__builtin_expect(h->Word != ExpFreeWord[cls], 0))
                KeBugCheckEx(BAD_POOL_HEADER, 3, (ULONG_PTR)h, 0, cls);
            if (__builtin_expect(next != NULL && !ExpIsFreeBlock(d, next, cls), 0))
                KeBugCheckEx(BAD_POOL_HEADER, 3, (ULONG_PTR)next, (ULONG_PTR)h, cls);
            d->FreeList[cls] = next;
            h->Word = d->BusyWord[cls];
            h->PoolTag = Tag;
            PPOOL_TRACKER_ENTRY t = ExpTracker(Tag);
            t->Pool[base].Allocs++;
            t->Pool[base].Bytes += ExpClassBytes[cls];
            result = h + 1;
        }
    }
    KeLowerIrql(old);

    if (__builtin_expect(result == NULL, 0) && (PoolType & NonPagedPoolMustSucceed))
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
    if (Va - ExpPool[NonPagedPool].Base < ((ULONG_PTR)ExpPool[NonPagedPool].TotalPages << PAGE_SHIFT))
        return NonPagedPool;
    if (Va - ExpPool[PagedPool].Base < ((ULONG_PTR)ExpPool[PagedPool].TotalPages << PAGE_SHIFT))
        return PagedPool;
    return -1;
}

__attribute__((noreturn)) static void ExpBadAddress(ULONG_PTR Va, ULONG BaseType, ULONG Kind)
{
    if (Kind == POOL_PAGE_UNUSED)   /* never allocated, or already freed */
        KeBugCheckEx(BAD_POOL_CALLER, BaseType == PagedPool ? 0x48 : 0x41, Va, 0, 0);
    KeBugCheckEx(BAD_POOL_CALLER, 0x46, Va, 0, 0);   /* inside an allocation, not its start */
}

static void ExpFreePages(PPOOL_DESCRIPTOR d, ULONG Index, ULONG Tag)
{
    POOL_PAGE *p = &d->Page[Index];
    ULONG_PTR va = (ULONG_PTR)ExpPageVa(d, Index);
    ULONG BaseType = d->BaseType;
    if (p->Kind != POOL_PAGE_BIG) ExpBadAddress(va, BaseType, p->Kind);
    if (Tag != 0 && Tag != p->Tag) KeBugCheckEx(BAD_POOL_CALLER, 0x0A, va, p->Tag, Tag);

    ULONG pages = p->Pages;
    PPOOL_TRACKER_ENTRY t = ExpTracker(p->Tag);
    t->Pool[BaseType].Frees++;
    t->Pool[BaseType].Bytes -= (SIZE_T)pages << PAGE_SHIFT;
    for (ULONG i = 0; i < pages; i++) d->Page[Index + i] = (POOL_PAGE){0};
    d->PagesInUse -= pages;
    MiPoolUnmapPages((PVOID)va, pages);
}

/* The block after h in the same page must carry a well-formed header of the page's class (free,
 * or allocated from this pool); otherwise h's owner probably wrote past its end. */
static inline void ExpCheckNextBlock(PPOOL_DESCRIPTOR d, PPOOL_HEADER h, ULONG Class, ULONG Bytes)
{
    ULONG_PTR next = (ULONG_PTR)h + Bytes;
    if ((next & (PAGE_SIZE - 1)) + Bytes > PAGE_SIZE || (next & (PAGE_SIZE - 1)) == 0) return;
    ULONG word = ((PPOOL_HEADER)next)->Word;
    if (__builtin_expect(word != ExpFreeWord[Class] && word != d->BusyWord[Class], 0))
        KeBugCheckEx(BAD_POOL_HEADER, 5, (ULONG_PTR)h, 0, next);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    ULONG_PTR va = (ULONG_PTR)P;
    LONG pool = ExpPoolOf(va);
    if (__builtin_expect(pool < 0, 0)) {
        if (va < 0x80000000u) KeBugCheckEx(BAD_POOL_CALLER, 0x40, va, 0x80000000u, 0);
        KeBugCheckEx(BAD_POOL_CALLER, 0x42, va, 0, 0);
    }
    ULONG base = (ULONG)pool;
    PPOOL_DESCRIPTOR d = &ExpPool[base];
    KIRQL old = ExpLockPool(base, 0x09, base, va);
    ULONG index = (ULONG)((va - d->Base) >> PAGE_SHIFT);

    if (__builtin_expect((va & (PAGE_SIZE - 1)) == 0, 0)) {
        ExpFreePages(d, index, Tag);
        KeLowerIrql(old);
        return;
    }

    POOL_PAGE *page = &d->Page[index];
    if (__builtin_expect(page->Kind != POOL_PAGE_SMALL, 0)) ExpBadAddress(va, base, page->Kind);
    ULONG cls = page->Class, bytes = ExpClassBytes[cls];
    PPOOL_HEADER h = (PPOOL_HEADER)P - 1;
    if (__builtin_expect(!ExpIsBlockStart((ULONG_PTR)h, bytes), 0))
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, va, 0, 0);

    ULONG word = h->Word;
    if (__builtin_expect(word != d->BusyWord[cls], 0)) {
        if (word == ExpFreeWord[cls])
            KeBugCheckEx(BAD_POOL_CALLER, 7, 0, word, va);          /* already freed */
        KeBugCheckEx(BAD_POOL_HEADER, 0x20, (ULONG_PTR)h, word, d->BusyWord[cls]);
    }
    if (__builtin_expect(Tag != 0 && Tag != h->PoolTag, 0))
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, va, h->PoolTag, Tag);
    ExpCheckNextBlock(d, h, cls, bytes);

    PPOOL_TRACKER_ENTRY t = ExpTracker(h->PoolTag);
    t->Pool[base].Frees++;
    t->Pool[base].Bytes -= bytes;
    h->Word = ExpFreeWord[cls];
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
