/*
 * input.c - console input. One terminal, so one input stream: a thread of consrv's own reads
 * the device (started by the first ReadConsole, so a system that never reads never polls) and
 * feeds every byte through the line editor of the console it goes to - the console of the
 * oldest waiting read, else the newest console. Cooked mode (ENABLE_LINE_INPUT, the default):
 * bytes are echoed (ENABLE_ECHO_INPUT), backspace erases, Enter ends the line, which becomes
 * ready as "<line>\r\n"; Ctrl+C (ENABLE_PROCESSED_INPUT) drops the line and sends CTRL_C_EVENT to
 * the console's processes (console.c); with processed input off it is an input byte (3) like any
 * other. Raw mode: bytes are
 * ready as they come. A ReadConsole that finds nothing ready is left pending (csrss's server
 * thread goes on serving others) and answered from the input thread when data is there; reads
 * are answered in arrival order. A read takes at most one line in cooked mode; what does not
 * fit its buffer stays for the next read.
 */
#include "consrvp.h"

#define CON_MAX_PENDING 8

typedef struct _CON_READ {
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
static CHAR ConReady[1024];                 /* input ready for readers */
static ULONG ConReadyLength;
static HANDLE ConInputThreadHandle;
static NTSTATUS ConInputStatus = STATUS_SUCCESS;   /* why the input thread stopped */

static VOID ConAppendReady(const CHAR *Bytes, ULONG Length)
{
    if (Length > sizeof(ConReady) - ConReadyLength) Length = sizeof(ConReady) - ConReadyLength;  /* full: dropped */
    RtlCopyMemory(ConReady + ConReadyLength, Bytes, Length);
    ConReadyLength += Length;
}

/* Up to MaxChars chars of ready input into Buffer (a line at most, in cooked mode): the chars
 * given, 0 if the read must wait. */
static ULONG ConTake(ULONG Mode, PVOID Buffer, ULONG MaxChars, BOOLEAN Unicode)
{
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
        ULONG n = ConTake(r->Console->InputMode, r->Buffer, r->MaxChars, r->Unicode);
        if (n == 0 && NT_SUCCESS(ConInputStatus)) return;
        r->Message.Data.ReadConsole.NumberOfCharsRead = n;
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

/* One input byte through the line editor of the console it goes to. */
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
    if (!(mode & ENABLE_LINE_INPUT)) { ConAppendReady(&C, 1); return; }
    if (C == '\r' || C == '\n') {
        ConAppendReady(ConEdit, ConEditLength);
        ConAppendReady("\r\n", 2);
        ConEditLength = 0;
        ConEcho(console, mode, "\r\n", 2);
    } else if (C == '\b') {
        if (ConEditLength) { ConEditLength--; ConEcho(console, mode, "\b \b", 3); }
    } else if (ConEditLength < sizeof(ConEdit)) {
        ConEdit[ConEditLength++] = C;
        ConEcho(console, mode, &C, 1);
    }
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
            for (ULONG i = 0; i < iosb.Information && i < sizeof(bytes); i++) ConInputByte(bytes[i]);
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
        ULONG n = ConReadCount ? 0 : ConTake(console->InputMode, buffer, m->NumberOfCharsToRead, m->Unicode);
        if (n) m->NumberOfCharsRead = n;
        else status = ConQueueRead(Call, console, buffer);
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}
