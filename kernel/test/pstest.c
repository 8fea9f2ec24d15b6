/*
 * pstest.c - self-tests of processes and threads with real user mode: the native test program
 * (tests/native, embedded as TstUserImage) is mapped into new processes and run in ring 3. They
 * cover exit status, each kind of user fault ending only its process, the TEB and PEB, two
 * processes signalling each other through named events, access checks on handles, a bad pointer
 * in every argument of every service, termination of running and waiting threads, suspend,
 * resume and the register context, opening by client id, and 200 process lifetimes whose pool
 * and pages must return to their baseline.
 */
#include "ps.h"
#include "ob.h"
#include "ex.h"
#include "mm.h"
#include "ke.h"
#include "kd.h"
#include "rtl.h"
#include "ntstatus.h"
#include "boottest.h"
#include "utest.h"
#include "io.h"
#include "arc.h"

extern const UCHAR TstUserImage[], TstUserImageEnd[];

#define TST_STACK_SIZE (64 * 1024)

typedef struct _TST_CHILD {
    HANDLE Process, Thread;
    CLIENT_ID Cid;
} TST_CHILD;

/* Maps the test program and a stack into a process; returns the stack top. */
static NTSTATUS TstMapProgram(HANDLE Process, PULONG StackTop, PULONG StackLimit)
{
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(Process, PROCESS_VM_OPERATION, PsProcessType, KernelMode,
                                                (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status)) return status;
    KeAttachProcess(&p->Pcb);
    PVOID image = (PVOID)UT_IMAGE_BASE, stack = NULL;
    SIZE_T imageSize = (SIZE_T)(TstUserImageEnd - TstUserImage) + 0x10000, stackSize = TST_STACK_SIZE;
    status = MmAllocateVirtualMemory(&image, 0, &imageSize, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    if (NT_SUCCESS(status))
        status = MmAllocateVirtualMemory(&stack, 0, &stackSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        RtlCopyMemory(image, TstUserImage, (SIZE_T)(TstUserImageEnd - TstUserImage));
        *StackTop = (ULONG)stack + TST_STACK_SIZE - 16;
        *StackLimit = (ULONG)stack;
    }
    KeDetachProcess();
    ObDereferenceObject(p);
    return status;
}

static NTSTATUS TstSpawn(ULONG Mode, ULONG Parameter, BOOLEAN CreateSuspended, TST_CHILD *Child)
{
    CONTEXT context;
    INITIAL_TEB teb;
    ULONG top = 0, limit = 0;
    RtlZeroMemory(Child, sizeof(*Child));
    NTSTATUS status = ZwCreateProcessEx(&Child->Process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0,
                                        NULL, NULL, NULL, 0);
    if (!NT_SUCCESS(status)) return status;
    status = TstMapProgram(Child->Process, &top, &limit);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(&context, sizeof(context));
    context.ContextFlags = CONTEXT_FULL;
    context.Eip = UT_IMAGE_BASE;
    context.Esp = top;
    context.Eax = Mode;
    context.Ebx = Parameter;
    RtlZeroMemory(&teb, sizeof(teb));
    teb.StackBase = (PVOID)(top + 16);
    teb.StackLimit = (PVOID)limit;
    return ZwCreateThread(&Child->Thread, THREAD_ALL_ACCESS, NULL, Child->Process, &Child->Cid, &context, &teb,
                          CreateSuspended);
}

static NTSTATUS TstExitStatus(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION info;
    NTSTATUS status = ZwQueryInformationProcess(Process, ProcessBasicInformation, &info, sizeof(info), NULL);
    return NT_SUCCESS(status) ? info.ExitStatus : status;
}

static void TstCloseChild(TST_CHILD *Child)
{
    if (Child->Thread) ObCloseHandle(Child->Thread, KernelMode);
    if (Child->Process) ObCloseHandle(Child->Process, KernelMode);
}

/* Runs one child to its end and returns its exit status. */
static NTSTATUS TstRun(ULONG Mode, ULONG Parameter)
{
    TST_CHILD c;
    NTSTATUS status = TstSpawn(Mode, Parameter, FALSE, &c);
    if (NT_SUCCESS(status)) {
        ZwWaitForSingleObject(c.Process, FALSE, NULL);
        status = TstExitStatus(c.Process);
    }
    TstCloseChild(&c);
    return status;
}

/* For the other subsystems' user-mode tests (iotest.c): runs one mode of the test program. */
NTSTATUS TstRunUserMode(ULONG Mode, ULONG Parameter) { return TstRun(Mode, Parameter); }

static PCSTR TestExitStatus(void)
{
    CHECK(TstRun(UT_EXIT, 0x1234) == 0x1234, "exit status not reported");
    CHECK(TstRun(UT_EXIT, 0) == STATUS_SUCCESS, "zero exit status not reported");
    CHECK(TstRun(UT_TEB_PEB, 0) == UT_OK, "TEB/PEB wrong as seen from user mode");
    NTSTATUS sync = TstRun(UT_SYNC_OBJECTS, 0);
    if (sync != UT_OK) DbgPrint("  sync objects mode: %08lx\n", (unsigned long)sync);
    CHECK(sync == UT_OK, "mutant/semaphore/timer/multi-wait services wrong from user mode");
    return NULL;
}

static PCSTR TestUserFaults(void)
{
    static const struct { ULONG Mode; NTSTATUS Status; } faults[] = {
        { UT_FAULT_NULL_WRITE, STATUS_ACCESS_VIOLATION },
        { UT_FAULT_DIVIDE, STATUS_INTEGER_DIVIDE_BY_ZERO },
        { UT_FAULT_INVALID_OPCODE, STATUS_ILLEGAL_INSTRUCTION },
        { UT_FAULT_PRIVILEGED, STATUS_PRIVILEGED_INSTRUCTION },
        { UT_FAULT_KERNEL_READ, STATUS_ACCESS_VIOLATION },
        { UT_FAULT_BREAKPOINT, STATUS_BREAKPOINT },
    };
    for (ULONG i = 0; i < ARRAYSIZE(faults); i++) {
        NTSTATUS status = TstRun(faults[i].Mode, 0);
        if (status != faults[i].Status) {
            DbgPrint("  fault mode %lu ended with %08lx, expected %08lx\n", (unsigned long)faults[i].Mode,
                     (unsigned long)status, (unsigned long)faults[i].Status);
            return "a user fault ended with the wrong status";
        }
    }
    CHECK(TstRun(UT_EXIT, 7) == 7, "system unwell after the faults");
    return NULL;
}

static PCSTR TestCrossProcessEvents(void)
{
    HANDLE ping, pong;
    UNICODE_STRING n1, n2;
    OBJECT_ATTRIBUTES a1, a2;
    TST_CHILD waiter, setter;
    RtlInitUnicodeString(&n1, UT_PING_NAME);
    RtlInitUnicodeString(&n2, UT_PONG_NAME);
    InitializeObjectAttributes(&a1, &n1, 0, NULL, NULL);
    InitializeObjectAttributes(&a2, &n2, 0, NULL, NULL);
    CHECK(ZwCreateEvent(&ping, EVENT_ALL_ACCESS, &a1, SynchronizationEvent, FALSE) == STATUS_SUCCESS, "ping event");
    CHECK(ZwCreateEvent(&pong, EVENT_ALL_ACCESS, &a2, SynchronizationEvent, FALSE) == STATUS_SUCCESS, "pong event");
    CHECK(NT_SUCCESS(TstSpawn(UT_PING_WAITER, 200, FALSE, &waiter)), "waiter");
    CHECK(NT_SUCCESS(TstSpawn(UT_PING_SETTER, 200, FALSE, &setter)), "setter");
    HANDLE both[2] = { waiter.Process, setter.Process };
    CHECK(ZwWaitForMultipleObjects(2, both, WaitAll, FALSE, NULL) == STATUS_WAIT_0, "wait for both");
    NTSTATUS w = TstExitStatus(waiter.Process), s = TstExitStatus(setter.Process);
    TstCloseChild(&waiter);
    TstCloseChild(&setter);
    CHECK(w == UT_OK, "waiter failed");
    CHECK((s & 0xF0000000u) != 0xE0000000u, "setter failed");
    DbgPrint("  cross-process event round trip: %lu tsc\n", (unsigned long)s);
    CHECK(TstRun(UT_ACCESS, 0) == UT_OK, "access checks from user mode wrong");
    ObCloseHandle(ping, KernelMode);
    ObCloseHandle(pong, KernelMode);
    return NULL;
}

static PCSTR TestFuzzEveryService(void)
{
    NTSTATUS status = TstRun(UT_FUZZ, 0);
    if (status != UT_OK)
        DbgPrint("  fuzz result %08lx (service index, argument, value: see utest.h UT_FUZZ_FAIL)\n",
                 (unsigned long)status);
    CHECK(status == UT_OK, "a service accepted a bad pointer");
    return NULL;
}

static PCSTR TestTerminate(void)
{
    TST_CHILD c;
    LARGE_INTEGER delay = { .QuadPart = -300000 };
    for (ULONG mode = UT_SPIN; mode <= UT_WAIT_FOREVER; mode++) {
        CHECK(NT_SUCCESS(TstSpawn(mode, 0, FALSE, &c)), "spawn");
        ZwDelayExecution(FALSE, &delay);
        CHECK(TstExitStatus(c.Process) == STATUS_PENDING, "running process not STATUS_PENDING");
        CHECK(ZwTerminateProcess(c.Process, 0xDEAD) == STATUS_SUCCESS, "terminate");
        CHECK(ZwWaitForSingleObject(c.Process, FALSE, NULL) == STATUS_WAIT_0, "wait after terminate");
        CHECK(ZwWaitForSingleObject(c.Thread, FALSE, NULL) == STATUS_WAIT_0, "thread not signalled");
        CHECK(TstExitStatus(c.Process) == 0xDEAD, "terminate status lost");
        THREAD_BASIC_INFORMATION tbi;
        CHECK(ZwQueryInformationThread(c.Thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL) == STATUS_SUCCESS &&
              tbi.ExitStatus == 0xDEAD, "thread exit status");
        CHECK(ZwTerminateProcess(c.Process, 1) == STATUS_SUCCESS || TRUE, "terminating a dead process");
        TstCloseChild(&c);
    }
    CHECK(ZwTerminateProcess((HANDLE)0x1230, 0) == STATUS_INVALID_HANDLE, "bad handle");
    CHECK(ZwTerminateProcess(NtCurrentProcess(), 0) == STATUS_ACCESS_DENIED, "system process terminated");
    return NULL;
}

static PCSTR TestSuspendContext(void)
{
    TST_CHILD c;
    CONTEXT ctx;
    ULONG prev = 99;
    CHECK(NT_SUCCESS(TstSpawn(UT_SPIN, 0, TRUE, &c)), "spawn suspended");
    RtlZeroMemory(&ctx, sizeof(ctx));
    ctx.ContextFlags = CONTEXT_FULL;
    CHECK(ZwGetContextThread(c.Thread, &ctx) == STATUS_SUCCESS, "get context");
    CHECK(ctx.Eip == UT_IMAGE_BASE && ctx.Eax == UT_SPIN && (ctx.SegCs & 3) == 3 && (ctx.EFlags & 0x200),
          "initial context wrong");
    ctx.Eax = UT_EXIT;                       /* turn the spinner into an exit with status 0x77 */
    ctx.Ebx = 0x77;
    ctx.EFlags |= 0x3000;                    /* IOPL 3: must be refused */
    CHECK(ZwSetContextThread(c.Thread, &ctx) == STATUS_SUCCESS, "set context");
    CHECK(ZwGetContextThread(c.Thread, &ctx) == STATUS_SUCCESS && !(ctx.EFlags & 0x3000), "IOPL not stripped");
    CHECK(ZwSuspendThread(c.Thread, &prev) == STATUS_SUCCESS && prev == 1, "suspend count");
    CHECK(ZwResumeThread(c.Thread, &prev) == STATUS_SUCCESS && prev == 2, "resume 1");
    CHECK(TstExitStatus(c.Process) == STATUS_PENDING, "suspended child ran");
    CHECK(ZwResumeThread(c.Thread, &prev) == STATUS_SUCCESS && prev == 1, "resume 2");
    CHECK(ZwWaitForSingleObject(c.Process, FALSE, NULL) == STATUS_WAIT_0, "wait");
    CHECK(TstExitStatus(c.Process) == 0x77, "context change did not take");
    TstCloseChild(&c);
    return NULL;
}

static PCSTR TestOpenByClientId(void)
{
    TST_CHILD c;
    HANDLE h;
    CLIENT_ID cid;
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    CHECK(NT_SUCCESS(TstSpawn(UT_SPIN, 0, FALSE, &c)), "spawn");
    cid.UniqueProcess = c.Cid.UniqueProcess;
    cid.UniqueThread = NULL;
    CHECK(ZwOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, &cid) == STATUS_SUCCESS, "open process by id");
    PROCESS_BASIC_INFORMATION pbi;
    CHECK(ZwQueryInformationProcess(h, ProcessBasicInformation, &pbi, sizeof(pbi), NULL) == STATUS_SUCCESS &&
          pbi.UniqueProcessId == (ULONG_PTR)c.Cid.UniqueProcess &&
          pbi.InheritedFromUniqueProcessId == PsInitialSystemProcess->UniqueProcessId, "wrong process opened");
    CHECK(ZwQueryInformationProcess(h, ProcessBasicInformation, &pbi, sizeof(pbi) - 1, NULL) == STATUS_INFO_LENGTH_MISMATCH,
          "length check");
    CHECK(ZwQueryInformationProcess(h, (PROCESSINFOCLASS)77, &pbi, sizeof(pbi), NULL) == STATUS_INVALID_INFO_CLASS,
          "class check");
    ObCloseHandle(h, KernelMode);
    CHECK(ZwOpenThread(&h, THREAD_QUERY_INFORMATION, &oa, &c.Cid) == STATUS_SUCCESS, "open thread by id");
    ObCloseHandle(h, KernelMode);
    cid.UniqueProcess = (HANDLE)0x7FFC;
    CHECK(ZwOpenProcess(&h, PROCESS_ALL_ACCESS, &oa, &cid) == STATUS_INVALID_CID, "bad process id");
    cid = c.Cid;
    cid.UniqueProcess = (HANDLE)4;
    CHECK(ZwOpenThread(&h, THREAD_ALL_ACCESS, &oa, &cid) == STATUS_INVALID_CID, "thread/process mismatch");
    ZwTerminateProcess(c.Process, 0);
    ZwWaitForSingleObject(c.Process, FALSE, NULL);
    TstCloseChild(&c);
    return NULL;
}

