/*
 * npfsrw.c - data through a pipe end: IRP_MJ_READ (what is there, at least one byte, or wait),
 * IRP_MJ_WRITE (all of it, waiting for room, unless the end is non-blocking), FSCTL_PIPE_PEEK
 * (a look without taking; listen and disconnect are in npfslisten.c) and the queries (FileStandardInformation: the bytes there are to
 * read). An end reads the direction its peer writes: a server end reads Inbound and writes
 * Outbound, a client end the other way round. How a request waits (queued, pending,
 * cancellable) is in npfs.c.
 */
#include "npfsp.h"

/* The instance and end of a request's file object; NULL for an open of the root (*Status
 * STATUS_INVALID_DEVICE_REQUEST) or a client end its server disconnected (STATUS_PIPE_DISCONNECTED). */
static PNPFS_INSTANCE NpfsEndOf(PIRP Irp, PULONG End, NTSTATUS *Status)
{
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    *End = (ULONG)(ULONG_PTR)file->FsContext2;
    *Status = *End == NPFS_DISCONNECTED_END ? STATUS_PIPE_DISCONNECTED : STATUS_INVALID_DEVICE_REQUEST;
    return *End == NPFS_DISCONNECTED_END ? NULL : file->FsContext;
}

static PNPFS_QUEUE NpfsReadQueue(PNPFS_INSTANCE Instance, ULONG End)
{
    return End == NPFS_SERVER_END ? &Instance->Inbound : &Instance->Outbound;
}

static PNPFS_QUEUE NpfsWriteQueue(PNPFS_INSTANCE Instance, ULONG End)
{
    return End == NPFS_SERVER_END ? &Instance->Outbound : &Instance->Inbound;
}

/* The status of a read that found nothing, or STATUS_PENDING if it is to wait. */
static NTSTATUS NpfsEmptyReadStatus(PNPFS_INSTANCE Instance, ULONG End)
{
    if (Instance->State == FILE_PIPE_LISTENING_STATE) return STATUS_PIPE_LISTENING;
    if (Instance->State == FILE_PIPE_CLOSING_STATE) return STATUS_PIPE_BROKEN;
    if (Instance->State == FILE_PIPE_DISCONNECTED_STATE) return STATUS_PIPE_DISCONNECTED;
    if (Instance->NonBlocking[End]) return STATUS_PIPE_EMPTY;
    return STATUS_PENDING;
}

/* A read takes what is there (reads queued before it go first), else waits for data. */
NTSTATUS NpfsRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG end, length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    NTSTATUS status;
    PNPFS_INSTANCE instance = NpfsEndOf(Irp, &end, &status);
    if (instance == NULL) return IoCompleteRequestWithStatus(Irp, status, 0);
    if (length == 0 && !instance->MessageRead[end]) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    KIRQL old = NpfsAcquireQueues();
    PNPFS_QUEUE queue = NpfsReadQueue(instance, end);
    if (NpfsQueueHasData(queue) && IsListEmpty(&queue->ReadIrps)) {
        BOOLEAN overflow;
        ULONG taken = NpfsDequeue(queue, Irp->AssociatedIrp.SystemBuffer, length, TRUE, instance->MessageRead[end],
                                  &overflow);
        NpfsService(instance, queue, end);             /* waiting writers have room */
        status = IoCompleteRequestWithStatus(Irp, overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS, taken);
    } else {
        status = NpfsQueueHasData(queue) ? STATUS_PENDING : NpfsEmptyReadStatus(instance, end);
        status = status == STATUS_PENDING ? NpfsQueueIrp(Irp, &queue->ReadIrps)
                                          : IoCompleteRequestWithStatus(Irp, status, 0);
    }
    NpfsReleaseQueues(old);
    return status;
}

/* Why a write cannot go on (or STATUS_SUCCESS if it can). */
static NTSTATUS NpfsWriteState(PNPFS_INSTANCE Instance)
{
    if (Instance->State == FILE_PIPE_LISTENING_STATE) return STATUS_PIPE_LISTENING;
    if (Instance->State == FILE_PIPE_CLOSING_STATE) return STATUS_PIPE_CLOSING;
    if (Instance->State == FILE_PIPE_DISCONNECTED_STATE) return STATUS_PIPE_DISCONNECTED;
    return STATUS_SUCCESS;
}

