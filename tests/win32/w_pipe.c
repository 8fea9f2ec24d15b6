/* w_pipe.c - anonymous pipes through kernel32: CreatePipe, a write then a read in one process
 * (whole, partial, peeked), the end of the data when the writer closes (ERROR_BROKEN_PIPE after
 * what is left), a write with no reader (ERROR_NO_DATA), the handles' access, a reader thread
 * blocked on an empty pipe woken by a write and one ended by TerminateThread, and a child
 * (pipechild.exe) whose inherited stdout is the pipe: more than the pipe holds, read to the end;
 * then one killed while it waits for room in the pipe. */
#define WTEST_NAME "w_pipe"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define CHILD_LINES 200         /* as pipechild.c */

static BOOL put(HANDLE w, const char *text)
{
    DWORD n = 0;
    return WriteFile(w, text, (DWORD)strlen(text), &n, NULL) && n == strlen(text);
}

static void test_write_read(void)
{
    HANDLE r, w;
    char buf[64];
    DWORD n = 0, avail = 0;
    BOOL ok = CreatePipe(&r, &w, NULL, 0);
    check("create", ok && r && w && r != INVALID_HANDLE_VALUE, GetLastError());
    if (!ok) return;
    check("file_type", GetFileType(r) == FILE_TYPE_PIPE && GetFileType(w) == FILE_TYPE_PIPE, GetFileType(r));
    check("write", put(w, "hello, pipe"), GetLastError());
    ok = PeekNamedPipe(r, buf, 5, &n, &avail, NULL);
    check("peek", ok && n == 5 && avail == 11 && memcmp(buf, "hello", 5) == 0, ok ? avail : GetLastError());
    ok = ReadFile(r, buf, 5, &n, NULL);
    check("read_partial", ok && n == 5 && memcmp(buf, "hello", 5) == 0, ok ? n : GetLastError());
    ok = ReadFile(r, buf, sizeof(buf), &n, NULL);
    check("read_rest", ok && n == 6 && memcmp(buf, ", pipe", 6) == 0, ok ? n : GetLastError());
    ok = WriteFile(r, "x", 1, &n, NULL);
    check("read_end_not_writable", !ok && GetLastError() == ERROR_ACCESS_DENIED, GetLastError());
    ok = ReadFile(w, buf, 1, &n, NULL);
    check("write_end_not_readable", !ok && GetLastError() == ERROR_ACCESS_DENIED, GetLastError());
    check("write_before_close", put(w, "last"), GetLastError());
    CloseHandle(w);
    ok = ReadFile(r, buf, sizeof(buf), &n, NULL);
    check("read_after_writer_closed", ok && n == 4 && memcmp(buf, "last", 4) == 0, ok ? n : GetLastError());
    ok = ReadFile(r, buf, sizeof(buf), &n, NULL);
    check("broken_pipe", !ok && GetLastError() == ERROR_BROKEN_PIPE && n == 0, GetLastError());
    ok = PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL);
    check("peek_broken", !ok && GetLastError() == ERROR_BROKEN_PIPE, GetLastError());
    CloseHandle(r);
}

static void test_no_reader(void)
{
    HANDLE r, w;
    DWORD n = 0;
    if (!CreatePipe(&r, &w, NULL, 16)) { check("no_reader", 0, GetLastError()); return; }
    CloseHandle(r);
    BOOL ok = WriteFile(w, "x", 1, &n, NULL);
    check("no_reader", !ok && GetLastError() == ERROR_NO_DATA, GetLastError());
    CloseHandle(w);
}

static DWORD WINAPI reader_thread(LPVOID p)
{
    char buf[16];
    DWORD n = 0;
    return ReadFile((HANDLE)p, buf, sizeof(buf), &n, NULL) ? n : 1000 + GetLastError();
}

