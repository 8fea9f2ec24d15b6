/*
 * conscreen.c - the cells of a console's screen, through consrv (subsys/consrv/screen.c): the
 * attribute of new text, the cursor position and shape, filling cells with a character or an
 * attribute, and reading cells back. The screen is 80x25; coordinates outside it fail with
 * ERROR_INVALID_PARAMETER, and fills and reads stop at its end.
 */
#include "k32p.h"
#include "ntcsr.h"

static BOOL BaseCellsCall(PCSR_API_MESSAGE Message, ULONG Api)
{
    return BaseNtSuccess(BaseConsoleCall(Message, NULL, Api, CSR_API_ARGUMENT_SIZE(CONSOLE_CELLS_MSG)));
}

/* A message for an output handle, or FALSE (last error set). */
static BOOL BaseCellsBegin(PCSR_API_MESSAGE Message, HANDLE Console)
{
    if (!BaseCsrConnected || !BaseIsConsoleHandle(Console)) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    RtlZeroMemory(Message, sizeof(*Message));
    Message->Data.Cells.ConsoleHandle = Console;
    return TRUE;
}

BOOL WINAPI SetConsoleTextAttribute(HANDLE hConsoleOutput, WORD wAttributes)
{
    CSR_API_MESSAGE m;
    if (!BaseCellsBegin(&m, hConsoleOutput)) return FALSE;
    m.Data.Cells.Attribute = wAttributes;
    return BaseCellsCall(&m, ConsolepSetTextAttribute);
}

BOOL WINAPI SetConsoleCursorPosition(HANDLE hConsoleOutput, COORD dwCursorPosition)
{
    CSR_API_MESSAGE m;
    if (!BaseCellsBegin(&m, hConsoleOutput)) return FALSE;
    m.Data.Cells.X = dwCursorPosition.X;
    m.Data.Cells.Y = dwCursorPosition.Y;
    return BaseCellsCall(&m, ConsolepSetCursorPosition);
}

