/*
 * t_apc.c - user APCs (kernel/ke/apc.c, ntdll/apc.S): NtQueueApcThread, delivery by NtTestAlert
 * and by alertable waits (which end with STATUS_USER_APC), none in non-alertable waits, FIFO
 * order and arguments, an APC that wakes another thread's alertable wait, APCs left queued when
 * a thread ends, I/O completion APCs (NtWriteFile's ApcRoutine), and the refusals (bad handle, no
 * routine, a kernel address).
 */
#define NTEST_NAME "t_apc"
#include "ntest.h"

static ULONG Calls, Order[8];
static ULONG_PTR Seen[3];

static VOID NTAPI Record(PVOID A, PVOID B, PVOID C)
{
    if (Calls < ARRAYSIZE(Order)) Order[Calls] = (ULONG)(ULONG_PTR)A;
    Calls++;
    Seen[0] = (ULONG_PTR)A; Seen[1] = (ULONG_PTR)B; Seen[2] = (ULONG_PTR)C;
}

static VOID TestTestAlert(VOID)
{
    Calls = 0;
    NTSTATUS s = NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)1, (PVOID)0xB0B, (PVOID)0xC0C);
    NtestExpect("queue.self", NT_SUCCESS(s), "NtQueueApcThread", s);
    NtestExpect("queue.not_yet_run", Calls == 0, "ran before the thread was alertable", Calls);
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)2, NULL, NULL);
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)3, NULL, NULL);
    s = NtTestAlert();
    NtestExpect("test_alert.runs_all", s == STATUS_SUCCESS && Calls == 3, "NtTestAlert did not run the three", Calls);
    NtestExpect("test_alert.fifo", Order[0] == 1 && Order[1] == 2 && Order[2] == 3, "order", Order[1]);
    Calls = 0;
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)7, (PVOID)8, (PVOID)9);
    NtTestAlert();
    NtestExpect("arguments", Seen[0] == 7 && Seen[1] == 8 && Seen[2] == 9, "arguments", (ULONG)Seen[1]);
}

static VOID TestWaits(VOID)
{
    HANDLE event;
    LARGE_INTEGER shortly = { .QuadPart = -100000 };      /* 10 ms */
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    Calls = 0;
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)4, NULL, NULL);
    NTSTATUS s = NtWaitForSingleObject(event, FALSE, &shortly);
    NtestExpect("wait.not_alertable", s == STATUS_TIMEOUT && Calls == 0, "a non-alertable wait ran the APC", s);
    s = NtWaitForSingleObject(event, TRUE, NULL);
    NtestExpect("wait.alertable", s == STATUS_USER_APC && Calls == 1, "alertable wait", s);
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)5, NULL, NULL);
    s = NtDelayExecution(TRUE, &shortly);
    NtestExpect("delay.alertable", s == STATUS_USER_APC && Calls == 2, "alertable NtDelayExecution", s);
    NtSetEvent(event, NULL);
    NtQueueApcThread(NtCurrentThread(), (PVOID)Record, (PVOID)6, NULL, NULL);
    s = NtWaitForSingleObject(event, TRUE, NULL);
    NtestExpect("wait.signalled_first", s == STATUS_WAIT_0 && Calls == 2, "a signalled object wins over the APC", s);
    NtTestAlert();
    NtClose(event);
}

/* Another thread sleeps in an alertable wait; an APC from here wakes it. */
static volatile LONG WokenBy;

static VOID NTAPI Wake(PVOID A, PVOID B, PVOID C)
{
    WokenBy = (LONG)(ULONG_PTR)A;
}

static NTSTATUS NTAPI Sleeper(PVOID Event)
{
    NTSTATUS s = NtWaitForSingleObject((HANDLE)Event, TRUE, NULL);
    return s == STATUS_USER_APC && WokenBy == 42 ? 0x600D : s;
}

