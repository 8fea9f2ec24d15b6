/*
 * heap.c - the Rtl heap (RtlCreateHeap ... RtlDestroyHeap), the process heap list in the PEB
 * and RtlpInitializeRtl, ntdll's process-start initialization of its Rtl parts.
 *
 * A heap is a list of segments, each one virtual reservation whose committed prefix is carved
 * into blocks. The first segment also holds the HEAP structure, right after the segment header:
 * the heap handle is its address. Every block starts with a 16-byte header: its size and its
 * predecessor's size (so both neighbours are found in O(1) to coalesce), flags, the slack that
 * gives back the caller's size, and a check word derived from all of them and the block's
 * address, so that a pointer the heap did not hand out, a freed block or a smashed header is
 * recognized (RtlFreeHeap returns FALSE) rather than corrupting the heap. Free blocks are kept
 * in lists by size (exact lists for small sizes, one list for the rest) with a bit per
 * non-empty list. When nothing fits, the heap commits more of a segment, then (HEAP_GROWABLE)
 * reserves a new segment; an added segment that becomes wholly free is released. Blocks of
 * RTLP_BIG_BLOCK bytes or more get their own allocation.
 *
 * Flags honoured: HEAP_NO_SERIALIZE (at creation or per call), HEAP_GROWABLE, HEAP_ZERO_MEMORY,
 * HEAP_REALLOC_IN_PLACE_ONLY. HEAP_GENERATE_EXCEPTIONS and the checking/tagging flags are
 * accepted and ignored (failures return NULL/FALSE). Free memory inside a segment stays committed.
 *
 * The system services are reached only through RtlpHeapReserve/Commit/Release, which the host
 * unit test's shims of NtAllocateVirtualMemory/NtFreeVirtualMemory satisfy.
 */
#include "ntndk.h"

#define RTLP_HEAP_SIGNATURE     0x50414548u    /* "HEAP" */
#define RTLP_SEGMENT_SIGNATURE  0x47455348u    /* "HSEG" */
#define RTLP_BLOCK_MAGIC        0x6B4C6248u
#define RTLP_GRANULE            8u             /* block alignment and size unit */
#define RTLP_BIG_BLOCK          (512u * 1024u) /* requests this big get their own allocation */
#define RTLP_DEFAULT_RESERVE    (1024u * 1024u)
#define RTLP_COMMIT_STEP        (64u * 1024u)  /* commit at least this much when growing */
#define RTLP_MAX_REQUEST        (0x7FFFFFFFu - 0x10000u)
#define RTLP_SMALL_LISTS        128u           /* exact lists for blocks < 128 granules */
#define RTLP_MAX_HEAPS          16u

/* Block flags. */
#define RTLP_BUSY   0x0001u
#define RTLP_LAST   0x0002u    /* last block of the segment's committed area */
#define RTLP_BIG    0x0004u    /* a big block: its own virtual allocation */

typedef struct _HEAP_BLOCK {
    ULONG Size;                /* bytes of the block, header included, multiple of 8 */
    ULONG PreviousSize;        /* bytes of the block before it in the segment, 0 for the first */
    USHORT Flags;
    USHORT Slack;              /* Size - header - the caller's size (busy blocks) */
    ULONG Check;
} HEAP_BLOCK, *PHEAP_BLOCK;
C_ASSERT(sizeof(HEAP_BLOCK) == 16);

/* A free block's payload links it into its free list. */
typedef struct _HEAP_FREE_BLOCK {
    HEAP_BLOCK Header;
    LIST_ENTRY Link;
} HEAP_FREE_BLOCK, *PHEAP_FREE_BLOCK;

#define RTLP_HEADER      ((ULONG)sizeof(HEAP_BLOCK))
#define RTLP_MIN_BLOCK   ((ULONG)((sizeof(HEAP_FREE_BLOCK) + RTLP_GRANULE - 1) & ~(RTLP_GRANULE - 1)))

typedef struct _HEAP_SEGMENT {
    ULONG Signature;
    BOOLEAN CallerMemory;      /* HeapBase memory: never committed or released by us */
    struct _HEAP_SEGMENT *Next;
    PUCHAR Base;
    SIZE_T ReservedSize;
    SIZE_T CommittedSize;
    PHEAP_BLOCK FirstBlock;
    PHEAP_BLOCK LastBlock;
} HEAP_SEGMENT, *PHEAP_SEGMENT;

/* A big block: the page-aligned allocation starts with this, the block header right after. */
typedef struct _HEAP_BIG_BLOCK {
    LIST_ENTRY Link;
    SIZE_T AllocationSize;     /* bytes reserved and committed */
    SIZE_T RequestedSize;
    HEAP_BLOCK Header;
} HEAP_BIG_BLOCK, *PHEAP_BIG_BLOCK;
C_ASSERT((sizeof(HEAP_BIG_BLOCK) % RTLP_GRANULE) == 0);

