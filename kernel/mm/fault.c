/*
 * fault.c - MmAccessFault, the memory manager's side of a page fault. Kernel addresses are all
 * resident, so a fault there is never resolved. In the user half the VAD and the PTE decide:
 *   committed, no frame yet      -> demand zero (private) or the section's shared page (view)
 *   PAGE_GUARD                   -> the guard is removed and STATUS_GUARD_PAGE_VIOLATION returned;
 *                                   the next touch succeeds - unless it is the guard page below the
 *                                   thread's own user stack: the stack grows (the page below becomes
 *                                   the guard, TEB StackLimit moves down) and the access is retried;
 *                                   with no room left for a guard, STATUS_STACK_OVERFLOW
 *   write to a write-copy page   -> a private copy of the page, then read-write
 *   write to read-only, no access, reserved or free -> STATUS_ACCESS_VIOLATION
 * STATUS_SUCCESS means the access may be retried. Called below DISPATCH_LEVEL, in user or
 * kernel mode (kernel code touching user memory), always in the faulting thread's address space.
 */
#include "mi.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"
#include "x86.h"
#include "pebteb.h"
#include "svc.h"

#define MiSegmentIndex(vad, va) ((vad)->FirstSegmentPage + (MI_VPN(va) - (vad)->StartingVpn))

/* Write-copy becomes plain write once the page is private. */
static ULONG MiCopiedProtection(ULONG Protection)
{
    ULONG base = (Protection & 7) == MM_WRITECOPY ? MM_READWRITE : MM_EXECUTE_READWRITE;
    return (Protection & ~7u) | base;
}

static NTSTATUS MiMakeValid(PMM_ADDRESS_SPACE As, ULONG_PTR Va, PFN_NUMBER Pfn, ULONG Protection)
{
    PMMPTE pte = MiLocatePte(As, Va, TRUE);
    if (pte == NULL) return STATUS_NO_MEMORY;
    MiWritePte(As, Va, pte, MiMakeValidPte(Pfn, Protection));
    return STATUS_SUCCESS;
}

/* First write to a write-copy page that is resident: copy it unless it is already private. */
static NTSTATUS MiCopyOnWrite(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Va, PFN_NUMBER Pfn,
                              ULONG Protection)
{
    ULONG writable = MiCopiedProtection(Protection);
    if (Vad->Type != MEM_MAPPED || !MiIsSegmentFrame(Vad->Segment, MiSegmentIndex(Vad, Va), Pfn))
        return MiMakeValid(As, Va, Pfn, writable);
    PFN_NUMBER copy = MiAllocateUserPage();
    if (copy == 0) return STATUS_NO_MEMORY;
    RtlCopyMemory(MiPfnToKseg0(copy), MiPfnToKseg0(Pfn), PAGE_SIZE);
    NTSTATUS status = MiMakeValid(As, Va, copy, writable);
    if (!NT_SUCCESS(status)) MmFreePhysicalPage(copy);
    else MiDereferencePage(Pfn);
    return status;
}

/* A frame for a committed page that has none: zeroed (private) or the segment's, referenced
 * for this PTE, or a copy of it for the first write through a write-copy view. */
static NTSTATUS MiMaterialize(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Va, BOOLEAN Write,
                              ULONG Protection)
{
    PFN_NUMBER pfn;
    if (Vad->Type == MEM_PRIVATE) {
        pfn = MiAllocateUserPage();
        if (pfn == 0) return STATUS_NO_MEMORY;
    } else {
        PFN_NUMBER shared = MiGetSegmentPage(Vad->Segment, MiSegmentIndex(Vad, Va));
        if (shared == 0) return STATUS_NO_MEMORY;
        if (Write && MiIsWriteCopy(Protection)) {
            pfn = MiAllocateUserPage();
            if (pfn == 0) return STATUS_NO_MEMORY;
            RtlCopyMemory(MiPfnToKseg0(pfn), MiPfnToKseg0(shared), PAGE_SIZE);
            Protection = MiCopiedProtection(Protection);
        } else {
            MiReferencePage(shared);
            pfn = shared;
        }
    }
    NTSTATUS status = MiMakeValid(As, Va, pfn, Protection);
    if (!NT_SUCCESS(status)) {
        if (Vad->Type == MEM_MAPPED && MiIsSegmentFrame(Vad->Segment, MiSegmentIndex(Vad, Va), pfn))
            MiDereferencePage(pfn);
        else
            MmFreePhysicalPage(pfn);
    }
    return status;
}

