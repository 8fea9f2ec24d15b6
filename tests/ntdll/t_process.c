/*
 * t_process.c - process parameters and native process/thread creation: the parameter block and
 * its two forms, RtlCreateUserProcess of C:\Tests\child.exe (which reports what it saw through its
 * exit status: command line, environment, current directory, image path), exit codes,
 * NtTerminateProcess of a child, the failures (no such file, not a PE image), and
 * RtlCreateUserThread in this process (running and suspended).
 * Prints "TEST t_process.<case>: PASS|FAIL <why>"; exits 0 iff every case passed.
 */
#define NTEST_NAME "t_process"
#include "ntest.h"

#define CHILD_NOT_FOUND ((NTSTATUS)0x0BAD0001)   /* child.c's answers */
#define WAIT_SECONDS 20


static VOID ReportStatus(PCSTR Case, PCSTR What, NTSTATUS Got, NTSTATUS Want)
{
    if (Got == Want) {
        NtestCheck(Case, NULL);
    } else {
        DbgPrint("TEST t_process.%s: FAIL %s: 0x%08lx, want 0x%08lx\n", Case, What, (unsigned long)Got,
                 (unsigned long)Want);
        NtestFailures++;
    }
}

/* child.c's hash. */
static ULONG ChildHash(PCWSTR s, ULONG chars)
{
    ULONG h = 5381;
    for (ULONG i = 0; i < chars; i++) h = h * 33 + s[i];
    return (h & 0x0FFFFFFF) | 0x10000000;
}

static ULONG WideLength(PCWSTR s)
{
    ULONG n = 0;
    while (s[n]) n++;
    return n;
}

static NTSTATUS HashOf(PCWSTR s)
{
    return (NTSTATUS)ChildHash(s, WideLength(s));
}

static BOOLEAN SameString(PCUNICODE_STRING S, PCWSTR Want)
{
    ULONG n = WideLength(Want);
    return S->Length == n * sizeof(WCHAR) && S->Buffer != NULL &&
           RtlCompareMemory(S->Buffer, Want, S->Length) == S->Length && S->Buffer[n] == 0;
}

static BOOLEAN Inside(PRTL_USER_PROCESS_PARAMETERS P, PVOID Pointer)
{
    return (PCHAR)Pointer >= (PCHAR)(P + 1) && (PCHAR)Pointer < (PCHAR)P + P->MaximumLength;
}

/* ---- The parameter block --------------------------------------------------------------------- */

static const WCHAR TestEnvironment[] = u"NANONT_A=1\0NANONT_TEST=hello world\0";