typedef struct _HEAP {
    ULONG Signature;
    ULONG Flags;
    PRTL_CRITICAL_SECTION Lock;        /* NULL: HEAP_NO_SERIALIZE */
    RTL_CRITICAL_SECTION OwnLock;
    SIZE_T SegmentReserve;
    SIZE_T SegmentCommit;
    PHEAP_SEGMENT Segments;
    LIST_ENTRY BigBlocks;
    ULONG NonEmpty[RTLP_SMALL_LISTS / 32]; /* bit n: FreeLists[n] has blocks */
    LIST_ENTRY FreeLists[RTLP_SMALL_LISTS]; /* [n]: blocks of n granules; [0]: all bigger ones */
} HEAP, *PHEAP;

/* ---- Pages -------------------------------------------------------------------------------- */

static PVOID RtlpHeapReserve(PVOID Address, SIZE_T Size, BOOLEAN Commit)
{
    PVOID base = Address;
    SIZE_T size = Size;
    ULONG type = MEM_RESERVE | (Commit ? MEM_COMMIT : 0);
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, type, PAGE_READWRITE)))
        return NULL;
    return base;
}

static BOOLEAN RtlpHeapCommit(PVOID Address, SIZE_T Size)
{
    PVOID base = Address;
    SIZE_T size = Size;
    return NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_COMMIT,
                                              PAGE_READWRITE));
}

static VOID RtlpHeapRelease(PVOID Address)
{
    PVOID base = Address;
    SIZE_T size = 0;
    NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
}

/* ---- Block headers ------------------------------------------------------------------------ */

static ULONG RtlpBlockCheck(const HEAP_BLOCK *Block)
{
    ULONG a = (ULONG)(ULONG_PTR)Block;
    return RTLP_BLOCK_MAGIC ^ Block->Size ^ (Block->PreviousSize * 0x9E3779B1u) ^
           ((ULONG)Block->Flags << 16) ^ Block->Slack ^ (a * 0x85EBCA6Bu);
}

static inline VOID RtlpSeal(PHEAP_BLOCK Block)
{
    Block->Check = RtlpBlockCheck(Block);
}

static inline BOOLEAN RtlpSealed(const HEAP_BLOCK *Block)
{
    return Block->Check == RtlpBlockCheck(Block);
}

static inline PHEAP_BLOCK RtlpNextBlock(PHEAP_BLOCK Block)
{
    return (PHEAP_BLOCK)((PUCHAR)Block + Block->Size);
}

static inline PHEAP_BLOCK RtlpPreviousBlock(PHEAP_BLOCK Block)
{
    return Block->PreviousSize ? (PHEAP_BLOCK)((PUCHAR)Block - Block->PreviousSize) : NULL;
}

static inline PVOID RtlpBlockData(PHEAP_BLOCK Block)
{
    return Block + 1;
}

static inline SIZE_T RtlpRoundUp(SIZE_T Value, SIZE_T Unit)
{
    return (Value + Unit - 1) & ~(Unit - 1);
}

/* ---- Free lists --------------------------------------------------------------------------- */

static inline ULONG RtlpListIndex(ULONG Size)
{
    ULONG granules = Size / RTLP_GRANULE;
    return granules < RTLP_SMALL_LISTS ? granules : 0;
}

static VOID RtlpInsertFree(PHEAP Heap, PHEAP_BLOCK Block)
{
    ULONG index = RtlpListIndex(Block->Size);
    PHEAP_FREE_BLOCK free = (PHEAP_FREE_BLOCK)Block;
    InsertHeadList(&Heap->FreeLists[index], &free->Link);
    Heap->NonEmpty[index / 32] |= 1u << (index % 32);
}

static VOID RtlpRemoveFree(PHEAP Heap, PHEAP_BLOCK Block)
{
    ULONG index = RtlpListIndex(Block->Size);
    PHEAP_FREE_BLOCK free = (PHEAP_FREE_BLOCK)Block;
    RemoveEntryList(&free->Link);
    if (IsListEmpty(&Heap->FreeLists[index])) Heap->NonEmpty[index / 32] &= ~(1u << (index % 32));
}

/* The first non-empty exact list at or above Index, or 0 (the list of big free blocks). */
static ULONG RtlpNextNonEmpty(PHEAP Heap, ULONG Index)
{
    for (ULONG word = Index / 32; word < RTLP_SMALL_LISTS / 32; word++) {
        ULONG bits = Heap->NonEmpty[word];
        if (word == Index / 32) bits &= ~0u << (Index % 32);
        if (bits) return word * 32 + (ULONG)__builtin_ctz(bits);
    }
    return 0;
}

/* A free block of at least Size bytes: the smallest exact list that has one, else the best fit
 * among the big free blocks. */
