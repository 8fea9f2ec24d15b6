/*
 * lpcsend.c - messages over a connection: NtRequestPort (a datagram), NtRequestWaitReplyPort (a
 * request and the wait for its reply), NtReplyPort, NtReplyWaitReceivePort (the server loop's one
 * call: answer the last request, take the next message) and NtReplyWaitReplyPort. A reply finds its
 * requester by the request's client id and message id; one that matches no waiting request fails
 * with STATUS_REPLY_MESSAGE_MISMATCH and changes nothing.
 *
 * Callbacks: a server that, while a client waits for its reply, sends that client a request of
 * its own (NtRequestWaitReplyPort on the server port) hands it straight to the waiting client
 * thread, whose NtRequestWaitReplyPort returns it (type LPC_REQUEST). The client answers with
 * NtReplyWaitReplyPort, which sends that reply and goes back to waiting for the reply to its own
 * first request. One level of callback per thread.
 */
#include "lpcp.h"

VOID LpcpArmReplyWait(PETHREAD Thread, ULONG MessageId, PLPCP_PORT ChainPort)
{
    Thread->LpcReplyMessageId = MessageId;
    Thread->LpcReplyMessage = NULL;
    Thread->LpcReplyStatus = STATUS_PENDING;
    Thread->LpcWaitingOnPort = ChainPort;
    if (ChainPort) InsertTailList(&ChainPort->ReplyChain, &Thread->LpcReplyChain);
    KeClearEvent(&Thread->LpcReplyEvent);
}

/* A wait that ends without an answer (the thread is being terminated) disarms itself: a late
 * reply then matches nothing. */
NTSTATUS LpcpWaitForReply(KPROCESSOR_MODE Mode, PLPCP_MESSAGE *Reply)
{
    PETHREAD t = PsGetCurrentThread();
    NTSTATUS wait = KeWaitForSingleObject(&t->LpcReplyEvent, WrLpcReply, Mode, FALSE, NULL);
    KIRQL old = LpcpAcquireLock();
    NTSTATUS status = t->LpcReplyStatus;
    *Reply = t->LpcReplyMessage;
    t->LpcReplyMessage = NULL;
    if (t->LpcReplyMessageId != 0) {
        t->LpcReplyMessageId = 0;
        t->LpcWaitingOnPort = NULL;
        RemoveEntryList(&t->LpcReplyChain);
        InitializeListHead(&t->LpcReplyChain);
        status = NT_SUCCESS(wait) ? STATUS_UNSUCCESSFUL : wait;
    }
    LpcpReleaseLock(old);
    return status;
}

/* Queues Message to the other end of Port (a client or server port); with Reply, the current
 * thread waits for the answer on that end's reply chain. */
static NTSTATUS LpcpSend(PLPCP_PORT Port, PLPCP_MESSAGE Message, BOOLEAN Reply)
{
    if (Port->Kind == LPCP_CONNECTION_PORT) return STATUS_INVALID_PORT_HANDLE;
    PETHREAD t = PsGetCurrentThread();
    Message->Request.ClientId = t->Cid;
    Message->Request.MessageId = LpcpNextMessageId();
    KIRQL old = LpcpAcquireLock();
    PLPCP_PORT other = Port->ConnectedPort;
    PLPCP_PORT receive = other ? LpcpReceivePort(other) : NULL;
    NTSTATUS status = STATUS_SUCCESS;
    PETHREAD client = Reply && Port->Kind == LPCP_SERVER_PORT && !IsListEmpty(&Port->ReplyChain)
        ? CONTAINING_RECORD(Port->ReplyChain.Flink, ETHREAD, LpcReplyChain) : NULL;
    if (Port->Closed || other == NULL || other->Closed || receive->Closed) status = STATUS_PORT_DISCONNECTED;
    else if (client && client->LpcSavedMessageId == 0) {
        /* A callback: the client thread waiting on this port gets the request as its "reply". */
        Message->PortContext = NULL;
        LpcpArmReplyWait(t, Message->Request.MessageId, other);
        ULONG original = client->LpcReplyMessageId;
        LpcpWakeWaiter(client, STATUS_SUCCESS, Message);
        client->LpcSavedMessageId = original;
        client->LpcSavedWaitingOnPort = Port;
    } else {
        Message->PortContext = other->Kind == LPCP_SERVER_PORT ? other->PortContext : NULL;
        if (Reply) LpcpArmReplyWait(t, Message->Request.MessageId, other);
        LpcpQueueMessage(receive, Message);
    }
    LpcpReleaseLock(old);
    return status;
}