static PCSTR TestProcessBaseline(void)
{
    LARGE_INTEGER settle = { .QuadPart = -200000 };
    POOL_USAGE np0, pp0, np1, pp1;
    TstRun(UT_EXIT, 0);                       /* first-use allocations (tables growing) happen now */
    ZwDelayExecution(FALSE, &settle);
    ULONG pages0 = MmAvailablePages, processes0 = PsActiveProcessCount();
    ExQueryPoolUsage(NonPagedPool, &np0);
    ExQueryPoolUsage(PagedPool, &pp0);
    for (ULONG i = 0; i < 200; i++)
        CHECK(TstRun(UT_EXIT, i) == (NTSTATUS)i, "a process failed");
    ZwDelayExecution(FALSE, &settle);         /* the reaper frees the last thread's stack */
    ExQueryPoolUsage(NonPagedPool, &np1);
    ExQueryPoolUsage(PagedPool, &pp1);
    if (np1.BytesInUse != np0.BytesInUse || pp1.BytesInUse != pp0.BytesInUse || MmAvailablePages != pages0) {
        DbgPrint("  nonpaged %lu -> %lu, paged %lu -> %lu, pages %lu -> %lu\n", (unsigned long)np0.BytesInUse,
                 (unsigned long)np1.BytesInUse, (unsigned long)pp0.BytesInUse, (unsigned long)pp1.BytesInUse,
                 (unsigned long)pages0, (unsigned long)MmAvailablePages);
        ExDumpPoolTags();
        return "pool or pages not back to baseline after 200 processes";
    }
    CHECK(PsActiveProcessCount() == processes0, "processes left behind");
    return NULL;
}

