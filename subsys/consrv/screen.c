/*
 * screen.c - a console's screen as cells: the character and attribute of each of its 80x25
 * cells (kept by output.c as text is written), the attribute new text gets, the cursor and its
 * shape. What changes is drawn by sending the terminal device VT100 control sequences - cursor
 * position "ESC[row;colH", colours "ESC[...m" - which \Device\Console paints on the screen and
 * passes to COM1 as they are. Win32 attributes are FOREGROUND_BLUE 1, GREEN 2, RED 4,
 * INTENSITY 8 and the same four bits shifted left by 4 for the background.
 */
#include "consrvp.h"

VOID ConInitializeScreen(PCONSOLE Console)
{
    Console->Attribute = 0x07;                    /* light grey on black */
    Console->CursorSize = 25;
    Console->CursorVisible = TRUE;
    RtlFillMemory(Console->Chars, sizeof(Console->Chars), ' ');
    RtlFillMemory(Console->Attrs, sizeof(Console->Attrs), 0x07);
}

/* "ESC[0;<1;>3x;4ym" (or the bright 9x/10x forms) for a Win32 attribute. */
static ULONG ConFormatColors(PCHAR Out, USHORT Attribute)
{
    static const CHAR ansi[8] = { '0', '4', '2', '6', '1', '5', '3', '7' };   /* Win32 BGR -> ANSI RGB */
    ULONG n = 0;
    Out[n++] = 0x1B;
    Out[n++] = '[';
    Out[n++] = '0';
    Out[n++] = ';';
    if (Attribute & 0x08) Out[n++] = '9';
    else Out[n++] = '3';
    Out[n++] = ansi[Attribute & 7];
    Out[n++] = ';';
    if (Attribute & 0x80) { Out[n++] = '1'; Out[n++] = '0'; }
    else Out[n++] = '4';
    Out[n++] = ansi[(Attribute >> 4) & 7];
    Out[n++] = 'm';
    return n;
}

static ULONG ConFormatNumber(PCHAR Out, ULONG Value)
{
    CHAR digits[10];
    ULONG n = 0, d = 0;
    do { digits[d++] = (CHAR)('0' + Value % 10); Value /= 10; } while (Value);
    while (d) Out[n++] = digits[--d];
    return n;
}

static VOID ConEmitColors(USHORT Attribute)
{
    CHAR seq[16];
    ConEmit(seq, ConFormatColors(seq, Attribute));
}

static VOID ConEmitCursor(SHORT X, SHORT Y)
{
    CHAR seq[16];
    ULONG n = 0;
    seq[n++] = 0x1B;
    seq[n++] = '[';
    n += ConFormatNumber(seq + n, (ULONG)Y + 1);
    seq[n++] = ';';
    n += ConFormatNumber(seq + n, (ULONG)(X < CONSOLE_SCREEN_WIDTH ? X : CONSOLE_SCREEN_WIDTH - 1) + 1);
    seq[n++] = 'H';
    ConEmit(seq, n);
}

/* Redraws Count cells from (X, Y) in reading order, then puts the cursor and colours back. */
static VOID ConRedraw(PCONSOLE Console, ULONG X, ULONG Y, ULONG Count)
{
    CHAR run[CONSOLE_SCREEN_WIDTH];
    while (Count) {
        ULONG n = CONSOLE_SCREEN_WIDTH - X < Count ? CONSOLE_SCREEN_WIDTH - X : Count;
        ConEmitCursor((SHORT)X, (SHORT)Y);
        for (ULONG i = 0; i < n;) {                /* one run per attribute */
            UCHAR attr = Console->Attrs[Y][X + i];
            ULONG j = i;
            while (j < n && Console->Attrs[Y][X + j] == attr) { run[j - i] = Console->Chars[Y][X + j]; j++; }
            ConEmitColors(attr);
            ConEmit(run, j - i);
            i = j;
        }
        Count -= n;
        X = 0;
        Y++;
    }
    ConEmitColors(Console->Attribute);
    ConEmitCursor(Console->CursorX, Console->CursorY);
}

/* The caller's console if Handle is an output handle, under ConLock (the caller holds it). */
static PCONSOLE ConOutputConsole(PCSR_API_CALL Call, HANDLE Handle)
{
    PCONSOLE console = ConProcessConsole(Call->Process);
    return console && ConHandleKind(Handle) == ConHandleOutput ? console : NULL;
}

static BOOLEAN ConOnScreen(SHORT X, SHORT Y)
{
    return X >= 0 && X < CONSOLE_SCREEN_WIDTH && Y >= 0 && Y < CONSOLE_SCREEN_HEIGHT;
}

