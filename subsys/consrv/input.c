/*
 * input.c - console input. One terminal, so one input stream: a thread of consrv's own reads
 * the device (started by the first read of input, so a system that never reads never polls).
 * What is typed waits in the input buffer as input events (one key-down per byte, as
 * ReadConsoleInput sees them) until a reader takes it - type-ahead, as on Windows:
 *  - a cooked ReadConsole (ENABLE_LINE_INPUT, the default) runs the events through the line
 *    editor of its console: echo (ENABLE_ECHO_INPUT), backspace, Enter ends the line, which is
 *    ready as "<line>\r\n"; a read takes at most one line, what does not fit its buffer stays;
 *  - a raw ReadConsole takes the bytes as they are;
 *  - ReadConsoleInput / PeekConsoleInput take or look at the events themselves.
 * Ctrl+C in processed input mode (ENABLE_PROCESSED_INPUT) never reaches the buffer: it drops the
 * line being edited and sends CTRL_C_EVENT to the console's processes (console.c) at once. A read
 * that finds nothing is left pending (csrss's server thread goes on serving others) and answered
 * from the input thread; reads are answered in arrival order.
 */
#include "consrvp.h"

#define CON_MAX_PENDING 8

typedef struct _CON_READ {
    BOOLEAN Events;                       /* ReadConsoleInput (else ReadConsole) */
    PCSR_PROCESS Process;
    PCONSOLE Console;
    PVOID Buffer;                         /* csrss's address: captured data or Message's Inline */
    ULONG MaxChars;
    BOOLEAN Unicode;
    CSR_API_MESSAGE Message;              /* the request, answered when the read completes */
} CON_READ;

static CON_READ ConReads[CON_MAX_PENDING];  /* [0] is the oldest */
static ULONG ConReadCount;
static CHAR ConEdit[256];                   /* the line being typed */
static ULONG ConEditLength;
static CHAR ConReady[1024];                 /* edited lines ready for cooked readers */
static ULONG ConReadyLength;
static CHAR ConEvents[1024];                /* the input buffer: typed bytes no reader took yet */
static ULONG ConEventCount;
static HANDLE ConInputThreadHandle;
static NTSTATUS ConInputStatus = STATUS_SUCCESS;   /* why the input thread stopped */

static VOID ConAppendReady(const CHAR *Bytes, ULONG Length)
{
    if (Length > sizeof(ConReady) - ConReadyLength) Length = sizeof(ConReady) - ConReadyLength;  /* full: dropped */
    RtlCopyMemory(ConReady + ConReadyLength, Bytes, Length);
    ConReadyLength += Length;
}

static VOID ConEcho(PCONSOLE Console, ULONG Mode, const CHAR *Text, ULONG Length);

static CHAR ConTakeEvent(VOID)
{
    CHAR c = ConEvents[0];
    RtlMoveMemory(ConEvents, ConEvents + 1, --ConEventCount);
    return c;
}

static BOOLEAN ConLineReady(VOID)
{
    for (ULONG i = 0; i < ConReadyLength; i++)
        if (ConReady[i] == '\n') return TRUE;
    return FALSE;
}

/* A cooked reader's turn: events go through Console's line editor until a line is ready. */
static VOID ConEditEvents(PCONSOLE Console, ULONG Mode)
{
    while (ConEventCount && !ConLineReady()) {
        CHAR c = ConTakeEvent();
        if (c == '\r' || c == '\n') {
            ConAppendReady(ConEdit, ConEditLength);
            ConAppendReady("\r\n", 2);
            ConEditLength = 0;
            ConEcho(Console, Mode, "\r\n", 2);
        } else if (c == '\b') {
            if (ConEditLength) { ConEditLength--; ConEcho(Console, Mode, "\b \b", 3); }
        } else if (ConEditLength < sizeof(ConEdit)) {
            ConEdit[ConEditLength++] = c;
            ConEcho(Console, Mode, &c, 1);
        }
    }
}

/* Up to MaxChars chars of input into Buffer for a ReadConsole of Console (a line at most, in
 * cooked mode): the chars given, 0 if the read must wait. */
