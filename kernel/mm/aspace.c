/*
 * aspace.c - user address spaces: creation (a page directory whose kernel half is the system's
 * and whose user half starts empty but for KUSER_SHARED_DATA), deletion (every page, page table,
 * VAD and the directory), the per-space lock, and moving the current thread between spaces.
 */
#include "mi.h"
#include "ke.h"
#include "ki.h"
#include "rtl.h"
#include "ntstatus.h"

#define MI_SELF_MAP_PDE (PTE_BASE >> 22)      /* 0x300 */
#define MI_USER_PDES    (KSEG0_BASE >> 22)    /* 512 */

PMM_ADDRESS_SPACE MiGetCurrentAddressSpace(VOID)
{
    if (KeGetCurrentThread() == NULL) return NULL;     /* early boot: no thread, no process */
    return (PMM_ADDRESS_SPACE)KeGetCurrentAddressSpaceProcess()->AddressSpace;
}

VOID MiLockAddressSpace(PMM_ADDRESS_SPACE As)
{
    KeWaitForSingleObject(&As->Lock, Executive, KernelMode, FALSE, NULL);
}

VOID MiUnlockAddressSpace(PMM_ADDRESS_SPACE As)
{
    KeReleaseMutant(&As->Lock, MUTANT_INCREMENT, FALSE, FALSE, NULL);
}

PKPROCESS MiSwitchAddressSpace(PKPROCESS Process)
{
    PKTHREAD t = KeGetCurrentThread();
    PKPROCESS was = KiAddressSpaceOf(t);
    if (was == Process) return was;
    if (t->AttachedProcess) KeDetachProcess();
    if (Process != t->Process) KeAttachProcess(Process);
    return was;
}

NTSTATUS MmCreateAddressSpace(PKPROCESS Process)
{
    PMM_ADDRESS_SPACE as = ExAllocatePoolWithTag(NonPagedPool, sizeof(*as), TAG_MM_ASPACE);
    if (as == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(as, sizeof(*as));
    as->DirectoryPfn = MmAllocatePhysicalPage();
    if (as->DirectoryPfn == 0) {
        ExFreePoolWithTag(as, TAG_MM_ASPACE);
        return STATUS_NO_MEMORY;
    }
    KeInitializeMutant(&as->Lock, FALSE);
    InitializeListHead(&as->VadListHead);

    /* Kernel half: the same page tables as every other directory (all exist since boot, so this
     * copy never goes stale); then the self-map entry pointing at this directory. */
    PMMPTE pd = MiPfnToKseg0(as->DirectoryPfn);
    RtlCopyMemory(&pd[MI_USER_PDES], MiGetPdeAddress(KSEG0_BASE), MI_USER_PDES * sizeof(MMPTE));
    pd[MI_SELF_MAP_PDE] = (as->DirectoryPfn << PAGE_SHIFT) | PTE_VALID | PTE_WRITE;

    NTSTATUS status = MiMapSharedUserData(as);
    if (!NT_SUCCESS(status)) {
        MmFreePhysicalPage(as->DirectoryPfn);
        ExFreePoolWithTag(as, TAG_MM_ASPACE);
        return status;
    }
    Process->AddressSpace = as;
    Process->DirectoryTableBase = as->DirectoryPfn << PAGE_SHIFT;
    return STATUS_SUCCESS;
}

VOID MmDeleteAddressSpace(PKPROCESS Process)
{
    PMM_ADDRESS_SPACE as = Process->AddressSpace;
    if (as == NULL) return;
    if (KeGetCurrentAddressSpaceProcess() == Process)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4100, (ULONG_PTR)Process, 0, 0);
    while (!IsListEmpty(&as->VadListHead)) {
        PMMVAD vad = CONTAINING_RECORD(as->VadListHead.Flink, MMVAD, VadLinks);
        if (vad->Type == MEM_MAPPED) {
            MiUnmapView(as, vad);
            continue;
        }
        ULONG committed = MiDeletePteRange(as, vad, MI_VA(vad->StartingVpn), MI_VA(vad->EndingVpn));
        MiReturnCommitment(as, committed);
        MiRemoveVad(vad);
        MiFreeVad(vad);
    }
    /* Every PTE is zero now, so MiWritePte has freed every page table; check rather than trust. */
    PMMPTE pd = MiPfnToKseg0(as->DirectoryPfn);
    for (ULONG i = 0; i < MI_USER_PDES; i++)
        if (pd[i] & PTE_VALID) KeBugCheckEx(MEMORY_MANAGEMENT, 0x4101, i, pd[i], as->PageTableUse[i]);
    if (as->CommitCharge != 0 || as->PageTablePages != 0)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4102, as->CommitCharge, as->PageTablePages, 0);
    MmFreePhysicalPage(as->DirectoryPfn);
    ExFreePoolWithTag(as, TAG_MM_ASPACE);
    Process->AddressSpace = NULL;
    Process->DirectoryTableBase = KiSystemProcess.DirectoryTableBase;
}