static PHEAP_BLOCK RtlpFindFree(PHEAP Heap, ULONG Size)
{
    ULONG index = RtlpListIndex(Size);
    if (index) {
        index = RtlpNextNonEmpty(Heap, index);
        if (index) {
            PLIST_ENTRY e = Heap->FreeLists[index].Flink;
            return &CONTAINING_RECORD(e, HEAP_FREE_BLOCK, Link)->Header;
        }
    }
    PHEAP_BLOCK best = NULL;
    for (PLIST_ENTRY e = Heap->FreeLists[0].Flink; e != &Heap->FreeLists[0]; e = e->Flink) {
        PHEAP_BLOCK b = &CONTAINING_RECORD(e, HEAP_FREE_BLOCK, Link)->Header;
        if (b->Size >= Size && (!best || b->Size < best->Size)) {
            best = b;
            if (b->Size == Size) break;
        }
    }
    return best;
}

/* ---- Segments ----------------------------------------------------------------------------- */

/* Makes [Start, Start+Size) one free block at the end of the segment, after Previous. */
static PHEAP_BLOCK RtlpMakeTailBlock(PHEAP Heap, PHEAP_SEGMENT Segment, PUCHAR Start, ULONG Size,
                                     PHEAP_BLOCK Previous)
{
    PHEAP_BLOCK block = (PHEAP_BLOCK)Start;
    block->Size = Size;
    block->PreviousSize = Previous ? Previous->Size : 0;
    block->Flags = RTLP_LAST;
    block->Slack = 0;
    RtlpSeal(block);
    if (Previous) {
        Previous->Flags &= ~RTLP_LAST;
        RtlpSeal(Previous);
    }
    Segment->LastBlock = block;
    RtlpInsertFree(Heap, block);
    return block;
}

/* Sets up a segment in [Base, Base+Reserved) of which Committed bytes are usable; its blocks
 * start at FirstByte (after the segment header, and the HEAP for the first segment). */
static PHEAP_SEGMENT RtlpInitializeSegment(PHEAP Heap, PUCHAR Base, SIZE_T Reserved, SIZE_T Committed,
                                           PUCHAR FirstByte, BOOLEAN CallerMemory)
{
    PHEAP_SEGMENT segment = (PHEAP_SEGMENT)Base;
    segment->Signature = RTLP_SEGMENT_SIGNATURE;
    segment->CallerMemory = CallerMemory;
    segment->Base = Base;
    segment->ReservedSize = Reserved;
    segment->CommittedSize = Committed;
    segment->FirstBlock = (PHEAP_BLOCK)RtlpRoundUp((ULONG_PTR)FirstByte, RTLP_GRANULE);
    segment->LastBlock = NULL;
    ULONG size = (ULONG)(Base + Committed - (PUCHAR)segment->FirstBlock) & ~(RTLP_GRANULE - 1);
    if (size >= RTLP_MIN_BLOCK) RtlpMakeTailBlock(Heap, segment, (PUCHAR)segment->FirstBlock, size, NULL);
    segment->Next = Heap->Segments;
    Heap->Segments = segment;
    return segment;
}

/* Commits more of Segment so that its tail free block has at least Size bytes. */
static PHEAP_BLOCK RtlpGrowSegment(PHEAP Heap, PHEAP_SEGMENT Segment, ULONG Size)
{
    if (Segment->CallerMemory) return NULL;
    PHEAP_BLOCK last = Segment->LastBlock;
    ULONG have = (last && !(last->Flags & RTLP_BUSY)) ? last->Size : 0;
    SIZE_T more = RtlpRoundUp(Size - have + RTLP_MIN_BLOCK, PAGE_SIZE);
    if (more < Heap->SegmentCommit) more = Heap->SegmentCommit;
    if (more > Segment->ReservedSize - Segment->CommittedSize) more = Segment->ReservedSize - Segment->CommittedSize;
    if (more == 0 || have + more < Size) return NULL;
    PUCHAR end = Segment->Base + Segment->CommittedSize;
    if (!RtlpHeapCommit(end, more)) return NULL;
    Segment->CommittedSize += more;
    if (have) {
        RtlpRemoveFree(Heap, last);
        last->Size += (ULONG)more;
        RtlpSeal(last);
        RtlpInsertFree(Heap, last);
        return last;
    }
    if (!last) return RtlpMakeTailBlock(Heap, Segment, (PUCHAR)Segment->FirstBlock,
                                        (ULONG)(end + more - (PUCHAR)Segment->FirstBlock), NULL);
    return RtlpMakeTailBlock(Heap, Segment, end, (ULONG)more, last);
}

/* A new segment big enough for a block of Size bytes (HEAP_GROWABLE heaps). */
static PHEAP_BLOCK RtlpAddSegment(PHEAP Heap, ULONG Size)
{
    SIZE_T header = RtlpRoundUp(sizeof(HEAP_SEGMENT), RTLP_GRANULE);
    SIZE_T reserve = RtlpRoundUp(header + Size + RTLP_MIN_BLOCK, PAGE_SIZE);
    if (reserve < Heap->SegmentReserve) reserve = Heap->SegmentReserve;
    SIZE_T commit = RtlpRoundUp(header + Size + RTLP_MIN_BLOCK, PAGE_SIZE);
    if (commit < Heap->SegmentCommit) commit = Heap->SegmentCommit;
    PUCHAR base = RtlpHeapReserve(NULL, reserve, FALSE);
    if (!base) return NULL;
    if (!RtlpHeapCommit(base, commit)) {
        RtlpHeapRelease(base);
        return NULL;
    }
    PHEAP_SEGMENT segment = RtlpInitializeSegment(Heap, base, reserve, commit, base + header, FALSE);
    return segment->LastBlock;
}

