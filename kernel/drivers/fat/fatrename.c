/*
 * fatrename.c - FatRename: gives a file a new name, in the same directory or another. The new
 * entries are written before the old ones are removed; a directory that moves gets its ".."
 * pointed at its new parent, and may not move into itself or below itself. Replacing is allowed
 * only over a closed, writable file (NT's rules: never over a directory).
 */
#include "fatp.h"

/* STATUS_INVALID_PARAMETER if Dir is Moved or lies below it (walking ".." up to the root). */
static NTSTATUS FatpCheckNotBelow(PFAT_VOLUME Vol, ULONG Dir, ULONG Moved)
{
    ULONG root = FatpRootDirCluster(Vol);
    for (ULONG steps = 0; Dir != root; steps++) {
        if (Dir == Moved) return STATUS_INVALID_PARAMETER;
        if (steps > 65536) return STATUS_FILE_CORRUPT_ERROR;     /* ".." entries in a loop */
        NTSTATUS st = FatpDirReadParent(Vol, Dir, &Dir);
        if (!NT_SUCCESS(st)) return st;
    }
    return STATUS_SUCCESS;
}

/* Removes the file that a rename replaces. */
static NTSTATUS FatpRemoveTarget(PFAT_VOLUME Vol, ULONG Dir, const FAT_DIR_ITEM *Target)
{
    if (Target->Dirent.Attr & (FAT_ATTR_DIRECTORY | FAT_ATTR_READONLY)) return STATUS_ACCESS_DENIED;
    if (FatpFindFcb(Vol, Dir, Target->ShortOffset)) return STATUS_ACCESS_DENIED;
    NTSTATUS st = FatpCheckDirent(Vol, &Target->Dirent);
    if (NT_SUCCESS(st)) st = FatpDirRemoveEntries(Vol, Dir, Target->FirstOffset, Target->ShortOffset);
    if (NT_SUCCESS(st)) st = FatpFreeChainLater(Vol, FatpDirentCluster(Vol, &Target->Dirent));
    return st;
}

static NTSTATUS FatpRenameIn(PFAT_FILE File, ULONG NewDir, PCWSTR Name, ULONG Length, BOOLEAN Replace,
                             FAT_DIR_ITEM *Item)
{
    PFAT_VOLUME vol = File->Volume;
    PFAT_FCB f = File->Fcb;
    NTSTATUS st = STATUS_SUCCESS;
    if (f->Directory) st = FatpCheckNotBelow(vol, NewDir, f->FirstCluster);
    if (!NT_SUCCESS(st)) return st;
    BOOLEAN replace = FALSE;
    st = FatpDirLookup(vol, NewDir, Name, Length, Item);
    if (NT_SUCCESS(st)) {
        BOOLEAN self = NewDir == f->ParentCluster && Item->ShortOffset == f->ShortOffset;
        if (!self && !Replace) return STATUS_OBJECT_NAME_COLLISION;
        if (!self && (Item->Dirent.Attr & (FAT_ATTR_DIRECTORY | FAT_ATTR_READONLY))) return STATUS_ACCESS_DENIED;
        if (!self && FatpFindFcb(vol, NewDir, Item->ShortOffset)) return STATUS_ACCESS_DENIED;
        replace = !self;
    } else if (st != STATUS_OBJECT_NAME_NOT_FOUND) {
        return st;
    }
    /* Remove a replaced file first, so its short name cannot clash with the new entries. */
    if (replace) {
        st = FatpRemoveTarget(vol, NewDir, Item);
        if (!NT_SUCCESS(st)) return st;
    }
    FAT_DIRENT d = f->Dirent;
    FatpDirentSetCluster(&d, f->FirstCluster);
    d.FileSize = f->Directory ? 0 : f->FileSize;
    ULONG shortOffset, firstOffset;
    ULONG shortSector;
    st = FatpDirCreateEntries(vol, NewDir, Name, Length, &d, &shortOffset, &firstOffset, &shortSector);
    if (NT_SUCCESS(st)) st = FatpDirRemoveEntries(vol, f->ParentCluster, f->FirstOffset, f->ShortOffset);
    if (NT_SUCCESS(st) && f->Directory && NewDir != f->ParentCluster)
        st = FatpDirSetParent(vol, f->FirstCluster, NewDir);
    if (!NT_SUCCESS(st)) return st;
    f->ParentCluster = NewDir;
    f->ShortOffset = shortOffset;
    f->FirstOffset = firstOffset;
    f->DirentSector = shortSector;
    f->Dirent = d;
    f->NameLength = (USHORT)Length;
    RtlCopyMemory(f->Name, Name, Length * sizeof(WCHAR));
    File->Written = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS FatRename(PFAT_FILE File, PCUNICODE_STRING NewPath, BOOLEAN ReplaceIfExists)
{
    PFAT_VOLUME vol = File->Volume;
    PFAT_FCB f = File->Fcb;
    if (f->IsRoot) return STATUS_INVALID_PARAMETER;
    if (f->Deleted) return STATUS_FILE_DELETED;
    ULONG parentEnd;
    NTSTATUS st = FatpSplitPath(NewPath, &parentEnd);
    if (!NT_SUCCESS(st)) return st;
    ULONG units = NewPath->Length / sizeof(WCHAR);
    if (units > 1 && NewPath->Buffer[units - 1] == '\\') units--;
    if (units <= 1) return STATUS_OBJECT_NAME_INVALID;         /* "\": the root */
    ULONG newDir;
    st = FatpWalkToDirectory(vol, NewPath->Buffer, parentEnd, &newDir);
    if (!NT_SUCCESS(st)) return st;
    FAT_DIR_ITEM *item = FatpAlloc(sizeof *item);
    if (!item) return STATUS_INSUFFICIENT_RESOURCES;
    st = FatpRenameIn(File, newDir, NewPath->Buffer + parentEnd + 1, units - parentEnd - 1, ReplaceIfExists, item);
    FatpFree(item);
    return st;
}
