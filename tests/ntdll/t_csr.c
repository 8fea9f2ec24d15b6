/*
 * t_csr.c - the Win32 subsystem server (csrss.exe, started by smss) through ntdll's Csr* client:
 * connecting with connection data for basesrv, the process list (this process, a child named
 * by a CreateProcess notification, gone when it ends), consoles (alloc, write inline and through
 * capture buffers in ANSI and Unicode, screen buffer info, title round trip, modes, attach from
 * a second process, free), and csrss's checks: an unknown API, capture buffers and pointers that
 * lie, all answered with an error while csrss goes on serving. Console output shows on COM1 as
 * lines starting "CSR-TEST:". ReadConsole is checked here for its refusals and for a read that
 * waits (csrss serves on; FreeConsole cancels it): nothing types.
 *
 * Run as "t_csr.exe attach <id>" it is the child that attaches to console <id> and writes; as
 * "t_csr.exe raw" the child that talks LPC to csrss without ntdll's help: refused connections,
 * then messages too short and capture buffers with no port memory behind them.
 * Run with the argument "read" (init=C:\Tests\t_csr.exe read) it reads what is typed on COM1 (the system test types after each
 * prompt): after "CSR-TEST: type a line" the bytes "hello\b\bX csr\r" (a cooked Unicode read
 * gets "helX csr\r\n"), after "CSR-TEST: type another" "abcdefg\r" (4-char ANSI reads split
 * "abcdefg\r\n"), after "CSR-TEST: raw mode" the byte "z" (a raw read gets it alone).
 */
#define NTEST_NAME "t_csr"
#include "ntest.h"
#include "ntcsr.h"

#define BASE_API(api) CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, api)
#define CON_API(api)  CSR_MAKE_API_NUMBER(CONSRV_SERVERDLL_INDEX, api)

static ULONG StrLen(PCSTR S) { ULONG n = 0; while (S[n]) n++; return n; }
static ULONG WStrLen(PCWSTR S) { ULONG n = 0; while (S[n]) n++; return n; }

static NTSTATUS GetProcessList(PBASE_GET_PROCESS_LIST_MSG List)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    NTSTATUS s = CsrClientCallServer(&m, NULL, BASE_API(BasepGetProcessList), sizeof(BASE_GET_PROCESS_LIST_MSG));
    *List = m.Data.GetProcessList;
    return s;
}

static BOOLEAN IsListed(HANDLE Pid)
{
    BASE_GET_PROCESS_LIST_MSG list;
    if (!NT_SUCCESS(GetProcessList(&list))) return FALSE;
    for (ULONG i = 0; i < list.Returned && i < BASE_MAX_PROCESS_LIST; i++)
        if (list.ProcessIds[i] == (ULONG)(ULONG_PTR)Pid) return TRUE;
    return FALSE;
}

/* Until Pid's listing is Expected (the server hears of a closed port a moment later). */
static BOOLEAN WaitListed(HANDLE Pid, BOOLEAN Expected)
{
    LARGE_INTEGER pause = { .QuadPart = -100000 };
    for (ULONG i = 0; i < 50; i++) {
        if (IsListed(Pid) == Expected) return TRUE;
        NtDelayExecution(FALSE, &pause);
    }
    return FALSE;
}

/* WriteConsole: inline when short, else through a capture buffer. */
static NTSTATUS Write(HANDLE Handle, const VOID *Text, ULONG Bytes, BOOLEAN Unicode, PULONG Written)
{
    CSR_API_MESSAGE m;
    PCSR_CAPTURE_BUFFER capture = NULL;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.WriteConsole.ConsoleHandle = Handle;
    m.Data.WriteConsole.Unicode = Unicode;
    m.Data.WriteConsole.Length = Bytes;
    if (Bytes <= CONSOLE_INLINE_BYTES) {
        RtlCopyMemory(m.Data.WriteConsole.Inline, Text, Bytes);
    } else {
        capture = CsrAllocateCaptureBuffer(1, Bytes);
        if (capture == NULL) return STATUS_NO_MEMORY;
        CsrCaptureMessageBuffer(capture, (PVOID)Text, Bytes, &m.Data.WriteConsole.Buffer);
    }
    NTSTATUS s = CsrClientCallServer(&m, capture, CON_API(ConsolepWriteConsole), sizeof(CONSOLE_WRITE_MSG));
    if (capture) CsrFreeCaptureBuffer(capture);
    if (Written) *Written = m.Data.WriteConsole.NumberOfCharsWritten;
    return s;
}

static NTSTATUS WriteA(PCSTR Text, PULONG Written)
{
    return Write(CONSOLE_OUTPUT_HANDLE, Text, StrLen(Text), FALSE, Written);
}

