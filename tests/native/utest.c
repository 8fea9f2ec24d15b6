/*
 * utest.c - the native user-mode test program (see README.md). Each mode exercises one thing
 * from ring 3 and returns a status the kernel-side test checks: UT_OK for success, or a code that
 * says what went wrong. The fault modes do not return at all: the kernel ends the process with
 * the exception's NTSTATUS.
 */
#include "ntdef.h"
#include "ntstatus.h"
#include "ex.h"
#include "ps.h"
#include "pebteb.h"
#include "mm.h"
#include "io.h"
#include "utest.h"

ULONG UtRawSystemCall(ULONG Number, const ULONG *Arguments);
NTSTATUS NTAPI NtTestAlert(VOID);
NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);

static inline ULONGLONG UtRdtsc(void)
{
    ULONG lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((ULONGLONG)hi << 32) | lo;
}

static POBJECT_ATTRIBUTES UtName(PCWSTR Name, POBJECT_ATTRIBUTES Oa, PUNICODE_STRING Us)
{
    USHORT n = 0;
    while (Name[n]) n++;
    Us->Length = (USHORT)(n * 2);
    Us->MaximumLength = (USHORT)(n * 2 + 2);
    Us->Buffer = (PWSTR)Name;
    InitializeObjectAttributes(Oa, Us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return Oa;
}

/* Both sides of the cross-process ping-pong open the kernel test's two named events. */
static NTSTATUS UtOpenPingPong(HANDLE *Ping, HANDLE *Pong)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    NTSTATUS s = NtOpenEvent(Ping, EVENT_ALL_ACCESS, UtName(UT_PING_NAME, &oa, &us));
    if (NT_SUCCESS(s)) s = NtOpenEvent(Pong, EVENT_ALL_ACCESS, UtName(UT_PONG_NAME, &oa, &us));
    return s;
}

static ULONG UtPingPong(ULONG Rounds, BOOLEAN Setter)
{
    HANDLE ping, pong;
    if (!NT_SUCCESS(UtOpenPingPong(&ping, &pong))) return UT_FAIL(1);
    ULONGLONG t0 = UtRdtsc();
    for (ULONG i = 0; i < Rounds; i++) {
        if (Setter) {
            if (!NT_SUCCESS(NtSetEvent(ping, NULL))) return UT_FAIL(2);
            if (NtWaitForSingleObject(pong, FALSE, NULL) != STATUS_WAIT_0) return UT_FAIL(3);
        } else {
            if (NtWaitForSingleObject(ping, FALSE, NULL) != STATUS_WAIT_0) return UT_FAIL(4);
            if (!NT_SUCCESS(NtSetEvent(pong, NULL))) return UT_FAIL(5);
        }
    }
    ULONGLONG t1 = UtRdtsc();
    NtClose(ping);
    NtClose(pong);
    return Setter && Rounds >= 100 ? (ULONG)((t1 - t0) / Rounds) : UT_OK;   /* cycles per round trip */
}

/* fs:[0x18] is the TEB, fs:[0x30] the PEB, and both say who and what we are. */
static ULONG UtCheckTebPeb(void)
{
    PTEB teb;
    PPEB peb;
    __asm__ volatile("movl %%fs:0x18, %0" : "=r"(teb));
    __asm__ volatile("movl %%fs:0x30, %0" : "=r"(peb));
    if (teb == NULL || (PVOID)teb->NtTib.Self != (PVOID)teb) return UT_FAIL(1);
    if (teb->ProcessEnvironmentBlock != peb || peb == NULL) return UT_FAIL(2);
    if (peb->OSMajorVersion != 5 || peb->OSMinorVersion != 1 || peb->OSPlatformId != 2) return UT_FAIL(3);
    if (teb->NtTib.ExceptionList != (PVOID)-1) return UT_FAIL(4);
    THREAD_BASIC_INFORMATION tbi;
    if (!NT_SUCCESS(NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation, &tbi, sizeof(tbi), NULL)))
        return UT_FAIL(5);
    if (tbi.TebBaseAddress != teb || tbi.ClientId.UniqueThread != teb->ClientId.UniqueThread ||
        tbi.ClientId.UniqueProcess != teb->ClientId.UniqueProcess || tbi.ExitStatus != STATUS_PENDING)
        return UT_FAIL(6);
    PROCESS_BASIC_INFORMATION pbi;
    if (!NT_SUCCESS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, sizeof(pbi), NULL)))
        return UT_FAIL(7);
    if (pbi.PebBaseAddress != peb || pbi.UniqueProcessId != (ULONG_PTR)teb->ClientId.UniqueProcess ||
        pbi.ExitStatus != STATUS_PENDING)
        return UT_FAIL(8);
    ULONG tick = *(volatile ULONG *)(0x7FFE0000 + 0x320);     /* KUSER_SHARED_DATA.TickCount */
    (void)tick;
    return UT_OK;
}

