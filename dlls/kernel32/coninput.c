/*
 * coninput.c - the console's input buffer as events (consrv's input.c): GetNumberOfConsoleInput
 * Events, PeekConsoleInput, ReadConsoleInput (waits for one event at least) and
 * FlushConsoleInputBuffer. Each typed byte is one KEY_EVENT: key down, repeat count 1, the
 * character, and the virtual-key code of the keys that have one (letters, digits, Enter,
 * Backspace, Tab, Escape, space); NanoNT's terminal reports no key releases, modifiers or
 * mouse.
 */
#include "k32p.h"
#include "ntcsr.h"

static WORD BaseVirtualKey(CHAR C)
{
    if (C >= 'a' && C <= 'z') return (WORD)(C - 'a' + 'A');
    if ((C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9') || C == ' ') return (WORD)C;
    switch (C) {
    case '\r': case '\n': return 0x0D;            /* VK_RETURN */
    case '\b': return 0x08;                        /* VK_BACK */
    case '\t': return 0x09;                        /* VK_TAB */
    case 0x1B: return 0x1B;                        /* VK_ESCAPE */
    default: return 0;
    }
}

static BOOL BaseInputEvents(HANDLE Console, ULONG Action, ULONG Length, PCSR_API_MESSAGE Message)
{
    if (!BaseCsrConnected || !BaseIsConsoleHandle(Console)) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    RtlZeroMemory(Message, sizeof(*Message));
    Message->Data.InputEvents.ConsoleHandle = Console;
    Message->Data.InputEvents.Action = Action;
    Message->Data.InputEvents.Length = Length;
    return BaseNtSuccess(BaseConsoleCall(Message, NULL, ConsolepInputEvents,
                                         CSR_API_ARGUMENT_SIZE(CONSOLE_INPUT_EVENTS_MSG)));
}

BOOL WINAPI GetNumberOfConsoleInputEvents(HANDLE hConsoleInput, LPDWORD lpNumberOfEvents)
{
    CSR_API_MESSAGE m;
    if (lpNumberOfEvents == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseInputEvents(hConsoleInput, CONSOLE_EVENTS_COUNT, 0, &m)) return FALSE;
    *lpNumberOfEvents = m.Data.InputEvents.Length;
    return TRUE;
}

BOOL WINAPI FlushConsoleInputBuffer(HANDLE hConsoleInput)
{
    CSR_API_MESSAGE m;
    return BaseInputEvents(hConsoleInput, CONSOLE_EVENTS_FLUSH, 0, &m);
}

/* Peek or read: the events as INPUT_RECORDs, the characters in ANSI or Unicode. */
static BOOL BaseGetEvents(HANDLE Console, PINPUT_RECORD Buffer, DWORD Length, LPDWORD Count, ULONG Action,
                          BOOL Unicode)
{
    CSR_API_MESSAGE m;
    if (Count == NULL || (Buffer == NULL && Length)) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    *Count = 0;
    if (Length == 0) return TRUE;
    if (!BaseInputEvents(Console, Action, Length, &m)) return FALSE;
    for (ULONG i = 0; i < m.Data.InputEvents.Length; i++) {
        CHAR c = (CHAR)m.Data.InputEvents.Inline[i];
        PINPUT_RECORD r = &Buffer[i];
        RtlZeroMemory(r, sizeof(*r));
        r->EventType = KEY_EVENT;
        r->Event.KeyEvent.bKeyDown = TRUE;
        r->Event.KeyEvent.wRepeatCount = 1;
        r->Event.KeyEvent.wVirtualKeyCode = BaseVirtualKey(c);
        if (Unicode) {
            ULONG bytes = 0;
            RtlMultiByteToUnicodeN(&r->Event.KeyEvent.uChar.UnicodeChar, sizeof(WCHAR), &bytes, &c, 1);
        } else {
            r->Event.KeyEvent.uChar.AsciiChar = c;
        }
    }
    *Count = m.Data.InputEvents.Length;
    return TRUE;
}

BOOL WINAPI PeekConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return BaseGetEvents(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, CONSOLE_EVENTS_PEEK, FALSE);
}

BOOL WINAPI PeekConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return BaseGetEvents(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, CONSOLE_EVENTS_PEEK, TRUE);
}

BOOL WINAPI ReadConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return BaseGetEvents(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, CONSOLE_EVENTS_READ, FALSE);
}

BOOL WINAPI ReadConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return BaseGetEvents(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, CONSOLE_EVENTS_READ, TRUE);
}
