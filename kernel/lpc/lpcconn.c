/*
 * lpcconn.c - making a connection: NtConnectPort (client), NtListenPort, NtAcceptConnectPort and
 * NtCompleteConnectPort (server). The client's connection request carries its connection data to
 * the server and comes back with the server's; the client sleeps from the request until the
 * server completes (or refuses) it, or the server's port goes away.
 */
#include "lpcp.h"

/* The client's half: its port, its request, its wait. */
static NTSTATUS LpcpRequestConnection(PLPCP_PORT Server, KPROCESSOR_MODE Mode, PVOID Info, ULONG InfoLength,
                                      PPORT_VIEW ClientView, PLPCP_PORT *Client, PLPCP_MESSAGE *Answer)
{
    PETHREAD t = PsGetCurrentThread();
    PLPCP_MESSAGE m = LpcpAllocateMessage();
    if (m == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = ExCopyIn(Mode, &m->Request + 1, Info, InfoLength);
    PLPCP_PORT c = NULL;
    if (NT_SUCCESS(status)) status = LpcpCreatePortObject(Mode, NULL, LPCP_CLIENT_PORT, &c);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return status;
    }
    ObReferenceObject(Server);
    c->ConnectionPort = Server;
    c->MaxMessageLength = Server->MaxMessageLength;
    c->OwnerProcess = PsGetCurrentProcess();
    ObReferenceObject(c->OwnerProcess);
    ObReferenceObject(c);
    m->ClientPort = c;
    if (ClientView) status = LpcpMapClientView(c, Mode, ClientView, m);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        ObDereferenceObject(c);
        return status;
    }
    m->Request.u1.s1.DataLength = (CSHORT)InfoLength;
    m->Request.u1.s1.TotalLength = (CSHORT)(sizeof(PORT_MESSAGE) + InfoLength);
    m->Request.u2.s2.Type = LPC_CONNECTION_REQUEST;
    m->Request.ClientId = t->Cid;
    m->Request.MessageId = LpcpNextMessageId();
    ObReferenceObject(t);
    m->ConnectingThread = t;
    KIRQL old = LpcpAcquireLock();
    status = Server->Closed ? STATUS_PORT_CONNECTION_REFUSED : STATUS_SUCCESS;
    if (NT_SUCCESS(status)) {
        LpcpArmReplyWait(t, m->Request.MessageId, NULL);
        LpcpQueueMessage(Server, m);
    }
    LpcpReleaseLock(old);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        ObDereferenceObject(c);
        return status;
    }
    /* From here the message belongs to the server side; an answer hands it back. */
    status = LpcpWaitForReply(Mode, Answer);
    if (NT_SUCCESS(status)) *Client = c;
    else ObDereferenceObject(c);
    return status;
}

/* The addresses the client learns: where its section is in the server, where the server's is. */
static NTSTATUS LpcpReturnViews(KPROCESSOR_MODE Mode, const LPCP_VIEWS *Views, PPORT_VIEW ClientView,
                                PREMOTE_PORT_VIEW ServerView)
{
    NTSTATUS status = STATUS_SUCCESS;
    if (ClientView) {
        PVOID bases[2] = { Views->ClientViewBase, Views->ClientViewRemoteBase };
        status = ExCopyOut(Mode, &ClientView->ViewBase, bases, sizeof(bases));
        if (NT_SUCCESS(status)) status = ExCopyOut(Mode, &ClientView->ViewSize, &Views->ClientViewSize, sizeof(SIZE_T));
    }
    if (NT_SUCCESS(status) && ServerView) {
        REMOTE_PORT_VIEW v = { sizeof(REMOTE_PORT_VIEW), Views->ServerViewSize, Views->ServerViewRemoteBase };
        status = ExCopyOut(Mode, ServerView, &v, sizeof(v));
    }
    return status;
}

