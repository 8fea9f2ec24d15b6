/*
 * peimage.c - the PE32 image validator: checks the headers and section table of an image in file
 * form or mapped form and describes it in an RTL_IMAGE_INFO; walks sections, converts RVAs and
 * file offsets, builds the mapped form of a file and applies base relocations. Used by the kernel
 * (image sections) and by ntdll's loader; allocation-free and freestanding (see pe.h).
 *
 * Status codes: a file that is not MZ gets STATUS_INVALID_IMAGE_NOT_MZ; an MZ file whose new
 * header is missing or unusable is an MS-DOS program, which NT reports as
 * STATUS_INVALID_IMAGE_PROTECT (NE: STATUS_INVALID_IMAGE_WIN_16, LE: _LE_FORMAT); a 64-bit image
 * (AMD64/IA64/ARM64 machine or PE32+ magic) gets STATUS_INVALID_IMAGE_WIN_64; every other defect,
 * a foreign machine included, is STATUS_INVALID_IMAGE_FORMAT, the status NT x86 gives when
 * creating an image section for a machine it cannot run. (STATUS_IMAGE_MACHINE_TYPE_MISMATCH is
 * informational, NT_SUCCESS would let the caller proceed, so it is never returned.)
 */
#include "pep.h"

#define RTLP_NT_FIXED_BYTES (sizeof(ULONG) + sizeof(IMAGE_FILE_HEADER))   /* signature + file header */
#define RTLP_OPTIONAL_MIN ((ULONG)FIELD_OFFSET(IMAGE_OPTIONAL_HEADER32, DataDirectory))

/* MZ header, e_lfanew and the PE signature. */
static NTSTATUS RtlpCheckDosHeader(const UCHAR *Base, SIZE_T Size, PULONG NtOffset)
{
    IMAGE_DOS_HEADER Dos;
    ULONG Offset, Signature;

    if (Size < sizeof Dos) return STATUS_INVALID_IMAGE_NOT_MZ;
    __builtin_memcpy(&Dos, Base, sizeof Dos);
    if (Dos.e_magic != IMAGE_DOS_SIGNATURE) return STATUS_INVALID_IMAGE_NOT_MZ;

    /* From here on the file is at least an MS-DOS program. e_lfanew is signed in the header; as an
     * unsigned offset a negative value is simply huge and fails the range check. */
    Offset = (ULONG)Dos.e_lfanew;
    if ((Offset & 3) != 0 || !RtlpRangeInside(Offset, RTLP_NT_FIXED_BYTES, Size))
        return STATUS_INVALID_IMAGE_PROTECT;

    Signature = RtlpReadUlong(Base + Offset);
    if (Signature != IMAGE_NT_SIGNATURE) {
        USHORT Short = (USHORT)Signature;
        if (Short == IMAGE_OS2_SIGNATURE) return STATUS_INVALID_IMAGE_WIN_16;
        if (Short == IMAGE_OS2_SIGNATURE_LE) return STATUS_INVALID_IMAGE_LE_FORMAT;
        return STATUS_INVALID_IMAGE_PROTECT;
    }
    *NtOffset = Offset;
    return STATUS_SUCCESS;
}

/* Copies the NT headers out; optional-header bytes beyond SizeOfOptionalHeader read as zero, so
 * a short optional header never borrows fields from the section table that follows it. */
static NTSTATUS RtlpCopyNtHeaders(const UCHAR *Base, SIZE_T Size, ULONG Offset,
                                  PIMAGE_NT_HEADERS32 Nt)
{
    ULONG Optional;

    __builtin_memset(Nt, 0, sizeof *Nt);
    __builtin_memcpy(Nt, Base + Offset, RTLP_NT_FIXED_BYTES);
    Optional = Nt->FileHeader.SizeOfOptionalHeader;
    if (Optional > sizeof(IMAGE_OPTIONAL_HEADER32)) Optional = sizeof(IMAGE_OPTIONAL_HEADER32);
    if (!RtlpRangeInside((ULONGLONG)Offset + RTLP_NT_FIXED_BYTES, Optional, Size))
        return STATUS_INVALID_IMAGE_FORMAT;
    __builtin_memcpy(&Nt->OptionalHeader, Base + Offset + RTLP_NT_FIXED_BYTES, Optional);
    return STATUS_SUCCESS;
}