static NTSTATUS AllocConsole(PCWSTR Title, PCONSOLE_ALLOC_MSG Out)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.TitleLength = WStrLen(Title) * sizeof(WCHAR);
    RtlCopyMemory(m.Data.AllocConsole.Title, Title, m.Data.AllocConsole.TitleLength);
    NTSTATUS s = CsrClientCallServer(&m, NULL, CON_API(ConsolepAlloc), sizeof(CONSOLE_ALLOC_MSG));
    *Out = m.Data.AllocConsole;
    return s;
}

static NTSTATUS SimpleCall(ULONG Api, PCSR_API_MESSAGE M, ULONG Size)
{
    return CsrClientCallServer(M, NULL, Api, Size);
}

static NTSTATUS Mode(ULONG Api, HANDLE Handle, PULONG ModeInOut)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ConsoleMode.ConsoleHandle = Handle;
    m.Data.ConsoleMode.Mode = *ModeInOut;
    NTSTATUS s = SimpleCall(CON_API(Api), &m, sizeof(CONSOLE_MODE_MSG));
    *ModeInOut = m.Data.ConsoleMode.Mode;
    return s;
}

static VOID TestConnect(VOID)
{
    BASESRV_CONNECTION_INFO info = { BASESRV_VERSION, 0 };
    ULONG length = sizeof(info);
    BOOLEAN byServer = TRUE;
    NTSTATUS s = CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, &byServer);
    NtestExpect("connect", NT_SUCCESS(s) && !byServer, "CsrClientConnectToServer", s);
    NtestExpect("connect.info_back", length == sizeof(info) && info.ServerProcessId != 0 &&
                (HANDLE)(ULONG_PTR)info.ServerProcessId == CsrGetProcessId(), "basesrv's answer",
                info.ServerProcessId);
    info.ExpectedVersion = 99;
    length = sizeof(info);
    s = CsrClientConnectToServer(NULL, BASESRV_SERVERDLL_INDEX, &info, &length, NULL);
    NtestExpect("connect.bad_version", s == STATUS_INVALID_PARAMETER, "basesrv took a wrong version", s);
    s = CsrClientConnectToServer(NULL, 7, NULL, NULL, NULL);
    NtestExpect("connect.bad_index", s == STATUS_INVALID_PARAMETER, "server DLL index 7", s);
}

/* A suspended child that csrss hears of by a CreateProcess notification. */
static VOID TestProcessList(VOID)
{
    HANDLE self = NtCurrentTeb()->ClientId.UniqueProcess;
    BASE_GET_PROCESS_LIST_MSG list;
    NTSTATUS s = GetProcessList(&list);
    NtestExpect("process_list.self", NT_SUCCESS(s) && IsListed(self), "this process in the list", s);
    RTL_USER_PROCESS_INFORMATION child;
    UNICODE_STRING image;
    RtlInitUnicodeString(&image, L"\\??\\C:\\Tests\\nop.exe");
    s = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, NULL, NULL, NULL, NULL, FALSE, NULL, NULL, &child);
    if (!NT_SUCCESS(s)) { NtestExpect("process_list.child", FALSE, "create nop.exe", s); return; }
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.CreateProcess.ProcessHandle = child.Process;
    m.Data.CreateProcess.ThreadHandle = child.Thread;
    m.Data.CreateProcess.ClientId = NtCurrentTeb()->ClientId;          /* not the child's */
    s = SimpleCall(BASE_API(BasepCreateProcess), &m, sizeof(BASE_CREATE_PROCESS_MSG));
    NtestExpect("create_process.wrong_client_id", s == STATUS_INVALID_PARAMETER, "a ClientId the handle denies", s);
    m.Data.CreateProcess.ProcessHandle = (HANDLE)0x7FF0;
    m.Data.CreateProcess.ClientId = child.ClientId;
    s = SimpleCall(BASE_API(BasepCreateProcess), &m, sizeof(BASE_CREATE_PROCESS_MSG));
    NtestExpect("create_process.bad_handle", s == STATUS_INVALID_HANDLE, "a handle the caller lacks", s);
    m.Data.CreateProcess.ProcessHandle = child.Process;
    s = SimpleCall(BASE_API(BasepCreateProcess), &m, sizeof(BASE_CREATE_PROCESS_MSG));
    NtestExpect("create_process", NT_SUCCESS(s) && IsListed(child.ClientId.UniqueProcess),
                "the notified child in the list", s);
    RtlZeroMemory(&m, sizeof(m));
    m.Data.CreateThread.ThreadHandle = child.Thread;
    m.Data.CreateThread.ClientId = child.ClientId;
    s = SimpleCall(BASE_API(BasepCreateThread), &m, sizeof(BASE_CREATE_THREAD_MSG));
    NtestExpect("create_thread", NT_SUCCESS(s), "a CreateThread notification", s);
    NtTerminateProcess(child.Process, 0x55);
    NtWaitForSingleObject(child.Process, FALSE, NULL);
    NtestExpect("process_list.child_ended", !IsListed(child.ClientId.UniqueProcess), "an ended child still listed",
                (ULONG)(ULONG_PTR)child.ClientId.UniqueProcess);
    NtClose(child.Thread);
    NtClose(child.Process);
}

