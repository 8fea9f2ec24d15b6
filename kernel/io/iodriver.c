/*
 * iodriver.c - driver objects (\Driver\Xxx): IoCreateDriver starts a built-in driver by
 * calling its DriverEntry with a fresh DRIVER_OBJECT whose dispatch table answers every major
 * function with STATUS_INVALID_DEVICE_REQUEST until the driver fills it in.
 */
#include "iop.h"

POBJECT_TYPE IoDriverObjectType;
static ULONG IopNextDriverNumber;

NTSTATUS IoCompleteRequestWithStatus(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS IoDispatchSucceed(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

static VOID IopDeleteDriver(PVOID Object)
{
    PDRIVER_OBJECT driver = Object;
    if (driver->DriverName.Buffer) ExFreePoolWithTag(driver->DriverName.Buffer, IO_NAME_TAG);
}

NTSTATUS IoCreateDriver(PUNICODE_STRING DriverName, PDRIVER_INITIALIZE InitializationFunction)
{
    WCHAR buffer[32];
    CHAR ascii[32];
    UNICODE_STRING generated;
    OBJECT_ATTRIBUTES oa;
    PDRIVER_OBJECT driver;
    if (DriverName == NULL) {           /* NT names anonymous drivers \Driver\Nt<n> too */
        RtlFormat(ascii, sizeof(ascii), "\\Driver\\Nt%lu", (unsigned long)++IopNextDriverNumber);
        RtlInitUnicodeStringFromAscii(&generated, buffer, sizeof(buffer), ascii);
        DriverName = &generated;
    }
    InitializeObjectAttributes(&oa, DriverName, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ObCreateObject(KernelMode, IoDriverObjectType, &oa, KernelMode, NULL, sizeof(DRIVER_OBJECT),
                                     0, 0, (PVOID *)&driver);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(driver, sizeof(*driver));
    driver->Type = IO_TYPE_DRIVER;
    driver->Size = sizeof(*driver);
    driver->DriverInit = InitializationFunction;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) driver->MajorFunction[i] = IopInvalidDeviceRequest;
    driver->DriverName.Buffer = ExAllocatePoolWithTag(PagedPool, DriverName->Length + sizeof(WCHAR), IO_NAME_TAG);
    if (driver->DriverName.Buffer) {
        driver->DriverName.MaximumLength = DriverName->Length + sizeof(WCHAR);
        RtlCopyUnicodeString(&driver->DriverName, DriverName);
    }
    status = ObInsertObject(driver, NULL, 0, 0, (PVOID *)&driver, NULL);
    if (!NT_SUCCESS(status)) return status;
    UNICODE_STRING registry = RTL_CONSTANT_STRING(u"");
    status = InitializationFunction(driver, &registry);
    if (!NT_SUCCESS(status)) {
        while (driver->DeviceObject) IoDeleteDevice(driver->DeviceObject);
        IoDeleteDriver(driver);
        return status;
    }
    /* Devices made in DriverEntry are ready now; later ones clear the flag themselves. */
    for (PDEVICE_OBJECT d = driver->DeviceObject; d; d = d->NextDevice) d->Flags &= ~DO_DEVICE_INITIALIZING;
    return status;
}

VOID IoDeleteDriver(PDRIVER_OBJECT DriverObject)
{
    ObMakeTemporaryObject(DriverObject);
    ObDereferenceObject(DriverObject);
}

BOOLEAN IopCreateDeviceTypes(VOID)
{
    UNICODE_STRING driverName = RTL_CONSTANT_STRING(u"Driver"), deviceName = RTL_CONSTANT_STRING(u"Device");
    OBJECT_TYPE_INITIALIZER init;
    RtlZeroMemory(&init, sizeof(init));
    init.Length = sizeof(init);
    init.CaseInsensitive = TRUE;
    init.GenericMapping = (GENERIC_MAPPING){ STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
                                             STANDARD_RIGHTS_REQUIRED | 0x1 };
    init.ValidAccessMask = STANDARD_RIGHTS_REQUIRED | 0x1;
    init.PoolType = NonPagedPool;
    init.DeleteProcedure = IopDeleteDriver;
    if (!NT_SUCCESS(ObCreateObjectType(&driverName, &init, NULL, &IoDriverObjectType))) return FALSE;
    init.GenericMapping = (GENERIC_MAPPING){ FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    init.ValidAccessMask = FILE_ALL_ACCESS;
    init.DeleteProcedure = IopDeleteDevice;
    init.ParseProcedure = IopParseDevice;
    return NT_SUCCESS(ObCreateObjectType(&deviceName, &init, NULL, &IoDeviceObjectType));
}
