/*
 * iosvc_dir.c - NtQueryDirectoryFile and NtQueryVolumeInformationFile: enumeration of a
 * directory through its file system (IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY, with
 * the search pattern captured into kernel memory) and volume queries (the device class is
 * answered from the device object; the others go to the file system).
 */
#include "iop.h"

static ULONG IopDirectoryEntrySize(FILE_INFORMATION_CLASS Class)
{
    switch (Class) {
    case FileDirectoryInformation: return sizeof(FILE_DIRECTORY_INFORMATION);
    case FileFullDirectoryInformation: return sizeof(FILE_FULL_DIR_INFORMATION);
    case FileBothDirectoryInformation: return sizeof(FILE_BOTH_DIR_INFORMATION);
    case FileNamesInformation: return sizeof(FILE_NAMES_INFORMATION);
    default: return 0;
    }
}

/* A copy of the caller's pattern in kernel memory; Pattern->Buffer from IO_NAME_TAG pool. */
static NTSTATUS IopCapturePattern(KPROCESSOR_MODE Mode, PUNICODE_STRING UserName, PUNICODE_STRING Pattern)
{
    UNICODE_STRING header;
    NTSTATUS status = ExCopyIn(Mode, &header, UserName, sizeof(header));
    if (!NT_SUCCESS(status)) return status;
    if ((header.Length & 1) || header.Length == 0 || header.Length > header.MaximumLength) return STATUS_INVALID_PARAMETER;
    Pattern->Buffer = ExAllocatePoolWithTag(PagedPool, header.Length, IO_NAME_TAG);
    if (Pattern->Buffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    Pattern->Length = Pattern->MaximumLength = header.Length;
    status = ExCopyIn(Mode, Pattern->Buffer, header.Buffer, header.Length);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(Pattern->Buffer, IO_NAME_TAG);
        Pattern->Buffer = NULL;
    }
    return status;
}

/* Sends the request built in R and copies back what the driver produced. */
static NTSTATUS IopCallAndCopyOut(PIOP_REQUEST R, PVOID Output, ULONG Length)
{
    NTSTATUS status = IopCallRequest(R);
    if (R->Iosb.Information > Length) R->Iosb.Information = Length;
    if (!NT_ERROR(status) && R->Iosb.Information) {
        NTSTATUS copy = ExCopyOut(R->Mode, Output, R->Buffer, R->Iosb.Information);
        if (!NT_SUCCESS(copy)) status = copy;
    }
    return status;
}

NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                    FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry,
                                    PUNICODE_STRING FileName, BOOLEAN RestartScan)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    UNICODE_STRING pattern = { 0, 0, NULL };
    PIOP_REQUEST r;
    ULONG entry = IopDirectoryEntrySize(FileInformationClass);
    if (entry == 0) return STATUS_INVALID_INFO_CLASS;
    if (Length < entry) return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status)) status = IopProbeUserWrite(FileInformation, Length, mode);
    if (NT_SUCCESS(status) && mode == UserMode && ((ULONG_PTR)FileInformation & 3))
        status = STATUS_DATATYPE_MISALIGNMENT;
    if (NT_SUCCESS(status) && FileName) status = IopCapturePattern(mode, FileName, &pattern);
    if (NT_SUCCESS(status)) status = IopBeginRequest(&r, FileHandle, FILE_LIST_DIRECTORY, Event, mode);
    if (!NT_SUCCESS(status)) {
        if (pattern.Buffer) ExFreePoolWithTag(pattern.Buffer, IO_NAME_TAG);
        return status;
    }
    r->ApcRoutine = ApcRoutine;
    r->ApcContext = ApcContext;
    status = IopBuildRequest(r, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, Length);
    if (NT_SUCCESS(status)) {
        r->Stack->Flags = (RestartScan ? SL_RESTART_SCAN : 0) | (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0);
        r->Stack->Parameters.QueryDirectory.Length = Length;
        r->Stack->Parameters.QueryDirectory.FileName = pattern.Buffer ? &pattern : NULL;
        r->Stack->Parameters.QueryDirectory.FileInformationClass = FileInformationClass;
        status = IopCallAndCopyOut(r, FileInformation, Length);
    }
    if (pattern.Buffer) ExFreePoolWithTag(pattern.Buffer, IO_NAME_TAG);
    return IopEndRequest(r, status, IoStatusBlock, mode);
}

static ULONG IopVolumeMinimum(FS_INFORMATION_CLASS Class)
{
    switch (Class) {
    case FileFsVolumeInformation: return sizeof(FILE_FS_VOLUME_INFORMATION);
    case FileFsSizeInformation: return sizeof(FILE_FS_SIZE_INFORMATION);
    case FileFsDeviceInformation: return sizeof(FILE_FS_DEVICE_INFORMATION);
    case FileFsAttributeInformation: return sizeof(FILE_FS_ATTRIBUTE_INFORMATION);
    case FileFsFullSizeInformation: return sizeof(FILE_FS_FULL_SIZE_INFORMATION);
    default: return 0;
    }
}

NTSTATUS NTAPI NtQueryVolumeInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FsInformation,
                                            ULONG Length, FS_INFORMATION_CLASS FsInformationClass)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PIOP_REQUEST r;
    ULONG minimum = IopVolumeMinimum(FsInformationClass);
    if (minimum == 0) return STATUS_INVALID_INFO_CLASS;
    if (Length < minimum) return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status)) status = IopProbeUserWrite(FsInformation, Length, mode);
    if (NT_SUCCESS(status)) status = IopBeginRequest(&r, FileHandle, 0, NULL, mode);
    if (!NT_SUCCESS(status)) return status;
    if (FsInformationClass == FileFsDeviceInformation) {
        PDEVICE_OBJECT d = r->FileObject->DeviceObject;
        FILE_FS_DEVICE_INFORMATION info = { d->DeviceType, d->Characteristics };
        r->Iosb.Information = sizeof(info);
        status = ExCopyOut(mode, FsInformation, &info, sizeof(info));
        return IopEndRequest(r, status, IoStatusBlock, mode);
    }
    status = IopBuildRequest(r, IRP_MJ_QUERY_VOLUME_INFORMATION, 0, Length);
    if (NT_SUCCESS(status)) {
        r->Stack->Parameters.QueryVolume.Length = Length;
        r->Stack->Parameters.QueryVolume.FsInformationClass = FsInformationClass;
        status = IopCallAndCopyOut(r, FsInformation, Length);
    }
    return IopEndRequest(r, status, IoStatusBlock, mode);
}
