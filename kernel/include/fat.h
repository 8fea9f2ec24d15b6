/*
 * fat.h - the FAT file system core (kernel/drivers/fat): FAT32 and FAT16 volumes reached through
 * a sector-level block device. It knows nothing of IRPs, handles or sharing: the FAT file system
 * driver (the IRP glue) calls it with one request at a time per volume, and the host unit tests
 * (tests/unit/fat_test.c) call it against disk image files.
 *
 * Names are UTF-16 paths relative to the volume root ("\\", "\\dir\\file.txt"), compared without
 * case and stored with case preserved. Times are NT times (100 ns since 1601, UTC); FAT keeps
 * local time, and NanoNT's local time is UTC. Memory comes from the paged pool, tag 'FatC'.
 */
#ifndef FAT_H
#define FAT_H

#include "ntdef.h"
#include "ntstatus.h"
#include "ntobj.h"

/* ---- Status values the core returns (NT's values; guarded, other layers define some) ------ */
#ifndef STATUS_NO_MORE_FILES
#define STATUS_NO_MORE_FILES             ((NTSTATUS)0x80000006)
#endif
#ifndef STATUS_DEVICE_BUSY
#define STATUS_DEVICE_BUSY               ((NTSTATUS)0x80000011)
#endif
#ifndef STATUS_END_OF_FILE
#define STATUS_END_OF_FILE               ((NTSTATUS)0xC0000011)
#endif
#ifndef STATUS_DISK_CORRUPT_ERROR
#define STATUS_DISK_CORRUPT_ERROR        ((NTSTATUS)0xC0000032)
#endif
#ifndef STATUS_SHARING_VIOLATION
#define STATUS_SHARING_VIOLATION         ((NTSTATUS)0xC0000043)
#endif
#ifndef STATUS_DISK_FULL
#define STATUS_DISK_FULL                 ((NTSTATUS)0xC000007F)
#endif
#ifndef STATUS_FILE_IS_A_DIRECTORY
#define STATUS_FILE_IS_A_DIRECTORY       ((NTSTATUS)0xC00000BA)
#endif
#ifndef STATUS_DIRECTORY_NOT_EMPTY
#define STATUS_DIRECTORY_NOT_EMPTY       ((NTSTATUS)0xC0000101)
#endif
#ifndef STATUS_FILE_CORRUPT_ERROR
#define STATUS_FILE_CORRUPT_ERROR        ((NTSTATUS)0xC0000102)
#endif
#ifndef STATUS_NOT_A_DIRECTORY
#define STATUS_NOT_A_DIRECTORY           ((NTSTATUS)0xC0000103)
#endif
#ifndef STATUS_CANNOT_DELETE
#define STATUS_CANNOT_DELETE             ((NTSTATUS)0xC0000121)
#endif
#ifndef STATUS_FILE_DELETED
#define STATUS_FILE_DELETED              ((NTSTATUS)0xC0000123)
#endif
#ifndef STATUS_UNRECOGNIZED_VOLUME
#define STATUS_UNRECOGNIZED_VOLUME       ((NTSTATUS)0xC000014F)
#endif

/* ---- NtCreateFile's dispositions, options and results; file attributes (winnt values) ----- */
#ifndef FILE_SUPERSEDE
#define FILE_SUPERSEDE                   0x00000000u
#define FILE_OPEN                        0x00000001u
#define FILE_CREATE                      0x00000002u
#define FILE_OPEN_IF                     0x00000003u
#define FILE_OVERWRITE                   0x00000004u
#define FILE_OVERWRITE_IF                0x00000005u
#endif
#ifndef FILE_DIRECTORY_FILE
#define FILE_DIRECTORY_FILE              0x00000001u
#endif
#ifndef FILE_NON_DIRECTORY_FILE
#define FILE_NON_DIRECTORY_FILE          0x00000040u
#endif
#ifndef FILE_SUPERSEDED
#define FILE_SUPERSEDED                  0x00000000u
#define FILE_OPENED                      0x00000001u
#define FILE_CREATED                     0x00000002u
#define FILE_OVERWRITTEN                 0x00000003u
#endif
#ifndef FILE_ATTRIBUTE_READONLY
#define FILE_ATTRIBUTE_READONLY          0x00000001u
#define FILE_ATTRIBUTE_HIDDEN            0x00000002u
#define FILE_ATTRIBUTE_SYSTEM            0x00000004u
#define FILE_ATTRIBUTE_DIRECTORY         0x00000010u
#define FILE_ATTRIBUTE_ARCHIVE           0x00000020u
#define FILE_ATTRIBUTE_NORMAL            0x00000080u
#endif