static VOID TestWrites(VOID)
{
    ULONG written = 0;
    NTSTATUS s = WriteA("CSR-TEST: inline ANSI line\r\n", &written);
    NtestExpect("write.inline_ansi", NT_SUCCESS(s) && written == 28, "WriteConsole inline", s);
    static const WCHAR wide[] = L"CSR-TEST: inline Unicode line\r\n";
    s = Write(CONSOLE_OUTPUT_HANDLE, wide, sizeof(wide) - sizeof(WCHAR), TRUE, &written);
    NtestExpect("write.inline_unicode", NT_SUCCESS(s) && written == ARRAYSIZE(wide) - 1, "WriteConsole W inline", s);
    char longA[200];
    RtlFillMemory(longA, sizeof(longA), 'a');
    RtlCopyMemory(longA, "CSR-TEST: long ANSI ", 20);
    RtlCopyMemory(longA + sizeof(longA) - 6, " end\r\n", 6);
    s = Write(CONSOLE_ERROR_HANDLE, longA, sizeof(longA), FALSE, &written);
    NtestExpect("write.captured_ansi", NT_SUCCESS(s) && written == sizeof(longA), "WriteConsole captured", s);
    WCHAR longW[150];
    for (ULONG i = 0; i < ARRAYSIZE(longW); i++) longW[i] = L'w';
    RtlCopyMemory(longW, L"CSR-TEST: long Unicode ", 23 * sizeof(WCHAR));
    RtlCopyMemory(longW + ARRAYSIZE(longW) - 6, L" end\r\n", 6 * sizeof(WCHAR));
    s = Write(CONSOLE_OUTPUT_HANDLE, longW, sizeof(longW), TRUE, &written);
    NtestExpect("write.captured_unicode", NT_SUCCESS(s) && written == ARRAYSIZE(longW), "WriteConsole W captured", s);
    s = Write(CONSOLE_INPUT_HANDLE, "x", 1, FALSE, &written);
    NtestExpect("write.input_handle", s == STATUS_INVALID_HANDLE, "a write to the input handle", s);
    s = Write((HANDLE)0x13, "x", 1, FALSE, &written);
    NtestExpect("write.bad_handle", s == STATUS_INVALID_HANDLE, "a write to handle 0x13", s);
    s = Write(CONSOLE_OUTPUT_HANDLE, L"odd", 3, TRUE, &written);
    NtestExpect("write.odd_unicode", s == STATUS_INVALID_PARAMETER, "3 bytes of Unicode", s);
}

static NTSTATUS ScreenInfo(PCONSOLE_SCREEN_INFO_MSG Info)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ScreenInfo.ConsoleHandle = CONSOLE_OUTPUT_HANDLE;
    NTSTATUS s = SimpleCall(CON_API(ConsolepGetScreenBufferInfo), &m, sizeof(CONSOLE_SCREEN_INFO_MSG));
    *Info = m.Data.ScreenInfo;
    return s;
}

static VOID TestScreenInfo(VOID)
{
    CONSOLE_SCREEN_INFO_MSG before, after;
    NTSTATUS s = ScreenInfo(&before);
    NtestExpect("screen_info", NT_SUCCESS(s) && before.SizeX == 80 && before.SizeY == 25 && before.CursorX == 0 &&
                before.CursorY > 0 && before.WindowRight == 79 && before.WindowBottom == 24, "80x25, after lines",
                (ULONG)before.CursorY);
    WriteA("CSR-TEST: cursor", NULL);
    s = ScreenInfo(&after);
    WriteA("\r\n", NULL);                      /* before the TEST line, which is on COM1 too */
    NtestExpect("screen_info.cursor", NT_SUCCESS(s) && after.CursorX == 16 && after.CursorY == before.CursorY,
                "the cursor after 16 chars", (ULONG)after.CursorX);
}

static NTSTATUS Title(ULONG Api, PWSTR Buffer, ULONG Bytes, PCONSOLE_TITLE_MSG Out)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    PCSR_CAPTURE_BUFFER capture = CsrAllocateCaptureBuffer(1, Bytes);
    if (capture == NULL) return STATUS_NO_MEMORY;
    m.Data.ConsoleTitle.Length = Bytes;
    CsrCaptureMessageBuffer(capture, Buffer, Bytes, (PVOID *)&m.Data.ConsoleTitle.Title);
    NTSTATUS s = CsrClientCallServer(&m, capture, CON_API(Api), sizeof(CONSOLE_TITLE_MSG));
    if (NT_SUCCESS(s) && Api == ConsolepGetTitle) RtlCopyMemory(Buffer, m.Data.ConsoleTitle.Title, m.Data.ConsoleTitle.Length);
    CsrFreeCaptureBuffer(capture);
    *Out = m.Data.ConsoleTitle;
    return s;
}

