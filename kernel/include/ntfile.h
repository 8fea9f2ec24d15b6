/*
 * ntfile.h - the file constants NT's I/O interfaces share: access rights, share modes,
 * NtCreateFile's dispositions, create options and results, file attributes and file system
 * attributes (values from the Windows SDK/DDK). The I/O manager (io.h), the FAT core (fat.h)
 * and the user-mode tests include this one copy.
 */
#ifndef NTFILE_H
#define NTFILE_H

#include "ntdef.h"
#include "ntobj.h"

/* ---- Access rights, sharing, dispositions, options -------------------------------------- */

#define FILE_READ_DATA            0x0001u
#define FILE_LIST_DIRECTORY       0x0001u
#define FILE_WRITE_DATA           0x0002u
#define FILE_ADD_FILE             0x0002u
#define FILE_APPEND_DATA          0x0004u
#define FILE_ADD_SUBDIRECTORY     0x0004u
#define FILE_READ_EA              0x0008u
#define FILE_WRITE_EA             0x0010u
#define FILE_EXECUTE              0x0020u
#define FILE_TRAVERSE             0x0020u
#define FILE_DELETE_CHILD         0x0040u
#define FILE_READ_ATTRIBUTES      0x0080u
#define FILE_WRITE_ATTRIBUTES     0x0100u
#define FILE_ALL_ACCESS           (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x01FFu)
#define FILE_GENERIC_READ         (STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | \
                                   FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE        (STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | \
                                   FILE_WRITE_EA | FILE_APPEND_DATA | SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE      (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | \
                                   SYNCHRONIZE)

#define FILE_SHARE_READ           0x00000001u
#define FILE_SHARE_WRITE          0x00000002u
#define FILE_SHARE_DELETE         0x00000004u
#define FILE_SHARE_VALID_FLAGS    0x00000007u

#define FILE_SUPERSEDE            0x00000000u
#define FILE_OPEN                 0x00000001u
#define FILE_CREATE               0x00000002u
#define FILE_OPEN_IF              0x00000003u
#define FILE_OVERWRITE            0x00000004u
#define FILE_OVERWRITE_IF         0x00000005u
#define FILE_MAXIMUM_DISPOSITION  0x00000005u

#define FILE_DIRECTORY_FILE            0x00000001u
#define FILE_WRITE_THROUGH             0x00000002u
#define FILE_SEQUENTIAL_ONLY           0x00000004u
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008u
#define FILE_SYNCHRONOUS_IO_ALERT      0x00000010u
#define FILE_SYNCHRONOUS_IO_NONALERT   0x00000020u
#define FILE_NON_DIRECTORY_FILE        0x00000040u
#define FILE_CREATE_TREE_CONNECTION    0x00000080u
#define FILE_COMPLETE_IF_OPLOCKED      0x00000100u
#define FILE_NO_EA_KNOWLEDGE           0x00000200u
#define FILE_OPEN_FOR_RECOVERY         0x00000400u
#define FILE_RANDOM_ACCESS             0x00000800u
#define FILE_DELETE_ON_CLOSE           0x00001000u
#define FILE_OPEN_BY_FILE_ID           0x00002000u
#define FILE_OPEN_FOR_BACKUP_INTENT    0x00004000u
#define FILE_NO_COMPRESSION            0x00008000u
#define FILE_OPEN_REPARSE_POINT        0x00200000u
#define FILE_OPEN_NO_RECALL            0x00400000u
#define FILE_OPEN_FOR_FREE_SPACE_QUERY 0x00800000u
#define FILE_VALID_OPTION_FLAGS        0x00FFFFFFu

/* IO_STATUS_BLOCK.Information after a create. */
#define FILE_SUPERSEDED           0x00000000u
#define FILE_OPENED               0x00000001u
#define FILE_CREATED              0x00000002u
#define FILE_OVERWRITTEN          0x00000003u
#define FILE_EXISTS               0x00000004u
#define FILE_DOES_NOT_EXIST       0x00000005u

/* ByteOffset.LowPart values with HighPart == -1. */
#define FILE_WRITE_TO_END_OF_FILE       0xFFFFFFFFu
#define FILE_USE_FILE_POINTER_POSITION  0xFFFFFFFEu

#define FILE_ATTRIBUTE_READONLY   0x00000001u
#define FILE_ATTRIBUTE_HIDDEN     0x00000002u
#define FILE_ATTRIBUTE_SYSTEM     0x00000004u
#define FILE_ATTRIBUTE_DIRECTORY  0x00000010u
#define FILE_ATTRIBUTE_ARCHIVE    0x00000020u
#define FILE_ATTRIBUTE_DEVICE     0x00000040u
#define FILE_ATTRIBUTE_NORMAL     0x00000080u
#define FILE_ATTRIBUTE_TEMPORARY  0x00000100u
#define FILE_ATTRIBUTE_VALID_FLAGS 0x00007FB7u

/* FileFsAttributeInformation.FileSystemAttributes. */
#define FILE_CASE_SENSITIVE_SEARCH 0x00000001u
#define FILE_CASE_PRESERVED_NAMES  0x00000002u
#define FILE_UNICODE_ON_DISK       0x00000004u

/* ---- I/O status, information classes and their x86 layouts (user mode shares them) ---- */


/* Structures Windows aligns to 8 bytes because of their LARGE_INTEGERs (GCC's i386 ABI would
 * use 4 and change their sizes). */
#define IO_ALIGN8 __attribute__((aligned(8)))
typedef CHAR CCHAR;

#define NT_ERROR(s)   ((ULONG)(s) >> 30 == 3)
#define NT_WARNING(s) ((ULONG)(s) >> 30 == 2)

typedef struct _IO_STATUS_BLOCK {
    union { NTSTATUS Status; PVOID Pointer; };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
X86_C_ASSERT(sizeof(IO_STATUS_BLOCK) == 8);

typedef VOID (NTAPI *PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved);

/* ---- Information classes ---------------------------------------------------------------- */

typedef enum _FILE_INFORMATION_CLASS {
    FileDirectoryInformation = 1, FileFullDirectoryInformation, FileBothDirectoryInformation,
    FileBasicInformation, FileStandardInformation, FileInternalInformation, FileEaInformation,
    FileAccessInformation, FileNameInformation, FileRenameInformation, FileLinkInformation,
    FileNamesInformation, FileDispositionInformation, FilePositionInformation,
    FileFullEaInformation, FileModeInformation, FileAlignmentInformation, FileAllInformation,
    FileAllocationInformation, FileEndOfFileInformation, FileAlternateNameInformation,
    FileStreamInformation, FilePipeInformation, FilePipeLocalInformation,
    FilePipeRemoteInformation, FileMailslotQueryInformation, FileMailslotSetInformation,
    FileCompressionInformation, FileObjectIdInformation, FileCompletionInformation,
    FileMoveClusterInformation, FileQuotaInformation, FileReparsePointInformation,
    FileNetworkOpenInformation, FileAttributeTagInformation, FileMaximumInformation
} FILE_INFORMATION_CLASS, *PFILE_INFORMATION_CLASS;

typedef enum _FS_INFORMATION_CLASS {
    FileFsVolumeInformation = 1, FileFsLabelInformation, FileFsSizeInformation,
    FileFsDeviceInformation, FileFsAttributeInformation, FileFsControlInformation,
    FileFsFullSizeInformation, FileFsObjectIdInformation, FileFsMaximumInformation
} FS_INFORMATION_CLASS, *PFS_INFORMATION_CLASS;

typedef struct IO_ALIGN8 _FILE_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    ULONG FileAttributes;
} FILE_BASIC_INFORMATION, *PFILE_BASIC_INFORMATION;
X86_C_ASSERT(sizeof(FILE_BASIC_INFORMATION) == 40);

typedef struct IO_ALIGN8 _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize, EndOfFile;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending, Directory;
} FILE_STANDARD_INFORMATION, *PFILE_STANDARD_INFORMATION;
X86_C_ASSERT(sizeof(FILE_STANDARD_INFORMATION) == 24);