static VOID TestOtherThread(VOID)
{
    HANDLE event, thread;
    THREAD_BASIC_INFORMATION info;
    LARGE_INTEGER shortly = { .QuadPart = -200000 };
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    NTSTATUS s = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Sleeper, event, &thread, NULL);
    if (!NT_SUCCESS(s)) { NtestExpect("other_thread.wakes", FALSE, "RtlCreateUserThread", s); return; }
    NtDelayExecution(FALSE, &shortly);                    /* let it block */
    s = NtQueueApcThread(thread, (PVOID)Wake, (PVOID)42, NULL, NULL);
    NtWaitForSingleObject(thread, FALSE, NULL);
    NtQueryInformationThread(thread, ThreadBasicInformation, &info, sizeof(info), NULL);
    NtestExpect("other_thread.wakes", NT_SUCCESS(s) && info.ExitStatus == 0x600D, "the sleeper's status",
           info.ExitStatus);
    s = NtQueueApcThread(thread, (PVOID)Wake, (PVOID)1, NULL, NULL);
    NtestExpect("other_thread.ended", s == STATUS_THREAD_IS_TERMINATING, "an APC to a dead thread", s);
    NtClose(thread);
    NtClose(event);
}

/* APCs queued to a thread before it starts run as it starts (the loader resumes the thread's
 * context with NtContinue(TestAlert = TRUE), as NT's does). */
static NTSTATUS NTAPI Quitter(PVOID Unused)
{
    return Calls == 4 ? 0x600D : 0xBAD;
}

static VOID TestEarly(VOID)
{
    HANDLE thread;
    THREAD_BASIC_INFORMATION info;
    NTSTATUS s = RtlCreateUserThread(NtCurrentProcess(), NULL, TRUE, 0, 0, 0, Quitter, NULL, &thread, NULL);
    if (!NT_SUCCESS(s)) { NtestExpect("early.at_thread_start", FALSE, "RtlCreateUserThread", s); return; }
    Calls = 0;
    for (ULONG i = 0; i < 4; i++) NtQueueApcThread(thread, (PVOID)Record, (PVOID)9, NULL, NULL);
    NtResumeThread(thread, NULL);
    NtWaitForSingleObject(thread, FALSE, NULL);
    NtQueryInformationThread(thread, ThreadBasicInformation, &info, sizeof(info), NULL);
    NtestExpect("early.at_thread_start", info.ExitStatus == 0x600D, "APCs before the start routine", Calls);
    NtClose(thread);
}

/* A thread that ends while APCs are queued to it: they are run down, never delivered. */
static NTSTATUS NTAPI Blocker(PVOID Event)
{
    return NtWaitForSingleObject((HANDLE)Event, FALSE, NULL);
}

static VOID TestRundown(VOID)
{
    HANDLE event, thread;
    LARGE_INTEGER shortly = { .QuadPart = -200000 };
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    NTSTATUS s = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Blocker, event, &thread, NULL);
    if (!NT_SUCCESS(s)) { NtestExpect("rundown", FALSE, "RtlCreateUserThread", s); return; }
    NtDelayExecution(FALSE, &shortly);                    /* let it block, not alertable */
    Calls = 0;
    for (ULONG i = 0; i < 3; i++) NtQueueApcThread(thread, (PVOID)Record, (PVOID)9, NULL, NULL);
    NtDelayExecution(FALSE, &shortly);
    BOOLEAN ranEarly = Calls != 0;
    NtTerminateThread(thread, 0x1234);
    NtWaitForSingleObject(thread, FALSE, NULL);
    NtestExpect("rundown", !ranEarly && Calls == 0, "APCs ran in a thread that was never alertable", Calls);
    NtClose(thread);
    NtClose(event);
}

/* NtWriteFile(ApcRoutine): ApcRoutine(ApcContext, IoStatusBlock, 0) once the thread is alertable,
 * and only for a request that reached the driver. */
static VOID NTAPI IoDone(PVOID Context, PIO_STATUS_BLOCK Iosb, ULONG Reserved)
{
    Record(Context, Iosb, (PVOID)(ULONG_PTR)Reserved);
}

