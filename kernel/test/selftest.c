/*
 * selftest.c - the kernel's self-tests ("test=selftest"), run inside NanoNT on the real hardware
 * model: the pool (patterns, per-tag accounting back to baseline, big blocks, running out of
 * memory), the physical page allocator, paging and the self-map, the processor control region,
 * the clock interrupt, the formatter and the symbol table. Each prints "TEST <name>: PASS" or
 * "TEST <name>: FAIL <why>"; the run ends with "SELFTEST: N passed, M failed".
 */
#include "ki.h"
#include "ex.h"
#include "mm.h"
#include "kd.h"
#include "rtl.h"
#include "x86.h"
#include "boottest.h"

#define TAG_TEST POOL_TAG('T', 'e', 's', 't')
#define TAG_TST2 POOL_TAG('T', 's', 't', '2')

static ULONG TstSeed = 12345;
static ULONG TstRandom(void) { TstSeed = TstSeed * 1103515245u + 12345u; return TstSeed >> 8; }

static BOOLEAN TstFilled(const UCHAR *p, SIZE_T n, UCHAR v)
{
    for (SIZE_T i = 0; i < n; i++) if (p[i] != v) return FALSE;
    return TRUE;
}

static PCSTR TestPoolPatterns(void)
{
    static PUCHAR blocks[600];
    static SIZE_T sizes[600];
    POOL_TRACKER_ENTRY before, after;
    ExQueryPoolTag(TAG_TEST, &before);

    for (ULONG i = 0; i < ARRAYSIZE(blocks); i++) {
        sizes[i] = (i * 37) % 6000;
        blocks[i] = ExAllocatePoolWithTag(i & 1 ? PagedPool : NonPagedPool, sizes[i], TAG_TEST);
        CHECK(blocks[i] != NULL, "allocation failed");
        CHECK(((ULONG_PTR)blocks[i] & 7) == 0, "block not 8-byte aligned");
        CHECK(sizes[i] <= PAGE_SIZE - 8 || ((ULONG_PTR)blocks[i] & (PAGE_SIZE - 1)) == 0,
              "big block not page aligned");
        CHECK(ExQueryPoolBlockSize(blocks[i]) >= sizes[i], "block smaller than asked");
        RtlFillMemory(blocks[i], sizes[i], (UCHAR)i);
    }
    for (ULONG i = 0; i < ARRAYSIZE(blocks); i += 2) {       /* free half, reallocate, recheck */
        ExFreePoolWithTag(blocks[i], TAG_TEST);
        blocks[i] = ExAllocatePoolWithTag(NonPagedPool, sizes[i], TAG_TEST);
        CHECK(blocks[i] != NULL, "reallocation failed");
        RtlFillMemory(blocks[i], sizes[i], (UCHAR)i);
    }
    for (ULONG i = 0; i < ARRAYSIZE(blocks); i++) {
        CHECK(TstFilled(blocks[i], sizes[i], (UCHAR)i), "live blocks overlap");
        ExFreePoolWithTag(blocks[i], TAG_TEST);
    }
    ExQueryPoolTag(TAG_TEST, &after);
    for (ULONG t = 0; t < POOL_TYPE_COUNT; t++) {
        CHECK(after.Pool[t].Bytes == before.Pool[t].Bytes, "tag bytes not back to baseline");
        CHECK(after.Pool[t].Allocs - before.Pool[t].Allocs == after.Pool[t].Frees - before.Pool[t].Frees,
              "tag allocs and frees differ");
    }
    CHECK(after.Pool[0].Allocs - before.Pool[0].Allocs == 600, "wrong nonpaged alloc count");
    return NULL;
}

static PCSTR TestPoolTagCounts(void)
{
    POOL_TRACKER_ENTRY e;
    PVOID a = ExAllocatePoolWithTag(NonPagedPool, 100, TAG_TST2);
    PVOID b = ExAllocatePoolWithTag(PagedPool, 5000, TAG_TST2);
    ExQueryPoolTag(TAG_TST2, &e);
    CHECK(e.Pool[0].Allocs >= 1 && e.Pool[1].Allocs >= 1, "allocations not counted");
    CHECK(e.Pool[0].Bytes == 128 && e.Pool[1].Bytes == 2 * PAGE_SIZE, "bytes outstanding wrong");
    ExFreePoolWithTag(a, TAG_TST2);
    ExFreePool(b);
    ExQueryPoolTag(TAG_TST2, &e);
    CHECK(e.Pool[0].Bytes == 0 && e.Pool[1].Bytes == 0, "bytes not back to zero");
    CHECK(e.Pool[0].Allocs == e.Pool[0].Frees && e.Pool[1].Allocs == e.Pool[1].Frees, "frees not counted");
    return NULL;
}