NTSTATUS NTAPI NtConnectPort(PHANDLE PortHandle, PUNICODE_STRING PortName, PVOID SecurityQos, PPORT_VIEW ClientView,
                             PREMOTE_PORT_VIEW ServerView, PULONG MaxMessageLength, PVOID ConnectionInformation,
                             PULONG ConnectionInformationLength)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    ULONG capacity = 0;
    UNREFERENCED_PARAMETER(SecurityQos);
    if (mode == UserMode &&
        (!NT_SUCCESS(ProbeForWrite(PortHandle, sizeof(HANDLE), sizeof(ULONG))) ||
         (MaxMessageLength && !NT_SUCCESS(ProbeForWrite(MaxMessageLength, sizeof(ULONG), sizeof(ULONG))))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ConnectionInformationLength
        ? ExCopyIn(mode, &capacity, ConnectionInformationLength, sizeof(ULONG)) : STATUS_SUCCESS;
    if (!NT_SUCCESS(status)) return status;
    if (capacity && ConnectionInformation == NULL) return STATUS_INVALID_PARAMETER;
    PLPCP_PORT server;
    status = ObReferenceObjectByName(PortName, OBJ_CASE_INSENSITIVE, NULL, PORT_CONNECT, LpcPortObjectType, mode,
                                     NULL, (PVOID *)&server);
    if (!NT_SUCCESS(status)) return status;
    if (server->Kind != LPCP_CONNECTION_PORT) {
        ObDereferenceObject(server);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    ULONG sent = capacity < server->MaxConnectionInfoLength ? capacity : server->MaxConnectionInfoLength;
    PLPCP_PORT client = NULL;
    PLPCP_MESSAGE answer = NULL;
    status = LpcpRequestConnection(server, mode, ConnectionInformation, sent, ClientView, &client, &answer);
    ULONG max = server->MaxMessageLength;
    ObDereferenceObject(server);
    if (NT_SUCCESS(status)) {
        ULONG back = (ULONG)answer->Request.u1.s1.DataLength;
        if (back > capacity) back = capacity;
        if (back) status = ExCopyOut(mode, ConnectionInformation, &answer->Request + 1, back);
        if (NT_SUCCESS(status) && ConnectionInformationLength)
            status = ExCopyOut(mode, ConnectionInformationLength, &back, sizeof(back));
        if (NT_SUCCESS(status) && MaxMessageLength) status = ExCopyOut(mode, MaxMessageLength, &max, sizeof(max));
        if (NT_SUCCESS(status)) status = LpcpReturnViews(mode, &answer->Views, ClientView, ServerView);
        HANDLE h;
        if (NT_SUCCESS(status)) status = ObInsertObject(client, NULL, PORT_ALL_ACCESS, 0, NULL, &h);
        else ObDereferenceObject(client);
        if (NT_SUCCESS(status)) status = ExReturnHandle(mode, PortHandle, h, status);
    }
    if (answer) LpcpFreeMessage(answer);
    return status;
}

NTSTATUS NTAPI NtListenPort(HANDLE PortHandle, PPORT_MESSAGE ConnectionRequest)
{
    PLPCP_PORT port;
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    NTSTATUS status = LpcpReferencePort(PortHandle, mode, &port);
    if (!NT_SUCCESS(status)) return status;
    if (port->Kind != LPCP_CONNECTION_PORT) status = STATUS_INVALID_PORT_HANDLE;
    CSHORT type = 0;
    while (NT_SUCCESS(status) && type != LPC_CONNECTION_REQUEST)   /* anything else is dropped */
        status = LpcpReceive(port, mode, NULL, ConnectionRequest, &type);
    ObDereferenceObject(port);
    return status;
}

/* The received request the server answers: by message id and client thread. */
static PLPCP_MESSAGE LpcpTakePendingConnection(const PORT_MESSAGE *Answer)
{
    PLPCP_MESSAGE found = NULL;
    KIRQL old = LpcpAcquireLock();
    for (PLIST_ENTRY e = LpcpPendingConnections.Flink; e != &LpcpPendingConnections; e = e->Flink) {
        PLPCP_MESSAGE m = CONTAINING_RECORD(e, LPCP_MESSAGE, Entry);
        if (m->Request.MessageId == Answer->MessageId &&
            m->Request.ClientId.UniqueThread == Answer->ClientId.UniqueThread) {
            RemoveEntryList(e);
            found = m;
            break;
        }
    }
    LpcpReleaseLock(old);
    return found;
}

/* Links the new server port to the waiting client; FALSE if the client gave up meanwhile. */
static BOOLEAN LpcpLinkConnection(PLPCP_PORT Server, PLPCP_MESSAGE Request)
{
    PLPCP_PORT client = Request->ClientPort;
    KIRQL old = LpcpAcquireLock();
    BOOLEAN ok = Request->ConnectingThread->LpcReplyMessageId == Request->Request.MessageId && !client->Closed &&
                 !client->ConnectionPort->Closed;
    if (ok) {
        client->ConnectedPort = Server;
        Server->ConnectedPort = client;
        Server->ConnectMessage = Request;
    }
    LpcpReleaseLock(old);
    return ok;
}

static VOID LpcpRefuse(PLPCP_MESSAGE Request)
{
    KIRQL old = LpcpAcquireLock();
    if (Request->ConnectingThread->LpcReplyMessageId == Request->Request.MessageId)
        LpcpWakeWaiter(Request->ConnectingThread, STATUS_PORT_CONNECTION_REFUSED, NULL);
    LpcpReleaseLock(old);
    LpcpFreeMessage(Request);
}

NTSTATUS NTAPI NtAcceptConnectPort(PHANDLE PortHandle, PVOID PortContext, PPORT_MESSAGE ConnectionRequest,
                                   BOOLEAN AcceptConnection, PPORT_VIEW ServerView, PREMOTE_PORT_VIEW ClientView)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    if (AcceptConnection && mode == UserMode && !NT_SUCCESS(ProbeForWrite(PortHandle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    PLPCP_MESSAGE answer = LpcpAllocateMessage();
    if (answer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = LpcpCaptureMessage(mode, ConnectionRequest, sizeof(PORT_MESSAGE) + LPCP_MAX_DATA, answer);
    PLPCP_MESSAGE request = NT_SUCCESS(status) ? LpcpTakePendingConnection(&answer->Request) : NULL;
    if (NT_SUCCESS(status) && request == NULL) status = STATUS_REPLY_MESSAGE_MISMATCH;
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(answer);
        return status;
    }
    /* The server's connection data goes back to the client in its own request. */
    PLPCP_PORT connection = request->ClientPort->ConnectionPort;
    ULONG length = (ULONG)answer->Request.u1.s1.DataLength;
    if (length > connection->MaxConnectionInfoLength) length = connection->MaxConnectionInfoLength;
    RtlCopyMemory(&request->Request + 1, &answer->Request + 1, length);
    request->Request.u1.s1.DataLength = (CSHORT)length;
    request->Request.u1.s1.TotalLength = (CSHORT)(sizeof(PORT_MESSAGE) + length);
    LpcpFreeMessage(answer);
    if (!AcceptConnection) {
        LpcpRefuse(request);
        return STATUS_SUCCESS;
    }
    PLPCP_PORT server;
    status = LpcpCreatePortObject(mode, NULL, LPCP_SERVER_PORT, &server);
    if (!NT_SUCCESS(status)) {
        LpcpRefuse(request);
        return status;
    }
    ObReferenceObject(connection);
    server->ConnectionPort = connection;
    server->PortContext = PortContext;
    server->MaxMessageLength = connection->MaxMessageLength;
    status = LpcpMapServerViews(server, mode, request, ServerView, ClientView);
    if (!NT_SUCCESS(status)) {
        LpcpRefuse(request);
        ObDereferenceObject(server);
        return status;
    }
    if (!LpcpLinkConnection(server, request)) {
        LpcpFreeMessage(request);
        ObDereferenceObject(server);
        return STATUS_PORT_DISCONNECTED;
    }
    HANDLE h;
    status = ObInsertObject(server, NULL, PORT_ALL_ACCESS, 0, NULL, &h);   /* failure: deleted, refused */
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, PortHandle, h, status);
}

NTSTATUS NTAPI NtCompleteConnectPort(HANDLE PortHandle)
{
    PLPCP_PORT port;
    NTSTATUS status = LpcpReferencePort(PortHandle, ExGetPreviousMode(), &port);
    if (!NT_SUCCESS(status)) return status;
    PLPCP_MESSAGE request = NULL;
    KIRQL old = LpcpAcquireLock();
    if (port->Kind != LPCP_SERVER_PORT) status = STATUS_INVALID_PORT_HANDLE;
    else if ((request = port->ConnectMessage) == NULL) status = STATUS_INVALID_PARAMETER;   /* done already */
    else {
        port->ConnectMessage = NULL;
        PETHREAD client = request->ConnectingThread;
        if (client->LpcReplyMessageId == request->Request.MessageId && port->ConnectedPort) {
            LpcpWakeWaiter(client, STATUS_SUCCESS, request);       /* the client frees it */
            request = NULL;
        } else {
            status = STATUS_PORT_DISCONNECTED;
        }
    }
    LpcpReleaseLock(old);
    if (request) LpcpFreeMessage(request);
    ObDereferenceObject(port);
    return status;
}