/* With only SYNCHRONIZE granted, modifying the event is refused; waiting is allowed. */
static ULONG UtAccessChecks(void)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    HANDLE h;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    if (!NT_SUCCESS(NtOpenEvent(&h, SYNCHRONIZE, UtName(UT_PING_NAME, &oa, &us)))) return UT_FAIL(1);
    if (NtSetEvent(h, NULL) != STATUS_ACCESS_DENIED) return UT_FAIL(2);
    NTSTATUS w = NtWaitForSingleObject(h, FALSE, &zero);
    if (w != STATUS_TIMEOUT && w != STATUS_WAIT_0) return UT_FAIL(3);
    EVENT_BASIC_INFORMATION info;
    if (NtQueryEvent(h, EventBasicInformation, &info, sizeof(info), NULL) != STATUS_ACCESS_DENIED) return UT_FAIL(4);
    if (NtClose(h) != STATUS_SUCCESS) return UT_FAIL(5);
    if (NtClose(h) != STATUS_INVALID_HANDLE) return UT_FAIL(6);
    if (NtSetEvent((HANDLE)0x80000004, NULL) != STATUS_INVALID_HANDLE) return UT_FAIL(7);   /* a kernel handle */
    return UT_OK;
}

/* Every service, every argument slot, each bad pointer in turn (the other slots zero): the
 * system must answer each call with an error and keep running. */
static const struct { const char *Name; ULONG Number, Arguments; } UtServices[] = {
#define SVC(name, number, count) { #name, number, count },
#include "svclist.h"
#undef SVC
};

static BOOLEAN UtSkipInFuzz(const char *Name)
{
    /* Zeroed arguments are meaningful here: NtTerminateProcess(NULL) and NtTerminateThread(NULL)
     * end the caller, NtShutdownSystem(1) restarts the machine, and the argument-less services
     * have nothing to corrupt. */
    static const char *skip[] = { "NtTerminateProcess", "NtTerminateThread", "NtShutdownSystem",
                                  "NtTestAlert", "NtYieldExecution" };
    for (ULONG i = 0; i < ARRAYSIZE(skip); i++) {
        const char *a = Name, *b = skip[i];
        while (*a && *a == *b) { a++; b++; }
        if (*a == *b) return TRUE;
    }
    return FALSE;
}

static ULONG UtFuzz(void)
{
    static const ULONG bad[] = { 0x00000004, 0x0000FFF0, 0x7FFEFFFD, 0x7FFF0000, 0x80100000, 0xFFFFFFF8 };
    ULONG args[64];
    for (ULONG s = 0; s < ARRAYSIZE(UtServices); s++) {
        if (UtSkipInFuzz(UtServices[s].Name)) continue;
        for (ULONG a = 0; a < UtServices[s].Arguments; a++) {
            for (ULONG b = 0; b < ARRAYSIZE(bad); b++) {
                for (ULONG i = 0; i < 64; i++) args[i] = 0;
                args[a] = bad[b];
                ULONG status = UtRawSystemCall(UtServices[s].Number, args);
                if (NT_SUCCESS(status)) return UT_FUZZ_FAIL(s, a, b);
            }
        }
    }
    return UT_OK;
}

static ULONG UtNullServiceCycles(void)
{
    const ULONG rounds = 1000;
    ULONGLONG t0 = UtRdtsc();
    for (ULONG i = 0; i < rounds; i++) NtTestAlert();
    return (ULONG)((UtRdtsc() - t0) / rounds);
}

static ULONG UtWaitForever(void)
{
    HANDLE h;
    if (!NT_SUCCESS(NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE))) return UT_FAIL(1);
    NtWaitForSingleObject(h, FALSE, NULL);     /* ended from outside: never returns to here */
    return UT_FAIL(2);
}

#define UT_SHARED_TICK (*(volatile ULONG *)(0x7FFE0000 + 0x320))   /* KUSER_SHARED_DATA.TickCount */

