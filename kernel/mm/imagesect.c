/*
 * imagesect.c - image sections (SEC_IMAGE): a PE file made into a section once, mapped as many
 * times as processes load it. NtCreateSection reads the whole file, has the Rtl parser validate
 * it (a bad file gets the parser's status), and builds the image's MAPPED form into the segment's
 * pages: headers at 0, each section at its RVA, the rest zero. Every page then carries the
 * protection its section's characteristics ask for, kept in its segment entry:
 *   code             EXECUTE_READ    the same frame in every process
 *   read-only data   READONLY        the same frame in every process
 *   writable data    WRITECOPY       shared until a process writes, then private (fault.c)
 *   SHARED writable  READWRITE       one frame for all: writes are seen by every process
 * NT reads image pages in on demand through the file's control area; here there is no paging,
 * so the mapped form is built at creation, which also lets every error surface there.
 *
 * A view shows the whole image, at the image's preferred base when that range is free, else
 * anywhere, with STATUS_IMAGE_NOT_AT_BASE (a success status) telling the loader to relocate.
 *
 * The image cache. Reading and building an image costs far more than mapping it, and a program is
 * run again and again, so - as NT keeps an image's control area and its pages on the standby list
 * after the last view - an unused segment stays attached to its file, which it keeps referenced
 * (and with it the file system's FCB and SECTION_OBJECT_POINTERS): the next SEC_IMAGE create of the
 * file finds it there and maps it at no cost. The cache holds one reference of each segment in it.
 * Its frames stay pristine: no process writes a segment frame except through a SHARED section
 * (write-copy pages are copied on the first write, and read-only pages cannot be written, the
 * kernel included: CR0.WP), so images with shared writable pages are never cached. A cached segment
 * goes when
 *   - the file system is about to change or delete the file (MmFlushImageSection): an unused
 *     segment is dropped then and there, and one still mapped is marked Stale, which drops it
 *     with its last view;
 *   - memory runs short (MiPurgeImageCache, from the page allocation and commit paths);
 *   - more than MI_IMAGE_CACHE_SEGMENTS are cached: the least recently used goes.
 * Dropping a segment releases its file object, whose close reaches the file system at once.
 */
#include "mi.h"
#include "pe.h"
#include "io.h"
#include "ob.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"

#define MI_MAX_IMAGE_FILE_BYTES (16u * 1024 * 1024)     /* the pool holds the file while it is parsed */
#define MI_IMAGE_CACHE_SEGMENTS 32                      /* unused images kept, at most */

/* The cached segments, least recently used first. DISPATCH_LEVEL guards it (one processor). */
static LIST_ENTRY MiImageCache = { &MiImageCache, &MiImageCache };
static ULONG MiImageCacheCount;

/* ---- Creation ------------------------------------------------------------------------------ */

/* The whole file into a pool buffer. The handle's FILE_READ_DATA is checked in the caller's mode
 * here: the reads below are kernel-mode Zw calls, which check nothing. */