static VOID TestTitle(VOID)
{
    static const WCHAR title[] = L"NanoNT t_csr title";
    const ULONG bytes = sizeof(title) - sizeof(WCHAR);
    WCHAR buffer[64];
    CONSOLE_TITLE_MSG out;
    RtlZeroMemory(buffer, sizeof(buffer));
    RtlCopyMemory(buffer, title, bytes);
    NTSTATUS s = Title(ConsolepSetTitle, buffer, bytes, &out);
    NtestExpect("title.set", NT_SUCCESS(s), "SetConsoleTitle", s);
    RtlZeroMemory(buffer, sizeof(buffer));
    s = Title(ConsolepGetTitle, buffer, sizeof(buffer), &out);
    NtestExpect("title.get", NT_SUCCESS(s) && out.Length == bytes && out.TitleLength == bytes &&
                memcmp(buffer, title, bytes) == 0, "GetConsoleTitle", s);
    RtlZeroMemory(buffer, sizeof(buffer));
    s = Title(ConsolepGetTitle, buffer, 8, &out);
    NtestExpect("title.get_short", NT_SUCCESS(s) && out.Length == 8 && out.TitleLength == bytes &&
                memcmp(buffer, title, 8) == 0, "GetConsoleTitle into 8 bytes", out.Length);
}

static VOID TestModes(VOID)
{
    ULONG mode = 0;
    NTSTATUS s = Mode(ConsolepGetMode, CONSOLE_INPUT_HANDLE, &mode);
    NtestExpect("mode.input_default", NT_SUCCESS(s) && mode == CONSOLE_DEFAULT_INPUT_MODE, "input mode", mode);
    mode = 0;
    s = Mode(ConsolepGetMode, CONSOLE_OUTPUT_HANDLE, &mode);
    NtestExpect("mode.output_default", NT_SUCCESS(s) && mode == CONSOLE_DEFAULT_OUTPUT_MODE, "output mode", mode);
    mode = ENABLE_ECHO_INPUT;
    s = Mode(ConsolepSetMode, CONSOLE_INPUT_HANDLE, &mode);
    NtestExpect("mode.echo_without_line", s == STATUS_INVALID_PARAMETER, "echo without line input", s);
    mode = 0x10000;
    s = Mode(ConsolepSetMode, CONSOLE_OUTPUT_HANDLE, &mode);
    NtestExpect("mode.bad_bits", s == STATUS_INVALID_PARAMETER, "unknown output mode bits", s);
    mode = ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT;
    s = Mode(ConsolepSetMode, CONSOLE_INPUT_HANDLE, &mode);
    ULONG back = 0;
    NTSTATUS s2 = Mode(ConsolepGetMode, CONSOLE_INPUT_HANDLE, &back);
    NtestExpect("mode.set_get", NT_SUCCESS(s) && NT_SUCCESS(s2) && back == (ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT),
                "SetConsoleMode then GetConsoleMode", back);
    mode = CONSOLE_DEFAULT_INPUT_MODE;
    Mode(ConsolepSetMode, CONSOLE_INPUT_HANDLE, &mode);
    s = Mode(ConsolepGetMode, (HANDLE)0x1F, &mode);
    NtestExpect("mode.bad_handle", s == STATUS_INVALID_HANDLE, "GetConsoleMode of handle 0x1F", s);
}

/* Reads that must fail at once (nothing here types). */
static VOID TestReadRefusals(VOID)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ReadConsole.ConsoleHandle = CONSOLE_OUTPUT_HANDLE;
    m.Data.ReadConsole.NumberOfCharsToRead = 10;
    NTSTATUS s = SimpleCall(CON_API(ConsolepReadConsole), &m, sizeof(CONSOLE_READ_MSG));
    NtestExpect("read.output_handle", s == STATUS_INVALID_HANDLE, "a read from the output handle", s);
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ReadConsole.ConsoleHandle = CONSOLE_INPUT_HANDLE;
    m.Data.ReadConsole.NumberOfCharsToRead = CONSOLE_INLINE_BYTES + 1;
    s = SimpleCall(CON_API(ConsolepReadConsole), &m, sizeof(CONSOLE_READ_MSG));
    NtestExpect("read.inline_too_big", s == STATUS_INVALID_PARAMETER, "81 chars inline", s);
}

