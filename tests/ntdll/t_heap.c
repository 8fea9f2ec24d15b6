/*
 * t_heap.c - the Rtl heap inside NanoNT (ntdll/rtl/heap.c): the process heap the loader made,
 * random allocations/reallocations/frees with every block's contents checked, several heaps at
 * once and the PEB's list of them, big blocks (their own virtual allocations), reallocation in
 * place, HEAP_ZERO_MEMORY, a heap that cannot grow, refused frees (foreign, inner, double),
 * RtlDestroyHeap giving all its memory back, and threads sharing one heap.
 */
#define NTEST_NAME "t_heap"
#include "ntest.h"


static ULONG RandomState = 0x2545F491;
static ULONG Random(VOID)
{
    RandomState ^= RandomState << 13;
    RandomState ^= RandomState >> 17;
    RandomState ^= RandomState << 5;
    return RandomState;
}

static UCHAR Pattern(ULONG Seed, SIZE_T i)
{
    return (UCHAR)((Seed >> 3) ^ (i * 29u));
}

static VOID Fill(PVOID p, SIZE_T n, ULONG Seed)
{
    for (SIZE_T i = 0; i < n; i++) ((PUCHAR)p)[i] = Pattern(Seed, i);
}

static BOOLEAN Intact(const VOID *p, SIZE_T n, ULONG Seed)
{
    for (SIZE_T i = 0; i < n; i++)
        if (((const UCHAR *)p)[i] != Pattern(Seed, i)) return FALSE;
    return TRUE;
}

/* Whether the page at Address is free address space (the heap gave it back). */
static BOOLEAN IsFreeMemory(PVOID Address)
{
    MEMORY_BASIC_INFORMATION mbi;
    NTSTATUS s = NtQueryVirtualMemory(NtCurrentProcess(), Address, MemoryBasicInformation, &mbi, sizeof(mbi), NULL);
    return NT_SUCCESS(s) && mbi.State == MEM_FREE;
}

static VOID TestProcessHeap(VOID)
{
    PVOID heap = RtlProcessHeap();
    NtestExpect("process_heap.exists", heap != NULL, "PEB.ProcessHeap is NULL", 0);
    if (!heap) return;
    PULONG p = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, 100);
    NtestExpect("process_heap.alloc", p && ((ULONG_PTR)p & 7) == 0 && p[0] == 0 && p[24] == 0, "allocation", (ULONG)(ULONG_PTR)p);
    NtestExpect("process_heap.size", RtlSizeHeap(heap, 0, p) == 100, "RtlSizeHeap", (ULONG)RtlSizeHeap(heap, 0, p));
    NtestExpect("process_heap.free", RtlFreeHeap(heap, 0, p), "RtlFreeHeap", 0);
    PVOID list[8];
    ULONG n = RtlGetProcessHeaps(8, list);
    NtestExpect("process_heap.listed", n >= 1 && list[0] == heap, "not first in PEB.ProcessHeaps", n);
}

static VOID TestStress(VOID)
{
    enum { SLOTS = 400, OPERATIONS = 20000 };
    static PUCHAR ptr[SLOTS];
    static SIZE_T len[SLOTS];
    static ULONG seed[SLOTS];
    ULONG bad = 0, failed = 0;
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 64 * 1024, 4096, NULL, NULL);
    NtestExpect("stress.create", heap != NULL, "RtlCreateHeap", 0);
    if (!heap) return;
    for (ULONG op = 0; op < OPERATIONS; op++) {
        ULONG i = Random() % SLOTS, r = Random() % 1000;
        SIZE_T size = r < 700 ? Random() % 200 : r < 990 ? Random() % 4000 : r < 998 ? Random() % 100000
                                                                          : 512 * 1024 + Random() % 300000;
        if (ptr[i] && (!Intact(ptr[i], len[i], seed[i]) || RtlSizeHeap(heap, 0, ptr[i]) != len[i])) bad++;
        if (!ptr[i]) {
            ptr[i] = RtlAllocateHeap(heap, 0, size);
        } else if (Random() % 2) {
            PUCHAR p = RtlReAllocateHeap(heap, 0, ptr[i], size);
            if (!p) { failed++; continue; }
            if (!Intact(p, len[i] < size ? len[i] : size, seed[i])) bad++;
            ptr[i] = p;
        } else {
            if (!RtlFreeHeap(heap, 0, ptr[i])) bad++;
            ptr[i] = NULL;
            continue;
        }
        if (!ptr[i]) { failed++; continue; }
        if ((ULONG_PTR)ptr[i] & 7) bad++;
        len[i] = size;
        seed[i] = Random();
        Fill(ptr[i], size, seed[i]);
        if (op % 2000 == 0 && !RtlValidateHeap(heap, 0, NULL)) bad++;
    }
    for (ULONG i = 0; i < SLOTS; i++) {
        if (ptr[i] && (!Intact(ptr[i], len[i], seed[i]) || !RtlFreeHeap(heap, 0, ptr[i]))) bad++;
        ptr[i] = NULL;
    }
    NtestExpect("stress.checksums", bad == 0, "blocks damaged or refused", bad);
    NtestExpect("stress.no_failures", failed == 0, "allocations failed", failed);
    NtestExpect("stress.valid", RtlValidateHeap(heap, 0, NULL), "RtlValidateHeap", 0);
    PVOID base = PAGE_ALIGN(heap);
    NtestExpect("stress.destroy", RtlDestroyHeap(heap) == NULL, "RtlDestroyHeap", 0);
    NtestExpect("stress.memory_returned", IsFreeMemory(base), "the first segment is still allocated", 0);
}