static NTSTATUS MiReadImageFile(HANDLE FileHandle, PUCHAR *Buffer, PULONG Size)
{
    NTSTATUS status;
    IO_STATUS_BLOCK iosb;
    FILE_STANDARD_INFORMATION si;
    status = ZwQueryInformationFile(FileHandle, &iosb, &si, sizeof(si), FileStandardInformation);
    if (!NT_SUCCESS(status)) return status;
    if (si.Directory) return STATUS_INVALID_FILE_FOR_SECTION;
    if (si.EndOfFile.QuadPart > MI_MAX_IMAGE_FILE_BYTES) return STATUS_INVALID_IMAGE_FORMAT;
    ULONG size = (ULONG)si.EndOfFile.QuadPart;
    PUCHAR buffer = ExAllocatePoolWithTag(NonPagedPool, size ? size : 1, TAG_MM_IMAGE);
    if (buffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    for (ULONG done = 0; done < size;) {
        LARGE_INTEGER offset = { .QuadPart = done };
        status = ZwReadFile(FileHandle, NULL, NULL, NULL, &iosb, buffer + done, size - done, &offset, NULL);
        if (NT_SUCCESS(status) && iosb.Information == 0) status = STATUS_END_OF_FILE;
        if (!NT_SUCCESS(status)) {
            ExFreePoolWithTag(buffer, TAG_MM_IMAGE);
            return status;
        }
        done += (ULONG)iosb.Information;
    }
    *Buffer = buffer;
    *Size = size;
    return STATUS_SUCCESS;
}

/* The protection a section's characteristics give its pages (NT's table; x86 has no NX, so
 * execute-only is kept as asked but reads too). */
static ULONG MiImageSectionProtection(ULONG Characteristics)
{
    BOOLEAN x = (Characteristics & IMAGE_SCN_MEM_EXECUTE) != 0;
    if (Characteristics & IMAGE_SCN_MEM_WRITE) {
        if (Characteristics & IMAGE_SCN_MEM_SHARED) return x ? MM_EXECUTE_READWRITE : MM_READWRITE;
        return x ? MM_EXECUTE_WRITECOPY : MM_WRITECOPY;
    }
    if (x) return (Characteristics & IMAGE_SCN_MEM_READ) ? MM_EXECUTE_READ : MM_EXECUTE;
    return (Characteristics & IMAGE_SCN_MEM_READ) ? MM_READONLY : MM_NOACCESS;
}

/* Each page's protection into Prot[]: headers and gaps read-only, sections as they ask. An image
 * whose sections are aligned below a page shares pages among sections: all execute-write-copy,
 * as NT maps such images. */
static VOID MiImagePageProtections(const RTL_IMAGE_INFO *Info, ULONG Pages, PUCHAR Prot)
{
    for (ULONG i = 0; i < Pages; i++) Prot[i] = Info->SectionAlignment < PAGE_SIZE ? MM_EXECUTE_WRITECOPY : MM_READONLY;
    if (Info->SectionAlignment < PAGE_SIZE) return;
    IMAGE_SECTION_HEADER sh;
    for (ULONG s = 0; NT_SUCCESS(RtlImageSection(Info, s, &sh)); s++) {
        ULONG size = sh.Misc.VirtualSize ? sh.Misc.VirtualSize : sh.SizeOfRawData;
        ULONG first = sh.VirtualAddress >> PAGE_SHIFT, end = (ULONG)BYTES_TO_PAGES(sh.VirtualAddress + size);
        for (ULONG i = first; i < end && i < Pages; i++) Prot[i] = (UCHAR)MiImageSectionProtection(sh.Characteristics);
    }
}

/* NtQuerySection(SectionImageInformation)'s answer, from the headers of the mapped form. */
static VOID MiFillImageInformation(const RTL_IMAGE_INFO *Info, const UCHAR *Mapped, ULONG FileSize,
                                   PSECTION_IMAGE_INFORMATION Sii)
{
    IMAGE_NT_HEADERS32 nt;
    RtlCopyMemory(&nt, Mapped + Info->NtHeadersOffset, sizeof(nt));   /* validated: inside the headers */
    RtlZeroMemory(Sii, sizeof(*Sii));
    Sii->TransferAddress = (PVOID)(Info->ImageBase + Info->EntryPoint);
    Sii->MaximumStackSize = Info->SizeOfStackReserve;
    Sii->CommittedStackSize = Info->SizeOfStackCommit;
    Sii->SubSystemType = Info->Subsystem;
    Sii->SubSystemMajorVersion = Info->MajorSubsystemVersion;
    Sii->SubSystemMinorVersion = Info->MinorSubsystemVersion;
    Sii->GpValue = Info->Directory[IMAGE_DIRECTORY_ENTRY_GLOBALPTR].VirtualAddress;
    Sii->ImageCharacteristics = Info->Characteristics;
    Sii->DllCharacteristics = Info->DllCharacteristics;
    Sii->Machine = Info->Machine;
    Sii->ImageContainsCode = nt.OptionalHeader.SizeOfCode != 0 || Info->EntryPoint != 0;
    Sii->LoaderFlags = nt.OptionalHeader.LoaderFlags;
    Sii->ImageFileSize = FileSize;
    Sii->CheckSum = Info->CheckSum;
}

/* The segment: one frame per page of the mapped form, each with its protection, all committed. */
static NTSTATUS MiBuildImageSegment(const RTL_IMAGE_INFO *Info, ULONG FileSize, PSEGMENT *Segment)
{
    ULONG pages = (ULONG)BYTES_TO_PAGES(Info->SizeOfImage);
    if (pages == 0 || Info->SizeOfImage > MM_HIGHEST_VAD_ADDRESS - MM_LOWEST_USER_ADDRESS + 1)
        return STATUS_INVALID_IMAGE_FORMAT;
    ULONG bytes = FIELD_OFFSET(SEGMENT, Pages) + pages * sizeof(ULONG);
    PSEGMENT seg = ExAllocatePoolWithTag(NonPagedPool, bytes, TAG_MM_SEGMENT);
    PMI_IMAGE image = ExAllocatePoolWithTag(NonPagedPool, sizeof(MI_IMAGE), TAG_MM_IMAGE);
    PUCHAR mapped = ExAllocatePoolWithTag(NonPagedPool, pages << PAGE_SHIFT, TAG_MM_IMAGE);
    PUCHAR prot = ExAllocatePoolWithTag(NonPagedPool, pages, TAG_MM_IMAGE);
    NTSTATUS status = seg && image && mapped && prot ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    BOOLEAN built = NT_SUCCESS(status);        /* from here the segment owns image and frames */
    if (built) {
        RtlZeroMemory(seg, bytes);
        RtlZeroMemory(image, sizeof(*image));
        seg->ReferenceCount = 1;                   /* the section object's */
        seg->TotalPages = pages;
        seg->ProtectionMask = MM_EXECUTE_WRITECOPY;   /* what a view may ask of an image, at most */
        seg->AllocationAttributes = SEC_IMAGE;
        seg->Image = image;
        image->Segment = seg;
        status = RtlMapImageFile(Info, mapped, pages << PAGE_SHIFT);
    }
    if (NT_SUCCESS(status)) {
        status = MiCommitSegmentPages(seg, 0, pages);
        if (status == STATUS_COMMITMENT_LIMIT && MiPurgeImageCache()) status = MiCommitSegmentPages(seg, 0, pages);
    }
    if (NT_SUCCESS(status)) {
        MiImagePageProtections(Info, pages, prot);
        for (ULONG i = 0; i < pages; i++) {
            PFN_NUMBER pfn = MiAllocateUserPage();
            if (pfn == 0) { status = STATUS_INSUFFICIENT_RESOURCES; break; }
            RtlCopyMemory(MiPfnToKseg0(pfn), mapped + (i << PAGE_SHIFT), PAGE_SIZE);
            seg->Pages[i] |= (pfn << PAGE_SHIFT) | ((ULONG)prot[i] << MI_SEGMENT_PROTECTION_SHIFT);
            if (MiIsWriteCopy(prot[i])) image->WriteCopyPages++;
            if (MiIsWritable(prot[i])) image->SharedWritablePages++;
        }
        MiFillImageInformation(Info, mapped, FileSize, &image->Information);
        image->ImageBase = Info->ImageBase;
        image->SizeOfImage = Info->SizeOfImage;
        image->RelocsStripped = Info->RelocsStripped;
    }
    if (mapped) ExFreePoolWithTag(mapped, TAG_MM_IMAGE);
    if (prot) ExFreePoolWithTag(prot, TAG_MM_IMAGE);
    if (NT_SUCCESS(status)) {
        *Segment = seg;
        return status;
    }
    if (built) MiDereferenceSegment(seg);       /* frames, charge, image, segment */
    else {
        if (seg) ExFreePoolWithTag(seg, TAG_MM_SEGMENT);
        if (image) ExFreePoolWithTag(image, TAG_MM_IMAGE);
    }
    return status;
}

/* Reads, validates and maps the file into a new segment that keeps the file object. */
static NTSTATUS MiCreateImageSegment(HANDLE FileHandle, PFILE_OBJECT File, PSEGMENT *Segment)
{
    PUCHAR file;
    ULONG fileSize;
    NTSTATUS status = MiReadImageFile(FileHandle, &file, &fileSize);
    if (!NT_SUCCESS(status)) return status;
    RTL_IMAGE_INFO info;
    status = RtlValidateImageFile(file, fileSize, &info);
    if (NT_SUCCESS(status)) status = MiBuildImageSegment(&info, fileSize, Segment);
    ExFreePoolWithTag(file, TAG_MM_IMAGE);
    if (!NT_SUCCESS(status)) return status;
    ObReferenceObject(File);
    (*Segment)->Image->FileObject = File;
    return STATUS_SUCCESS;
}

/* ---- The image cache ------------------------------------------------------------------ */

BOOLEAN MiDetachCachedImage(PSEGMENT Segment)
{
    PMI_IMAGE image = Segment->Image;
    if (image == NULL || !image->Cached || Segment->ReferenceCount != 1) return FALSE;   /* in use */
    image->Cached = FALSE;
    RemoveEntryList(&image->CacheLink);
    MiImageCacheCount--;
    /* Nobody finds it from now on; the file's pointers may be reused for a new segment at once. */
    if (image->SectionObjectPointer && image->SectionObjectPointer->ImageSectionObject == Segment)
        image->SectionObjectPointer->ImageSectionObject = NULL;
    image->SectionObjectPointer = NULL;
    return TRUE;
}

/* Detaches the least recently used unused segment; NULL if every cached one is in use. */
static PSEGMENT MiDetachOldestCachedImage(VOID)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PSEGMENT victim = NULL;
    for (PLIST_ENTRY e = MiImageCache.Flink; e != &MiImageCache && victim == NULL; e = e->Flink) {
        PMI_IMAGE image = CONTAINING_RECORD(e, MI_IMAGE, CacheLink);
        PSEGMENT seg = image->Segment;
        if (MiDetachCachedImage(seg)) victim = seg;
    }
    KeLowerIrql(old);
    return victim;
}

