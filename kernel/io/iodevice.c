/*
 * iodevice.c - device objects: IoCreateDevice (named under \Device or unnamed, with the
 * driver's extension in the same allocation and, for disk-like devices, a VPB), IoDeleteDevice,
 * the related-device rule every request follows, and the symbolic links drivers publish.
 */
#include "iop.h"

POBJECT_TYPE IoDeviceObjectType;

BOOLEAN IopIsDiskType(DEVICE_TYPE Type)
{
    return Type == FILE_DEVICE_DISK || Type == FILE_DEVICE_CD_ROM || Type == FILE_DEVICE_VIRTUAL_DISK;
}

#define IOP_DEVICE_BODY ((sizeof(DEVICE_OBJECT) + 7) & ~7u)

NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject)
{
    OBJECT_ATTRIBUTES oa;
    PDEVICE_OBJECT d;
    *DeviceObject = NULL;
    InitializeObjectAttributes(&oa, DeviceName, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ObCreateObject(KernelMode, IoDeviceObjectType, DeviceName ? &oa : NULL, KernelMode, NULL,
                                     IOP_DEVICE_BODY + DeviceExtensionSize, 0, 0, (PVOID *)&d);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(d, IOP_DEVICE_BODY + DeviceExtensionSize);
    d->Type = IO_TYPE_DEVICE;
    d->Size = (USHORT)(IOP_DEVICE_BODY + DeviceExtensionSize);
    d->DriverObject = DriverObject;
    d->DeviceType = DeviceType;
    d->Characteristics = DeviceCharacteristics;
    d->StackSize = 1;
    d->Flags = DO_DEVICE_INITIALIZING | (Exclusive ? DO_EXCLUSIVE : 0) | (DeviceName ? DO_DEVICE_HAS_NAME : 0);
    d->DeviceExtension = DeviceExtensionSize ? (PUCHAR)d + IOP_DEVICE_BODY : NULL;
    InitializeListHead(&d->ShutdownLink);
    if (IopIsDiskType(DeviceType)) {
        d->SectorSize = 512;
        d->Vpb = IopCreateVpb(d);
        if (d->Vpb == NULL) { ObDereferenceObject(d); return STATUS_INSUFFICIENT_RESOURCES; }
    }
    status = ObInsertObject(d, NULL, 0, 0, (PVOID *)&d, NULL);    /* deletes it on failure */
    if (!NT_SUCCESS(status)) return status;
    d->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = d;
    *DeviceObject = d;
    return STATUS_SUCCESS;
}

VOID IopDeleteDevice(PVOID Object)
{
    PDEVICE_OBJECT d = Object;
    if (d->Vpb) ExFreePoolWithTag(d->Vpb, IO_VPB_TAG);
}

VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
    PDEVICE_OBJECT *link = &DeviceObject->DriverObject->DeviceObject;
    while (*link && *link != DeviceObject) link = &(*link)->NextDevice;
    if (*link) *link = DeviceObject->NextDevice;
    DeviceObject->DeletePending = TRUE;          /* no new opens; open files keep the memory */
    /* Only if registered: a file system deleting the volume device of a failed mount does so
     * while the mount lock (which unregistering takes) is held. */
    if (DeviceObject->ShutdownRegistered) IoUnregisterShutdownNotification(DeviceObject);
    if (DeviceObject->Flags & DO_DEVICE_HAS_NAME) ObMakeTemporaryObject(DeviceObject);
    ObDereferenceObject(DeviceObject);
}

PDEVICE_OBJECT IoGetRelatedDeviceObject(PFILE_OBJECT FileObject)
{
    if (FileObject->Vpb && FileObject->Vpb->DeviceObject) return FileObject->Vpb->DeviceObject;
    return FileObject->DeviceObject;
}

NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    InitializeObjectAttributes(&oa, SymbolicLinkName, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               NULL, NULL);
    NTSTATUS status = ZwCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_ALL_ACCESS, &oa, DeviceName);
    if (NT_SUCCESS(status)) ZwClose(h);
    return status;
}

NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    InitializeObjectAttributes(&oa, SymbolicLinkName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwOpenSymbolicLinkObject(&h, DELETE, &oa);
    if (!NT_SUCCESS(status)) return status;
    ZwMakeTemporaryObject(h);
    ZwClose(h);
    return STATUS_SUCCESS;
}
