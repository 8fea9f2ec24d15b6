/*
 * npfslisten.c - a server end's connection control: FSCTL_PIPE_LISTEN (kernel32's
 * ConnectNamedPipe) waits, queued and cancellable, until a client opens the instance - or
 * answers at once: STATUS_PIPE_CONNECTED if one already has, STATUS_PIPE_CLOSING if it came and
 * went, STATUS_PIPE_LISTENING for a non-blocking end. FSCTL_PIPE_DISCONNECT (DisconnectNamedPipe)
 * cuts the client off: its queued requests fail with STATUS_PIPE_DISCONNECTED, the data in both
 * directions is dropped, and the client's file object no longer reaches the instance (all its
 * requests fail the same way until it is closed); the instance then waits for a listen before a
 * new client can connect. Both are for the server end only (the caller checked).
 *
 * FSCTL_PIPE_WAIT (kernel32's WaitNamedPipe), on the NPFS root, waits until an instance of a
 * name is listening, or its timeout (the pipe's default unless given) passes: STATUS_IO_TIMEOUT;
 * no such pipe: STATUS_OBJECT_NAME_NOT_FOUND. It waits in the dispatch routine, in the
 * caller's mode, so terminating the caller ends it (STATUS_CANCELLED); it is a synchronous call
 * in Win32 too.
 */
#include "npfsp.h"
#include "svc.h"

NTSTATUS NpfsListen(PNPFS_INSTANCE Instance, PIRP Irp)
{
    NTSTATUS status;
    KIRQL old = NpfsAcquireQueues();
    if (Instance->State == FILE_PIPE_DISCONNECTED_STATE) {
        Instance->State = FILE_PIPE_LISTENING_STATE;
        NpfsInstanceListening();
    }
    if (Instance->State == FILE_PIPE_CONNECTED_STATE) status = STATUS_PIPE_CONNECTED;
    else if (Instance->State == FILE_PIPE_CLOSING_STATE) status = STATUS_PIPE_CLOSING;
    else if (Instance->NonBlocking[NPFS_SERVER_END]) status = STATUS_PIPE_LISTENING;
    else status = STATUS_PENDING;
    status = status == STATUS_PENDING ? NpfsQueueIrp(Irp, &Instance->ListenIrps)
                                      : IoCompleteRequestWithStatus(Irp, status, 0);
    NpfsReleaseQueues(old);
    return status;
}

static VOID NpfsDropData(PNPFS_QUEUE Queue)
{
    NpfsFailQueued(Queue, STATUS_PIPE_DISCONNECTED, STATUS_PIPE_DISCONNECTED);
    NpfsFreeQueue(Queue);
}

NTSTATUS NpfsDisconnect(PNPFS_INSTANCE Instance, PIRP Irp)
{
    NTSTATUS status = STATUS_SUCCESS;
    KIRQL old = NpfsAcquireQueues();
    if (Instance->State == FILE_PIPE_LISTENING_STATE) status = STATUS_PIPE_LISTENING;
    else if (Instance->State == FILE_PIPE_DISCONNECTED_STATE) status = STATUS_PIPE_DISCONNECTED;
    if (NT_SUCCESS(status)) {
        NpfsDropData(&Instance->Inbound);
        NpfsDropData(&Instance->Outbound);
        if (Instance->ClientFile) Instance->ClientFile->FsContext2 = (PVOID)NPFS_DISCONNECTED_END;
        Instance->ClientFile = NULL;
        Instance->EndOpen[NPFS_CLIENT_END] = FALSE;
        Instance->State = FILE_PIPE_DISCONNECTED_STATE;
    }
    NpfsReleaseQueues(old);
    return IoCompleteRequestWithStatus(Irp, status, 0);
}

/* Set (under the lock) whenever an instance starts listening; a waiter clears it under the lock
 * after finding no listener, so no wake-up is lost. */
static KEVENT NpfsListening;

VOID NpfsInitializeListenWait(VOID)
{
    KeInitializeEvent(&NpfsListening, NotificationEvent, FALSE);
}

VOID NpfsInstanceListening(VOID)
{
    KeSetEvent(&NpfsListening, 0, FALSE);
}

/* Under the lock: STATUS_SUCCESS if an instance of Name listens, STATUS_PENDING if the pipe
 * exists (its default timeout in *Default), else STATUS_OBJECT_NAME_NOT_FOUND. */
static NTSTATUS NpfsListenerOf(PCUNICODE_STRING Name, PLARGE_INTEGER Default)
{
    PNPFS_PIPE pipe = NpfsFindPipe(Name);
    if (pipe == NULL) return STATUS_OBJECT_NAME_NOT_FOUND;
    for (PLIST_ENTRY e = pipe->InstanceList.Flink; e != &pipe->InstanceList; e = e->Flink)
        if (CONTAINING_RECORD(e, NPFS_INSTANCE, Link)->State == FILE_PIPE_LISTENING_STATE) return STATUS_SUCCESS;
    *Default = pipe->DefaultTimeout;
    return STATUS_PENDING;
}

NTSTATUS NpfsWaitForListener(PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_PIPE_WAIT_FOR_BUFFER w = Irp->AssociatedIrp.SystemBuffer;
    ULONG length = sp->Parameters.FileSystemControl.InputBufferLength;
    ULONG header = FIELD_OFFSET(FILE_PIPE_WAIT_FOR_BUFFER, Name);
    if (w == NULL || length < header || w->NameLength > length - header || (w->NameLength & 1) || w->NameLength == 0)
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);
    UNICODE_STRING name = { (USHORT)w->NameLength, (USHORT)w->NameLength, w->Name };
    LARGE_INTEGER timeout = w->Timeout, deadline;
    BOOLEAN forever = w->TimeoutSpecified && timeout.QuadPart == (LONGLONG)0x8000000000000000ULL;
    KeQuerySystemTime(&deadline);
    NTSTATUS status;
    for (BOOLEAN first = TRUE;; first = FALSE) {
        LARGE_INTEGER now, remaining, defaultTimeout;
        NpfsAcquire();
        status = NpfsListenerOf(&name, &defaultTimeout);
        if (status == STATUS_PENDING) KeClearEvent(&NpfsListening);
        NpfsRelease();
        if (status != STATUS_PENDING) break;
        if (first) deadline.QuadPart -= w->TimeoutSpecified ? timeout.QuadPart : defaultTimeout.QuadPart;
        KeQuerySystemTime(&now);
        remaining.QuadPart = now.QuadPart - deadline.QuadPart;       /* negative: time left */
        if (!forever && remaining.QuadPart >= 0) { status = STATUS_IO_TIMEOUT; break; }
        NTSTATUS wait = KeWaitForSingleObject(&NpfsListening, Executive, Irp->RequestorMode, FALSE,
                                              forever ? NULL : &remaining);
        if (wait != STATUS_WAIT_0 && wait != STATUS_TIMEOUT) { status = STATUS_CANCELLED; break; }
    }
    return IoCompleteRequestWithStatus(Irp, status, 0);
}
