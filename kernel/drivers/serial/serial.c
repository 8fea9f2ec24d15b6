/*
 * serial.c - \Device\Serial0 (\??\COM1): the first serial port, which the kernel debugger also
 * writes to. A write goes out the port at once (polled, through the HAL); a read returns what
 * the UART has received so far, possibly nothing, without waiting.
 */
#include "io.h"
#include "hal.h"
#include "x86.h"
#include "ntstatus.h"

#define SERIAL_PORT         0x3F8
#define SERIAL_LSR          5
#define SERIAL_DATA_READY   0x01

static NTSTATUS SerialWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    HalSerialWrite(Irp->AssociatedIrp.SystemBuffer, length);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, length);
}

static NTSTATUS SerialRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length, n = 0;
    PUCHAR buffer = Irp->AssociatedIrp.SystemBuffer;
    while (n < length && (__inbyte(SERIAL_PORT + SERIAL_LSR) & SERIAL_DATA_READY))
        buffer[n++] = __inbyte(SERIAL_PORT);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, n);
}

NTSTATUS SerialDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\Serial0");
    PDEVICE_OBJECT device;
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_SERIAL_PORT, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_READ] = SerialRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = SerialWrite;
    return STATUS_SUCCESS;
}
