/* w_overlapped.c - overlapped I/O through kernel32 on a named pipe made with CreateNamedPipe
 * (FILE_FLAG_OVERLAPPED) and opened with CreateFile("\\.\pipe\..."): a read with nothing to read
 * fails with ERROR_IO_PENDING; GetOverlappedResult says ERROR_IO_INCOMPLETE without waiting, and
 * after the other end writes returns the bytes (with the event, or waiting on the file itself
 * when hEvent is NULL); ReadFileEx's completion routine runs in SleepEx(alertable) only; CancelIo
 * ends a pending read with ERROR_OPERATION_ABORTED; a read pending when the writer closes fails
 * with ERROR_BROKEN_PIPE; a synchronous pipe handle still blocks and completes as before; bad
 * calls fail cleanly. A server's overlapped ConnectNamedPipe pends until a client opens the pipe
 * (ERROR_PIPE_CONNECTED if it came first); DisconnectNamedPipe cuts the client off (its I/O fails
 * with ERROR_PIPE_NOT_CONNECTED, even a read it had pending) and the instance takes a new one. */
#define WTEST_NAME "w_overlapped"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

static int serial;

static BOOL make_pipe(HANDLE *server, HANDLE *client, DWORD flags)
{
    char name[64];
    sprintf(name, "\\\\.\\pipe\\w_overlapped.%d", serial++);
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | flags, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 512, 512, 0, NULL);
    if (*server == INVALID_HANDLE_VALUE) return FALSE;
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, flags, NULL);
    if (*client == INVALID_HANDLE_VALUE) { CloseHandle(*server); return FALSE; }
    return TRUE;
}

static BOOL put(HANDLE h, const char *text)
{
    OVERLAPPED ov;
    DWORD n = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = WriteFile(h, text, (DWORD)strlen(text), &n, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING) ok = GetOverlappedResult(h, &ov, &n, TRUE);
    CloseHandle(ov.hEvent);
    return ok && n == strlen(text);
}

static void test_pending_read(void)
{
    HANDLE server, client;
    char buf[32];
    DWORD n = 12345;
    OVERLAPPED ov;
    BOOL ok = make_pipe(&server, &client, FILE_FLAG_OVERLAPPED);
    check("create", ok, GetLastError());
    if (!ok) return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov);
    DWORD error = GetLastError();
    check("read_pending", !ok && error == ERROR_IO_PENDING && !HasOverlappedIoCompleted(&ov) &&
          WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, error);
    ok = GetOverlappedResult(server, &ov, &n, FALSE);
    check("result_incomplete", !ok && GetLastError() == ERROR_IO_INCOMPLETE, GetLastError());
    check("write_other_end", put(client, "overlapped"), GetLastError());
    ok = GetOverlappedResult(server, &ov, &n, TRUE);
    check("result_after_write", ok && n == 10 && memcmp(buf, "overlapped", 10) == 0 && HasOverlappedIoCompleted(&ov),
          ok ? n : GetLastError());

    /* Without an event: GetOverlappedResult waits on the file. */
    HANDLE event = ov.hEvent;
    memset(&ov, 0, sizeof(ov));
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov);
    error = GetLastError();
    put(client, "file");
    ok = !ok && error == ERROR_IO_PENDING && GetOverlappedResult(server, &ov, &n, TRUE);
    check("result_waits_on_file", ok && n == 4 && memcmp(buf, "file", 4) == 0, ok ? n : GetLastError());

    /* Data already there: the overlapped read completes at once. */
    put(client, "now");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    ok = ReadFile(server, buf, sizeof(buf), &n, &ov);
    check("read_immediate", ok && n == 3 && memcmp(buf, "now", 3) == 0, ok ? n : GetLastError());

    /* CancelIo. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov);
    BOOL cancelled = CancelIo(server);
    BOOL result = GetOverlappedResult(server, &ov, &n, TRUE);
    check("cancel", !ok && cancelled && !result && GetLastError() == ERROR_OPERATION_ABORTED, GetLastError());

    /* The writer goes while a read is pending. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov);
    CloseHandle(client);
    result = GetOverlappedResult(server, &ov, &n, TRUE);
    check("broken_pipe", !ok && !result && GetLastError() == ERROR_BROKEN_PIPE, GetLastError());
    CloseHandle(event);
    CloseHandle(server);
}

static int routine_calls;
static DWORD routine_error, routine_bytes;
static LPOVERLAPPED routine_ov;

static VOID WINAPI read_done(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    routine_calls++;
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
}

static void test_read_ex(void)
{
    HANDLE server, client;
    char buf[32];
    OVERLAPPED ov;
    BOOL ok = make_pipe(&server, &client, FILE_FLAG_OVERLAPPED);
    if (!ok) { check("readex", 0, GetLastError()); return; }
    memset(&ov, 0, sizeof(ov));
    routine_calls = 0;
    ok = ReadFileEx(server, buf, sizeof(buf), &ov, read_done);
    check("readex_queued", ok && routine_calls == 0, GetLastError());
    put(client, "apc!");
    Sleep(10);                                            /* not alertable: nothing runs */
    int before = routine_calls;
    DWORD slept = SleepEx(1000, TRUE);
    check("readex_routine", before == 0 && slept == WAIT_IO_COMPLETION && routine_calls == 1 && routine_error == 0 &&
          routine_bytes == 4 && routine_ov == &ov && memcmp(buf, "apc!", 4) == 0, routine_calls);
    /* Cancelled: the routine gets ERROR_OPERATION_ABORTED. */
    routine_calls = 0;
    ok = ReadFileEx(server, buf, sizeof(buf), &ov, read_done);
    CancelIo(server);
    slept = SleepEx(1000, TRUE);
    check("readex_cancelled", ok && slept == WAIT_IO_COMPLETION && routine_calls == 1 &&
          routine_error == ERROR_OPERATION_ABORTED, routine_error);
    ok = ReadFileEx(server, buf, sizeof(buf), NULL, read_done);
    check("readex_needs_overlapped", !ok && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    CloseHandle(client);
    CloseHandle(server);
}

