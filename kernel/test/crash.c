/*
 * crash.c - deliberate bug checks ("crash=<name>" on the command line), one per path that must
 * end in a readable stop screen: pool misuse caught by the allocator, CPU exceptions caught by
 * the trap handlers, and a kernel stack overflow caught by the double-fault task.
 */
#include "ke.h"
#include "ex.h"
#include "rtl.h"
#include "mm.h"
#include "boottest.h"

#define TAG_CRASH POOL_TAG('C', 'r', 's', 'h')

static volatile ULONG TstZero;

/* Recurses until the stack runs out (the depth limit only keeps the compiler from objecting). */
static ULONG TstRecurse(ULONG Depth)
{
    volatile char pad[256];
    pad[0] = (char)Depth;
    if (Depth == 0xFFFFFFFFu) return 0;
    return TstRecurse(Depth + 1) + pad[0];
}

static void CrashPoolDoubleFree(void)
{
    PVOID p = ExAllocatePoolWithTag(NonPagedPool, 40, TAG_CRASH);
    ExFreePoolWithTag(p, TAG_CRASH);
    ExFreePoolWithTag(p, TAG_CRASH);
}

static void CrashPoolOverrun(void)
{
    PUCHAR p = ExAllocatePoolWithTag(PagedPool, 100, TAG_CRASH);
    PVOID q = ExAllocatePoolWithTag(PagedPool, 100, TAG_CRASH);
    RtlFillMemory(p, 140, 0x41);        /* runs over into the next block's header */
    ExFreePoolWithTag(p, TAG_CRASH);
    ExFreePoolWithTag(q, TAG_CRASH);
}

static void CrashPoolBadPointer(void)
{
    PUCHAR p = ExAllocatePoolWithTag(NonPagedPool, 64, TAG_CRASH);
    ExFreePool(p + 16);
}

static void CrashPoolWrongTag(void)
{
    PVOID p = ExAllocatePoolWithTag(NonPagedPool, 64, TAG_CRASH);
    ExFreePoolWithTag(p, POOL_TAG('W', 'r', 'n', 'g'));
}

static void CrashPageFault(void) { *(volatile ULONG *)0xCAFE0000u = 1; }
static void CrashKernelPageFault(void) { *(volatile ULONG *)(MM_NONPAGED_POOL_START + MM_POOL_BYTES - PAGE_SIZE) = 1; }
static void CrashReadOnly(void) { extern char KiImageStart[]; *(volatile char *)(KiImageStart + 16) = 0; }
static void CrashDivide(void) { TstZero = 10 / TstZero; }
static void CrashInvalidOpcode(void) { __asm__ volatile("ud2"); }
static void CrashStackOverflow(void) { TstZero = TstRecurse(0); }
static void CrashManual(void) { KeBugCheckEx(MANUALLY_INITIATED_CRASH, 0, 0, 0, 0); }

static const struct { PCSTR Name; void (*Routine)(void); } TstCrashes[] = {
    { "pool-double-free", CrashPoolDoubleFree },
    { "pool-overrun", CrashPoolOverrun },
    { "pool-bad-pointer", CrashPoolBadPointer },
    { "pool-wrong-tag", CrashPoolWrongTag },
    { "page-fault", CrashPageFault },
    { "unmapped-pool", CrashKernelPageFault },
    { "write-readonly", CrashReadOnly },
    { "divide", CrashDivide },
    { "invalid-opcode", CrashInvalidOpcode },
    { "stack-overflow", CrashStackOverflow },
    { "manual", CrashManual },
};

BOOLEAN TstCrash(PCSTR Name)
{
    for (ULONG i = 0; i < ARRAYSIZE(TstCrashes); i++) {
        if (RtlCompareStringN(Name, TstCrashes[i].Name, 64) == 0) {
            TstCrashes[i].Routine();
            return TRUE;   /* only if the crash failed to crash */
        }
    }
    return FALSE;
}