/* ---- Carving blocks ----------------------------------------------------------------------- */

static PHEAP_SEGMENT RtlpSegmentOf(PHEAP Heap, PVOID Address)
{
    for (PHEAP_SEGMENT s = Heap->Segments; s; s = s->Next)
        if ((PUCHAR)Address >= s->Base && (PUCHAR)Address < s->Base + s->CommittedSize) return s;
    return NULL;
}

/* Cuts Block (busy, or free and off its list) to Size bytes; the rest, if it can make a block,
 * becomes a free block, merged with a free successor. */
static VOID RtlpSplitBlock(PHEAP Heap, PHEAP_SEGMENT Segment, PHEAP_BLOCK Block, ULONG Size)
{
    ULONG rest = Block->Size - Size;
    if (rest < RTLP_MIN_BLOCK) return;
    PHEAP_BLOCK tail = (PHEAP_BLOCK)((PUCHAR)Block + Size);
    tail->Size = rest;
    tail->PreviousSize = Size;
    tail->Flags = Block->Flags & RTLP_LAST;
    tail->Slack = 0;
    Block->Size = Size;
    Block->Flags &= ~RTLP_LAST;
    RtlpSeal(Block);
    if (!(tail->Flags & RTLP_LAST)) {
        PHEAP_BLOCK next = RtlpNextBlock(tail);
        if (!(next->Flags & RTLP_BUSY)) {
            RtlpRemoveFree(Heap, next);
            tail->Size += next->Size;
            tail->Flags = next->Flags & RTLP_LAST;
            next->Check = 0;                     /* no stale header inside the merged block */
        }
    }
    RtlpSeal(tail);
    if (tail->Flags & RTLP_LAST) Segment->LastBlock = tail;
    else {
        PHEAP_BLOCK next = RtlpNextBlock(tail);
        next->PreviousSize = tail->Size;
        RtlpSeal(next);
    }
    RtlpInsertFree(Heap, tail);
}

/* Marks a free block (already off its list) busy for a caller's request of Request bytes. */
static PVOID RtlpUseBlock(PHEAP Heap, PHEAP_BLOCK Block, ULONG Size, SIZE_T Request, ULONG Flags)
{
    RtlpSplitBlock(Heap, RtlpSegmentOf(Heap, Block), Block, Size);
    Block->Flags |= RTLP_BUSY;
    Block->Slack = (USHORT)(Block->Size - RTLP_HEADER - Request);
    RtlpSeal(Block);
    if (Flags & HEAP_ZERO_MEMORY) RtlZeroMemory(RtlpBlockData(Block), Request);
    return RtlpBlockData(Block);
}

/* Gives an added segment that has become one free block back to the system; FALSE for the
 * heap's first segment (it holds the HEAP) and for the caller's memory. */
static BOOLEAN RtlpReleaseSegment(PHEAP Heap, PHEAP_SEGMENT Segment)
{
    if (Segment->CallerMemory) return FALSE;
    if ((PUCHAR)Heap >= Segment->Base && (PUCHAR)Heap < Segment->Base + Segment->ReservedSize) return FALSE;
    PHEAP_SEGMENT *link = &Heap->Segments;
    while (*link != Segment) link = &(*link)->Next;
    *link = Segment->Next;
    Segment->Signature = 0;
    RtlpHeapRelease(Segment->Base);
    return TRUE;
}

/* Frees a busy block: merges it with free neighbours and lists the result (or, if that empties
 * an added segment, releases the segment). */
static VOID RtlpReleaseBlock(PHEAP Heap, PHEAP_SEGMENT Segment, PHEAP_BLOCK Block)
{
    Block->Flags &= ~RTLP_BUSY;
    Block->Slack = 0;
    if (!(Block->Flags & RTLP_LAST)) {
        PHEAP_BLOCK next = RtlpNextBlock(Block);
        if (!(next->Flags & RTLP_BUSY)) {
            RtlpRemoveFree(Heap, next);
            Block->Size += next->Size;
            Block->Flags |= next->Flags & RTLP_LAST;
            next->Check = 0;
        }
    }
    PHEAP_BLOCK previous = RtlpPreviousBlock(Block);
    if (previous && !(previous->Flags & RTLP_BUSY)) {
        RtlpRemoveFree(Heap, previous);
        previous->Size += Block->Size;
        previous->Flags |= Block->Flags & RTLP_LAST;
        Block->Check = 0;
        Block = previous;
    }
    RtlpSeal(Block);
    if (Block->Flags & RTLP_LAST) Segment->LastBlock = Block;
    else {
        PHEAP_BLOCK next = RtlpNextBlock(Block);
        next->PreviousSize = Block->Size;
        RtlpSeal(next);
    }
    if (Block == Segment->FirstBlock && (Block->Flags & RTLP_LAST) && RtlpReleaseSegment(Heap, Segment)) return;
    RtlpInsertFree(Heap, Block);
}

