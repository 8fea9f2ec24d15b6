/*
 * npfslisten.c - a server end's connection control: FSCTL_PIPE_LISTEN (kernel32's
 * ConnectNamedPipe) waits, queued and cancellable, until a client opens the instance - or
 * answers at once: STATUS_PIPE_CONNECTED if one already has, STATUS_PIPE_CLOSING if it came and
 * went, STATUS_PIPE_LISTENING for a non-blocking end. FSCTL_PIPE_DISCONNECT (DisconnectNamedPipe)
 * cuts the client off: its queued requests fail with STATUS_PIPE_DISCONNECTED, the data in both
 * directions is dropped, and the client's file object no longer reaches the instance (all its
 * requests fail the same way until it is closed); the instance then waits for a listen before a
 * new client can connect. Both are for the server end only (the caller checked).
 */
#include "npfsp.h"

NTSTATUS NpfsListen(PNPFS_INSTANCE Instance, PIRP Irp)
{
    NTSTATUS status;
    NpfsAcquire();
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (Instance->State == FILE_PIPE_DISCONNECTED_STATE) Instance->State = FILE_PIPE_LISTENING_STATE;
    if (Instance->State == FILE_PIPE_CONNECTED_STATE) status = STATUS_PIPE_CONNECTED;
    else if (Instance->State == FILE_PIPE_CLOSING_STATE) status = STATUS_PIPE_CLOSING;
    else if (Instance->NonBlocking[NPFS_SERVER_END]) status = STATUS_PIPE_LISTENING;
    else status = STATUS_PENDING;
    status = status == STATUS_PENDING ? NpfsQueueIrp(Irp, &Instance->ListenIrps)
                                      : IoCompleteRequestWithStatus(Irp, status, 0);
    KeLowerIrql(old);
    NpfsRelease();
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
    NpfsAcquire();
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
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
    KeLowerIrql(old);
    NpfsRelease();
    return IoCompleteRequestWithStatus(Irp, status, 0);
}