static PCSTR TestMemoryServices(void)
{
    NTSTATUS vm = TstRun(UT_VIRTUAL_MEMORY, 0);
    if (vm != UT_OK) DbgPrint("  virtual memory mode: %08lx\n", (unsigned long)vm);
    CHECK(vm == UT_OK, "virtual memory services wrong from user mode");
    /* Shared memory between two processes through a named section. */
    HANDLE section;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    LARGE_INTEGER size = { .QuadPart = 0x2000 };
    RtlInitUnicodeString(&name, UT_SECTION_NAME);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    CHECK(ZwCreateSection(&section, SECTION_ALL_ACCESS, &oa, &size, PAGE_READWRITE, SEC_COMMIT, NULL) ==
          STATUS_SUCCESS, "create section");
    CHECK(TstRun(UT_SECTION_WRITER, 0) == UT_OK, "section writer");
    NTSTATUS reader = TstRun(UT_SECTION_READER, 0);
    ObCloseHandle(section, KernelMode);
    if (reader != UT_OK) DbgPrint("  section reader: %08lx\n", (unsigned long)reader);
    CHECK(reader == UT_OK, "data not shared between processes, or write-copy not private");
    /* Another process's memory, read and written by handle. */
    TST_CHILD c;
    UCHAR buffer[64];
    SIZE_T done = 0;
    CHECK(NT_SUCCESS(TstSpawn(UT_SPIN, 0, TRUE, &c)), "spawn");
    CHECK(ZwReadVirtualMemory(c.Process, (PVOID)UT_IMAGE_BASE, buffer, sizeof(buffer), &done) == STATUS_SUCCESS &&
          done == sizeof(buffer) && RtlCompareMemory(buffer, TstUserImage, sizeof(buffer)) == sizeof(buffer),
          "read another process's memory");
    RtlFillMemory(buffer, sizeof(buffer), 0x5A);
    CHECK(ZwWriteVirtualMemory(c.Process, (PVOID)(UT_IMAGE_BASE + 0x8000), buffer, 16, &done) == STATUS_SUCCESS &&
          done == 16, "write another process's memory");
    RtlZeroMemory(buffer, sizeof(buffer));
    CHECK(ZwReadVirtualMemory(c.Process, (PVOID)(UT_IMAGE_BASE + 0x8000), buffer, 16, &done) == STATUS_SUCCESS &&
          buffer[0] == 0x5A && buffer[15] == 0x5A, "written bytes not read back");
    NTSTATUS unmapped = ZwReadVirtualMemory(c.Process, (PVOID)(UT_IMAGE_BASE - PAGE_SIZE), buffer, 16, &done);
    if (unmapped != STATUS_PARTIAL_COPY || done != 0)
        DbgPrint("  read of unmapped memory: %08lx, %lu bytes\n", (unsigned long)unmapped, (unsigned long)done);
    CHECK(unmapped == STATUS_PARTIAL_COPY && done == 0, "read of unmapped memory");
    MEMORY_BASIC_INFORMATION mbi;
    CHECK(ZwQueryVirtualMemory(c.Process, (PVOID)UT_IMAGE_BASE, MemoryBasicInformation, &mbi, sizeof(mbi), NULL) ==
          STATUS_SUCCESS && mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE, "query another process");
    ZwTerminateProcess(c.Process, 0);
    ZwWaitForSingleObject(c.Process, FALSE, NULL);
    TstCloseChild(&c);
    return NULL;
}

