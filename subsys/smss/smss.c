/*
 * smss.c - the session manager, the first user-mode process. For now it does one job: start the
 * initial program named by "init=" on the kernel command line, wait for it, and end with its exit
 * status, which the kernel (waiting on smss) turns into the machine's shutdown status. Without
 * "init=" it idles forever. (csrss and the rest of a session come later; see README.md.)
 */
#include "ntndk.h"

#define SMSS_DLL_PATH u"C:\\Windows\\System32"
/* The initial program's environment: double-NUL-terminated "Name=Value" strings. */
static const WCHAR SmpEnvironment[] = u"Path=C:\\Windows\\System32\0SystemRoot=C:\\Windows\0";

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

/* Starts the program and waits for it; *ExitStatus is its exit status. */
static NTSTATUS SmpRunProcess(PUNICODE_STRING NtPath, PRTL_USER_PROCESS_PARAMETERS Params, NTSTATUS *ExitStatus)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = RtlCreateUserProcess(NtPath, OBJ_CASE_INSENSITIVE, Params, NULL, NULL, NULL, FALSE, NULL,
                                           NULL, &info);
    if (!NT_SUCCESS(status)) return status;
    status = NtResumeThread(info.Thread, NULL);
    if (NT_SUCCESS(status)) status = NtWaitForSingleObject(info.Process, FALSE, NULL);
    PROCESS_BASIC_INFORMATION pbi;
    if (NT_SUCCESS(status))
        status = NtQueryInformationProcess(info.Process, ProcessBasicInformation, &pbi, sizeof(pbi), NULL);
    if (NT_SUCCESS(status)) *ExitStatus = pbi.ExitStatus;
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
    if (!NT_SUCCESS(status)) {
        DbgPrint("SMSS: cannot run %s: status 0x%08lx\n", Init->ProgramA, (unsigned long)status);
        return status;
    }
    DbgPrint("SMSS: %s exited with status 0x%08lx\n", Init->ProgramA, (unsigned long)exitStatus);
    return exitStatus;
}

/* Nothing to run: stay (the kernel would shut down if smss ended). */
static __attribute__((noreturn)) VOID SmpIdle(VOID)
{
    DbgPrint("SMSS: no initial program (init=); the system is idle\n");
    for (;;) {
        LARGE_INTEGER hour;
        hour.QuadPart = -36000000000LL;           /* relative, 100 ns units */
        NtWaitForSingleObject(NtCurrentProcess(), FALSE, NULL);   /* ourselves: never signalled */
        NtDelayExecution(FALSE, &hour);           /* in case that wait is refused */
    }
}

static SMP_INIT SmpInit;                          /* 4 KiB of paths: not on the stack */

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    if (!SmpParseCommandLine(&SmpInit)) SmpIdle();
    NTSTATUS status = SmpRunInitialProgram(&SmpInit);
    NtTerminateProcess(NtCurrentProcess(), status);
    return status;
}
