/*
 * ata.c - the IDE disk on the primary channel's master position, programmed in PIO mode with
 * polling (interrupts stay masked with nIEN): IDENTIFY finds it and its size at start-up, then
 * \Device\Harddisk0\Partition0 (the whole disk: the system volume is a FAT image without a
 * partition table) answers READ/WRITE of whole sectors (LBA28, or LBA48 past 128 GiB when the
 * disk has it), FLUSH_BUFFERS and SHUTDOWN with CACHE FLUSH, and the disk controls. Every wait
 * has a deadline: a silent or failing disk gives STATUS_IO_TIMEOUT or STATUS_IO_DEVICE_ERROR,
 * never a hang. No disk: no device.
 */
#include "io.h"
#include "x86.h"
#include "rtl.h"
#include "kd.h"
#include "ntstatus.h"

#define ATA_DATA        0x1F0
#define ATA_ERROR       0x1F1
#define ATA_COUNT       0x1F2
#define ATA_LBA0        0x1F3
#define ATA_LBA1        0x1F4
#define ATA_LBA2        0x1F5
#define ATA_DRIVE       0x1F6
#define ATA_STATUS      0x1F7     /* read: status; write: command */
#define ATA_CONTROL     0x3F6     /* write: device control; read: alternate status */

#define ATA_SR_BSY  0x80
#define ATA_SR_DF   0x20
#define ATA_SR_DRQ  0x08
#define ATA_SR_ERR  0x01
#define ATA_CTL_NIEN 0x02

#define ATA_CMD_READ        0x20
#define ATA_CMD_READ_EXT    0x24
#define ATA_CMD_WRITE       0x30
#define ATA_CMD_WRITE_EXT   0x34
#define ATA_CMD_FLUSH       0xE7
#define ATA_CMD_FLUSH_EXT   0xEA
#define ATA_CMD_IDENTIFY    0xEC

#define ATA_SECTOR          512u
#define ATA_CHUNK           128u          /* sectors per command */
#define ATA_TIMEOUT_TICKS   300u          /* 3 s at 100 Hz */
#define ATA_SPIN_LIMIT      20000000u     /* if the clock does not run */

typedef struct _ATA_EXTENSION {
    ULONGLONG Sectors;
    BOOLEAN Lba48;
    KEVENT Lock;                  /* one command at a time on the channel */
} ATA_EXTENSION, *PATA_EXTENSION;

static VOID AtaDelay400ns(VOID)
{
    for (ULONG i = 0; i < 4; i++) (void)__inbyte(ATA_CONTROL);
}

/* Waits until BSY clears and (Mask & status) == Want, or ERR/DF. */
static NTSTATUS AtaWait(UCHAR Mask, UCHAR Want)
{
    ULONG start = KeTickCount;
    for (ULONG spin = 0; spin < ATA_SPIN_LIMIT; spin++) {
        UCHAR s = __inbyte(ATA_STATUS);
        if (!(s & ATA_SR_BSY)) {
            if (s & (ATA_SR_ERR | ATA_SR_DF)) return STATUS_IO_DEVICE_ERROR;
            if ((s & Mask) == Want) return STATUS_SUCCESS;
        }
        if (KeTickCount - start > ATA_TIMEOUT_TICKS) return STATUS_IO_TIMEOUT;
    }
    return STATUS_IO_TIMEOUT;
}

/* Waits for the channel to be idle, whatever the last command left in ERR. */
static NTSTATUS AtaWaitNotBusy(VOID)
{
    ULONG start = KeTickCount;
    for (ULONG spin = 0; spin < ATA_SPIN_LIMIT; spin++) {
        if (!(__inbyte(ATA_STATUS) & ATA_SR_BSY)) return STATUS_SUCCESS;
        if (KeTickCount - start > ATA_TIMEOUT_TICKS) break;
    }
    return STATUS_IO_TIMEOUT;
}

static VOID AtaReadWords(PVOID Buffer, ULONG Words)
{
    __asm__ volatile("rep insw" : "+D"(Buffer), "+c"(Words) : "d"(ATA_DATA) : "memory");
}

static VOID AtaWriteWords(const VOID *Buffer, ULONG Words)
{
    __asm__ volatile("rep outsw" : "+S"(Buffer), "+c"(Words) : "d"(ATA_DATA) : "memory");
}

