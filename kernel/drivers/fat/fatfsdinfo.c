/*
 * fatfsdinfo.c - the FAT driver's answers about files, volumes and directories:
 * IRP_MJ_QUERY_INFORMATION (basic, standard, internal, EA, name, network-open, attribute-tag,
 * all), IRP_MJ_SET_INFORMATION (basic, end of file, allocation, disposition, rename),
 * IRP_MJ_QUERY_VOLUME_INFORMATION and the directory query, filling NT's structures from the
 * core's FAT_FILE_INFO. Length rules are NT's: a fixed structure that does not fit is
 * STATUS_INFO_LENGTH_MISMATCH; a name cut short is STATUS_BUFFER_OVERFLOW with the full length
 * reported.
 */
#include "fatfsd.h"

#define ALIGN8(x) (((x) + 7u) & ~7u)

static ULONG FatpAttributes(const FAT_FILE_INFO *Fi)
{
    return Fi->FileAttributes ? Fi->FileAttributes : FILE_ATTRIBUTE_NORMAL;
}

static VOID FatpFillBasic(const FAT_FILE_INFO *Fi, PFILE_BASIC_INFORMATION B)
{
    B->CreationTime = Fi->CreationTime;
    B->LastAccessTime = Fi->LastAccessTime;
    B->LastWriteTime = Fi->LastWriteTime;
    B->ChangeTime = Fi->ChangeTime;
    B->FileAttributes = FatpAttributes(Fi);
}

/* Copies a name into a variable-length answer; STATUS_BUFFER_OVERFLOW if it was cut. */
static NTSTATUS FatpCopyName(PWCHAR Dst, ULONG Room, const WCHAR *Src, ULONG Bytes, PULONG Copied)
{
    ULONG n = Bytes <= Room ? Bytes : Room & ~1u;
    RtlCopyMemory(Dst, Src, n);
    *Copied = n;
    return n == Bytes ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW;
}

static VOID FatpFillStandard(PFAT_FCB Fcb, const FAT_FILE_INFO *Fi, PFILE_STANDARD_INFORMATION S)
{
    S->AllocationSize.QuadPart = (LONGLONG)Fi->AllocationSize;
    S->EndOfFile.QuadPart = (LONGLONG)Fi->EndOfFile;
    S->NumberOfLinks = 1;
    S->DeletePending = Fcb->DeletePending;
    S->Directory = Fi->Directory;
}

/* The driver's parts of FileAllInformation (the I/O manager adds access, position, mode and
 * alignment): the fixed part must fit; the name may be cut, with STATUS_BUFFER_OVERFLOW. */
static NTSTATUS FatpQueryAll(PFAT_FCB Fcb, PFAT_CCB Ccb, const FAT_FILE_INFO *Fi, PFILE_ALL_INFORMATION All,
                             ULONG Length, PULONG_PTR Information)
{
    const ULONG fixed = FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation.FileName);
    if (Length < fixed) return STATUS_INFO_LENGTH_MISMATCH;
    RtlZeroMemory(All, fixed);
    FatpFillBasic(Fi, &All->BasicInformation);
    FatpFillStandard(Fcb, Fi, &All->StandardInformation);
    All->InternalInformation.IndexNumber.QuadPart = (LONGLONG)Fi->FileId;
    All->EaInformation.EaSize = 0;
    All->NameInformation.FileNameLength = Ccb->Path.Length;
    ULONG copied;
    NTSTATUS status = FatpCopyName(All->NameInformation.FileName, Length - fixed, Ccb->Path.Buffer,
                                   Ccb->Path.Length, &copied);
    *Information = fixed + copied;
    return status;
}