static PCSTR CheckNormalized(PRTL_USER_PROCESS_PARAMETERS P)
{
    if (!(P->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) return "not normalized";
    if (P->Length != P->MaximumLength || P->Length < sizeof(*P)) return "Length/MaximumLength";
    if (!SameString(&P->ImagePathName, u"\\??\\C:\\Tests\\child.exe")) return "ImagePathName";
    if (!SameString(&P->CommandLine, u"C:\\Tests\\child.exe one two")) return "CommandLine";
    if (!SameString(&P->CurrentDirectory.DosPath, u"C:\\Tests\\")) return "CurrentDirectory";
    if (P->CurrentDirectory.DosPath.MaximumLength < 260 * sizeof(WCHAR)) return "CurrentDirectory room";
    if (!SameString(&P->DllPath, u"C:\\Windows\\System32")) return "DllPath";
    if (P->WindowTitle.Length != 0 || !Inside(P, P->WindowTitle.Buffer)) return "WindowTitle";
    if (!Inside(P, P->Environment) || !Inside(P, P->CommandLine.Buffer)) return "pointers outside the block";
    if (RtlCompareMemory(P->Environment, TestEnvironment, sizeof(TestEnvironment)) != sizeof(TestEnvironment))
        return "Environment";
    return NULL;
}

static PCSTR CheckRoundTrip(PRTL_USER_PROCESS_PARAMETERS P)
{
    PWSTR cmd = P->CommandLine.Buffer, env = P->Environment;
    if (RtlDeNormalizeProcessParams(P) != P) return "DeNormalize did not return the block";
    if (P->Flags & RTL_USER_PROC_PARAMS_NORMALIZED) return "still flagged normalized";
    if ((ULONG_PTR)P->CommandLine.Buffer != (ULONG_PTR)((PCHAR)cmd - (PCHAR)P)) return "CommandLine offset";
    if ((ULONG_PTR)P->Environment != (ULONG_PTR)((PCHAR)env - (PCHAR)P)) return "Environment offset";
    RtlDeNormalizeProcessParams(P);                  /* a second call changes nothing */
    RtlNormalizeProcessParams(P);
    if (P->CommandLine.Buffer != cmd || P->Environment != env) return "Normalize did not restore the pointers";
    return CheckNormalized(P);
}

static VOID TestParameters(VOID)
{
    UNICODE_STRING image = RTL_CONSTANT_STRING(u"\\??\\C:\\Tests\\child.exe");
    UNICODE_STRING cmd = RTL_CONSTANT_STRING(u"C:\\Tests\\child.exe one two");
    UNICODE_STRING dir = RTL_CONSTANT_STRING(u"C:\\Tests\\");
    UNICODE_STRING dll = RTL_CONSTANT_STRING(u"C:\\Windows\\System32");
    PRTL_USER_PROCESS_PARAMETERS p;
    NTSTATUS status = RtlCreateProcessParameters(&p, &image, &dll, &dir, &cmd, (PWSTR)TestEnvironment, NULL,
                                                 NULL, NULL, NULL);
    if (!NT_SUCCESS(status)) { ReportStatus("parameters", "RtlCreateProcessParameters", status, 0); return; }
    PCSTR why = CheckNormalized(p);
    if (why == NULL) why = CheckRoundTrip(p);
    RtlDestroyProcessParameters(p);
    if (why == NULL) {
        /* No command line: the image path stands in for it. */
        status = RtlCreateProcessParameters(&p, &image, &dll, &dir, NULL, (PWSTR)TestEnvironment, NULL, NULL,
                                            NULL, NULL);
        if (!NT_SUCCESS(status)) why = "second RtlCreateProcessParameters failed";
        else if (!SameString(&p->CommandLine, u"\\??\\C:\\Tests\\child.exe")) why = "default CommandLine";
        if (NT_SUCCESS(status)) RtlDestroyProcessParameters(p);
    }
    NtestCheck("parameters", why);
}

/* ---- Child processes --------------------------------------------------------------------------- */

static NTSTATUS StartChild(PCWSTR CommandLine, PCWSTR Environment, PRTL_USER_PROCESS_INFORMATION Info)
{
    UNICODE_STRING image = RTL_CONSTANT_STRING(u"\\??\\C:\\Tests\\child.exe");
    UNICODE_STRING dir = RTL_CONSTANT_STRING(u"C:\\Tests\\");
    UNICODE_STRING dll = RTL_CONSTANT_STRING(u"C:\\Windows\\System32");
    UNICODE_STRING cmd;
    RtlInitUnicodeString(&cmd, CommandLine);
    PRTL_USER_PROCESS_PARAMETERS params;
    NTSTATUS status = RtlCreateProcessParameters(&params, &image, &dll, &dir, &cmd, (PWSTR)Environment, NULL,
                                                 NULL, NULL, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, params, NULL, NULL, NULL, FALSE, NULL, NULL, Info);
    RtlDestroyProcessParameters(params);
    return status;
}

/* Waits (bounded) for a process or thread; STATUS_TIMEOUT if it does not end. */
static NTSTATUS WaitBounded(HANDLE Handle)
{
    LARGE_INTEGER timeout;
    timeout.QuadPart = -(LONGLONG)WAIT_SECONDS * 10000000;
    return NtWaitForSingleObject(Handle, FALSE, &timeout);
}

static NTSTATUS WaitForExit(PRTL_USER_PROCESS_INFORMATION Info, NTSTATUS *ExitStatus)
{
    NTSTATUS status = WaitBounded(Info->Process);
    if (status == STATUS_TIMEOUT) NtTerminateProcess(Info->Process, STATUS_TIMEOUT);
    PROCESS_BASIC_INFORMATION pbi;
    if (status == STATUS_SUCCESS)
        status = NtQueryInformationProcess(Info->Process, ProcessBasicInformation, &pbi, sizeof(pbi), NULL);
    if (status == STATUS_SUCCESS) *ExitStatus = pbi.ExitStatus;
    NtClose(Info->Thread);
    NtClose(Info->Process);
    return status;
}

/* Runs the child with CommandLine and checks its exit status. */
static VOID RunChildCase(PCSTR Case, PCWSTR CommandLine, PCWSTR Environment, NTSTATUS Want)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS exitStatus = 0;
    NTSTATUS status = StartChild(CommandLine, Environment, &info);
    if (!NT_SUCCESS(status)) { ReportStatus(Case, "RtlCreateUserProcess", status, STATUS_SUCCESS); return; }
    status = NtResumeThread(info.Thread, NULL);
    if (!NT_SUCCESS(status)) NtTerminateProcess(info.Process, status);
    NTSTATUS waited = WaitForExit(&info, &exitStatus);
    if (!NT_SUCCESS(status)) ReportStatus(Case, "NtResumeThread", status, STATUS_SUCCESS);
    else if (waited != STATUS_SUCCESS) ReportStatus(Case, "waiting for the child", waited, STATUS_SUCCESS);
    else ReportStatus(Case, "child's exit status", exitStatus, Want);
}