/* Selects the master and loads the address registers, then issues the command. */
static NTSTATUS AtaIssue(PATA_EXTENSION Ext, ULONGLONG Lba, ULONG Count, UCHAR Command28, UCHAR Command48)
{
    NTSTATUS status = AtaWaitNotBusy();
    if (!NT_SUCCESS(status)) return status;
    BOOLEAN ext = Ext->Lba48 && (Lba + Count > 0x0FFFFFFFull);
    if (ext) {
        __outbyte(ATA_DRIVE, 0x40);
        AtaDelay400ns();
        __outbyte(ATA_COUNT, (UCHAR)(Count >> 8));
        __outbyte(ATA_LBA0, (UCHAR)(Lba >> 24));
        __outbyte(ATA_LBA1, (UCHAR)(Lba >> 32));
        __outbyte(ATA_LBA2, (UCHAR)(Lba >> 40));
    } else {
        __outbyte(ATA_DRIVE, (UCHAR)(0xE0 | ((Lba >> 24) & 0x0F)));
        AtaDelay400ns();
    }
    __outbyte(ATA_COUNT, (UCHAR)Count);
    __outbyte(ATA_LBA0, (UCHAR)Lba);
    __outbyte(ATA_LBA1, (UCHAR)(Lba >> 8));
    __outbyte(ATA_LBA2, (UCHAR)(Lba >> 16));
    __outbyte(ATA_STATUS, ext ? Command48 : Command28);
    AtaDelay400ns();
    return STATUS_SUCCESS;
}

static NTSTATUS AtaTransfer(PATA_EXTENSION Ext, BOOLEAN Write, ULONGLONG Lba, ULONG Count, PUCHAR Buffer)
{
    NTSTATUS status = AtaIssue(Ext, Lba, Count, Write ? ATA_CMD_WRITE : ATA_CMD_READ,
                               Write ? ATA_CMD_WRITE_EXT : ATA_CMD_READ_EXT);
    for (ULONG i = 0; NT_SUCCESS(status) && i < Count; i++, Buffer += ATA_SECTOR) {
        status = AtaWait(ATA_SR_DRQ, ATA_SR_DRQ);
        if (!NT_SUCCESS(status)) break;
        if (Write) AtaWriteWords(Buffer, ATA_SECTOR / 2);
        else AtaReadWords(Buffer, ATA_SECTOR / 2);
        AtaDelay400ns();
    }
    if (NT_SUCCESS(status) && Write) status = AtaWait(0, 0);     /* the last sector accepted */
    return status;
}

static NTSTATUS AtaFlush(PATA_EXTENSION Ext)
{
    NTSTATUS status = AtaIssue(Ext, 0, 0, ATA_CMD_FLUSH, ATA_CMD_FLUSH_EXT);
    if (NT_SUCCESS(status)) status = AtaWait(0, 0);
    return status;
}

static VOID AtaLock(PATA_EXTENSION Ext) { KeWaitForSingleObject(&Ext->Lock, Executive, KernelMode, FALSE, NULL); }
static VOID AtaUnlock(PATA_EXTENSION Ext) { KeSetEvent(&Ext->Lock, 0, FALSE); }

static NTSTATUS AtaReadWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PATA_EXTENSION ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = sp->Parameters.Read.Length;
    LONGLONG offset = sp->Parameters.Read.ByteOffset.QuadPart;
    BOOLEAN write = sp->MajorFunction == IRP_MJ_WRITE;
    if (offset < 0 || (offset % ATA_SECTOR) || (length % ATA_SECTOR))
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    ULONGLONG lba = (ULONGLONG)offset / ATA_SECTOR, count = length / ATA_SECTOR;
    if (count && lba >= ext->Sectors) return IoCompleteRequestWithStatus(Irp, STATUS_END_OF_FILE, 0);
    if (lba + count > ext->Sectors) return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG done = 0;
    AtaLock(ext);
    while (NT_SUCCESS(status) && done < count) {
        ULONG n = count - done > ATA_CHUNK ? ATA_CHUNK : (ULONG)(count - done);
        status = AtaTransfer(ext, write, lba + done, n, (PUCHAR)Irp->AssociatedIrp.SystemBuffer + done * ATA_SECTOR);
        if (NT_SUCCESS(status)) done += n;
    }
    AtaUnlock(ext);
    return IoCompleteRequestWithStatus(Irp, status, done * ATA_SECTOR);
}

static NTSTATUS AtaFlushIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PATA_EXTENSION ext = DeviceObject->DeviceExtension;
    AtaLock(ext);
    NTSTATUS status = AtaFlush(ext);
    AtaUnlock(ext);
    return IoCompleteRequestWithStatus(Irp, status, 0);
}

