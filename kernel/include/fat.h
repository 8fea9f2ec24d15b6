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
#include "ntfile.h"

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
/* What FatQueryInformation says of the file id, the attributes and whether it is a directory,
 * without formatting names and times: the driver asks it at every open. */
NTSTATUS FatQueryIdentity(PFAT_FILE File, PULONGLONG FileId, PULONG FileAttributes, PBOOLEAN Directory);

#endif