typedef struct IO_ALIGN8 _FILE_POSITION_INFORMATION { LARGE_INTEGER CurrentByteOffset; } FILE_POSITION_INFORMATION, *PFILE_POSITION_INFORMATION;
typedef struct IO_ALIGN8 _FILE_END_OF_FILE_INFORMATION { LARGE_INTEGER EndOfFile; } FILE_END_OF_FILE_INFORMATION, *PFILE_END_OF_FILE_INFORMATION;
typedef struct IO_ALIGN8 _FILE_ALLOCATION_INFORMATION { LARGE_INTEGER AllocationSize; } FILE_ALLOCATION_INFORMATION, *PFILE_ALLOCATION_INFORMATION;
typedef struct IO_ALIGN8 _FILE_INTERNAL_INFORMATION { LARGE_INTEGER IndexNumber; } FILE_INTERNAL_INFORMATION, *PFILE_INTERNAL_INFORMATION;
typedef struct _FILE_DISPOSITION_INFORMATION { BOOLEAN DeleteFile; } FILE_DISPOSITION_INFORMATION, *PFILE_DISPOSITION_INFORMATION;
typedef struct _FILE_ACCESS_INFORMATION { ACCESS_MASK AccessFlags; } FILE_ACCESS_INFORMATION, *PFILE_ACCESS_INFORMATION;
typedef struct _FILE_MODE_INFORMATION { ULONG Mode; } FILE_MODE_INFORMATION, *PFILE_MODE_INFORMATION;
typedef struct _FILE_ALIGNMENT_INFORMATION { ULONG AlignmentRequirement; } FILE_ALIGNMENT_INFORMATION, *PFILE_ALIGNMENT_INFORMATION;
typedef struct _FILE_EA_INFORMATION { ULONG EaSize; } FILE_EA_INFORMATION, *PFILE_EA_INFORMATION;

