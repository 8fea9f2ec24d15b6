/*
 * virtual.c - private virtual memory: MmAllocateVirtualMemory (reserve, commit, both) and
 * MmFreeVirtualMemory (decommit, release), with NT's rounding and errors, and the commit charge.
 *
 * Reservations start on a 64 KiB boundary and end on a page boundary; commits are page-granular.
 * Committing writes a software PTE holding the protection (demand zero): the frame comes on the
 * first touch (fault.c), so a commit costs charge and page tables, not memory.
 */
#include "mi.h"
#include "ke.h"
#include "ntstatus.h"

ULONG MmTotalCommittedPages, MmTotalCommitLimit;

static BOOLEAN MiTryChargeCommitment(PMM_ADDRESS_SPACE As, ULONG Pages)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN ok = Pages <= MmTotalCommitLimit - MmTotalCommittedPages;
    if (ok) {
        MmTotalCommittedPages += Pages;
        if (As) As->CommitCharge += Pages;
    }
    KeLowerIrql(old);
    return ok;
}

/* Unused cached images hold commitment too: short of it, they go first (when the caller may
 * close their files: below DISPATCH_LEVEL). */
BOOLEAN MiChargeCommitment(PMM_ADDRESS_SPACE As, ULONG Pages)
{
    if (MiTryChargeCommitment(As, Pages)) return TRUE;
    return KeGetCurrentIrql() == PASSIVE_LEVEL && MiPurgeImageCache() && MiTryChargeCommitment(As, Pages);
}

VOID MiReturnCommitment(PMM_ADDRESS_SPACE As, ULONG Pages)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    MmTotalCommittedPages -= Pages;
    if (As) As->CommitCharge -= Pages;
    KeLowerIrql(old);
}

/* The pages of [Va, End] (End inclusive) that share Va's page table: walks go one table at a
 * time, so a range of many pages costs one directory lookup per 4 MiB, not one per page. */
static ULONG MiPagesInTable(ULONG_PTR Va, ULONG_PTR End)
{
    ULONG left = (ULONG)(MI_VPN(End) - MI_VPN(Va)) + 1;
    ULONG inTable = 1024 - (ULONG)(MI_VPN(Va) & 1023);
    return left < inTable ? left : inTable;
}

ULONG MiDeletePteRange(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End)
{
    ULONG committed = 0;
    for (ULONG_PTR va = MI_VA(MI_VPN(Start)); va <= End;) {
        ULONG n = MiPagesInTable(va, End);
        ULONG_PTR next = va + ((ULONG_PTR)n << PAGE_SHIFT);
        PMMPTE pte = MiLocatePte(As, va, FALSE);        /* NULL: no page table, nothing there */
        for (ULONG i = 0; pte && i < n; i++) {
            MMPTE v = pte[i];
            if (v == 0) continue;
            ULONG_PTR pageVa = va + ((ULONG_PTR)i << PAGE_SHIFT);
            if (MiHasFrame(v)) {
                PFN_NUMBER pfn = v >> PAGE_SHIFT;
                if (Vad->Flags & MI_VAD_NO_CHANGE) { /* the shared page belongs to no process */
                } else if (Vad->Type == MEM_MAPPED &&
                           MiIsSegmentFrame(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(pageVa) - Vad->StartingVpn),
                                            pfn)) {
                    MiDereferencePage(pfn);
                } else {
                    MmFreePhysicalPage(pfn);
                }
            }
            if (!(Vad->Flags & MI_VAD_NO_CHANGE)) committed++;
            if (MiWriteInvalidPte(As, pageVa, &pte[i], 0)) continue;
            MiWritePte(As, pageVa, &pte[i], 0);
            if (As->PageTableUse[va >> 22] == 0) break;   /* the table emptied and is freed */
        }
        if (next == 0) break;                              /* wrapped: End was the last page */
        va = next;
    }
    return committed;
}

/* Commits [Start, End] of a private VAD: software PTEs with the protection; pages already
 * committed just take the new protection, as NT does. */
