/*
 * smss.c - the session manager, the first user-mode process. It starts the Win32 subsystem
 * (csrss.exe) and waits until csrss says it serves, then starts the initial program named by
 * "init=" on the kernel command line, waits for it, and ends with its exit status, which the
 * kernel (waiting on smss) turns into the machine's shutdown status. Without "init=" it idles.
 * csrss is a system process: if it cannot start, or dies, smss says why and ends with that
 * status (NT would bug-check). See README.md.
 */
#include "ntndk.h"
#include "csrmsg.h"

#define SMSS_DLL_PATH u"C:\\Windows\\System32"
/* The initial program's environment: double-NUL-terminated "Name=Value" strings. */
static const WCHAR SmpEnvironment[] = u"Path=C:\\Windows\\System32\0SystemRoot=C:\\Windows\0";
#define SMSS_CSRSS_IMAGE u"\\SystemRoot\\System32\\csrss.exe"
#define SMSS_CSRSS_DIRECTORY u"C:\\Windows\\System32\\"
#define SMSS_CSRSS_START_SECONDS 120     /* how long csrss may take to say it is ready */

static HANDLE SmpCsrssProcess;                    /* csrss, once it serves */
static BOOLEAN SmpCsrssGone;                      /* csrss died while the program ran */

/* What "init=" says: the whole rest of the line, its first word, and that word's directory. */
typedef struct _SMP_INIT {
    UNICODE_STRING CommandLine;           /* everything after "init=" */
    WCHAR Program[RTL_MAX_DOS_PATH_CHARS];  /* first word (quotes removed), NUL-terminated */
    WCHAR Directory[RTL_MAX_DOS_PATH_CHARS];/* Program up to its last backslash, kept */
    char ProgramA[128];                   /* Program for DbgPrint */
} SMP_INIT;

static VOID SmpToAscii(PCWSTR Source, char *Dest, ULONG DestSize)
{
    ULONG i = 0;
    for (; Source[i] && i + 1 < DestSize; i++) Dest[i] = Source[i] < 0x80 ? (char)Source[i] : '?';
    Dest[i] = 0;
}

/* The position just after "init=" (at the start of the line or after a space), or NULL. */
static PWSTR SmpFindInit(PCUNICODE_STRING Line)
{
    static const WCHAR key[] = u"init=";
    const ULONG keyChars = ARRAYSIZE(key) - 1;
    ULONG chars = Line->Length / sizeof(WCHAR);
    for (ULONG i = 0; i + keyChars <= chars; i++) {
        if (i > 0 && Line->Buffer[i - 1] != u' ') continue;
        if (RtlCompareMemory(&Line->Buffer[i], key, keyChars * sizeof(WCHAR)) == keyChars * sizeof(WCHAR))
            return &Line->Buffer[i + keyChars];
    }
    return NULL;
}

/* Splits the initial command line: the program (first word, or a quoted string) and its
 * directory. FALSE if there is no program or it is too long. */
static BOOLEAN SmpSplitProgram(SMP_INIT *Init)
{
    PCWSTR p = Init->CommandLine.Buffer;
    PCWSTR end = p + Init->CommandLine.Length / sizeof(WCHAR);
    WCHAR stop = u' ';
    if (p < end && *p == u'"') { stop = u'"'; p++; }
    ULONG n = 0, lastSlash = 0;
    for (; p < end && *p != stop; p++) {
        if (n + 1 >= ARRAYSIZE(Init->Program)) return FALSE;
        if (*p == u'\\') lastSlash = n + 1;
        Init->Program[n++] = *p;
    }
    Init->Program[n] = 0;
    RtlCopyMemory(Init->Directory, Init->Program, lastSlash * sizeof(WCHAR));
    Init->Directory[lastSlash] = 0;
    SmpToAscii(Init->Program, Init->ProgramA, sizeof(Init->ProgramA));
    return n > 0;
}

/* Finds "init=" in our own command line; FALSE if it is not there. */
static BOOLEAN SmpParseCommandLine(SMP_INIT *Init)
{
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    if (params == NULL) return FALSE;
    PWSTR start = SmpFindInit(&params->CommandLine);
    if (start == NULL) return FALSE;
    PWSTR end = params->CommandLine.Buffer + params->CommandLine.Length / sizeof(WCHAR);
    while (start < end && *start == u' ') start++;
    Init->CommandLine.Buffer = start;
    Init->CommandLine.Length = (USHORT)((end - start) * sizeof(WCHAR));
    Init->CommandLine.MaximumLength = Init->CommandLine.Length;
    return TRUE;
}

