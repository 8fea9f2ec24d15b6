/* conio.c - <conio.h>, the console without streams: _kbhit says whether a key is waiting in the
 * console's input buffer, _getch/_getche read one key (the console's line and echo modes
 * switched off for the read), _putch/_cputs write straight to the console,
 * _cprintf formats to it. They use the process's console handles, whatever stdin and stdout
 * were redirected to. */
#include "crtp.h"

static HANDLE ConsoleIn(void) { return GetStdHandle(STD_INPUT_HANDLE); }
static HANDLE ConsoleOut(void) { return GetStdHandle(STD_OUTPUT_HANDLE); }

static int Pushed = EOF;     /* _ungetch's character */

CRTAPI int _getch(void)
{
    if (Pushed != EOF) {
        int c = Pushed;
        Pushed = EOF;
        return c;
    }
    HANDLE in = ConsoleIn();
    DWORD mode = 0, n = 0;
    BOOL console = GetConsoleMode(in, &mode);
    if (console)
        SetConsoleMode(in, mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    unsigned char c = 0;
    BOOL ok = ReadFile(in, &c, 1, &n, NULL);
    if (console)
        SetConsoleMode(in, mode);
    return ok && n == 1 ? c : EOF;
}

/* A key waiting: an input event with a character (or one _ungetch put back). */
CRTAPI int _kbhit(void)
{
    INPUT_RECORD records[16];
    DWORD n = 0;
    if (Pushed != EOF) return 1;
    if (!PeekConsoleInputA(ConsoleIn(), records, 16, &n)) return 0;
    for (DWORD i = 0; i < n; i++)
        if (records[i].EventType == KEY_EVENT && records[i].Event.KeyEvent.bKeyDown &&
            records[i].Event.KeyEvent.uChar.AsciiChar)
            return 1;
    return 0;
}

CRTAPI int _putch(int c)
{
    char byte = (char)c;
    DWORD n;
    return WriteFile(ConsoleOut(), &byte, 1, &n, NULL) && n == 1 ? (unsigned char)c : EOF;
}

CRTAPI int _getche(void)
{
    int c = _getch();
    if (c != EOF)
        _putch(c);
    return c;
}

CRTAPI int _ungetch(int c)
{
    if (Pushed != EOF || c == EOF)
        return EOF;
    Pushed = c;
    return c;
}

CRTAPI int _cputs(const char *s)
{
    DWORD n, length = (DWORD)strlen(s);
    return WriteFile(ConsoleOut(), s, length, &n, NULL) && n == length ? 0 : -1;
}

typedef struct {
    CRT_SINK Sink;
    char Buffer[256];
    size_t Used;
} CONSOLE_SINK;

static void Drain(CONSOLE_SINK *cs)
{
    DWORD n;
    if (cs->Used && !WriteFile(ConsoleOut(), cs->Buffer, (DWORD)cs->Used, &n, NULL))
        cs->Sink.Error = 1;
    cs->Used = 0;
}

static void PutConsole(CRT_SINK *s, const char *Text, size_t Length)
{
    CONSOLE_SINK *cs = (CONSOLE_SINK *)s;
    for (size_t i = 0; i < Length; i++) {
        if (cs->Used == sizeof(cs->Buffer))
            Drain(cs);
        cs->Buffer[cs->Used++] = Text[i];
    }
}

/* No text-mode translation: "\n" goes to the console as it is, as MSVCRT's _cprintf does. */
CRTAPI int _vcprintf(const char *Format, va_list Args)
{
    CONSOLE_SINK cs = { { PutConsole, 0, 0, 0 }, { 0 }, 0 };
    int n = CrtFormat(&cs.Sink, Format, Args);
    Drain(&cs);
    return cs.Sink.Error ? -1 : n;
}

CRTAPI int _cprintf(const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = _vcprintf(Format, args);
    va_end(args);
    return n;
}