static NTSTATUS LpcpCaptureForPort(PLPCP_PORT Port, KPROCESSOR_MODE Mode, PPORT_MESSAGE User, CSHORT Type,
                                   PLPCP_MESSAGE *Message)
{
    PLPCP_MESSAGE m = LpcpAllocateMessage();
    if (m == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = LpcpCaptureMessage(Mode, User, Port->MaxMessageLength, m);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return status;
    }
    m->Request.u2.s2.Type = Type;
    m->Request.u2.s2.DataInfoOffset = 0;
    *Message = m;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtRequestPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    PLPCP_MESSAGE m;
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    status = LpcpCaptureForPort(port, mode, RequestMessage, LPC_DATAGRAM, &m);
    if (NT_SUCCESS(status)) {
        status = LpcpSend(port, m, FALSE);
        if (!NT_SUCCESS(status)) LpcpFreeMessage(m);
    }
    ObDereferenceObject(port);
    return status;
}

NTSTATUS NTAPI NtRequestWaitReplyPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage, PPORT_MESSAGE ReplyMessage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    PLPCP_MESSAGE m, reply = NULL;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(ReplyMessage, sizeof(PORT_MESSAGE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    status = LpcpCaptureForPort(port, mode, RequestMessage, LPC_REQUEST, &m);
    if (NT_SUCCESS(status)) {
        status = LpcpSend(port, m, TRUE);
        if (NT_SUCCESS(status)) status = LpcpWaitForReply(mode, &reply);   /* m now belongs to the receiver */
        else LpcpFreeMessage(m);
    }
    ObDereferenceObject(port);
    if (reply) {
        if (NT_SUCCESS(status)) status = LpcpCopyMessageOut(mode, ReplyMessage, reply);
        LpcpFreeMessage(reply);
    }
    return status;
}

/* The waiting thread Reply answers, if it waits on this connection for this message id, on the
 * side Port's owner answers for. */
static BOOLEAN LpcpReplyMatches(PLPCP_PORT Port, PETHREAD Waiter, const PORT_MESSAGE *Reply)
{
    PLPCP_PORT chain = Waiter->LpcWaitingOnPort;
    if (Waiter->LpcReplyMessageId == 0 || Waiter->LpcReplyMessageId != Reply->MessageId || chain == NULL ||
        Waiter->Cid.UniqueProcess != Reply->ClientId.UniqueProcess)
        return FALSE;
    if (chain->Kind == LPCP_SERVER_PORT)           /* a client waits: the server answers */
        return Port == chain || Port == chain->ConnectionPort;
    return Port == chain;                           /* the server waits: that client answers */
}

static NTSTATUS LpcpReply(PLPCP_PORT Port, KPROCESSOR_MODE Mode, PPORT_MESSAGE ReplyMessage)
{
    PLPCP_MESSAGE m;
    PETHREAD waiter;
    NTSTATUS status = LpcpCaptureForPort(Port, Mode, ReplyMessage, LPC_REPLY, &m);
    if (!NT_SUCCESS(status)) return status;
    status = PsLookupThreadByThreadId(m->Request.ClientId.UniqueThread, &waiter);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return STATUS_REPLY_MESSAGE_MISMATCH;       /* the requester is gone */
    }
    KIRQL old = LpcpAcquireLock();
    BOOLEAN match = LpcpReplyMatches(Port, waiter, &m->Request);
    if (match) LpcpWakeWaiter(waiter, STATUS_SUCCESS, m);
    LpcpReleaseLock(old);
    ObDereferenceObject(waiter);
    if (match) return STATUS_SUCCESS;
    LpcpFreeMessage(m);
    return STATUS_REPLY_MESSAGE_MISMATCH;
}

NTSTATUS NTAPI NtReplyPort(HANDLE PortHandle, PPORT_MESSAGE ReplyMessage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    status = LpcpReply(port, mode, ReplyMessage);
    ObDereferenceObject(port);
    return status;
}

/* Takes the next message for Port, waiting for one; a connection request stays pending (for
 * NtAcceptConnectPort), everything else is freed once copied out. */
