/*
 * pe.h - the PE/COFF image format (PE32, i386) with the documented layouts, and the Rtl image
 * parser (kernel/rtl/peimage.c, peaccess.c) that both the kernel and ntdll's loader use.
 *
 * The parser is allocation-free and portable (host, kernel, MinGW): every routine checks its
 * arithmetic for overflow and reads only inside the buffer it was given; a broken image gets an
 * NTSTATUS, never a fault. Two forms of an image exist:
 *   file form    the bytes as read from disk (section data at PointerToRawData);
 *   mapped form  a buffer of at least SizeOfImage bytes holding the headers at offset 0 and each
 *                section at its VirtualAddress (what a loader maps; RtlMapImageFile builds one).
 * The loader's accessors (imports, exports, TLS, relocation) work on the mapped form only.
 */
#ifndef PE_H
#define PE_H

#include "ntdef.h"
#include "ntstatus.h"

/* ============================================================================================
 * The format
 */
#define IMAGE_DOS_SIGNATURE         0x5A4D          /* "MZ" */
#define IMAGE_OS2_SIGNATURE         0x454E          /* "NE": 16-bit Windows / OS/2 */
#define IMAGE_OS2_SIGNATURE_LE      0x454C          /* "LE": VxD / OS/2 2.x */
#define IMAGE_NT_SIGNATURE          0x00004550      /* "PE\0\0" */

#define IMAGE_FILE_MACHINE_UNKNOWN  0x0000
#define IMAGE_FILE_MACHINE_I386     0x014C
#define IMAGE_FILE_MACHINE_IA64     0x0200
#define IMAGE_FILE_MACHINE_ARMNT    0x01C4
#define IMAGE_FILE_MACHINE_AMD64    0x8664
#define IMAGE_FILE_MACHINE_ARM64    0xAA64

#define IMAGE_NT_OPTIONAL_HDR32_MAGIC 0x10B
#define IMAGE_NT_OPTIONAL_HDR64_MAGIC 0x20B
#define IMAGE_ROM_OPTIONAL_HDR_MAGIC  0x107

/* IMAGE_FILE_HEADER.Characteristics */
#define IMAGE_FILE_RELOCS_STRIPPED          0x0001
#define IMAGE_FILE_EXECUTABLE_IMAGE         0x0002
#define IMAGE_FILE_LINE_NUMS_STRIPPED       0x0004
#define IMAGE_FILE_LOCAL_SYMS_STRIPPED      0x0008
#define IMAGE_FILE_AGGRESIVE_WS_TRIM        0x0010
#define IMAGE_FILE_LARGE_ADDRESS_AWARE      0x0020
#define IMAGE_FILE_32BIT_MACHINE            0x0100
#define IMAGE_FILE_DEBUG_STRIPPED           0x0200
#define IMAGE_FILE_REMOVABLE_RUN_FROM_SWAP  0x0400
#define IMAGE_FILE_NET_RUN_FROM_SWAP        0x0800
#define IMAGE_FILE_SYSTEM                   0x1000
#define IMAGE_FILE_DLL                      0x2000
#define IMAGE_FILE_UP_SYSTEM_ONLY           0x4000

/* IMAGE_OPTIONAL_HEADER32.Subsystem */
#define IMAGE_SUBSYSTEM_UNKNOWN             0
#define IMAGE_SUBSYSTEM_NATIVE              1
#define IMAGE_SUBSYSTEM_WINDOWS_GUI         2
#define IMAGE_SUBSYSTEM_WINDOWS_CUI         3
#define IMAGE_SUBSYSTEM_OS2_CUI             5
#define IMAGE_SUBSYSTEM_POSIX_CUI           7
#define IMAGE_SUBSYSTEM_WINDOWS_CE_GUI      9