/* Private memory through the services, as VirtualAlloc/VirtualQuery/VirtualProtect/VirtualFree
 * use them; and time as user mode sees it. */
static ULONG UtVirtualMemory(void)
{
    PVOID base = NULL;
    SIZE_T size = 0x3000;
    ULONG old = 0;
    MEMORY_BASIC_INFORMATION mbi;
    if (NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) != 0)
        return UT_FAIL(1);
    if (((ULONG_PTR)base & 0xFFFF) || size != 0x3000) return UT_FAIL(2);
    for (ULONG i = 0; i < size / 4; i++) ((PULONG)base)[i] = i;
    if (NtQueryVirtualMemory(NtCurrentProcess(), (PCHAR)base + 0x1000, MemoryBasicInformation, &mbi, sizeof(mbi), NULL))
        return UT_FAIL(3);
    if (mbi.AllocationBase != base || mbi.BaseAddress != (PCHAR)base + 0x1000 || mbi.RegionSize != 0x2000 ||
        mbi.State != MEM_COMMIT || mbi.Protect != PAGE_READWRITE || mbi.Type != MEM_PRIVATE ||
        mbi.AllocationProtect != PAGE_READWRITE)
        return UT_FAIL(4);
    PVOID p = base;
    SIZE_T one = 0x1000;
    if (NtProtectVirtualMemory(NtCurrentProcess(), &p, &one, PAGE_READONLY, &old) || old != PAGE_READWRITE)
        return UT_FAIL(5);
    if (((PULONG)base)[5] != 5) return UT_FAIL(6);
    if (NtProtectVirtualMemory(NtCurrentProcess(), &p, &one, 0x1234, &old) != STATUS_INVALID_PAGE_PROTECTION)
        return UT_FAIL(7);
    size = 0;
    if (NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE) || size != 0x3000) return UT_FAIL(8);
    if (NtQueryVirtualMemory(NtCurrentProcess(), base, MemoryBasicInformation, &mbi, sizeof(mbi), NULL) ||
        mbi.State != MEM_FREE)
        return UT_FAIL(9);
    if (NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)0x80100000, MemoryBasicInformation, &mbi, sizeof(mbi), NULL)
        != STATUS_INVALID_PARAMETER)
        return UT_FAIL(10);
    /* The clock reaches user mode through KUSER_SHARED_DATA, and absolute due times work. */
    LARGE_INTEGER now, due;
    ULONG tick = UT_SHARED_TICK;
    if (NtQuerySystemTime(&now)) return UT_FAIL(11);
    due.QuadPart = now.QuadPart + 300000;                     /* 30 ms from now, absolute */
    if (NtDelayExecution(FALSE, &due)) return UT_FAIL(12);
    if (UT_SHARED_TICK - tick < 3) return UT_FAIL(13);
    return UT_OK;
}

static NTSTATUS UtMapShared(HANDLE *Section, PVOID *View, ULONG Protect)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    SIZE_T size = 0;
    *View = NULL;
    NTSTATUS s = *Section ? STATUS_SUCCESS : NtOpenSection(Section, SECTION_ALL_ACCESS, UtName(UT_SECTION_NAME, &oa, &us));
    if (NT_SUCCESS(s)) s = NtMapViewOfSection(*Section, NtCurrentProcess(), View, 0, 0, NULL, &size, ViewShare, 0, Protect);
    return s;
}

/* The writer leaves a value in the shared section; the reader, another process, finds it there,
 * and a write-copy view of its own keeps its changes private. */
static ULONG UtSection(BOOLEAN Writer)
{
    HANDLE section = NULL;
    PULONG shared, copy;
    if (!NT_SUCCESS(UtMapShared(&section, (PVOID *)&shared, PAGE_READWRITE))) return UT_FAIL(1);
    if (Writer) {
        shared[0] = UT_SHARED_VALUE;
        return UT_OK;
    }
    if (shared[0] != UT_SHARED_VALUE) return UT_FAIL(2);
    if (!NT_SUCCESS(UtMapShared(&section, (PVOID *)&copy, PAGE_WRITECOPY))) return UT_FAIL(3);
    if (copy[0] != UT_SHARED_VALUE) return UT_FAIL(4);
    copy[0] = 1;                                              /* private copy from here on */
    if (shared[0] != UT_SHARED_VALUE || copy[0] != 1) return UT_FAIL(5);
    if (NtUnmapViewOfSection(NtCurrentProcess(), copy) || NtUnmapViewOfSection(NtCurrentProcess(), shared))
        return UT_FAIL(6);
    if (NtUnmapViewOfSection(NtCurrentProcess(), shared) == STATUS_SUCCESS) return UT_FAIL(7);
    NtClose(section);
    return UT_OK;
}