/* Machine, magic and the size of the optional header. */
static NTSTATUS RtlpCheckFileHeader(const IMAGE_NT_HEADERS32 *Nt)
{
    const IMAGE_FILE_HEADER *File = &Nt->FileHeader;
    const IMAGE_OPTIONAL_HEADER32 *Opt = &Nt->OptionalHeader;

    switch (File->Machine) {
    case IMAGE_FILE_MACHINE_I386: break;
    case IMAGE_FILE_MACHINE_AMD64: case IMAGE_FILE_MACHINE_IA64: case IMAGE_FILE_MACHINE_ARM64:
        return STATUS_INVALID_IMAGE_WIN_64;
    default: return STATUS_INVALID_IMAGE_FORMAT;
    }
    if (Opt->Magic == IMAGE_NT_OPTIONAL_HDR64_MAGIC) return STATUS_INVALID_IMAGE_WIN_64;
    if (Opt->Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC) return STATUS_INVALID_IMAGE_FORMAT;
    /* An object file or a failed link is not an image. */
    if (!(File->Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE)) return STATUS_INVALID_IMAGE_FORMAT;
    /* PE32 has room for 16 directories; the optional header must hold every field we read. */
    if (Opt->NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (File->SizeOfOptionalHeader <
        RTLP_OPTIONAL_MIN + Opt->NumberOfRvaAndSizes * sizeof(IMAGE_DATA_DIRECTORY))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (File->NumberOfSections > IMAGE_MAX_SECTIONS) return STATUS_INVALID_IMAGE_FORMAT;
    return STATUS_SUCCESS;
}

/* The alignments, as the PE specification states them: powers of two; FileAlignment 512..64K and
 * at most SectionAlignment, or equal to SectionAlignment when that is below the page size (such
 * images are mapped as they lie in the file). */
static NTSTATUS RtlpCheckAlignment(const IMAGE_OPTIONAL_HEADER32 *Opt)
{
    ULONG S = Opt->SectionAlignment, F = Opt->FileAlignment;

    if (!RtlpIsPowerOfTwo(S) || !RtlpIsPowerOfTwo(F)) return STATUS_INVALID_IMAGE_FORMAT;
    if (S < PAGE_SIZE) return F == S ? STATUS_SUCCESS : STATUS_INVALID_IMAGE_FORMAT;
    if (F < 512 || F > 0x10000 || F > S) return STATUS_INVALID_IMAGE_FORMAT;
    return STATUS_SUCCESS;
}

/* Headers size, image size and the section table's place (inside the headers and the buffer). */
static NTSTATUS RtlpCheckLayout(const IMAGE_NT_HEADERS32 *Nt, ULONG NtOffset, SIZE_T Size,
                                BOOLEAN Mapped, PULONG TableOffset)
{
    const IMAGE_OPTIONAL_HEADER32 *Opt = &Nt->OptionalHeader;
    ULONGLONG Table = (ULONGLONG)NtOffset + RTLP_NT_FIXED_BYTES + Nt->FileHeader.SizeOfOptionalHeader;
    ULONGLONG TableBytes = (ULONGLONG)Nt->FileHeader.NumberOfSections * sizeof(IMAGE_SECTION_HEADER);

    if ((Opt->SizeOfImage & (Opt->SectionAlignment - 1)) != 0) return STATUS_INVALID_IMAGE_FORMAT;
    if (Opt->SizeOfHeaders > Opt->SizeOfImage) return STATUS_INVALID_IMAGE_FORMAT;
    /* A file holds its headers; a view holds the whole image. */
    if (Opt->SizeOfHeaders > Size) return STATUS_INVALID_IMAGE_FORMAT;
    if (Mapped && Opt->SizeOfImage > Size) return STATUS_INVALID_IMAGE_FORMAT;
    /* The image must fit below 4 GiB at its preferred base. */
    if ((ULONGLONG)Opt->ImageBase + Opt->SizeOfImage > 0x100000000ull)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (!RtlpRangeInside(Table, TableBytes, Opt->SizeOfHeaders)) return STATUS_INVALID_IMAGE_FORMAT;
    *TableOffset = (ULONG)Table;
    return STATUS_SUCCESS;
}

/* Each section: aligned, after the headers and the previous section (ascending, no overlap),
 * inside SizeOfImage, and in file form with its raw data inside the file. */
static NTSTATUS RtlpCheckSections(const UCHAR *Base, SIZE_T Size, BOOLEAN Mapped,
                                  const IMAGE_OPTIONAL_HEADER32 *Opt, ULONG TableOffset,
                                  ULONG Count)
{
    ULONG Align = Opt->SectionAlignment;
    ULONGLONG Next = RtlpAlignUp(Opt->SizeOfHeaders, Align);
    IMAGE_SECTION_HEADER S;
    ULONG i;

    for (i = 0; i < Count; i++) {
        __builtin_memcpy(&S, Base + TableOffset + i * sizeof S, sizeof S);
        if ((S.VirtualAddress & (Align - 1)) != 0) return STATUS_INVALID_IMAGE_FORMAT;
        if (S.VirtualAddress < Next) return STATUS_INVALID_IMAGE_FORMAT;
        Next = S.VirtualAddress + RtlpAlignUp(RtlpSectionVirtualSize(&S), Align);
        if (Next > Opt->SizeOfImage) return STATUS_INVALID_IMAGE_FORMAT;
        if (!Mapped && S.SizeOfRawData != 0 &&
            !RtlpRangeInside(S.PointerToRawData, S.SizeOfRawData, Size))
            return STATUS_INVALID_IMAGE_FORMAT;
    }
    return STATUS_SUCCESS;
}

/* Entry point and data directories. The security directory holds a file offset, not an RVA, and
 * is not needed to run the image, so it is not checked. */
static NTSTATUS RtlpCheckDirectories(const IMAGE_NT_HEADERS32 *Nt)
{
    const IMAGE_OPTIONAL_HEADER32 *Opt = &Nt->OptionalHeader;
    ULONG i;

    if (Opt->AddressOfEntryPoint == 0) {
        if (!(Nt->FileHeader.Characteristics & IMAGE_FILE_DLL)) return STATUS_INVALID_IMAGE_FORMAT;
    } else if (Opt->AddressOfEntryPoint >= Opt->SizeOfImage) {
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    for (i = 0; i < Opt->NumberOfRvaAndSizes; i++) {
        const IMAGE_DATA_DIRECTORY *D = &Opt->DataDirectory[i];
        if (i == IMAGE_DIRECTORY_ENTRY_SECURITY) continue;
        if (!RtlpRangeInside(D->VirtualAddress, D->Size, Opt->SizeOfImage))
            return STATUS_INVALID_IMAGE_FORMAT;
    }
    return STATUS_SUCCESS;
}

static VOID RtlpFillInfo(const IMAGE_NT_HEADERS32 *Nt, ULONG NtOffset, ULONG TableOffset,
                         PRTL_IMAGE_INFO Info)
{
    const IMAGE_OPTIONAL_HEADER32 *Opt = &Nt->OptionalHeader;
    ULONG i;

    Info->NtHeadersOffset = NtOffset;
    Info->SectionTableOffset = TableOffset;
    Info->SectionTable = (const IMAGE_SECTION_HEADER *)(Info->Base + TableOffset);
    Info->NumberOfSections = Nt->FileHeader.NumberOfSections;
    Info->Machine = Nt->FileHeader.Machine;
    Info->Characteristics = Nt->FileHeader.Characteristics;
    Info->IsDll = (Nt->FileHeader.Characteristics & IMAGE_FILE_DLL) != 0;
    Info->RelocsStripped = (Nt->FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED) != 0;
    Info->ImageBase = Opt->ImageBase;
    Info->SizeOfImage = Opt->SizeOfImage;
    Info->SizeOfHeaders = Opt->SizeOfHeaders;
    Info->SectionAlignment = Opt->SectionAlignment;
    Info->FileAlignment = Opt->FileAlignment;
    Info->EntryPoint = Opt->AddressOfEntryPoint;
    Info->Subsystem = Opt->Subsystem;
    Info->MajorSubsystemVersion = Opt->MajorSubsystemVersion;
    Info->MinorSubsystemVersion = Opt->MinorSubsystemVersion;
    Info->DllCharacteristics = Opt->DllCharacteristics;
    Info->SizeOfStackReserve = Opt->SizeOfStackReserve;
    Info->SizeOfStackCommit = Opt->SizeOfStackCommit;
    Info->SizeOfHeapReserve = Opt->SizeOfHeapReserve;
    Info->SizeOfHeapCommit = Opt->SizeOfHeapCommit;
    Info->CheckSum = Opt->CheckSum;
    Info->NumberOfRvaAndSizes = Opt->NumberOfRvaAndSizes;
    /* Directories past NumberOfRvaAndSizes were zeroed by RtlpCopyNtHeaders' bounds. */
    for (i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++)
        Info->Directory[i] = i < Opt->NumberOfRvaAndSizes ? Opt->DataDirectory[i]
                                                          : (IMAGE_DATA_DIRECTORY){0, 0};
}

static NTSTATUS RtlpValidateImage(const VOID *Buffer, SIZE_T Size, BOOLEAN Mapped,
                                  PRTL_IMAGE_INFO Info)
{
    const UCHAR *Base = Buffer;
    IMAGE_NT_HEADERS32 Nt;
    ULONG NtOffset = 0, TableOffset = 0;
    NTSTATUS Status;

    if (Buffer == NULL || Info == NULL) return STATUS_INVALID_PARAMETER;
    __builtin_memset(Info, 0, sizeof *Info);
    Status = RtlpCheckDosHeader(Base, Size, &NtOffset);
    if (NT_SUCCESS(Status)) Status = RtlpCopyNtHeaders(Base, Size, NtOffset, &Nt);
    if (NT_SUCCESS(Status)) Status = RtlpCheckFileHeader(&Nt);
    if (NT_SUCCESS(Status)) Status = RtlpCheckAlignment(&Nt.OptionalHeader);
    if (NT_SUCCESS(Status)) Status = RtlpCheckLayout(&Nt, NtOffset, Size, Mapped, &TableOffset);
    if (NT_SUCCESS(Status))
        Status = RtlpCheckSections(Base, Size, Mapped, &Nt.OptionalHeader, TableOffset,
                                   Nt.FileHeader.NumberOfSections);
    if (NT_SUCCESS(Status)) Status = RtlpCheckDirectories(&Nt);
    if (!NT_SUCCESS(Status)) return Status;

    Info->Base = Base;
    Info->Size = Size;
    Info->Mapped = Mapped;
    RtlpFillInfo(&Nt, NtOffset, TableOffset, Info);
    return STATUS_SUCCESS;
}

NTSTATUS RtlValidateImageFile(const VOID *File, SIZE_T FileSize, PRTL_IMAGE_INFO Info)
{
    return RtlpValidateImage(File, FileSize, FALSE, Info);
}

NTSTATUS RtlValidateMappedImage(const VOID *Image, SIZE_T ViewSize, PRTL_IMAGE_INFO Info)
{
    return RtlpValidateImage(Image, ViewSize, TRUE, Info);
}

/* ============================================================================================
 * Sections, RVAs and file offsets
 */
NTSTATUS RtlImageSection(const RTL_IMAGE_INFO *Info, ULONG Index, PIMAGE_SECTION_HEADER Section)
{
    if (Index >= Info->NumberOfSections) return STATUS_NO_MORE_ENTRIES;
    __builtin_memcpy(Section, Info->Base + Info->SectionTableOffset + Index * sizeof *Section,
                     sizeof *Section);
    return STATUS_SUCCESS;
}

NTSTATUS RtlImageRvaToSection(const RTL_IMAGE_INFO *Info, ULONG Rva, PULONG Index)
{
    IMAGE_SECTION_HEADER S;
    ULONG i;

    for (i = 0; RtlImageSection(Info, i, &S) == STATUS_SUCCESS; i++) {
        if (Rva >= S.VirtualAddress &&
            Rva - S.VirtualAddress < RtlpSectionVirtualSize(&S)) {
            *Index = i;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NOT_FOUND;
}

NTSTATUS RtlImageRvaToFileOffset(const RTL_IMAGE_INFO *Info, ULONG Rva, ULONG Length,
                                 PULONG FileOffset)
{
    IMAGE_SECTION_HEADER S;
    ULONG Index;

    /* The headers lie at offset 0 in both forms. */
    if (RtlpRangeInside(Rva, Length, Info->SizeOfHeaders)) {
        *FileOffset = Rva;
        return STATUS_SUCCESS;
    }
    if (!NT_SUCCESS(RtlImageRvaToSection(Info, Rva, &Index))) return STATUS_NOT_FOUND;
    RtlImageSection(Info, Index, &S);
    if (!RtlpRangeInside(Rva - S.VirtualAddress, Length, RtlpSectionFileBytes(&S)))
        return STATUS_NOT_FOUND;
    *FileOffset = S.PointerToRawData + (Rva - S.VirtualAddress);
    return STATUS_SUCCESS;
}

NTSTATUS RtlImageFileOffsetToRva(const RTL_IMAGE_INFO *Info, ULONG FileOffset, ULONG Length,
                                 PULONG Rva)
{
    IMAGE_SECTION_HEADER S;
    ULONG i;

    if (RtlpRangeInside(FileOffset, Length, Info->SizeOfHeaders)) {
        *Rva = FileOffset;
        return STATUS_SUCCESS;
    }
    for (i = 0; RtlImageSection(Info, i, &S) == STATUS_SUCCESS; i++) {
        if (FileOffset >= S.PointerToRawData &&
            RtlpRangeInside(FileOffset - S.PointerToRawData, Length, RtlpSectionFileBytes(&S))) {
            *Rva = S.VirtualAddress + (FileOffset - S.PointerToRawData);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NOT_FOUND;
}

/* ============================================================================================
 * Mapping and relocation
 */
NTSTATUS RtlMapImageFile(const RTL_IMAGE_INFO *FileInfo, PVOID Image, SIZE_T ImageSize)
{
    PUCHAR Out = Image;
    IMAGE_SECTION_HEADER S;
    ULONG i, Bytes;

    if (FileInfo->Mapped || Image == NULL) return STATUS_INVALID_PARAMETER;
    if (ImageSize < FileInfo->SizeOfImage) return STATUS_BUFFER_TOO_SMALL;
    __builtin_memset(Out, 0, FileInfo->SizeOfImage);
    __builtin_memcpy(Out, FileInfo->Base, FileInfo->SizeOfHeaders);
    for (i = 0; RtlImageSection(FileInfo, i, &S) == STATUS_SUCCESS; i++) {
        Bytes = RtlpSectionFileBytes(&S);
        if (Bytes == 0) continue;       /* uninitialised data: PointerToRawData is meaningless */
        /* Validation proved both ranges; checking again keeps this routine safe on its own. */
        if (!RtlpRangeInside(S.PointerToRawData, Bytes, FileInfo->Size) ||
            !RtlpRangeInside(S.VirtualAddress, Bytes, FileInfo->SizeOfImage))
            return STATUS_INVALID_IMAGE_FORMAT;
        __builtin_memcpy(Out + S.VirtualAddress, FileInfo->Base + S.PointerToRawData, Bytes);
    }
    return STATUS_SUCCESS;
}

/* One relocation entry: HIGHLOW adds Delta to the 4 bytes at PageRva + offset (which must lie in
 * the image); ABSOLUTE is padding; any other type is not an i386 fixup. */
static NTSTATUS RtlpApplyFixup(PUCHAR Base, ULONG SizeOfImage, ULONG PageRva, USHORT Entry,
                               ULONG Delta, BOOLEAN Apply)
{
    ULONGLONG Target = (ULONGLONG)PageRva + (Entry & 0xFFF);

    switch (Entry >> 12) {
    case IMAGE_REL_BASED_ABSOLUTE:
        return STATUS_SUCCESS;
    case IMAGE_REL_BASED_HIGHLOW:
        if (!RtlpRangeInside(Target, sizeof(ULONG), SizeOfImage)) return STATUS_INVALID_IMAGE_FORMAT;
        if (Apply) RtlpWriteUlong(Base + Target, RtlpReadUlong(Base + Target) + Delta);
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_IMAGE_FORMAT;
    }
}

/* Walks every block of the relocation directory, checking it, and applies the fixups if Apply.
 * A block is an IMAGE_BASE_RELOCATION header (8 bytes) and USHORT entries, wholly inside the
 * directory. The checks stay on when applying: a table that patches itself cannot lead us out. */
static NTSTATUS RtlpWalkRelocations(PUCHAR Base, const RTL_IMAGE_INFO *Info, ULONG Delta,
                                    BOOLEAN Apply)
{
    ULONG Rva = Info->Directory[IMAGE_DIRECTORY_ENTRY_BASERELOC].VirtualAddress;
    ULONG End = Rva + Info->Directory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size;  /* checked: no wrap */
    IMAGE_BASE_RELOCATION Block;
    NTSTATUS Status;
    ULONG Entry;

    while (Rva < End) {
        if (End - Rva < sizeof Block) return STATUS_INVALID_IMAGE_FORMAT;
        __builtin_memcpy(&Block, Base + Rva, sizeof Block);
        if (Block.SizeOfBlock < sizeof Block || (Block.SizeOfBlock & 1) != 0 ||
            Block.SizeOfBlock > End - Rva)
            return STATUS_INVALID_IMAGE_FORMAT;
        for (Entry = Rva + sizeof Block; Entry < Rva + Block.SizeOfBlock; Entry += sizeof(USHORT)) {
            Status = RtlpApplyFixup(Base, Info->SizeOfImage, Block.VirtualAddress,
                                    RtlpReadUshort(Base + Entry), Delta, Apply);
            if (!NT_SUCCESS(Status)) return Status;
        }
        Rva += Block.SizeOfBlock;
    }
    return STATUS_SUCCESS;
}

/*
 * Relocation needed but impossible (IMAGE_FILE_RELOCS_STRIPPED) is STATUS_INVALID_IMAGE_FORMAT:
 * the image cannot run at NewBase. (NT's memory manager, which chooses the address, reports a
 * taken base for such an image as STATUS_CONFLICTING_ADDRESSES itself, before calling this.)
 * An image with no relocation directory and no such flag has no absolute addresses to patch.
 * The whole table is checked before the first fixup, so a bad table leaves the image untouched.
 */
NTSTATUS RtlRelocateImage(PVOID MappedImage, SIZE_T ImageSize, ULONG_PTR NewBase)
{
    PUCHAR Base = MappedImage;
    RTL_IMAGE_INFO Info;
    NTSTATUS Status;
    ULONG Delta;

    Status = RtlValidateMappedImage(MappedImage, ImageSize, &Info);
    if (!NT_SUCCESS(Status)) return Status;
    if ((ULONGLONG)NewBase + Info.SizeOfImage > 0x100000000ull) return STATUS_INVALID_PARAMETER_3;
    Delta = (ULONG)NewBase - Info.ImageBase;
    if (Delta == 0) return STATUS_SUCCESS;
    if (Info.RelocsStripped) return STATUS_INVALID_IMAGE_FORMAT;

    Status = RtlpWalkRelocations(Base, &Info, Delta, FALSE);
    if (NT_SUCCESS(Status)) Status = RtlpWalkRelocations(Base, &Info, Delta, TRUE);
    if (!NT_SUCCESS(Status)) return Status;

    /* Like NT's loader, leave the headers describing the image where it now lies: TLS addresses
     * and a second relocation are computed from this field. */
    RtlpWriteUlong(Base + Info.NtHeadersOffset + RTLP_NT_FIXED_BYTES +
                   FIELD_OFFSET(IMAGE_OPTIONAL_HEADER32, ImageBase), (ULONG)NewBase);
    return STATUS_SUCCESS;
}
