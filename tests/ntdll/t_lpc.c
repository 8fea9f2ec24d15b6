/*
 * t_lpc.c - LPC ports (kernel/lpc) from user mode: a server thread and this thread as client
 * connect with connection data both ways, exchange requests and replies (ids, types, client ids,
 * the server's port context), datagrams, refused connections, size and header checks, replies
 * that match nothing, LPC_PORT_CLOSED when a client closes; and with a second process
 * (lpcchild.c): a server that dies holding a request (the client gets STATUS_PORT_DISCONNECTED)
 * and a client that dies while the server holds its request (the late reply matches nothing).
 */
#define NTEST_NAME "t_lpc"
#include "ntest.h"

typedef struct { PORT_MESSAGE h; UCHAR Data[104]; } MSG;     /* 128 bytes: the port's maximum */

#define PORT_NAME   L"\\BaseNamedObjects\\LpcTest"
#define CONTEXT_OF_CLIENT ((PVOID)0xC11E47)

static HANDLE ServerPort;
static volatile LONG Datagrams, Requests, Closed, Connections, BadContext, HeldReady;
static MSG Held;                            /* a "hold" request the server keeps unanswered */
static HANDLE ServerSection;                /* the section the server shares with a "view" client */
static HANDLE LastComm;                     /* the server's port of the latest connection */
static NTSTATUS CallbackStatus;             /* what the server's callback request got */
static PORT_VIEW ServerViewSeen;            /* what accept said of it */
static REMOTE_PORT_VIEW ClientViewSeen;     /* and of the client's */

static VOID SetData(MSG *M, PCSTR Text, ULONG Length)
{
    RtlZeroMemory(M, sizeof(*M));
    for (ULONG i = 0; i < Length; i++) M->Data[i] = (UCHAR)Text[i];
    M->h.u1.s1.DataLength = (CSHORT)Length;
    M->h.u1.s1.TotalLength = (CSHORT)(sizeof(PORT_MESSAGE) + Length);
}

/* Connection data "no" is refused; anything else accepted with "welcome" back (7 bytes, as much
 * of it as the client's buffer takes). */
static VOID ServeConnection(MSG *M)
{
    HANDLE comm;
    BOOLEAN accept = !(M->h.u1.s1.DataLength == 2 && M->Data[0] == 'n' && M->Data[1] == 'o');
    BOOLEAN views = M->h.u1.s1.DataLength == 4 && memcmp(M->Data, "view", 4) == 0;
    M->h.u1.s1.DataLength = 7;
    M->h.u1.s1.TotalLength = sizeof(PORT_MESSAGE) + 7;
    RtlCopyMemory(M->Data, "welcome", 7);
    RtlZeroMemory(&ServerViewSeen, sizeof(ServerViewSeen));
    ServerViewSeen.Length = sizeof(PORT_VIEW);
    ServerViewSeen.SectionHandle = ServerSection;
    ServerViewSeen.ViewSize = 0x4000;
    ClientViewSeen.Length = 0;
    if (NT_SUCCESS(NtAcceptConnectPort(&comm, CONTEXT_OF_CLIENT, &M->h, accept, views ? &ServerViewSeen : NULL,
                                       views ? &ClientViewSeen : NULL)) && accept) {
        Connections++;                               /* before the client wakes */
        LastComm = comm;
        NtCompleteConnectPort(comm);
    }
}

