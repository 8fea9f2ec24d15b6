/*
 * lpctest.c - self-tests of LPC (kernel/lpc) from kernel mode, where the kernel can count what
 * LPC holds: a server thread accepts a client, answers its requests and hears it close; a refused
 * client; a client woken with STATUS_PORT_DISCONNECTED when the server's port goes while it waits.
 * After each, every message is freed and every port object gone. (User-mode behaviour, with
 * processes that die, is tests/ntdll/t_lpc.c.)
 */
#include "lpc.h"
#include "ps.h"
#include "ob.h"
#include "ex.h"
#include "kd.h"
#include "rtl.h"
#include "ntstatus.h"
#include "boottest.h"

typedef struct { PORT_MESSAGE h; UCHAR Data[40]; } TST_MSG;

#define TST_PORT_NAME u"\\BaseNamedObjects\\LpcSelfTest"

static HANDLE TstPort;
static volatile LONG TstServed, TstClosedSeen;
static volatile BOOLEAN TstHoldRequests;

static VOID TstSetData(TST_MSG *M, UCHAR Byte, ULONG Length)
{
    RtlZeroMemory(M, sizeof(*M));
    RtlFillMemory(M->Data, Length, Byte);
    M->h.u1.s1.DataLength = (CSHORT)Length;
    M->h.u1.s1.TotalLength = (CSHORT)(sizeof(PORT_MESSAGE) + Length);
}

/* Accepts everyone but a client whose connection data starts with 'N'; answers requests with
 * their first byte plus one (or holds them, TstHoldRequests); ends when its port goes away,
 * closing the communication ports it made, as a dying server process would. */
static VOID TstServer(PVOID Unused)
{
    TST_MSG m;
    PPORT_MESSAGE reply = NULL;
    HANDLE comm, ports[4];
    ULONG count = 0;
    for (;;) {
        NTSTATUS s = ZwReplyWaitReceivePort(TstPort, NULL, reply, &m.h);
        reply = NULL;
        if (!NT_SUCCESS(s)) break;
        if (m.h.u2.s2.Type == LPC_CONNECTION_REQUEST) {
            BOOLEAN accept = !(m.h.u1.s1.DataLength > 0 && m.Data[0] == 'N');
            if (NT_SUCCESS(ZwAcceptConnectPort(&comm, (PVOID)0x5E1F, &m.h, accept, NULL, NULL)) && accept) {
                ZwCompleteConnectPort(comm);
                if (count < ARRAYSIZE(ports)) ports[count++] = comm;
            }
        } else if (m.h.u2.s2.Type == LPC_REQUEST && !TstHoldRequests) {
            m.Data[0]++;
            TstServed++;
            reply = &m.h;
        } else if (m.h.u2.s2.Type == LPC_PORT_CLOSED) {
            TstClosedSeen++;
        }
    }
    while (count) ZwClose(ports[--count]);
}

static NTSTATUS TstStartServer(PHANDLE Thread)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, TST_PORT_NAME);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS s = ZwCreatePort(&TstPort, &oa, 16, sizeof(TST_MSG), 0);
    if (NT_SUCCESS(s)) s = PsCreateSystemThread(Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstServer, NULL);
    return s;
}

static NTSTATUS TstConnect(PHANDLE Client, UCHAR Info)
{
    UNICODE_STRING name;
    UCHAR info[4] = { Info, 0, 0, 0 };
    ULONG length = sizeof(info);
    RtlInitUnicodeString(&name, TST_PORT_NAME);
    return ZwConnectPort(Client, &name, NULL, NULL, NULL, NULL, info, &length);
}

/* Lets the reaper free the stacks of the threads a test ended, so that the tests after it
 * (which count free pages) find the memory as it was. */
static VOID TstSettle(VOID)
{
    LARGE_INTEGER settle = { .QuadPart = -200000 };
    KeDelayExecutionThread(KernelMode, FALSE, &settle);
}

/* Closes the port and waits for the server thread to see it. */
static VOID TstStopServer(HANDLE Thread)
{
    ZwClose(TstPort);
    ZwWaitForSingleObject(Thread, FALSE, NULL);
    ZwClose(Thread);
    TstSettle();
}

