/*
 * npfs.c - \Device\NamedPipe, the named-pipe file system (NPFS): its device and dispatch table,
 * the one lock that guards every pipe, and the way a request waits.
 *
 * Model (NT's): NtCreateNamedPipeFile(\Device\NamedPipe\<name>) sends
 * IRP_MJ_CREATE_NAMED_PIPE and makes a server end - a new instance of the pipe <name>, listening.
 * NtCreateFile/NtOpenFile of the same name (IRP_MJ_CREATE) is a client: it connects to a listening
 * instance. An instance has two directions of data, inbound (client -> server) and outbound
 * (server -> client), each of its quota (default 4 KiB). A read takes what is there (at least one byte) or
 * waits; a write copies what fits and waits for room for the rest. When one end's last handle is
 * closed (IRP_MJ_CLEANUP) the instance is closing: the other end reads what is left, then
 * STATUS_PIPE_BROKEN; its writes fail with STATUS_PIPE_CLOSING. Non-blocking ends
 * (FILE_PIPE_COMPLETE_OPERATION) get STATUS_PIPE_EMPTY or a short write instead of waiting.
 * kernel32's CreatePipe is one such instance with the read handle the server end and the write
 * handle the client end.
 *
 * Message-type pipes (FILE_PIPE_MESSAGE_TYPE) keep each write as one message; an end in message
 * read mode (FILE_PIPE_MESSAGE_MODE, set at creation or with FilePipeInformation) reads one
 * message at a time, what does not fit its buffer staying for the next read with
 * STATUS_BUFFER_OVERFLOW. The data of each direction is in npfsqueue.c.
 *
 * Waiting: a read that finds nothing, or a write that finds no room for all of its data, is
 * queued on its direction of the instance (NPFS_QUEUE.ReadIrps / WriteIrps), marked pending and
 * left there with a cancel routine; the dispatch routine returns STATUS_PENDING. Whatever changes
 * a direction - a write, a read that makes room, the other end's cleanup - services its queued
 * requests in order (NpfsService), completing each as it is satisfied: a queued write's data is
 * moved into the ring as room appears, its progress kept in IoStatus.Information. A cancelled
 * request (NtCancelIoFile, thread exit, a broken synchronous wait) leaves with STATUS_CANCELLED
 * and what it moved so far. The IRP lists are touched only at DISPATCH_LEVEL, where the cancel
 * routine runs too, so a routine that finds an IRP on a list owns it; data moves under the
 * driver's lock as well. A thread blocked in a read on a synchronous handle holds that file's
 * lock, as on NT; the other end is a different file object, so it can always write or close.
 */
#include "npfsp.h"

static KMUTANT NpfsLock;
LIST_ENTRY NpfsPipes;

VOID NpfsAcquire(VOID)
{
    KeWaitForSingleObject(&NpfsLock, Executive, KernelMode, FALSE, NULL);
}

VOID NpfsRelease(VOID)
{
    KeReleaseMutant(&NpfsLock, 0, FALSE, FALSE, NULL);
}

/* The lock, then DISPATCH_LEVEL: how every change of the IRP queues is made (cancel routines run
 * at DISPATCH_LEVEL without the lock). */
KIRQL NpfsAcquireQueues(VOID)
{
    KIRQL old;
    NpfsAcquire();
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    return old;
}

VOID NpfsReleaseQueues(KIRQL Old)
{
    KeLowerIrql(Old);
    NpfsRelease();
}

/* ---- Queued requests (at DISPATCH_LEVEL) ---- */

static VOID NpfsCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    IoCompleteRequestWithStatus(Irp, STATUS_CANCELLED, Irp->IoStatus.Information);
}

NTSTATUS NpfsQueueIrp(PIRP Irp, PLIST_ENTRY List)
{
    if (Irp->Cancel) return IoCompleteRequestWithStatus(Irp, STATUS_CANCELLED, Irp->IoStatus.Information);
    IoMarkIrpPending(Irp);
    Irp->CancelRoutine = NpfsCancel;
    InsertTailList(List, &Irp->Tail.Overlay.ListEntry);
    return STATUS_PENDING;
}