/* The server loop: each request is answered with its bytes plus one. */
static NTSTATUS NTAPI Server(PVOID Unused)
{
    MSG m, reply;
    PPORT_MESSAGE answer = NULL;
    for (;;) {
        PVOID context = NULL;
        NTSTATUS s = NtReplyWaitReceivePort(ServerPort, &context, answer, &m.h);
        answer = NULL;
        if (!NT_SUCCESS(s)) return s;
        switch (m.h.u2.s2.Type) {
        case LPC_CONNECTION_REQUEST: ServeConnection(&m); break;
        case LPC_DATAGRAM: Datagrams++; break;
        case LPC_PORT_CLOSED: Closed++; if (context != CONTEXT_OF_CLIENT) BadContext++; break;
        case LPC_REQUEST:
            Requests++;
            if (context != CONTEXT_OF_CLIENT) BadContext++;
            reply = m;
            for (LONG i = 0; i < m.h.u1.s1.DataLength; i++) reply.Data[i] = (UCHAR)(m.Data[i] + 1);
            if (m.h.u1.s1.DataLength == 1 && m.Data[0] == 'v') {      /* "look in the client's view" */
                PCHAR theirs = ClientViewSeen.ViewBase, ours = ServerViewSeen.ViewBase;
                for (ULONG i = 0; i < 5; i++) ours[i] = (char)(theirs[i] + 1);
            }
            if (m.h.u1.s1.DataLength == 2 && memcmp(m.Data, "cb", 2) == 0) {
                /* Ask the waiting client something first (a callback), then answer with its answer. */
                MSG question, back;
                SetData(&question, "question?", 9);
                CallbackStatus = NtRequestWaitReplyPort(LastComm, &question.h, &back.h);
                reply = m;
                reply.h.u1.s1.DataLength = back.h.u1.s1.DataLength;
                reply.h.u1.s1.TotalLength = back.h.u1.s1.TotalLength;
                RtlCopyMemory(reply.Data, back.Data, (ULONG)back.h.u1.s1.DataLength);
            }
            if (m.h.u1.s1.DataLength == 4 && memcmp(m.Data, "hold", 4) == 0) {
                Held = reply;                        /* answered later, or never */
                HeldReady = 1;
                break;
            }
            answer = &reply.h;
            break;
        }
    }
}

static NTSTATUS Connect(PHANDLE Port, PCSTR Info, ULONG Length, PULONG Max, char *Back, PULONG BackLength)
{
    UNICODE_STRING name;
    char info[32];
    RtlInitUnicodeString(&name, PORT_NAME);
    RtlCopyMemory(info, Info, Length);
    *BackLength = Length;            /* in: the data sent (and the room for the answer); out: the answer */
    NTSTATUS s = NtConnectPort(Port, &name, NULL, NULL, NULL, Max, info, BackLength);
    RtlCopyMemory(Back, info, sizeof(info));
    return s;
}

static VOID TestConnectAndRequests(HANDLE *Client)
{
    char back[32];
    ULONG backLength, max = 0;
    NTSTATUS s = Connect(Client, "hello...", 8, &max, back, &backLength);
    NtestExpect("connect", NT_SUCCESS(s) && Connections == 1, "NtConnectPort", s);
    NtestExpect("connect.info_back", NT_SUCCESS(s) && backLength == 7 && memcmp(back, "welcome", 7) == 0,
           "the server's connection data", backLength);
    NtestExpect("connect.max_message", max == sizeof(MSG), "MaxMessageLength", max);
    MSG req, rep;
    ULONG good = 0, lastId = 0;
    BOOLEAN idsUnique = TRUE;
    for (ULONG i = 0; i < 100; i++) {
        SetData(&req, "abcdefgh", 8);
        req.Data[0] = (UCHAR)i;
        s = NtRequestWaitReplyPort(*Client, &req.h, &rep.h);
        if (NT_SUCCESS(s) && rep.h.u2.s2.Type == LPC_REPLY && rep.h.u1.s1.DataLength == 8 &&
            rep.Data[0] == (UCHAR)(i + 1) && rep.Data[7] == 'i' &&
            rep.h.ClientId.UniqueThread == NtCurrentTeb()->ClientId.UniqueThread)
            good++;
        if (rep.h.MessageId == lastId) idsUnique = FALSE;
        lastId = rep.h.MessageId;
    }
    NtestExpect("request.replies", good == 100 && Requests == 100, "replies that matched", good);
    NtestExpect("request.message_ids", idsUnique, "a message id repeated", lastId);
    NtestExpect("request.context", BadContext == 0, "the server saw another port context", BadContext);
    SetData(&req, "0123456789", 10);
    req.h.u1.s1.TotalLength = sizeof(MSG) + 8;
    req.h.u1.s1.DataLength = sizeof(MSG) + 8 - sizeof(PORT_MESSAGE);
    s = NtRequestWaitReplyPort(*Client, &req.h, &rep.h);
    NtestExpect("request.too_long", s == STATUS_PORT_MESSAGE_TOO_LONG, "a message over the maximum", s);
    SetData(&req, "0123456789", 10);
    req.h.u1.s1.TotalLength = 12;
    s = NtRequestWaitReplyPort(*Client, &req.h, &rep.h);
    NtestExpect("request.bad_lengths", s == STATUS_INVALID_PARAMETER, "TotalLength below the header", s);
    s = NtRequestWaitReplyPort(*Client, (PPORT_MESSAGE)0x80000000, &rep.h);
    NtestExpect("request.kernel_pointer", s == STATUS_ACCESS_VIOLATION, "a kernel address", s);
    s = NtRequestWaitReplyPort(ServerPort, &req.h, &rep.h);
    NtestExpect("request.on_connection_port", s == STATUS_INVALID_PORT_HANDLE || s == STATUS_INVALID_PARAMETER,
           "a request to a connection port", s);
    SetData(&req, "dgram", 5);
    LONG before = Datagrams;
    s = NtRequestPort(*Client, &req.h);
    SetData(&req, "x", 1);
    NtRequestWaitReplyPort(*Client, &req.h, &rep.h);     /* after it: the datagram was taken */
    NtestExpect("datagram", NT_SUCCESS(s) && Datagrams == before + 1, "NtRequestPort", s);
}

