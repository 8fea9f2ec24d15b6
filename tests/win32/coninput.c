/* coninput.c - the console's input buffer, driven by the system test console.input_events, which
 * types on COM1 after each "CONINPUT: <step>" line: type-ahead waits as events
 * (GetNumberOfConsoleInputEvents, PeekConsoleInput leaving them, ReadConsoleInput taking them),
 * _kbhit/_getch see the same buffer, FlushConsoleInputBuffer empties it, and a cooked ReadFile
 * then gets a whole edited line. Prints TEST lines; exits with the number of failures. */
#define WTEST_NAME "coninput"
#include "wtest.h"
#include <conio.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

/* Waits (10 s at most) until at least Count events are in the buffer. */
static DWORD wait_events(HANDLE in, DWORD count)
{
    DWORD n = 0;
    for (int i = 0; i < 1000 && GetNumberOfConsoleInputEvents(in, &n) && n < count; i++) Sleep(10);
    return n;
}

int main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    INPUT_RECORD rec[8];
    DWORD n = 0, got = 0;
    char line[64];
    printf("CONINPUT: type\n");             /* the test types "xyz" */
    fflush(stdout);
    n = wait_events(in, 3);
    check("type_ahead_counted", n == 3, n);
    BOOL ok = PeekConsoleInputA(in, rec, 8, &got);
    check("peek", ok && got == 3 && rec[0].EventType == KEY_EVENT && rec[0].Event.KeyEvent.bKeyDown &&
          rec[0].Event.KeyEvent.uChar.AsciiChar == 'x' && rec[0].Event.KeyEvent.wVirtualKeyCode == 'X' &&
          rec[2].Event.KeyEvent.uChar.AsciiChar == 'z', got);
    check("peek_leaves_them", GetNumberOfConsoleInputEvents(in, &n) && n == 3, n);
    check("kbhit", _kbhit() != 0, 0);
    ok = ReadConsoleInputA(in, rec, 2, &got);
    check("read_takes", ok && got == 2 && rec[1].Event.KeyEvent.uChar.AsciiChar == 'y' &&
          GetNumberOfConsoleInputEvents(in, &n) && n == 1, got);
    int c = _getch();
    check("getch", c == 'z', (DWORD)c);
    check("kbhit_empty", _kbhit() == 0, 0);
    printf("CONINPUT: flush\n");            /* "12" */
    fflush(stdout);
    wait_events(in, 2);
    ok = FlushConsoleInputBuffer(in) && GetNumberOfConsoleInputEvents(in, &n);
    check("flush", ok && n == 0, n);
    printf("CONINPUT: line\n");             /* "hi there\r" */
    fflush(stdout);
    ok = ReadFile(in, line, sizeof(line) - 1, &got, NULL);
    line[ok ? got : 0] = 0;
    check("cooked_line", ok && strcmp(line, "hi there\r\n") == 0, got);
    check("bad_handle", !GetNumberOfConsoleInputEvents((HANDLE)0x1234, &n) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
    return failures;
}