static VOID TestSeveralHeaps(VOID)
{
    PVOID heaps[3], list[16];
    PUCHAR blocks[3][50];
    ULONG before = RtlGetProcessHeaps(16, list), bad = 0;
    for (ULONG h = 0; h < 3; h++) heaps[h] = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    ULONG after = RtlGetProcessHeaps(16, list);
    NtestExpect("several.listed", after == before + 3 && list[before] == heaps[0] && list[before + 2] == heaps[2],
           "PEB.ProcessHeaps", after);
    for (ULONG i = 0; i < 50; i++)
        for (ULONG h = 0; h < 3; h++) {
            blocks[h][i] = RtlAllocateHeap(heaps[h], 0, 100 + i * 37);
            if (blocks[h][i]) Fill(blocks[h][i], 100 + i * 37, h * 1000 + i);
            else bad++;
        }
    /* A block freed in the wrong heap is refused and left alone. */
    NtestExpect("several.wrong_heap", !RtlFreeHeap(heaps[1], 0, blocks[0][3]), "heap 1 freed heap 0's block", 0);
    for (ULONG i = 0; i < 50; i++)
        for (ULONG h = 0; h < 3; h++)
            if (!Intact(blocks[h][i], 100 + i * 37, h * 1000 + i) || !RtlFreeHeap(heaps[h], 0, blocks[h][i])) bad++;
    NtestExpect("several.independent", bad == 0, "blocks damaged", bad);
    for (ULONG h = 0; h < 3; h++) RtlDestroyHeap(heaps[h]);
    NtestExpect("several.unlisted", RtlGetProcessHeaps(16, list) == before, "destroyed heaps still listed", 0);
}

static VOID TestBigBlocks(VOID)
{
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    SIZE_T sizes[2] = { 1024 * 1024, 3 * 1024 * 1024 + 5 };
    for (ULONG i = 0; i < 2; i++) {
        PUCHAR p = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, sizes[i]);
        NtestExpect(i ? "big.3mb_alloc" : "big.1mb_alloc", p != NULL, "allocation", (ULONG)sizes[i]);
        if (!p) continue;
        BOOLEAN zero = p[0] == 0 && p[sizes[i] / 2] == 0 && p[sizes[i] - 1] == 0;
        Fill(p, sizes[i], i + 77);
        NtestExpect(i ? "big.3mb_contents" : "big.1mb_contents", zero && Intact(p, sizes[i], i + 77) &&
               RtlSizeHeap(heap, 0, p) == sizes[i], "zero fill, pattern or size", 0);
        PVOID page = PAGE_ALIGN(p);
        NtestExpect(i ? "big.3mb_free" : "big.1mb_free", RtlFreeHeap(heap, 0, p) && IsFreeMemory(page),
               "not freed, or its pages kept", 0);
        NtestExpect(i ? "big.3mb_double_free" : "big.1mb_double_free", !RtlFreeHeap(heap, 0, p), "freed twice", 0);
    }
    RtlDestroyHeap(heap);
}

static VOID TestReAllocate(VOID)
{
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    PUCHAR a = RtlAllocateHeap(heap, 0, 100), b = RtlAllocateHeap(heap, 0, 400);
    PUCHAR c = RtlAllocateHeap(heap, 0, 16);
    Fill(a, 100, 5);
    RtlFreeHeap(heap, 0, b);
    NtestExpect("realloc.grow_in_place", RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 300) == a &&
           Intact(a, 100, 5) && RtlSizeHeap(heap, 0, a) == 300, "did not grow into the free neighbour", 0);
    NtestExpect("realloc.in_place_only", RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 10000) == NULL &&
           RtlSizeHeap(heap, 0, a) == 300, "HEAP_REALLOC_IN_PLACE_ONLY moved or failed badly", 0);
    NtestExpect("realloc.shrink", RtlReAllocateHeap(heap, 0, a, 50) == a && Intact(a, 50, 5), "shrink moved", 0);
    PUCHAR m = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, a, 10000);
    NtestExpect("realloc.move", m && m != a && Intact(m, 50, 5) && m[50] == 0 && m[9999] == 0, "move", 0);
    RtlFreeHeap(heap, 0, m);
    RtlFreeHeap(heap, 0, c);
    RtlDestroyHeap(heap);
}