/* A callback: the server asks the waiting client a question before answering; the client answers
 * it with NtReplyWaitReplyPort, which then returns the server's reply to the first request. */
static VOID TestCallback(HANDLE Client)
{
    MSG req, rep;
    SetData(&req, "cb", 2);
    NTSTATUS s = NtRequestWaitReplyPort(Client, &req.h, &rep.h);
    BOOLEAN asked = NT_SUCCESS(s) && rep.h.u2.s2.Type == LPC_REQUEST && rep.h.u1.s1.DataLength == 9 &&
                    memcmp(rep.Data, "question?", 9) == 0;
    NtestExpect("callback.request", asked, "the server's question as the wait's result", s);
    if (!asked) return;
    MSG answer = rep;                            /* same client id and message id: the reply */
    answer.h.u1.s1.DataLength = 6;
    answer.h.u1.s1.TotalLength = sizeof(PORT_MESSAGE) + 6;
    RtlCopyMemory(answer.Data, "answer", 6);
    s = NtReplyWaitReplyPort(Client, &answer.h);
    NtestExpect("callback.final_reply", NT_SUCCESS(s) && CallbackStatus == STATUS_SUCCESS &&
                answer.h.u2.s2.Type == LPC_REPLY && answer.h.u1.s1.DataLength == 6 &&
                memcmp(answer.Data, "answer", 6) == 0, "the reply to the first request", s);
    s = NtReplyWaitReplyPort(Client, &answer.h);
    NtestExpect("callback.not_in_one", s == STATUS_INVALID_PARAMETER, "NtReplyWaitReplyPort outside a callback", s);
}