/* A write puts in what fits (after writes queued before it) and waits for room for the rest;
 * a non-blocking end's write ends short instead. */
NTSTATUS NpfsWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG end, length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    NTSTATUS status;
    PNPFS_INSTANCE instance = NpfsEndOf(Irp, &end, &status);
    if (instance == NULL) return IoCompleteRequestWithStatus(Irp, status, 0);
    KIRQL old = NpfsAcquireQueues();
    PNPFS_QUEUE queue = NpfsWriteQueue(instance, end);
    ULONG reader = end == NPFS_SERVER_END ? NPFS_CLIENT_END : NPFS_SERVER_END;
    status = NpfsWriteState(instance);
    ULONG done = 0;
    if (NT_SUCCESS(status) && IsListEmpty(&queue->WriteIrps))
        status = NpfsEnqueue(queue, Irp->AssociatedIrp.SystemBuffer, length, instance->MessageType, &done);
    if (!NT_SUCCESS(status) || done == length || instance->NonBlocking[end]) {
        NpfsService(instance, queue, reader);          /* waiting readers have data */
        status = IoCompleteRequestWithStatus(Irp, status, NT_SUCCESS(status) ? done : 0);
    } else {
        Irp->IoStatus.Information = done;
        status = NpfsQueueIrp(Irp, &queue->WriteIrps);
        NpfsService(instance, queue, reader);          /* readers take some: the rest may fit */
    }
    NpfsReleaseQueues(old);
    return status;
}