static PCSTR TestPoolBigUnmapped(void)
{
    ULONG avail = MmAvailablePages;
    PUCHAR p = ExAllocatePoolWithTag(NonPagedPool, 10 * PAGE_SIZE, TAG_TEST);
    CHECK(p != NULL, "allocation failed");
    CHECK(MmAvailablePages == avail - 10, "big block did not take 10 pages");
    CHECK(TstFilled(p, 10 * PAGE_SIZE, 0), "new pages not zeroed");
    ExFreePoolWithTag(p, TAG_TEST);
    CHECK(MmAvailablePages == avail, "pages not returned");
    CHECK(!MmIsAddressValid(p) && !MmIsAddressValid(p + 9 * PAGE_SIZE), "freed pages still mapped");
    return NULL;
}

static PCSTR TestPoolExhaustion(void)
{
    static PVOID blocks[20000];
    ULONG n = 0, avail = MmAvailablePages;
    POOL_USAGE before, after;
    ExQueryPoolUsage(PagedPool, &before);
    while (n < ARRAYSIZE(blocks) && (blocks[n] = ExAllocatePoolWithTag(PagedPool, 64 * 1024, TAG_TEST)))
        n++;
    CHECK(n > 0 && n < ARRAYSIZE(blocks), "pool never reported exhaustion");
    DbgPrint("  paged pool gave %lu blocks of 64 KiB before returning NULL\n", (unsigned long)n);
    while (n) ExFreePoolWithTag(blocks[--n], TAG_TEST);
    ExQueryPoolUsage(PagedPool, &after);
    CHECK(after.BytesInUse == before.BytesInUse, "pool bytes not back to baseline");
    CHECK(MmAvailablePages == avail, "physical pages not returned");
    PVOID p = ExAllocatePoolWithTag(PagedPool, 64 * 1024, TAG_TEST);
    CHECK(p != NULL, "pool unusable after exhaustion");
    ExFreePoolWithTag(p, TAG_TEST);
    return NULL;
}

static PCSTR TestPoolRandom(void)
{
    static PUCHAR live[256];
    static USHORT size[256];
    POOL_TRACKER_ENTRY before, after;
    ExQueryPoolTag(TAG_TEST, &before);
    for (ULONG op = 0; op < 20000; op++) {
        ULONG i = TstRandom() % ARRAYSIZE(live);
        if (live[i]) {
            CHECK(TstFilled(live[i], size[i], (UCHAR)(i ^ size[i])), "block contents changed");
            ExFreePoolWithTag(live[i], TAG_TEST);
            live[i] = NULL;
        } else {
            size[i] = (USHORT)(TstRandom() % (TstRandom() % 8 ? 300 : 9000));
            live[i] = ExAllocatePoolWithTag(TstRandom() & 1 ? PagedPool : NonPagedPool, size[i], TAG_TEST);
            CHECK(live[i] != NULL, "allocation failed");
            RtlFillMemory(live[i], size[i], (UCHAR)(i ^ size[i]));
        }
    }
    for (ULONG i = 0; i < ARRAYSIZE(live); i++)
        if (live[i]) { ExFreePoolWithTag(live[i], TAG_TEST); live[i] = NULL; }
    ExQueryPoolTag(TAG_TEST, &after);
    CHECK(after.Pool[0].Bytes == before.Pool[0].Bytes && after.Pool[1].Bytes == before.Pool[1].Bytes,
          "tag bytes not back to baseline");
    return NULL;
}

