/*
 * pfn.c - the PFN database and the physical page allocator: one MMPFN per page of RAM, free pages
 * on a singly-linked list threaded through the database. Pages handed out are zeroed, so no data
 * crosses from one owner to the next.
 */
#include "mi.h"
#include "ke.h"
#include "rtl.h"

PMMPFN MmPfnDatabase;
ULONG MmNumberOfPhysicalPages, MmAvailablePages;
static PFN_NUMBER MiFreeListHead;

static BOOLEAN MiIsReserved(PLOADER_PARAMETER_BLOCK lb, ULONG Pa, ULONG EarlyStart, ULONG EarlyEnd)
{
    if (Pa < 0x100000 || (Pa >= EarlyStart && Pa < EarlyEnd)) return TRUE;
    for (ULONG i = 0; i < lb->ReservedCount; i++)
        if (Pa + PAGE_SIZE > lb->Reserved[i].Start && Pa < lb->Reserved[i].End) return TRUE;
    return FALSE;
}

VOID MiInitializePfnDatabase(PLOADER_PARAMETER_BLOCK lb, ULONG EarlyStart, ULONG EarlyEnd)
{
    RtlZeroMemory(MmPfnDatabase, (MmHighestPhysicalPage + 1) * sizeof(MMPFN));
    /* Walk downwards so the free list hands out low pages first. */
    for (ULONG i = 0; i < lb->MemoryCount; i++) {
        ULONGLONG b = lb->Memory[i].Base, e = b + lb->Memory[i].Length;
        for (ULONGLONG pa = (b + PAGE_SIZE - 1) & ~(ULONGLONG)(PAGE_SIZE - 1);
             pa + PAGE_SIZE <= e && (pa >> PAGE_SHIFT) <= MmHighestPhysicalPage; pa += PAGE_SIZE) {
            PMMPFN pfn = &MmPfnDatabase[pa >> PAGE_SHIFT];
            MmNumberOfPhysicalPages++;
            pfn->State = MiIsReserved(lb, (ULONG)pa, EarlyStart, EarlyEnd) ? MMPFN_BOOT : MMPFN_FREE;
        }
    }
    for (PFN_NUMBER p = MmHighestPhysicalPage; p > 0; p--) {
        if (MmPfnDatabase[p].State != MMPFN_FREE) continue;
        MmPfnDatabase[p].NextFree = MiFreeListHead;
        MiFreeListHead = p;
        MmAvailablePages++;
    }
}

PFN_NUMBER MmAllocatePhysicalPage(VOID)
{
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);     /* callers include interrupt-time paths later */
    PFN_NUMBER p = MiFreeListHead;
    if (p != 0) {
        PMMPFN pfn = &MmPfnDatabase[p];
        if (pfn->State != MMPFN_FREE) KeBugCheckEx(PFN_LIST_CORRUPT, 0x99, p, pfn->State, 0);
        MiFreeListHead = pfn->NextFree;
        pfn->NextFree = 0;
        pfn->State = MMPFN_ACTIVE;
        pfn->ReferenceCount = 1;
        MmAvailablePages--;
    }
    KeLowerIrql(old);
    if (p != 0) RtlZeroMemory(MiPfnToKseg0(p), PAGE_SIZE);
    return p;
}

VOID MmFreePhysicalPage(PFN_NUMBER Page)
{
    if (Page == 0 || Page > MmHighestPhysicalPage || MmPfnDatabase[Page].State != MMPFN_ACTIVE)
        KeBugCheckEx(PFN_LIST_CORRUPT, 0x99, Page,
                     Page <= MmHighestPhysicalPage ? MmPfnDatabase[Page].State : 0, 1);
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    PMMPFN pfn = &MmPfnDatabase[Page];
    pfn->State = MMPFN_FREE;
    pfn->ReferenceCount = 0;
    pfn->NextFree = MiFreeListHead;
    MiFreeListHead = Page;
    MmAvailablePages++;
    KeLowerIrql(old);
}

/* Shared frames (a segment's pages, mapped by several views) carry one reference per user. */
VOID MiReferencePage(PFN_NUMBER Page)
{
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    if (MmPfnDatabase[Page].State != MMPFN_ACTIVE) KeBugCheckEx(PFN_LIST_CORRUPT, 0x9A, Page, 0, 0);
    MmPfnDatabase[Page].ReferenceCount++;
    KeLowerIrql(old);
}

VOID MiDereferencePage(PFN_NUMBER Page)
{
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    PMMPFN pfn = &MmPfnDatabase[Page];
    if (pfn->State != MMPFN_ACTIVE || pfn->ReferenceCount == 0)
        KeBugCheckEx(PFN_LIST_CORRUPT, 0x9A, Page, pfn->ReferenceCount, 1);
    BOOLEAN last = --pfn->ReferenceCount == 0;
    if (last) pfn->ReferenceCount = 1;       /* MmFreePhysicalPage expects an active page */
    KeLowerIrql(old);
    if (last) MmFreePhysicalPage(Page);
}