static VOID TestChildren(VOID)
{
    static const WCHAR cmdline[] = u"C:\\Tests\\child.exe cmdline alpha  beta \"gamma\"";
    RunChildCase("command_line", cmdline, TestEnvironment, HashOf(cmdline));
    RunChildCase("environment", u"C:\\Tests\\child.exe env NANONT_TEST", TestEnvironment, HashOf(u"hello world"));
    RunChildCase("environment_missing", u"C:\\Tests\\child.exe env NANONT_NONE", TestEnvironment, CHILD_NOT_FOUND);
    RunChildCase("current_directory", u"C:\\Tests\\child.exe curdir", TestEnvironment, HashOf(u"C:\\Tests\\"));
    RunChildCase("image_path", u"C:\\Tests\\child.exe image", TestEnvironment,
                 HashOf(u"\\??\\C:\\Tests\\child.exe"));
    RunChildCase("exit_code", u"C:\\Tests\\child.exe exit 2A", TestEnvironment, 0x2A);
}

/* What RtlCreateUserProcess returns besides the handles. */
static VOID TestProcessInformation(VOID)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = StartChild(u"C:\\Tests\\child.exe exit 0", TestEnvironment, &info);
    if (!NT_SUCCESS(status)) { ReportStatus("information", "RtlCreateUserProcess", status, 0); return; }
    PCSTR why = NULL;
    if (info.Length != sizeof(info)) why = "Length";
    else if (info.ClientId.UniqueProcess == NULL || info.ClientId.UniqueThread == NULL) why = "ClientId";
    else if (info.ImageInformation.SubSystemType != IMAGE_SUBSYSTEM_NATIVE) why = "SubSystemType";
    else if (info.ImageInformation.TransferAddress == NULL) why = "TransferAddress";
    NtTerminateProcess(info.Process, STATUS_SUCCESS);   /* never resumed */
    NTSTATUS exitStatus;
    WaitForExit(&info, &exitStatus);
    NtestCheck("information", why);
}

static VOID TestTerminate(VOID)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS exitStatus = 0;
    NTSTATUS status = StartChild(u"C:\\Tests\\child.exe sleep", TestEnvironment, &info);
    if (!NT_SUCCESS(status)) { ReportStatus("terminate", "RtlCreateUserProcess", status, 0); return; }
    NtResumeThread(info.Thread, NULL);
    LARGE_INTEGER moment;
    moment.QuadPart = -100 * 10000;                   /* let it reach its sleep: 100 ms */
    NtDelayExecution(FALSE, &moment);
    status = NtTerminateProcess(info.Process, (NTSTATUS)0x0DEAD123);
    NTSTATUS waited = WaitForExit(&info, &exitStatus);
    if (!NT_SUCCESS(status)) ReportStatus("terminate", "NtTerminateProcess", status, STATUS_SUCCESS);
    else if (waited != STATUS_SUCCESS) ReportStatus("terminate", "waiting for the child", waited, 0);
    else ReportStatus("terminate", "exit status", exitStatus, (NTSTATUS)0x0DEAD123);
}

