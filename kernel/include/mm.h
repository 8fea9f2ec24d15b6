/*
 * mm.h - the memory manager (Mm): physical pages (the PFN database), the kernel's page tables
 * (self-mapped at PTE_BASE) and the system address regions.
 *
 * Kernel address space (NT x86 classic, 2-level paging, 4 KiB pages):
 *   0x80000000 - 0xAFFFFFFF  all RAM (up to 768 MiB) mapped at 0x80000000 + physical; the kernel
 *                            image (physical 1 MiB) is therefore at 0x80100000
 *   0xC0000000 - 0xC03FFFFF  page tables, self-mapped (PTE_BASE); the page directory at 0xC0300000
 *   0xD0000000 - 0xD3FFFFFF  nonpaged pool
 *   0xE1000000 - 0xE4FFFFFF  paged pool (nonpaged underneath for now)
 *   0xF0000000 - 0xF0FFFFFF  kernel stacks, each with an unmapped guard page below it
 */
#ifndef MM_H
#define MM_H

#include "ntdef.h"
#include "arc.h"

#define KSEG0_BASE          0x80000000u
#define MM_KSEG0_MAX_BYTES  0x30000000u           /* 768 MiB of RAM mapped at KSEG0 */
#define PTE_BASE            0xC0000000u
#define PDE_BASE            0xC0300000u
#define MM_NONPAGED_POOL_START 0xD0000000u
#define MM_PAGED_POOL_START    0xE1000000u
#define MM_POOL_BYTES          0x04000000u        /* 64 MiB of address space per pool */
#define MM_KERNEL_STACK_START  0xF0000000u
#define MM_KERNEL_STACK_END    0xF1000000u

#define PTE_VALID    0x001u
#define PTE_WRITE    0x002u
#define PTE_OWNER    0x004u      /* user-accessible */
#define PTE_ACCESSED 0x020u
#define PTE_DIRTY    0x040u
#define PTE_LARGE    0x080u

typedef ULONG MMPTE, *PMMPTE;
typedef ULONG PFN_NUMBER;

#define MiGetPdeAddress(va) ((PMMPTE)(PDE_BASE + (((ULONG_PTR)(va) >> 22) << 2)))
#define MiGetPteAddress(va) ((PMMPTE)(PTE_BASE + (((ULONG_PTR)(va) >> 12) << 2)))
#define MiPfnToKseg0(pfn) ((PVOID)(KSEG0_BASE + ((ULONG_PTR)(pfn) << PAGE_SHIFT)))
#define MiKseg0ToPfn(va) ((PFN_NUMBER)(((ULONG_PTR)(va) - KSEG0_BASE) >> PAGE_SHIFT))

VOID MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock);

/* Physical pages. */
extern ULONG MmNumberOfPhysicalPages;   /* usable RAM pages the PFN database tracks */
extern ULONG MmAvailablePages;          /* pages on the free list now */
extern ULONG MmHighestPhysicalPage;
PFN_NUMBER MmAllocatePhysicalPage(VOID);   /* zeroed; 0 when none is left */
VOID MmFreePhysicalPage(PFN_NUMBER Pfn);

/* Kernel mappings. */
BOOLEAN MmMapKernelPage(PVOID Va, PFN_NUMBER Pfn, BOOLEAN Writable);
PFN_NUMBER MmUnmapKernelPage(PVOID Va);
BOOLEAN MmIsAddressValid(PVOID Va);
ULONG MmGetPhysicalAddress(PVOID Va);

/* Pool backing: maps fresh zeroed pages at Va.., or unmaps them and frees the frames. */
BOOLEAN MiPoolMapPages(PVOID Va, ULONG Pages);
VOID MiPoolUnmapPages(PVOID Va, ULONG Pages);

/* Kernel stacks: Pages of stack below the returned top, with a no-access guard page under it. */
PVOID MmCreateKernelStack(ULONG Pages);
VOID MmDeleteKernelStack(PVOID StackTop, ULONG Pages);

/* Page fault resolution; STATUS_SUCCESS when the access may be retried. */
NTSTATUS MmAccessFault(BOOLEAN Write, PVOID Address, ULONG Mode);

#endif