typedef struct _FILE_NAME_INFORMATION {
    ULONG FileNameLength;                 /* bytes */
    WCHAR FileName[1];
} FILE_NAME_INFORMATION, *PFILE_NAME_INFORMATION;

/* FileAllInformation: what the FSD knows (basic, standard, internal, EA, name) and what the file
 * object knows (access, position, mode, alignment; the I/O manager fills those), in one answer. */
typedef struct IO_ALIGN8 _FILE_ALL_INFORMATION {
    FILE_BASIC_INFORMATION BasicInformation;
    FILE_STANDARD_INFORMATION StandardInformation;
    FILE_INTERNAL_INFORMATION InternalInformation;
    FILE_EA_INFORMATION EaInformation;
    FILE_ACCESS_INFORMATION AccessInformation;
    FILE_POSITION_INFORMATION PositionInformation;
    FILE_MODE_INFORMATION ModeInformation;
    FILE_ALIGNMENT_INFORMATION AlignmentInformation;
    FILE_NAME_INFORMATION NameInformation;
} FILE_ALL_INFORMATION, *PFILE_ALL_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_ALL_INFORMATION, PositionInformation) == 80);
X86_C_ASSERT(FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation) == 96);
X86_C_ASSERT(sizeof(FILE_ALL_INFORMATION) == 104);

typedef struct _FILE_RENAME_INFORMATION {
    BOOLEAN ReplaceIfExists;
    HANDLE RootDirectory;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_RENAME_INFORMATION, *PFILE_RENAME_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) == 12);

typedef struct IO_ALIGN8 _FILE_NETWORK_OPEN_INFORMATION {
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER AllocationSize, EndOfFile;
    ULONG FileAttributes;
} FILE_NETWORK_OPEN_INFORMATION, *PFILE_NETWORK_OPEN_INFORMATION;
X86_C_ASSERT(sizeof(FILE_NETWORK_OPEN_INFORMATION) == 56);

