/*
 * t_kernel.c - the kernel's side of native processes, seen from user mode: the PEB the kernel
 * filled for an image, NtContinue and NtRaiseException refusing bad arguments, the debug print
 * service surviving a bad pointer, ThreadAmILastThread, image files that are mapped (not
 * writable, not deletable), processes that die of exceptions nobody handles (kchild.c) ending with
 * the exception code - including one whose stack cannot take the exception record - and an
 * image for a subsystem NanoNT does not have (POSIX) refused.
 */
#define NTEST_NAME "t_kernel"
#include "ntest.h"


/* Runs kchild.exe with this command line; its exit status (or why it did not run). */
static NTSTATUS RunChild(PCWSTR CommandLine)
{
    return NtestRunProcess(L"\\??\\C:\\Tests\\kchild.exe", CommandLine);
}

static VOID TestPeb(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS p = Peb->ProcessParameters;
    NtestExpect("peb.image_base", Peb->ImageBaseAddress == (PVOID)0x00400000, "ImageBaseAddress",
           (ULONG)Peb->ImageBaseAddress);
    NtestExpect("peb.subsystem", Peb->ImageSubsystem == IMAGE_SUBSYSTEM_NATIVE, "ImageSubsystem", Peb->ImageSubsystem);
    NtestExpect("peb.version", Peb->OSMajorVersion == 5 && Peb->OSMinorVersion == 1 && Peb->OSPlatformId == 2,
           "OS version", Peb->OSMajorVersion);
    NtestExpect("peb.parameters", p && (p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED) && p->CommandLine.Buffer &&
           p->ImagePathName.Length > 0, "process parameters not normalized", p ? p->Flags : 0);
    NtestExpect("peb.teb", NtCurrentTeb()->ProcessEnvironmentBlock == Peb && NtCurrentTeb()->NtTib.Self ==
           &NtCurrentTeb()->NtTib, "TEB does not lead to the PEB", (ULONG)NtCurrentTeb());
}

static VOID TestServices(VOID)
{
    EXCEPTION_RECORD r;
    CONTEXT c;
    RtlZeroMemory(&r, sizeof(r));
    RtlZeroMemory(&c, sizeof(c));
    NTSTATUS s = NtContinue(NULL, FALSE);
    NtestExpect("continue.null", s == STATUS_ACCESS_VIOLATION, "NtContinue(NULL)", s);
    s = NtContinue((PCONTEXT)0x80001000, FALSE);
    NtestExpect("continue.kernel_pointer", s == STATUS_ACCESS_VIOLATION, "NtContinue(kernel address)", s);
    r.ExceptionCode = STATUS_INVALID_PARAMETER;
    r.NumberParameters = EXCEPTION_MAXIMUM_PARAMETERS + 1;
    s = NtRaiseException(&r, &c, TRUE);
    NtestExpect("raise.too_many_parameters", s == STATUS_INVALID_PARAMETER, "NtRaiseException(16 parameters)", s);
    s = NtRaiseException(NULL, &c, TRUE);
    NtestExpect("raise.null_record", s == STATUS_ACCESS_VIOLATION, "NtRaiseException(NULL record)", s);
    s = NtRaiseException(&r, (PCONTEXT)0xFFFF0000, FALSE);
    NtestExpect("raise.kernel_context", s == STATUS_ACCESS_VIOLATION, "NtRaiseException(kernel context)", s);
    /* The debug service copies under a fixup: a bad pointer prints nothing and returns. */
    __asm__ volatile("int $0x2d" : : "a"(1), "c"(0x80000000), "d"(16) : "memory");
    __asm__ volatile("int $0x2d" : : "a"(1), "c"(0x10), "d"(0x7FFFFFFF) : "memory");
    NtestExpect("debug_print.bad_pointer", TRUE, "", 0);
    ULONG last = 0;
    s = NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &last, sizeof(last), NULL);
    NtestExpect("thread.am_i_last", NT_SUCCESS(s) && last == 1, "ThreadAmILastThread", NT_SUCCESS(s) ? last : (ULONG)s);
}

