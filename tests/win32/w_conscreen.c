/* w_conscreen.c - the cells of the console screen through kernel32 and consrv: the text
 * attribute (SetConsoleTextAttribute, reported by GetConsoleScreenBufferInfo and given to what is
 * written next), the cursor (SetConsoleCursorPosition: text goes there), filling cells with a
 * character or an attribute (across rows, cut at the end of the screen), reading cells back, the
 * cursor shape, and the refusals. Everything is done first and reported after a fresh line:
 * the moves put control sequences on the console, which must not start a TEST line. */
#define WTEST_NAME "w_conscreen"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define MAX_RESULTS 32
static struct { const char *Name; int Ok; DWORD Detail; } results[MAX_RESULTS];
static int count;

static void later(const char *name, int ok, DWORD detail)
{
    if (count < MAX_RESULTS) { results[count].Name = name; results[count].Ok = ok; results[count].Detail = detail; count++; }
}

int main(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    CONSOLE_SCREEN_BUFFER_INFO info;
    CONSOLE_CURSOR_INFO cursor;
    char chars[128];
    WORD attrs[16];
    DWORD n = 0;
    BOOL ok = GetConsoleScreenBufferInfo(out, &info);
    later("default_attribute", ok && info.wAttributes == 0x07, info.wAttributes);
    WORD red = FOREGROUND_RED | FOREGROUND_INTENSITY | BACKGROUND_BLUE;
    ok = SetConsoleTextAttribute(out, red) && GetConsoleScreenBufferInfo(out, &info);
    later("set_attribute", ok && info.wAttributes == red, info.wAttributes);
    COORD at = { 10, 5 };
    ok = SetConsoleCursorPosition(out, at) && GetConsoleScreenBufferInfo(out, &info);
    later("set_cursor", ok && info.dwCursorPosition.X == 10 && info.dwCursorPosition.Y == 5, info.dwCursorPosition.X);
    ok = WriteConsoleA(out, "XYZ", 3, &n, NULL) && ReadConsoleOutputCharacterA(out, chars, 3, at, &n);
    later("text_at_cursor", ok && n == 3 && memcmp(chars, "XYZ", 3) == 0, n);
    ok = ReadConsoleOutputAttribute(out, attrs, 3, at, &n);
    later("text_in_attribute", ok && n == 3 && attrs[0] == red && attrs[2] == red, attrs[0]);
    SetConsoleTextAttribute(out, 0x07);

    COORD fill = { 70, 6 };
    ok = FillConsoleOutputCharacterA(out, '#', 100, fill, &n);
    DWORD filled = n;
    BOOL read = ReadConsoleOutputCharacterA(out, chars, 100, fill, &n);
    int all = read && n == 100;
    for (DWORD i = 0; all && i < n; i++) all = chars[i] == '#';
    later("fill_characters_across_rows", ok && filled == 100 && all, n);
    COORD fa = { 0, 8 };
    ok = FillConsoleOutputAttribute(out, 0x2E, 5, fa, &n) && ReadConsoleOutputAttribute(out, attrs, 6, fa, &n);
    later("fill_attributes", ok && n == 6 && attrs[0] == 0x2E && attrs[4] == 0x2E && attrs[5] == 0x07, attrs[5]);
    COORD last = { 79, 24 };
    ok = FillConsoleOutputCharacterA(out, '+', 10, last, &n);
    later("fill_cut_at_screen_end", ok && n == 1, n);
    COORD off = { 80, 0 };
    ok = SetConsoleCursorPosition(out, off);
    later("cursor_off_screen_refused", !ok && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    ok = FillConsoleOutputCharacterA(out, '+', 1, off, &n);
    later("fill_off_screen_refused", !ok && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    ok = GetConsoleCursorInfo(out, &cursor);
    later("cursor_info_default", ok && cursor.dwSize == 25 && cursor.bVisible, cursor.dwSize);
    cursor.dwSize = 50;
    cursor.bVisible = FALSE;
    ok = SetConsoleCursorInfo(out, &cursor) && GetConsoleCursorInfo(out, &cursor);
    later("cursor_info_set", ok && cursor.dwSize == 50 && !cursor.bVisible, cursor.dwSize);
    cursor.dwSize = 0;
    later("cursor_size_zero_refused", !SetConsoleCursorInfo(out, &cursor) && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
    later("not_a_console_handle", !SetConsoleTextAttribute((HANDLE)0x1234, 7) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
    COORD home = { 0, 24 };
    SetConsoleCursorPosition(out, home);
    printf("\n");
    for (int i = 0; i < count; i++) check(results[i].Name, results[i].Ok, results[i].Detail);
    return failures != 0;
}