static VOID TestRefusals(HANDLE Client)
{
    char back[32];
    ULONG backLength;
    HANDLE h;
    NTSTATUS s = Connect(&h, "no", 2, NULL, back, &backLength);
    NtestExpect("connect.refused", s == STATUS_PORT_CONNECTION_REFUSED, "a refused connection", s);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\NoSuchPort");
    s = NtConnectPort(&h, &name, NULL, NULL, NULL, NULL, NULL, NULL);
    NtestExpect("connect.no_such_port", s == STATUS_OBJECT_NAME_NOT_FOUND, "connect to nothing", s);
    HANDLE p2;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\LpcTooBig");
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    s = NtCreatePort(&p2, &oa, 0, PORT_MAXIMUM_MESSAGE_LENGTH + 1, 0);
    NtestExpect("create.message_too_big", s == STATUS_INVALID_PARAMETER_4, "MaxMessageLength over the limit", s);
    MSG fake;
    SetData(&fake, "zz", 2);
    fake.h.ClientId = NtCurrentTeb()->ClientId;
    fake.h.MessageId = 0x7777;
    s = NtReplyPort(ServerPort, &fake.h);
    NtestExpect("reply.mismatch", s == STATUS_REPLY_MESSAGE_MISMATCH, "a reply nobody waits for", s);
    s = NtReplyPort(Client, &fake.h);
    NtestExpect("reply.mismatch_client_side", s == STATUS_REPLY_MESSAGE_MISMATCH, "a reply nobody waits for", s);
}

/* Shared sections both ways: the client's mapped in the server, the server's in the client; data
 * written through one view is read through the other. */
static VOID TestViews(VOID)
{
    HANDLE section, client;
    LARGE_INTEGER size = { .QuadPart = 0x10000 };
    UNICODE_STRING name;
    NTSTATUS s = NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL);
    if (NT_SUCCESS(s)) s = NtCreateSection(&ServerSection, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL);
    if (!NT_SUCCESS(s)) { NtestExpect("views.connect", FALSE, "sections", s); return; }
    PORT_VIEW mine = { sizeof(PORT_VIEW), section, 0, 0x8000, NULL, NULL };
    REMOTE_PORT_VIEW theirs = { 0, 0, NULL };
    char info[8] = "view";
    ULONG infoLength = 4;
    RtlInitUnicodeString(&name, PORT_NAME);
    s = NtConnectPort(&client, &name, NULL, &mine, &theirs, NULL, info, &infoLength);
    NtestExpect("views.connect", NT_SUCCESS(s) && mine.ViewBase && mine.ViewRemoteBase && theirs.ViewBase &&
                mine.ViewSize == 0x8000 && theirs.ViewSize == 0x4000, "NtConnectPort with views", s);
    if (!NT_SUCCESS(s)) return;
    NtestExpect("views.addresses", mine.ViewRemoteBase == ClientViewSeen.ViewBase &&
                theirs.ViewBase == ServerViewSeen.ViewRemoteBase && ClientViewSeen.ViewSize == 0x8000,
                "each side's idea of the other's addresses", (ULONG)mine.ViewRemoteBase);
    RtlCopyMemory(mine.ViewBase, "ABCDE", 5);
    MSG req, rep;
    SetData(&req, "v", 1);
    s = NtRequestWaitReplyPort(client, &req.h, &rep.h);
    NtestExpect("views.data", NT_SUCCESS(s) && memcmp(theirs.ViewBase, "BCDEF", 5) == 0,
                "data through the two views", s);
    LONG closedBefore = Closed;
    NtClose(client);
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    for (ULONG i = 0; i < 100 && Closed == closedBefore; i++) NtDelayExecution(FALSE, &pause);
    NtClose(section);
    NtClose(ServerSection);
    PORT_VIEW bad = { sizeof(PORT_VIEW), (HANDLE)0x1234, 0, 0x1000, NULL, NULL };
    s = NtConnectPort(&client, &name, NULL, &bad, NULL, NULL, NULL, NULL);
    NtestExpect("views.bad_section", s == STATUS_INVALID_HANDLE, "a view of no section", s);
}

static NTSTATUS Spawn(PCWSTR CommandLine, PRTL_USER_PROCESS_INFORMATION Info)
{
    return NtestStartProcess(L"\\??\\C:\\Tests\\lpcchild.exe", CommandLine, NULL, Info);
}