typedef struct _FILE_ATTRIBUTE_TAG_INFORMATION { ULONG FileAttributes, ReparseTag; } FILE_ATTRIBUTE_TAG_INFORMATION;

/* Directory entries: each starts at an 8-byte boundary; NextEntryOffset 0 ends the list. */
typedef struct IO_ALIGN8 _FILE_DIRECTORY_INFORMATION {
    ULONG NextEntryOffset, FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes, FileNameLength;
    WCHAR FileName[1];
} FILE_DIRECTORY_INFORMATION, *PFILE_DIRECTORY_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName) == 64);

typedef struct IO_ALIGN8 _FILE_FULL_DIR_INFORMATION {
    ULONG NextEntryOffset, FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes, FileNameLength, EaSize;
    WCHAR FileName[1];
} FILE_FULL_DIR_INFORMATION, *PFILE_FULL_DIR_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_FULL_DIR_INFORMATION, FileName) == 68);

typedef struct IO_ALIGN8 _FILE_BOTH_DIR_INFORMATION {
    ULONG NextEntryOffset, FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes, FileNameLength, EaSize;
    CHAR ShortNameLength;                 /* bytes */
    WCHAR ShortName[12];
    WCHAR FileName[1];
} FILE_BOTH_DIR_INFORMATION, *PFILE_BOTH_DIR_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, ShortName) == 70);
X86_C_ASSERT(FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName) == 94);

typedef struct _FILE_NAMES_INFORMATION {
    ULONG NextEntryOffset, FileIndex, FileNameLength;
    WCHAR FileName[1];
} FILE_NAMES_INFORMATION, *PFILE_NAMES_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName) == 12);

typedef struct IO_ALIGN8 _FILE_FS_VOLUME_INFORMATION {
    LARGE_INTEGER VolumeCreationTime;
    ULONG VolumeSerialNumber, VolumeLabelLength;
    BOOLEAN SupportsObjects;
    WCHAR VolumeLabel[1];
} FILE_FS_VOLUME_INFORMATION, *PFILE_FS_VOLUME_INFORMATION;
X86_C_ASSERT(FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel) == 18);

typedef struct IO_ALIGN8 _FILE_FS_SIZE_INFORMATION {
    LARGE_INTEGER TotalAllocationUnits, AvailableAllocationUnits;
    ULONG SectorsPerAllocationUnit, BytesPerSector;
} FILE_FS_SIZE_INFORMATION, *PFILE_FS_SIZE_INFORMATION;
X86_C_ASSERT(sizeof(FILE_FS_SIZE_INFORMATION) == 24);

typedef struct IO_ALIGN8 _FILE_FS_FULL_SIZE_INFORMATION {
    LARGE_INTEGER TotalAllocationUnits, CallerAvailableAllocationUnits, ActualAvailableAllocationUnits;
    ULONG SectorsPerAllocationUnit, BytesPerSector;
} FILE_FS_FULL_SIZE_INFORMATION, *PFILE_FS_FULL_SIZE_INFORMATION;

typedef struct _FILE_FS_ATTRIBUTE_INFORMATION {
    ULONG FileSystemAttributes;
    LONG MaximumComponentNameLength;
    ULONG FileSystemNameLength;           /* bytes */
    WCHAR FileSystemName[1];
} FILE_FS_ATTRIBUTE_INFORMATION, *PFILE_FS_ATTRIBUTE_INFORMATION;

typedef ULONG DEVICE_TYPE;
typedef struct _FILE_FS_DEVICE_INFORMATION {
    DEVICE_TYPE DeviceType;
    ULONG Characteristics;
} FILE_FS_DEVICE_INFORMATION, *PFILE_FS_DEVICE_INFORMATION;

#endif
