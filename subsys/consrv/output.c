/*
 * output.c - the terminal device and console output. Every console draws on \Device\Console
 * (screen + COM1), falling back to \Device\Serial0 when there is no console device (then there
 * is no input; with neither, output is dropped but consoles still work). consrv opens it twice, a handle for writing and one for the input thread's
 * reads, so a write never queues behind a read that waits for a key. The cursor and the cells of
 * each console (screen.c) follow what it wrote, on a fixed 80x25 screen that scrolls at the
 * bottom.
 */
#include "consrvp.h"

static HANDLE ConOutputDevice;
HANDLE ConInputDevice;

static NTSTATUS ConOpen(PCWSTR Name, ACCESS_MASK Access, PHANDLE Handle)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    RtlInitUnicodeString(&name, Name);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    return NtOpenFile(Handle, Access | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      FILE_SYNCHRONOUS_IO_NONALERT);
}

NTSTATUS ConOpenDevice(VOID)
{
    NTSTATUS status = ConOpen(u"\\Device\\Console", FILE_WRITE_DATA, &ConOutputDevice);
    if (NT_SUCCESS(status)) {
        if (!NT_SUCCESS(ConOpen(u"\\Device\\Console", FILE_READ_DATA, &ConInputDevice))) ConInputDevice = NULL;
        return STATUS_SUCCESS;
    }
    DbgPrint("CONSRV: no \\Device\\Console (0x%08lx): output to \\Device\\Serial0, no input\n", (unsigned long)status);
    if (!NT_SUCCESS(ConOpen(u"\\Device\\Serial0", FILE_WRITE_DATA, &ConOutputDevice))) {
        DbgPrint("CONSRV: no \\Device\\Serial0 either: console output is lost\n");
        ConOutputDevice = NULL;              /* consoles still work, with nowhere to draw */
    }
    return STATUS_SUCCESS;
}

/* The screen moves up a row: the top one goes, a blank one comes at the bottom. */
static VOID ConScroll(PCONSOLE Console)
{
    RtlMoveMemory(Console->Chars[0], Console->Chars[1], sizeof(Console->Chars) - sizeof(Console->Chars[0]));
    RtlMoveMemory(Console->Attrs[0], Console->Attrs[1], sizeof(Console->Attrs) - sizeof(Console->Attrs[0]));
    RtlFillMemory(Console->Chars[CONSOLE_SCREEN_HEIGHT - 1], CONSOLE_SCREEN_WIDTH, ' ');
    RtlFillMemory(Console->Attrs[CONSOLE_SCREEN_HEIGHT - 1], CONSOLE_SCREEN_WIDTH, (UCHAR)Console->Attribute);
    Console->CursorY = CONSOLE_SCREEN_HEIGHT - 1;
}

/* The cursor and cells after one character (processed output: CR, LF, BS, TAB move the cursor;
 * the rest print, in the console's attribute). As on a terminal (and the screen, kernel/hal),
 * a character in the last column leaves the cursor past it, and the next printable one wraps. */
static VOID ConAdvance(PCONSOLE Console, CHAR C)
{
    switch (C) {
    case '\r': Console->CursorX = 0; return;
    case '\n': Console->CursorX = 0; Console->CursorY++; break;
    case '\b': if (Console->CursorX > 0) Console->CursorX--; if (Console->CursorX == CONSOLE_SCREEN_WIDTH) Console->CursorX--; return;
    case '\t':
        Console->CursorX = (SHORT)((Console->CursorX + 8) & ~7);
        if (Console->CursorX > CONSOLE_SCREEN_WIDTH) Console->CursorX = CONSOLE_SCREEN_WIDTH;
        return;
    case '\a': return;
    default:
        if (Console->CursorX >= CONSOLE_SCREEN_WIDTH) { Console->CursorX = 0; Console->CursorY++; }
        if (Console->CursorY >= CONSOLE_SCREEN_HEIGHT) ConScroll(Console);
        Console->Chars[Console->CursorY][Console->CursorX] = C;
        Console->Attrs[Console->CursorY][Console->CursorX] = (UCHAR)Console->Attribute;
        Console->CursorX++;
        return;
    }
    if (Console->CursorY >= CONSOLE_SCREEN_HEIGHT) ConScroll(Console);
}

VOID ConEmit(const CHAR *Text, ULONG Length)
{
    IO_STATUS_BLOCK iosb;
    if (Length && ConOutputDevice) NtWriteFile(ConOutputDevice, NULL, NULL, NULL, &iosb, (PVOID)Text, Length, NULL, NULL);
}

VOID ConOutput(PCONSOLE Console, const CHAR *Text, ULONG Length)
{
    if (Length == 0) return;
    ConEmit(Text, Length);
    for (ULONG i = 0; Console && i < Length; i++) ConAdvance(Console, Text[i]);
}

/* Unicode text goes out as ANSI, a chunk at a time. */
static VOID ConOutputUnicode(PCONSOLE Console, const WCHAR *Text, ULONG Chars)
{
    CHAR chunk[128];
    while (Chars) {
        ULONG n = Chars < sizeof(chunk) ? Chars : sizeof(chunk), bytes = 0;
        RtlUnicodeToMultiByteN(chunk, sizeof(chunk), &bytes, Text, n * sizeof(WCHAR));
        ConOutput(Console, chunk, bytes);
        Text += n;
        Chars -= n;
    }
}

/* The text of a write: inline, or in the capture buffer; NULL if the message lies. */
static const VOID *ConWriteText(PCSR_API_CALL Call, PCONSOLE_WRITE_MSG M)
{
    if (M->Buffer == NULL) return M->Length <= sizeof(M->Inline) ? M->Inline : NULL;
    return ConServices->ValidateMessageBuffer(Call, M->Buffer, M->Length, 1) ? M->Buffer : NULL;
}

NTSTATUS NTAPI ConSrvWriteConsole(PCSR_API_CALL Call)
{
    PCONSOLE_WRITE_MSG m = &Call->Message.Data.WriteConsole;
    const VOID *text = ConWriteText(Call, m);
    m->NumberOfCharsWritten = 0;
    if (text == NULL || (m->Unicode && (m->Length & 1))) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL || ConHandleKind(m->ConsoleHandle) != ConHandleOutput) {
        status = STATUS_INVALID_HANDLE;
    } else if (m->Unicode) {
        ConOutputUnicode(console, text, m->Length / sizeof(WCHAR));
        m->NumberOfCharsWritten = m->Length / sizeof(WCHAR);
    } else {
        ConOutput(console, text, m->Length);
        m->NumberOfCharsWritten = m->Length;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

NTSTATUS NTAPI ConSrvGetScreenBufferInfo(PCSR_API_CALL Call)
{
    PCONSOLE_SCREEN_INFO_MSG m = &Call->Message.Data.ScreenInfo;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL || ConHandleKind(m->ConsoleHandle) != ConHandleOutput) {
        status = STATUS_INVALID_HANDLE;
    } else {
        m->SizeX = m->MaximumWindowX = CONSOLE_SCREEN_WIDTH;
        m->SizeY = m->MaximumWindowY = CONSOLE_SCREEN_HEIGHT;
        m->CursorX = console->CursorX < CONSOLE_SCREEN_WIDTH ? console->CursorX : CONSOLE_SCREEN_WIDTH - 1;
        m->CursorY = console->CursorY;
        m->Attributes = console->Attribute;
        m->WindowLeft = m->WindowTop = 0;
        m->WindowRight = CONSOLE_SCREEN_WIDTH - 1;
        m->WindowBottom = CONSOLE_SCREEN_HEIGHT - 1;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}