/* ---- Validation --------------------------------------------------------------------------- */

static BOOLEAN RtlpIsHeap(PHEAP Heap)
{
    return Heap && ((ULONG_PTR)Heap & (RTLP_GRANULE - 1)) == 0 && Heap->Signature == RTLP_HEAP_SIGNATURE;
}

/* The big block whose data is Address, or NULL. */
static PHEAP_BIG_BLOCK RtlpFindBig(PHEAP Heap, PVOID Address)
{
    for (PLIST_ENTRY e = Heap->BigBlocks.Flink; e != &Heap->BigBlocks; e = e->Flink) {
        PHEAP_BIG_BLOCK big = CONTAINING_RECORD(e, HEAP_BIG_BLOCK, Link);
        if (RtlpBlockData(&big->Header) == Address) return big;
    }
    return NULL;
}

/* The busy block whose data is Address, checked against its header and both neighbours, or
 * NULL: not from this heap, freed already, or damaged. */
static PHEAP_BLOCK RtlpValidBusyBlock(PHEAP Heap, PVOID Address, PHEAP_SEGMENT *Segment)
{
    if (!Address || ((ULONG_PTR)Address & (RTLP_GRANULE - 1))) return NULL;
    PHEAP_BLOCK block = (PHEAP_BLOCK)Address - 1;
    PHEAP_SEGMENT segment = RtlpSegmentOf(Heap, block);
    *Segment = segment;
    if (!segment) return NULL;
    if ((PUCHAR)block < (PUCHAR)segment->FirstBlock) return NULL;
    if (!RtlpSealed(block) || !(block->Flags & RTLP_BUSY) || (block->Flags & RTLP_BIG)) return NULL;
    if (block->Size < RTLP_MIN_BLOCK || (block->Size & (RTLP_GRANULE - 1))) return NULL;
    PUCHAR end = segment->Base + segment->CommittedSize;
    if ((PUCHAR)block + block->Size > end) return NULL;
    if (!(block->Flags & RTLP_LAST)) {
        if ((PUCHAR)block + block->Size + RTLP_HEADER > end) return NULL;
        if (RtlpNextBlock(block)->PreviousSize != block->Size) return NULL;
    }
    if (block->PreviousSize > (ULONG)((PUCHAR)block - (PUCHAR)segment->FirstBlock)) return NULL;
    PHEAP_BLOCK previous = RtlpPreviousBlock(block);
    if (previous ? previous->Size != block->PreviousSize : block != segment->FirstBlock) return NULL;
    return block;
}

/* ---- Locking ------------------------------------------------------------------------------ */

static inline VOID RtlpLockHeap(PHEAP Heap, ULONG Flags)
{
    if (Heap->Lock && !(Flags & HEAP_NO_SERIALIZE)) RtlEnterCriticalSection(Heap->Lock);
}

static inline VOID RtlpUnlockHeap(PHEAP Heap, ULONG Flags)
{
    if (Heap->Lock && !(Flags & HEAP_NO_SERIALIZE)) RtlLeaveCriticalSection(Heap->Lock);
}

/* ---- The process's heap list (PEB.ProcessHeaps) ------------------------------------------- */

static PVOID RtlpProcessHeapList[RTLP_MAX_HEAPS];

static VOID RtlpRegisterHeap(PHEAP Heap)
{
    PPEB peb = NtCurrentPeb();
    RtlAcquirePebLock();
    if (peb->ProcessHeaps == NULL) {
        peb->ProcessHeaps = RtlpProcessHeapList;
        peb->MaximumNumberOfHeaps = RTLP_MAX_HEAPS;
        peb->NumberOfHeaps = 0;
    }
    if (peb->NumberOfHeaps < peb->MaximumNumberOfHeaps)   /* a full list only loses the listing */
        peb->ProcessHeaps[peb->NumberOfHeaps++] = Heap;
    RtlReleasePebLock();
}

static VOID RtlpUnregisterHeap(PHEAP Heap)
{
    PPEB peb = NtCurrentPeb();
    RtlAcquirePebLock();
    for (ULONG i = 0; peb->ProcessHeaps && i < peb->NumberOfHeaps; i++) {
        if (peb->ProcessHeaps[i] != Heap) continue;
        peb->ProcessHeaps[i] = peb->ProcessHeaps[--peb->NumberOfHeaps];
        peb->ProcessHeaps[peb->NumberOfHeaps] = NULL;
        break;
    }
    RtlReleasePebLock();
}

