/*
 * pte.c - user page tables of any address space. They are reached through KSEG0 (all RAM is
 * mapped there), not through the self-map at PTE_BASE, so the same code serves the current
 * address space and one being built or torn down from elsewhere. Each address space counts the
 * non-zero PTEs of every user page table, so an emptied table goes back to the free list at once.
 */
#include "mi.h"
#include "ke.h"
#include "x86.h"

#define MI_USER_PDES (KSEG0_BASE >> 22)

static BOOLEAN MiIsCurrent(PMM_ADDRESS_SPACE As)
{
    return (__readcr3() >> PAGE_SHIFT) == As->DirectoryPfn;
}

static PMMPTE MiDirectory(PMM_ADDRESS_SPACE As)
{
    return MiPfnToKseg0(As->DirectoryPfn);
}

PMMPTE MiLocatePte(PMM_ADDRESS_SPACE As, ULONG_PTR Va, BOOLEAN Create)
{
    PMMPTE pde = &MiDirectory(As)[Va >> 22];
    if (!(*pde & PTE_VALID)) {
        if (!Create) return NULL;
        PFN_NUMBER table = MmAllocatePhysicalPage();     /* zeroed: every PTE "not committed" */
        if (table == 0) return NULL;
        /* Access is decided per page, so the directory entry allows everything. */
        *pde = (table << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER;
        As->PageTablePages++;
        As->PageTableUse[Va >> 22] = 0;
        if (MiIsCurrent(As)) __invlpg(MiGetPteAddress(Va));    /* the self-map's view of it */
    }
    PMMPTE table = MiPfnToKseg0(*pde >> PAGE_SHIFT);
    return &table[(Va >> PAGE_SHIFT) & 1023];
}

MMPTE MiReadPte(PMM_ADDRESS_SPACE As, ULONG_PTR Va)
{
    PMMPTE pte = MiLocatePte(As, Va, FALSE);
    return pte ? *pte : 0;
}

VOID MiWritePte(PMM_ADDRESS_SPACE As, ULONG_PTR Va, PMMPTE Pte, MMPTE Value)
{
    ULONG pdi = Va >> 22;
    MMPTE old = *Pte;
    *Pte = Value;
    if (old == 0 && Value != 0) As->PageTableUse[pdi]++;
    if (old != 0 && Value == 0) As->PageTableUse[pdi]--;
    BOOLEAN current = MiIsCurrent(As);
    if (current && (old & PTE_VALID)) __invlpg((PVOID)Va);
    if (old != 0 && Value == 0 && As->PageTableUse[pdi] == 0 && pdi < MI_USER_PDES) {
        PMMPTE pde = &MiDirectory(As)[pdi];
        PFN_NUMBER table = *pde >> PAGE_SHIFT;
        *pde = 0;
        if (current) __invlpg(MiGetPteAddress(Va));
        As->PageTablePages--;
        MmFreePhysicalPage(table);
    }
}

MMPTE MiMakeValidPte(PFN_NUMBER Pfn, ULONG Protection)
{
    MMPTE pte = (Pfn << PAGE_SHIFT) | PTE_VALID | PTE_OWNER |
                ((Protection & 7) << MI_PTE_VALID_PROT_SHIFT);
    if (MiIsWritable(Protection)) pte |= PTE_WRITE;
    if (Protection & MM_NOCACHE) pte |= MI_PTE_CACHE_DISABLE;
    return pte;
}

MMPTE MiMakeTransitionPte(PFN_NUMBER Pfn, ULONG Protection)
{
    return (Pfn << PAGE_SHIFT) | MI_PTE_TRANSITION | MiMakeSoftwarePte(Protection);
}