/* What csrss must refuse, and still serve the next call. */
static VOID TestBadMessages(VOID)
{
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    NTSTATUS s = SimpleCall(CON_API(999), &m, 0);
    NtestExpect("bad_api.number", s == STATUS_ILLEGAL_FUNCTION, "API 999 of consrv", s);
    s = SimpleCall(CSR_MAKE_API_NUMBER(3, 0), &m, 0);
    NtestExpect("bad_api.server", s == STATUS_ILLEGAL_FUNCTION, "server DLL 3", s);
    s = SimpleCall(CSR_MAKE_API_NUMBER(0xFFFF, 0xFFFF), &m, 0);
    NtestExpect("bad_api.server_ffff", s == STATUS_ILLEGAL_FUNCTION, "server DLL 0xFFFF", s);

    /* A recorded pointer moved outside the capture buffer (and the view). */
    char text[100];
    RtlFillMemory(text, sizeof(text), 'x');
    PCSR_CAPTURE_BUFFER capture = CsrAllocateCaptureBuffer(1, sizeof(text));
    RtlZeroMemory(&m, sizeof(m));
    m.Data.WriteConsole.ConsoleHandle = CONSOLE_OUTPUT_HANDLE;
    m.Data.WriteConsole.Length = sizeof(text);
    CsrCaptureMessageBuffer(capture, text, sizeof(text), &m.Data.WriteConsole.Buffer);
    m.Data.WriteConsole.Buffer = (PVOID)0x00401000;
    s = CsrClientCallServer(&m, capture, CON_API(ConsolepWriteConsole), sizeof(CONSOLE_WRITE_MSG));
    NtestExpect("capture.pointer_outside", s == STATUS_INVALID_PARAMETER, "a captured pointer outside the view", s);
    /* Inside the buffer but the length runs past its end. */
    CsrFreeCaptureBuffer(capture);
    capture = CsrAllocateCaptureBuffer(1, sizeof(text));
    RtlZeroMemory(&m, sizeof(m));
    m.Data.WriteConsole.ConsoleHandle = CONSOLE_OUTPUT_HANDLE;
    CsrCaptureMessageBuffer(capture, text, sizeof(text), &m.Data.WriteConsole.Buffer);
    m.Data.WriteConsole.Length = 0x8000;
    s = CsrClientCallServer(&m, capture, CON_API(ConsolepWriteConsole), sizeof(CONSOLE_WRITE_MSG));
    NtestExpect("capture.length_past_end", s == STATUS_INVALID_PARAMETER, "a length past the capture buffer", s);
    /* A capture buffer whose header claims more than the view holds. */
    m.Data.WriteConsole.Length = sizeof(text);
    ULONG size = capture->Size;
    capture->Size = 0x7FFFFFF0;
    s = CsrClientCallServer(&m, capture, CON_API(ConsolepWriteConsole), sizeof(CONSOLE_WRITE_MSG));
    capture->Size = size;
    NtestExpect("capture.size_lies", s == STATUS_INVALID_PARAMETER, "a capture buffer bigger than the view", s);
    CsrFreeCaptureBuffer(capture);
    /* A pointer field nobody captured. */
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ConsoleTitle.Length = 8;
    m.Data.ConsoleTitle.Title = (PWSTR)0x7FFE0000;
    s = SimpleCall(CON_API(ConsolepSetTitle), &m, sizeof(CONSOLE_TITLE_MSG));
    NtestExpect("capture.none", s == STATUS_INVALID_PARAMETER, "an uncaptured pointer", s);
    /* An argument size beyond the message. */
    s = SimpleCall(CON_API(ConsolepGetMode), &m, sizeof(m));
    NtestExpect("bad_api.argument_size", s == STATUS_INVALID_PARAMETER, "an argument size over the message", s);
    ULONG written = 0;
    s = WriteA("CSR-TEST: still serving after bad messages\r\n", &written);
    NtestExpect("still_serving", NT_SUCCESS(s) && written == 44, "a good call after the bad ones", s);
}

static NTSTATUS RawConnect(PHANDLE Port, ULONG Version)
{
    UNICODE_STRING name;
    CSR_CONNECTION_INFO info = { Version, 0, NULL };
    ULONG length = sizeof(info);
    RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
    return NtConnectPort(Port, &name, NULL, NULL, NULL, NULL, &info, &length);
}

/* One raw request: the LPC status, or csrss's answer in the reply. */
static NTSTATUS RawCall(HANDLE Port, PCSR_API_MESSAGE M, ULONG DataLength)
{
    M->Header.u1.s1.DataLength = (CSHORT)DataLength;
    M->Header.u1.s1.TotalLength = (CSHORT)(DataLength + sizeof(PORT_MESSAGE));
    M->Header.u2.ZeroInit = 0;
    M->ReturnValue = 0x12345678;
    NTSTATUS s = NtRequestWaitReplyPort(Port, &M->Header, &M->Header);
    return NT_SUCCESS(s) ? M->ReturnValue : s;
}