static PCSTR TestLpcRoundTrips(void)
{
    ULONG messages = LpcOutstandingMessages(), ports = LpcPortObjectType->TotalNumberOfObjects;
    HANDLE thread, client;
    TST_MSG req, rep;
    TstServed = TstClosedSeen = 0;
    TstHoldRequests = FALSE;
    CHECK(NT_SUCCESS(TstStartServer(&thread)), "port and server thread");
    CHECK(NT_SUCCESS(TstConnect(&client, 'Y')), "connect");
    for (ULONG i = 0; i < 50; i++) {
        TstSetData(&req, (UCHAR)i, 20);
        NTSTATUS s = ZwRequestWaitReplyPort(client, &req.h, &rep.h);
        CHECK(NT_SUCCESS(s) && rep.Data[0] == (UCHAR)(i + 1) && rep.h.u2.s2.Type == LPC_REPLY, "a reply");
    }
    TstSetData(&req, 1, 4);
    CHECK(NT_SUCCESS(ZwRequestPort(client, &req.h)), "a datagram");
    ZwClose(client);
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    for (ULONG i = 0; i < 100 && !TstClosedSeen; i++) KeDelayExecutionThread(KernelMode, FALSE, &pause);
    CHECK(TstClosedSeen == 1 && TstServed == 50, "the server heard every request and the close");
    TstStopServer(thread);
    CHECK(LpcOutstandingMessages() == messages, "every message freed");
    CHECK(LpcPortObjectType->TotalNumberOfObjects == ports, "every port object gone");
    return NULL;
}

static PCSTR TestLpcRefused(void)
{
    ULONG messages = LpcOutstandingMessages(), ports = LpcPortObjectType->TotalNumberOfObjects;
    HANDLE thread, client;
    CHECK(NT_SUCCESS(TstStartServer(&thread)), "port and server thread");
    CHECK(TstConnect(&client, 'N') == STATUS_PORT_CONNECTION_REFUSED, "a refused connection");
    TstStopServer(thread);
    CHECK(TstConnect(&client, 'Y') == STATUS_OBJECT_NAME_NOT_FOUND, "the name goes with the port");
    CHECK(LpcOutstandingMessages() == messages && LpcPortObjectType->TotalNumberOfObjects == ports,
          "nothing left after a refusal");
    return NULL;
}

/* A client thread waits for a reply the server never sends; the server's port then closes. */
static NTSTATUS TstWaiterStatus;
static HANDLE TstWaiterPort;

static VOID TstWaiter(PVOID Unused)
{
    TST_MSG req, rep;
    TstSetData(&req, 7, 8);
    TstWaiterStatus = ZwRequestWaitReplyPort(TstWaiterPort, &req.h, &rep.h);
}

static PCSTR TestLpcDisconnect(void)
{
    ULONG messages = LpcOutstandingMessages(), ports = LpcPortObjectType->TotalNumberOfObjects;
    HANDLE thread, waiter;
    TstHoldRequests = TRUE;
    TstWaiterStatus = STATUS_PENDING;
    CHECK(NT_SUCCESS(TstStartServer(&thread)), "port and server thread");
    CHECK(NT_SUCCESS(TstConnect(&TstWaiterPort, 'Y')), "connect");
    CHECK(NT_SUCCESS(PsCreateSystemThread(&waiter, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstWaiter, NULL)),
          "waiter thread");
    LARGE_INTEGER pause = { .QuadPart = -200000 };
    KeDelayExecutionThread(KernelMode, FALSE, &pause);
    CHECK(TstWaiterStatus == STATUS_PENDING, "the request is held");
    TstStopServer(thread);          /* the server ends and closes its ports: the waiter wakes */
    TstHoldRequests = FALSE;
    ZwWaitForSingleObject(waiter, FALSE, NULL);
    ZwClose(waiter);
    TstSettle();
    CHECK(TstWaiterStatus == STATUS_PORT_DISCONNECTED, "the waiter was told the port is gone");
    ZwClose(TstWaiterPort);
    CHECK(LpcOutstandingMessages() == messages, "every message freed");
    CHECK(LpcPortObjectType->TotalNumberOfObjects == ports, "every port object gone");
    return NULL;
}

SELFTEST("lpc.round_trips", TestLpcRoundTrips);
SELFTEST("lpc.refused", TestLpcRefused);
SELFTEST("lpc.disconnect", TestLpcDisconnect);