/* IMAGE_OPTIONAL_HEADER32.DllCharacteristics */
#define IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA       0x0020
#define IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE          0x0040
#define IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY       0x0080
#define IMAGE_DLLCHARACTERISTICS_NX_COMPAT             0x0100
#define IMAGE_DLLCHARACTERISTICS_NO_ISOLATION          0x0200
#define IMAGE_DLLCHARACTERISTICS_NO_SEH                0x0400
#define IMAGE_DLLCHARACTERISTICS_NO_BIND               0x0800
#define IMAGE_DLLCHARACTERISTICS_WDM_DRIVER            0x2000
#define IMAGE_DLLCHARACTERISTICS_TERMINAL_SERVER_AWARE 0x8000

/* Data directory indexes */
#define IMAGE_DIRECTORY_ENTRY_EXPORT          0
#define IMAGE_DIRECTORY_ENTRY_IMPORT          1
#define IMAGE_DIRECTORY_ENTRY_RESOURCE        2
#define IMAGE_DIRECTORY_ENTRY_EXCEPTION       3
#define IMAGE_DIRECTORY_ENTRY_SECURITY        4   /* a FILE OFFSET, not an RVA */
#define IMAGE_DIRECTORY_ENTRY_BASERELOC       5
#define IMAGE_DIRECTORY_ENTRY_DEBUG           6
#define IMAGE_DIRECTORY_ENTRY_ARCHITECTURE    7
#define IMAGE_DIRECTORY_ENTRY_GLOBALPTR       8
#define IMAGE_DIRECTORY_ENTRY_TLS             9
#define IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG    10
#define IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT   11
#define IMAGE_DIRECTORY_ENTRY_IAT            12
#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT   13
#define IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR 14
#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES     16

/* IMAGE_SECTION_HEADER.Characteristics */
#define IMAGE_SCN_CNT_CODE                  0x00000020
#define IMAGE_SCN_CNT_INITIALIZED_DATA      0x00000040
#define IMAGE_SCN_CNT_UNINITIALIZED_DATA    0x00000080
#define IMAGE_SCN_LNK_INFO                  0x00000200
#define IMAGE_SCN_LNK_REMOVE                0x00000800
#define IMAGE_SCN_LNK_COMDAT                0x00001000
#define IMAGE_SCN_MEM_DISCARDABLE           0x02000000
#define IMAGE_SCN_MEM_NOT_CACHED            0x04000000
#define IMAGE_SCN_MEM_NOT_PAGED             0x08000000
#define IMAGE_SCN_MEM_SHARED                0x10000000
#define IMAGE_SCN_MEM_EXECUTE               0x20000000
#define IMAGE_SCN_MEM_READ                  0x40000000
#define IMAGE_SCN_MEM_WRITE                 0x80000000

/* Base relocation types (the high 4 bits of each 16-bit entry; the low 12 are the page offset) */
#define IMAGE_REL_BASED_ABSOLUTE            0   /* padding: no fixup */
#define IMAGE_REL_BASED_HIGH                1
#define IMAGE_REL_BASED_LOW                 2
#define IMAGE_REL_BASED_HIGHLOW             3   /* the 32-bit fixup every i386 image uses */
#define IMAGE_REL_BASED_HIGHADJ             4
#define IMAGE_REL_BASED_DIR64               10

#define IMAGE_ORDINAL_FLAG32                0x80000000u
#define IMAGE_SIZEOF_SHORT_NAME             8
#define IMAGE_MAX_SECTIONS                  96  /* the limit the PE spec documents for the loader */

typedef struct _IMAGE_DOS_HEADER {
    USHORT e_magic;                     /* IMAGE_DOS_SIGNATURE */
    USHORT e_cblp, e_cp, e_crlc, e_cparhdr, e_minalloc, e_maxalloc, e_ss, e_sp, e_csum, e_ip, e_cs;
    USHORT e_lfarlc, e_ovno, e_res[4], e_oemid, e_oeminfo, e_res2[10];
    LONG e_lfanew;                      /* file offset of the IMAGE_NT_HEADERS32 */
} IMAGE_DOS_HEADER, *PIMAGE_DOS_HEADER;