static DWORD WINAPI late_writer(LPVOID h)
{
    Sleep(50);
    DWORD n;
    return WriteFile((HANDLE)h, "late", 4, &n, NULL) && n == 4;
}

static void test_synchronous(void)
{
    HANDLE server, client;
    char buf[16];
    DWORD n = 0;
    BOOL ok = make_pipe(&server, &client, 0);
    check("sync_create", ok, GetLastError());
    if (!ok) return;
    HANDLE t = CreateThread(NULL, 0, late_writer, client, 0, NULL);
    ok = ReadFile(server, buf, sizeof(buf), &n, NULL);             /* blocks until the thread writes */
    check("sync_read_blocks", ok && n == 4 && memcmp(buf, "late", 4) == 0, ok ? n : GetLastError());
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    check("message_read_needs_message_type",
          CreateNamedPipeA("\\\\.\\pipe\\w_overlapped.msg", PIPE_ACCESS_DUPLEX, PIPE_READMODE_MESSAGE, 1, 0, 0, 0,
                           NULL) == INVALID_HANDLE_VALUE && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    check("result_bad_args", !GetOverlappedResult(server, NULL, &n, FALSE) && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
    CloseHandle(client);
    CloseHandle(server);
}

static OVERLAPPED listen_ov;

/* Disconnected, the instance listens only after a listen: this thread asks for it late. */
static DWORD WINAPI listen_later(LPVOID server)
{
    Sleep(50);
    memset(&listen_ov, 0, sizeof(listen_ov));
    listen_ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = ConnectNamedPipe((HANDLE)server, &listen_ov);
    return !ok && GetLastError() == ERROR_IO_PENDING;
}

static void test_connect(void)
{
    const char *name = "\\\\.\\pipe\\w_overlapped.server";
    OVERLAPPED ov, rov;
    DWORD n = 0;
    char buf[16];
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1, 256, 256, 0,
                                     NULL);
    check("server_create", server != INVALID_HANDLE_VALUE, GetLastError());
    if (server == INVALID_HANDLE_VALUE) return;
    BOOL ok = ConnectNamedPipe(server, &ov);
    DWORD error = GetLastError();
    check("connect_pending", !ok && error == ERROR_IO_PENDING && WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT,
          error);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    ok = client != INVALID_HANDLE_VALUE && GetOverlappedResult(server, &ov, &n, TRUE);
    check("connect_completed_by_client", ok, GetLastError());
    ok = ConnectNamedPipe(server, &ov);
    check("connect_already", !ok && GetLastError() == ERROR_PIPE_CONNECTED, GetLastError());
    check("talk", put(client, "hi") && ReadFile(server, buf, sizeof(buf), &n, &ov) && n == 2, GetLastError());
    /* A read of the client's pending, then the server disconnects: it fails. */
    HANDLE second = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    check("one_instance_busy", second == INVALID_HANDLE_VALUE && GetLastError() == ERROR_PIPE_BUSY, GetLastError());
    HANDLE aclient = CreateFileA(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    check("busy_for_overlapped_too", aclient == INVALID_HANDLE_VALUE, GetLastError());
    DWORD start = GetTickCount();
    ok = WaitNamedPipeA(name, 100);
    DWORD waited = GetTickCount() - start;
    check("wait_named_pipe_times_out", !ok && GetLastError() == ERROR_SEM_TIMEOUT && waited >= 90, waited);
    check("wait_named_pipe_no_such_pipe", !WaitNamedPipeA("\\\\.\\pipe\\w_overlapped.none", 100) &&
          GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    ok = DisconnectNamedPipe(server);
    check("disconnect", ok, GetLastError());
    ok = ReadFile(client, buf, sizeof(buf), &n, NULL);
    check("client_cut_off", !ok && GetLastError() == ERROR_PIPE_NOT_CONNECTED, GetLastError());
    ok = WriteFile(client, "x", 1, &n, NULL);
    check("client_cannot_write", !ok && GetLastError() == ERROR_PIPE_NOT_CONNECTED, GetLastError());
    ok = DisconnectNamedPipe(server);
    check("disconnect_twice", !ok && GetLastError() == ERROR_PIPE_NOT_CONNECTED, GetLastError());
    /* Listen again: a new client, after WaitNamedPipe says an instance listens (a thread
     * listens after a while). */
    HANDLE lt = CreateThread(NULL, 0, listen_later, server, 0, NULL);
    ok = WaitNamedPipeA(name, NMPWAIT_WAIT_FOREVER);
    check("wait_named_pipe_wakes", ok, GetLastError());
    WaitForSingleObject(lt, INFINITE);
    CloseHandle(lt);
    ResetEvent(ov.hEvent);
    ok = ConnectNamedPipe(server, &ov);
    error = GetLastError();
    HANDLE client2 = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    ok = !ok && error == ERROR_IO_PENDING && client2 != INVALID_HANDLE_VALUE && GetOverlappedResult(server, &ov, &n, TRUE);
    check("reconnect", ok, GetLastError());
    memset(&rov, 0, sizeof(rov));
    rov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = put(client2, "new") && (ReadFile(server, buf, sizeof(buf), &n, &rov) ||
                                 (GetLastError() == ERROR_IO_PENDING && GetOverlappedResult(server, &rov, &n, TRUE)));
    check("new_client_talks", ok && n == 3 && memcmp(buf, "new", 3) == 0, GetLastError());
    ok = ReadFile(client, buf, sizeof(buf), &n, NULL);
    check("old_client_still_cut_off", !ok && GetLastError() == ERROR_PIPE_NOT_CONNECTED, GetLastError());
    ok = DisconnectNamedPipe(client2);
    check("client_cannot_disconnect", !ok && GetLastError() == ERROR_INVALID_FUNCTION, GetLastError());
    CloseHandle(client);
    CloseHandle(client2);
    /* The client went: listening again says so. */
    ok = ConnectNamedPipe(server, &ov);
    check("connect_after_client_closed", !ok && GetLastError() == ERROR_NO_DATA, GetLastError());
    CloseHandle(rov.hEvent);
    CloseHandle(ov.hEvent);
    CloseHandle(server);
}

int main(void)
{
    test_pending_read();
    test_read_ex();
    test_synchronous();
    test_connect();
    return failures != 0;
}