ULONG NTAPI RtlGetProcessHeaps(ULONG NumberOfHeaps, PVOID *ProcessHeaps)
{
    PPEB peb = NtCurrentPeb();
    RtlAcquirePebLock();
    ULONG total = peb->ProcessHeaps ? peb->NumberOfHeaps : 0;
    for (ULONG i = 0; i < total && i < NumberOfHeaps; i++) ProcessHeaps[i] = peb->ProcessHeaps[i];
    RtlReleasePebLock();
    return total;
}

/* ---- The API ------------------------------------------------------------------------------ */

static VOID RtlpInitializeHeapStructure(PHEAP Heap, ULONG Flags, PVOID Lock, PRTL_HEAP_PARAMETERS Parameters)
{
    Heap->Signature = RTLP_HEAP_SIGNATURE;
    Heap->Flags = Flags;
    Heap->Segments = NULL;
    InitializeListHead(&Heap->BigBlocks);
    for (ULONG i = 0; i < RTLP_SMALL_LISTS; i++) InitializeListHead(&Heap->FreeLists[i]);
    for (ULONG i = 0; i < RTLP_SMALL_LISTS / 32; i++) Heap->NonEmpty[i] = 0;
    Heap->SegmentReserve = RTLP_DEFAULT_RESERVE;
    Heap->SegmentCommit = RTLP_COMMIT_STEP;
    if (Parameters && Parameters->Length >= FIELD_OFFSET(RTL_HEAP_PARAMETERS, DeCommitFreeBlockThreshold)) {
        if (Parameters->SegmentReserve) Heap->SegmentReserve = RtlpRoundUp(Parameters->SegmentReserve, PAGE_SIZE);
        if (Parameters->SegmentCommit) Heap->SegmentCommit = RtlpRoundUp(Parameters->SegmentCommit, PAGE_SIZE);
    }
    if (Flags & HEAP_NO_SERIALIZE) Heap->Lock = NULL;
    else if (Lock) Heap->Lock = Lock;
    else {
        RtlInitializeCriticalSection(&Heap->OwnLock);
        Heap->Lock = &Heap->OwnLock;
    }
}

PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize,
                          PVOID Lock, PRTL_HEAP_PARAMETERS Parameters)
{
    SIZE_T header = RtlpRoundUp(sizeof(HEAP_SEGMENT), RTLP_GRANULE) + RtlpRoundUp(sizeof(HEAP), RTLP_GRANULE);
    BOOLEAN caller = HeapBase != NULL;
    if (caller) {
        /* The caller's memory, all of it committed: the heap never grows it, only adds segments. */
        if (ReserveSize < header + RTLP_MIN_BLOCK || ((ULONG_PTR)HeapBase & (RTLP_GRANULE - 1))) return NULL;
        CommitSize = ReserveSize;
    } else {
        if (ReserveSize == 0) ReserveSize = RTLP_DEFAULT_RESERVE;
        if (CommitSize == 0) CommitSize = RTLP_COMMIT_STEP;
        ReserveSize = RtlpRoundUp(ReserveSize, PAGE_SIZE);
        if (CommitSize < header + RTLP_MIN_BLOCK) CommitSize = header + RTLP_MIN_BLOCK;
        CommitSize = RtlpRoundUp(CommitSize, PAGE_SIZE);
        if (ReserveSize < CommitSize) ReserveSize = CommitSize;
        HeapBase = RtlpHeapReserve(NULL, ReserveSize, FALSE);
        if (!HeapBase) return NULL;
        if (!RtlpHeapCommit(HeapBase, CommitSize)) {
            RtlpHeapRelease(HeapBase);
            return NULL;
        }
    }
    /* The segment header first, then the HEAP: the handle is the HEAP's address. */
    PUCHAR base = HeapBase;
    PHEAP heap = (PHEAP)(base + RtlpRoundUp(sizeof(HEAP_SEGMENT), RTLP_GRANULE));
    RtlpInitializeHeapStructure(heap, Flags, Lock, Parameters);
    RtlpInitializeSegment(heap, base, ReserveSize, CommitSize, base + header, caller);
    RtlpRegisterHeap(heap);
    return heap;
}

PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle)
{
    PHEAP heap = HeapHandle;
    if (!RtlpIsHeap(heap)) return HeapHandle;
    RtlpUnregisterHeap(heap);
    while (!IsListEmpty(&heap->BigBlocks)) {
        PLIST_ENTRY e = heap->BigBlocks.Flink;
        RemoveEntryList(e);
        RtlpHeapRelease(CONTAINING_RECORD(e, HEAP_BIG_BLOCK, Link));
    }
    if (heap->Lock == &heap->OwnLock) RtlDeleteCriticalSection(&heap->OwnLock);
    heap->Signature = 0;
    /* The first segment (which holds the HEAP) is last in the list: it was added first. */
    PHEAP_SEGMENT segment = heap->Segments;
    while (segment) {
        PHEAP_SEGMENT next = segment->Next;
        segment->Signature = 0;
        if (!segment->CallerMemory) RtlpHeapRelease(segment->Base);
        segment = next;
    }
    return NULL;
}

