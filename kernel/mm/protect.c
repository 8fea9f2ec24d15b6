/*
 * protect.c - page protections: translation between Win32 PAGE_* values and NT's 5-bit encoding
 * kept in PTEs, which views a section's protection allows, and MmProtectVirtualMemory (where, in
 * an image view, write access to a page the image does not share becomes copy-on-write, as on NT).
 */
#include "mi.h"
#include "ke.h"
#include "ntstatus.h"

/* Indexed by the bit number of the Win32 base protection (PAGE_NOACCESS = bit 0 ...). */
static const UCHAR MiBaseFromWin32[8] = {
    MM_NOACCESS, MM_READONLY, MM_READWRITE, MM_WRITECOPY,
    MM_EXECUTE, MM_EXECUTE_READ, MM_EXECUTE_READWRITE, MM_EXECUTE_WRITECOPY,
};
static const ULONG MiWin32FromBase[8] = {
    0, PAGE_READONLY, PAGE_EXECUTE, PAGE_EXECUTE_READ,
    PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY,
};

/* Exactly one base protection; PAGE_GUARD or PAGE_NOCACHE (not both, and neither with
 * PAGE_NOACCESS, whose encoding is the two modifier bits alone). */
ULONG MiMakeProtectionMask(ULONG Win32Protect)
{
    ULONG base = Win32Protect & 0xFF, mods = Win32Protect & (PAGE_GUARD | PAGE_NOCACHE);
    if ((Win32Protect & ~0x3FFu) || base == 0 || (base & (base - 1))) return MM_INVALID_PROTECTION;
    if (base == PAGE_NOACCESS) return mods ? MM_INVALID_PROTECTION : MM_NOACCESS;
    if (mods == (PAGE_GUARD | PAGE_NOCACHE)) return MM_INVALID_PROTECTION;
    ULONG mask = MiBaseFromWin32[__builtin_ctz(base)];
    if (mods & PAGE_GUARD) mask |= MM_GUARD_PAGE;
    if (mods & PAGE_NOCACHE) mask |= MM_NOCACHE;
    return mask;
}

ULONG MiProtectionToWin32(ULONG Protection)
{
    if (Protection == MM_NOACCESS) return PAGE_NOACCESS;
    ULONG win32 = MiWin32FromBase[Protection & 7];
    if (win32 == 0) return 0;
    if (Protection & MM_GUARD_PAGE) win32 |= PAGE_GUARD;
    if (Protection & MM_NOCACHE) win32 |= PAGE_NOCACHE;
    return win32;
}

/* What a protection needs of the section under a view: read, write, copy-on-write, execute.
 * A view may ask only for what the section grants (NT's compatible-protection rule); a
 * read-only section still allows write-copy views, whose writes never reach it. */
#define MI_CAN_READ 1
#define MI_CAN_WRITE 2
#define MI_CAN_COPY 4
#define MI_CAN_EXECUTE 8
static ULONG MiNeeds(ULONG Protection)
{
    static const UCHAR needs[8] = {
        0, MI_CAN_READ, MI_CAN_EXECUTE, MI_CAN_READ | MI_CAN_EXECUTE,
        MI_CAN_READ | MI_CAN_WRITE, MI_CAN_READ | MI_CAN_COPY,
        MI_CAN_READ | MI_CAN_WRITE | MI_CAN_EXECUTE, MI_CAN_READ | MI_CAN_COPY | MI_CAN_EXECUTE,
    };
    return needs[Protection & 7];
}

BOOLEAN MiIsViewProtectionAllowed(ULONG SectionProtection, ULONG ViewProtection)
{
    ULONG grants = MiNeeds(SectionProtection);
    if (grants & MI_CAN_READ) grants |= MI_CAN_COPY;
    if (grants & MI_CAN_WRITE) grants |= MI_CAN_COPY;
    return (MiNeeds(ViewProtection) & ~grants) == 0;
}

/* One committed page's new protection. A resident page keeps its frame: made valid with the new
 * rights, or parked as a transition PTE when guard/no-access must make its next touch fault. */
NTSTATUS MiSetPageProtection(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Va, ULONG Mask)
{
    PMMPTE pte = MiLocatePte(As, Va, TRUE);
    if (pte == NULL) return STATUS_NO_MEMORY;
    MMPTE v = *pte;
    if (!MiHasFrame(v)) {
        MiWritePte(As, Va, pte, MiMakeSoftwarePte(Mask));
        return STATUS_SUCCESS;
    }
    PFN_NUMBER pfn = v >> PAGE_SHIFT;
    /* A view's private copy is already copied: write-copy on it means plain write. */
    if (Vad->Type == MEM_MAPPED && MiIsWriteCopy(Mask) &&
        !MiIsSegmentFrame(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(Va) - Vad->StartingVpn), pfn))
        Mask = (Mask & ~7u) | ((Mask & 7) == MM_WRITECOPY ? MM_READWRITE : MM_EXECUTE_READWRITE);
    if (Mask == MM_NOACCESS || (Mask & MM_GUARD_PAGE)) MiWritePte(As, Va, pte, MiMakeTransitionPte(pfn, Mask));
    else MiWritePte(As, Va, pte, MiMakeValidPte(pfn, Mask));
    return STATUS_SUCCESS;
}

/* In an image view, write access to a page the image does not share means copy-on-write, as on
 * NT: a loader or debugger that asks for PAGE_READWRITE on code gets its own copy of the page
 * when it writes, never a change to the frame every process runs. */