typedef struct _IMAGE_FILE_HEADER {
    USHORT Machine;
    USHORT NumberOfSections;
    ULONG TimeDateStamp;
    ULONG PointerToSymbolTable;
    ULONG NumberOfSymbols;
    USHORT SizeOfOptionalHeader;
    USHORT Characteristics;
} IMAGE_FILE_HEADER, *PIMAGE_FILE_HEADER;

typedef struct _IMAGE_DATA_DIRECTORY {
    ULONG VirtualAddress;
    ULONG Size;
} IMAGE_DATA_DIRECTORY, *PIMAGE_DATA_DIRECTORY;

typedef struct _IMAGE_OPTIONAL_HEADER32 {
    USHORT Magic;
    UCHAR MajorLinkerVersion;
    UCHAR MinorLinkerVersion;
    ULONG SizeOfCode;
    ULONG SizeOfInitializedData;
    ULONG SizeOfUninitializedData;
    ULONG AddressOfEntryPoint;
    ULONG BaseOfCode;
    ULONG BaseOfData;
    ULONG ImageBase;
    ULONG SectionAlignment;
    ULONG FileAlignment;
    USHORT MajorOperatingSystemVersion;
    USHORT MinorOperatingSystemVersion;
    USHORT MajorImageVersion;
    USHORT MinorImageVersion;
    USHORT MajorSubsystemVersion;
    USHORT MinorSubsystemVersion;
    ULONG Win32VersionValue;
    ULONG SizeOfImage;
    ULONG SizeOfHeaders;
    ULONG CheckSum;
    USHORT Subsystem;
    USHORT DllCharacteristics;
    ULONG SizeOfStackReserve;
    ULONG SizeOfStackCommit;
    ULONG SizeOfHeapReserve;
    ULONG SizeOfHeapCommit;
    ULONG LoaderFlags;
    ULONG NumberOfRvaAndSizes;
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} IMAGE_OPTIONAL_HEADER32, *PIMAGE_OPTIONAL_HEADER32;

typedef struct _IMAGE_NT_HEADERS32 {
    ULONG Signature;                    /* IMAGE_NT_SIGNATURE */
    IMAGE_FILE_HEADER FileHeader;
    IMAGE_OPTIONAL_HEADER32 OptionalHeader;
} IMAGE_NT_HEADERS32, *PIMAGE_NT_HEADERS32;

typedef struct _IMAGE_SECTION_HEADER {
    UCHAR Name[IMAGE_SIZEOF_SHORT_NAME];
    union {
        ULONG PhysicalAddress;
        ULONG VirtualSize;              /* 0 means "SizeOfRawData" */
    } Misc;
    ULONG VirtualAddress;
    ULONG SizeOfRawData;
    ULONG PointerToRawData;
    ULONG PointerToRelocations;
    ULONG PointerToLinenumbers;
    USHORT NumberOfRelocations;
    USHORT NumberOfLinenumbers;
    ULONG Characteristics;
} IMAGE_SECTION_HEADER, *PIMAGE_SECTION_HEADER;

typedef struct _IMAGE_BASE_RELOCATION {
    ULONG VirtualAddress;               /* RVA of the 4 KiB page the entries patch */
    ULONG SizeOfBlock;                  /* this header (8 bytes) + the USHORT entries */
} IMAGE_BASE_RELOCATION, *PIMAGE_BASE_RELOCATION;

typedef struct _IMAGE_IMPORT_DESCRIPTOR {
    union {
        ULONG Characteristics;          /* 0 in the all-zero descriptor that ends the array */
        ULONG OriginalFirstThunk;       /* RVA of the import lookup table (names/ordinals) */
    };
    ULONG TimeDateStamp;
    ULONG ForwarderChain;
    ULONG Name;                         /* RVA of the DLL's name */
    ULONG FirstThunk;                   /* RVA of the import address table the loader fills */
} IMAGE_IMPORT_DESCRIPTOR, *PIMAGE_IMPORT_DESCRIPTOR;