/* ---- The block device below the volume ---------------------------------------------------- */
typedef struct _FAT_BLOCK_DEVICE {
    PVOID Context;
    ULONG SectorSize;                 /* 512 (512..4096, a power of two, equal to the BPB's) */
    ULONGLONG SectorCount;
    NTSTATUS (*Read)(PVOID Context, ULONGLONG Sector, ULONG Count, PVOID Buffer);
    NTSTATUS (*Write)(PVOID Context, ULONGLONG Sector, ULONG Count, const VOID *Buffer);
    NTSTATUS (*Flush)(PVOID Context);                       /* device cache to media */
    VOID (*QuerySystemTime)(PLARGE_INTEGER Now);           /* NT time: 100 ns since 1601, UTC */
} FAT_BLOCK_DEVICE;

typedef struct _FAT_VOLUME FAT_VOLUME, *PFAT_VOLUME;       /* opaque */
typedef struct _FAT_FILE FAT_FILE, *PFAT_FILE;             /* one open instance (opaque) */

typedef struct _FAT_FILE_INFO {
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;   /* NT times */
    ULONGLONG EndOfFile, AllocationSize;
    ULONG FileAttributes;             /* FILE_ATTRIBUTE_* */
    BOOLEAN Directory;
    USHORT NameLength;                /* bytes */
    WCHAR Name[256];                  /* long name, case preserved (empty for the root) */
    USHORT ShortNameLength;           /* bytes */
    WCHAR ShortName[13];              /* 8.3 */
    ULONGLONG FileId;                 /* (first cluster of the parent << 32) | entry index */
} FAT_FILE_INFO, *PFAT_FILE_INFO;

typedef struct _FAT_VOLUME_INFO {
    ULONG SerialNumber; WCHAR Label[12]; USHORT LabelLength;    /* LabelLength in bytes */
    ULONG BytesPerSector, SectorsPerCluster; ULONGLONG TotalClusters, FreeClusters;
    BOOLEAN Fat32;
} FAT_VOLUME_INFO;

/* Volumes. FatMount: STATUS_UNRECOGNIZED_VOLUME if not FAT (FAT12 included: not supported);
 * STATUS_DISK_CORRUPT_ERROR if FAT but inconsistent. FatDismount: STATUS_DEVICE_BUSY (and
 * nothing done) while a file is open; otherwise flushes everything and frees the volume. */
NTSTATUS FatMount(const FAT_BLOCK_DEVICE *Device, PFAT_VOLUME *Volume);
NTSTATUS FatDismount(PFAT_VOLUME Volume);
NTSTATUS FatFlushVolume(PFAT_VOLUME Volume);              /* cache + FSInfo + device flush */
NTSTATUS FatQueryVolume(PFAT_VOLUME Volume, FAT_VOLUME_INFO *Info);

/* Files. See kernel/drivers/fat/fatfile.c for the dispositions and their errors. */
NTSTATUS FatOpen(PFAT_VOLUME Volume, PCUNICODE_STRING Path, ULONG Disposition, ULONG Options,
                 ULONG FileAttributes, PFAT_FILE *File, PULONG_PTR Information);
VOID FatClose(PFAT_FILE File);
NTSTATUS FatRead(PFAT_FILE File, ULONGLONG Offset, PVOID Buffer, ULONG Length, PULONG BytesRead);
NTSTATUS FatWrite(PFAT_FILE File, ULONGLONG Offset, const VOID *Buffer, ULONG Length,
                  PULONG BytesWritten);
NTSTATUS FatSetEndOfFile(PFAT_FILE File, ULONGLONG Size);
NTSTATUS FatQueryInformation(PFAT_FILE File, PFAT_FILE_INFO Info);
NTSTATUS FatSetBasicInformation(PFAT_FILE File, const LARGE_INTEGER *CreationTime,
                                const LARGE_INTEGER *LastAccessTime,
                                const LARGE_INTEGER *LastWriteTime, ULONG FileAttributes);
NTSTATUS FatDelete(PFAT_FILE File);
NTSTATUS FatRename(PFAT_FILE File, PCUNICODE_STRING NewPath, BOOLEAN ReplaceIfExists);
NTSTATUS FatQueryDirectory(PFAT_FILE Directory, PULONG Cursor, PCUNICODE_STRING Pattern,
                           PFAT_FILE_INFO Entry);

/* Additions to the contract: how many instances share File's file control block (the driver
 * may use it for delete-on-close decisions), and the number of open instances on the volume. */
ULONG FatQueryOpenCount(PFAT_FILE File);
ULONG FatQueryVolumeOpenFiles(PFAT_VOLUME Volume);

#endif