/* A read that waits for a write from another thread; one that waits forever and is terminated. */
static void test_blocking(void)
{
    HANDLE r, w;
    DWORD code = 0;
    if (!CreatePipe(&r, &w, NULL, 0)) { check("blocked_read", 0, GetLastError()); return; }
    HANDLE t = CreateThread(NULL, 0, reader_thread, r, 0, NULL);
    Sleep(200);
    check("blocked_read_waits", WaitForSingleObject(t, 0) == WAIT_TIMEOUT, 0);
    put(w, "wake");
    BOOL ok = WaitForSingleObject(t, 10000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code);
    check("blocked_read_woken", ok && code == 4, code);
    CloseHandle(t);
    t = CreateThread(NULL, 0, reader_thread, r, 0, NULL);
    Sleep(200);
    TerminateThread(t, 77);
    ok = WaitForSingleObject(t, 10000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code);
    check("blocked_read_terminated", ok && code == 77, code);
    CloseHandle(t);
    CloseHandle(w);
    CloseHandle(r);
}

static BOOL start_child(HANDLE out, PROCESS_INFORMATION *pi)
{
    char path[MAX_PATH], *slash;
    STARTUPINFOA si;
    GetModuleFileNameA(NULL, path, MAX_PATH);
    slash = strrchr(path, '\\');
    if (slash == NULL) return FALSE;
    strcpy(slash + 1, "pipechild.exe");
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    return CreateProcessA(path, "pipechild.exe", NULL, NULL, TRUE, 0, NULL, NULL, &si, pi);
}

/* What pipechild.exe prints: its stdout is in text mode, so each '\n' arrives as "\r\n". */
static size_t expected_text(char *buf, size_t size)
{
    size_t len = 0;
    for (int i = 0; i < CHILD_LINES && len < size; i++)
        len += snprintf(buf + len, size - len, "pipechild line %03d: the quick brown fox\r\n", i);
    return len;
}

static void test_child(void)
{
    static char got[32768], want[32768];
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    PROCESS_INFORMATION pi;
    HANDLE r, w;
    DWORD n, code = 0, error = 0;
    size_t len = 0;
    if (!CreatePipe(&r, &w, &sa, 0)) { check("child_pipe", 0, GetLastError()); return; }
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);      /* the child gets the write end only */
    BOOL ok = start_child(w, &pi);
    check("child_started", ok, GetLastError());
    CloseHandle(w);                                      /* the child's copy is the last writer */
    if (!ok) { CloseHandle(r); return; }
    Sleep(300);                                          /* let it fill the pipe and wait */
    for (;;) {
        if (!ReadFile(r, got + len, (DWORD)(sizeof(got) - len), &n, NULL)) { error = GetLastError(); break; }
        len += n;
        if (len == sizeof(got)) break;
    }
    size_t want_len = expected_text(want, sizeof(want));
    check("child_output_ends_broken_pipe", error == ERROR_BROKEN_PIPE, error);
    check("child_output_over_4k", len > 4096, len);
    check("child_output_text", len == want_len && memcmp(got, want, len) == 0, len);
    ok = WaitForSingleObject(pi.hProcess, 30000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code);
    check("child_exit_code", ok && code == 7, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(r);
}

/* A child blocked writing to a full pipe nobody reads is still killable; what it wrote stays. */
static void test_child_killed(void)
{
    static char got[8192];
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    PROCESS_INFORMATION pi;
    HANDLE r, w;
    DWORD n, code = 0, error = 0;
    size_t len = 0;
    if (!CreatePipe(&r, &w, &sa, 0)) { check("killed_child_pipe", 0, GetLastError()); return; }
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    BOOL ok = start_child(w, &pi);
    CloseHandle(w);
    if (!ok) { check("killed_child_started", 0, GetLastError()); CloseHandle(r); return; }
    Sleep(300);                                          /* it fills the pipe and waits for room */
    ok = TerminateProcess(pi.hProcess, 9);
    ok = ok && WaitForSingleObject(pi.hProcess, 10000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code);
    check("killed_child_blocked_writer_ends", ok && code == 9, code);
    for (;;) {
        if (!ReadFile(r, got + len, (DWORD)(sizeof(got) - len), &n, NULL)) { error = GetLastError(); break; }
        len += n;
        if (len == sizeof(got)) break;
    }
    check("killed_child_data_then_broken", len == 4096 && error == ERROR_BROKEN_PIPE, len);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(r);
}

int main(void)
{
    test_write_read();
    test_no_reader();
    test_blocking();
    test_child();
    test_child_killed();
    return failures != 0;
}