static BOOLEAN MiIsSharedImagePage(PMMVAD Vad, ULONG_PTR Va)
{
    ULONG own = MiSegmentPageProtection(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(Va) - Vad->StartingVpn)) & 7;
    return own == MM_READWRITE || own == MM_EXECUTE_READWRITE;                 /* IMAGE_SCN_MEM_SHARED */
}

static ULONG MiImageWriteToCopy(PMMVAD Vad, ULONG_PTR Va, ULONG Mask)
{
    if (!(Vad->Flags & MI_VAD_IMAGE) || ((Mask & 7) != MM_READWRITE && (Mask & 7) != MM_EXECUTE_READWRITE) ||
        MiIsSharedImagePage(Vad, Va))
        return Mask;
    return (Mask & ~7u) | ((Mask & 7) == MM_READWRITE ? MM_WRITECOPY : MM_EXECUTE_WRITECOPY);
}

/* 1 if Mask makes an image page copy-on-write that the image did not map so (and so did not
 * charge for at map time). */
static ULONG MiIsNewImageCopy(PMMVAD Vad, ULONG_PTR Va, ULONG Mask)
{
    if (!(Vad->Flags & MI_VAD_IMAGE) || !MiIsWriteCopy(MiImageWriteToCopy(Vad, Va, Mask))) return 0;
    ULONG own = MiSegmentPageProtection(Vad->Segment, Vad->FirstSegmentPage + (MI_VPN(Va) - Vad->StartingVpn));
    return MiIsWriteCopy(own) ? 0 : 1;
}

/* May Mask be asked of a view's page at Va? An image is checked page by page, after write became
 * copy-on-write where the page is not shared. */
static BOOLEAN MiIsProtectionAllowed(PMMVAD Vad, ULONG_PTR Va, ULONG Mask)
{
    if (Vad->Type != MEM_MAPPED) return TRUE;
    if ((Vad->Flags & MI_VAD_IMAGE) && MiIsSharedImagePage(Vad, Va)) return TRUE;   /* writable for all */
    return MiIsViewProtectionAllowed(Vad->Segment->ProtectionMask, MiImageWriteToCopy(Vad, Va, Mask));
}

NTSTATUS MmProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG NewProtect,
                                PULONG OldProtect)
{
    PMM_ADDRESS_SPACE as = MiGetCurrentAddressSpace();
    if (as == NULL) return STATUS_INVALID_PARAMETER;
    ULONG mask = MiMakeProtectionMask(NewProtect);
    if (mask == MM_INVALID_PROTECTION) return STATUS_INVALID_PAGE_PROTECTION;
    ULONG_PTR base = (ULONG_PTR)*BaseAddress;
    SIZE_T size = *RegionSize;
    if (base > MM_HIGHEST_VAD_ADDRESS) return STATUS_INVALID_PARAMETER_2;
    if (size == 0 || MM_HIGHEST_VAD_ADDRESS - base < size - 1) return STATUS_INVALID_PARAMETER_3;
    ULONG_PTR start = base & ~(ULONG_PTR)(PAGE_SIZE - 1);
    ULONG_PTR end = (base + size - 1) | (PAGE_SIZE - 1);

    MiLockAddressSpace(as);
    NTSTATUS status = STATUS_SUCCESS;
    PMMVAD vad = MiLocateVad(as, start);
    ULONG state, old = 0;
    if (vad == NULL || MI_VPN(end) > vad->EndingVpn) status = STATUS_CONFLICTING_ADDRESSES;
    else if (vad->Flags & MI_VAD_NO_CHANGE) status = STATUS_INVALID_PAGE_PROTECTION;
    else if (vad->Type == MEM_PRIVATE && MiIsWriteCopy(mask)) status = STATUS_INVALID_PAGE_PROTECTION;
    else if (!(vad->Flags & MI_VAD_IMAGE) && !MiIsProtectionAllowed(vad, start, mask))
        status = STATUS_SECTION_PROTECTION;
    for (ULONG_PTR va = start; NT_SUCCESS(status) && va < end; va += PAGE_SIZE) {
        ULONG protection;
        MiQueryPageState(as, vad, va, &state, &protection);
        if (state != MEM_COMMIT) status = STATUS_NOT_COMMITTED;
        else if (!MiIsProtectionAllowed(vad, va, mask)) status = STATUS_SECTION_PROTECTION;   /* images */
        else if (va == start) old = protection;
    }
    /* Image pages that become copy-on-write here may each need a private page: charged now, as
     * at map time, and returned with the view (a page reprotected twice is charged twice). */
    ULONG charge = 0;
    for (ULONG_PTR va = start; NT_SUCCESS(status) && va < end; va += PAGE_SIZE)
        charge += MiIsNewImageCopy(vad, va, mask);
    if (NT_SUCCESS(status) && charge) {
        if (MiChargeCommitment(as, charge)) vad->CommitCharge += charge;
        else status = STATUS_COMMITMENT_LIMIT;
    }
    for (ULONG_PTR va = start; NT_SUCCESS(status) && va < end; va += PAGE_SIZE)
        status = MiSetPageProtection(as, vad, va, MiImageWriteToCopy(vad, va, mask));
    MiUnlockAddressSpace(as);
    if (!NT_SUCCESS(status)) return status;
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start + 1;
    *OldProtect = MiProtectionToWin32(old);
    return STATUS_SUCCESS;
}
