/* w_ctrl.c - Ctrl+C and Ctrl+Break through kernel32 and consrv: GenerateConsoleCtrlEvent runs the
 * process's handlers in a thread of their own, the last registered first, until one returns
 * TRUE; SetConsoleCtrlHandler(NULL, TRUE) ignores Ctrl+C but not Ctrl+Break; a child without
 * handlers (ctrlchild.exe) is ended with STATUS_CONTROL_C_EXIT; a child made with
 * CREATE_NEW_PROCESS_GROUP ignores Ctrl+C, and Ctrl+Break sent to its group id reaches it alone;
 * bad arguments are refused. */
#define WTEST_NAME "w_ctrl"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

static HANDLE handled;                 /* set by the handler that returns TRUE */
static volatile LONG calls;
static DWORD order[8], types[8], thread_of_call;

static BOOL WINAPI first_registered(DWORD type)
{
    LONG i = InterlockedIncrement(&calls) - 1;
    if (i < 8) { order[i] = 1; types[i] = type; }
    thread_of_call = GetCurrentThreadId();
    SetEvent(handled);
    return TRUE;
}

static BOOL WINAPI second_registered(DWORD type)
{
    LONG i = InterlockedIncrement(&calls) - 1;
    if (i < 8) { order[i] = 2; types[i] = type; }
    return FALSE;                      /* passes it on */
}

static BOOL event_arrives(DWORD type)
{
    calls = 0;
    ResetEvent(handled);
    if (!GenerateConsoleCtrlEvent(type, 0)) return FALSE;
    return WaitForSingleObject(handled, 5000) == WAIT_OBJECT_0;
}

static void test_handlers(void)
{
    check("add_first", SetConsoleCtrlHandler(first_registered, TRUE), GetLastError());
    check("add_second", SetConsoleCtrlHandler(second_registered, TRUE), GetLastError());
    BOOL got = event_arrives(CTRL_C_EVENT);
    Sleep(50);
    check("ctrl_c_handlers_last_first", got && calls == 2 && order[0] == 2 && order[1] == 1 &&
          types[0] == CTRL_C_EVENT && types[1] == CTRL_C_EVENT, calls);
    check("own_thread", got && thread_of_call != GetCurrentThreadId(), thread_of_call);
    got = event_arrives(CTRL_BREAK_EVENT);
    Sleep(50);
    check("ctrl_break", got && calls == 2 && types[0] == CTRL_BREAK_EVENT, calls);
    /* Ignoring Ctrl+C: no handler runs; Ctrl+Break still comes. */
    check("ignore_on", SetConsoleCtrlHandler(NULL, TRUE), GetLastError());
    got = event_arrives(CTRL_C_EVENT);
    check("ctrl_c_ignored", !got && calls == 0, calls);
    got = event_arrives(CTRL_BREAK_EVENT);
    check("break_not_ignored", got, calls);
    check("ignore_off", SetConsoleCtrlHandler(NULL, FALSE), GetLastError());
    check("remove_second", SetConsoleCtrlHandler(second_registered, FALSE), GetLastError());
    got = event_arrives(CTRL_C_EVENT);
    Sleep(50);
    check("removed_not_called", got && calls == 1 && order[0] == 1, calls);
    check("remove_unknown", !SetConsoleCtrlHandler(second_registered, FALSE) &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    check("bad_event", !GenerateConsoleCtrlEvent(7, 0) && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
}

static BOOL start_child(DWORD flags, PROCESS_INFORMATION *pi, HANDLE ready)
{
    STARTUPINFOA si;
    char cmd[] = "C:\\Tests\\ctrlchild.exe";
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    ResetEvent(ready);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, pi)) return FALSE;
    return WaitForSingleObject(ready, 10000) == WAIT_OBJECT_0;
}

static void test_children(void)
{
    PROCESS_INFORMATION pi;
    DWORD code = 0;
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, "w_ctrl_ready");
    /* A child with no handler dies of Ctrl+C; we live (our handler says TRUE). */
    BOOL ok = start_child(0, &pi, ready);
    check("child_started", ok, GetLastError());
    if (!ok) return;
    event_arrives(CTRL_C_EVENT);
    ok = WaitForSingleObject(pi.hProcess, 5000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code);
    check("child_killed_by_ctrl_c", ok && code == (DWORD)STATUS_CONTROL_C_EXIT, code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);

    /* A new process group ignores Ctrl+C; Ctrl+Break to its id ends it and nobody else. */
    ok = start_child(CREATE_NEW_PROCESS_GROUP, &pi, ready);
    check("group_child_started", ok, GetLastError());
    if (!ok) return;
    event_arrives(CTRL_C_EVENT);
    check("group_child_ignores_ctrl_c", WaitForSingleObject(pi.hProcess, 500) == WAIT_TIMEOUT, 0);
    calls = 0;
    ok = GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pi.dwProcessId);
    ok = ok && WaitForSingleObject(pi.hProcess, 5000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code);
    Sleep(100);
    check("break_to_group", ok && code == (DWORD)STATUS_CONTROL_C_EXIT && calls == 0, code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(ready);
}

int main(void)
{
    handled = CreateEventA(NULL, TRUE, FALSE, NULL);
    test_handlers();
    test_children();
    return failures != 0;
}