ULONG MiPurgeImageCache(VOID)
{
    ULONG freed = 0;
    for (PSEGMENT seg; (seg = MiDetachOldestCachedImage()) != NULL;) {
        freed += seg->TotalPages;
        MiDereferenceSegment(seg);            /* the cache's reference was the last */
    }
    return freed;
}

PFN_NUMBER MiAllocateUserPage(VOID)
{
    PFN_NUMBER pfn = MmAllocatePhysicalPage();
    if (pfn == 0 && KeGetCurrentIrql() == PASSIVE_LEVEL && MiPurgeImageCache()) pfn = MmAllocatePhysicalPage();
    return pfn;
}

/* A new segment of a file joins the cache (which keeps it after its last view), unless it has
 * pages processes share and write; beyond the cache's size the least recently used goes. */
static VOID MiCacheImageSegment(PSEGMENT Segment)
{
    PMI_IMAGE image = Segment->Image;
    if (image->SharedWritablePages || image->SectionObjectPointer == NULL) return;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Segment->ReferenceCount++;
    image->Cached = TRUE;
    InsertTailList(&MiImageCache, &image->CacheLink);
    BOOLEAN full = ++MiImageCacheCount > MI_IMAGE_CACHE_SEGMENTS;
    KeLowerIrql(old);
    PSEGMENT victim = full ? MiDetachOldestCachedImage() : NULL;
    if (victim) MiDereferenceSegment(victim);
}