/* A handle given to another process with NtDuplicateObject, and taken back with
 * DUPLICATE_CLOSE_SOURCE. */
static PCSTR TestDuplicateAcrossProcesses(void)
{
    HANDLE event, inChild = NULL, back = NULL, again;
    TST_CHILD c;
    CHECK(ZwCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE) == STATUS_SUCCESS, "event");
    CHECK(NT_SUCCESS(TstSpawn(UT_SET_EVENT_HANDLE, 0, TRUE, &c)), "spawn");
    CHECK(ZwDuplicateObject(NtCurrentProcess(), event, c.Process, &inChild, 0, 0, DUPLICATE_SAME_ACCESS) ==
          STATUS_SUCCESS && inChild != NULL, "duplicate into the child");
    CHECK(ZwDuplicateObject(c.Process, inChild, NtCurrentProcess(), &back, 0, 0,
                            DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE) == STATUS_SUCCESS, "take it back");
    CHECK(ZwDuplicateObject(c.Process, inChild, NtCurrentProcess(), &again, 0, 0, DUPLICATE_SAME_ACCESS) ==
          STATUS_INVALID_HANDLE, "source not closed");
    ObCloseHandle(back, KernelMode);
    CHECK(ZwDuplicateObject(NtCurrentProcess(), event, c.Process, &inChild, EVENT_MODIFY_STATE, 0, 0) ==
          STATUS_SUCCESS, "duplicate with chosen access");
    CONTEXT ctx;
    RtlZeroMemory(&ctx, sizeof(ctx));
    ctx.ContextFlags = CONTEXT_FULL;
    CHECK(ZwGetContextThread(c.Thread, &ctx) == STATUS_SUCCESS, "get context");
    ctx.Ebx = (ULONG)(ULONG_PTR)inChild;     /* tell the child its handle's value */
    CHECK(ZwSetContextThread(c.Thread, &ctx) == STATUS_SUCCESS, "set context");
    CHECK(ZwResumeThread(c.Thread, NULL) == STATUS_SUCCESS, "resume");
    CHECK(ZwWaitForSingleObject(event, FALSE, NULL) == STATUS_WAIT_0, "the child's set did not reach us");
    ZwWaitForSingleObject(c.Process, FALSE, NULL);
    CHECK(TstExitStatus(c.Process) == STATUS_SUCCESS, "child's NtSetEvent failed");
    CHECK(ZwDuplicateObject(c.Process, inChild, NtCurrentProcess(), &again, 0, 0, DUPLICATE_SAME_ACCESS) ==
          STATUS_PROCESS_IS_TERMINATING, "an exited process still has handles");
    TstCloseChild(&c);
    ObCloseHandle(event, KernelMode);
    return NULL;
}

