/*
 * query.c - what a page is (free, reserved, committed; its protection) and
 * MmQueryVirtualMemory, which reports it as Windows does in MEMORY_BASIC_INFORMATION: the run
 * of pages from the queried one that share state and protection, within one VAD.
 */
#include "mi.h"
#include "ke.h"
#include "ntstatus.h"

VOID MiQueryPageState(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Va, PULONG State, PULONG Protection)
{
    MMPTE pte = MiReadPte(As, Va);
    ULONG protection = pte ? MiPteProtection(pte) : 0;
    if (Vad->Type == MEM_MAPPED) {
        /* A view's commit state is the segment's, shared by every view; a zero PTE means the
         * protection the view was mapped with. */
        if (!MiIsSegmentPageCommitted(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(Va) - Vad->StartingVpn)))
            protection = 0;
        else if (protection == 0 && Vad->Segment->Image)
            protection = MiSegmentPageProtection(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(Va) - Vad->StartingVpn));
        else if (protection == 0)
            protection = Vad->ViewProtection;
    }
    *State = protection ? MEM_COMMIT : MEM_RESERVE;
    *Protection = protection;
}

NTSTATUS MmQueryVirtualMemory(PVOID BaseAddress, PMEMORY_BASIC_INFORMATION Info)
{
    PMM_ADDRESS_SPACE as = MiGetCurrentAddressSpace();
    if (as == NULL) return STATUS_INVALID_PARAMETER;
    ULONG_PTR va = (ULONG_PTR)BaseAddress & ~(ULONG_PTR)(PAGE_SIZE - 1);
    if ((ULONG_PTR)BaseAddress > MM_HIGHEST_VAD_ADDRESS) return STATUS_INVALID_PARAMETER_2;

    MiLockAddressSpace(as);
    PMMVAD vad = MiLocateVad(as, va);
    Info->BaseAddress = (PVOID)va;
    if (vad == NULL) {
        /* Free: up to the next VAD. Windows reports PAGE_NOACCESS and no type here. */
        PMMVAD next = MiFirstConflictingVad(as, va, MM_HIGHEST_VAD_ADDRESS);
        ULONG_PTR end = next ? MI_VA(next->StartingVpn) : MM_HIGHEST_VAD_ADDRESS + 1;
        Info->AllocationBase = NULL;
        Info->AllocationProtect = 0;
        Info->RegionSize = end - va;
        Info->State = MEM_FREE;
        Info->Protect = PAGE_NOACCESS;
        Info->Type = 0;
    } else {
        ULONG state, protection, s, p;
        MiQueryPageState(as, vad, va, &state, &protection);
        ULONG_PTR next = va + PAGE_SIZE, last = MI_VA(vad->EndingVpn);
        while (next <= last) {
            /* A private range with no page table is reserved through its whole 4 MiB. */
            if (vad->Type == MEM_PRIVATE && state == MEM_RESERVE && !MiLocatePte(as, next, FALSE)) {
                next = (next | 0x3FFFFF) + 1;
                continue;
            }
            MiQueryPageState(as, vad, next, &s, &p);
            if (s != state || p != protection) break;
            next += PAGE_SIZE;
        }
        if (next > last + PAGE_SIZE) next = last + PAGE_SIZE;
        Info->AllocationBase = (PVOID)MI_VA(vad->StartingVpn);
        Info->AllocationProtect = vad->AllocationProtect;
        Info->RegionSize = next - va;
        Info->State = state;
        Info->Protect = state == MEM_COMMIT ? MiProtectionToWin32(protection) : 0;
        Info->Type = (vad->Flags & MI_VAD_IMAGE) ? MEM_IMAGE : vad->Type;
    }
    MiUnlockAddressSpace(as);
    return STATUS_SUCCESS;
}