static NTSTATUS AtaDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PATA_EXTENSION ext = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_DISK_GET_DRIVE_GEOMETRY: {
        if (out < sizeof(DISK_GEOMETRY)) return IoCompleteRequestWithStatus(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        PDISK_GEOMETRY g = Irp->AssociatedIrp.SystemBuffer;
        g->MediaType = FixedMedia;             /* the usual translated shape: 16 heads, 63 sectors */
        g->TracksPerCylinder = 16;
        g->SectorsPerTrack = 63;
        g->BytesPerSector = ATA_SECTOR;
        g->Cylinders.QuadPart = (LONGLONG)(ext->Sectors / (16 * 63));
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(DISK_GEOMETRY));
    }
    case IOCTL_DISK_GET_LENGTH_INFO:
        if (out < sizeof(GET_LENGTH_INFORMATION)) return IoCompleteRequestWithStatus(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        ((PGET_LENGTH_INFORMATION)Irp->AssociatedIrp.SystemBuffer)->Length.QuadPart =
            (LONGLONG)(ext->Sectors * ATA_SECTOR);
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(GET_LENGTH_INFORMATION));
    default:
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

/* IDENTIFY DEVICE on the primary master: the size in sectors, or 0 if no ATA disk is there. */
static ULONGLONG AtaIdentify(PBOOLEAN Lba48)
{
    USHORT id[256];
    __outbyte(ATA_CONTROL, ATA_CTL_NIEN);
    __outbyte(ATA_DRIVE, 0xA0);
    AtaDelay400ns();
    UCHAR s = __inbyte(ATA_STATUS);
    if (s == 0xFF || s == 0x00) return 0;           /* floating bus or nothing attached */
    __outbyte(ATA_COUNT, 0);
    __outbyte(ATA_LBA0, 0);
    __outbyte(ATA_LBA1, 0);
    __outbyte(ATA_LBA2, 0);
    __outbyte(ATA_STATUS, ATA_CMD_IDENTIFY);
    AtaDelay400ns();
    if (__inbyte(ATA_STATUS) == 0) return 0;
    if (!NT_SUCCESS(AtaWait(0, 0))) return 0;
    if (__inbyte(ATA_LBA1) != 0 || __inbyte(ATA_LBA2) != 0) return 0;   /* ATAPI or SATA: not ours */
    if (!NT_SUCCESS(AtaWait(ATA_SR_DRQ, ATA_SR_DRQ))) return 0;
    AtaReadWords(id, 256);
    *Lba48 = (id[83] & (1u << 10)) != 0;
    ULONGLONG sectors = id[60] | ((ULONG)id[61] << 16);
    if (*Lba48) {
        ULONGLONG big = id[100] | ((ULONGLONG)id[101] << 16) | ((ULONGLONG)id[102] << 32) | ((ULONGLONG)id[103] << 48);
        if (big > sectors) sectors = big;
    }
    return sectors;
}

NTSTATUS AtaDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    BOOLEAN lba48 = FALSE;
    ULONGLONG sectors = AtaIdentify(&lba48);
    if (sectors == 0) return STATUS_NO_SUCH_DEVICE;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING dir = RTL_CONSTANT_STRING(u"\\Device\\Harddisk0"), name = RTL_CONSTANT_STRING(u"\\Device\\Harddisk0\\Partition0");
    HANDLE h;
    InitializeObjectAttributes(&oa, &dir, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwCreateDirectoryObject(&h, DIRECTORY_ALL_ACCESS, &oa);
    if (!NT_SUCCESS(status)) return status;
    ZwClose(h);
    PDEVICE_OBJECT device;
    status = IoCreateDevice(DriverObject, sizeof(ATA_EXTENSION), &name, FILE_DEVICE_DISK, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    PATA_EXTENSION ext = device->DeviceExtension;
    ext->Sectors = sectors;
    ext->Lba48 = lba48;
    KeInitializeEvent(&ext->Lock, SynchronizationEvent, TRUE);
    device->SectorSize = ATA_SECTOR;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_READ] = AtaReadWrite;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = AtaReadWrite;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = AtaFlushIrp;
    DriverObject->MajorFunction[IRP_MJ_SHUTDOWN] = AtaFlushIrp;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = AtaDeviceControl;
    IoRegisterShutdownNotification(device);
    DbgPrint("ata: primary master, %llu sectors (%llu MiB)%s\n", sectors, sectors / 2048, lba48 ? ", LBA48" : "");
    return STATUS_SUCCESS;
}