static ULONG ConTake(PCONSOLE Console, PVOID Buffer, ULONG MaxChars, BOOLEAN Unicode)
{
    ULONG Mode = Console->InputMode;
    if (!(Mode & ENABLE_LINE_INPUT) && ConReadyLength == 0)          /* raw: the events themselves */
        while (ConEventCount && ConReadyLength < sizeof(ConReady)) { CHAR c = ConTakeEvent(); ConAppendReady(&c, 1); }
    if (Mode & ENABLE_LINE_INPUT) ConEditEvents(Console, Mode);
    ULONG count = ConReadyLength;
    if (Mode & ENABLE_LINE_INPUT) {
        ULONG i = 0;
        while (i < ConReadyLength && ConReady[i] != '\n') i++;
        if (i == ConReadyLength) return 0;      /* no whole line yet */
        count = i + 1;
    }
    if (count > MaxChars) count = MaxChars;
    if (count == 0) return 0;
    if (Unicode) {
        ULONG bytes = 0;
        RtlMultiByteToUnicodeN(Buffer, MaxChars * sizeof(WCHAR), &bytes, ConReady, count);
    } else {
        RtlCopyMemory(Buffer, ConReady, count);
    }
    RtlMoveMemory(ConReady, ConReady + count, ConReadyLength - count);
    ConReadyLength -= count;
    return count;
}

/* Up to Max events (their characters) into Chars; Take removes them from the buffer. */
static ULONG ConTakeEvents(PCHAR Chars, ULONG Max, BOOLEAN Take)
{
    ULONG n = ConEventCount < Max ? ConEventCount : Max;
    RtlCopyMemory(Chars, ConEvents, n);
    if (Take) {
        RtlMoveMemory(ConEvents, ConEvents + n, ConEventCount - n);
        ConEventCount -= n;
    }
    return n;
}

static VOID ConRemoveRead(ULONG Index)
{
    RtlMoveMemory(&ConReads[Index], &ConReads[Index + 1], (ConReadCount - Index - 1) * sizeof(CON_READ));
    ConReadCount--;
}

/* Answers the waiting reads that can be answered, oldest first. */
static VOID ConCompleteReads(VOID)
{
    while (ConReadCount) {
        CON_READ *r = &ConReads[0];
        ULONG n = r->Events ? ConTakeEvents((PCHAR)r->Message.Data.InputEvents.Inline, r->MaxChars, TRUE)
                            : ConTake(r->Console, r->Buffer, r->MaxChars, r->Unicode);
        if (n == 0 && NT_SUCCESS(ConInputStatus)) return;
        if (r->Events) r->Message.Data.InputEvents.Length = n;
        else r->Message.Data.ReadConsole.NumberOfCharsRead = n;
        ConServices->Reply(r->Process, &r->Message, n ? STATUS_SUCCESS : ConInputStatus);
        ConRemoveRead(0);
    }
}

VOID ConCancelReads(PCSR_PROCESS Process, BOOLEAN Reply)
{
    for (ULONG i = 0; i < ConReadCount;) {
        if (ConReads[i].Process != Process) { i++; continue; }
        if (Reply) ConServices->Reply(Process, &ConReads[i].Message, STATUS_CANCELLED);
        ConRemoveRead(i);
    }
}

static VOID ConEcho(PCONSOLE Console, ULONG Mode, const CHAR *Text, ULONG Length)
{
    if (Mode & ENABLE_ECHO_INPUT) ConOutput(Console, Text, Length);
}

/* One typed byte: Ctrl+C is acted on at once (processed input), anything else waits in the buffer. */
static VOID ConInputByte(CHAR C)
{
    PCONSOLE console = ConReadCount ? ConReads[0].Console : ConNewestConsole();
    ULONG mode = console ? console->InputMode : CONSOLE_DEFAULT_INPUT_MODE;
    if (C == 3 && (mode & ENABLE_PROCESSED_INPUT) && console) {
        ConEditLength = 0;
        ConEcho(console, mode, "^C\r\n", 4);
        ConSendCtrlEvent(console, CONSOLE_CTRL_C_EVENT, 0);
        return;
    }
    if (ConEventCount < sizeof(ConEvents)) ConEvents[ConEventCount++] = C;   /* full: dropped */
}

static NTSTATUS NTAPI ConInputThread(PVOID Unused)
{
    UNREFERENCED_PARAMETER(Unused);
    for (;;) {
        CHAR bytes[64];
        IO_STATUS_BLOCK iosb;
        NTSTATUS status = NtReadFile(ConInputDevice, NULL, NULL, NULL, &iosb, bytes, sizeof(bytes), NULL, NULL);
        RtlEnterCriticalSection(&ConLock);
        if (NT_SUCCESS(status)) {
            /* Byte by byte: a waiting reader takes what came before a Ctrl+C, which then drops it. */
            for (ULONG i = 0; i < iosb.Information && i < sizeof(bytes); i++) {
                ConInputByte(bytes[i]);
                ConCompleteReads();
            }
        } else {
            DbgPrint("CONSRV: console input ended: status 0x%08lx\n", (unsigned long)status);
            ConInputStatus = status;
        }
        ConCompleteReads();
        RtlLeaveCriticalSection(&ConLock);
        if (!NT_SUCCESS(status)) return status;
    }
}

