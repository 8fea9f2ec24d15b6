/*
 * fatinfo.c - what callers learn about files and change in them: FAT_FILE_INFO from a directory
 * entry (times, sizes, attributes, long and short name, file id), FatQueryInformation,
 * FatSetBasicInformation (times and attributes) and FatQueryDirectory (enumeration with
 * wildcards over long or short names).
 */
#include "fatp.h"

static ULONG FatpNtAttributes(const FAT_DIRENT *Dirent)
{
    ULONG a = Dirent->Attr & (FAT_ATTR_SETTABLE | FAT_ATTR_DIRECTORY);
    return a ? a : FILE_ATTRIBUTE_NORMAL;
}

VOID FatpFillInfo(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent, PCWSTR Name, USHORT NameLength,
                  PCWSTR ShortName, USHORT ShortLength, ULONG ParentCluster, ULONG ShortOffset,
                  PFAT_FILE_INFO Info)
{
    RtlZeroMemory(Info, sizeof *Info);
    Info->CreationTime.QuadPart = FatpFatTimeToNt(Dirent->CrtDate, Dirent->CrtTime, Dirent->CrtTimeTenth);
    Info->LastAccessTime.QuadPart = FatpFatTimeToNt(Dirent->LstAccDate, 0, 0);
    Info->LastWriteTime.QuadPart = FatpFatTimeToNt(Dirent->WrtDate, Dirent->WrtTime, 0);
    Info->ChangeTime = Info->LastWriteTime;
    Info->FileAttributes = FatpNtAttributes(Dirent);
    Info->Directory = (Dirent->Attr & FAT_ATTR_DIRECTORY) != 0;
    if (!Info->Directory) {
        Info->EndOfFile = Dirent->FileSize;
        Info->AllocationSize = ((ULONGLONG)Dirent->FileSize + Vol->ClusterBytes - 1) / Vol->ClusterBytes *
                               Vol->ClusterBytes;
    }
    Info->NameLength = (USHORT)(NameLength * sizeof(WCHAR));
    RtlCopyMemory(Info->Name, Name, NameLength * sizeof(WCHAR));
    Info->ShortNameLength = (USHORT)(ShortLength * sizeof(WCHAR));
    RtlCopyMemory(Info->ShortName, ShortName, ShortLength * sizeof(WCHAR));
    Info->FileId = (ULONGLONG)ParentCluster << 32 | ShortOffset / FAT_DIRENT_SIZE;
}

NTSTATUS FatQueryIdentity(PFAT_FILE File, PULONGLONG FileId, PULONG FileAttributes, PBOOLEAN Directory)
{
    PFAT_FCB f = File->Fcb;
    if (f->Deleted) return STATUS_FILE_DELETED;
    *FileId = f->IsRoot ? 0xFFFFFFFFFFFFFFFFull : (ULONGLONG)f->ParentCluster << 32 | f->ShortOffset / FAT_DIRENT_SIZE;
    *FileAttributes = f->IsRoot ? FILE_ATTRIBUTE_DIRECTORY : FatpNtAttributes(&f->Dirent);
    *Directory = f->Directory;
    return STATUS_SUCCESS;
}

NTSTATUS FatQueryInformation(PFAT_FILE File, PFAT_FILE_INFO Info)
{
    PFAT_VOLUME vol = File->Volume;
    PFAT_FCB f = File->Fcb;
    if (f->Deleted) return STATUS_FILE_DELETED;
    if (f->IsRoot) {
        RtlZeroMemory(Info, sizeof *Info);
        Info->FileAttributes = FILE_ATTRIBUTE_DIRECTORY;
        Info->Directory = TRUE;
        Info->AllocationSize = (ULONGLONG)(vol->Fat32 ? f->ChainLength * vol->ClusterBytes
                                                      : vol->RootDirSectors * vol->BytesPerSector);
        Info->FileId = 0xFFFFFFFFFFFFFFFFull;      /* no entry names the root */
        return STATUS_SUCCESS;
    }
    WCHAR shortName[13];
    USHORT shortLength = FatpFormatShortName(f->Dirent.Name, f->Dirent.NtCase, shortName);
    FatpDirentSetCluster(&f->Dirent, f->FirstCluster);
    f->Dirent.FileSize = f->Directory ? 0 : f->FileSize;
    FatpFillInfo(vol, &f->Dirent, f->Name, f->NameLength, shortName, shortLength, f->ParentCluster,
                 f->ShortOffset, Info);
    Info->AllocationSize = (ULONGLONG)f->ChainLength * vol->ClusterBytes;
    return STATUS_SUCCESS;
}