/* Mutants, semaphores, timers and multi-object waits as Win32 code uses them. */
static ULONG UtSyncObjects(void)
{
    HANDLE m, s, t, e[2];
    LONG prev = 0;
    LARGE_INTEGER zero = { .QuadPart = 0 }, due = { .QuadPart = -200000 };
    MUTANT_BASIC_INFORMATION mi;
    if (NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, TRUE)) return UT_FAIL(1);
    if (NtWaitForSingleObject(m, FALSE, &zero) != STATUS_WAIT_0) return UT_FAIL(2);      /* recursion */
    if (NtQueryMutant(m, MutantBasicInformation, &mi, sizeof(mi), NULL) || mi.CurrentCount != -1 || !mi.OwnedByCaller)
        return UT_FAIL(3);
    if (NtReleaseMutant(m, &prev) || prev != -1 || NtReleaseMutant(m, &prev) || prev != 0) return UT_FAIL(4);
    if (NtReleaseMutant(m, NULL) != STATUS_MUTANT_NOT_OWNED) return UT_FAIL(5);
    if (NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 1, 2)) return UT_FAIL(6);
    if (NtWaitForSingleObject(s, FALSE, &zero) != STATUS_WAIT_0 || NtWaitForSingleObject(s, FALSE, &zero) != STATUS_TIMEOUT)
        return UT_FAIL(7);
    if (NtReleaseSemaphore(s, 3, NULL) != STATUS_SEMAPHORE_LIMIT_EXCEEDED || NtReleaseSemaphore(s, 2, &prev) || prev != 0)
        return UT_FAIL(8);
    if (NtCreateTimer(&t, TIMER_ALL_ACCESS, NULL, NotificationTimer) || NtSetTimer(t, &due, NULL, NULL, FALSE, 0, NULL))
        return UT_FAIL(9);
    if (NtWaitForSingleObject(t, FALSE, NULL) != STATUS_WAIT_0) return UT_FAIL(10);
    if (NtCreateEvent(&e[0], EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE) ||
        NtCreateEvent(&e[1], EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE))
        return UT_FAIL(11);
    if (NtWaitForMultipleObjects(2, e, WaitAll, FALSE, &zero) != STATUS_TIMEOUT) return UT_FAIL(12);
    if (NtWaitForMultipleObjects(2, e, WaitAny, FALSE, &zero) != STATUS_WAIT_0) return UT_FAIL(13);
    NtSetEvent(e[1], NULL);
    if (NtWaitForMultipleObjects(2, e, WaitAll, FALSE, NULL) != STATUS_WAIT_0) return UT_FAIL(14);
    if (NtWaitForSingleObject(e[1], FALSE, &zero) != STATUS_TIMEOUT) return UT_FAIL(15);   /* auto-reset */
    if (NtYieldExecution() != STATUS_NO_YIELD_PERFORMED && NtYieldExecution() != STATUS_SUCCESS) return UT_FAIL(16);
    HANDLE all[] = { m, s, t, e[0], e[1] };
    for (ULONG i = 0; i < ARRAYSIZE(all); i++)
        if (NtClose(all[i])) return UT_FAIL(17);
    return UT_OK;
}

/* ---- Files (the I/O manager) ----------------------------------------------------------- */

static NTSTATUS UtOpen(PCWSTR Name, ACCESS_MASK Access, ULONG Options, HANDLE *File, PIO_STATUS_BLOCK Iosb)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    return NtCreateFile(File, Access, UtName(Name, &oa, &us), Iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                        FILE_OPEN, Options, NULL, 0);
}

/* Appends records to one file while another process does the same: every write must land
 * whole at the end of the file (the file system serialises them). */
