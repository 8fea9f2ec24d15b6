/*
 * console.c - console objects: made by AllocConsole, shared by the processes that attach to
 * them (a console child attaches to its parent's console id), ended when the last process
 * leaves (FreeConsole or its connection closing). Each has its modes, title and cursor; all of
 * them draw on the one terminal device (output.c). Handles are the three fixed pseudo-handles
 * of csrmsg.h, valid in a process attached to a console. A console knows its processes in the
 * order they attached, with the CtrlRoutine each gave: Ctrl+C (typed, input.c, or asked for
 * with GenerateConsoleCtrlEvent) starts a thread there in each of them, newest first, as NT's
 * csrss does; what happens then (handlers, or the process ends) is kernel32's business.
 */
#include "consrvp.h"

static CONSOLE ConConsoles[CONSRV_MAX_CONSOLES];
static ULONG ConNextId = 1;

CON_HANDLE_KIND ConHandleKind(HANDLE Handle)
{
    if (Handle == CONSOLE_INPUT_HANDLE) return ConHandleInput;
    if (Handle == CONSOLE_OUTPUT_HANDLE || Handle == CONSOLE_ERROR_HANDLE) return ConHandleOutput;
    return ConHandleNone;
}

static PCONSOLE ConFindConsole(ULONG Id)
{
    for (ULONG i = 0; Id && i < CONSRV_MAX_CONSOLES; i++)
        if (ConConsoles[i].Id == Id) return &ConConsoles[i];
    return NULL;
}

/* The console made last (input with no reader waiting goes to it), or NULL. */
PCONSOLE ConNewestConsole(VOID)
{
    PCONSOLE newest = NULL;
    for (ULONG i = 0; i < CONSRV_MAX_CONSOLES; i++)
        if (ConConsoles[i].Id && (newest == NULL || ConConsoles[i].Id > newest->Id)) newest = &ConConsoles[i];
    return newest;
}

static PCONSOLE ConCreateConsole(const WCHAR *Title, ULONG TitleBytes)
{
    for (ULONG i = 0; i < CONSRV_MAX_CONSOLES; i++) {
        PCONSOLE c = &ConConsoles[i];
        if (c->Id) continue;
        RtlZeroMemory(c, sizeof(*c));
        c->Id = ConNextId++;
        c->InputMode = CONSOLE_DEFAULT_INPUT_MODE;
        c->OutputMode = CONSOLE_DEFAULT_OUTPUT_MODE;
        ConInitializeScreen(c);
        c->TitleLength = TitleBytes & ~1u;
        RtlCopyMemory(c->Title, Title, c->TitleLength);
        return c;
    }
    return NULL;
}

static NTSTATUS ConAttach(PCSR_PROCESS Process, PCONSOLE Console, PCONSOLE_ALLOC_MSG Reply)
{
    if (Console->ProcessCount == CONSRV_MAX_ATTACHED) return STATUS_NO_MEMORY;
    Console->Attached[Console->ProcessCount].Process = Process;
    Console->Attached[Console->ProcessCount++].CtrlRoutine = Reply->CtrlRoutine;
    Process->ServerData[CONSRV_SERVERDLL_INDEX] = Console;
    Reply->ConsoleId = Console->Id;
    Reply->InputHandle = CONSOLE_INPUT_HANDLE;
    Reply->OutputHandle = CONSOLE_OUTPUT_HANDLE;
    Reply->ErrorHandle = CONSOLE_ERROR_HANDLE;
    return STATUS_SUCCESS;
}

/* The process leaves its console; its waiting reads end (answered if it is still there). */
static VOID ConDetach(PCSR_PROCESS Process, BOOLEAN Reply)
{
    PCONSOLE console = ConProcessConsole(Process);
    if (console == NULL) return;
    ConCancelReads(Process, Reply);
    Process->ServerData[CONSRV_SERVERDLL_INDEX] = NULL;
    ULONG i = 0;
    while (console->Attached[i].Process != Process) i++;
    RtlMoveMemory(&console->Attached[i], &console->Attached[i + 1],
                  (console->ProcessCount - i - 1) * sizeof(console->Attached[0]));
    if (--console->ProcessCount == 0) console->Id = 0;
}

