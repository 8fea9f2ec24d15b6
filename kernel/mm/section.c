/*
 * section.c - sections and their views. A section object describes a shareable range of memory;
 * its SEGMENT holds the pages (NT's control area and prototype PTEs in one): one entry per page,
 * the frame allocated on first touch through any view and then shared by every view of every
 * process, so a write through one view is seen through all. Write-copy views get a private copy of
 * a page on its first write (fault.c). The segment lives while the section object or any view
 * refers to it, so a view outlives a closed section handle, as on NT.
 *
 * Page-file backed here; image segments (SEC_IMAGE) are built by imagesect.c, which fills every
 * page at creation and gives each its own protection, and keeps unused ones cached. BackingFile is
 * where the I/O manager will attach a data file (pages read on first touch instead of zeroed).
 */
#include "mi.h"
#include "ob.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"

/* ---- Segments ---------------------------------------------------------------------------- */

/* The page array is shared across address spaces: DISPATCH_LEVEL is its lock (one processor). */
PFN_NUMBER MiGetSegmentPage(PSEGMENT Segment, ULONG Index)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PFN_NUMBER pfn = Segment->Pages[Index] >> PAGE_SHIFT;
    if (pfn == 0) {
        pfn = MmAllocatePhysicalPage();             /* zeroed: a page-file section starts empty */
        if (pfn) Segment->Pages[Index] |= pfn << PAGE_SHIFT;
    }
    KeLowerIrql(old);
    return pfn;
}

BOOLEAN MiIsSegmentPageCommitted(PSEGMENT Segment, ULONG Index)
{
    return Index < Segment->TotalPages && (Segment->Pages[Index] & MI_SEGMENT_COMMITTED);
}

BOOLEAN MiIsSegmentFrame(PSEGMENT Segment, ULONG Index, PFN_NUMBER Pfn)
{
    return Index < Segment->TotalPages && (Segment->Pages[Index] >> PAGE_SHIFT) == Pfn;
}

NTSTATUS MiCommitSegmentPages(PSEGMENT Segment, ULONG First, ULONG Count)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ULONG fresh = 0;
    for (ULONG i = First; i < First + Count; i++)
        if (!(Segment->Pages[i] & MI_SEGMENT_COMMITTED)) fresh++;
    BOOLEAN ok = MiChargeCommitment(NULL, fresh);
    if (ok) {
        for (ULONG i = First; i < First + Count; i++) Segment->Pages[i] |= MI_SEGMENT_COMMITTED;
        Segment->CommitCharge += fresh;
    }
    KeLowerIrql(old);
    return ok ? STATUS_SUCCESS : STATUS_COMMITMENT_LIMIT;
}

VOID MiReferenceSegment(PSEGMENT Segment)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Segment->ReferenceCount++;
    KeLowerIrql(old);
}

/* The image segment a file already has, referenced; NULL if none (or it is just going). The
 * count and the file's pointer change together at DISPATCH_LEVEL, so a segment whose last
 * reference went is never picked up again. */
PSEGMENT MiReferenceImageSegment(SECTION_OBJECT_POINTERS *Pointers)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PSEGMENT seg = Pointers->ImageSectionObject;
    if (seg && seg->ReferenceCount > 0) seg->ReferenceCount++;
    else seg = NULL;
    KeLowerIrql(old);
    return seg;
}

VOID MiDereferenceSegment(PSEGMENT Segment)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG left = --Segment->ReferenceCount;
    /* A cached image whose file may have changed while it was mapped goes with its last user: the
     * cache's reference is dropped here too, so it is never handed out unused. */
    if (left == 1 && Segment->Image && Segment->Image->Stale && MiDetachCachedImage(Segment))
        left = --Segment->ReferenceCount;
    BOOLEAN last = left == 0;
    SECTION_OBJECT_POINTERS *pointers = Segment->Image ? Segment->Image->SectionObjectPointer : NULL;
    if (last && pointers && pointers->ImageSectionObject == Segment) pointers->ImageSectionObject = NULL;
    KeLowerIrql(old);
    if (!last) return;
    if (Segment->Image && Segment->Image->FileObject) ObDereferenceObject(Segment->Image->FileObject);
    /* No view is left, so each frame holds only the segment's own reference. */
    for (ULONG i = 0; i < Segment->TotalPages; i++)
        if (Segment->Pages[i] >> PAGE_SHIFT) MiDereferencePage(Segment->Pages[i] >> PAGE_SHIFT);
    MiReturnCommitment(NULL, Segment->CommitCharge);
    if (Segment->Image) ExFreePoolWithTag(Segment->Image, TAG_MM_IMAGE);
    ExFreePoolWithTag(Segment, TAG_MM_SEGMENT);
}

