/*
 * null.c - \Device\Null, the bit bucket: every open succeeds, reads find the end of the file at
 * once (STATUS_END_OF_FILE), writes succeed with all their bytes taken, and flushes and queries
 * of the standard information answer as for an empty file.
 */
#include "io.h"
#include "rtl.h"
#include "ntstatus.h"

static NTSTATUS NullCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FILE_OPENED);
}

static NTSTATUS NullRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCompleteRequestWithStatus(Irp, STATUS_END_OF_FILE, 0);
}

static NTSTATUS NullWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, length);
}

static NTSTATUS NullQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    if (sp->Parameters.QueryFile.FileInformationClass != FileStandardInformation)
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    PFILE_STANDARD_INFORMATION info = Irp->AssociatedIrp.SystemBuffer;
    RtlZeroMemory(info, sizeof(*info));
    info->NumberOfLinks = 1;
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(*info));
}

NTSTATUS NullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\Null");
    PDEVICE_OBJECT device;
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_NULL, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NullCreate;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_READ] = NullRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = NullWrite;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = NullQueryInformation;
    return STATUS_SUCCESS;
}