static NTSTATUS MiResolveFault(PMM_ADDRESS_SPACE As, BOOLEAN Write, ULONG_PTR Va)
{
    PMMVAD vad = MiLocateVad(As, Va);
    if (vad == NULL) return STATUS_ACCESS_VIOLATION;
    MMPTE pte = MiReadPte(As, Va);
    if (pte & PTE_VALID) {
        ULONG protection = MiPteProtection(pte);
        if (Write && MiIsWriteCopy(protection)) return MiCopyOnWrite(As, vad, Va, pte >> PAGE_SHIFT, protection);
        if (Write && !MiIsWritable(protection)) return STATUS_ACCESS_VIOLATION;
        __invlpg((PVOID)Va);        /* already fine: the TLB held an older entry */
        return STATUS_SUCCESS;
    }
    ULONG state, protection;
    MiQueryPageState(As, vad, Va, &state, &protection);
    if (state != MEM_COMMIT) return STATUS_ACCESS_VIOLATION;
    if (MiIsGuard(protection)) {
        /* A one-shot alarm: clear it, report it; the retried access then proceeds. */
        PMMPTE p = MiLocatePte(As, Va, TRUE);
        if (p == NULL) return STATUS_NO_MEMORY;
        ULONG cleared = protection & ~MM_GUARD_PAGE;
        MiWritePte(As, Va, p, MiHasFrame(pte) ? MiMakeTransitionPte(pte >> PAGE_SHIFT, cleared)
                                              : MiMakeSoftwarePte(cleared));
        return STATUS_GUARD_PAGE_VIOLATION;
    }
    if (protection == MM_NOACCESS) return STATUS_ACCESS_VIOLATION;
    if (Write && !MiIsWritable(protection) && !MiIsWriteCopy(protection)) return STATUS_ACCESS_VIOLATION;
    if (MiHasFrame(pte)) {                               /* transition: resident, made accessible */
        if (Write && MiIsWriteCopy(protection))
            return MiCopyOnWrite(As, vad, Va, pte >> PAGE_SHIFT, protection);
        return MiMakeValid(As, Va, pte >> PAGE_SHIFT, protection);
    }
    return MiMaterialize(As, vad, Va, Write, protection);
}

/* The guard page at Va was just touched: if it is in the current thread's user stack, the stack
 * grows into it, as NT's do (the stack's reservation ends one page below its lowest possible
 * guard, so running off it is STATUS_STACK_OVERFLOW, not a silent overwrite). */
static NTSTATUS MiGrowUserStack(ULONG_PTR Va)
{
    PKTHREAD t = KeGetCurrentThread();
    PTEB teb = t->Teb;
    PVOID base, bottom;
    if (teb == NULL || t->AttachedProcess != NULL ||
        !NT_SUCCESS(KeCopyFromUser(&base, &teb->NtTib.StackBase, sizeof(base))) ||
        !NT_SUCCESS(KeCopyFromUser(&bottom, &teb->DeallocationStack, sizeof(bottom))) ||
        Va < (ULONG_PTR)bottom || Va >= (ULONG_PTR)base)
        return STATUS_GUARD_PAGE_VIOLATION;                 /* someone else's guard page */
    ULONG_PTR page = (ULONG_PTR)PAGE_ALIGN(Va);
    PVOID guard = (PVOID)(page - PAGE_SIZE);
    SIZE_T size = PAGE_SIZE;
    if (page < (ULONG_PTR)bottom + 2 * PAGE_SIZE ||
        !NT_SUCCESS(MmAllocateVirtualMemory(&guard, 0, &size, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD)))
        return STATUS_STACK_OVERFLOW;
    PVOID limit = (PVOID)page;
    KeCopyToUser(&teb->NtTib.StackLimit, &limit, sizeof(limit));
    return STATUS_SUCCESS;
}

NTSTATUS MmAccessFault(BOOLEAN Write, PVOID Address, ULONG Mode)
{
    UNREFERENCED_PARAMETER(Mode);        /* every user page is user-accessible, so mode never matters */
    ULONG_PTR va = (ULONG_PTR)Address;
    if (va < MM_LOWEST_USER_ADDRESS || va > MM_HIGHEST_VAD_ADDRESS) return STATUS_ACCESS_VIOLATION;
    PMM_ADDRESS_SPACE as = MiGetCurrentAddressSpace();
    if (as == NULL) return STATUS_ACCESS_VIOLATION;
    MiLockAddressSpace(as);
    NTSTATUS status = MiResolveFault(as, Write, va);
    MiUnlockAddressSpace(as);
    if (status == STATUS_GUARD_PAGE_VIOLATION) status = MiGrowUserStack(va);   /* without the lock */
    return status;
}