typedef struct _IMAGE_THUNK_DATA32 {
    union {
        ULONG ForwarderString;
        ULONG Function;
        ULONG Ordinal;                  /* IMAGE_ORDINAL_FLAG32 | ordinal */
        ULONG AddressOfData;            /* RVA of an IMAGE_IMPORT_BY_NAME */
    } u1;
} IMAGE_THUNK_DATA32, *PIMAGE_THUNK_DATA32;

typedef struct _IMAGE_IMPORT_BY_NAME {
    USHORT Hint;                        /* index into the exporter's name table, a guess */
    CHAR Name[1];
} IMAGE_IMPORT_BY_NAME, *PIMAGE_IMPORT_BY_NAME;

typedef struct _IMAGE_EXPORT_DIRECTORY {
    ULONG Characteristics;
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG Name;
    ULONG Base;                         /* ordinal of AddressOfFunctions[0] */
    ULONG NumberOfFunctions;
    ULONG NumberOfNames;
    ULONG AddressOfFunctions;           /* RVA of ULONG[NumberOfFunctions] */
    ULONG AddressOfNames;               /* RVA of ULONG[NumberOfNames], name RVAs, sorted */
    ULONG AddressOfNameOrdinals;        /* RVA of USHORT[NumberOfNames], indexes (not ordinals) */
} IMAGE_EXPORT_DIRECTORY, *PIMAGE_EXPORT_DIRECTORY;

typedef struct _IMAGE_TLS_DIRECTORY32 {
    ULONG StartAddressOfRawData;        /* these four are VAs: relocated with the image */
    ULONG EndAddressOfRawData;
    ULONG AddressOfIndex;
    ULONG AddressOfCallBacks;           /* zero-terminated array of PIMAGE_TLS_CALLBACK */
    ULONG SizeOfZeroFill;
    ULONG Characteristics;
} IMAGE_TLS_DIRECTORY32, *PIMAGE_TLS_DIRECTORY32;

C_ASSERT(sizeof(IMAGE_DOS_HEADER) == 64);
C_ASSERT(sizeof(IMAGE_FILE_HEADER) == 20);
C_ASSERT(sizeof(IMAGE_OPTIONAL_HEADER32) == 224);
C_ASSERT(FIELD_OFFSET(IMAGE_OPTIONAL_HEADER32, DataDirectory) == 96);
C_ASSERT(sizeof(IMAGE_NT_HEADERS32) == 248);
C_ASSERT(sizeof(IMAGE_SECTION_HEADER) == 40);
C_ASSERT(sizeof(IMAGE_BASE_RELOCATION) == 8);
C_ASSERT(sizeof(IMAGE_IMPORT_DESCRIPTOR) == 20);
C_ASSERT(sizeof(IMAGE_THUNK_DATA32) == 4);
C_ASSERT(sizeof(IMAGE_EXPORT_DIRECTORY) == 40);
C_ASSERT(sizeof(IMAGE_TLS_DIRECTORY32) == 24);

/* ============================================================================================
 * The parser (kernel/rtl/peimage.c: validation, sections, mapping, relocation)
 */

