/*
 * t_asyncio.c - requests that stay pending (kernel/io/iorequest.c, irp.c; kernel/ke/apc.c's
 * kernel APCs; the named-pipe file system's queued reads and writes):
 *  - on a pipe end opened for asynchronous I/O, a read with nothing to read returns
 *    STATUS_PENDING without touching the status block or buffer; a write from the other end
 *    completes it: data, IO_STATUS_BLOCK, the caller's event, its completion APC;
 *  - reads queued in order are satisfied in order; a write larger than the pipe's quota goes
 *    pending and finishes as the reader makes room;
 *  - NtCancelIoFile ends the caller's pending requests on that file with STATUS_CANCELLED;
 *  - a thread that ends with a request pending: the request is cancelled, the thread ends;
 *  - a synchronous handle blocked in a read: terminating its thread ends the read and the
 *    thread, and the pipe still works;
 *  - closing the other end completes a pending read with STATUS_PIPE_BROKEN;
 *  - FSCTL_PIPE_LISTEN on a server end with no client stays pending until a client opens the
 *    pipe, and is cancelled by NtCancelIoFile; a client end may not listen.
 */
#define NTEST_NAME "t_asyncio"
#include "ntest.h"

#define QUOTA 256

static ULONG Pipes;

/* A pipe: *Server (the read/write server end) and *Client, each asynchronous unless Sync. */
static NTSTATUS MakePipe(HANDLE *Server, HANDLE *Client, BOOLEAN Sync)
{
    WCHAR text[64];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER timeout = { .QuadPart = -10000000 };
    ULONG options = Sync ? FILE_SYNCHRONOUS_IO_NONALERT : 0;
    ACCESS_MASK access = GENERIC_READ | GENERIC_WRITE | (Sync ? SYNCHRONIZE : 0);
    char narrow[64];
    int n = 0;
    const char *prefix = "\\Device\\NamedPipe\\asyncio.";
    for (const char *p = prefix; *p; p++) narrow[n++] = *p;
    narrow[n++] = (char)('a' + Pipes % 26);
    narrow[n++] = (char)('a' + Pipes / 26 % 26);
    narrow[n] = 0;
    Pipes++;
    for (int i = 0; i <= n; i++) text[i] = (WCHAR)narrow[i];
    RtlInitUnicodeString(&name, text);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS s = NtCreateNamedPipeFile(Server, access, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                                       options, FILE_PIPE_BYTE_STREAM_TYPE, FILE_PIPE_BYTE_STREAM_MODE,
                                       FILE_PIPE_QUEUE_OPERATION, 1, QUOTA, QUOTA, &timeout);
    if (!NT_SUCCESS(s)) return s;
    s = NtOpenFile(Client, access, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE, options);
    if (!NT_SUCCESS(s)) NtClose(*Server);
    return s;
}

static NTSTATUS WriteAll(HANDLE File, const void *Data, ULONG Length, HANDLE Event)
{
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    NTSTATUS s = NtWriteFile(File, Event, NULL, NULL, &iosb, (PVOID)Data, Length, &zero, NULL);
    if (s == STATUS_PENDING) {
        NtWaitForSingleObject(Event, FALSE, NULL);
        s = iosb.Status;
    }
    return s;
}

static ULONG ApcCalls;
static PIO_STATUS_BLOCK ApcIosb;
static PVOID ApcContext;

static VOID NTAPI ReadDone(PVOID Context, PIO_STATUS_BLOCK Iosb, ULONG Reserved)
{
    ApcCalls++;
    ApcContext = Context;
    ApcIosb = Iosb;
}

static BOOLEAN Signalled(HANDLE Event)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    return NtWaitForSingleObject(Event, FALSE, &zero) == STATUS_WAIT_0;
}

