/*
 * init.c - MmInitSystem: replaces the boot page directory (4 MiB pages, entry.asm) with the real
 * one and builds the PFN database.
 *
 * The real directory has 4 KiB page tables everywhere, so the self-map at PTE_BASE describes every
 * kernel address. All kernel-half page tables are created now, once: every process's directory
 * will copy these entries, and no later change to the kernel half then has to be propagated.
 * Pages needed before the PFN database exists come from a bump allocator placed after everything
 * the boot loader left in memory; the PFN database then marks that range as in use.
 */
#include "mi.h"
#include "ke.h"
#include "kd.h"
#include "rtl.h"
#include "x86.h"

ULONG MmHighestPhysicalPage;
BOOLEAN MiPagingReady;
static ULONG MiEarlyNext, MiEarlyLimit;     /* physical bump allocator [Next, Limit) */

static PFN_NUMBER MiEarlyAllocatePage(void)
{
    if (MiEarlyNext + PAGE_SIZE > MiEarlyLimit)
        KeBugCheckEx(INSTALL_MORE_MEMORY, MmHighestPhysicalPage, MiEarlyNext, MiEarlyLimit, 0);
    PFN_NUMBER pfn = MiEarlyNext >> PAGE_SHIFT;
    MiEarlyNext += PAGE_SIZE;
    RtlZeroMemory(MiPfnToKseg0(pfn), PAGE_SIZE);   /* reachable through the boot map */
    return pfn;
}

/* The usable range that holds Address, for placing the bump allocator. */
static void MiChooseEarlyRange(PLOADER_PARAMETER_BLOCK lb)
{
    ULONG start = 0x100000;
    for (ULONG i = 0; i < lb->ReservedCount; i++)
        if (lb->Reserved[i].End > start) start = lb->Reserved[i].End;
    start = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    for (ULONG i = 0; i < lb->MemoryCount; i++) {
        ULONGLONG b = lb->Memory[i].Base, e = b + lb->Memory[i].Length;
        if (e > MM_KSEG0_MAX_BYTES) e = MM_KSEG0_MAX_BYTES;
        if (start >= b && start + 4 * 1024 * 1024 <= e) {
            MiEarlyNext = start;
            MiEarlyLimit = (ULONG)e & ~(PAGE_SIZE - 1);
            return;
        }
    }
    KeBugCheckEx(INSTALL_MORE_MEMORY, start, lb->MemoryCount, 0, 0);
}

static void MiFindHighestPage(PLOADER_PARAMETER_BLOCK lb)
{
    ULONGLONG top = 0;
    for (ULONG i = 0; i < lb->MemoryCount; i++) {
        ULONGLONG e = lb->Memory[i].Base + lb->Memory[i].Length;
        if (e > top) top = e;
    }
    if (top > MM_KSEG0_MAX_BYTES) top = MM_KSEG0_MAX_BYTES;   /* RAM above 768 MiB is unused */
    MmHighestPhysicalPage = (ULONG)(top >> PAGE_SHIFT) - 1;
}

/* Builds the directory through the boot map and switches to it. */
static void MiBuildPageTables(void)
{
    extern char KiImageStart[], KiReadOnlyEnd[];
    PFN_NUMBER pdPfn = MiEarlyAllocatePage();
    PMMPTE pd = MiPfnToKseg0(pdPfn);

    for (ULONG i = KSEG0_BASE >> 22; i < 1024; i++) {
        if (i == (PTE_BASE >> 22)) pd[i] = (pdPfn << PAGE_SHIFT) | PTE_VALID | PTE_WRITE;
        else pd[i] = (MiEarlyAllocatePage() << PAGE_SHIFT) | PTE_VALID | PTE_WRITE;
    }
    /* KSEG0: every page of RAM, read-only where it holds the kernel's code and constants. */
    for (PFN_NUMBER pfn = 0; pfn <= MmHighestPhysicalPage; pfn++) {
        ULONG_PTR va = KSEG0_BASE + (pfn << PAGE_SHIFT);
        PMMPTE pt = MiPfnToKseg0(pd[va >> 22] >> PAGE_SHIFT);
        BOOLEAN ro = va >= (ULONG_PTR)KiImageStart && va < (ULONG_PTR)KiReadOnlyEnd;
        pt[(va >> PAGE_SHIFT) & 1023] = (pfn << PAGE_SHIFT) | PTE_VALID | (ro ? 0 : PTE_WRITE);
    }
    __writecr3(pdPfn << PAGE_SHIFT);
    __writecr0(__readcr0() | CR0_WP);            /* the kernel, too, honours read-only pages */
    MiPagingReady = TRUE;
}

VOID MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    MiFindHighestPage(LoaderBlock);
    MiChooseEarlyRange(LoaderBlock);
    ULONG earlyStart = MiEarlyNext;
    MiBuildPageTables();

    /* The PFN database itself: contiguous pages from the bump allocator. */
    ULONG pages = (ULONG)BYTES_TO_PAGES((MmHighestPhysicalPage + 1) * sizeof(MMPFN));
    MmPfnDatabase = MiPfnToKseg0(MiEarlyAllocatePage());
    for (ULONG i = 1; i < pages; i++) MiEarlyAllocatePage();
    MiInitializePfnDatabase(LoaderBlock, earlyStart, MiEarlyNext);
    MiInitializeSharedUserData();      /* user address spaces map this page; sets the commit limit */
    DbgPrint("MM: %lu pages of RAM, %lu free, page tables and PFN database %lu KiB\n",
             (unsigned long)MmNumberOfPhysicalPages, (unsigned long)MmAvailablePages,
             (unsigned long)((MiEarlyNext - earlyStart) / 1024));
}