static ULONG UtFileAppend(ULONG Tag)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    LARGE_INTEGER end = { .u = { 0xFFFFFFFFu, -1 } };          /* FILE_WRITE_TO_END_OF_FILE */
    char rec[16];
    if (NtCreateFile(&h, FILE_APPEND_DATA | SYNCHRONIZE, UtName(UT_APPEND_FILE, &oa, &us), &iosb, NULL, 0,
                     FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN_IF, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0))
        return UT_FAIL(1);
    for (ULONG i = 0; i < UT_APPEND_RECORDS; i++) {
        for (ULONG k = 0; k < 16; k++) rec[k] = '.';
        rec[0] = 'P'; rec[1] = (char)('0' + Tag); rec[2] = ' '; rec[3] = 'L';
        rec[4] = (char)('0' + i / 1000); rec[5] = (char)('0' + i / 100 % 10);
        rec[6] = (char)('0' + i / 10 % 10); rec[7] = (char)('0' + i % 10); rec[15] = '\n';
        if (NtWriteFile(h, NULL, NULL, NULL, &iosb, rec, 16, &end, NULL) || iosb.Information != 16) return UT_FAIL(2);
        if (i % 16 == 0) NtYieldExecution();                    /* let the other one in between */
    }
    NtClose(h);
    return UT_OK;
}

/* \Device\Null from user mode: the IO_STATUS_BLOCK of each call, the file position. */
static ULONG UtFileNull(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb = { .Status = -1, .Information = 99 };
    UCHAR data[100];
    FILE_POSITION_INFORMATION pos;
    for (ULONG i = 0; i < sizeof(data); i++) data[i] = (UCHAR)i;
    if (UtOpen(u"\\??\\NUL", GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb))
        return UT_FAIL(1);
    if (iosb.Status != STATUS_SUCCESS || iosb.Information != FILE_OPENED) return UT_FAIL(2);
    if (NtWriteFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL) || iosb.Information != sizeof(data))
        return UT_FAIL(3);
    if (NtQueryInformationFile(h, &iosb, &pos, sizeof(pos), FilePositionInformation) ||
        pos.CurrentByteOffset.QuadPart != sizeof(data) || iosb.Information != sizeof(pos))
        return UT_FAIL(4);
    iosb.Status = 0x1234;
    if (NtReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data), NULL, NULL) != STATUS_END_OF_FILE) return UT_FAIL(5);
    if (iosb.Status != 0x1234) return UT_FAIL(6);            /* errors leave the status block alone */
    if (NtClose(h)) return UT_FAIL(7);
    return UT_OK;
}

/* A read-only handle refuses writes, flushes and write-access controls. */
static ULONG UtFileAccess(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    UCHAR b = 0;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    if (UtOpen(u"\\Device\\Null", FILE_READ_DATA | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb))
        return UT_FAIL(1);
    if (NtWriteFile(h, NULL, NULL, NULL, &iosb, &b, 1, &zero, NULL) != STATUS_ACCESS_DENIED) return UT_FAIL(2);
    if (NtFlushBuffersFile(h, &iosb) != STATUS_ACCESS_DENIED) return UT_FAIL(3);
    if (NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, CTL_CODE(FILE_DEVICE_NULL, 1, METHOD_BUFFERED, FILE_WRITE_ACCESS),
                              NULL, 0, NULL, 0) != STATUS_ACCESS_DENIED)
        return UT_FAIL(4);
    if (NtReadFile(h, NULL, NULL, NULL, &iosb, &b, 1, &zero, NULL) != STATUS_END_OF_FILE) return UT_FAIL(5);
    FILE_BASIC_INFORMATION basic;
    if (NtQueryInformationFile(h, &iosb, &basic, sizeof(basic), FileBasicInformation) != STATUS_ACCESS_DENIED)
        return UT_FAIL(6);                                    /* no FILE_READ_ATTRIBUTES */
    NtClose(h);
    if (UtOpen(u"\\Device\\Null", FILE_WRITE_DATA, 0, &h, &iosb)) return UT_FAIL(7);
    if (NtReadFile(h, NULL, NULL, NULL, &iosb, &b, 1, &zero, NULL) != STATUS_ACCESS_DENIED) return UT_FAIL(8);
    if (NtWriteFile(h, NULL, NULL, NULL, &iosb, &b, 1, NULL, NULL) != STATUS_INVALID_PARAMETER) return UT_FAIL(9);
    NtClose(h);
    return UT_OK;
}