/* The "raw" child: exits 0 if csrss refused and answered everything as it should. */
static NTSTATUS RawMain(VOID)
{
    HANDLE port;
    CSR_API_MESSAGE m;
    NTSTATUS s = RawConnect(&port, CSR_VERSION + 1);
    if (s != STATUS_PORT_CONNECTION_REFUSED) { DbgPrint("raw: wrong version 0x%08lx\n", (unsigned long)s); return 1; }
    s = RawConnect(&port, CSR_VERSION);
    if (!NT_SUCCESS(s)) { DbgPrint("raw: connect 0x%08lx\n", (unsigned long)s); return 2; }
    RtlZeroMemory(&m, sizeof(m));
    s = RawCall(port, &m, 4);
    if (s != STATUS_INVALID_PARAMETER) { DbgPrint("raw: short 0x%08lx\n", (unsigned long)s); return 3; }
    RtlZeroMemory(&m, sizeof(m));
    m.ApiNumber = CON_API(ConsolepGetMode);
    m.CaptureBuffer = (PCSR_CAPTURE_BUFFER)0x00401000;          /* and no port memory at all */
    s = RawCall(port, &m, FIELD_OFFSET(CSR_API_MESSAGE, Data) - sizeof(PORT_MESSAGE) + sizeof(CONSOLE_MODE_MSG));
    if (s != STATUS_INVALID_PARAMETER) { DbgPrint("raw: capture 0x%08lx\n", (unsigned long)s); return 4; }
    RtlZeroMemory(&m, sizeof(m));
    m.ApiNumber = BASE_API(BasepGetProcessList);
    s = RawCall(port, &m, sizeof(m) - sizeof(PORT_MESSAGE));
    if (s != STATUS_SUCCESS || m.Data.GetProcessList.Count == 0) { DbgPrint("raw: list 0x%08lx\n", (unsigned long)s); return 5; }
    return STATUS_SUCCESS;
}

/* Raw LPC from this process (already connected) and from a child. */
static VOID TestRawClients(VOID)
{
    HANDLE port;
    NTSTATUS s = RawConnect(&port, CSR_VERSION);
    NtestExpect("raw.second_connection", s == STATUS_PORT_CONNECTION_REFUSED, "a second connection", s);
    s = NtestRunProcess(L"\\??\\C:\\Tests\\t_csr.exe", L"t_csr.exe raw");
    NtestExpect("raw.child", s == STATUS_SUCCESS, "refusals and answers to raw LPC", s);
    ULONG written = 0;
    s = WriteA("CSR-TEST: still serving after raw clients\r\n", &written);
    NtestExpect("raw.still_serving", NT_SUCCESS(s) && written == 43, "a good call after them", s);
}

/* A second process attaches to our console and writes to it. */
static VOID TestAttachChild(ULONG ConsoleId)
{
    WCHAR cmd[48];
    static const WCHAR prefix[] = L"t_csr.exe attach ";
    ULONG n = ARRAYSIZE(prefix) - 1, digits = 0;
    RtlCopyMemory(cmd, prefix, n * sizeof(WCHAR));
    WCHAR rev[12];
    do { rev[digits++] = (WCHAR)(L'0' + ConsoleId % 10); ConsoleId /= 10; } while (ConsoleId);
    while (digits) cmd[n++] = rev[--digits];
    cmd[n] = 0;
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS s = NtestStartProcess(L"\\??\\C:\\Tests\\t_csr.exe", cmd, NULL, &info);
    HANDLE pid = info.ClientId.UniqueProcess;
    if (NT_SUCCESS(s)) s = NtestFinishProcess(&info);
    NtestExpect("attach.child", s == STATUS_SUCCESS, "the child that attached and wrote", s);
    NtestExpect("attach.child_gone", WaitListed(pid, FALSE), "the ended child still listed", (ULONG)(ULONG_PTR)pid);
}

static NTSTATUS ChildMain(PCWSTR Id)
{
    ULONG id = 0;
    for (; *Id >= L'0' && *Id <= L'9'; Id++) id = id * 10 + (ULONG)(*Id - L'0');
    NTSTATUS s = CsrClientConnectToServer(NULL, BASESRV_SERVERDLL_INDEX, NULL, NULL, NULL);
    if (!NT_SUCCESS(s)) return s;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.ConsoleId = id;
    s = SimpleCall(CON_API(ConsolepAttach), &m, sizeof(CONSOLE_ALLOC_MSG));
    if (!NT_SUCCESS(s)) return s;
    if (m.Data.AllocConsole.ConsoleId != id || m.Data.AllocConsole.OutputHandle != CONSOLE_OUTPUT_HANDLE)
        return STATUS_UNSUCCESSFUL;
    s = WriteA("CSR-TEST: the child wrote to its parent's console\r\n", NULL);
    if (!NT_SUCCESS(s)) return s;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.ConsoleId = id;
    s = SimpleCall(CON_API(ConsolepAttach), &m, sizeof(CONSOLE_ALLOC_MSG));
    return s == STATUS_ACCESS_DENIED ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;   /* one console per process */
}