/* NtCreateProcessEx takes only image sections. */
static VOID TestProcessFromSection(VOID)
{
    HANDLE section, event, process;
    LARGE_INTEGER size = { .QuadPart = PAGE_SIZE };
    NTSTATUS s = NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL);
    if (NT_SUCCESS(s)) {
        s = NtCreateProcessEx(&process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0, section, NULL, NULL, 0);
        if (NT_SUCCESS(s)) NtClose(process);
        NtClose(section);
    }
    NtestExpect("process.data_section", s == STATUS_SECTION_NOT_IMAGE, "a data section as the image", s);
    s = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    if (NT_SUCCESS(s)) {
        s = NtCreateProcessEx(&process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0, event, NULL, NULL, 0);
        if (NT_SUCCESS(s)) NtClose(process);
        NtClose(event);
    }
    NtestExpect("process.not_a_section", s == STATUS_OBJECT_TYPE_MISMATCH, "an event as the image", s);
    s = NtCreateProcessEx(&process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0, (HANDLE)0x1234, NULL, NULL, 0);
    NtestExpect("process.bad_section_handle", s == STATUS_INVALID_HANDLE, "a bad handle as the image", s);
}

static NTSTATUS OpenFile(PCWSTR Path, ACCESS_MASK Access, ULONG Options)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    RtlInitUnicodeString(&name, Path);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS s = NtOpenFile(&h, Access | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                            FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE | Options);
    if (NT_SUCCESS(s)) NtClose(h);
    return s;
}

/* The running program's image file is mapped: it may be read, not written or deleted; a program
 * that is not running may be opened for writing. */
static VOID TestMappedImageFile(VOID)
{
    NTSTATUS s = OpenFile(L"\\??\\C:\\Tests\\t_kernel.exe", FILE_READ_DATA, 0);
    NtestExpect("image_file.read", NT_SUCCESS(s), "open the running image for reading", s);
    s = OpenFile(L"\\??\\C:\\Tests\\t_kernel.exe", FILE_WRITE_DATA, 0);
    NtestExpect("image_file.write", s == STATUS_SHARING_VIOLATION, "open the running image for writing", s);
    s = OpenFile(L"\\??\\C:\\Tests\\t_kernel.exe", DELETE, FILE_DELETE_ON_CLOSE);
    NtestExpect("image_file.delete", s == STATUS_CANNOT_DELETE, "delete the running image", s);
    s = OpenFile(L"\\??\\C:\\Windows\\System32\\ntdll.dll", FILE_WRITE_DATA, 0);
    NtestExpect("image_file.ntdll", s == STATUS_SHARING_VIOLATION, "open ntdll.dll for writing", s);
    s = OpenFile(L"\\??\\C:\\Tests\\nop.exe", FILE_WRITE_DATA, 0);
    NtestExpect("image_file.not_running", NT_SUCCESS(s), "open an image nobody runs for writing", s);
}

static VOID TestChildren(VOID)
{
    NTSTATUS s = RunChild(L"kchild.exe exit");
    NtestExpect("child.exit_status", s == 0x600D, "entry point's return value", s);
    s = RunChild(L"kchild.exe badstack");
    NtestExpect("child.bad_stack", s == STATUS_ACCESS_VIOLATION, "fault with an unusable stack", s);
    s = RunChild(L"kchild.exe int3");
    NtestExpect("child.breakpoint", s == STATUS_BREAKPOINT, "unhandled breakpoint", s);
    s = RunChild(L"kchild.exe divide");
    NtestExpect("child.divide", s == STATUS_INTEGER_DIVIDE_BY_ZERO, "unhandled divide error", s);
    s = NtestRunProcess(L"\\??\\C:\\Tests\\posix.exe", L"posix.exe");
    NtestExpect("child.posix_subsystem", s == STATUS_IMAGE_SUBSYSTEM_NOT_PRESENT,
                "an image for a subsystem NanoNT does not have", s);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    TestPeb(Peb);
    TestServices();
    TestProcessFromSection();
    TestMappedImageFile();
    TestChildren();
    return NtestResult();
}