static PVOID RtlpAllocateBig(PHEAP Heap, ULONG Flags, SIZE_T Size)
{
    SIZE_T total = RtlpRoundUp(sizeof(HEAP_BIG_BLOCK) + Size, PAGE_SIZE);
    PHEAP_BIG_BLOCK big = RtlpHeapReserve(NULL, total, TRUE);
    if (!big) return NULL;
    big->AllocationSize = total;
    big->RequestedSize = Size;
    big->Header.Size = 0;
    big->Header.PreviousSize = 0;
    big->Header.Flags = RTLP_BUSY | RTLP_BIG;
    big->Header.Slack = 0;
    RtlpSeal(&big->Header);
    InsertTailList(&Heap->BigBlocks, &big->Link);
    (void)Flags;   /* fresh pages are zero: HEAP_ZERO_MEMORY is free */
    return RtlpBlockData(&big->Header);
}

/* The block size (header included) that holds Size bytes of data. */
static inline ULONG RtlpBlockSizeFor(SIZE_T Size)
{
    ULONG size = (ULONG)RtlpRoundUp(Size + RTLP_HEADER, RTLP_GRANULE);
    return size < RTLP_MIN_BLOCK ? RTLP_MIN_BLOCK : size;
}

static PVOID RtlpAllocate(PHEAP Heap, ULONG Flags, SIZE_T Size)
{
    if (Size >= RTLP_BIG_BLOCK) return RtlpAllocateBig(Heap, Flags, Size);
    ULONG size = RtlpBlockSizeFor(Size);
    PHEAP_BLOCK block = RtlpFindFree(Heap, size);
    for (PHEAP_SEGMENT s = Heap->Segments; !block && s; s = s->Next) {
        block = RtlpGrowSegment(Heap, s, size);
        if (block && block->Size < size) block = NULL;
    }
    if (!block && (Heap->Flags & HEAP_GROWABLE)) block = RtlpAddSegment(Heap, size);
    if (!block) return NULL;
    RtlpRemoveFree(Heap, block);
    return RtlpUseBlock(Heap, block, size, Size, Flags);
}

PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size)
{
    PHEAP heap = HeapHandle;
    if (!RtlpIsHeap(heap) || Size > RTLP_MAX_REQUEST) return NULL;
    Flags |= heap->Flags & (HEAP_NO_SERIALIZE | HEAP_ZERO_MEMORY);
    RtlpLockHeap(heap, Flags);
    PVOID p = RtlpAllocate(heap, Flags, Size);
    RtlpUnlockHeap(heap, Flags);
    return p;
}

/* Frees the block at Address; FALSE (and nothing touched) if it is not a live block of Heap. */
static BOOLEAN RtlpFree(PHEAP Heap, PVOID Address)
{
    PHEAP_SEGMENT segment;
    PHEAP_BLOCK block = RtlpValidBusyBlock(Heap, Address, &segment);
    if (block) {
        RtlpReleaseBlock(Heap, segment, block);
        return TRUE;
    }
    PHEAP_BIG_BLOCK big = RtlpFindBig(Heap, Address);
    if (!big || !RtlpSealed(&big->Header)) return FALSE;
    RemoveEntryList(&big->Link);
    RtlpHeapRelease(big);
    return TRUE;
}

BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP heap = HeapHandle;
    if (!BaseAddress) return TRUE;          /* as NT: freeing NULL succeeds */
    if (!RtlpIsHeap(heap)) return FALSE;
    Flags |= heap->Flags & HEAP_NO_SERIALIZE;
    RtlpLockHeap(heap, Flags);
    BOOLEAN ok = RtlpFree(heap, BaseAddress);
    RtlpUnlockHeap(heap, Flags);
    return ok;
}

/* The caller's size of a live block, or (SIZE_T)-1. */
static SIZE_T RtlpSize(PHEAP Heap, PVOID Address)
{
    PHEAP_SEGMENT segment;
    PHEAP_BLOCK block = RtlpValidBusyBlock(Heap, Address, &segment);
    if (block) return block->Size - RTLP_HEADER - block->Slack;
    PHEAP_BIG_BLOCK big = RtlpFindBig(Heap, Address);
    return big && RtlpSealed(&big->Header) ? big->RequestedSize : (SIZE_T)-1;
}

SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP heap = HeapHandle;
    if (!RtlpIsHeap(heap)) return (SIZE_T)-1;
    Flags |= heap->Flags & HEAP_NO_SERIALIZE;
    RtlpLockHeap(heap, Flags);
    SIZE_T size = RtlpSize(heap, BaseAddress);
    RtlpUnlockHeap(heap, Flags);
    return size;
}

