/* w_iocp.c - I/O completion ports through kernel32: a port's own packets (PostQueuedCompletion
 * Status) in order, the timeout with nothing queued, a worker thread blocked in
 * GetQueuedCompletionStatus woken by a packet; a named pipe end associated with a port: an
 * overlapped read that went pending and one that completed at once each give a packet with the
 * file's key and the OVERLAPPED; an event with its low bit set asks for none; a cancelled read
 * gives a failing packet (ERROR_OPERATION_ABORTED); a file takes one port only. */
#define WTEST_NAME "w_iocp"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE port;

static DWORD WINAPI worker(LPVOID unused)
{
    DWORD n;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov;
    BOOL ok = GetQueuedCompletionStatus(port, &n, &key, &ov, 10000);
    return ok ? (DWORD)key : 0;
}

static BOOL put(HANDLE h, const char *text)
{
    OVERLAPPED ov;
    DWORD n = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)((ULONG_PTR)CreateEventA(NULL, TRUE, FALSE, NULL) | 1);    /* no packet for this */
    BOOL ok = WriteFile(h, text, (DWORD)strlen(text), &n, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING) ok = GetOverlappedResult(h, &ov, &n, TRUE);
    CloseHandle((HANDLE)((ULONG_PTR)ov.hEvent & ~(ULONG_PTR)1));
    return ok;
}

int main(void)
{
    DWORD n = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = (LPOVERLAPPED)1;
    OVERLAPPED ov1, ov2, ov3, ov4;
    char buf[32];
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    check("create_port", port != NULL, GetLastError());
    BOOL ok = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    check("empty_times_out", !ok && GetLastError() == WAIT_TIMEOUT && got == NULL, GetLastError());
    ok = PostQueuedCompletionStatus(port, 123, 77, &ov1) && PostQueuedCompletionStatus(port, 456, 88, &ov2);
    check("post", ok, GetLastError());
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    check("first_posted", ok && n == 123 && key == 77 && got == &ov1, (DWORD)key);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    check("second_posted", ok && n == 456 && key == 88 && got == &ov2, (DWORD)key);
    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    Sleep(50);
    PostQueuedCompletionStatus(port, 1, 99, NULL);
    DWORD code = 0;
    ok = WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code);
    check("worker_woken", ok && code == 99, code);
    CloseHandle(t);

    const char *name = "\\\\.\\pipe\\w_iocp";
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1, 256, 256, 0, NULL);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    check("pipe", server != INVALID_HANDLE_VALUE && client != INVALID_HANDLE_VALUE, GetLastError());
    check("associate", CreateIoCompletionPort(server, port, 5, 0) == port, GetLastError());
    check("associate_once", CreateIoCompletionPort(server, port, 6, 0) == NULL &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());

    memset(&ov1, 0, sizeof(ov1));
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov1);
    DWORD error = GetLastError();
    BOOL none = !GetQueuedCompletionStatus(port, &n, &key, &got, 0) && GetLastError() == WAIT_TIMEOUT;
    put(client, "data");
    ok = !ok && error == ERROR_IO_PENDING && none && GetQueuedCompletionStatus(port, &n, &key, &got, 5000);
    check("pending_read_packet", ok && key == 5 && got == &ov1 && n == 4 && memcmp(buf, "data", 4) == 0, (DWORD)key);

    put(client, "now");
    memset(&ov2, 0, sizeof(ov2));
    ok = ReadFile(server, buf, sizeof(buf), &n, &ov2);
    ok = ok && GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    check("immediate_read_packet", ok && key == 5 && got == &ov2 && n == 3, (DWORD)(ULONG_PTR)got);

    put(client, "quiet");
    memset(&ov3, 0, sizeof(ov3));
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ov3.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    ok = ReadFile(server, buf, sizeof(buf), &n, &ov3);
    BOOL packet = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    check("low_bit_event_no_packet", ok && !packet && GetLastError() == WAIT_TIMEOUT, GetLastError());
    CloseHandle(ev);

    memset(&ov4, 0, sizeof(ov4));
    ok = ReadFile(server, buf, sizeof(buf), NULL, &ov4);
    CancelIo(server);
    BOOL result = GetQueuedCompletionStatus(port, &n, &key, &got, 5000);
    check("cancelled_read_packet", !ok && !result && GetLastError() == ERROR_OPERATION_ABORTED && got == &ov4 && key == 5,
          GetLastError());
    check("bad_port", !PostQueuedCompletionStatus((HANDLE)0x1234, 0, 0, NULL) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(port);
    return failures != 0;
}
