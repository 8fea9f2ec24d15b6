/*
 * lpcchild.c - the other process of t_lpc.c's tests, chosen by the last word of its command line:
 *   server  creates \BaseNamedObjects\LpcDying, accepts one client, takes one request and ends
 *           without replying (the client must get STATUS_PORT_DISCONNECTED)
 *   client  connects to \BaseNamedObjects\LpcTest and sends a "hold" request, which the server
 *           keeps without replying until t_lpc.c has killed this process: the late reply must
 *           then match nothing
 */
#include "ntndk.h"

typedef struct { PORT_MESSAGE h; UCHAR Data[64]; } MSG;

static BOOLEAN EndsWith(PCUNICODE_STRING s, PCWSTR word)
{
    ULONG n = 0;
    while (word[n]) n++;
    ULONG len = s->Length / sizeof(WCHAR);
    if (len < n) return FALSE;
    for (ULONG i = 0; i < n; i++) if (s->Buffer[len - n + i] != word[i]) return FALSE;
    return TRUE;
}

static NTSTATUS Server(VOID)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE port, comm;
    MSG m;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\LpcDying");
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS s = NtCreatePort(&port, &oa, 0, sizeof(MSG), 0);
    if (!NT_SUCCESS(s)) return s;
    s = NtListenPort(port, &m.h);
    if (NT_SUCCESS(s)) s = NtAcceptConnectPort(&comm, NULL, &m.h, TRUE, NULL, NULL);
    if (NT_SUCCESS(s)) s = NtCompleteConnectPort(comm);
    if (NT_SUCCESS(s)) s = NtReplyWaitReceivePort(port, NULL, NULL, &m.h);
    return NT_SUCCESS(s) ? 0x600D : s;          /* ends holding the request */
}

static NTSTATUS Client(VOID)
{
    UNICODE_STRING name;
    HANDLE port;
    MSG m;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\LpcTest");
    NTSTATUS s = NtConnectPort(&port, &name, NULL, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(s)) return s;
    RtlZeroMemory(&m, sizeof(m));
    RtlCopyMemory(m.Data, "hold", 4);
    m.h.u1.s1.DataLength = 4;
    m.h.u1.s1.TotalLength = sizeof(PORT_MESSAGE) + 4;
    return NtRequestWaitReplyPort(port, &m.h, &m.h);   /* killed before any reply */
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS p = Peb->ProcessParameters;
    if (EndsWith(&p->CommandLine, L"server")) return Server();
    if (EndsWith(&p->CommandLine, L"client")) return Client();
    return STATUS_INVALID_PARAMETER;
}