/* Under ConLock. */
static NTSTATUS ConStartInput(VOID)
{
    if (ConInputDevice == NULL) return STATUS_NOT_SUPPORTED;
    if (!NT_SUCCESS(ConInputStatus)) return ConInputStatus;
    if (ConInputThreadHandle) return STATUS_SUCCESS;
    return RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, ConInputThread, NULL,
                               &ConInputThreadHandle, NULL);
}

/* Where the chars go: the captured buffer, or the message's Inline; NULL if the message lies. */
static PVOID ConReadBuffer(PCSR_API_CALL Call, PCONSOLE_READ_MSG M)
{
    ULONG charSize = M->Unicode ? sizeof(WCHAR) : 1;
    if (M->NumberOfCharsToRead == 0 || M->NumberOfCharsToRead > CSR_PORT_MEMORY_SIZE) return NULL;
    if (M->Buffer == NULL) return M->NumberOfCharsToRead * charSize <= sizeof(M->Inline) ? M->Inline : NULL;
    return ConServices->ValidateMessageBuffer(Call, M->Buffer, M->NumberOfCharsToRead, charSize) ? M->Buffer : NULL;
}

/* Leaves the read for the input thread (under ConLock). */
static NTSTATUS ConQueueRead(PCSR_API_CALL Call, PCONSOLE Console, PVOID Buffer)
{
    NTSTATUS status = ConStartInput();
    if (!NT_SUCCESS(status)) return status;
    if (ConReadCount == CON_MAX_PENDING) return STATUS_INSUFFICIENT_RESOURCES;
    CON_READ *r = &ConReads[ConReadCount++];
    PCONSOLE_READ_MSG m = &Call->Message.Data.ReadConsole;
    r->Events = FALSE;
    r->Process = Call->Process;
    r->Console = Console;
    r->MaxChars = m->NumberOfCharsToRead;
    r->Unicode = m->Unicode;
    RtlCopyMemory(&r->Message, &Call->Message, sizeof(r->Message));
    r->Buffer = Buffer == m->Inline ? (PVOID)r->Message.Data.ReadConsole.Inline : Buffer;
    Call->ReplyPending = TRUE;
    return STATUS_PENDING;
}

NTSTATUS NTAPI ConSrvReadConsole(PCSR_API_CALL Call)
{
    PCONSOLE_READ_MSG m = &Call->Message.Data.ReadConsole;
    PVOID buffer = ConReadBuffer(Call, m);
    m->NumberOfCharsRead = 0;
    if (buffer == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL || ConHandleKind(m->ConsoleHandle) != ConHandleInput) {
        status = STATUS_INVALID_HANDLE;
    } else {
        ULONG n = ConReadCount ? 0 : ConTake(console, buffer, m->NumberOfCharsToRead, m->Unicode);
        if (n) m->NumberOfCharsRead = n;
        else status = ConQueueRead(Call, console, buffer);
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* GetNumberOfConsoleInputEvents, PeekConsoleInput, ReadConsoleInput (waits for one event at
 * least), FlushConsoleInputBuffer: the input buffer as events, one per typed byte. */
NTSTATUS NTAPI ConSrvInputEvents(PCSR_API_CALL Call)
{
    PCONSOLE_INPUT_EVENTS_MSG m = &Call->Message.Data.InputEvents;
    ULONG max = m->Length < sizeof(m->Inline) ? m->Length : sizeof(m->Inline);
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL || ConHandleKind(m->ConsoleHandle) != ConHandleInput) status = STATUS_INVALID_HANDLE;
    else if (m->Action > CONSOLE_EVENTS_FLUSH) status = STATUS_INVALID_PARAMETER;
    else if ((status = ConStartInput()) == STATUS_SUCCESS) {
        switch (m->Action) {
        case CONSOLE_EVENTS_COUNT: m->Length = ConEventCount; break;
        case CONSOLE_EVENTS_FLUSH: ConEventCount = 0; m->Length = 0; break;
        case CONSOLE_EVENTS_PEEK: m->Length = ConTakeEvents((PCHAR)m->Inline, max, FALSE); break;
        default:                                          /* read: at least one, waiting if need be */
            m->Length = ConReadCount ? 0 : ConTakeEvents((PCHAR)m->Inline, max, TRUE);
            if (m->Length == 0 && max) {
                if (ConReadCount == CON_MAX_PENDING) { status = STATUS_INSUFFICIENT_RESOURCES; break; }
                CON_READ *r = &ConReads[ConReadCount++];
                r->Events = TRUE;
                r->Process = Call->Process;
                r->Console = console;
                r->MaxChars = max;
                RtlCopyMemory(&r->Message, &Call->Message, sizeof(r->Message));
                Call->ReplyPending = TRUE;
                status = STATUS_PENDING;
            }
        }
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}