static VOID TestLimitsAndBadFrees(VOID)
{
    PVOID heap = RtlCreateHeap(0, NULL, 64 * 1024, 8192, NULL, NULL);
    ULONG n = 0;
    while (n < 1000 && RtlAllocateHeap(heap, 0, 1000)) n++;
    NtestExpect("fixed.fills_up", n > 40 && n < 70, "a non-growable 64 KB heap held", n);
    NtestExpect("fixed.still_valid", RtlValidateHeap(heap, 0, NULL), "RtlValidateHeap", 0);
    RtlDestroyHeap(heap);

    heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    ULONG local;
    PUCHAR p = RtlAllocateHeap(heap, 0, 64), q = RtlAllocateHeap(heap, 0, 64);
    Fill(q, 64, 9);
    NtestExpect("bad_free.stack", !RtlFreeHeap(heap, 0, &local), "freed a stack address", 0);
    NtestExpect("bad_free.inner", !RtlFreeHeap(heap, 0, p + 8), "freed a pointer inside a block", 0);
    NtestExpect("bad_free.size", RtlSizeHeap(heap, 0, p + 8) == (SIZE_T)-1, "RtlSizeHeap of a bad pointer", 0);
    NtestExpect("bad_free.first", RtlFreeHeap(heap, 0, p), "good free refused", 0);
    NtestExpect("bad_free.double", !RtlFreeHeap(heap, 0, p), "freed twice", 0);
    NtestExpect("bad_free.null", RtlFreeHeap(heap, 0, NULL), "freeing NULL", 0);
    NtestExpect("bad_free.heap_intact", Intact(q, 64, 9) && RtlValidateHeap(heap, 0, NULL), "heap damaged", 0);
    RtlFreeHeap(heap, 0, q);
    RtlDestroyHeap(heap);
}

/* Three threads allocate, check and free in one heap at once (its lock serializes them). */
static PVOID SharedHeap;

static NTSTATUS NTAPI HeapWorker(PVOID Parameter)
{
    ULONG state = (ULONG)(ULONG_PTR)Parameter, bad = 0;
    PUCHAR mine[32] = { 0 };
    for (ULONG i = 0; i < 3000; i++) {
        state = state * 1103515245u + 12345u;
        ULONG k = (state >> 16) % 32;
        if (mine[k]) {
            if (!Intact(mine[k], 40, k + (ULONG)(ULONG_PTR)Parameter) || !RtlFreeHeap(SharedHeap, 0, mine[k])) bad++;
            mine[k] = NULL;
        } else {
            mine[k] = RtlAllocateHeap(SharedHeap, 0, 40 + (state >> 24) * 8);
            if (mine[k]) Fill(mine[k], 40, k + (ULONG)(ULONG_PTR)Parameter);
            else bad++;
        }
        if (i % 64 == 0) NtYieldExecution();
    }
    for (ULONG k = 0; k < 32; k++)
        if (mine[k] && !RtlFreeHeap(SharedHeap, 0, mine[k])) bad++;
    return bad;
}

static VOID TestThreads(VOID)
{
    HANDLE threads[3];
    ULONG started = 0, bad = 0;
    SharedHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    for (ULONG t = 0; t < 3; t++)
        if (NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, HeapWorker,
                                           (PVOID)(ULONG_PTR)(t * 7919 + 1), &threads[started], NULL)))
            started++;
    for (ULONG t = 0; t < started; t++) {
        THREAD_BASIC_INFORMATION info;
        NtWaitForSingleObject(threads[t], FALSE, NULL);
        if (!NT_SUCCESS(NtQueryInformationThread(threads[t], ThreadBasicInformation, &info, sizeof(info), NULL)) ||
            info.ExitStatus != 0)
            bad++;
        NtClose(threads[t]);
    }
    NtestExpect("threads.shared_heap", started == 3 && bad == 0, "threads failed or saw damaged blocks", bad);
    NtestExpect("threads.valid", RtlValidateHeap(SharedHeap, 0, NULL), "RtlValidateHeap", 0);
    RtlDestroyHeap(SharedHeap);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    TestProcessHeap();
    TestStress();
    TestSeveralHeaps();
    TestBigBlocks();
    TestReAllocate();
    TestLimitsAndBadFrees();
    TestThreads();
    return NtestResult();
}
