/* w_kernel32_proc.c - processes through kernel32: CreateProcess of this same program as a child
 * (found by the search from a bare command line, or named), its exit code, CREATE_SUSPENDED,
 * TerminateProcess, an inherited file handle, redirected standard handles, the environment and
 * current directory given to the child, OpenProcess, and the errors for a missing program. */
#define WTEST_NAME "w_kernel32_proc"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define OUT_FILE "C:\\k32proc.txt"

/* ---- The child's roles (argv[1]) ---- */

static LONG WINAPI exit_filter(EXCEPTION_POINTERS *info)
{
    ExitProcess(info->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION ? 55 : 56);
}

static DWORD WINAPI faulting_thread(LPVOID p)
{
    *(volatile int *)p = 1;
    return 0;
}

static int child(int argc, char **argv)
{
    DWORD n;
    if (strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
    if (strcmp(argv[1], "inherit") == 0) {
        HANDLE h = (HANDLE)(ULONG_PTR)strtoul(argv[2], NULL, 0);
        return WriteFile(h, "inherited", 9, &n, NULL) && n == 9 ? 0 : 2;
    }
    if (strcmp(argv[1], "stdout") == 0) {
        HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
        return WriteFile(h, "redirected", 10, &n, NULL) && n == 10 ? 0 : 3;
    }
    if (strcmp(argv[1], "env") == 0) {
        char value[32];
        DWORD len = GetEnvironmentVariableA("K32TEST", value, sizeof(value));
        return len == 5 && strcmp(value, "hello") == 0 ? 0 : 4;
    }
    if (strcmp(argv[1], "cwd") == 0) {
        char dir[MAX_PATH];
        GetCurrentDirectoryA(MAX_PATH, dir);
        return lstrcmpiA(dir, "C:\\Windows") == 0 ? 0 : 5;
    }
    if (strcmp(argv[1], "sleep") == 0) { Sleep(INFINITE); return 0; }
    if (strcmp(argv[1], "event") == 0) {
        HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, "K32ProcEvent");
        return e && SetEvent(e) ? 0 : 10;
    }
    if (strcmp(argv[1], "runtime") == 0) {
        STARTUPINFOA si;
        GetStartupInfoA(&si);
        return si.cbReserved2 >= 5 && si.lpReserved2 && si.lpReserved2[0] == 0 && si.lpReserved2[4] == 'x' ? 0 : 9;
    }
    if (strcmp(argv[1], "fault") == 0) {
        /* A fault in a CreateThread thread reaches the top-level filter, which ends the process. */
        SetUnhandledExceptionFilter(exit_filter);
        HANDLE t = CreateThread(NULL, 0, faulting_thread, NULL, 0, NULL);
        WaitForSingleObject(t, 20000);
        return 6;
    }
    return 99;
}

/* ---- The parent ---- */

static char self[MAX_PATH];

static BOOL spawn(const char *app, const char *args, DWORD flags, BOOL inherit, STARTUPINFOA *si, void *env,
                  const char *dir, PROCESS_INFORMATION *pi)
{
    char cmd[512];
    STARTUPINFOA local;
    if (si == NULL) { memset(&local, 0, sizeof(local)); local.cb = sizeof(local); si = &local; }
    snprintf(cmd, sizeof(cmd), "w_kernel32_proc.exe %s", args);
    return CreateProcessA(app, cmd, NULL, NULL, inherit, flags, env, dir, si, pi);
}

/* Runs the child to its end: its exit code, or 1000 + the error if it could not start. */
static DWORD run(const char *app, const char *args, DWORD flags, BOOL inherit, STARTUPINFOA *si, void *env,
                 const char *dir)
{
    PROCESS_INFORMATION pi;
    DWORD code = 0;
    if (!spawn(app, args, flags, inherit, si, env, dir, &pi)) return 1000 + GetLastError();
    if (WaitForSingleObject(pi.hProcess, 20000) != WAIT_OBJECT_0) code = 2000;
    else if (!GetExitCodeProcess(pi.hProcess, &code)) code = 3000;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return code;
}

static void test_basic(void)
{
    DWORD code = run(NULL, "exit 42", 0, FALSE, NULL, NULL, NULL);
    check("exit_code_searched", code == 42, code);
    code = run(self, "exit 7", 0, FALSE, NULL, NULL, NULL);
    check("exit_code_named", code == 7, code);

    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, "no_such_program_k32 arg", NULL, NULL, FALSE, 0, NULL, NULL,
                             &(STARTUPINFOA){ .cb = sizeof(STARTUPINFOA) }, &pi);
    DWORD e = GetLastError();
    check("missing_program", !ok && e == ERROR_FILE_NOT_FOUND, e);
    code = run(NULL, "fault", 0, FALSE, NULL, NULL, NULL);
    check("unhandled_exception_filter", code == 55, code);
}