static NTSTATUS MiCommitPrivate(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End,
                                ULONG Mask)
{
    ULONG fresh = 0;
    ULONG_PTR last = End - 1;                               /* pages that start below End */
    for (ULONG_PTR va = Start; va < End;) {
        ULONG n = MiPagesInTable(va, last);
        PMMPTE pte = MiLocatePte(As, va, FALSE);
        for (ULONG i = 0; i < n; i++) if (pte == NULL || pte[i] == 0) fresh++;
        va += (ULONG_PTR)n << PAGE_SHIFT;
    }
    if (!MiChargeCommitment(As, fresh)) return STATUS_COMMITMENT_LIMIT;
    MMPTE software = MiMakeSoftwarePte(Mask);
    for (ULONG_PTR va = Start; va < End;) {
        ULONG n = MiPagesInTable(va, last);
        PMMPTE pte = MiLocatePte(As, va, TRUE);
        if (pte == NULL) {
            /* Undo only what this call committed would need a record; give back the charge of
             * the pages not reached and leave the rest committed (still consistent). */
            ULONG left = 0;
            for (ULONG_PTR v2 = va; v2 < End; v2 += PAGE_SIZE) if (MiReadPte(As, v2) == 0) left++;
            MiReturnCommitment(As, left);
            return STATUS_NO_MEMORY;
        }
        for (ULONG i = 0; i < n; i++) {
            ULONG_PTR pageVa = va + ((ULONG_PTR)i << PAGE_SHIFT);
            if (pte[i] != 0) MiSetPageProtection(As, Vad, pageVa, Mask);
            else if (!MiWriteInvalidPte(As, pageVa, &pte[i], software)) MiWritePte(As, pageVa, &pte[i], software);
        }
        va += (ULONG_PTR)n << PAGE_SHIFT;
    }
    return STATUS_SUCCESS;
}

NTSTATUS MiCommitView(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End, ULONG Mask);