VOID NTAPI ConDisconnect(PCSR_PROCESS Process)
{
    RtlEnterCriticalSection(&ConLock);
    ConDetach(Process, FALSE);
    RtlLeaveCriticalSection(&ConLock);
}

/* AllocConsole: a process has one console at most (Windows says ERROR_ACCESS_DENIED). */
NTSTATUS NTAPI ConSrvAllocConsole(PCSR_API_CALL Call)
{
    PCONSOLE_ALLOC_MSG m = &Call->Message.Data.AllocConsole;
    ULONG titleBytes = m->TitleLength;
    if (titleBytes > sizeof(m->Title)) titleBytes = sizeof(m->Title);
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    if (ConProcessConsole(Call->Process)) {
        status = STATUS_ACCESS_DENIED;
    } else {
        PCONSOLE console = ConCreateConsole(m->Title, titleBytes);
        if (console) status = ConAttach(Call->Process, console, m);
        else status = STATUS_NO_MEMORY;
        if (console && !NT_SUCCESS(status)) console->Id = 0;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

NTSTATUS NTAPI ConSrvAttachConsole(PCSR_API_CALL Call)
{
    PCONSOLE_ALLOC_MSG m = &Call->Message.Data.AllocConsole;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConFindConsole(m->ConsoleId);
    if (ConProcessConsole(Call->Process)) status = STATUS_ACCESS_DENIED;
    else if (console == NULL) status = STATUS_INVALID_PARAMETER;
    else status = ConAttach(Call->Process, console, m);
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

NTSTATUS NTAPI ConSrvFreeConsole(PCSR_API_CALL Call)
{
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    if (ConProcessConsole(Call->Process) == NULL) status = STATUS_INVALID_PARAMETER;
    else ConDetach(Call->Process, TRUE);
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* The caller's console and the kind of Handle, or the status to fail with (under ConLock). */
static NTSTATUS ConLookupHandle(PCSR_API_CALL Call, HANDLE Handle, PCONSOLE *Console, CON_HANDLE_KIND *Kind)
{
    *Console = ConProcessConsole(Call->Process);
    *Kind = ConHandleKind(Handle);
    return *Console && *Kind != ConHandleNone ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

NTSTATUS NTAPI ConSrvGetMode(PCSR_API_CALL Call)
{
    PCONSOLE_MODE_MSG m = &Call->Message.Data.ConsoleMode;
    PCONSOLE console;
    CON_HANDLE_KIND kind;
    RtlEnterCriticalSection(&ConLock);
    NTSTATUS status = ConLookupHandle(Call, m->ConsoleHandle, &console, &kind);
    if (NT_SUCCESS(status)) m->Mode = kind == ConHandleInput ? console->InputMode : console->OutputMode;
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* Modes Windows accepts: input 0x3FF (the ENABLE_* input flags, insert/quick-edit/extended,
 * virtual terminal input), with echo only together with line input; output 0x1F. */
static BOOLEAN ConValidMode(CON_HANDLE_KIND Kind, ULONG Mode)
{
    if (Kind == ConHandleOutput) return (Mode & ~0x1Fu) == 0;
    if (Mode & ~0x3FFu) return FALSE;
    return !(Mode & ENABLE_ECHO_INPUT) || (Mode & ENABLE_LINE_INPUT);
}

NTSTATUS NTAPI ConSrvSetMode(PCSR_API_CALL Call)
{
    PCONSOLE_MODE_MSG m = &Call->Message.Data.ConsoleMode;
    PCONSOLE console;
    CON_HANDLE_KIND kind;
    RtlEnterCriticalSection(&ConLock);
    NTSTATUS status = ConLookupHandle(Call, m->ConsoleHandle, &console, &kind);
    if (NT_SUCCESS(status) && !ConValidMode(kind, m->Mode)) status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status) && kind == ConHandleInput) console->InputMode = m->Mode;
    else if (NT_SUCCESS(status)) console->OutputMode = m->Mode;
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* SetConsoleTitle: Length bytes (cut to 64 chars) from the capture buffer. */
NTSTATUS NTAPI ConSrvSetTitle(PCSR_API_CALL Call)
{
    PCONSOLE_TITLE_MSG m = &Call->Message.Data.ConsoleTitle;
    ULONG length = m->Length & ~1u;
    if (!ConServices->ValidateMessageBuffer(Call, m->Title, length, 1)) return STATUS_INVALID_PARAMETER;
    if (length > sizeof(((PCONSOLE)0)->Title)) length = sizeof(((PCONSOLE)0)->Title);
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL) {
        status = STATUS_INVALID_HANDLE;
    } else {
        RtlCopyMemory(console->Title, m->Title, length);
        console->TitleLength = length;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* GetConsoleTitle: as much of the title as fits in Length bytes; TitleLength the whole. */
NTSTATUS NTAPI ConSrvGetTitle(PCSR_API_CALL Call)
{
    PCONSOLE_TITLE_MSG m = &Call->Message.Data.ConsoleTitle;
    ULONG room = m->Length & ~1u;
    if (!ConServices->ValidateMessageBuffer(Call, m->Title, room, 1)) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL) {
        status = STATUS_INVALID_HANDLE;
    } else {
        ULONG copy = console->TitleLength < room ? console->TitleLength : room;
        RtlCopyMemory(m->Title, console->Title, copy);
        m->Length = copy;
        m->TitleLength = console->TitleLength;
    }
    RtlLeaveCriticalSection(&ConLock);
    return status;
}

/* A thread at each attached process's CtrlRoutine(CtrlEvent), newest first. A process that
 * cannot take one (gone, out of memory) is passed over. */
VOID ConSendCtrlEvent(PCONSOLE Console, ULONG CtrlEvent, ULONG ProcessGroupId)
{
    for (ULONG i = Console->ProcessCount; i-- > 0;) {
        CON_ATTACHED *a = &Console->Attached[i];
        if (ProcessGroupId && (ULONG)(ULONG_PTR)a->Process->ClientId.UniqueProcess != ProcessGroupId) continue;
        HANDLE thread;
        NTSTATUS status = RtlCreateUserThread(a->Process->ProcessHandle, NULL, FALSE, 0, 0, 0,
                                              (PUSER_THREAD_START_ROUTINE)a->CtrlRoutine,
                                              (PVOID)(ULONG_PTR)CtrlEvent, &thread, NULL);
        if (NT_SUCCESS(status)) NtClose(thread);
        else DbgPrint("CONSRV: no Ctrl+C thread in process %lu: 0x%08lx\n",
                      (unsigned long)(ULONG_PTR)a->Process->ClientId.UniqueProcess, (unsigned long)status);
    }
}

/* GenerateConsoleCtrlEvent: Ctrl+C or Ctrl+Break to the caller's console's processes. */
NTSTATUS NTAPI ConSrvGenerateCtrlEvent(PCSR_API_CALL Call)
{
    PCONSOLE_CTRL_EVENT_MSG m = &Call->Message.Data.CtrlEvent;
    if (m->CtrlEvent != CONSOLE_CTRL_C_EVENT && m->CtrlEvent != CONSOLE_CTRL_BREAK_EVENT)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&ConLock);
    PCONSOLE console = ConProcessConsole(Call->Process);
    if (console == NULL) status = STATUS_INVALID_HANDLE;
    else ConSendCtrlEvent(console, m->CtrlEvent, m->ProcessGroupId);
    RtlLeaveCriticalSection(&ConLock);
    return status;
}