/* The server process ends while this thread waits for its reply. */
static VOID TestServerDies(VOID)
{
    RTL_USER_PROCESS_INFORMATION info;
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    UNICODE_STRING name;
    HANDLE port = NULL;
    NTSTATUS s = Spawn(L"lpcchild.exe server", &info);
    if (!NT_SUCCESS(s)) { NtestExpect("server_dies", FALSE, "start lpcchild server", s); return; }
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\LpcDying");
    for (ULONG i = 0; i < 100; i++) {                   /* until the child has made its port */
        s = NtConnectPort(&port, &name, NULL, NULL, NULL, NULL, NULL, NULL);
        if (s != STATUS_OBJECT_NAME_NOT_FOUND) break;
        NtDelayExecution(FALSE, &pause);
    }
    MSG req, rep;
    SetData(&req, "ping", 4);
    if (NT_SUCCESS(s)) s = NtRequestWaitReplyPort(port, &req.h, &rep.h);
    NtestExpect("server_dies", s == STATUS_PORT_DISCONNECTED, "a request the dead server held", s);
    s = NtRequestWaitReplyPort(port, &req.h, &rep.h);
    NtestExpect("server_dies.later_request", s == STATUS_PORT_DISCONNECTED, "a request to a dead server", s);
    if (port) NtClose(port);
    NtestFinishProcess(&info);
}

/* A client process dies while the server holds its request: the reply that comes too late
 * matches nothing (and blocks nothing), and the server hears LPC_PORT_CLOSED. */
static VOID TestClientDies(VOID)
{
    RTL_USER_PROCESS_INFORMATION info;
    LONG closedBefore = Closed;
    HeldReady = 0;
    NTSTATUS s = Spawn(L"lpcchild.exe client", &info);
    if (!NT_SUCCESS(s)) { NtestExpect("client_dies", FALSE, "start lpcchild client", s); return; }
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    for (ULONG i = 0; i < 200 && !HeldReady; i++) NtDelayExecution(FALSE, &pause);
    NtTerminateProcess(info.Process, 0xDEAD);
    NTSTATUS end = NtestFinishProcess(&info);
    NtestExpect("client_dies.killed_while_waiting", HeldReady && end == 0xDEAD, "the client's end", end);
    s = NtReplyPort(ServerPort, &Held.h);
    NtestExpect("client_dies.late_reply", s == STATUS_REPLY_MESSAGE_MISMATCH, "a reply to a dead client", s);
    for (ULONG i = 0; i < 100 && Closed == closedBefore; i++) NtDelayExecution(FALSE, &pause);
    NtestExpect("client_dies.port_closed", Closed == closedBefore + 1, "LPC_PORT_CLOSED for the dead client",
           (ULONG)Closed);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE client, server;
    UNREFERENCED_PARAMETER(Peb);
    RtlInitUnicodeString(&name, PORT_NAME);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS s = NtCreatePort(&ServerPort, &oa, 32, sizeof(MSG), 0);
    NtestExpect("create", NT_SUCCESS(s), "NtCreatePort", s);
    if (!NT_SUCCESS(s)) return s;
    s = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Server, NULL, &server, NULL);
    if (!NT_SUCCESS(s)) return s;
    TestConnectAndRequests(&client);
    TestCallback(client);
    TestRefusals(client);
    TestViews();
    LONG closedBefore = Closed;
    NtClose(client);
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    for (ULONG i = 0; i < 100 && Closed == closedBefore; i++) NtDelayExecution(FALSE, &pause);
    NtestExpect("close.port_closed", Closed == closedBefore + 1 && BadContext == 0, "LPC_PORT_CLOSED with context",
           (ULONG)Closed);
    TestClientDies();
    TestServerDies();
    NtClose(ServerPort);                                 /* the server thread's receive ends */
    s = NtWaitForSingleObject(server, FALSE, NULL);
    THREAD_BASIC_INFORMATION tbi;
    NtQueryInformationThread(server, ThreadBasicInformation, &tbi, sizeof(tbi), NULL);
    NtestExpect("close.server_woken", tbi.ExitStatus == STATUS_PORT_DISCONNECTED || tbi.ExitStatus == STATUS_INVALID_HANDLE,
           "the server thread's receive after the close", tbi.ExitStatus);
    NtClose(server);
    return NtestResult();
}
