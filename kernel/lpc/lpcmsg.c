/*
 * lpcmsg.c - LPC messages: capture from the caller (header checked: lengths consistent and within
 * the port's maximum), copy out, queueing at the port that receives them, message ids, waking a
 * thread that waits for a reply, and disconnecting a port whose last handle closed. Messages come
 * from a lookaside list: every request and reply needs one, and NT keeps a zone for the same.
 */
#include "lpcp.h"

static ULONG LpcpMessageId;
static NPAGED_LOOKASIDE_LIST LpcpMessageLookaside;
static LONG LpcpMessagesOut;                        /* allocated, not yet freed */

ULONG LpcOutstandingMessages(VOID)
{
    return (ULONG)LpcpMessagesOut;
}

VOID LpcpInitializeMessages(VOID)
{
    ExInitializeNPagedLookasideList(&LpcpMessageLookaside, NULL, NULL, 0, LPCP_MESSAGE_BYTES, LPCP_TAG, 0);
}

static ULONG LpcpNextMessageIdLocked(VOID)
{
    if (++LpcpMessageId == 0) LpcpMessageId = 1;        /* 0 means "no reply awaited" */
    return LpcpMessageId;
}

ULONG LpcpNextMessageId(VOID)
{
    KIRQL old = LpcpAcquireLock();
    ULONG id = LpcpNextMessageIdLocked();
    LpcpReleaseLock(old);
    return id;
}

PLPCP_MESSAGE LpcpAllocateMessage(VOID)
{
    PLPCP_MESSAGE m = ExAllocateFromNPagedLookasideList(&LpcpMessageLookaside);
    if (m) {
        RtlZeroMemory(m, sizeof(*m));
        __atomic_add_fetch(&LpcpMessagesOut, 1, __ATOMIC_RELAXED);
    }
    return m;
}

VOID LpcpFreeMessage(PLPCP_MESSAGE Message)
{
    if (Message->ClientPort) ObDereferenceObject(Message->ClientPort);
    if (Message->ClientSection) ObDereferenceObject(Message->ClientSection);
    if (Message->ConnectingThread) ObDereferenceObject(Message->ConnectingThread);
    __atomic_sub_fetch(&LpcpMessagesOut, 1, __ATOMIC_RELAXED);
    ExFreeToNPagedLookasideList(&LpcpMessageLookaside, Message);
}

VOID LpcpFreeMessages(PLIST_ENTRY FreeList)
{
    while (!IsListEmpty(FreeList)) {
        PLIST_ENTRY e = FreeList->Flink;
        RemoveEntryList(e);
        LpcpFreeMessage(CONTAINING_RECORD(e, LPCP_MESSAGE, Entry));
    }
}

/* The header first, then exactly DataLength bytes. TotalLength must be the header plus the data
 * and at most MaxLength (STATUS_PORT_MESSAGE_TOO_LONG otherwise). */
NTSTATUS LpcpCaptureMessage(KPROCESSOR_MODE Mode, PPORT_MESSAGE User, ULONG MaxLength, PLPCP_MESSAGE Message)
{
    PORT_MESSAGE h;
    NTSTATUS status = ExCopyIn(Mode, &h, User, sizeof(h));
    if (!NT_SUCCESS(status)) return status;
    if (h.u1.s1.DataLength < 0 || h.u1.s1.TotalLength < (CSHORT)sizeof(PORT_MESSAGE) ||
        (ULONG)h.u1.s1.DataLength + sizeof(PORT_MESSAGE) > (ULONG)h.u1.s1.TotalLength)
        return STATUS_INVALID_PARAMETER;
    if ((ULONG)h.u1.s1.TotalLength > MaxLength) return STATUS_PORT_MESSAGE_TOO_LONG;
    Message->Request = h;
    Message->Request.u1.s1.TotalLength = (CSHORT)(sizeof(PORT_MESSAGE) + h.u1.s1.DataLength);
    return ExCopyIn(Mode, &Message->Request + 1, User + 1, (ULONG)h.u1.s1.DataLength);
}

NTSTATUS LpcpCopyMessageOut(KPROCESSOR_MODE Mode, PPORT_MESSAGE User, const LPCP_MESSAGE *Message)
{
    return ExCopyOut(Mode, User, &Message->Request, sizeof(PORT_MESSAGE) + (ULONG)Message->Request.u1.s1.DataLength);
}

/* Where messages sent to Port wait: a connection port and its server ports share the connection
 * port's queue (one receive loop serves every client); a client port has its own. */
PLPCP_PORT LpcpReceivePort(PLPCP_PORT Port)
{
    return Port->Kind == LPCP_SERVER_PORT ? Port->ConnectionPort : Port;
}