/* ---- Section objects --------------------------------------------------------------------- */

NTSTATUS MmInitializeSection(PSECTION_OBJECT Section, LARGE_INTEGER MaximumSize,
                             ULONG SectionPageProtection, ULONG AllocationAttributes)
{
    ULONG kind = AllocationAttributes & (SEC_COMMIT | SEC_RESERVE);
    if ((AllocationAttributes & ~(SEC_COMMIT | SEC_RESERVE)) || kind == 0 ||
        kind == (SEC_COMMIT | SEC_RESERVE))
        return STATUS_INVALID_PARAMETER_6;
    ULONG mask = MiMakeProtectionMask(SectionPageProtection);
    if (mask == MM_INVALID_PROTECTION || mask == MM_NOACCESS || (mask & (MM_GUARD_PAGE | MM_NOCACHE)))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (MaximumSize.QuadPart <= 0) return STATUS_INVALID_PARAMETER_4;   /* no file to size it by */
    if (MaximumSize.QuadPart > MM_HIGHEST_VAD_ADDRESS - MM_LOWEST_USER_ADDRESS + 1)
        return STATUS_SECTION_TOO_BIG;

    ULONG pages = (ULONG)BYTES_TO_PAGES((ULONG)MaximumSize.QuadPart);
    PSEGMENT seg = ExAllocatePoolWithTag(NonPagedPool, FIELD_OFFSET(SEGMENT, Pages) + pages * sizeof(ULONG),
                                         TAG_MM_SEGMENT);
    if (seg == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(seg, FIELD_OFFSET(SEGMENT, Pages) + pages * sizeof(ULONG));
    seg->ReferenceCount = 1;                     /* the section object's */
    seg->TotalPages = pages;
    seg->ProtectionMask = mask;
    seg->AllocationAttributes = kind;
    if (kind == SEC_COMMIT && !NT_SUCCESS(MiCommitSegmentPages(seg, 0, pages))) {
        ExFreePoolWithTag(seg, TAG_MM_SEGMENT);
        return STATUS_COMMITMENT_LIMIT;
    }
    Section->SizeOfSection = MaximumSize;
    Section->InitialPageProtection = SectionPageProtection;
    Section->AllocationAttributes = kind;
    Section->Segment = seg;
    Section->ReferenceCount = 1;
    return STATUS_SUCCESS;
}

NTSTATUS MmCreateSection(PSECTION_OBJECT *Section, LARGE_INTEGER MaximumSize,
                         ULONG SectionPageProtection, ULONG AllocationAttributes)
{
    PSECTION_OBJECT s = ExAllocatePoolWithTag(NonPagedPool, sizeof(*s), TAG_MM_SECTION);
    if (s == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = MmInitializeSection(s, MaximumSize, SectionPageProtection, AllocationAttributes);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(s, TAG_MM_SECTION);
        return status;
    }
    *Section = s;
    return STATUS_SUCCESS;
}

VOID MmDeleteSection(PSECTION_OBJECT Section)
{
    if (Section->Segment) MiDereferenceSegment(Section->Segment);
    Section->Segment = NULL;
}

VOID MmReferenceSection(PSECTION_OBJECT Section)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Section->ReferenceCount++;
    KeLowerIrql(old);
}

VOID MmDereferenceSection(PSECTION_OBJECT Section)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN last = --Section->ReferenceCount == 0;
    KeLowerIrql(old);
    if (!last) return;
    MmDeleteSection(Section);
    ExFreePoolWithTag(Section, TAG_MM_SECTION);
}

/* ---- Views ------------------------------------------------------------------------------- */