/* Zero (or -1, "leave alone" to NT callers) leaves a time unchanged; FileAttributes 0 leaves the
 * attributes, FILE_ATTRIBUTE_NORMAL clears them. The root has no entry: accepted, not kept. */
NTSTATUS FatSetBasicInformation(PFAT_FILE File, const LARGE_INTEGER *CreationTime,
                                const LARGE_INTEGER *LastAccessTime,
                                const LARGE_INTEGER *LastWriteTime, ULONG FileAttributes)
{
    PFAT_FCB f = File->Fcb;
    FAT_DIRENT *d = &f->Dirent;
    if (f->Deleted) return STATUS_FILE_DELETED;
    if (f->IsRoot) return STATUS_SUCCESS;
    if (CreationTime && CreationTime->QuadPart != 0 && CreationTime->QuadPart != -1)
        FatpNtTimeToFat(CreationTime->QuadPart, &d->CrtDate, &d->CrtTime, &d->CrtTimeTenth);
    if (LastAccessTime && LastAccessTime->QuadPart != 0 && LastAccessTime->QuadPart != -1) {
        USHORT time;
        FatpNtTimeToFat(LastAccessTime->QuadPart, &d->LstAccDate, &time, NULL);
    }
    if (LastWriteTime && LastWriteTime->QuadPart != 0 && LastWriteTime->QuadPart != -1)
        FatpNtTimeToFat(LastWriteTime->QuadPart, &d->WrtDate, &d->WrtTime, NULL);
    if (FileAttributes)
        d->Attr = (UCHAR)((d->Attr & FAT_ATTR_DIRECTORY) | (FileAttributes & FAT_ATTR_SETTABLE));
    File->Written = TRUE;
    return FatpWriteDirent(File->Volume, f);
}

/* *Cursor is the byte offset in the directory where the search goes on (0: the start). */
NTSTATUS FatQueryDirectory(PFAT_FILE Directory, PULONG Cursor, PCUNICODE_STRING Pattern,
                           PFAT_FILE_INFO Entry)
{
    PFAT_VOLUME vol = Directory->Volume;
    PFAT_FCB f = Directory->Fcb;
    if (f->Deleted) return STATUS_FILE_DELETED;
    if (!f->Directory) return STATUS_NOT_A_DIRECTORY;
    PCWSTR pattern = Pattern ? Pattern->Buffer : NULL;
    ULONG patternLength = Pattern && Pattern->Buffer ? Pattern->Length / sizeof(WCHAR) : 0;
    if (patternLength == 1 && pattern[0] == '*') patternLength = 0;
    FAT_DIR_ITEM *item = FatpAlloc(sizeof *item);
    if (!item) return STATUS_INSUFFICIENT_RESOURCES;
    FAT_DIR_CURSOR cur;
    FatpCursorInit(&cur, f->IsRoot ? FatpRootDirCluster(vol) : f->FirstCluster);
    ULONG off = *Cursor;
    NTSTATUS st;
    for (;;) {
        st = FatpDirNext(vol, &cur, &off, item);
        if (!NT_SUCCESS(st) || st == STATUS_NO_MORE_FILES) break;
        if (patternLength == 0 ||
            FatpMatchPattern(pattern, patternLength, item->Name, item->NameLength) ||
            FatpMatchPattern(pattern, patternLength, item->ShortName, item->ShortLength))
            break;
    }
    if (st == STATUS_SUCCESS) {
        ULONG dirCluster = f->IsRoot ? FatpRootDirCluster(vol) : f->FirstCluster;
        FatpFillInfo(vol, &item->Dirent, item->Name, item->NameLength, item->ShortName, item->ShortLength,
                     dirCluster, item->ShortOffset, Entry);
        /* An open file's size may be ahead of its entry in the cache: report the live one. */
        PFAT_FCB open = FatpFindFcb(vol, dirCluster, item->ShortOffset);
        if (open && !open->Directory) {
            Entry->EndOfFile = open->FileSize;
            Entry->AllocationSize = (ULONGLONG)open->ChainLength * vol->ClusterBytes;
        }
    }
    *Cursor = off;
    FatpFree(item);
    return st;
}