NTSTATUS NTAPI ConSrvSetTextAttribute(PCSR_API_CALL Call)
{
    PCONSOLE_CELLS_MSG m = &Call->Message.Data.Cells;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConOutputConsole(Call, m->ConsoleHandle);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else if (m->Attribute > 0xFF) status = STATUS_INVALID_PARAMETER;
    else {
        console->Attribute = m->Attribute;
        ConEmitColors(m->Attribute);
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

NTSTATUS NTAPI ConSrvSetCursorPosition(PCSR_API_CALL Call)
{
    PCONSOLE_CELLS_MSG m = &Call->Message.Data.Cells;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConOutputConsole(Call, m->ConsoleHandle);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else if (!ConOnScreen(m->X, m->Y)) status = STATUS_INVALID_PARAMETER;
    else {
        console->CursorX = m->X;
        console->CursorY = m->Y;
        ConEmitCursor(m->X, m->Y);
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* The cells a fill or read names: the first one's index and how many (cut at the end of the
 * screen and at Limit), or FALSE if the place or kind is wrong. */
static BOOLEAN ConCellRange(PCONSOLE_CELLS_MSG M, ULONG Limit, PULONG First, PULONG Count)
{
    if (!ConOnScreen(M->X, M->Y) || (M->Kind != CONSOLE_CELLS_CHARACTER && M->Kind != CONSOLE_CELLS_ATTRIBUTE))
        return FALSE;
    *First = (ULONG)M->Y * CONSOLE_SCREEN_WIDTH + (ULONG)M->X;
    ULONG room = CONSOLE_SCREEN_WIDTH * CONSOLE_SCREEN_HEIGHT - *First;
    *Count = M->Length < room ? M->Length : room;
    if (*Count > Limit) *Count = Limit;
    return TRUE;
}

/* Fills Length cells from (X, Y), cut at the end of the screen, with a character or an attribute. */
NTSTATUS NTAPI ConSrvFillOutput(PCSR_API_CALL Call)
{
    PCONSOLE_CELLS_MSG m = &Call->Message.Data.Cells;
    ULONG first, count;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConOutputConsole(Call, m->ConsoleHandle);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else if (!ConCellRange(m, 0xFFFFFFFFu, &first, &count) || (m->Kind == CONSOLE_CELLS_ATTRIBUTE && m->Value > 0xFF))
        status = STATUS_INVALID_PARAMETER;
    else {
        for (ULONG i = first; i < first + count; i++) {
            if (m->Kind == CONSOLE_CELLS_CHARACTER) (&console->Chars[0][0])[i] = (CHAR)m->Value;
            else (&console->Attrs[0][0])[i] = (UCHAR)m->Value;
        }
        if (count) ConRedraw(console, (ULONG)m->X, (ULONG)m->Y, count);
        m->Length = count;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* Reads Length cells from (X, Y), cut at the end of the screen and at what Inline holds. */
NTSTATUS NTAPI ConSrvReadOutput(PCSR_API_CALL Call)
{
    PCONSOLE_CELLS_MSG m = &Call->Message.Data.Cells;
    ULONG first, count;
    ULONG fits = m->Kind == CONSOLE_CELLS_CHARACTER ? sizeof(m->Inline) : sizeof(m->Inline) / sizeof(USHORT);
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConOutputConsole(Call, m->ConsoleHandle);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else if (!ConCellRange(m, fits, &first, &count)) status = STATUS_INVALID_PARAMETER;
    else {
        for (ULONG i = 0; i < count; i++) {
            if (m->Kind == CONSOLE_CELLS_CHARACTER) m->Inline[i] = (UCHAR)(&console->Chars[0][0])[first + i];
            else ((PUSHORT)m->Inline)[i] = (&console->Attrs[0][0])[first + i];
        }
        m->Length = count;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* The cursor's size (percent of a cell) and visibility: kept and reported. The screen's cursor
 * is the device's own blinking underline. */
NTSTATUS NTAPI ConSrvCursorInfo(PCSR_API_CALL Call)
{
    PCONSOLE_CELLS_MSG m = &Call->Message.Data.Cells;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConOutputConsole(Call, m->ConsoleHandle);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else if (m->Set && (m->CursorSize == 0 || m->CursorSize > 100)) status = STATUS_INVALID_PARAMETER;
    else if (m->Set) {
        console->CursorSize = m->CursorSize;
        console->CursorVisible = m->CursorVisible;
    } else {
        m->CursorSize = console->CursorSize;
        m->CursorVisible = console->CursorVisible;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}
