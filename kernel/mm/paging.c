/*
 * paging.c - kernel mappings through the self-mapped page tables: the PTE of any address va is at
 * PTE_BASE + (va >> 12) * 4, its PDE at PDE_BASE + (va >> 22) * 4. Kernel page tables all exist
 * from MmInitSystem on, so mapping a kernel page never allocates.
 */
#include "mi.h"
#include "ke.h"
#include "x86.h"

BOOLEAN MmIsAddressValid(PVOID Va)
{
    ULONG_PTR va = (ULONG_PTR)Va;
    if (!MiPagingReady) return va >= KSEG0_BASE && va < KSEG0_BASE + 0x40000000u;   /* boot map */
    if (!(*MiGetPdeAddress(va) & PTE_VALID)) return FALSE;
    if (*MiGetPdeAddress(va) & PTE_LARGE) return TRUE;
    return (*MiGetPteAddress(va) & PTE_VALID) != 0;
}

ULONG MmGetPhysicalAddress(PVOID Va)
{
    if (!MmIsAddressValid(Va)) return 0;
    return (*MiGetPteAddress(Va) & ~(PAGE_SIZE - 1)) | ((ULONG_PTR)Va & (PAGE_SIZE - 1));
}

BOOLEAN MmMapKernelPage(PVOID Va, PFN_NUMBER Pfn, BOOLEAN Writable)
{
    if ((ULONG_PTR)Va < KSEG0_BASE || !(*MiGetPdeAddress(Va) & PTE_VALID)) return FALSE;
    PMMPTE pte = MiGetPteAddress(Va);
    if (*pte & PTE_VALID) KeBugCheckEx(MEMORY_MANAGEMENT, 0x1234, (ULONG_PTR)Va, *pte, Pfn);
    *pte = (Pfn << PAGE_SHIFT) | PTE_VALID | (Writable ? PTE_WRITE : 0);
    __invlpg(Va);
    return TRUE;
}

PFN_NUMBER MmUnmapKernelPage(PVOID Va)
{
    PMMPTE pte = MiGetPteAddress(Va);
    if (!(*pte & PTE_VALID)) return 0;
    PFN_NUMBER pfn = *pte >> PAGE_SHIFT;
    *pte = 0;
    __invlpg(Va);
    return pfn;
}

BOOLEAN MiPoolMapPages(PVOID Va, ULONG Pages)
{
    for (ULONG i = 0; i < Pages; i++) {
        PFN_NUMBER pfn = MmAllocatePhysicalPage();
        if (pfn == 0) {
            MiPoolUnmapPages(Va, i);
            return FALSE;
        }
        MmMapKernelPage((PCHAR)Va + i * PAGE_SIZE, pfn, TRUE);
    }
    return TRUE;
}

VOID MiPoolUnmapPages(PVOID Va, ULONG Pages)
{
    for (ULONG i = 0; i < Pages; i++) {
        PFN_NUMBER pfn = MmUnmapKernelPage((PCHAR)Va + i * PAGE_SIZE);
        if (pfn) MmFreePhysicalPage(pfn);
    }
}