NTSTATUS LpcpReceive(PLPCP_PORT Port, KPROCESSOR_MODE Mode, PVOID *PortContext, PPORT_MESSAGE Message,
                     PCSHORT Type)
{
    PLPCP_PORT queue = LpcpReceivePort(Port);
    NTSTATUS status = KeWaitForSingleObject(&queue->Semaphore, WrLpcReceive, Mode, FALSE, NULL);
    if (!NT_SUCCESS(status) || status == STATUS_USER_APC) return status;
    UCHAR copy[sizeof(PORT_MESSAGE) + LPCP_MAX_DATA];
    PLPCP_MESSAGE m = NULL;
    PVOID context = NULL;
    KIRQL old = LpcpAcquireLock();
    if (!IsListEmpty(&queue->Queue)) {
        m = CONTAINING_RECORD(queue->Queue.Flink, LPCP_MESSAGE, Entry);
        RemoveEntryList(&m->Entry);
        RtlCopyMemory(copy, &m->Request, sizeof(PORT_MESSAGE) + (ULONG)m->Request.u1.s1.DataLength);
        context = m->PortContext;
        if (m->Request.u2.s2.Type == LPC_CONNECTION_REQUEST) {
            InsertTailList(&LpcpPendingConnections, &m->Entry);
            m = NULL;                                /* kept for the accept */
        }
    } else {
        status = STATUS_PORT_DISCONNECTED;           /* woken by the port's close */
    }
    LpcpReleaseLock(old);
    if (NT_SUCCESS(status)) {
        PPORT_MESSAGE h = (PPORT_MESSAGE)copy;
        if (Type) *Type = h->u2.s2.Type;
        status = ExCopyOut(Mode, Message, copy, sizeof(PORT_MESSAGE) + (ULONG)h->u1.s1.DataLength);
        if (NT_SUCCESS(status) && PortContext) status = ExCopyOut(Mode, PortContext, &context, sizeof(context));
    }
    if (m) LpcpFreeMessage(m);
    return status;
}

NTSTATUS NTAPI NtReplyWaitReceivePort(HANDLE PortHandle, PVOID *PortContext, PPORT_MESSAGE ReplyMessage,
                                      PPORT_MESSAGE ReceiveMessage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    if (mode == UserMode &&
        (!NT_SUCCESS(ProbeForWrite(ReceiveMessage, sizeof(PORT_MESSAGE), sizeof(ULONG))) ||
         (PortContext && !NT_SUCCESS(ProbeForWrite(PortContext, sizeof(PVOID), sizeof(ULONG))))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    if (ReplyMessage) status = LpcpReply(port, mode, ReplyMessage);
    if (NT_SUCCESS(status)) status = LpcpReceive(port, mode, PortContext, ReceiveMessage, NULL);
    ObDereferenceObject(port);
    return status;
}

/* Goes back to waiting for the reply to the request a callback interrupted; FALSE if this
 * thread is not in a callback. */
static BOOLEAN LpcpResumeWait(PETHREAD Thread)
{
    KIRQL old = LpcpAcquireLock();
    ULONG id = Thread->LpcSavedMessageId;
    PLPCP_PORT port = Thread->LpcSavedWaitingOnPort;
    Thread->LpcSavedMessageId = 0;
    Thread->LpcSavedWaitingOnPort = NULL;
    BOOLEAN ok = id != 0 && !port->Closed;
    if (ok) LpcpArmReplyWait(Thread, id, port);
    LpcpReleaseLock(old);
    return ok;
}

/* The client's answer to a callback, then the wait for the reply to its own first request, which
 * arrives in ReplyMessage. */
NTSTATUS NTAPI NtReplyWaitReplyPort(HANDLE PortHandle, PPORT_MESSAGE ReplyMessage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    PLPCP_MESSAGE reply = NULL;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(ReplyMessage, sizeof(PORT_MESSAGE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    PETHREAD t = PsGetCurrentThread();
    if (t->LpcSavedMessageId == 0) status = STATUS_INVALID_PARAMETER;      /* not in a callback */
    if (NT_SUCCESS(status)) status = LpcpReply(port, mode, ReplyMessage);
    if (NT_SUCCESS(status)) status = LpcpResumeWait(t) ? LpcpWaitForReply(mode, &reply) : STATUS_PORT_DISCONNECTED;
    ObDereferenceObject(port);
    if (reply) {
        if (NT_SUCCESS(status)) status = LpcpCopyMessageOut(mode, ReplyMessage, reply);
        LpcpFreeMessage(reply);
    }
    return status;
}