/* Without init=, the default initial program is the command interpreter, if the volume has it. */
static BOOLEAN SmpDefaultProgram(SMP_INIT *Init)
{
    static WCHAR line[] = u"C:\\Windows\\System32\\cmd.exe";
    UNICODE_STRING path = RTL_CONSTANT_STRING(u"\\??\\C:\\Windows\\System32\\cmd.exe");
    OBJECT_ATTRIBUTES oa;
    FILE_BASIC_INFORMATION info;
    InitializeObjectAttributes(&oa, &path, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!NT_SUCCESS(NtQueryAttributesFile(&oa, &info))) return FALSE;
    RtlInitUnicodeString(&Init->CommandLine, line);
    return TRUE;
}

/* The initial program's parameters: its NT image path, command line, directory, DLL path and
 * the minimal environment. */
static NTSTATUS SmpCreateParameters(SMP_INIT *Init, PUNICODE_STRING NtPath, PRTL_USER_PROCESS_PARAMETERS *Params)
{
    UNICODE_STRING directory, dllPath;
    RtlInitUnicodeString(&directory, Init->Directory);
    RtlInitUnicodeString(&dllPath, SMSS_DLL_PATH);
    return RtlCreateProcessParameters(Params, NtPath, &dllPath, &directory, &Init->CommandLine,
                                      (PWSTR)SmpEnvironment, NULL, NULL, NULL, NULL);
}

/* A process's exit status. */
static NTSTATUS SmpExitStatus(HANDLE Process, NTSTATUS *ExitStatus)
{
    PROCESS_BASIC_INFORMATION pbi;
    NTSTATUS status = NtQueryInformationProcess(Process, ProcessBasicInformation, &pbi, sizeof(pbi), NULL);
    if (NT_SUCCESS(status)) *ExitStatus = pbi.ExitStatus;
    return status;
}

/* csrss ended: its status, never success (a system process must not end). */
static NTSTATUS SmpCsrssDied(PCSTR When)
{
    NTSTATUS exitStatus = STATUS_UNSUCCESSFUL;
    SmpExitStatus(SmpCsrssProcess, &exitStatus);
    if (NT_SUCCESS(exitStatus)) exitStatus = STATUS_UNSUCCESSFUL;
    DbgPrint("SMSS: csrss.exe (the Win32 subsystem) died %s with status 0x%08lx: shutting down\n", When,
             (unsigned long)exitStatus);
    return exitStatus;
}

/* Waits for the program to end; csrss dying first is an error (its status). */
static NTSTATUS SmpWaitForProgram(HANDLE Process)
{
    HANDLE handles[2] = { Process, SmpCsrssProcess };
    NTSTATUS status = NtWaitForMultipleObjects(SmpCsrssProcess ? 2 : 1, handles, WaitAny, FALSE, NULL);
    if (status == STATUS_WAIT_0 + 1) {
        SmpCsrssGone = TRUE;
        return SmpCsrssDied("while the initial program ran");
    }
    return NT_SUCCESS(status) ? STATUS_SUCCESS : status;
}

/* Starts the program and waits for it; *ExitStatus is its exit status. */
static NTSTATUS SmpRunProcess(PUNICODE_STRING NtPath, PRTL_USER_PROCESS_PARAMETERS Params, NTSTATUS *ExitStatus)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = RtlCreateUserProcess(NtPath, OBJ_CASE_INSENSITIVE, Params, NULL, NULL, NULL, FALSE, NULL,
                                           NULL, &info);
    if (!NT_SUCCESS(status)) return status;
    status = NtResumeThread(info.Thread, NULL);
    if (NT_SUCCESS(status)) status = SmpWaitForProgram(info.Process);
    if (NT_SUCCESS(status)) status = SmpExitStatus(info.Process, ExitStatus);
    else NtTerminateProcess(info.Process, status);
    NtClose(info.Thread);
    NtClose(info.Process);
    return status;
}

/* Runs the initial program; returns the status smss should end with. */
static NTSTATUS SmpRunInitialProgram(SMP_INIT *Init)
{
    UNICODE_STRING ntPath;
    if (!SmpSplitProgram(Init)) {
        DbgPrint("SMSS: init= names no program (or too long a path)\n");
        return STATUS_OBJECT_NAME_INVALID;
    }
    NTSTATUS status = RtlDosPathNameToNtPathName_U_WithStatus(Init->Program, &ntPath, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        DbgPrint("SMSS: %s is not a valid path (status 0x%08lx)\n", Init->ProgramA, (unsigned long)status);
        return status;
    }
    PRTL_USER_PROCESS_PARAMETERS params;
    status = SmpCreateParameters(Init, &ntPath, &params);
    NTSTATUS exitStatus = STATUS_SUCCESS;
    if (NT_SUCCESS(status)) {
        status = SmpRunProcess(&ntPath, params, &exitStatus);
        RtlDestroyProcessParameters(params);
    }
    RtlFreeUnicodeString(&ntPath);
    if (SmpCsrssGone) return status;             /* said by SmpCsrssDied */
    if (!NT_SUCCESS(status)) {
        DbgPrint("SMSS: cannot run %s: status 0x%08lx\n", Init->ProgramA, (unsigned long)status);
        return status;
    }
    DbgPrint("SMSS: %s exited with status 0x%08lx\n", Init->ProgramA, (unsigned long)exitStatus);
    return exitStatus;
}

