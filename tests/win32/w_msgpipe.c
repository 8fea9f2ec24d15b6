/* w_msgpipe.c - message-type named pipes: each write is one message (an empty one too); a reader
 * in message mode gets one message per read, and a message longer than its buffer fills it and
 * fails with ERROR_MORE_DATA, the rest coming with the next read; PeekNamedPipe tells the bytes
 * left of the first message; an end in byte mode reads across messages until
 * SetNamedPipeHandleState puts it in message mode; a message larger than the pipe's quota still
 * passes whole; message read mode is refused on a byte pipe. */
#define WTEST_NAME "w_msgpipe"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

static BOOL put(HANDLE h, const void *data, DWORD length)
{
    DWORD n = 0;
    return WriteFile(h, data, length, &n, NULL) && n == length;
}

int main(void)
{
    const char *name = "\\\\.\\pipe\\w_msgpipe";
    char buf[256];
    DWORD n = 0, total = 0, left = 0;
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 64, 64,
                                     0, NULL);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    check("create", server != INVALID_HANDLE_VALUE && client != INVALID_HANDLE_VALUE, GetLastError());
    if (server == INVALID_HANDLE_VALUE || client == INVALID_HANDLE_VALUE) return 1;

    check("write_messages", put(client, "one", 3) && put(client, "two2", 4) && put(client, "", 0) &&
          put(client, "three33", 7), GetLastError());
    BOOL ok = ReadFile(server, buf, sizeof(buf), &n, NULL);
    check("read_first", ok && n == 3 && memcmp(buf, "one", 3) == 0, n);
    ok = ReadFile(server, buf, sizeof(buf), &n, NULL);
    check("read_second", ok && n == 4 && memcmp(buf, "two2", 4) == 0, n);
    n = 99;
    ok = ReadFile(server, buf, sizeof(buf), &n, NULL);
    check("read_empty_message", ok && n == 0, n);
    ok = PeekNamedPipe(server, buf, 3, &n, &total, &left);
    check("peek_message", ok && n == 3 && total == 7 && left == 4 && memcmp(buf, "thr", 3) == 0, left);
    ok = ReadFile(server, buf, 4, &n, NULL);
    DWORD error = GetLastError();
    check("read_more_data", !ok && error == ERROR_MORE_DATA && n == 4 && memcmp(buf, "thre", 4) == 0, error);
    ok = ReadFile(server, buf, sizeof(buf), &n, NULL);
    check("read_rest_of_message", ok && n == 3 && memcmp(buf, "e33", 3) == 0, n);

    /* The client end reads in byte mode: across messages. */
    check("server_writes", put(server, "ab", 2) && put(server, "cd", 2), GetLastError());
    ok = ReadFile(client, buf, sizeof(buf), &n, NULL);
    check("byte_mode_across_messages", ok && n == 4 && memcmp(buf, "abcd", 4) == 0, n);
    DWORD mode = PIPE_READMODE_MESSAGE;
    check("set_message_mode", SetNamedPipeHandleState(client, &mode, NULL, NULL), GetLastError());
    put(server, "ef", 2);
    put(server, "gh", 2);
    ok = ReadFile(client, buf, sizeof(buf), &n, NULL);
    check("message_mode_after_set", ok && n == 2 && memcmp(buf, "ef", 2) == 0, n);
    ReadFile(client, buf, sizeof(buf), &n, NULL);

    /* Larger than the quota (64): it goes in whole when the pipe is empty. */
    static char big[200];
    for (int i = 0; i < (int)sizeof(big); i++) big[i] = (char)('A' + i % 26);
    check("write_big_message", put(client, big, sizeof(big)), GetLastError());
    ok = ReadFile(server, buf, sizeof(buf), &n, NULL);
    check("read_big_message", ok && n == sizeof(big) && memcmp(buf, big, sizeof(big)) == 0, n);

    /* Byte pipes refuse message read mode. */
    HANDLE bytes = CreateNamedPipeA("\\\\.\\pipe\\w_msgpipe.bytes", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 0, 0, 0, NULL);
    mode = PIPE_READMODE_MESSAGE;
    check("byte_pipe_refuses_message_mode", bytes != INVALID_HANDLE_VALUE && !SetNamedPipeHandleState(bytes, &mode, NULL, NULL) &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    CloseHandle(bytes);
    CloseHandle(client);
    CloseHandle(server);
    return failures != 0;
}