/* MEM_COMMIT inside a view of a SEC_RESERVE section commits the segment's pages, for every view. */
NTSTATUS MiCommitView(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End, ULONG Mask)
{
    if (!MiIsViewProtectionAllowed(Vad->Segment->ProtectionMask, Mask)) return STATUS_SECTION_PROTECTION;
    ULONG first = Vad->FirstSegmentPage + (MI_VPN(Start) - Vad->StartingVpn);
    NTSTATUS status = MiCommitSegmentPages(Vad->Segment, first, MI_VPN(End) - MI_VPN(Start) + 1);
    if (!NT_SUCCESS(status) || Mask == Vad->ViewProtection) return status;
    for (ULONG_PTR va = Start; NT_SUCCESS(status) && va < End; va += PAGE_SIZE)
        status = MiSetPageProtection(As, Vad, va, Mask);
    return status;
}

VOID MiUnmapView(PMM_ADDRESS_SPACE As, PMMVAD Vad)
{
    MiDeletePteRange(As, Vad, MI_VA(Vad->StartingVpn), MI_VA(Vad->EndingVpn));
    MiReturnCommitment(As, Vad->CommitCharge);
    MiRemoveVad(Vad);
    MiDereferenceSegment(Vad->Segment);
    MiFreeVad(Vad);
}

static NTSTATUS MiCheckViewArguments(PSECTION_OBJECT Section, ULONG_PTR ZeroBits,
                                     SECTION_INHERIT Inherit, ULONG AllocationType, ULONG Mask)
{
    if (ZeroBits > MM_MAXIMUM_ZERO_BITS) return STATUS_INVALID_PARAMETER_4;
    if (Inherit != ViewShare && Inherit != ViewUnmap) return STATUS_INVALID_PARAMETER_8;
    if (AllocationType & ~(MEM_TOP_DOWN | MEM_RESERVE)) return STATUS_INVALID_PARAMETER_9;
    if (Mask == MM_INVALID_PROTECTION) return STATUS_INVALID_PAGE_PROTECTION;
    if (!MiIsViewProtectionAllowed(Section->Segment->ProtectionMask, Mask)) return STATUS_SECTION_PROTECTION;
    return STATUS_SUCCESS;
}

/* Places the view: at *Base (64 KiB aligned, free) or in the first / highest free range. */
NTSTATUS MiPlaceView(PMM_ADDRESS_SPACE As, ULONG_PTR Base, SIZE_T Size, ULONG_PTR ZeroBits,
                     ULONG AllocationType, PULONG_PTR Start)
{
    ULONG_PTR highest = MiZeroBitsToHighest(ZeroBits);
    if (Base == 0)
        return MiFindEmptyRange(As, Size, MM_ALLOCATION_GRANULARITY, highest,
                                (AllocationType & MEM_TOP_DOWN) != 0, Start);
    if (Base & (MM_ALLOCATION_GRANULARITY - 1)) return STATUS_MAPPED_ALIGNMENT;
    if (Base < MM_LOWEST_USER_ADDRESS || Base > highest || highest - Base + 1 < Size)
        return STATUS_INVALID_PARAMETER_3;
    if (MiFirstConflictingVad(As, Base, Base + Size - 1)) return STATUS_CONFLICTING_ADDRESSES;
    *Start = Base;
    return STATUS_SUCCESS;
}