/* FSCTL_PIPE_PEEK: the state, the bytes there are, and as many of them as fit after the header. */
static NTSTATUS NpfsPeek(PNPFS_INSTANCE Instance, ULONG End, PIRP Irp, ULONG OutputLength)
{
    PFILE_PIPE_PEEK_BUFFER peek = Irp->AssociatedIrp.SystemBuffer;
    ULONG header = FIELD_OFFSET(FILE_PIPE_PEEK_BUFFER, Data);
    if (OutputLength < header) return IoCompleteRequestWithStatus(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    KIRQL old = NpfsAcquireQueues();
    PNPFS_QUEUE queue = NpfsReadQueue(Instance, End);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG copied = 0;
    if (!NpfsQueueHasData(queue) && Instance->State == FILE_PIPE_CLOSING_STATE) {
        status = STATUS_PIPE_BROKEN;
    } else {
        BOOLEAN overflow;
        peek->NamedPipeState = Instance->State;
        peek->ReadDataAvailable = queue->Count;
        peek->NumberOfMessages = Instance->MessageType ? queue->Messages : 0;
        peek->MessageLength = Instance->MessageType ? NpfsFirstMessageLength(queue) : 0;
        /* A message pipe peeks at its first message, a byte pipe at all there is. */
        copied = NpfsDequeue(queue, (PUCHAR)peek->Data, OutputLength - header, FALSE, Instance->MessageType, &overflow);
        if (overflow || (!Instance->MessageType && copied < queue->Count)) status = STATUS_BUFFER_OVERFLOW;
    }
    NpfsReleaseQueues(old);
    BOOLEAN data = NT_SUCCESS(status) || status == STATUS_BUFFER_OVERFLOW;
    return IoCompleteRequestWithStatus(Irp, status, data ? header + copied : 0);
}

NTSTATUS NpfsFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG end;
    NTSTATUS status;
    PNPFS_INSTANCE instance = NpfsEndOf(Irp, &end, &status);
    if (sp->MinorFunction != IRP_MN_USER_FS_REQUEST) status = STATUS_INVALID_DEVICE_REQUEST;
    else if (instance == NULL && end != NPFS_DISCONNECTED_END &&
             sp->Parameters.FileSystemControl.FsControlCode == FSCTL_PIPE_WAIT)
        return NpfsWaitForListener(Irp);              /* the root's one request */
    if (instance == NULL || sp->MinorFunction != IRP_MN_USER_FS_REQUEST)
        return IoCompleteRequestWithStatus(Irp, status, 0);
    switch (sp->Parameters.FileSystemControl.FsControlCode) {
    case FSCTL_PIPE_PEEK:
        return NpfsPeek(instance, end, Irp, sp->Parameters.FileSystemControl.OutputBufferLength);
    case FSCTL_PIPE_LISTEN:
    case FSCTL_PIPE_DISCONNECT:
        if (end != NPFS_SERVER_END) return IoCompleteRequestWithStatus(Irp, STATUS_ILLEGAL_FUNCTION, 0);
        return sp->Parameters.FileSystemControl.FsControlCode == FSCTL_PIPE_LISTEN ? NpfsListen(instance, Irp)
                                                                                  : NpfsDisconnect(instance, Irp);
    default:
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

NTSTATUS NpfsQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG end;
    NTSTATUS status;
    PNPFS_INSTANCE instance = NpfsEndOf(Irp, &end, &status);
    FILE_INFORMATION_CLASS cls = sp->Parameters.QueryFile.FileInformationClass;
    if (end == NPFS_DISCONNECTED_END) return IoCompleteRequestWithStatus(Irp, status, 0);
    if (cls == FilePipeInformation && instance && sp->Parameters.QueryFile.Length >= sizeof(FILE_PIPE_INFORMATION)) {
        PFILE_PIPE_INFORMATION pipe = Irp->AssociatedIrp.SystemBuffer;
        pipe->ReadMode = instance->MessageRead[end] ? FILE_PIPE_MESSAGE_MODE : FILE_PIPE_BYTE_STREAM_MODE;
        pipe->CompletionMode = instance->NonBlocking[end] ? FILE_PIPE_COMPLETE_OPERATION : FILE_PIPE_QUEUE_OPERATION;
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(*pipe));
    }
    if (cls != FileStandardInformation || sp->Parameters.QueryFile.Length < sizeof(FILE_STANDARD_INFORMATION))
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    PFILE_STANDARD_INFORMATION info = Irp->AssociatedIrp.SystemBuffer;
    RtlZeroMemory(info, sizeof(*info));
    info->NumberOfLinks = 1;
    info->Directory = instance == NULL;            /* the root is the pipes' directory */
    if (instance) {
        NpfsAcquire();
        PNPFS_QUEUE queue = NpfsReadQueue(instance, end);
        info->AllocationSize.QuadPart = queue->Size;
        info->EndOfFile.QuadPart = queue->Count;
        info->DeletePending = instance->State == FILE_PIPE_CLOSING_STATE;
        NpfsRelease();
    }
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, sizeof(*info));
}

/* FilePipeInformation: an end's read mode (message mode only on a message pipe) and whether it
 * blocks. */
NTSTATUS NpfsSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG end;
    NTSTATUS status;
    PNPFS_INSTANCE instance = NpfsEndOf(Irp, &end, &status);
    if (instance == NULL) return IoCompleteRequestWithStatus(Irp, status, 0);
    if (sp->Parameters.SetFile.FileInformationClass != FilePipeInformation ||
        sp->Parameters.SetFile.Length < sizeof(FILE_PIPE_INFORMATION))
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    PFILE_PIPE_INFORMATION pipe = Irp->AssociatedIrp.SystemBuffer;
    if (pipe->ReadMode > FILE_PIPE_MESSAGE_MODE || pipe->CompletionMode > FILE_PIPE_COMPLETE_OPERATION ||
        (pipe->ReadMode == FILE_PIPE_MESSAGE_MODE && !instance->MessageType))
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    NpfsAcquire();
    instance->MessageRead[end] = pipe->ReadMode == FILE_PIPE_MESSAGE_MODE;
    instance->NonBlocking[end] = pipe->CompletionMode == FILE_PIPE_COMPLETE_OPERATION;
    NpfsRelease();
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}