static VOID TestPendingRead(VOID)
{
    HANDLE server, client, event, wevent;
    IO_STATUS_BLOCK iosb = { .Status = 0x5A5A5A5A, .Information = 0x77 };
    char in[32];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    NTSTATUS s = MakePipe(&server, &client, FALSE);
    if (!NT_SUCCESS(s)) { NtestExpect("read.pending", FALSE, "make the pipe", s); return; }
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE);
    NtCreateEvent(&wevent, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    memset(in, '.', sizeof(in));
    ApcCalls = 0;
    s = NtReadFile(server, event, ReadDone, (PVOID)0xC0DE, &iosb, in, sizeof(in), &zero, NULL);
    NtestExpect("read.pending", s == STATUS_PENDING && iosb.Status == 0x5A5A5A5A && in[0] == '.' && !Signalled(event),
                "an empty pipe's read did not stay pending untouched", s);
    s = WriteAll(client, "hello", 5, wevent);
    NtestExpect("read.completed_by_write", NT_SUCCESS(s) && Signalled(event) && iosb.Status == STATUS_SUCCESS &&
                iosb.Information == 5 && memcmp(in, "hello", 5) == 0 && in[5] == '.',
                "the other end's write did not complete the read", iosb.Status);
    NTSTATUS d = NtDelayExecution(TRUE, &zero);
    NtestExpect("read.completion_apc", d == STATUS_USER_APC && ApcCalls == 1 && ApcContext == (PVOID)0xC0DE &&
                ApcIosb == &iosb, "completion APC", ApcCalls);

    /* Two reads queued: the first write goes to the first. */
    IO_STATUS_BLOCK a = { .Status = -1 }, b = { .Status = -1 };
    char ina[8] = { 0 }, inb[8] = { 0 };
    HANDLE ea, eb;
    NtCreateEvent(&ea, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    NtCreateEvent(&eb, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    NTSTATUS sa = NtReadFile(server, ea, NULL, NULL, &a, ina, sizeof(ina), &zero, NULL);
    NTSTATUS sb = NtReadFile(server, eb, NULL, NULL, &b, inb, sizeof(inb), &zero, NULL);
    WriteAll(client, "first", 5, wevent);
    BOOLEAN one = Signalled(ea) && !Signalled(eb) && memcmp(ina, "first", 5) == 0;
    WriteAll(client, "second", 6, wevent);
    NtestExpect("read.fifo", sa == STATUS_PENDING && sb == STATUS_PENDING && one && Signalled(eb) &&
                b.Information == 6 && memcmp(inb, "second", 6) == 0, "queued reads out of order", sa);

    /* A pending read when the other end goes: STATUS_PIPE_BROKEN. */
    IO_STATUS_BLOCK c = { .Status = -1 };
    s = NtReadFile(server, ea, NULL, NULL, &c, ina, sizeof(ina), &zero, NULL);
    NtClose(client);
    NtWaitForSingleObject(ea, FALSE, NULL);
    NtestExpect("read.broken_by_close", s == STATUS_PENDING && c.Status == STATUS_PIPE_BROKEN,
                "closing the writer did not end the pending read", c.Status);
    NtClose(ea);
    NtClose(eb);
    NtClose(event);
    NtClose(wevent);
    NtClose(server);
}

/* A write of 3 quotas: pending until the reader has taken enough; the data arrives whole. */
static VOID TestPendingWrite(VOID)
{
    HANDLE server, client, event, revent;
    IO_STATUS_BLOCK w = { .Status = -1 }, r;
    static UCHAR out[3 * QUOTA], in[3 * QUOTA];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    NTSTATUS s = MakePipe(&server, &client, FALSE);
    if (!NT_SUCCESS(s)) { NtestExpect("write.pending", FALSE, "make the pipe", s); return; }
    for (ULONG i = 0; i < sizeof(out); i++) out[i] = (UCHAR)(i * 13 + 1);
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    NtCreateEvent(&revent, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    s = NtWriteFile(client, event, NULL, NULL, &w, out, sizeof(out), &zero, NULL);
    NtestExpect("write.pending", s == STATUS_PENDING && w.Status == -1 && !Signalled(event),
                "a write larger than the quota did not stay pending", s);
    ULONG got = 0;
    while (got < sizeof(in)) {
        s = NtReadFile(server, revent, NULL, NULL, &r, in + got, 100, &zero, NULL);
        if (s == STATUS_PENDING) { NtWaitForSingleObject(revent, FALSE, NULL); s = r.Status; }
        if (!NT_SUCCESS(s)) break;
        got += r.Information;
    }
    NtestExpect("write.completed_by_reads", got == sizeof(in) && memcmp(in, out, sizeof(in)) == 0 &&
                Signalled(event) && w.Status == STATUS_SUCCESS && w.Information == sizeof(out),
                "the pending write's data or status", got);
    NtClose(event);
    NtClose(revent);
    NtClose(client);
    NtClose(server);
}

static VOID TestCancel(VOID)
{
    HANDLE server, client, event;
    IO_STATUS_BLOCK iosb = { .Status = -1 }, ciosb = { .Status = -1 };
    char in[16];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    NTSTATUS s = MakePipe(&server, &client, FALSE);
    if (!NT_SUCCESS(s)) { NtestExpect("cancel.pending_read", FALSE, "make the pipe", s); return; }
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    s = NtReadFile(server, event, NULL, NULL, &iosb, in, sizeof(in), &zero, NULL);
    NTSTATUS c = NtCancelIoFile(server, &ciosb);
    NtestExpect("cancel.pending_read", s == STATUS_PENDING && c == STATUS_SUCCESS && ciosb.Status == STATUS_SUCCESS &&
                Signalled(event) && iosb.Status == STATUS_CANCELLED, "NtCancelIoFile", iosb.Status);
    /* The pipe still works; nothing of the cancelled read is left queued. */
    NtClearEvent(event);
    iosb.Status = -1;
    s = NtReadFile(server, event, NULL, NULL, &iosb, in, sizeof(in), &zero, NULL);
    WriteAll(client, "after", 5, event);
    NtWaitForSingleObject(event, FALSE, NULL);
    NtestExpect("cancel.pipe_still_works", iosb.Status == STATUS_SUCCESS && iosb.Information == 5 &&
                memcmp(in, "after", 5) == 0, "a read after the cancel", iosb.Status);
    c = NtCancelIoFile(server, &ciosb);
    NtestExpect("cancel.nothing_pending", c == STATUS_SUCCESS, "NtCancelIoFile with nothing pending", c);
    c = NtCancelIoFile((HANDLE)0x1234, &ciosb);
    NtestExpect("cancel.bad_handle", c == STATUS_INVALID_HANDLE, "NtCancelIoFile of a bad handle", c);
    c = NtCancelIoFile(server, (PIO_STATUS_BLOCK)0x80000000);
    NtestExpect("cancel.bad_iosb", c == STATUS_ACCESS_VIOLATION, "NtCancelIoFile with a kernel IOSB", c);
    NtClose(event);
    NtClose(client);
    NtClose(server);
}

/* ---- Threads that end with a request pending ---------------------------------------------- */

static HANDLE ThreadFile, ThreadEvent;
static IO_STATUS_BLOCK ThreadIosb;
static char ThreadBuffer[16];

static NTSTATUS NTAPI ReadThenExit(PVOID Unused)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    ThreadIosb.Status = -1;
    NTSTATUS s = NtReadFile(ThreadFile, ThreadEvent, NULL, NULL, &ThreadIosb, ThreadBuffer, sizeof(ThreadBuffer),
                            &zero, NULL);
    NtTerminateThread(NtCurrentThread(), s);
    return s;
}

static NTSTATUS NTAPI BlockInRead(PVOID Unused)
{
    IO_STATUS_BLOCK iosb;
    NTSTATUS s = NtReadFile(ThreadFile, NULL, NULL, NULL, &iosb, ThreadBuffer, sizeof(ThreadBuffer), NULL, NULL);
    NtTerminateThread(NtCurrentThread(), s);
    return s;
}

static NTSTATUS StartThread(PUSER_THREAD_START_ROUTINE Routine, HANDLE *Thread)
{
    return RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Routine, NULL, Thread, NULL);
}

static VOID TestThreadExit(VOID)
{
    HANDLE server, client, thread;
    LARGE_INTEGER limit = { .QuadPart = -50000000 };        /* 5 s: a hang fails instead */
    NTSTATUS s = MakePipe(&server, &client, FALSE);
    if (!NT_SUCCESS(s)) { NtestExpect("exit.async_read_cancelled", FALSE, "make the pipe", s); return; }
    NtCreateEvent(&ThreadEvent, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    ThreadFile = server;
    s = StartThread(ReadThenExit, &thread);
    NTSTATUS w = NT_SUCCESS(s) ? NtWaitForSingleObject(thread, FALSE, &limit) : s;
    THREAD_BASIC_INFORMATION tbi;
    NtQueryInformationThread(thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL);
    NtestExpect("exit.async_read_cancelled", w == STATUS_WAIT_0 && tbi.ExitStatus == STATUS_PENDING &&
                ThreadIosb.Status == STATUS_CANCELLED && Signalled(ThreadEvent),
                "a thread ending with a pending read", ThreadIosb.Status);
    NtClose(thread);
    NtClose(ThreadEvent);
    NtClose(client);
    NtClose(server);

    /* A synchronous handle: the thread sits in the service; terminating it ends the read. */
    s = MakePipe(&server, &client, TRUE);
    if (!NT_SUCCESS(s)) { NtestExpect("exit.sync_read_terminated", FALSE, "make the pipe", s); return; }
    ThreadFile = server;
    s = StartThread(BlockInRead, &thread);
    LARGE_INTEGER settle = { .QuadPart = -300000 };         /* 30 ms: let it block */
    NtDelayExecution(FALSE, &settle);
    NTSTATUS t = NtTerminateThread(thread, 0x1234);
    w = NT_SUCCESS(s) ? NtWaitForSingleObject(thread, FALSE, &limit) : s;
    NtQueryInformationThread(thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL);
    IO_STATUS_BLOCK iosb;
    char in[8];
    s = NtWriteFile(client, NULL, NULL, NULL, &iosb, "x", 1, NULL, NULL);
    NTSTATUS r = NtReadFile(server, NULL, NULL, NULL, &iosb, in, sizeof(in), NULL, NULL);
    NtestExpect("exit.sync_read_terminated", t == STATUS_SUCCESS && w == STATUS_WAIT_0 && tbi.ExitStatus == 0x1234 &&
                NT_SUCCESS(s) && r == STATUS_SUCCESS && iosb.Information == 1 && in[0] == 'x',
                "terminating a thread blocked in a synchronous read", w);
    NtClose(thread);
    NtClose(client);
    NtClose(server);
}

static VOID TestListen(VOID)
{
    HANDLE server, client, event;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb = { .Status = -1 }, ciosb;
    LARGE_INTEGER timeout = { .QuadPart = -10000000 };
    RtlInitUnicodeString(&name, L"\\Device\\NamedPipe\\asyncio.listen");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS s = NtCreateNamedPipeFile(&server, GENERIC_READ | GENERIC_WRITE, &oa, &ciosb,
                                       FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE, 0, FILE_PIPE_BYTE_STREAM_TYPE,
                                       FILE_PIPE_BYTE_STREAM_MODE, FILE_PIPE_QUEUE_OPERATION, 1, 0, 0, &timeout);
    if (!NT_SUCCESS(s)) { NtestExpect("listen.pending", FALSE, "make the pipe", s); return; }
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    s = NtFsControlFile(server, event, NULL, NULL, &iosb, FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
    NTSTATUS c = NtCancelIoFile(server, &ciosb);
    NtestExpect("listen.cancelled", s == STATUS_PENDING && c == STATUS_SUCCESS && Signalled(event) &&
                iosb.Status == STATUS_CANCELLED, "a pending listen and NtCancelIoFile", iosb.Status);
    NtClearEvent(event);
    iosb.Status = -1;
    s = NtFsControlFile(server, event, NULL, NULL, &iosb, FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
    BOOLEAN early = Signalled(event);
    NTSTATUS o = NtOpenFile(&client, GENERIC_READ | GENERIC_WRITE, &oa, &ciosb, FILE_SHARE_READ | FILE_SHARE_WRITE, 0);
    NtestExpect("listen.completed_by_client", s == STATUS_PENDING && !early && NT_SUCCESS(o) && Signalled(event) &&
                iosb.Status == STATUS_SUCCESS, "a client's open did not complete the listen", iosb.Status);
    if (NT_SUCCESS(o)) {
        s = NtFsControlFile(client, NULL, NULL, NULL, &iosb, FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
        NtestExpect("listen.not_for_clients", s == STATUS_ILLEGAL_FUNCTION, "a client end listened", s);
        s = NtFsControlFile(server, NULL, NULL, NULL, &iosb, FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
        NtestExpect("listen.connected", s == STATUS_PIPE_CONNECTED, "listen with the client there", s);
        NtClose(client);
    }
    NtClose(event);
    NtClose(server);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    TestPendingRead();
    TestPendingWrite();
    TestCancel();
    TestThreadExit();
    TestListen();
    return NtestResult();
}