static NTSTATUS MiMapView(PMM_ADDRESS_SPACE As, PSECTION_OBJECT Section, PVOID *BaseAddress,
                          ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                          PSIZE_T ViewSize, ULONG AllocationType, ULONG Win32Protect, ULONG Mask)
{
    PSEGMENT seg = Section->Segment;
    /* The offset goes down to the allocation granularity and the view grows to match. */
    LONGLONG offset = SectionOffset ? SectionOffset->QuadPart : 0;
    LONGLONG sectionSize = Section->SizeOfSection.QuadPart;
    if (offset < 0 || offset >= sectionSize) return STATUS_INVALID_VIEW_SIZE;
    ULONG delta = (ULONG)offset & (MM_ALLOCATION_GRANULARITY - 1);
    offset -= delta;
    LONGLONG size = *ViewSize ? (LONGLONG)*ViewSize + delta : sectionSize - offset;
    if (offset + size > sectionSize) return STATUS_INVALID_VIEW_SIZE;
    size = ROUND_TO_PAGES((ULONG_PTR)size);
    if (CommitSize > (SIZE_T)size) return STATUS_INVALID_PARAMETER_5;

    ULONG_PTR start;
    NTSTATUS status = MiPlaceView(As, (ULONG_PTR)*BaseAddress, (SIZE_T)size, ZeroBits, AllocationType, &start);
    if (!NT_SUCCESS(status)) return status;
    ULONG pages = (ULONG)(size >> PAGE_SHIFT), first = (ULONG)(offset >> PAGE_SHIFT);
    /* Each page of a write-copy view may become private: charge them all now, as NT does. */
    ULONG charge = MiIsWriteCopy(Mask) ? pages : 0;
    if (!MiChargeCommitment(As, charge)) return STATUS_COMMITMENT_LIMIT;
    PMMVAD vad = MiAllocateVad(start, start + (ULONG_PTR)size - 1, MEM_MAPPED, Win32Protect);
    if (vad == NULL) {
        MiReturnCommitment(As, charge);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (seg->AllocationAttributes == SEC_RESERVE && CommitSize) {
        status = MiCommitSegmentPages(seg, first, (ULONG)BYTES_TO_PAGES(CommitSize));
        if (!NT_SUCCESS(status)) {
            MiReturnCommitment(As, charge);
            MiFreeVad(vad);
            return status;
        }
    }
    vad->ViewProtection = Mask;
    vad->CommitCharge = charge;
    vad->Segment = seg;
    vad->FirstSegmentPage = first;
    MiReferenceSegment(seg);
    MiInsertVad(As, vad);
    *BaseAddress = (PVOID)start;
    *ViewSize = (SIZE_T)size;
    if (SectionOffset) SectionOffset->QuadPart = offset;
    return STATUS_SUCCESS;
}

NTSTATUS MmMapViewOfSection(PSECTION_OBJECT Section, PKPROCESS Process, PVOID *BaseAddress,
                            ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                            PSIZE_T ViewSize, SECTION_INHERIT InheritDisposition,
                            ULONG AllocationType, ULONG Win32Protect)
{
    PMM_ADDRESS_SPACE as = Process->AddressSpace;
    if (as == NULL) return STATUS_INVALID_PARAMETER_2;
    ULONG mask = MiMakeProtectionMask(Win32Protect);
    NTSTATUS status;
    if (Section->Segment->Image) {
        /* An image view's pages carry the image's own protections: Win32Protect is only checked. */
        if (mask == MM_INVALID_PROTECTION) return STATUS_INVALID_PAGE_PROTECTION;
        status = MiCheckViewArguments(Section, ZeroBits, InheritDisposition, AllocationType, MM_READONLY);
        if (!NT_SUCCESS(status)) return status;
        MiLockAddressSpace(as);
        status = MiMapImageView(as, Section, BaseAddress, ZeroBits, SectionOffset, ViewSize, AllocationType);
        MiUnlockAddressSpace(as);
        return status;
    }
    status = MiCheckViewArguments(Section, ZeroBits, InheritDisposition, AllocationType, mask);
    if (!NT_SUCCESS(status)) return status;
    /* The VAD is all a view needs at first: PTEs are filled by faults, in that process. */
    MiLockAddressSpace(as);
    status = MiMapView(as, Section, BaseAddress, ZeroBits, CommitSize, SectionOffset, ViewSize,
                       AllocationType, Win32Protect, mask);
    MiUnlockAddressSpace(as);
    return status;
}

NTSTATUS MmUnmapViewOfSection(PKPROCESS Process, PVOID BaseAddress)
{
    PMM_ADDRESS_SPACE as = Process->AddressSpace;
    if (as == NULL) return STATUS_INVALID_PARAMETER_1;
    MiLockAddressSpace(as);
    PMMVAD vad = MiLocateVad(as, (ULONG_PTR)BaseAddress);
    NTSTATUS status = STATUS_NOT_MAPPED_VIEW;
    if (vad && vad->Type == MEM_MAPPED) {
        MiUnmapView(as, vad);
        status = STATUS_SUCCESS;
    }
    MiUnlockAddressSpace(as);
    return status;
}