/* What validation learnt; Base/Size/Mapped say which buffer the other routines read. */
typedef struct _RTL_IMAGE_INFO {
    const UCHAR *Base;                  /* the buffer validated (file or mapped form) */
    SIZE_T Size;                        /* its size in bytes */
    BOOLEAN Mapped;                     /* TRUE if validated by RtlValidateMappedImage */
    ULONG NtHeadersOffset;              /* e_lfanew */
    ULONG SectionTableOffset;           /* offset of the IMAGE_SECTION_HEADER array */
    const IMAGE_SECTION_HEADER *SectionTable;   /* Base + SectionTableOffset (may be unaligned:
                                                   read entries with RtlImageSection) */
    ULONG NumberOfSections;
    USHORT Machine;
    USHORT Characteristics;             /* IMAGE_FILE_* (IMAGE_FILE_DLL, _RELOCS_STRIPPED, ...) */
    BOOLEAN IsDll;
    BOOLEAN RelocsStripped;
    ULONG ImageBase;                    /* as the headers say now (updated by RtlRelocateImage) */
    ULONG SizeOfImage;
    ULONG SizeOfHeaders;
    ULONG SectionAlignment;
    ULONG FileAlignment;
    ULONG EntryPoint;                   /* RVA; 0 = none (DLLs only) */
    USHORT Subsystem;
    USHORT MajorSubsystemVersion;
    USHORT MinorSubsystemVersion;
    USHORT DllCharacteristics;
    ULONG SizeOfStackReserve;
    ULONG SizeOfStackCommit;
    ULONG SizeOfHeapReserve;
    ULONG SizeOfHeapCommit;
    ULONG CheckSum;
    ULONG NumberOfRvaAndSizes;
    IMAGE_DATA_DIRECTORY Directory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];  /* absent ones are 0 */
} RTL_IMAGE_INFO, *PRTL_IMAGE_INFO;

/* Validates an image as read from disk (FileSize bytes at File) and fills Info. */
NTSTATUS RtlValidateImageFile(const VOID *File, SIZE_T FileSize, PRTL_IMAGE_INFO Info);
/* Validates the headers of a mapped image (ViewSize >= SizeOfImage) and fills Info. */
NTSTATUS RtlValidateMappedImage(const VOID *Image, SIZE_T ViewSize, PRTL_IMAGE_INFO Info);

/* Section Index (0-based) copied out of the section table: STATUS_NO_MORE_ENTRIES past the end. */
NTSTATUS RtlImageSection(const RTL_IMAGE_INFO *Info, ULONG Index, PIMAGE_SECTION_HEADER Section);
/* The index of the section holding Rva (STATUS_NOT_FOUND: in the headers or in no section). */
NTSTATUS RtlImageRvaToSection(const RTL_IMAGE_INFO *Info, ULONG Rva, PULONG Index);
/* Length bytes at Rva <-> their file offset; STATUS_NOT_FOUND unless all of them are file data
 * (the headers or one section's raw data). */
NTSTATUS RtlImageRvaToFileOffset(const RTL_IMAGE_INFO *Info, ULONG Rva, ULONG Length,
                                 PULONG FileOffset);
NTSTATUS RtlImageFileOffsetToRva(const RTL_IMAGE_INFO *Info, ULONG FileOffset, ULONG Length,
                                 PULONG Rva);

/* Builds the mapped form of a validated file (FileInfo from RtlValidateImageFile) in Image,
 * ImageSize >= SizeOfImage bytes: headers and section data copied, the rest zeroed. */
NTSTATUS RtlMapImageFile(const RTL_IMAGE_INFO *FileInfo, PVOID Image, SIZE_T ImageSize);

/* Applies the base relocations of a mapped image so that it runs at NewBase, and records NewBase
 * as the headers' ImageBase. Either every fixup is applied or (on error) none. */
NTSTATUS RtlRelocateImage(PVOID MappedImage, SIZE_T ImageSize, ULONG_PTR NewBase);

/* ============================================================================================
 * Loader accessors on the mapped form (kernel/rtl/peaccess.c). Info comes from
 * RtlValidateMappedImage; every string returned is NUL-terminated inside the image.
 */
typedef struct _RTL_IMAGE_IMPORT {
    PCSTR DllName;
    ULONG LookupRva;                    /* names/ordinals: OriginalFirstThunk, else FirstThunk */
    ULONG IatRva;                       /* FirstThunk: the slots the loader writes */
    ULONG TimeDateStamp;
    ULONG ForwarderChain;
} RTL_IMAGE_IMPORT, *PRTL_IMAGE_IMPORT;