/* Bad pointers in every pointer argument of the file services: errors, never a crash. */
static ULONG UtFileBadPointers(void)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    UCHAR b[16];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    PVOID kernel = (PVOID)0x80100000, unmapped = (PVOID)0x00001000;
    if (UtOpen(u"\\Device\\Null", GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT, &h,
               &iosb))
        return UT_FAIL(1);
    if (NtReadFile(h, NULL, NULL, NULL, &iosb, kernel, 16, &zero, NULL) != STATUS_ACCESS_VIOLATION) return UT_FAIL(2);
    if (NtReadFile(h, NULL, NULL, NULL, &iosb, unmapped, 16, &zero, NULL) != STATUS_ACCESS_VIOLATION) return UT_FAIL(3);
    if (NtWriteFile(h, NULL, NULL, NULL, &iosb, kernel, 16, &zero, NULL) != STATUS_ACCESS_VIOLATION) return UT_FAIL(4);
    if (NtWriteFile(h, NULL, NULL, NULL, kernel, b, 16, &zero, NULL) != STATUS_ACCESS_VIOLATION) return UT_FAIL(5);
    if (NtWriteFile(h, NULL, NULL, NULL, &iosb, b, 16, kernel, NULL) != STATUS_ACCESS_VIOLATION) return UT_FAIL(6);
    if (NtQueryInformationFile(h, &iosb, kernel, 8, FilePositionInformation) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(7);
    if (NtSetInformationFile(h, &iosb, unmapped, 8, FilePositionInformation) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(8);
    if (NtQueryVolumeInformationFile(h, &iosb, kernel, 8, FileFsDeviceInformation) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(9);
    if (NtQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, b, 16, FileNamesInformation, FALSE, kernel, FALSE) !=
        STATUS_ACCESS_VIOLATION)
        return UT_FAIL(10);
    if (NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, 0x220000, kernel, 4, b, 4) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(11);
    if (NtCreateFile(kernel, GENERIC_READ, UtName(u"\\Device\\Null", &oa, &us), &iosb, NULL, 0, 0, FILE_OPEN, 0,
                     NULL, 0) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(12);
    if (NtCreateFile(&h, GENERIC_READ, UtName(u"\\Device\\Null", &oa, &us), kernel, NULL, 0, 0, FILE_OPEN, 0,
                     NULL, 0) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(13);
    us.Buffer = kernel;
    if (NtCreateFile(&h, GENERIC_READ, &oa, &iosb, NULL, 0, 0, FILE_OPEN, 0, NULL, 0) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(14);
    if (NtQueryAttributesFile(UtName(u"\\Device\\Null", &oa, &us), kernel) != STATUS_ACCESS_VIOLATION)
        return UT_FAIL(15);
    if (NtClose(h)) return UT_FAIL(16);
    return UT_OK;
}

ULONG UtMain(ULONG Mode, ULONG Parameter)
{
    volatile ULONG zero = 0;
    switch (Mode) {
    case UT_EXIT: return Parameter;
    case UT_FAULT_NULL_WRITE: *(volatile ULONG *)0 = 1; break;
    case UT_FAULT_DIVIDE: return 10 / zero;
    case UT_FAULT_INVALID_OPCODE: __asm__ volatile("ud2"); break;
    case UT_FAULT_PRIVILEGED: __asm__ volatile("cli"); break;
    case UT_FAULT_KERNEL_READ: return *(volatile ULONG *)0x80100000u;
    case UT_FAULT_BREAKPOINT: __asm__ volatile("int3"); break;
    case UT_PING_WAITER: return UtPingPong(Parameter, FALSE);
    case UT_PING_SETTER: return UtPingPong(Parameter, TRUE);
    case UT_FUZZ: return UtFuzz();
    case UT_SPIN: for (;;) zero++;
    case UT_WAIT_FOREVER: return UtWaitForever();
    case UT_TEB_PEB: return UtCheckTebPeb();
    case UT_ACCESS: return UtAccessChecks();
    case UT_NULL_SERVICE: return UtNullServiceCycles();
    case UT_VIRTUAL_MEMORY: return UtVirtualMemory();
    case UT_SECTION_WRITER: return UtSection(TRUE);
    case UT_SECTION_READER: return UtSection(FALSE);
    case UT_SYNC_OBJECTS: return UtSyncObjects();
    case UT_FILE_NULL: return UtFileNull();
    case UT_FILE_APPEND: return UtFileAppend(Parameter);
    case UT_FILE_ACCESS: return UtFileAccess();
    case UT_FILE_BAD_POINTERS: return UtFileBadPointers();
    case UT_SET_EVENT_HANDLE: return (ULONG)NtSetEvent((HANDLE)Parameter, NULL);   /* a handle given to us */
    }
    return UT_FAIL(0xFF);
}