static VOID CreateFails(PCSTR Case, PCWSTR NtPath, NTSTATUS Want)
{
    UNICODE_STRING image;
    RtlInitUnicodeString(&image, NtPath);
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, NULL, NULL, NULL, NULL, FALSE, NULL, NULL,
                                           &info);
    if (NT_SUCCESS(status)) {
        NtTerminateProcess(info.Process, STATUS_UNSUCCESSFUL);
        NtClose(info.Thread);
        NtClose(info.Process);
    }
    ReportStatus(Case, "RtlCreateUserProcess", status, Want);
}

/* ---- Threads ------------------------------------------------------------------------------------ */

static volatile ULONG ThreadValue;
static volatile BOOLEAN ThreadStackOk;

static NTSTATUS NTAPI ThreadMain(PVOID Parameter)
{
    ULONG_PTR sp = (ULONG_PTR)__builtin_frame_address(0);
    PTEB teb = NtCurrentTeb();
    ThreadStackOk = sp < (ULONG_PTR)teb->NtTib.StackBase && sp >= (ULONG_PTR)teb->NtTib.StackLimit;
    ThreadValue = (ULONG)(ULONG_PTR)Parameter;
    return (NTSTATUS)0x77;
}

static NTSTATUS ThreadExitStatus(HANDLE Thread, NTSTATUS *ExitStatus)
{
    THREAD_BASIC_INFORMATION tbi;
    NTSTATUS status = NtQueryInformationThread(Thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL);
    if (NT_SUCCESS(status)) *ExitStatus = tbi.ExitStatus;
    return status;
}

static PCSTR RunThread(BOOLEAN Suspended)
{
    HANDLE thread;
    CLIENT_ID cid;
    ThreadValue = 0;
    ThreadStackOk = FALSE;
    NTSTATUS status = RtlCreateUserThread(NtCurrentProcess(), NULL, Suspended, 0, 0, 0, ThreadMain,
                                          (PVOID)0x1234, &thread, &cid);
    if (!NT_SUCCESS(status)) return "RtlCreateUserThread failed";
    PCSTR why = NULL;
    if (cid.UniqueThread == NULL) why = "no thread id";
    if (Suspended) {
        LARGE_INTEGER moment;
        moment.QuadPart = -50 * 10000;
        NtDelayExecution(FALSE, &moment);
        if (ThreadValue != 0) why = "a suspended thread ran";
        NtResumeThread(thread, NULL);
    }
    NTSTATUS exitStatus = 0;
    if (WaitBounded(thread) != STATUS_SUCCESS) {
        NtTerminateThread(thread, STATUS_TIMEOUT);
        why = "the thread did not end";
    } else if (!NT_SUCCESS(ThreadExitStatus(thread, &exitStatus)) || exitStatus != 0x77) {
        why = "wrong thread exit status";
    } else if (ThreadValue != 0x1234) {
        why = "the parameter did not arrive";
    } else if (!ThreadStackOk) {
        why = "the TEB's stack limits do not hold the thread's stack";
    }
    NtClose(thread);
    return why;
}

static VOID TestThreads(VOID)
{
    NtestCheck("thread", RunThread(FALSE));
    NtestCheck("thread_suspended", RunThread(TRUE));
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    TestParameters();
    TestThreads();
    TestChildren();
    TestProcessInformation();
    TestTerminate();
    CreateFails("bad_path", u"\\??\\C:\\Tests\\no_such_program.exe", STATUS_OBJECT_NAME_NOT_FOUND);
    CreateFails("not_pe", u"\\??\\C:\\README.TXT", STATUS_INVALID_IMAGE_NOT_MZ);
    DbgPrint("t_process: %lu failure(s)\n", (unsigned long)NtestFailures);
    return NtestResult();
}