/* Two processes append to one file on C: at once; every record arrives whole, each process's in
 * order. Needs a FAT C: (boots with "fs=required"). */
static PCSTR TestTwoProcessesAppend(void)
{
    static UCHAR data[2 * UT_APPEND_RECORDS * 16 + 16];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    char value[8];
    RtlInitUnicodeString(&name, UT_APPEND_FILE);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS s = ZwCreateFile(&h, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                              FILE_SUPERSEDE, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (!NT_SUCCESS(s)) {
        if (KeGetBootOption("fs", value, sizeof(value))) return "no FAT volume on C:";
        DbgPrint("  no FAT volume on C: in this boot: nothing to test\n");
        return NULL;
    }
    TST_CHILD a, b;
    CHECK(NT_SUCCESS(TstSpawn(UT_FILE_APPEND, 1, FALSE, &a)) && NT_SUCCESS(TstSpawn(UT_FILE_APPEND, 2, FALSE, &b)),
          "spawn the appenders");
    HANDLE both[2] = { a.Process, b.Process };
    ZwWaitForMultipleObjects(2, both, WaitAll, FALSE, NULL);
    NTSTATUS sa = TstExitStatus(a.Process), sb = TstExitStatus(b.Process);
    TstCloseChild(&a);
    TstCloseChild(&b);
    if (sa != UT_OK || sb != UT_OK) DbgPrint("  appenders: %08lx %08lx\n", (unsigned long)sa, (unsigned long)sb);
    CHECK(sa == UT_OK && sb == UT_OK, "an appender failed");
    LARGE_INTEGER zero = { .QuadPart = 0 };
    s = ZwReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), &zero, NULL);
    CHECK(s == STATUS_SUCCESS && iosb.Information == 2 * UT_APPEND_RECORDS * 16, "the file has the wrong length");
    ULONG next[3] = { 0, 0, 0 };
    for (ULONG r = 0; r < 2 * UT_APPEND_RECORDS; r++) {
        PUCHAR rec = data + r * 16;
        ULONG tag = rec[1] - '0', n = (rec[4] - '0') * 1000 + (rec[5] - '0') * 100 + (rec[6] - '0') * 10 + (rec[7] - '0');
        CHECK(rec[0] == 'P' && (tag == 1 || tag == 2) && rec[15] == '\n', "a record was torn or overwritten");
        CHECK(n == next[tag], "a process's records out of order or lost");
        next[tag]++;
    }
    ObCloseHandle(h, KernelMode);
    CHECK(ZwDeleteFile(&oa) == STATUS_SUCCESS, "delete the shared file");
    return NULL;
}