/* Resizes a small block where it is: shrinking, or growing into a free successor. */
static BOOLEAN RtlpResizeInPlace(PHEAP Heap, PHEAP_SEGMENT Segment, PHEAP_BLOCK Block, SIZE_T Size)
{
    ULONG size = RtlpBlockSizeFor(Size);
    if (size > Block->Size) {
        if (Block->Flags & RTLP_LAST) return FALSE;
        PHEAP_BLOCK next = RtlpNextBlock(Block);
        if ((next->Flags & RTLP_BUSY) || Block->Size + next->Size < size) return FALSE;
        RtlpRemoveFree(Heap, next);
        Block->Size += next->Size;
        Block->Flags |= next->Flags & RTLP_LAST;
        next->Check = 0;
        if (Block->Flags & RTLP_LAST) Segment->LastBlock = Block;
        else {
            PHEAP_BLOCK after = RtlpNextBlock(Block);
            after->PreviousSize = Block->Size;
            RtlpSeal(after);
        }
    }
    RtlpSplitBlock(Heap, Segment, Block, size);
    Block->Slack = (USHORT)(Block->Size - RTLP_HEADER - Size);
    RtlpSeal(Block);
    return TRUE;
}

static PVOID RtlpReAllocate(PHEAP Heap, ULONG Flags, PVOID Address, SIZE_T Size)
{
    PHEAP_SEGMENT segment;
    PHEAP_BLOCK block = RtlpValidBusyBlock(Heap, Address, &segment);
    PHEAP_BIG_BLOCK big = block ? NULL : RtlpFindBig(Heap, Address);
    if (!block && (!big || !RtlpSealed(&big->Header))) return NULL;
    SIZE_T old = block ? (SIZE_T)(block->Size - RTLP_HEADER - block->Slack) : big->RequestedSize;

    if (block && Size < RTLP_BIG_BLOCK && RtlpResizeInPlace(Heap, segment, block, Size)) {
        if ((Flags & HEAP_ZERO_MEMORY) && Size > old) RtlZeroMemory((PUCHAR)Address + old, Size - old);
        return Address;
    }
    if (big && Size >= RTLP_BIG_BLOCK / 2 && sizeof(HEAP_BIG_BLOCK) + Size <= big->AllocationSize) {
        if ((Flags & HEAP_ZERO_MEMORY) && Size > old) RtlZeroMemory((PUCHAR)Address + old, Size - old);
        big->RequestedSize = Size;
        return Address;
    }
    if (Flags & HEAP_REALLOC_IN_PLACE_ONLY) return NULL;
    PVOID moved = RtlpAllocate(Heap, Flags, Size);
    if (!moved) return NULL;
    RtlCopyMemory(moved, Address, old < Size ? old : Size);
    RtlpFree(Heap, Address);
    return moved;
}

PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size)
{
    PHEAP heap = HeapHandle;
    if (!BaseAddress || !RtlpIsHeap(heap) || Size > RTLP_MAX_REQUEST) return NULL;
    Flags |= heap->Flags & (HEAP_NO_SERIALIZE | HEAP_ZERO_MEMORY);
    RtlpLockHeap(heap, Flags);
    PVOID p = RtlpReAllocate(heap, Flags, BaseAddress, Size);
    RtlpUnlockHeap(heap, Flags);
    return p;
}

/* Walks every segment: headers check, sizes chain both ways, no two free neighbours, and the
 * walk ends at the segment's last block. */
static BOOLEAN RtlpValidateSegments(PHEAP Heap)
{
    for (PHEAP_SEGMENT s = Heap->Segments; s; s = s->Next) {
        PHEAP_BLOCK block = s->FirstBlock, previous = NULL;
        if (!s->LastBlock) continue;
        for (;;) {
            if (!RtlpSealed(block) || block->Size < RTLP_MIN_BLOCK) return FALSE;
            if (block->PreviousSize != (previous ? previous->Size : 0)) return FALSE;
            if (previous && !(previous->Flags & RTLP_BUSY) && !(block->Flags & RTLP_BUSY)) return FALSE;
            if ((PUCHAR)block + block->Size > s->Base + s->CommittedSize) return FALSE;
            if (block->Flags & RTLP_LAST) break;
            previous = block;
            block = RtlpNextBlock(block);
        }
        if (block != s->LastBlock) return FALSE;
    }
    return TRUE;
}

BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP heap = HeapHandle;
    if (!RtlpIsHeap(heap)) return FALSE;
    Flags |= heap->Flags & HEAP_NO_SERIALIZE;
    RtlpLockHeap(heap, Flags);
    BOOLEAN ok = BaseAddress ? RtlpSize(heap, BaseAddress) != (SIZE_T)-1 : RtlpValidateSegments(heap);
    RtlpUnlockHeap(heap, Flags);
    return ok;
}

/* ---- Process start ------------------------------------------------------------------------ */

VOID RtlpInitializeRtl(VOID)
{
    PPEB peb = NtCurrentPeb();
    RtlAcquirePebLock();            /* stores the PEB lock's address in PEB.FastPebLock */
    RtlReleasePebLock();
    if (peb->ProcessHeap == NULL)
        peb->ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, RTLP_DEFAULT_RESERVE, RTLP_COMMIT_STEP,
                                         NULL, NULL);
}
