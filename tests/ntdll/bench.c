/*
 * bench.c - user-mode benchmarks, run by `make bench` as the initial program under -icount (the
 * TSC counts instructions). Prints "BENCH <name> <value> <unit>" lines, like the kernel's.
 *   ntdll.null_service      NtTestAlert through ntdll's stub, per call
 *   native.spawn            RtlCreateUserProcess of nop.exe, resume, wait, close: per process
 *   heap.alloc_free_64      RtlAllocateHeap + RtlFreeHeap of 64 bytes on the process heap
 *   lpc.request_reply       NtRequestWaitReplyPort of a 16-byte request to a server thread that
 *                           answers at once (NtReplyWaitReceivePort), per round trip
 */
#include "ntndk.h"

#define SPAWNS 20
#define CALLS  1000

static ULONGLONG Tsc(VOID)
{
    ULONG lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((ULONGLONG)hi << 32) | lo;
}

static NTSTATUS SpawnNop(VOID)
{
    UNICODE_STRING image;
    RTL_USER_PROCESS_INFORMATION info;
    RtlInitUnicodeString(&image, L"\\??\\C:\\Tests\\nop.exe");
    NTSTATUS status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, NULL, NULL, NULL, NULL, FALSE, NULL,
                                           NULL, &info);
    if (!NT_SUCCESS(status)) return status;
    NtResumeThread(info.Thread, NULL);
    NtWaitForSingleObject(info.Process, FALSE, NULL);
    NtClose(info.Thread);
    NtClose(info.Process);
    return STATUS_SUCCESS;
}

typedef struct { PORT_MESSAGE h; UCHAR Data[16]; } BENCH_MSG;
static HANDLE BenchPort;

static NTSTATUS NTAPI LpcServer(PVOID Unused)
{
    BENCH_MSG m;
    PPORT_MESSAGE reply = NULL;
    HANDLE comm;
    for (;;) {
        NTSTATUS s = NtReplyWaitReceivePort(BenchPort, NULL, reply, &m.h);
        if (!NT_SUCCESS(s)) return s;
        reply = NULL;
        if (m.h.u2.s2.Type == LPC_CONNECTION_REQUEST) {
            if (NT_SUCCESS(NtAcceptConnectPort(&comm, NULL, &m.h, TRUE, NULL, NULL))) NtCompleteConnectPort(comm);
        } else if (m.h.u2.s2.Type == LPC_REQUEST) {
            reply = &m.h;
        }
    }
}

static ULONGLONG LpcRoundTrips(ULONG Count)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE server, client;
    BENCH_MSG m;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\BenchPort");
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    if (!NT_SUCCESS(NtCreatePort(&BenchPort, &oa, 0, sizeof(m), 0)) ||
        !NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, LpcServer, NULL, &server, NULL)) ||
        !NT_SUCCESS(NtConnectPort(&client, &name, NULL, NULL, NULL, NULL, NULL, NULL)))
        return 0;
    RtlZeroMemory(&m, sizeof(m));
    m.h.u1.s1.DataLength = sizeof(m.Data);
    m.h.u1.s1.TotalLength = sizeof(m);
    NtRequestWaitReplyPort(client, &m.h, &m.h);          /* warm */
    ULONGLONG t = Tsc();
    for (ULONG i = 0; i < Count; i++) {
        m.h.u1.s1.DataLength = sizeof(m.Data);
        m.h.u1.s1.TotalLength = sizeof(m);
        NtRequestWaitReplyPort(client, &m.h, &m.h);
    }
    t = Tsc() - t;
    NtClose(client);
    NtClose(BenchPort);
    NtWaitForSingleObject(server, FALSE, NULL);
    NtClose(server);
    return t;
}

static VOID Report(PCSTR Name, ULONGLONG Total, ULONG Count, PCSTR Unit)
{
    DbgPrint("BENCH %s %lu %s\n", Name, (unsigned long)(Total / Count), Unit);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    ULONGLONG t = Tsc();
    for (ULONG i = 0; i < CALLS; i++) NtTestAlert();
    Report("ntdll.null_service", Tsc() - t, CALLS, "instructions");

    t = Tsc();
    for (ULONG i = 0; i < CALLS; i++) RtlFreeHeap(RtlProcessHeap(), 0, RtlAllocateHeap(RtlProcessHeap(), 0, 64));
    Report("heap.alloc_free_64", Tsc() - t, CALLS, "instructions");

    Report("lpc.request_reply", LpcRoundTrips(CALLS), CALLS, "instructions");

    if (!NT_SUCCESS(SpawnNop())) return STATUS_UNSUCCESSFUL;   /* warm: the image is in the cache */
    t = Tsc();
    for (ULONG i = 0; i < SPAWNS; i++)
        if (!NT_SUCCESS(SpawnNop())) return STATUS_UNSUCCESSFUL;
    Report("native.spawn", Tsc() - t, SPAWNS, "instructions");
    return STATUS_SUCCESS;
}