static PCSTR TestPhysicalPages(void)
{
    static PFN_NUMBER pages[2000];
    ULONG avail = MmAvailablePages;
    for (ULONG i = 0; i < ARRAYSIZE(pages); i++) {
        pages[i] = MmAllocatePhysicalPage();
        CHECK(pages[i] != 0 && pages[i] <= MmHighestPhysicalPage, "bad page number");
        CHECK(TstFilled(MiPfnToKseg0(pages[i]), PAGE_SIZE, 0), "page not zeroed");
        RtlFillMemory(MiPfnToKseg0(pages[i]), PAGE_SIZE, 0xA5);
        extern char KiImageStart[], KiImageEnd[];
        ULONG pa = pages[i] << PAGE_SHIFT;
        CHECK(pa >= 0x100000, "page below 1 MiB handed out");
        CHECK(pa + KSEG0_BASE >= (ULONG)KiImageEnd || pa + KSEG0_BASE + PAGE_SIZE <= (ULONG)KiImageStart,
              "kernel image page handed out");
        for (ULONG m = 0; m < KeLoaderBlock.ModuleCount; m++)
            CHECK(pa >= KeLoaderBlock.Modules[m].PhysicalStart + KeLoaderBlock.Modules[m].Size ||
                  pa + PAGE_SIZE <= KeLoaderBlock.Modules[m].PhysicalStart, "boot module page handed out");
    }
    CHECK(MmAvailablePages == avail - ARRAYSIZE(pages), "available count wrong");
    for (ULONG i = 1; i < ARRAYSIZE(pages); i++)     /* the list is a stack, so distinct pages */
        for (ULONG j = i > 64 ? i - 64 : 0; j < i; j++) CHECK(pages[i] != pages[j], "page handed out twice");
    for (ULONG i = 0; i < ARRAYSIZE(pages); i++) MmFreePhysicalPage(pages[i]);
    CHECK(MmAvailablePages == avail, "pages not returned");
    return NULL;
}

static PCSTR TestPaging(void)
{
    PMMPTE selfPde = MiGetPdeAddress(PTE_BASE);
    CHECK((*selfPde & ~(PAGE_SIZE - 1)) == (__readcr3() & ~(PAGE_SIZE - 1)), "self-map PDE is not CR3");
    CHECK((*MiGetPteAddress(PDE_BASE) & ~(PAGE_SIZE - 1)) == (__readcr3() & ~(PAGE_SIZE - 1)),
          "page directory not at PDE_BASE");
    extern char KiImageStart[];
    CHECK(MmGetPhysicalAddress(KiImageStart) == 0x100000, "kernel not at 1 MiB physical");
    CHECK(!(*MiGetPteAddress(KiImageStart) & PTE_WRITE), "kernel code is writable");
    CHECK(*MiGetPteAddress(&TstSeed) & PTE_WRITE, "kernel data is read-only");
    CHECK(__readcr0() & CR0_WP, "CR0.WP is off");
    CHECK(!MmIsAddressValid((PVOID)0) && !MmIsAddressValid((PVOID)0x00400000), "user space mapped");

    PVOID va = (PVOID)(MM_KERNEL_STACK_END - PAGE_SIZE);     /* a free spot in the stack region */
    PFN_NUMBER pfn = MmAllocatePhysicalPage();
    CHECK(MmMapKernelPage(va, pfn, TRUE), "map failed");
    CHECK(MmIsAddressValid(va) && MmGetPhysicalAddress(va) == pfn << PAGE_SHIFT, "mapping wrong");
    *(volatile ULONG *)va = 0x12345678;
    CHECK(*(volatile ULONG *)MiPfnToKseg0(pfn) == 0x12345678, "write not seen through KSEG0");
    CHECK(MmUnmapKernelPage(va) == pfn && !MmIsAddressValid(va), "unmap failed");
    MmFreePhysicalPage(pfn);

    PCHAR stack = KeGetCurrentThread()->InitialStack, limit = KeGetCurrentThread()->StackLimit;
    CHECK(MmIsAddressValid(limit) && !MmIsAddressValid(limit - 1), "kernel stack has no guard page");
    CHECK((PCHAR)&va < stack && (PCHAR)&va >= limit, "not running on the kernel stack");
    return NULL;
}

static PCSTR TestPcrAndIrql(void)
{
    CHECK(KeGetPcr() == &KiPcr, "fs:[0x1C] is not the KPCR");
    CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL, "not at PASSIVE_LEVEL");
    KIRQL old, old2;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    CHECK(old == PASSIVE_LEVEL && KiPcr.Irql == DISPATCH_LEVEL, "raise to DISPATCH failed");
    KeRaiseIrql(HIGH_LEVEL, &old2);
    CHECK(!(__readeflags() & EFLAGS_IF), "HIGH_LEVEL leaves interrupts on");
    KeLowerIrql(old2);
    CHECK(__readeflags() & EFLAGS_IF, "interrupts not back on");
    KeLowerIrql(old);
    CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL, "lower failed");
    return NULL;
}