VOID LpcpQueueMessage(PLPCP_PORT Port, PLPCP_MESSAGE Message)
{
    InsertTailList(&Port->Queue, &Message->Entry);
    KeReleaseSemaphore(&Port->Semaphore, 1, 1, FALSE, NULL);
}

VOID LpcpWakeWaiter(PETHREAD Thread, NTSTATUS Status, PLPCP_MESSAGE Reply)
{
    Thread->LpcReplyMessageId = 0;
    Thread->LpcReplyStatus = Status;
    Thread->LpcReplyMessage = Reply;
    Thread->LpcWaitingOnPort = NULL;
    RemoveEntryList(&Thread->LpcReplyChain);
    InitializeListHead(&Thread->LpcReplyChain);
    KeSetEvent(&Thread->LpcReplyEvent, 1, FALSE);
}

/* Connection requests still queued or received-but-not-accepted are refused. */
static VOID LpcpRefuseConnections(PLPCP_PORT Port, PLIST_ENTRY List, PLIST_ENTRY FreeList)
{
    for (PLIST_ENTRY e = List->Flink, next; e != List; e = next) {
        next = e->Flink;
        PLPCP_MESSAGE m = CONTAINING_RECORD(e, LPCP_MESSAGE, Entry);
        if (m->Request.u2.s2.Type != LPC_CONNECTION_REQUEST || m->ClientPort->ConnectionPort != Port) {
            if (List == &Port->Queue) { RemoveEntryList(e); InsertTailList(FreeList, e); }
            continue;
        }
        RemoveEntryList(e);
        if (m->ConnectingThread->LpcReplyMessageId == m->Request.MessageId) {
            LpcpWakeWaiter(m->ConnectingThread, STATUS_PORT_CONNECTION_REFUSED, NULL);
        }
        InsertTailList(FreeList, e);
    }
}

/* A client port's owner has gone: the server hears LPC_PORT_CLOSED with the client's context. */
static VOID LpcpTellServer(PLPCP_PORT Server)
{
    PLPCP_PORT receive = LpcpReceivePort(Server);
    if (receive == NULL || receive->Closed) return;
    PLPCP_MESSAGE m = LpcpAllocateMessage();
    if (m == NULL) return;                          /* the server just misses the notice */
    m->PortContext = Server->PortContext;
    m->Request.u1.s1.TotalLength = sizeof(PORT_MESSAGE);
    m->Request.u2.s2.Type = LPC_PORT_CLOSED;
    m->Request.MessageId = LpcpNextMessageIdLocked();
    LpcpQueueMessage(receive, m);
}

VOID LpcpDisconnect(PLPCP_PORT Port, PLIST_ENTRY FreeList)
{
    if (Port->Closed) return;
    Port->Closed = TRUE;
    while (!IsListEmpty(&Port->ReplyChain)) {       /* threads waiting for this end's replies */
        PETHREAD t = CONTAINING_RECORD(Port->ReplyChain.Flink, ETHREAD, LpcReplyChain);
        LpcpWakeWaiter(t, STATUS_PORT_DISCONNECTED, NULL);
    }
    PLPCP_PORT other = Port->ConnectedPort;
    if (other) {
        other->ConnectedPort = NULL;
        Port->ConnectedPort = NULL;
        if (Port->Kind == LPCP_CLIENT_PORT) LpcpTellServer(other);
        while (!IsListEmpty(&other->ReplyChain)) {  /* and those waiting on the other end for us */
            PETHREAD t = CONTAINING_RECORD(other->ReplyChain.Flink, ETHREAD, LpcReplyChain);
            LpcpWakeWaiter(t, STATUS_PORT_DISCONNECTED, NULL);
        }
    }
    if (Port->ConnectMessage) {                     /* accepted, never completed */
        PETHREAD client = Port->ConnectMessage->ConnectingThread;
        if (client->LpcReplyMessageId == Port->ConnectMessage->Request.MessageId)
            LpcpWakeWaiter(client, STATUS_PORT_CONNECTION_REFUSED, NULL);
        InsertTailList(FreeList, &Port->ConnectMessage->Entry);
        Port->ConnectMessage = NULL;
    }
    if (Port->Kind == LPCP_CONNECTION_PORT) {
        LpcpRefuseConnections(Port, &Port->Queue, FreeList);
        LpcpRefuseConnections(Port, &LpcpPendingConnections, FreeList);
        KeReleaseSemaphore(&Port->Semaphore, 1, 1000, FALSE, NULL);   /* wake the receivers: nothing comes */
    } else if (Port->Kind == LPCP_CLIENT_PORT) {
        while (!IsListEmpty(&Port->Queue)) {
            PLIST_ENTRY e = Port->Queue.Flink;
            RemoveEntryList(e);
            InsertTailList(FreeList, e);
        }
        KeReleaseSemaphore(&Port->Semaphore, 1, 1000, FALSE, NULL);
    }
}
