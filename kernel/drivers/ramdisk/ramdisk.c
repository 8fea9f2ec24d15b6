/*
 * ramdisk.c - \Device\Ramdisk0, a disk in memory: the first boot module whose name ends in
 * ".img" (the system volume image the ISO carries). It answers the IRPs a disk answers -
 * READ and WRITE of whole 512-byte sectors at a sector-aligned ByteOffset, FLUSH_BUFFERS, and
 * the geometry and length controls - so the file system above cannot tell it from the ATA disk.
 * Writes change the module's memory and last until power-off.
 */
#include "io.h"
#include "arc.h"
#include "rtl.h"
#include "ntstatus.h"

#define RAMDISK_SECTOR 512u

typedef struct _RAMDISK_EXTENSION {
    PUCHAR Base;
    ULONGLONG Size;               /* bytes, whole sectors */
} RAMDISK_EXTENSION, *PRAMDISK_EXTENSION;

static NTSTATUS RamdiskReadWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRAMDISK_EXTENSION ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = sp->Parameters.Read.Length;
    LONGLONG offset = sp->Parameters.Read.ByteOffset.QuadPart;
    if (offset < 0 || (offset % RAMDISK_SECTOR) || (length % RAMDISK_SECTOR))
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    if (length && (ULONGLONG)offset >= ext->Size) return IoCompleteRequestWithStatus(Irp, STATUS_END_OF_FILE, 0);
    if ((ULONGLONG)offset + length > ext->Size) return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    if (sp->MajorFunction == IRP_MJ_READ) RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, ext->Base + offset, length);
    else RtlCopyMemory(ext->Base + offset, Irp->AssociatedIrp.SystemBuffer, length);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, length);
}

static NTSTATUS RamdiskDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRAMDISK_EXTENSION ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_DISK_GET_DRIVE_GEOMETRY: {
        if (out < sizeof(DISK_GEOMETRY)) return IoCompleteRequestWithStatus(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        PDISK_GEOMETRY g = Irp->AssociatedIrp.SystemBuffer;
        g->MediaType = FixedMedia;             /* a made-up CHS shape: 1 head, 32 sectors a track */
        g->TracksPerCylinder = 1;
        g->SectorsPerTrack = 32;
        g->BytesPerSector = RAMDISK_SECTOR;
        g->Cylinders.QuadPart = (LONGLONG)(ext->Size / RAMDISK_SECTOR / 32);
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(DISK_GEOMETRY));
    }
    case IOCTL_DISK_GET_LENGTH_INFO:
        if (out < sizeof(GET_LENGTH_INFORMATION)) return IoCompleteRequestWithStatus(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        ((PGET_LENGTH_INFORMATION)Irp->AssociatedIrp.SystemBuffer)->Length.QuadPart = (LONGLONG)ext->Size;
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(GET_LENGTH_INFORMATION));
    default:
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

/* The module named "*.img" (the loader's name may carry arguments after a space). */
static PBOOT_MODULE RamdiskFindImage(VOID)
{
    for (ULONG i = 0; i < KeLoaderBlock.ModuleCount; i++) {
        PBOOT_MODULE m = &KeLoaderBlock.Modules[i];
        ULONG end = 0;
        while (m->Name[end] && m->Name[end] != ' ') end++;
        if (end >= 4 && RtlCompareStringN(m->Name + end - 4, ".img", 4) == 0 && m->VirtualStart &&
            m->Size >= RAMDISK_SECTOR)
            return m;
    }
    return NULL;
}

NTSTATUS RamdiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\Ramdisk0");
    PDEVICE_OBJECT device;
    PBOOT_MODULE image = RamdiskFindImage();
    if (image == NULL) return STATUS_NO_SUCH_DEVICE;
    NTSTATUS status = IoCreateDevice(DriverObject, sizeof(RAMDISK_EXTENSION), &name, FILE_DEVICE_DISK, 0, FALSE,
                                     &device);
    if (!NT_SUCCESS(status)) return status;
    PRAMDISK_EXTENSION ext = device->DeviceExtension;
    ext->Base = image->VirtualStart;
    ext->Size = image->Size & ~(ULONGLONG)(RAMDISK_SECTOR - 1);
    device->SectorSize = RAMDISK_SECTOR;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_SHUTDOWN] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_READ] = RamdiskReadWrite;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = RamdiskReadWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = RamdiskDeviceControl;
    return STATUS_SUCCESS;
}