/* ReadConsole of up to Chars chars: Unicode through a capture buffer, ANSI inline. */
static NTSTATUS Read(BOOLEAN Unicode, PVOID Buffer, ULONG Chars, PULONG Got)
{
    CSR_API_MESSAGE m;
    PCSR_CAPTURE_BUFFER capture = NULL;
    ULONG bytes = Chars * (Unicode ? sizeof(WCHAR) : 1);
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ReadConsole.ConsoleHandle = CONSOLE_INPUT_HANDLE;
    m.Data.ReadConsole.Unicode = Unicode;
    m.Data.ReadConsole.NumberOfCharsToRead = Chars;
    if (Unicode) {
        capture = CsrAllocateCaptureBuffer(1, bytes);
        CsrAllocateMessagePointer(capture, bytes, &m.Data.ReadConsole.Buffer);
    }
    NTSTATUS s = CsrClientCallServer(&m, capture, CON_API(ConsolepReadConsole), sizeof(CONSOLE_READ_MSG));
    *Got = m.Data.ReadConsole.NumberOfCharsRead;
    if (NT_SUCCESS(s) && *Got <= Chars)
        RtlCopyMemory(Buffer, Unicode ? m.Data.ReadConsole.Buffer : m.Data.ReadConsole.Inline,
                      *Got * (Unicode ? sizeof(WCHAR) : 1));
    if (capture) CsrFreeCaptureBuffer(capture);
    return s;
}

/* A read left pending in consrv while csrss serves the same process's other calls; FreeConsole
 * ends it with STATUS_CANCELLED. */
static volatile NTSTATUS PendingReadStatus = STATUS_PENDING;

static NTSTATUS NTAPI PendingReader(PVOID Unused)
{
    WCHAR buffer[16];
    ULONG got = 0;
    UNREFERENCED_PARAMETER(Unused);
    PendingReadStatus = Read(TRUE, buffer, ARRAYSIZE(buffer), &got);
    return STATUS_SUCCESS;
}

static HANDLE StartPendingRead(VOID)
{
    HANDLE thread = NULL;
    LARGE_INTEGER pause = { .QuadPart = -3000000 };          /* 0.3 s: the read reaches consrv */
    NTSTATUS s = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, PendingReader, NULL, &thread, NULL);
    if (NT_SUCCESS(s)) NtDelayExecution(FALSE, &pause);
    ULONG written = 0;
    s = WriteA("CSR-TEST: served while a read waits\r\n", &written);
    NtestExpect("read.pending_server_free", thread && NT_SUCCESS(s) && written == 37 &&
                PendingReadStatus == STATUS_PENDING, "a call while another thread's read waits", s);
    return thread;
}

static VOID FinishPendingRead(HANDLE Thread)
{
    LARGE_INTEGER limit = { .QuadPart = -50000000 };         /* 5 s */
    NTSTATUS s = Thread ? NtWaitForSingleObject(Thread, FALSE, &limit) : STATUS_INVALID_HANDLE;
    NtestExpect("read.cancelled_by_free", s == STATUS_SUCCESS && PendingReadStatus == STATUS_CANCELLED,
                "the waiting read after FreeConsole", PendingReadStatus);
    if (Thread) NtClose(Thread);
}

static VOID TestConsole(VOID)
{
    CONSOLE_ALLOC_MSG console, again;
    NTSTATUS s = AllocConsole(L"t_csr", &console);
    NtestExpect("alloc", NT_SUCCESS(s) && console.ConsoleId != 0 && console.InputHandle == CONSOLE_INPUT_HANDLE &&
                console.OutputHandle == CONSOLE_OUTPUT_HANDLE && console.ErrorHandle == CONSOLE_ERROR_HANDLE &&
                CONSOLE_HANDLE(console.OutputHandle), "AllocConsole", s);
    s = AllocConsole(L"second", &again);
    NtestExpect("alloc.twice", s == STATUS_ACCESS_DENIED, "a second console", s);
    TestWrites();
    TestScreenInfo();
    TestTitle();
    TestModes();
    TestReadRefusals();
    TestBadMessages();
    TestRawClients();
    TestAttachChild(console.ConsoleId);
    HANDLE reader = StartPendingRead();
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    s = SimpleCall(CON_API(ConsolepFree), &m, 0);
    NtestExpect("free", NT_SUCCESS(s), "FreeConsole", s);
    FinishPendingRead(reader);
    s = SimpleCall(CON_API(ConsolepFree), &m, 0);
    NtestExpect("free.twice", s == STATUS_INVALID_PARAMETER, "FreeConsole without a console", s);
    s = WriteA("not shown\r\n", NULL);
    NtestExpect("free.write_after", s == STATUS_INVALID_HANDLE, "a write after FreeConsole", s);
    RtlZeroMemory(&m, sizeof(m));
    m.Data.AllocConsole.ConsoleId = console.ConsoleId;
    s = SimpleCall(CON_API(ConsolepAttach), &m, sizeof(CONSOLE_ALLOC_MSG));
    NtestExpect("attach.freed", s == STATUS_INVALID_PARAMETER, "attach to a console nobody holds", s);
}