static BOOL BaseFill(HANDLE Console, ULONG Kind, USHORT Value, DWORD Length, COORD At, LPDWORD Done)
{
    CSR_API_MESSAGE m;
    if (Done == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    *Done = 0;
    if (!BaseCellsBegin(&m, Console)) return FALSE;
    m.Data.Cells.Kind = Kind;
    m.Data.Cells.Value = Value;
    m.Data.Cells.Length = Length;
    m.Data.Cells.X = At.X;
    m.Data.Cells.Y = At.Y;
    if (!BaseCellsCall(&m, ConsolepFillOutput)) return FALSE;
    *Done = m.Data.Cells.Length;
    return TRUE;
}

BOOL WINAPI FillConsoleOutputCharacterA(HANDLE hConsoleOutput, CHAR cCharacter, DWORD nLength, COORD dwWriteCoord,
                                        LPDWORD lpNumberOfCharsWritten)
{
    return BaseFill(hConsoleOutput, CONSOLE_CELLS_CHARACTER, (UCHAR)cCharacter, nLength, dwWriteCoord,
                    lpNumberOfCharsWritten);
}

BOOL WINAPI FillConsoleOutputCharacterW(HANDLE hConsoleOutput, WCHAR cCharacter, DWORD nLength, COORD dwWriteCoord,
                                        LPDWORD lpNumberOfCharsWritten)
{
    CHAR c = '?';
    ULONG bytes = 0;
    RtlUnicodeToMultiByteN(&c, 1, &bytes, &cCharacter, sizeof(WCHAR));     /* the screen is ANSI */
    return FillConsoleOutputCharacterA(hConsoleOutput, c, nLength, dwWriteCoord, lpNumberOfCharsWritten);
}

BOOL WINAPI FillConsoleOutputAttribute(HANDLE hConsoleOutput, WORD wAttribute, DWORD nLength, COORD dwWriteCoord,
                                       LPDWORD lpNumberOfAttrsWritten)
{
    return BaseFill(hConsoleOutput, CONSOLE_CELLS_ATTRIBUTE, wAttribute, nLength, dwWriteCoord, lpNumberOfAttrsWritten);
}

/* Reads Length cells from At, a message's worth at a time. */
static BOOL BaseReadCells(HANDLE Console, ULONG Kind, PVOID Buffer, DWORD Length, COORD At, LPDWORD Done)
{
    ULONG size = Kind == CONSOLE_CELLS_CHARACTER ? 1 : sizeof(WORD);
    if (Done == NULL || (Buffer == NULL && Length)) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    *Done = 0;
    ULONG cell = (ULONG)At.Y * CONSOLE_SCREEN_WIDTH + (ULONG)At.X;
    while (*Done < Length) {
        CSR_API_MESSAGE m;
        if (!BaseCellsBegin(&m, Console)) return FALSE;
        m.Data.Cells.Kind = Kind;
        m.Data.Cells.Length = Length - *Done;
        m.Data.Cells.X = (SHORT)(cell % CONSOLE_SCREEN_WIDTH);
        m.Data.Cells.Y = (SHORT)(cell / CONSOLE_SCREEN_WIDTH);
        if (*Done && m.Data.Cells.Y >= CONSOLE_SCREEN_HEIGHT) break;           /* the end of the screen */
        if (*Done == 0) { m.Data.Cells.X = At.X; m.Data.Cells.Y = At.Y; }
        if (!BaseCellsCall(&m, ConsolepReadOutput)) return FALSE;
        ULONG n = m.Data.Cells.Length;
        if (n == 0) break;
        RtlCopyMemory((PUCHAR)Buffer + *Done * size, m.Data.Cells.Inline, n * size);
        *Done += n;
        cell += n;
    }
    return TRUE;
}

BOOL WINAPI ReadConsoleOutputCharacterA(HANDLE hConsoleOutput, LPSTR lpCharacter, DWORD nLength, COORD dwReadCoord,
                                        LPDWORD lpNumberOfCharsRead)
{
    return BaseReadCells(hConsoleOutput, CONSOLE_CELLS_CHARACTER, lpCharacter, nLength, dwReadCoord, lpNumberOfCharsRead);
}

BOOL WINAPI ReadConsoleOutputAttribute(HANDLE hConsoleOutput, LPWORD lpAttribute, DWORD nLength, COORD dwReadCoord,
                                       LPDWORD lpNumberOfAttrsRead)
{
    return BaseReadCells(hConsoleOutput, CONSOLE_CELLS_ATTRIBUTE, lpAttribute, nLength, dwReadCoord, lpNumberOfAttrsRead);
}

BOOL WINAPI GetConsoleCursorInfo(HANDLE hConsoleOutput, PCONSOLE_CURSOR_INFO lpConsoleCursorInfo)
{
    CSR_API_MESSAGE m;
    if (lpConsoleCursorInfo == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseCellsBegin(&m, hConsoleOutput) || !BaseCellsCall(&m, ConsolepCursorInfo)) return FALSE;
    lpConsoleCursorInfo->dwSize = m.Data.Cells.CursorSize;
    lpConsoleCursorInfo->bVisible = m.Data.Cells.CursorVisible;
    return TRUE;
}

BOOL WINAPI SetConsoleCursorInfo(HANDLE hConsoleOutput, const CONSOLE_CURSOR_INFO *lpConsoleCursorInfo)
{
    CSR_API_MESSAGE m;
    if (lpConsoleCursorInfo == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseCellsBegin(&m, hConsoleOutput)) return FALSE;
    m.Data.Cells.Set = TRUE;
    m.Data.Cells.CursorSize = lpConsoleCursorInfo->dwSize;
    m.Data.Cells.CursorVisible = lpConsoleCursorInfo->bVisible != FALSE;
    return BaseCellsCall(&m, ConsolepCursorInfo);
}
