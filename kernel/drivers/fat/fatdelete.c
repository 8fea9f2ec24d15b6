/*
 * fatdelete.c - FatDelete: a file's or an empty directory's entries are marked deleted at once
 * and its clusters are freed by the next flush, after the entries are on disk (fattable.c).
 * Open instances stay valid only for FatClose; the FCB leaves the volume's list so a new file
 * that takes the same entry slot gets an FCB of its own.
 */
#include "fatp.h"

NTSTATUS FatDelete(PFAT_FILE File)
{
    PFAT_VOLUME vol = File->Volume;
    PFAT_FCB f = File->Fcb;
    if (f->IsRoot) return STATUS_CANNOT_DELETE;
    if (f->Deleted) return STATUS_FILE_DELETED;
    if (f->Dirent.Attr & FAT_ATTR_READONLY) return STATUS_CANNOT_DELETE;
    NTSTATUS st;
    if (f->Directory) {
        st = FatpDirIsEmpty(vol, f->FirstCluster);
        if (!NT_SUCCESS(st)) return st;
    }
    st = FatpDirRemoveEntries(vol, f->ParentCluster, f->FirstOffset, f->ShortOffset);
    if (!NT_SUCCESS(st)) return st;
    st = FatpFreeChainLater(vol, f->FirstCluster);
    f->Deleted = TRUE;
    RemoveEntryList(&f->Link);
    File->Written = TRUE;
    return st;
}
