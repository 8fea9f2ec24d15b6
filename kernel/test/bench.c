/*
 * bench.c - boot-time benchmarks ("bench" on the command line). Each line is
 * "BENCH <name> <value> <unit>"; tools/bench.py collects them into a table. Under QEMU's
 * -icount shift=0 the TSC counts guest instructions, so the figures repeat exactly.
 */
#include "ki.h"
#include "ex.h"
#include "kd.h"
#include "x86.h"
#include "boottest.h"

#define TAG_BENCH POOL_TAG('B', 'n', 'c', 'h')
extern ULONGLONG KiBannerTimeStamp;

static void BenchPoolPair(POOL_TYPE Type, SIZE_T Size)
{
    const ULONG rounds = 2000;
    PVOID warm = ExAllocatePoolWithTag(Type, Size, TAG_BENCH);   /* page already carved */
    ExFreePoolWithTag(warm, TAG_BENCH);
    ULONGLONG t0 = __rdtsc();
    for (ULONG i = 0; i < rounds; i++) {
        PVOID p = ExAllocatePoolWithTag(Type, Size, TAG_BENCH);
        ExFreePoolWithTag(p, TAG_BENCH);
    }
    ULONGLONG t1 = __rdtsc();
    /* The two halves on their own: TSC read right around each call. */
    ULONGLONG alloc = 0, release = 0;
    for (ULONG i = 0; i < rounds; i++) {
        ULONGLONG a = __rdtsc();
        PVOID p = ExAllocatePoolWithTag(Type, Size, TAG_BENCH);
        ULONGLONG b = __rdtsc();
        ExFreePoolWithTag(p, TAG_BENCH);
        ULONGLONG c = __rdtsc();
        alloc += b - a;
        release += c - b;
    }
    PCSTR pool = Type == PagedPool ? "paged" : "nonpaged";
    DbgPrint("BENCH pool.%s.%lu %lu tsc/pair\n", pool, (unsigned long)Size, (unsigned long)((t1 - t0) / rounds));
    DbgPrint("BENCH pool.%s.%lu.alloc %lu tsc\n", pool, (unsigned long)Size, (unsigned long)(alloc / rounds));
    DbgPrint("BENCH pool.%s.%lu.free %lu tsc\n", pool, (unsigned long)Size, (unsigned long)(release / rounds));
}

/* A lookaside list's alloc+free pair once the list holds a block: what a subsystem pays for its
 * IRPs and control blocks instead of a pool pair. */
static void BenchLookasidePair(void)
{
    const ULONG rounds = 2000;
    NPAGED_LOOKASIDE_LIST list;
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 128, TAG_BENCH, 0);
    ExFreeToNPagedLookasideList(&list, ExAllocateFromNPagedLookasideList(&list));
    ULONGLONG t0 = __rdtsc();
    for (ULONG i = 0; i < rounds; i++) ExFreeToNPagedLookasideList(&list, ExAllocateFromNPagedLookasideList(&list));
    ULONGLONG t1 = __rdtsc();
    ExDeleteNPagedLookasideList(&list);
    DbgPrint("BENCH pool.lookaside.128 %lu tsc/pair\n", (unsigned long)((t1 - t0) / rounds));
}

static void BenchEmptyLoop(void)
{
    const ULONG rounds = 2000;
    ULONGLONG t0 = __rdtsc();
    for (volatile ULONG i = 0; i < rounds; i++) ;
    ULONGLONG t1 = __rdtsc();
    DbgPrint("BENCH loop.overhead %lu tsc/iteration\n", (unsigned long)((t1 - t0) / rounds));
}

VOID TstRunBenchmarks(VOID)
{
    static const SIZE_T sizes[] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 };
    DbgPrint("BENCH boot.banner %llu tsc\n", KiBannerTimeStamp);
    BenchEmptyLoop();
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) BenchPoolPair(NonPagedPool, sizes[i]);
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) BenchPoolPair(PagedPool, sizes[i]);
    BenchLookasidePair();
    TstRunServiceBenchmarks();
    TstRunPsBenchmarks();
    TstRunKeBenchmarks();
    TstRunIoBenchmarks();
}