static VOID TstSystemThread(PVOID Context) { *(volatile ULONG *)Context = 0x5157; }

static PCSTR TestSystemThread(void)
{
    HANDLE h;
    CLIENT_ID cid;
    volatile ULONG flag = 0;
    CHECK(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, &cid, TstSystemThread, (PVOID)&flag) ==
          STATUS_SUCCESS, "create");
    CHECK(ZwWaitForSingleObject(h, FALSE, NULL) == STATUS_WAIT_0 && flag == 0x5157, "system thread did not run");
    THREAD_BASIC_INFORMATION tbi;
    CHECK(ZwQueryInformationThread(h, ThreadBasicInformation, &tbi, sizeof(tbi), NULL) == STATUS_SUCCESS &&
          tbi.ExitStatus == STATUS_SUCCESS && tbi.ClientId.UniqueThread == cid.UniqueThread &&
          tbi.ClientId.UniqueProcess == (HANDLE)(ULONG_PTR)PsInitialSystemProcess->UniqueProcessId, "query");
    CHECK(ZwGetContextThread(h, &(CONTEXT){ .ContextFlags = CONTEXT_FULL }) == STATUS_INVALID_PARAMETER,
          "system thread has a user context");
    ObCloseHandle(h, KernelMode);
    return NULL;
}