/* The capture-buffer allocator: the port memory runs out and comes back. */
static VOID TestCaptureAllocator(VOID)
{
    PCSR_CAPTURE_BUFFER buffers[64];
    ULONG n = 0;
    while (n < ARRAYSIZE(buffers) && (buffers[n] = CsrAllocateCaptureBuffer(1, 4000)) != NULL) n++;
    BOOLEAN ranOut = n > 8 && n < ARRAYSIZE(buffers);
    while (n) CsrFreeCaptureBuffer(buffers[--n]);
    PCSR_CAPTURE_BUFFER big = CsrAllocateCaptureBuffer(1, 0xF000);
    NtestExpect("capture.allocator", ranOut && big != NULL, "64 KiB of port memory, used and given back", n);
    if (big) CsrFreeCaptureBuffer(big);
    NtestExpect("capture.too_many_pointers", CsrAllocateCaptureBuffer(CSR_MAX_CAPTURE_POINTERS + 1, 8) == NULL,
                "more pointers than csrss takes", 0);
}

static NTSTATUS ReadMain(VOID)
{
    CONSOLE_ALLOC_MSG console;
    NTSTATUS s = CsrClientConnectToServer(NULL, BASESRV_SERVERDLL_INDEX, NULL, NULL, NULL);
    if (NT_SUCCESS(s)) s = AllocConsole(L"t_csr read", &console);
    if (!NT_SUCCESS(s)) { NtestExpect("read.console", FALSE, "connect and AllocConsole", s); return s; }
    WCHAR wide[100];
    char narrow[8];
    ULONG got = 0, got2 = 0, got3 = 0;
    WriteA("CSR-TEST: type a line\r\n", NULL);
    s = Read(TRUE, wide, ARRAYSIZE(wide), &got);
    NtestExpect("read.cooked_unicode", NT_SUCCESS(s) && got == 10 && memcmp(wide, L"helX csr\r\n", 20) == 0,
                "a line edited with backspaces", got);
    WriteA("CSR-TEST: type another\r\n", NULL);
    s = Read(FALSE, narrow, 4, &got);
    NTSTATUS s2 = Read(FALSE, narrow + 4, 4, &got2);
    NtestExpect("read.cooked_split", NT_SUCCESS(s) && NT_SUCCESS(s2) && got == 4 && got2 == 4 &&
                memcmp(narrow, "abcdefg\r", 8) == 0, "a line read 4 chars at a time", got2);
    s = Read(FALSE, narrow, 4, &got3);
    NtestExpect("read.cooked_rest", NT_SUCCESS(s) && got3 == 1 && narrow[0] == '\n', "the line's last char", got3);
    ULONG mode = 0;
    s = Mode(ConsolepSetMode, CONSOLE_INPUT_HANDLE, &mode);
    WriteA("CSR-TEST: raw mode\r\n", NULL);
    if (NT_SUCCESS(s)) s = Read(FALSE, narrow, 4, &got);
    NtestExpect("read.raw", NT_SUCCESS(s) && got == 1 && narrow[0] == 'z', "one raw byte", got);
    return NtestResult();
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    PUNICODE_STRING cmd = &((PRTL_USER_PROCESS_PARAMETERS)Peb->ProcessParameters)->CommandLine;
    static const WCHAR attach[] = L"t_csr.exe attach ";
    ULONG n = ARRAYSIZE(attach) - 1;
    if (cmd->Length >= n * sizeof(WCHAR) && memcmp(cmd->Buffer, attach, n * sizeof(WCHAR)) == 0)
        return ChildMain(cmd->Buffer + n);
    if (cmd->Length == 26 && memcmp(cmd->Buffer, L"t_csr.exe raw", 26) == 0) return RawMain();
    if (cmd->Length >= 10 && memcmp((PCHAR)cmd->Buffer + cmd->Length - 10, L" read", 10) == 0) return ReadMain();
    CSR_API_MESSAGE m;
    NTSTATUS s = CsrClientCallServer(&m, NULL, CON_API(ConsolepGetMode), sizeof(CONSOLE_MODE_MSG));
    NtestExpect("call_before_connect", s == STATUS_INVALID_PORT_HANDLE, "a call with no connection", s);
    TestConnect();
    TestProcessList();
    TestConsole();
    TestCaptureAllocator();
    return NtestResult();
}
