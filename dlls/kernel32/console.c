/*
 * console.c - consoles, served by consrv in csrss: the process's console (allocated or inherited
 * at start, AllocConsole/FreeConsole), reading and writing console handles (ReadConsole,
 * WriteConsole, and ReadFile/WriteFile on them), modes, the title (Ctrl+C is ctrl.c's). Console handles are the
 * pseudo-handles 3 (input), 7 (output) and 11 (error) of csrmsg.h, the same in every process
 * attached to a console; they never reach the kernel.
 *
 * RTL_USER_PROCESS_PARAMETERS.ConsoleHandle carries the console id from parent to child; two
 * special values say what CreateProcess was asked: BASE_CONSOLE_DETACHED (no console at all) and
 * BASE_CONSOLE_NEW (allocate a fresh one).
 */
#include "k32p.h"
#include "ntcsr.h"

#define BASE_CONSOLE_CHUNK 4096u        /* bytes per capture buffer: the port memory is 64 KiB */

static ULONG BaseConsoleId;             /* 0 = no console */

NTSTATUS BaseConsoleCall(PCSR_API_MESSAGE Message, PCSR_CAPTURE_BUFFER Capture, ULONG Api, ULONG Size)
{
    if (!BaseCsrConnected) return STATUS_INVALID_HANDLE;
    return CsrClientCallServer(Message, Capture, CSR_MAKE_API_NUMBER(CONSRV_SERVERDLL_INDEX, Api), Size);
}

/* Adopts the console a reply names and makes its handles the standard ones where unset. */
static VOID BaseConsoleAdopt(const CONSOLE_ALLOC_MSG *Reply, BOOL ReplaceStdHandles)
{
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    BaseConsoleId = Reply->ConsoleId;
    params->ConsoleHandle = (HANDLE)(ULONG_PTR)Reply->ConsoleId;
    if (ReplaceStdHandles || params->StandardInput == NULL) params->StandardInput = Reply->InputHandle;
    if (ReplaceStdHandles || params->StandardOutput == NULL) params->StandardOutput = Reply->OutputHandle;
    if (ReplaceStdHandles || params->StandardError == NULL) params->StandardError = Reply->ErrorHandle;
}

static NTSTATUS BaseConsoleAlloc(BOOL ReplaceStdHandles)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    /* The title: the one the creator asked for, else the image's path. */
    PUNICODE_STRING title = params->WindowTitle.Length ? &params->WindowTitle : &params->ImagePathName;
    ULONG bytes = title->Length < sizeof(m.Data.AllocConsole.Title) ? title->Length : sizeof(m.Data.AllocConsole.Title);
    if (title->Buffer) RtlCopyMemory(m.Data.AllocConsole.Title, title->Buffer, bytes);
    m.Data.AllocConsole.TitleLength = bytes;
    m.Data.AllocConsole.CtrlRoutine = (PVOID)BaseCtrlRoutine;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepAlloc, CSR_API_ARGUMENT_SIZE(CONSOLE_ALLOC_MSG));
    if (NT_SUCCESS(status)) BaseConsoleAdopt(&m.Data.AllocConsole, ReplaceStdHandles);
    return status;
}

static NTSTATUS BaseConsoleAttach(ULONG ConsoleId)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.ConsoleId = ConsoleId;
    m.Data.AllocConsole.CtrlRoutine = (PVOID)BaseCtrlRoutine;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepAttach, CSR_API_ARGUMENT_SIZE(CONSOLE_ALLOC_MSG));
    if (NT_SUCCESS(status)) BaseConsoleAdopt(&m.Data.AllocConsole, FALSE);
    return status;
}