static NTSTATUS MiReserve(PMM_ADDRESS_SPACE As, ULONG_PTR Base, SIZE_T Size, ULONG_PTR ZeroBits,
                          ULONG Type, ULONG Protect, ULONG Mask, PULONG_PTR Start, PULONG_PTR End)
{
    ULONG_PTR start, end;
    if (Base == 0) {
        Size = ROUND_TO_PAGES(Size);
        NTSTATUS status = MiFindEmptyRange(As, Size, MM_ALLOCATION_GRANULARITY,
                                           MiZeroBitsToHighest(ZeroBits), (Type & MEM_TOP_DOWN) != 0, &start);
        if (!NT_SUCCESS(status)) return status;
        end = start + Size - 1;
    } else {
        start = Base & ~(ULONG_PTR)(MM_ALLOCATION_GRANULARITY - 1);
        end = ((Base + Size - 1) | (PAGE_SIZE - 1));
        if (MiFirstConflictingVad(As, start, end)) return STATUS_CONFLICTING_ADDRESSES;
    }
    PMMVAD vad = MiAllocateVad(start, end, MEM_PRIVATE, Protect);
    if (vad == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    MiInsertVad(As, vad);
    if (Type & MEM_COMMIT) {
        NTSTATUS status = MiCommitPrivate(As, vad, start, end, Mask);
        if (!NT_SUCCESS(status)) {
            MiReturnCommitment(As, MiDeletePteRange(As, vad, start, end));
            MiRemoveVad(vad);
            MiFreeVad(vad);
            return status;
        }
    }
    *Start = start;
    *End = end;
    return STATUS_SUCCESS;
}

static NTSTATUS MiCommit(PMM_ADDRESS_SPACE As, ULONG_PTR Base, SIZE_T Size, ULONG Mask,
                         PULONG_PTR Start, PULONG_PTR End)
{
    ULONG_PTR start = Base & ~(ULONG_PTR)(PAGE_SIZE - 1), end = (Base + Size - 1) | (PAGE_SIZE - 1);
    PMMVAD vad = MiLocateVad(As, start);
    if (vad == NULL || MI_VPN(end) > vad->EndingVpn || (vad->Flags & MI_VAD_NO_CHANGE))
        return STATUS_CONFLICTING_ADDRESSES;
    NTSTATUS status;
    if (vad->Type == MEM_MAPPED) status = MiCommitView(As, vad, start, end, Mask);
    else if (MiIsWriteCopy(Mask)) status = STATUS_INVALID_PAGE_PROTECTION;
    else status = MiCommitPrivate(As, vad, start, end, Mask);
    *Start = start;
    *End = end;
    return status;
}

NTSTATUS MmAllocateVirtualMemory(PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                 ULONG AllocationType, ULONG Protect)
{
    PMM_ADDRESS_SPACE as = MiGetCurrentAddressSpace();
    if (as == NULL) return STATUS_INVALID_PARAMETER;
    if (ZeroBits > MM_MAXIMUM_ZERO_BITS) return STATUS_INVALID_PARAMETER_3;
    if ((AllocationType & ~(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN)) ||
        !(AllocationType & (MEM_COMMIT | MEM_RESERVE)))
        return STATUS_INVALID_PARAMETER_5;
    ULONG mask = MiMakeProtectionMask(Protect);
    if (mask == MM_INVALID_PROTECTION) return STATUS_INVALID_PAGE_PROTECTION;
    ULONG_PTR base = (ULONG_PTR)*BaseAddress;
    SIZE_T size = *RegionSize;
    if (base > MM_HIGHEST_VAD_ADDRESS || (base != 0 && base < MM_LOWEST_USER_ADDRESS))
        return STATUS_INVALID_PARAMETER_2;
    if (size == 0 || MM_HIGHEST_VAD_ADDRESS - base + 1 < size) return STATUS_INVALID_PARAMETER_4;
    if (base != 0 && base + size - 1 > MiZeroBitsToHighest(ZeroBits)) return STATUS_INVALID_PARAMETER_3;

    ULONG_PTR start, end;
    NTSTATUS status;
    MiLockAddressSpace(as);
    if ((AllocationType & MEM_RESERVE) || base == 0) {
        /* Private memory cannot be write-copy: there is nothing to copy from. */
        if (MiIsWriteCopy(mask)) status = STATUS_INVALID_PAGE_PROTECTION;
        else status = MiReserve(as, base, size, ZeroBits, AllocationType, Protect, mask, &start, &end);
    } else {
        status = MiCommit(as, base, size, mask, &start, &end);
    }
    MiUnlockAddressSpace(as);
    if (!NT_SUCCESS(status)) return status;
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start + 1;
    return STATUS_SUCCESS;
}

/* Releases [Start, End] of a private VAD: whole, trimmed at one end, or split in two. */
static NTSTATUS MiRelease(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End)
{
    PMMVAD upper = NULL;
    BOOLEAN atStart = MI_VPN(Start) == Vad->StartingVpn, atEnd = MI_VPN(End) == Vad->EndingVpn;
    if (!atStart && !atEnd) {
        upper = MiAllocateVad(End + 1, MI_VA(Vad->EndingVpn), MEM_PRIVATE, Vad->AllocationProtect);
        if (upper == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    }
    MiReturnCommitment(As, MiDeletePteRange(As, Vad, Start, End));
    if (atStart && atEnd) {
        MiRemoveVad(Vad);
        MiFreeVad(Vad);
    } else if (atStart) {
        Vad->StartingVpn = MI_VPN(End) + 1;
    } else if (atEnd) {
        Vad->EndingVpn = MI_VPN(Start) - 1;
    } else {
        Vad->EndingVpn = MI_VPN(Start) - 1;
        MiInsertVad(As, upper);
    }
    return STATUS_SUCCESS;
}

NTSTATUS MmFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    PMM_ADDRESS_SPACE as = MiGetCurrentAddressSpace();
    if (as == NULL) return STATUS_INVALID_PARAMETER;
    if (FreeType != MEM_DECOMMIT && FreeType != MEM_RELEASE) return STATUS_INVALID_PARAMETER_4;
    ULONG_PTR base = (ULONG_PTR)*BaseAddress;
    SIZE_T size = *RegionSize;
    if (base > MM_HIGHEST_VAD_ADDRESS) return STATUS_INVALID_PARAMETER_2;
    if (MM_HIGHEST_VAD_ADDRESS - base + 1 < size) return STATUS_INVALID_PARAMETER_3;

    MiLockAddressSpace(as);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR start = 0, end = 0;
    PMMVAD vad = MiLocateVad(as, base);
    if (vad == NULL) status = STATUS_MEMORY_NOT_ALLOCATED;
    else if (vad->Type == MEM_MAPPED) status = STATUS_UNABLE_TO_DELETE_SECTION;
    else if (vad->Flags & MI_VAD_NO_CHANGE) status = STATUS_UNABLE_TO_FREE_VM;
    else if (size == 0) {
        /* The whole reservation; releasing it must name its base. */
        if (FreeType == MEM_RELEASE && base != MI_VA(vad->StartingVpn)) status = STATUS_FREE_VM_NOT_AT_BASE;
        start = FreeType == MEM_RELEASE ? MI_VA(vad->StartingVpn) : base & ~(ULONG_PTR)(PAGE_SIZE - 1);
        end = MI_VA(vad->EndingVpn) + PAGE_SIZE - 1;
    } else {
        start = base & ~(ULONG_PTR)(PAGE_SIZE - 1);
        end = (base + size - 1) | (PAGE_SIZE - 1);
        if (MI_VPN(end) > vad->EndingVpn) status = STATUS_UNABLE_TO_FREE_VM;
    }
    if (NT_SUCCESS(status)) {
        if (FreeType == MEM_RELEASE) status = MiRelease(as, vad, start, end);
        else MiReturnCommitment(as, MiDeletePteRange(as, vad, start, end));
    }
    MiUnlockAddressSpace(as);
    if (!NT_SUCCESS(status)) return status;
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start + 1;
    return STATUS_SUCCESS;
}