static void test_suspended(void)
{
    PROCESS_INFORMATION pi;
    DWORD code = 0;
    check("create_suspended", spawn(NULL, "exit 5", CREATE_SUSPENDED, FALSE, NULL, NULL, NULL, &pi), GetLastError());
    check("suspended_still_active", GetExitCodeProcess(pi.hProcess, &code) && code == STILL_ACTIVE, code);
    check("suspended_does_not_run", WaitForSingleObject(pi.hProcess, 200) == WAIT_TIMEOUT, 0);
    check("resume", ResumeThread(pi.hThread) == 1, 0);
    check("resumed_ends", WaitForSingleObject(pi.hProcess, 20000) == WAIT_OBJECT_0, 0);
    check("resumed_exit_code", GetExitCodeProcess(pi.hProcess, &code) && code == 5, code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);

    check("spawn_sleeper", spawn(NULL, "sleep", 0, FALSE, NULL, NULL, NULL, &pi), GetLastError());
    HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | SYNCHRONIZE, FALSE, pi.dwProcessId);
    check("open_process", h != NULL, GetLastError());
    check("get_process_id", GetProcessId(pi.hProcess) == pi.dwProcessId, GetProcessId(pi.hProcess));
    check("terminate", TerminateProcess(pi.hProcess, 77), GetLastError());
    check("terminated_signals", WaitForSingleObject(h ? h : pi.hProcess, 20000) == WAIT_OBJECT_0, 0);
    check("terminated_exit_code", GetExitCodeProcess(pi.hProcess, &code) && code == 77, code);
    if (h) CloseHandle(h);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

static BOOL file_says(const char *text)
{
    char buf[32] = { 0 };
    DWORD n = 0;
    HANDLE h = CreateFileA(OUT_FILE, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return FALSE;
    ReadFile(h, buf, sizeof(buf) - 1, &n, NULL);
    CloseHandle(h);
    return n == strlen(text) && memcmp(buf, text, n) == 0;
}

static void test_handles(void)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    char args[64];
    HANDLE h = CreateFileA(OUT_FILE, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS, 0, NULL);
    check("inheritable_file", h != INVALID_HANDLE_VALUE, GetLastError());
    snprintf(args, sizeof(args), "inherit %lu", (unsigned long)(ULONG_PTR)h);
    DWORD code = run(NULL, args, 0, TRUE, NULL, NULL, NULL);
    CloseHandle(h);
    check("inherited_handle", code == 0 && file_says("inherited"), code);

    h = CreateFileA(OUT_FILE, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS, 0, NULL);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = h;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    code = run(NULL, "stdout", 0, TRUE, &si, NULL, NULL);
    CloseHandle(h);
    check("redirected_stdout", code == 0 && file_says("redirected"), code);

    /* lpReserved2: the C run-time's file table (here: zero files, then a marker byte). */
    static BYTE runtime[5] = { 0, 0, 0, 0, 'x' };
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.cbReserved2 = sizeof(runtime);
    si.lpReserved2 = runtime;
    code = run(NULL, "runtime", 0, FALSE, &si, NULL, NULL);
    check("startup_reserved2", code == 0, code);
    DeleteFileA(OUT_FILE);
}

static void test_environment(void)
{
    static char env[] = "K32TEST=hello\0OTHER=1\0";
    DWORD code = run(NULL, "env", 0, FALSE, NULL, env, NULL);
    check("child_environment", code == 0, code);
    SetEnvironmentVariableA("K32TEST", "hello");
    code = run(NULL, "env", 0, FALSE, NULL, NULL, NULL);
    check("inherited_environment", code == 0, code);
    code = run(NULL, "cwd", 0, FALSE, NULL, NULL, "C:\\Windows");
    check("child_directory", code == 0, code);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, "K32ProcEvent");
    code = run(NULL, "event", 0, FALSE, NULL, NULL, NULL);
    check("named_event_across_processes", code == 0 && WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, code);
    CloseHandle(ev);
    PROCESS_INFORMATION pi;
    BOOL ok = spawn(NULL, "cwd", 0, FALSE, NULL, NULL, "C:\\no_such_dir_k32", &pi);
    DWORD e = GetLastError();
    check("bad_directory", !ok && e == ERROR_DIRECTORY, e);
}

static void test_self(void)
{
    check("current_process_id", GetCurrentProcessId() != 0, 0);
    check("current_process_pseudo", GetCurrentProcess() == (HANDLE)(LONG_PTR)-1, 0);
    check("command_line", strstr(GetCommandLineA(), "w_kernel32_proc") != NULL, 0);
    STARTUPINFOA si;
    GetStartupInfoA(&si);
    check("startup_info", si.cb == sizeof(si), si.cb);
    DWORD code = 0;
    check("self_still_active", GetExitCodeProcess(GetCurrentProcess(), &code) && code == STILL_ACTIVE, code);
}

int main(int argc, char **argv)
{
    if (argc >= 2) return child(argc, argv);
    GetModuleFileNameA(NULL, self, MAX_PATH);
    test_self();
    test_basic();
    test_suspended();
    test_handles();
    test_environment();
    printf("w_kernel32_proc: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