/* Nothing to run: stay (the kernel would shut down if smss ended) unless csrss dies. */
static __attribute__((noreturn)) VOID SmpIdle(VOID)
{
    DbgPrint("SMSS: no initial program (init=); the system is idle\n");
    if (SmpCsrssProcess) {
        NtWaitForSingleObject(SmpCsrssProcess, FALSE, NULL);
        NTSTATUS status = SmpCsrssDied("while the system was idle");
        NtTerminateProcess(NtCurrentProcess(), status);
    }
    for (;;) {
        LARGE_INTEGER hour;
        hour.QuadPart = -36000000000LL;           /* relative, 100 ns units */
        NtWaitForSingleObject(NtCurrentProcess(), FALSE, NULL);   /* ourselves: never signalled */
        NtDelayExecution(FALSE, &hour);           /* in case that wait is refused */
    }
}

static SMP_INIT SmpInit;                          /* 4 KiB of paths: not on the stack */

/* The event csrss sets when it serves: made here first, so it cannot be missed. */
static NTSTATUS SmpCreateReadyEvent(PHANDLE Event)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, CSR_READY_EVENT_NAME);
    InitializeObjectAttributes(&oa, &name, OBJ_OPENIF, NULL, NULL);
    return NtCreateEvent(Event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
}

/* csrss's process, started with the initial program's kind of parameters. */
static NTSTATUS SmpCreateCsrss(PRTL_USER_PROCESS_INFORMATION Info)
{
    UNICODE_STRING image, directory, dllPath;
    PRTL_USER_PROCESS_PARAMETERS params;
    RtlInitUnicodeString(&image, SMSS_CSRSS_IMAGE);
    RtlInitUnicodeString(&directory, SMSS_CSRSS_DIRECTORY);
    RtlInitUnicodeString(&dllPath, SMSS_DLL_PATH);
    NTSTATUS status = RtlCreateProcessParameters(&params, &image, &dllPath, &directory, &image,
                                                 (PWSTR)SmpEnvironment, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, params, NULL, NULL, NULL, FALSE, NULL, NULL, Info);
    RtlDestroyProcessParameters(params);
    if (!NT_SUCCESS(status)) return status;
    status = NtResumeThread(Info->Thread, NULL);
    NtClose(Info->Thread);
    if (!NT_SUCCESS(status)) { NtTerminateProcess(Info->Process, status); NtClose(Info->Process); }
    return status;
}

/* Starts csrss and waits until it serves \Windows\ApiPort (it sets CsrssReady), or ends. */
static NTSTATUS SmpStartCsrss(VOID)
{
    HANDLE ready;
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = SmpCreateReadyEvent(&ready);
    if (!NT_SUCCESS(status)) {
        DbgPrint("SMSS: cannot create the CsrssReady event: status 0x%08lx\n", (unsigned long)status);
        return status;
    }
    status = SmpCreateCsrss(&info);
    if (!NT_SUCCESS(status)) {
        DbgPrint("SMSS: cannot start csrss.exe: status 0x%08lx\n", (unsigned long)status);
        NtClose(ready);
        return status;
    }
    SmpCsrssProcess = info.Process;
    HANDLE handles[2] = { ready, info.Process };
    LARGE_INTEGER timeout = { .QuadPart = -10000000LL * SMSS_CSRSS_START_SECONDS };
    status = NtWaitForMultipleObjects(2, handles, WaitAny, FALSE, &timeout);
    NtClose(ready);
    if (status == STATUS_WAIT_0) return STATUS_SUCCESS;
    if (status == STATUS_WAIT_0 + 1) return SmpCsrssDied("during its start");
    if (status == STATUS_TIMEOUT) status = STATUS_IO_TIMEOUT;
    DbgPrint("SMSS: csrss.exe did not become ready: status 0x%08lx\n", (unsigned long)status);
    NtTerminateProcess(info.Process, status);
    return status;
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    NTSTATUS status = SmpStartCsrss();
    if (!NT_SUCCESS(status)) {
        NtTerminateProcess(NtCurrentProcess(), status);
        return status;
    }
    if (!SmpParseCommandLine(&SmpInit) && !SmpDefaultProgram(&SmpInit)) SmpIdle();
    status = SmpRunInitialProgram(&SmpInit);
    NtTerminateProcess(NtCurrentProcess(), status);
    return status;
}