NTSTATUS FatpQueryInformation(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    PVOID out = Irp->AssociatedIrp.SystemBuffer;
    ULONG length = sp->Parameters.QueryFile.Length;
    FAT_FILE_INFO fi;
    UNREFERENCED_PARAMETER(Vx);
    NTSTATUS status = FatQueryInformation(ccb->File, &fi);
    if (!NT_SUCCESS(status)) return status;
    switch (sp->Parameters.QueryFile.FileInformationClass) {
    case FileBasicInformation:
        if (length < sizeof(FILE_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        FatpFillBasic(&fi, out);
        Irp->IoStatus.Information = sizeof(FILE_BASIC_INFORMATION);
        return STATUS_SUCCESS;
    case FileStandardInformation: {
        if (length < sizeof(FILE_STANDARD_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        FatpFillStandard(fcb, &fi, out);
        Irp->IoStatus.Information = sizeof(FILE_STANDARD_INFORMATION);
        return STATUS_SUCCESS;
    }
    case FileInternalInformation:
        if (length < sizeof(FILE_INTERNAL_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_INTERNAL_INFORMATION)out)->IndexNumber.QuadPart = (LONGLONG)fi.FileId;
        Irp->IoStatus.Information = sizeof(FILE_INTERNAL_INFORMATION);
        return STATUS_SUCCESS;
    case FileNetworkOpenInformation: {
        if (length < sizeof(FILE_NETWORK_OPEN_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_NETWORK_OPEN_INFORMATION n = out;
        n->CreationTime = fi.CreationTime;
        n->LastAccessTime = fi.LastAccessTime;
        n->LastWriteTime = fi.LastWriteTime;
        n->ChangeTime = fi.ChangeTime;
        n->AllocationSize.QuadPart = (LONGLONG)fi.AllocationSize;
        n->EndOfFile.QuadPart = (LONGLONG)fi.EndOfFile;
        n->FileAttributes = FatpAttributes(&fi);
        Irp->IoStatus.Information = sizeof(*n);
        return STATUS_SUCCESS;
    }
    case FileAttributeTagInformation: {
        if (length < sizeof(FILE_ATTRIBUTE_TAG_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        FILE_ATTRIBUTE_TAG_INFORMATION *t = out;
        t->FileAttributes = FatpAttributes(&fi);
        t->ReparseTag = 0;
        Irp->IoStatus.Information = sizeof(*t);
        return STATUS_SUCCESS;
    }
    case FileNameInformation: {
        if (length < FIELD_OFFSET(FILE_NAME_INFORMATION, FileName)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_NAME_INFORMATION n = out;
        ULONG copied;
        n->FileNameLength = ccb->Path.Length;
        status = FatpCopyName(n->FileName, length - FIELD_OFFSET(FILE_NAME_INFORMATION, FileName), ccb->Path.Buffer,
                              ccb->Path.Length, &copied);
        Irp->IoStatus.Information = FIELD_OFFSET(FILE_NAME_INFORMATION, FileName) + copied;
        return status;
    }
    case FileEaInformation:                         /* FAT here keeps no extended attributes */
        if (length < sizeof(FILE_EA_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_EA_INFORMATION)out)->EaSize = 0;
        Irp->IoStatus.Information = sizeof(FILE_EA_INFORMATION);
        return STATUS_SUCCESS;
    case FileAllInformation:
        return FatpQueryAll(fcb, ccb, &fi, out, length, &Irp->IoStatus.Information);
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

/* ---- Set ----------------------------------------------------------------------------------- */

/* A time of 0 (or -1, "stop updating") leaves the field as it is. */
static const LARGE_INTEGER *FatpTimeArg(const LARGE_INTEGER *T)
{
    return T->QuadPart == 0 || T->QuadPart == -1 ? NULL : T;
}

static NTSTATUS FatpSetDisposition(PFAT_FCB Fcb, PFAT_CCB Ccb, BOOLEAN Delete)
{
    FAT_FILE_INFO fi;
    if (!Delete) { Fcb->DeletePending = FALSE; return STATUS_SUCCESS; }
    NTSTATUS status = FatQueryInformation(Ccb->File, &fi);
    if (!NT_SUCCESS(status)) return status;
    if (fi.FileAttributes & FILE_ATTRIBUTE_READONLY) return STATUS_CANNOT_DELETE;
    if (!MmFlushImageSection(&Fcb->SectionObjectPointers, MmFlushForDelete)) return STATUS_CANNOT_DELETE;
    if (Ccb->Path.Length == sizeof(WCHAR)) return STATUS_CANNOT_DELETE;          /* the root */
    if (fi.Directory && !FatpDirectoryIsEmpty(Ccb->File)) return STATUS_DIRECTORY_NOT_EMPTY;
    Fcb->DeletePending = TRUE;
    return STATUS_SUCCESS;
}

/* The new path: relative to a target directory, volume-absolute, or a bare name in the file's
 * own directory (the I/O manager has checked it stays on this volume). */
static NTSTATUS FatpRenameTarget(PFAT_CCB Ccb, PFILE_OBJECT TargetDirectory, PFILE_RENAME_INFORMATION R,
                                 ULONG Length, PUNICODE_STRING Out)
{
    if (Length < FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        R->FileNameLength > Length - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) || R->FileNameLength == 0 ||
        (R->FileNameLength & 1))
        return STATUS_INVALID_PARAMETER;
    if (TargetDirectory) {
        PFAT_CCB dir = TargetDirectory->FsContext2;
        if (dir == NULL) return STATUS_INVALID_PARAMETER;
        return FatpJoinPath(&dir->Path, R->FileName, R->FileNameLength, Out);
    }
    if (R->FileName[0] == L'\\') return FatpJoinPath(NULL, R->FileName, R->FileNameLength, Out);
    UNICODE_STRING parent = Ccb->Path;
    while (parent.Length && parent.Buffer[parent.Length / sizeof(WCHAR) - 1] != L'\\') parent.Length -= sizeof(WCHAR);
    if (parent.Length > sizeof(WCHAR)) parent.Length -= sizeof(WCHAR);           /* drop the '\' */
    return FatpJoinPath(&parent, R->FileName, R->FileNameLength, Out);
}

/* A file replaced by a rename goes as a deleted one does: not while it is mapped as an image, and
 * no cached image of it stays (its FCB and id could pass to the renamed file). */
static NTSTATUS FatpCheckReplaced(PFAT_VOLUME_EXTENSION Vx, PFAT_FCB Fcb, PCUNICODE_STRING Target)
{
    PFAT_FILE probe;
    ULONG_PTR info;
    FAT_FILE_INFO fi;
    if (!NT_SUCCESS(FatOpen(Vx->Volume, Target, FILE_OPEN, 0, 0, &probe, &info))) return STATUS_SUCCESS;
    NTSTATUS status = FatQueryInformation(probe, &fi);
    FatClose(probe);
    PFAT_FCB fcb = NT_SUCCESS(status) ? FatpFindOpenFcb(Vx, fi.FileId) : NULL;
    if (fcb && fcb != Fcb && !MmFlushImageSection(&fcb->SectionObjectPointers, MmFlushForDelete))
        return STATUS_ACCESS_DENIED;
    return STATUS_SUCCESS;
}

static NTSTATUS FatpRename(PFAT_VOLUME_EXTENSION Vx, PFAT_FCB Fcb, PFAT_CCB Ccb, PIO_STACK_LOCATION Sp, PVOID In,
                           ULONG Length)
{
    PFILE_RENAME_INFORMATION r = In;
    UNICODE_STRING target;
    FAT_FILE_INFO fi;
    NTSTATUS status = FatpRenameTarget(Ccb, Sp->Parameters.SetFile.FileObject, r, Length, &target);
    if (!NT_SUCCESS(status)) return status;
    BOOLEAN replace = Sp->Parameters.SetFile.ReplaceIfExists || r->ReplaceIfExists;
    if (replace) status = FatpCheckReplaced(Vx, Fcb, &target);
    if (NT_SUCCESS(status)) status = FatRename(Ccb->File, &target, replace);
    if (!NT_SUCCESS(status)) { FatpFreeString(&target); return status; }
    FatpFreeString(&Ccb->Path);
    Ccb->Path = target;
    if (NT_SUCCESS(FatQueryInformation(Ccb->File, &fi))) Fcb->FileId = fi.FileId;   /* ids follow the entry */
    return STATUS_SUCCESS;
}

NTSTATUS FatpSetInformation(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    PVOID in = Irp->AssociatedIrp.SystemBuffer;
    ULONG length = sp->Parameters.SetFile.Length;
    FAT_FILE_INFO fi;
    switch (sp->Parameters.SetFile.FileInformationClass) {
    case FileBasicInformation: {
        if (length < sizeof(FILE_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_BASIC_INFORMATION b = in;
        /* 0 leaves the attributes as they are; FILE_ATTRIBUTE_NORMAL (no FAT bit) clears them all. */
        return FatSetBasicInformation(ccb->File, FatpTimeArg(&b->CreationTime), FatpTimeArg(&b->LastAccessTime),
                                      FatpTimeArg(&b->LastWriteTime), b->FileAttributes);
    }
    case FileEndOfFileInformation:
        if (length < sizeof(FILE_END_OF_FILE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        if (fcb->Directory) return STATUS_INVALID_PARAMETER;
        MmFlushImageSection(&fcb->SectionObjectPointers, MmFlushForWrite);      /* as a write */
        return FatSetEndOfFile(ccb->File, (ULONGLONG)((PFILE_END_OF_FILE_INFORMATION)in)->EndOfFile.QuadPart);
    case FileAllocationInformation: {
        if (length < sizeof(FILE_ALLOCATION_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        if (fcb->Directory) return STATUS_INVALID_PARAMETER;
        NTSTATUS status = FatQueryInformation(ccb->File, &fi);
        ULONGLONG wanted = (ULONGLONG)((PFILE_ALLOCATION_INFORMATION)in)->AllocationSize.QuadPart;
        /* Allocation below the end of file truncates; above it, FAT allocates on write anyway. */
        if (NT_SUCCESS(status) && wanted < fi.EndOfFile) {
            MmFlushImageSection(&fcb->SectionObjectPointers, MmFlushForWrite);
            status = FatSetEndOfFile(ccb->File, wanted);
        }
        return status;
    }
    case FileDispositionInformation:
        if (length < sizeof(FILE_DISPOSITION_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        return FatpSetDisposition(fcb, ccb, ((PFILE_DISPOSITION_INFORMATION)in)->DeleteFile);
    case FileRenameInformation:
        return FatpRename(Vx, fcb, ccb, sp, in, length);
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

/* ---- Volume ----------------------------------------------------------------------------------- */

NTSTATUS FatpQueryVolumeInformation(PFAT_VOLUME_EXTENSION Vx, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PVOID out = Irp->AssociatedIrp.SystemBuffer;
    ULONG length = sp->Parameters.QueryVolume.Length, copied;
    FAT_VOLUME_INFO v;
    NTSTATUS status = FatQueryVolume(Vx->Volume, &v);
    if (!NT_SUCCESS(status)) return status;
    switch (sp->Parameters.QueryVolume.FsInformationClass) {
    case FileFsVolumeInformation: {
        if (length < FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_FS_VOLUME_INFORMATION i = out;
        i->VolumeCreationTime.QuadPart = 0;
        i->VolumeSerialNumber = v.SerialNumber;
        i->VolumeLabelLength = v.LabelLength;
        i->SupportsObjects = FALSE;
        status = FatpCopyName(i->VolumeLabel, length - FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel), v.Label,
                              v.LabelLength, &copied);
        Irp->IoStatus.Information = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel) + copied;
        return status;
    }
    case FileFsSizeInformation: {
        if (length < sizeof(FILE_FS_SIZE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_FS_SIZE_INFORMATION i = out;
        i->TotalAllocationUnits.QuadPart = (LONGLONG)v.TotalClusters;
        i->AvailableAllocationUnits.QuadPart = (LONGLONG)v.FreeClusters;
        i->SectorsPerAllocationUnit = v.SectorsPerCluster;
        i->BytesPerSector = v.BytesPerSector;
        Irp->IoStatus.Information = sizeof(*i);
        return STATUS_SUCCESS;
    }
    case FileFsFullSizeInformation: {
        if (length < sizeof(FILE_FS_FULL_SIZE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_FS_FULL_SIZE_INFORMATION i = out;
        i->TotalAllocationUnits.QuadPart = (LONGLONG)v.TotalClusters;
        i->CallerAvailableAllocationUnits.QuadPart = i->ActualAvailableAllocationUnits.QuadPart = (LONGLONG)v.FreeClusters;
        i->SectorsPerAllocationUnit = v.SectorsPerCluster;
        i->BytesPerSector = v.BytesPerSector;
        Irp->IoStatus.Information = sizeof(*i);
        return STATUS_SUCCESS;
    }
    case FileFsAttributeInformation: {
        static const WCHAR fat32[] = u"FAT32", fat[] = u"FAT";
        const WCHAR *name = v.Fat32 ? fat32 : fat;
        ULONG bytes = (v.Fat32 ? 5 : 3) * sizeof(WCHAR);
        if (length < FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_FS_ATTRIBUTE_INFORMATION i = out;
        i->FileSystemAttributes = FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK;
        i->MaximumComponentNameLength = 255;
        i->FileSystemNameLength = bytes;
        status = FatpCopyName(i->FileSystemName, length - FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName),
                              name, bytes, &copied);
        Irp->IoStatus.Information = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) + copied;
        return status;
    }
    case FileFsDeviceInformation: {
        if (length < sizeof(FILE_FS_DEVICE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        PFILE_FS_DEVICE_INFORMATION i = out;
        i->DeviceType = FILE_DEVICE_DISK;
        i->Characteristics = 0;
        Irp->IoStatus.Information = sizeof(*i);
        return STATUS_SUCCESS;
    }
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

/* ---- Directory query ---------------------------------------------------------------------- */

/* Where the name goes in each class's entry, or 0 for a class we do not answer. */
static ULONG FatpEntryFixedSize(FILE_INFORMATION_CLASS Class)
{
    switch (Class) {
    case FileDirectoryInformation: return FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName);
    case FileFullDirectoryInformation: return FIELD_OFFSET(FILE_FULL_DIR_INFORMATION, FileName);
    case FileBothDirectoryInformation: return FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName);
    case FileNamesInformation: return FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName);
    default: return 0;
    }
}

/* Fills one entry at Out (Room bytes, at least the fixed part); returns the bytes used and
 * whether the name was cut. The three "directory" classes share their leading fields. */
static NTSTATUS FatpFillEntry(FILE_INFORMATION_CLASS Class, const FAT_FILE_INFO *E, PUCHAR Out, ULONG Room,
                              PULONG Used)
{
    ULONG fixed = FatpEntryFixedSize(Class), copied;
    RtlZeroMemory(Out, fixed);
    if (Class == FileNamesInformation) {
        PFILE_NAMES_INFORMATION n = (PFILE_NAMES_INFORMATION)Out;
        n->FileNameLength = E->NameLength;
    } else {
        PFILE_DIRECTORY_INFORMATION d = (PFILE_DIRECTORY_INFORMATION)Out;
        d->CreationTime = E->CreationTime;
        d->LastAccessTime = E->LastAccessTime;
        d->LastWriteTime = E->LastWriteTime;
        d->ChangeTime = E->ChangeTime;
        d->EndOfFile.QuadPart = (LONGLONG)E->EndOfFile;
        d->AllocationSize.QuadPart = (LONGLONG)E->AllocationSize;
        d->FileAttributes = FatpAttributes(E);
        d->FileNameLength = E->NameLength;
        if (Class == FileBothDirectoryInformation) {
            PFILE_BOTH_DIR_INFORMATION b = (PFILE_BOTH_DIR_INFORMATION)Out;
            USHORT shortBytes = E->ShortNameLength > 24 ? 24 : E->ShortNameLength;
            b->ShortNameLength = (CHAR)shortBytes;
            RtlCopyMemory(b->ShortName, E->ShortName, shortBytes);
        }
    }
    NTSTATUS status = FatpCopyName((PWCHAR)(Out + fixed), Room - fixed, E->Name, E->NameLength, &copied);
    *Used = fixed + copied;
    return status;
}

/* The pattern stays with the open from its first query (or a restart that names a new one). */
static NTSTATUS FatpStartSearch(PFAT_CCB Ccb, PUNICODE_STRING Pattern)
{
    Ccb->SearchCursor = 0;
    Ccb->SearchStarted = TRUE;
    if (Pattern == NULL || Pattern->Length == 0) return STATUS_SUCCESS;
    FatpFreeString(&Ccb->SearchPattern);
    return FatpCopyString(Pattern->Buffer, Pattern->Length, &Ccb->SearchPattern);
}

NTSTATUS FatpQueryDirectory(PFAT_VOLUME_EXTENSION Vx, PFILE_OBJECT FileObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFAT_FCB fcb = FileObject->FsContext;
    PFAT_CCB ccb = FileObject->FsContext2;
    FILE_INFORMATION_CLASS cls = sp->Parameters.QueryDirectory.FileInformationClass;
    ULONG fixed = FatpEntryFixedSize(cls), length = sp->Parameters.QueryDirectory.Length;
    PUCHAR out = Irp->AssociatedIrp.SystemBuffer;
    FAT_FILE_INFO e;
    UNREFERENCED_PARAMETER(Vx);
    if (!fcb->Directory) return STATUS_INVALID_PARAMETER;
    if (fixed == 0) return STATUS_INVALID_INFO_CLASS;
    BOOLEAN first = !ccb->SearchStarted || (sp->Flags & SL_RESTART_SCAN);
    if (first && !NT_SUCCESS(FatpStartSearch(ccb, sp->Parameters.QueryDirectory.FileName)))
        return STATUS_INSUFFICIENT_RESOURCES;
    UNICODE_STRING pattern = ccb->SearchPattern;

    ULONG offset = 0, previous = 0, count = 0;
    NTSTATUS status = STATUS_SUCCESS;
    for (;;) {
        ULONG saved = ccb->SearchCursor, used;
        NTSTATUS s = FatQueryDirectory(ccb->File, &ccb->SearchCursor, pattern.Length ? &pattern : NULL, &e);
        if (s == STATUS_NO_MORE_FILES) break;
        if (!NT_SUCCESS(s)) return s;
        if (offset + fixed + e.NameLength > length) {
            if (count > 0 || offset + fixed > length) {      /* keep it for the next call */
                ccb->SearchCursor = saved;
                if (count == 0) return STATUS_BUFFER_OVERFLOW;
                break;
            }
        }
        status = FatpFillEntry(cls, &e, out + offset, length - offset, &used);
        if (count) *(PULONG)(out + previous) = offset - previous;        /* NextEntryOffset */
        previous = offset;
        count++;
        Irp->IoStatus.Information = offset + used;
        offset = ALIGN8(offset + used);
        if (status == STATUS_BUFFER_OVERFLOW || (sp->Flags & SL_RETURN_SINGLE_ENTRY) || offset >= length) break;
    }
    if (count == 0) return first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
    return status;
}