typedef struct _RTL_IMAGE_THUNK {
    BOOLEAN ByOrdinal;
    USHORT Ordinal;                     /* if ByOrdinal */
    USHORT Hint;                        /* if by name */
    PCSTR Name;                         /* if by name */
    ULONG IatRva;                       /* RVA of this import's 4-byte IAT slot */
} RTL_IMAGE_THUNK, *PRTL_IMAGE_THUNK;

/* Import descriptor Index: STATUS_NO_MORE_ENTRIES at the terminating all-zero descriptor (or when
 * the image has no import directory). */
NTSTATUS RtlImageImport(const RTL_IMAGE_INFO *Info, ULONG Index, PRTL_IMAGE_IMPORT Import);
/* Thunk Index of an import: STATUS_NO_MORE_ENTRIES at the terminating zero thunk. */
NTSTATUS RtlImageImportThunk(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_IMPORT *Import,
                             ULONG Index, PRTL_IMAGE_THUNK Thunk);

typedef struct _RTL_IMAGE_EXPORTS {
    ULONG DirectoryRva, DirectorySize;  /* export RVAs inside this range are forwarders */
    PCSTR DllName;                      /* the Name field, or NULL if it is 0 */
    ULONG Base;
    ULONG NumberOfFunctions;
    ULONG NumberOfNames;
    ULONG FunctionsRva, NamesRva, NameOrdinalsRva;
} RTL_IMAGE_EXPORTS, *PRTL_IMAGE_EXPORTS;

typedef struct _RTL_IMAGE_EXPORT {
    ULONG Ordinal;                      /* biased (Base + index) */
    ULONG Rva;                          /* of the code or data; 0 for a forwarder */
    PCSTR Forwarder;                    /* "DLL.Name" or "DLL.#123", or NULL */
} RTL_IMAGE_EXPORT, *PRTL_IMAGE_EXPORT;

/* The export directory with its three tables checked to lie inside the image
 * (STATUS_NOT_FOUND if the image has none). */
NTSTATUS RtlImageExports(const RTL_IMAGE_INFO *Info, PRTL_IMAGE_EXPORTS Exports);
/* Name table entry Index (0-based, sorted order): its name and the export it names. */
NTSTATUS RtlImageExportName(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                            ULONG Index, PCSTR *Name, PRTL_IMAGE_EXPORT Export);
/* Lookups: STATUS_PROCEDURE_NOT_FOUND / STATUS_ORDINAL_NOT_FOUND when absent. Hint is tried
 * first (the importer's guess of the name's index), then a binary search. */
NTSTATUS RtlImageExportByName(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                              PCSTR Name, USHORT Hint, PRTL_IMAGE_EXPORT Export);
NTSTATUS RtlImageExportByOrdinal(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                                 ULONG Ordinal, PRTL_IMAGE_EXPORT Export);
/* Splits "DLL.Name" / "DLL.#123": DllLength = length of "DLL"; then either *Name (ordinal 0)
 * or *Ordinal. STATUS_INVALID_IMAGE_FORMAT if malformed. */
NTSTATUS RtlSplitForwarder(PCSTR Forwarder, PULONG DllLength, PCSTR *Name, PULONG Ordinal);

typedef struct _RTL_IMAGE_TLS {
    IMAGE_TLS_DIRECTORY32 Directory;    /* as in the image (VAs at the current ImageBase) */
    ULONG RawDataRva, RawDataSize;      /* the template copied into each thread's block */
    ULONG IndexRva;                     /* where the loader stores the TLS index (0: none) */
    ULONG CallbacksRva;                 /* the callback array (0: none) */
    ULONG NumberOfCallbacks;
} RTL_IMAGE_TLS, *PRTL_IMAGE_TLS;

/* The TLS directory, every address checked to lie inside the image (STATUS_NOT_FOUND if none). */
NTSTATUS RtlImageTls(const RTL_IMAGE_INFO *Info, PRTL_IMAGE_TLS Tls);
/* Callback Index as an RVA inside the image. */
NTSTATUS RtlImageTlsCallback(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_TLS *Tls, ULONG Index,
                             PULONG CallbackRva);

#endif