static VOID TestIoApc(VOID)
{
    HANDLE file;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb, wiosb;
    char data[100] = { 0 };
    RtlInitUnicodeString(&name, L"\\Device\\Null");
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS s = NtCreateFile(&file, FILE_GENERIC_WRITE, &oa, &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (!NT_SUCCESS(s)) { NtestExpect("io.completion_apc", FALSE, "open \\Device\\Null", s); return; }
    Calls = 0;
    s = NtWriteFile(file, NULL, IoDone, (PVOID)0xA11, &wiosb, data, sizeof(data), NULL, NULL);
    BOOLEAN early = Calls != 0;
    NtTestAlert();
    NtestExpect("io.completion_apc", NT_SUCCESS(s) && !early && Calls == 1 && Seen[0] == 0xA11 &&
           Seen[1] == (ULONG_PTR)&wiosb && wiosb.Information == sizeof(data), "completion APC", Calls);
    Calls = 0;
    s = NtWriteFile((HANDLE)0x1234, NULL, IoDone, NULL, &wiosb, data, sizeof(data), NULL, NULL);
    NtTestAlert();
    NtestExpect("io.no_apc_on_failure", s == STATUS_INVALID_HANDLE && Calls == 0, "APC after a failed call", Calls);
    NtClose(file);
}

/* A file opened for asynchronous I/O (no FILE_SYNCHRONOUS_IO_*): every transfer names its offset,
 * completion signals the caller's event and queues its APC, and the file's own position is not
 * used. */
static VOID TestAsyncFile(VOID)
{
    HANDLE file, event;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb, wiosb, riosb;
    char out[512], in[512];
    for (ULONG i = 0; i < sizeof(out); i++) out[i] = (char)(i * 7);
    RtlInitUnicodeString(&name, L"\\??\\C:\\Tests\\async.bin");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS s = NtCreateFile(&file, FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, &oa, &iosb, NULL, 0, 0,
                              FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE, NULL, 0);
    if (!NT_SUCCESS(s)) { NtestExpect("async_file.write", FALSE, "create C:\\Tests\\async.bin", s); return; }
    NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    LARGE_INTEGER at = { .QuadPart = 1000 };
    Calls = 0;
    s = NtWriteFile(file, event, IoDone, (PVOID)0xA5, &wiosb, out, sizeof(out), &at, NULL);
    if (s == STATUS_PENDING) s = NtWaitForSingleObject(event, FALSE, NULL);
    NTSTATUS w = NtWaitForSingleObject(event, TRUE, NULL);          /* signalled: the APC waits */
    LARGE_INTEGER zero = { .QuadPart = 0 };
    NTSTATUS d = NtDelayExecution(TRUE, &zero);
    NtestExpect("async_file.write", NT_SUCCESS(s) && w == STATUS_WAIT_0 && wiosb.Information == sizeof(out),
           "write with an event", s);
    NtestExpect("async_file.apc", d == STATUS_USER_APC && Calls == 1 && Seen[0] == 0xA5,
           "completion APC of an asynchronous write", d);
    s = NtReadFile(file, event, NULL, NULL, &riosb, in, sizeof(in), &at, NULL);
    if (s == STATUS_PENDING) s = NtWaitForSingleObject(event, FALSE, NULL);
    NtestExpect("async_file.read", NT_SUCCESS(s) && riosb.Information == sizeof(in) && memcmp(in, out, sizeof(in)) == 0,
           "read back at the offset", s);
    s = NtReadFile(file, NULL, NULL, NULL, &riosb, in, sizeof(in), NULL, NULL);
    NtestExpect("async_file.needs_offset", s == STATUS_INVALID_PARAMETER, "a read without an offset", s);
    NtClose(event);
    NtClose(file);
}

static VOID TestRefusals(VOID)
{
    NTSTATUS s = NtQueueApcThread((HANDLE)0x1234, (PVOID)Record, NULL, NULL, NULL);
    NtestExpect("refuse.bad_handle", s == STATUS_INVALID_HANDLE, "bad handle", s);
    s = NtQueueApcThread(NtCurrentThread(), NULL, NULL, NULL, NULL);
    NtestExpect("refuse.no_routine", s == STATUS_INVALID_PARAMETER, "NULL routine", s);
    s = NtQueueApcThread(NtCurrentThread(), (PVOID)0x80100000, NULL, NULL, NULL);
    NtestExpect("refuse.kernel_routine", s == STATUS_INVALID_PARAMETER, "kernel address", s);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    TestTestAlert();
    TestWaits();
    TestOtherThread();
    TestEarly();
    TestRundown();
    TestIoApc();
    TestAsyncFile();
    TestRefusals();
    return NtestResult();
}