static PCSTR TestClock(void)
{
    ULONG start = KeTickCount;
    for (ULONG spins = 0; KeTickCount < start + 3; spins++) {
        CHECK(spins < 1000, "clock interrupt not arriving");
        __halt();
    }
    return NULL;
}

static PCSTR TestFormat(void)
{
    char b[64];
    RtlFormat(b, sizeof(b), "%d|%5u|%-4x|%08X|%s|%c|%%", -42, 7u, 0xabu, 0xBEEFu, "nt", 'k');
    CHECK(RtlCompareStringN(b, "-42|    7|ab  |0000BEEF|nt|k|%", 64) == 0, "formatting wrong");
    RtlFormat(b, sizeof(b), "%llu %lld", 12345678901234ull, -9ll);
    CHECK(RtlCompareStringN(b, "12345678901234 -9", 64) == 0, "64-bit formatting wrong");
    CHECK(RtlFormat(b, 4, "abcdef") == 6 && RtlCompareStringN(b, "abc", 4) == 0, "truncation wrong");
    CHECK(RtlComputeCrc32(0, "123456789", 9) == 0xCBF43926u, "CRC-32 check value wrong");
    return NULL;
}

VOID KiSystemStartup(ULONG, ULONG);
static PCSTR TestSymbols(void)
{
    ULONG_PTR off;
    PCSTR name = KeLookupSymbol((ULONG_PTR)KiSystemStartup + 3, &off);
    CHECK(name && RtlCompareStringN(name, "KiSystemStartup", 32) == 0 && off == 3, "symbol lookup wrong");
    name = KeLookupSymbol((ULONG_PTR)ExAllocatePoolWithTag, &off);
    CHECK(name && RtlCompareStringN(name, "ExAllocatePoolWithTag", 32) == 0 && off == 0, "symbol lookup wrong");
    return NULL;
}

static PCSTR TestBootModules(void)
{
    for (ULONG i = 0; i < KeLoaderBlock.ModuleCount; i++) {
        PBOOT_MODULE m = &KeLoaderBlock.Modules[i];
        CHECK(m->VirtualStart != NULL, "module outside the KSEG0 map");
        CHECK((m->PhysicalStart & (PAGE_SIZE - 1)) == 0, "module not page aligned");
        CHECK(MmIsAddressValid(m->VirtualStart), "module not mapped");
    }
    return NULL;
}

SELFTEST("ke.pcr_irql", TestPcrAndIrql);
SELFTEST("ke.clock", TestClock);
SELFTEST("ke.symbols", TestSymbols);
SELFTEST("ke.boot_modules", TestBootModules);
SELFTEST("rtl.format", TestFormat);
SELFTEST("mm.physical_pages", TestPhysicalPages);
SELFTEST("mm.paging", TestPaging);
SELFTEST("ex.pool_patterns", TestPoolPatterns);
SELFTEST("ex.pool_tag_counts", TestPoolTagCounts);
SELFTEST("ex.pool_big_unmapped", TestPoolBigUnmapped);
SELFTEST("ex.pool_random", TestPoolRandom);
SELFTEST("ex.pool_exhaustion", TestPoolExhaustion);

extern const SELFTEST KiSelfTestsStart[], KiSelfTestsEnd[];

/* Runs the registered tests in name order (the linker's order is not meaningful). */
ULONG TstRunSelfTests(PCSTR Filter)
{
    ULONG passed = 0, failed = 0;
    SIZE_T flen = Filter ? RtlStringLength(Filter) : 0;
    const SELFTEST *last = NULL;
    for (;;) {
        const SELFTEST *next = NULL;        /* smallest name greater than the last one run */
        for (const SELFTEST *t = KiSelfTestsStart; t < KiSelfTestsEnd; t++) {
            if (last && RtlCompareStringN(t->Name, last->Name, 64) <= 0) continue;
            if (!next || RtlCompareStringN(t->Name, next->Name, 64) < 0) next = t;
        }
        if (!next) break;
        last = next;
        if (flen && RtlCompareStringN(next->Name, Filter, flen) != 0) continue;
        PCSTR why = next->Routine();
        if (why) { failed++; DbgPrint("TEST %s: FAIL %s\n", next->Name, why); }
        else { passed++; DbgPrint("TEST %s: PASS\n", next->Name); }
    }
    ExDumpPoolTags();
    DbgPrint("SELFTEST: %lu passed, %lu failed\n", (unsigned long)passed, (unsigned long)failed);
    return failed;
}