SELFTEST("ps.system_thread", TestSystemThread);
SELFTEST("ps.user.exit_status", TestExitStatus);
SELFTEST("ps.user.faults", TestUserFaults);
SELFTEST("ps.user.cross_process_events", TestCrossProcessEvents);
SELFTEST("ps.user.fuzz_every_service", TestFuzzEveryService);
SELFTEST("ps.user.terminate", TestTerminate);
SELFTEST("ps.user.suspend_context", TestSuspendContext);
SELFTEST("ps.user.open_by_client_id", TestOpenByClientId);
SELFTEST("ps.user.baseline_200_processes", TestProcessBaseline);
SELFTEST("ps.user.memory_services", TestMemoryServices);
SELFTEST("ps.user.duplicate_across_processes", TestDuplicateAcrossProcesses);
SELFTEST("fs.two_processes_append", TestTwoProcessesAppend);

/* Benchmarks, from "bench" (bench.c). */
VOID TstRunPsBenchmarks(VOID)
{
    ULONGLONG t0 = __builtin_ia32_rdtsc();
    for (ULONG i = 0; i < 20; i++) TstRun(UT_EXIT, 0);
    ULONGLONG t1 = __builtin_ia32_rdtsc();
    DbgPrint("BENCH ps.native_process_spawn_exit_wait %lu tsc/process\n", (unsigned long)((t1 - t0) / 20));
    DbgPrint("BENCH svc.null.user %lu tsc/call\n", (unsigned long)TstRun(UT_NULL_SERVICE, 0));

    /* Event ping-pong between two processes: the setter reports TSC per round trip. */
    HANDLE ping, pong;
    UNICODE_STRING n1, n2;
    OBJECT_ATTRIBUTES a1, a2;
    TST_CHILD waiter, setter;
    RtlInitUnicodeString(&n1, UT_PING_NAME);
    RtlInitUnicodeString(&n2, UT_PONG_NAME);
    InitializeObjectAttributes(&a1, &n1, 0, NULL, NULL);
    InitializeObjectAttributes(&a2, &n2, 0, NULL, NULL);
    if (!NT_SUCCESS(ZwCreateEvent(&ping, EVENT_ALL_ACCESS, &a1, SynchronizationEvent, FALSE)) ||
        !NT_SUCCESS(ZwCreateEvent(&pong, EVENT_ALL_ACCESS, &a2, SynchronizationEvent, FALSE)))
        return;
    if (NT_SUCCESS(TstSpawn(UT_PING_WAITER, 1000, FALSE, &waiter)) &&
        NT_SUCCESS(TstSpawn(UT_PING_SETTER, 1000, FALSE, &setter))) {
        HANDLE both[2] = { waiter.Process, setter.Process };
        ZwWaitForMultipleObjects(2, both, WaitAll, FALSE, NULL);
        DbgPrint("BENCH ke.event_pingpong.processes %lu tsc/round-trip\n", (unsigned long)TstExitStatus(setter.Process));
        TstCloseChild(&waiter);
        TstCloseChild(&setter);
    }
    ObCloseHandle(ping, KernelMode);
    ObCloseHandle(pong, KernelMode);
}