/* A cached segment taken again moves to the most recently used end. */
static VOID MiTouchCachedImage(PSEGMENT Segment)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (Segment->Image->Cached) {
        RemoveEntryList(&Segment->Image->CacheLink);
        InsertTailList(&MiImageCache, &Segment->Image->CacheLink);
    }
    KeLowerIrql(old);
}

/* One image segment per file, as NT keeps one per file: every image section of a file (every
 * process that maps the EXE or DLL) shares its code and read-only pages and its shared sections.
 * The file system's SECTION_OBJECT_POINTERS hold it while it lives, cached or in use. The lock
 * serialises creations (so a file gets one segment); it is taken before the file system's. */
static KMUTANT MiImageSectionLock;
static BOOLEAN MiImageSectionLockReady;

static NTSTATUS MiGetImageSegment(HANDLE FileHandle, KPROCESSOR_MODE AccessMode, PSEGMENT *Segment)
{
    PFILE_OBJECT file;
    NTSTATUS status = ObReferenceObjectByHandle(FileHandle, FILE_READ_DATA, IoFileObjectType, AccessMode,
                                                (PVOID *)&file, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (!MiImageSectionLockReady) { KeInitializeMutant(&MiImageSectionLock, FALSE); MiImageSectionLockReady = TRUE; }
    KeWaitForSingleObject(&MiImageSectionLock, Executive, KernelMode, FALSE, NULL);
    SECTION_OBJECT_POINTERS *pointers = file->SectionObjectPointer;
    PSEGMENT seg = pointers ? MiReferenceImageSegment(pointers) : NULL;
    if (seg) MiTouchCachedImage(seg);
    else {
        status = MiCreateImageSegment(FileHandle, file, &seg);
        if (NT_SUCCESS(status) && pointers) {
            seg->Image->SectionObjectPointer = pointers;
            pointers->ImageSectionObject = seg;
            MiCacheImageSegment(seg);
        }
    }
    KeReleaseMutant(&MiImageSectionLock, 0, FALSE, FALSE, NULL);
    ObDereferenceObject(file);
    *Segment = seg;
    return status;
}

/* The file system asks before a file is opened for writing, replaced, deleted or written: an
 * unused cached image of it is dropped (its pages would be stale), TRUE; a mapped one is kept
 * and marked Stale (never cached once unused), FALSE: the caller refuses the change. Called
 * holding the file system's lock: dropping the segment closes its file object, whose
 * IRP_MJ_CLOSE reaches the same file system (and may free the FCB holding SectionObjectPointer). */
BOOLEAN MmFlushImageSection(SECTION_OBJECT_POINTERS *SectionObjectPointer, MMFLUSH_TYPE FlushType)
{
    UNREFERENCED_PARAMETER(FlushType);      /* an image is neither written nor deleted under a view */
    if (SectionObjectPointer == NULL) return TRUE;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PSEGMENT seg = SectionObjectPointer->ImageSectionObject;
    BOOLEAN unused = seg == NULL || MiDetachCachedImage(seg);
    if (!unused) seg->Image->Stale = TRUE;
    KeLowerIrql(old);
    if (seg && unused) MiDereferenceSegment(seg);
    return unused;
}

NTSTATUS MmInitializeImageSection(PSECTION_OBJECT Section, HANDLE FileHandle, KPROCESSOR_MODE AccessMode,
                                  ULONG SectionPageProtection)
{
    ULONG mask = MiMakeProtectionMask(SectionPageProtection);
    if (mask == MM_INVALID_PROTECTION || mask == MM_NOACCESS || (mask & (MM_GUARD_PAGE | MM_NOCACHE)))
        return STATUS_INVALID_PAGE_PROTECTION;
    PSEGMENT seg;
    NTSTATUS status = MiGetImageSegment(FileHandle, AccessMode, &seg);
    if (!NT_SUCCESS(status)) return status;
    Section->SizeOfSection.QuadPart = (LONGLONG)seg->TotalPages << PAGE_SHIFT;
    Section->InitialPageProtection = SectionPageProtection;
    Section->AllocationAttributes = SEC_IMAGE | SEC_FILE;
    Section->Segment = seg;
    Section->ReferenceCount = 1;
    return STATUS_SUCCESS;
}

/* ---- Views --------------------------------------------------------------------------------- */

NTSTATUS MiMapImageView(PMM_ADDRESS_SPACE As, PSECTION_OBJECT Section, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                        PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize, ULONG AllocationType)
{
    PSEGMENT seg = Section->Segment;
    PMI_IMAGE image = seg->Image;
    SIZE_T size = (SIZE_T)seg->TotalPages << PAGE_SHIFT;
    /* An image is mapped whole: no offset, and a size (if any) no larger than the image. */
    if (SectionOffset && SectionOffset->QuadPart != 0) return STATUS_INVALID_VIEW_SIZE;
    if (*ViewSize > size) return STATUS_INVALID_VIEW_SIZE;

    ULONG_PTR start, highest = MiZeroBitsToHighest(ZeroBits), base = image->ImageBase;
    NTSTATUS status;
    if (*BaseAddress == NULL && !(base & (MM_ALLOCATION_GRANULARITY - 1)) && base >= MM_LOWEST_USER_ADDRESS &&
        base <= highest && highest - base + 1 >= size && !MiFirstConflictingVad(As, base, base + size - 1)) {
        start = base;
        status = STATUS_SUCCESS;
    } else {
        status = MiPlaceView(As, (ULONG_PTR)*BaseAddress, size, ZeroBits, AllocationType, &start);
    }
    if (!NT_SUCCESS(status)) return status;
    /* Without relocations the image runs only where it was linked. */
    if (start != base && image->RelocsStripped) return STATUS_CONFLICTING_ADDRESSES;

    /* Every write-copy page may become private in this process: charge them now, as NT does. */
    ULONG charge = image->WriteCopyPages;
    if (!MiChargeCommitment(As, charge)) return STATUS_COMMITMENT_LIMIT;
    PMMVAD vad = MiAllocateVad(start, start + size - 1, MEM_MAPPED, PAGE_EXECUTE_WRITECOPY);
    if (vad == NULL) {
        MiReturnCommitment(As, charge);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    vad->Flags = MI_VAD_IMAGE;
    vad->ViewProtection = MM_EXECUTE_WRITECOPY;     /* unused: each page's own protection rules */
    vad->CommitCharge = charge;
    vad->Segment = seg;
    vad->FirstSegmentPage = 0;
    MiReferenceSegment(seg);
    MiInsertVad(As, vad);
    *BaseAddress = (PVOID)start;
    *ViewSize = size;
    if (SectionOffset) SectionOffset->QuadPart = 0;
    return start == base ? STATUS_SUCCESS : STATUS_IMAGE_NOT_AT_BASE;
}

/* ---- NtQuerySection's information ---------------------------------------------------------- */

NTSTATUS MmQuerySection(PSECTION_OBJECT Section, SECTION_INFORMATION_CLASS InformationClass, PVOID Information,
                        ULONG Length, PULONG ResultLength)
{
    if (InformationClass == SectionBasicInformation) {
        if (Length < sizeof(SECTION_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PSECTION_BASIC_INFORMATION sbi = Information;
        sbi->BaseAddress = NULL;                      /* no based sections */
        sbi->AllocationAttributes = Section->AllocationAttributes;
        sbi->MaximumSize = Section->SizeOfSection;
        *ResultLength = sizeof(*sbi);
        return STATUS_SUCCESS;
    }
    if (InformationClass == SectionImageInformation) {
        if (Length < sizeof(SECTION_IMAGE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        if (Section->Segment == NULL || Section->Segment->Image == NULL) return STATUS_SECTION_NOT_IMAGE;
        RtlCopyMemory(Information, &Section->Segment->Image->Information, sizeof(SECTION_IMAGE_INFORMATION));
        *ResultLength = sizeof(SECTION_IMAGE_INFORMATION);
        return STATUS_SUCCESS;
    }
    return STATUS_INVALID_INFO_CLASS;
}

/* ---- Reading an image section from the kernel ---------------------------------------------- */

/* Copies Length bytes at Offset of the image's mapped form (as every view starts out) into
 * Buffer: how Ps reads ntdll's export table without mapping it anywhere. */
NTSTATUS MmCopyFromImageSection(PSECTION_OBJECT Section, ULONG Offset, PVOID Buffer, ULONG Length)
{
    PSEGMENT seg = Section->Segment;
    if (seg == NULL || seg->Image == NULL) return STATUS_SECTION_NOT_IMAGE;
    if (Offset > (seg->TotalPages << PAGE_SHIFT) || Length > (seg->TotalPages << PAGE_SHIFT) - Offset)
        return STATUS_INVALID_PARAMETER;
    PUCHAR out = Buffer;
    while (Length) {
        ULONG page = Offset >> PAGE_SHIFT, within = Offset & (PAGE_SIZE - 1);
        ULONG n = PAGE_SIZE - within < Length ? PAGE_SIZE - within : Length;
        PFN_NUMBER pfn = MiGetSegmentPage(seg, page);
        if (pfn == 0) return STATUS_INSUFFICIENT_RESOURCES;
        RtlCopyMemory(out, (PUCHAR)MiPfnToKseg0(pfn) + within, n);
        out += n; Offset += n; Length -= n;
    }
    return STATUS_SUCCESS;
}
