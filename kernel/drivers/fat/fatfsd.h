/*
 * fatfsd.h - the FAT file system driver's own state: what the I/O manager's objects point at.
 * A mounted volume is a volume device whose extension holds the FAT core's volume and a mutex
 * that serialises every request on it (the core is single-threaded). Each file has one FCB,
 * shared by all its opens (FileObject->FsContext: share access, delete-pending, the open count);
 * each open has a CCB (FsContext2: the core's file instance, its full path, directory-search
 * state).
 */
#ifndef FATFSD_H
#define FATFSD_H

#include "io.h"
#include "fat.h"
#include "rtl.h"
#include "ntstatus.h"
#include "svc.h"

#define FATFSD_TAG POOL_TAG('F', 'a', 't', 'D')

typedef struct _FAT_FCB {
    LIST_ENTRY Link;                   /* the volume's FCB list */
    ULONGLONG FileId;                  /* the core's id; changes on rename */
    SHARE_ACCESS ShareAccess;
    ULONG OpenHandles;                 /* file objects not yet cleaned up */
    ULONG References;                  /* CCBs */
    BOOLEAN DeletePending;
    BOOLEAN Directory;
    SECTION_OBJECT_POINTERS SectionObjectPointers;   /* Mm's: the file's image segment, if mapped */
} FAT_FCB, *PFAT_FCB;

typedef struct _FAT_CCB {
    PFAT_FILE File;
    UNICODE_STRING Path;               /* "\dir\file", pool */
    BOOLEAN DeleteOnClose;
    BOOLEAN SearchStarted;
    ULONG SearchCursor;
    UNICODE_STRING SearchPattern;      /* pool, or empty for "*" */
} FAT_CCB, *PFAT_CCB;

typedef struct _FAT_VOLUME_EXTENSION {
    PFAT_VOLUME Volume;
    PDEVICE_OBJECT Disk;
    PVPB Vpb;
    FAT_BLOCK_DEVICE Block;
    KMUTANT Lock;
    LIST_ENTRY FcbList;
    LIST_ENTRY VolumeLink;             /* FatpVolumes, for shutdown */
} FAT_VOLUME_EXTENSION, *PFAT_VOLUME_EXTENSION;

static inline PFAT_VOLUME_EXTENSION FatpVolumeOf(PDEVICE_OBJECT Device)
{
    return Device->DeviceExtension;
}

/* fatfsdinfo.c */
NTSTATUS FatpQueryInformation(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp);
NTSTATUS FatpSetInformation(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp);
NTSTATUS FatpQueryVolumeInformation(PFAT_VOLUME_EXTENSION Vx, PIRP Irp);
NTSTATUS FatpQueryDirectory(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp);

/* fatfsd.c */
NTSTATUS FatpJoinPath(PCUNICODE_STRING Directory, PCWSTR Name, ULONG NameBytes, PUNICODE_STRING Out);
VOID FatpFreeString(PUNICODE_STRING String);
NTSTATUS FatpCopyString(PCWSTR Source, ULONG Bytes, PUNICODE_STRING Out);
BOOLEAN FatpDirectoryIsEmpty(PFAT_FILE Directory);
PFAT_FCB FatpFindOpenFcb(PFAT_VOLUME_EXTENSION Vx, ULONGLONG FileId);

#endif