BOOL BaseConsoleInitialize(PRTL_USER_PROCESS_PARAMETERS Params, BOOL IsConsoleApp)
{
    HANDLE given = Params->ConsoleHandle;
    Params->ConsoleHandle = NULL;
    if (given == BASE_CONSOLE_DETACHED) return TRUE;
    if (given != NULL && given != BASE_CONSOLE_NEW) {
        if (NT_SUCCESS(BaseConsoleAttach((ULONG)(ULONG_PTR)given))) return TRUE;
        /* The parent's console is gone: a console program gets its own instead. */
    }
    if (!IsConsoleApp) return TRUE;
    NTSTATUS status = BaseConsoleAlloc(FALSE);
    if (!NT_SUCCESS(status)) {
        DbgPrint("kernel32: no console for this program: status 0x%08lx\n", (unsigned long)status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI AllocConsole(VOID)
{
    if (BaseConsoleId != 0) { SetLastError(ERROR_ACCESS_DENIED); return FALSE; }
    NTSTATUS status = BaseConsoleAlloc(TRUE);
    return BaseNtSuccess(status);
}

BOOL WINAPI FreeConsole(VOID)
{
    if (BaseConsoleId == 0) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.ConsoleId = BaseConsoleId;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepFree, CSR_API_ARGUMENT_SIZE(CONSOLE_ALLOC_MSG));
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    BaseConsoleId = 0;
    BaseParams()->ConsoleHandle = NULL;
    return TRUE;
}

/* ---- Handles ---- */

HANDLE BaseConsoleOpen(LPCWSTR Name, DWORD Access, BOOL Inherit)
{
    if (BaseConsoleId == 0) { SetLastError(ERROR_INVALID_HANDLE); return INVALID_HANDLE_VALUE; }
    /* "CONIN$" is the input, "CONOUT$" the output (case-insensitive, as file names are); "CON"
     * is the input when opened for reading only, else the output, as on Windows. */
    WCHAR c = Name[3];
    if (c == u'I' || c == u'i') return CONSOLE_INPUT_HANDLE;
    if ((c == 0 || c == u'.' || c == u':' || c == u' ') && (Access & (GENERIC_READ | FILE_READ_DATA)) &&
        !(Access & (GENERIC_WRITE | FILE_WRITE_DATA | FILE_APPEND_DATA)))
        return CONSOLE_INPUT_HANDLE;
    return CONSOLE_OUTPUT_HANDLE;
}

BOOL BaseConsoleClose(HANDLE Console)
{
    /* The three console handles are shared by the whole process: closing one has no effect. */
    if (Console != CONSOLE_INPUT_HANDLE && Console != CONSOLE_OUTPUT_HANDLE && Console != CONSOLE_ERROR_HANDLE) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

BOOL BaseConsoleDuplicate(HANDLE Console, LPHANDLE Target, DWORD Access, BOOL Inherit, DWORD Options)
{
    if (!BaseConsoleClose(Console)) return FALSE;
    *Target = Console;
    return TRUE;
}

/* ---- Writing and reading ---- */

/* One write of at most BASE_CONSOLE_CHUNK bytes: inline when it fits in the message. */
static NTSTATUS BaseConsoleWriteChunk(HANDLE Console, const BYTE *Data, ULONG Bytes, BOOL Unicode, PULONG Chars)
{
    CSR_API_MESSAGE m;
    PCSR_CAPTURE_BUFFER capture = NULL;
    RtlZeroMemory(&m, sizeof(CSR_API_MESSAGE));
    m.Data.WriteConsole.ConsoleHandle = Console;
    m.Data.WriteConsole.Unicode = (BOOLEAN)(Unicode != 0);
    m.Data.WriteConsole.Length = Bytes;
    if (Bytes <= CONSOLE_INLINE_BYTES) {
        RtlCopyMemory(m.Data.WriteConsole.Inline, Data, Bytes);
    } else {
        capture = CsrAllocateCaptureBuffer(1, Bytes);
        if (capture == NULL) return STATUS_NO_MEMORY;
        CsrCaptureMessageBuffer(capture, (PVOID)Data, Bytes, &m.Data.WriteConsole.Buffer);
    }
    NTSTATUS status = BaseConsoleCall(&m, capture, ConsolepWriteConsole, CSR_API_ARGUMENT_SIZE(CONSOLE_WRITE_MSG));
    if (capture) CsrFreeCaptureBuffer(capture);
    *Chars = m.Data.WriteConsole.NumberOfCharsWritten;
    return status;
}

BOOL BaseConsoleWrite(HANDLE Console, LPCVOID Buffer, DWORD Chars, BOOL Unicode, LPDWORD Written)
{
    ULONG unit = Unicode ? sizeof(WCHAR) : 1, total = 0;
    const BYTE *data = Buffer;
    if (Written) *Written = 0;
    if (Buffer == NULL && Chars != 0) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    while (total < Chars) {
        ULONG n = (Chars - total) * unit > BASE_CONSOLE_CHUNK ? BASE_CONSOLE_CHUNK / unit : Chars - total;
        ULONG done = 0;
        NTSTATUS status = BaseConsoleWriteChunk(Console, data + total * unit, n * unit, Unicode, &done);
        if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
        total += n;
        if (Written) *Written = total;
    }
    return TRUE;
}

BOOL BaseConsoleRead(HANDLE Console, LPVOID Buffer, DWORD Chars, BOOL Unicode, LPDWORD Read)
{
    ULONG unit = Unicode ? sizeof(WCHAR) : 1;
    if (Read) *Read = 0;
    if (Buffer == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (Chars == 0) return TRUE;
    if (Chars * unit > BASE_CONSOLE_CHUNK) Chars = BASE_CONSOLE_CHUNK / unit;
    CSR_API_MESSAGE m;
    PCSR_CAPTURE_BUFFER capture = NULL;
    RtlZeroMemory(&m, sizeof(CSR_API_MESSAGE));
    m.Data.ReadConsole.ConsoleHandle = Console;
    m.Data.ReadConsole.Unicode = (BOOLEAN)(Unicode != 0);
    m.Data.ReadConsole.NumberOfCharsToRead = Chars;
    if (Chars * unit > CONSOLE_INLINE_BYTES) {
        capture = CsrAllocateCaptureBuffer(1, Chars * unit);
        if (capture == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
        CsrAllocateMessagePointer(capture, Chars * unit, &m.Data.ReadConsole.Buffer);
    }
    NTSTATUS status = BaseConsoleCall(&m, capture, ConsolepReadConsole, CSR_API_ARGUMENT_SIZE(CONSOLE_READ_MSG));
    ULONG got = m.Data.ReadConsole.NumberOfCharsRead;
    if (got > Chars) got = Chars;
    if (NT_SUCCESS(status))
        RtlCopyMemory(Buffer, capture ? m.Data.ReadConsole.Buffer : (PVOID)m.Data.ReadConsole.Inline, got * unit);
    if (capture) CsrFreeCaptureBuffer(capture);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    if (Read) *Read = got;
    return TRUE;
}

static BOOL BaseCheckConsoleHandle(HANDLE h)
{
    if (!BaseIsConsoleHandle(h)) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    return TRUE;
}

BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
                          LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved)
{
    if (!BaseCheckConsoleHandle(hConsoleOutput)) return FALSE;
    return BaseConsoleWrite(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, FALSE, lpNumberOfCharsWritten);
}

BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, const VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
                          LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved)
{
    if (!BaseCheckConsoleHandle(hConsoleOutput)) return FALSE;
    return BaseConsoleWrite(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, TRUE, lpNumberOfCharsWritten);
}

BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                         LPDWORD lpNumberOfCharsRead, LPVOID pInputControl)
{
    if (!BaseCheckConsoleHandle(hConsoleInput)) return FALSE;
    return BaseConsoleRead(hConsoleInput, lpBuffer, nNumberOfCharsToRead, FALSE, lpNumberOfCharsRead);
}

BOOL WINAPI ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                         LPDWORD lpNumberOfCharsRead, LPVOID pInputControl)
{
    if (!BaseCheckConsoleHandle(hConsoleInput)) return FALSE;
    return BaseConsoleRead(hConsoleInput, lpBuffer, nNumberOfCharsToRead, TRUE, lpNumberOfCharsRead);
}

/* ---- Modes and title ---- */

BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode)
{
    if (!BaseCheckConsoleHandle(hConsoleHandle)) return FALSE;
    if (lpMode == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ConsoleMode.ConsoleHandle = hConsoleHandle;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepGetMode, CSR_API_ARGUMENT_SIZE(CONSOLE_MODE_MSG));
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    *lpMode = m.Data.ConsoleMode.Mode;
    return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode)
{
    if (!BaseCheckConsoleHandle(hConsoleHandle)) return FALSE;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ConsoleMode.ConsoleHandle = hConsoleHandle;
    m.Data.ConsoleMode.Mode = dwMode;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepSetMode, CSR_API_ARGUMENT_SIZE(CONSOLE_MODE_MSG));
    return BaseNtSuccess(status);
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle)
{
    if (lpConsoleTitle == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (BaseConsoleId == 0) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    ULONG bytes = (ULONG)BaseWideLength(lpConsoleTitle) * sizeof(WCHAR);
    if (bytes > CONSOLE_MAX_TITLE_CHARS * sizeof(WCHAR)) bytes = CONSOLE_MAX_TITLE_CHARS * sizeof(WCHAR);
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    PCSR_CAPTURE_BUFFER capture = CsrAllocateCaptureBuffer(1, bytes + sizeof(WCHAR));
    if (capture == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    CsrCaptureMessageBuffer(capture, (PVOID)lpConsoleTitle, bytes, (PVOID *)&m.Data.ConsoleTitle.Title);
    m.Data.ConsoleTitle.Length = bytes;
    NTSTATUS status = BaseConsoleCall(&m, capture, ConsolepSetTitle, CSR_API_ARGUMENT_SIZE(CONSOLE_TITLE_MSG));
    CsrFreeCaptureBuffer(capture);
    return BaseNtSuccess(status);
}

BOOL WINAPI SetConsoleTitleA(LPCSTR lpConsoleTitle)
{
    UNICODE_STRING title;
    if (lpConsoleTitle == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseAnsiToUnicode(lpConsoleTitle, &title)) return FALSE;
    BOOL ok = SetConsoleTitleW(title.Buffer ? title.Buffer : u"");
    RtlFreeUnicodeString(&title);
    return ok;
}

UINT WINAPI GetConsoleCP(VOID) { return GetACP(); }
UINT WINAPI GetConsoleOutputCP(VOID) { return GetACP(); }

/* The title, cut to nSize - 1 characters and terminated; returns the characters copied. */
DWORD WINAPI GetConsoleTitleW(LPWSTR lpConsoleTitle, DWORD nSize)
{
    if (lpConsoleTitle == NULL || nSize == 0) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    if (BaseConsoleId == 0) { SetLastError(ERROR_INVALID_HANDLE); return 0; }
    DWORD room = (nSize - 1 < CONSOLE_MAX_TITLE_CHARS ? nSize - 1 : CONSOLE_MAX_TITLE_CHARS) * sizeof(WCHAR);
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    PCSR_CAPTURE_BUFFER capture = CsrAllocateCaptureBuffer(1, room + sizeof(WCHAR));
    if (capture == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return 0; }
    CsrAllocateMessagePointer(capture, room + sizeof(WCHAR), (PVOID *)&m.Data.ConsoleTitle.Title);
    m.Data.ConsoleTitle.Length = room;
    NTSTATUS status = BaseConsoleCall(&m, capture, ConsolepGetTitle, CSR_API_ARGUMENT_SIZE(CONSOLE_TITLE_MSG));
    DWORD chars = 0;
    if (NT_SUCCESS(status)) {
        ULONG bytes = m.Data.ConsoleTitle.Length < room ? m.Data.ConsoleTitle.Length : room;
        chars = bytes / sizeof(WCHAR);
        RtlCopyMemory(lpConsoleTitle, m.Data.ConsoleTitle.Title, bytes);
    }
    CsrFreeCaptureBuffer(capture);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return 0; }
    lpConsoleTitle[chars] = 0;
    return chars;
}

DWORD WINAPI GetConsoleTitleA(LPSTR lpConsoleTitle, DWORD nSize)
{
    WCHAR title[CONSOLE_MAX_TITLE_CHARS + 1];
    if (lpConsoleTitle == NULL || nSize == 0) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    DWORD chars = GetConsoleTitleW(title, ARRAYSIZE(title));
    if (chars == 0) { lpConsoleTitle[0] = 0; return 0; }
    return BaseUnicodeToAnsiN(title, chars, lpConsoleTitle, nSize);
}

BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE hConsoleOutput, PCONSOLE_SCREEN_BUFFER_INFO lpConsoleScreenBufferInfo)
{
    if (!BaseCheckConsoleHandle(hConsoleOutput)) return FALSE;
    if (lpConsoleScreenBufferInfo == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ScreenInfo.ConsoleHandle = hConsoleOutput;
    NTSTATUS status = BaseConsoleCall(&m, NULL, ConsolepGetScreenBufferInfo,
                                      CSR_API_ARGUMENT_SIZE(CONSOLE_SCREEN_INFO_MSG));
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    const CONSOLE_SCREEN_INFO_MSG *r = &m.Data.ScreenInfo;
    PCONSOLE_SCREEN_BUFFER_INFO info = lpConsoleScreenBufferInfo;
    info->dwSize.X = r->SizeX;
    info->dwSize.Y = r->SizeY;
    info->dwCursorPosition.X = r->CursorX;
    info->dwCursorPosition.Y = r->CursorY;
    info->wAttributes = r->Attributes;
    info->srWindow.Left = r->WindowLeft;
    info->srWindow.Top = r->WindowTop;
    info->srWindow.Right = r->WindowRight;
    info->srWindow.Bottom = r->WindowBottom;
    info->dwMaximumWindowSize.X = r->MaximumWindowX;
    info->dwMaximumWindowSize.Y = r->MaximumWindowY;
    return TRUE;
}