/* Takes the first IRP of List off it (its cancel routine cleared) and completes it. */
static VOID NpfsCompleteFirst(PLIST_ENTRY List, NTSTATUS Status, ULONG_PTR Information)
{
    PIRP irp = CONTAINING_RECORD(RemoveHeadList(List), IRP, Tail.Overlay.ListEntry);
    irp->CancelRoutine = NULL;
    IoCompleteRequestWithStatus(irp, Status, Information);
}

static PIRP NpfsFirst(PLIST_ENTRY List)
{
    return IsListEmpty(List) ? NULL : CONTAINING_RECORD(List->Flink, IRP, Tail.Overlay.ListEntry);
}

/* Satisfies Queue's waiting readers from its data and feeds its waiting writers into the room
 * that makes, in order, until neither can go on. Instance says how the ends read (byte or
 * message mode) and whether writes are messages; ReaderEnd is the end that reads Queue. */
VOID NpfsService(PNPFS_INSTANCE Instance, PNPFS_QUEUE Queue, ULONG ReaderEnd)
{
    for (BOOLEAN progress = TRUE; progress;) {
        progress = FALSE;
        for (PIRP irp; NpfsQueueHasData(Queue) && (irp = NpfsFirst(&Queue->ReadIrps)) != NULL; progress = TRUE) {
            ULONG length = IoGetCurrentIrpStackLocation(irp)->Parameters.Read.Length;
            BOOLEAN overflow;
            ULONG n = NpfsDequeue(Queue, irp->AssociatedIrp.SystemBuffer, length, TRUE, Instance->MessageRead[ReaderEnd],
                                  &overflow);
            NpfsCompleteFirst(&Queue->ReadIrps, overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS, n);
        }
        for (PIRP irp; (irp = NpfsFirst(&Queue->WriteIrps)) != NULL;) {
            ULONG length = IoGetCurrentIrpStackLocation(irp)->Parameters.Write.Length;
            ULONG done = irp->IoStatus.Information, taken;
            NTSTATUS status = NpfsEnqueue(Queue, (PUCHAR)irp->AssociatedIrp.SystemBuffer + done, length - done,
                                          Instance->MessageType, &taken);
            if (!NT_SUCCESS(status)) { NpfsCompleteFirst(&Queue->WriteIrps, status, done); continue; }
            if (taken == 0 && done + taken != length) break;              /* no room yet */
            irp->IoStatus.Information = done += taken;
            progress = TRUE;
            if (done == length) NpfsCompleteFirst(&Queue->WriteIrps, STATUS_SUCCESS, done);
        }
    }
}

VOID NpfsCompleteAll(PLIST_ENTRY List, NTSTATUS Status)
{
    while (!IsListEmpty(List)) NpfsCompleteFirst(List, Status, 0);
}

/* The instance is closing (or its client is cut off): a queued read finds nothing more (the ring
 * is empty, or it would not wait), a queued write has no reader. */
VOID NpfsFailQueued(PNPFS_QUEUE Queue, NTSTATUS ReadStatus, NTSTATUS WriteStatus)
{
    NpfsCompleteAll(&Queue->ReadIrps, ReadStatus);
    NpfsCompleteAll(&Queue->WriteIrps, WriteStatus);
}

NTSTATUS NpfsDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\NamedPipe");
    PDEVICE_OBJECT device;
    KeInitializeMutant(&NpfsLock, FALSE);
    NpfsInitializeListenWait();
    InitializeListHead(&NpfsPipes);
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_NAMED_PIPE, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE_NAMED_PIPE] = NpfsCreateNamedPipe;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NpfsCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = NpfsCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = NpfsClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = NpfsRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = NpfsWrite;
    DriverObject->MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = NpfsFileSystemControl;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = NpfsQueryInformation;
    DriverObject->MajorFunction[IRP_MJ_SET_INFORMATION] = NpfsSetInformation;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    return STATUS_SUCCESS;
}
