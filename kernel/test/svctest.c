/*
 * svctest.c - self-tests of the system service dispatcher (int 0x2E), the user-memory probes and
 * fault-tolerant copies, and the system time. There is no user mode yet, so everything is called
 * from kernel mode: through the generated Zw stubs, through raw int 0x2E with chosen EAX/EDX,
 * and with deliberately bad "user" pointers whose faults the exception table must absorb.
 */
#include "ki.h"
#include "mm.h"
#include "ex.h"
#include "kd.h"
#include "rtl.h"
#include "svc.h"
#include "x86.h"
#include "ntstatus.h"
#include "boottest.h"

extern ULONG KiFixupCount;

/* int 0x2E exactly as a stub does it, with any EAX and EDX. */
static NTSTATUS TstSystemCall(ULONG Number, const VOID *Arguments)
{
    NTSTATUS status;
    __asm__ volatile("int $0x2E" : "=a"(status) : "a"(Number), "d"(Arguments) : "memory", "cc");
    return status;
}

static PCSTR TestNullService(void)
{
    CHECK(ZwTestAlert() == STATUS_SUCCESS, "ZwTestAlert did not return STATUS_SUCCESS");
    CHECK(ExGetPreviousMode() == KernelMode, "PreviousMode not KernelMode after the call");
    CHECK(__readeflags() & EFLAGS_IF, "interrupts off after the call");
    /* A real table-0 service with an argument: NtShutdownSystem rejects an unknown action. */
    CHECK(ZwShutdownSystem(99) == STATUS_INVALID_PARAMETER, "ZwShutdownSystem(99) wrong status");
    return NULL;
}

static PCSTR TestInvalidService(void)
{
    static const ULONG bad[] = { 0x0FFF, 0x1000, 0x1FFF, 0x2000, 0x3000, 0x3FFF };
    for (ULONG i = 0; i < ARRAYSIZE(bad); i++)
        CHECK(TstSystemCall(bad[i], NULL) == STATUS_INVALID_SYSTEM_SERVICE, "bad number accepted");
    CHECK(TstSystemCall(KiServiceLimit, NULL) == STATUS_INVALID_SYSTEM_SERVICE, "limit accepted");
    /* Bits above the table bits are ignored, as on NT: table 0 service 0xFFF is still invalid. */
    CHECK(TstSystemCall(0xFFFF0FFF, NULL) == STATUS_INVALID_SYSTEM_SERVICE, "high bits changed the table");
    return NULL;
}

static PCSTR TestTimeConversion(void)
{
    TIME_FIELDS f = { 1970, 1, 1, 0, 0, 0, 0, 0 }, g;
    LARGE_INTEGER t;
    CHECK(RtlTimeFieldsToTime(&f, &t) && t.QuadPart == 116444736000000000ll, "1970-01-01 wrong");
    TIME_FIELDS epoch = { 1601, 1, 1, 0, 0, 0, 0, 0 };
    CHECK(RtlTimeFieldsToTime(&epoch, &t) && t.QuadPart == 0, "1601-01-01 is not 0");
    TIME_FIELDS leap = { 2024, 2, 29, 23, 59, 58, 999, 0 };
    CHECK(RtlTimeFieldsToTime(&leap, &t), "2024-02-29 rejected");
    RtlTimeToTimeFields(&t, &g);
    CHECK(g.Year == 2024 && g.Month == 2 && g.Day == 29 && g.Hour == 23 && g.Minute == 59 &&
          g.Second == 58 && g.Milliseconds == 999 && g.Weekday == 4, "2024-02-29 round trip wrong");
    TIME_FIELDS y2k = { 2000, 12, 31, 12, 0, 0, 0, 0 };
    RtlTimeFieldsToTime(&y2k, &t);
    RtlTimeToTimeFields(&t, &g);
    CHECK(g.Year == 2000 && g.Month == 12 && g.Day == 31 && g.Weekday == 0, "2000-12-31 wrong");
    TIME_FIELDS no1900 = { 1900, 2, 29, 0, 0, 0, 0, 0 }, no13 = { 2020, 13, 1, 0, 0, 0, 0, 0 };
    CHECK(!RtlTimeFieldsToTime(&no1900, &t) && !RtlTimeFieldsToTime(&no13, &t), "bad date accepted");
    return NULL;
}

static PCSTR TestSystemTime(void)
{
    LARGE_INTEGER t1, t2, y2020;
    TIME_FIELDS f, from2020 = { 2020, 1, 1, 0, 0, 0, 0, 0 };
    RtlTimeFieldsToTime(&from2020, &y2020);
    CHECK(ZwQuerySystemTime(&t1) == STATUS_SUCCESS, "ZwQuerySystemTime failed");
    RtlTimeToTimeFields(&t1, &f);
    DbgPrint("  system time %04d-%02d-%02d %02d:%02d:%02d.%03d UTC\n", f.Year, f.Month, f.Day,
             f.Hour, f.Minute, f.Second, f.Milliseconds);
    CHECK(t1.QuadPart >= y2020.QuadPart, "system time before 2020");
    ULONG start = KeTickCount;
    while (KeTickCount < start + 3) __halt();
    CHECK(ZwQuerySystemTime(&t2) == STATUS_SUCCESS, "second ZwQuerySystemTime failed");
    CHECK(t2.QuadPart - t1.QuadPart >= 2 * (LONGLONG)KeQueryTimeIncrement(), "time did not advance with ticks");
    CHECK(t2.QuadPart - t1.QuadPart < 10000000ll, "time jumped by more than a second");
    return NULL;
}

static PCSTR TestPerformanceCounter(void)
{
    LARGE_INTEGER c, prev, freq;
    CHECK(ZwQueryPerformanceCounter(&prev, &freq) == STATUS_SUCCESS, "first call failed");
    DbgPrint("  performance counter frequency %llu Hz\n", (ULONGLONG)freq.QuadPart);
    CHECK(freq.QuadPart >= 1000000, "frequency below 1 MHz");
    for (ULONG i = 0; i < 1000; i++) {
        CHECK(ZwQueryPerformanceCounter(&c, NULL) == STATUS_SUCCESS, "call without frequency failed");
        CHECK(c.QuadPart > prev.QuadPart, "counter not increasing");
        prev = c;
    }
    return NULL;
}

static PCSTR TestProbes(void)
{
    static const struct { ULONG_PTR Address; SIZE_T Length; ULONG Alignment; NTSTATUS Status; } cases[] = {
        { 0x00001000, 4, 4, STATUS_SUCCESS },             /* a probe checks the range only */
        { 0x00001002, 4, 2, STATUS_SUCCESS },
        { 0x00001001, 4, 4, STATUS_DATATYPE_MISALIGNMENT },
        { 0x00001004, 8, 8, STATUS_DATATYPE_MISALIGNMENT },
        { 0x7FFEFFFC, 4, 4, STATUS_SUCCESS },             /* ends exactly at the probe address */
        { 0x7FFEFFFD, 4, 1, STATUS_ACCESS_VIOLATION },    /* one byte over */
        { 0x7FFF0000, 1, 1, STATUS_ACCESS_VIOLATION },
        { 0x80100000, 4, 4, STATUS_ACCESS_VIOLATION },    /* kernel memory passed as user */
        { 0xD0000000, 16, 4, STATUS_ACCESS_VIOLATION },
        { 0xFFFFFFF0, 0x20, 1, STATUS_ACCESS_VIOLATION }, /* wraps past 4 GiB */
        { 0x00001000, 0xFFFFFFFF, 1, STATUS_ACCESS_VIOLATION },
        { 0x00010000, 0x7FFE0000, 1, STATUS_SUCCESS },          /* all of user space */
        { 0x00010000, 0x7FFE0001, 1, STATUS_ACCESS_VIOLATION },
        { 0x80100000, 0, 4, STATUS_SUCCESS },             /* zero length: nothing to check */
    };
    for (ULONG i = 0; i < ARRAYSIZE(cases); i++) {
        CHECK(ProbeForRead((PVOID)cases[i].Address, cases[i].Length, cases[i].Alignment) == cases[i].Status,
              "ProbeForRead gave the wrong status");
        CHECK(ProbeForWrite((PVOID)cases[i].Address, cases[i].Length, cases[i].Alignment) == cases[i].Status,
              "ProbeForWrite gave the wrong status");
    }
    return NULL;
}

static PCSTR TestCopyBadUserPointers(void)
{
    static const ULONG_PTR unmapped[] = { 0x00000000, 0x00001000, 0x00400000, 0x7FFE0000, 0x7FFEFFF0 };
    UCHAR buffer[16] = { 1, 2, 3 };
    ULONG fixups = KiFixupCount;
    for (ULONG i = 0; i < ARRAYSIZE(unmapped); i++) {
        CHECK(KeCopyFromUser(buffer, (PVOID)unmapped[i], sizeof(buffer)) == STATUS_ACCESS_VIOLATION,
              "copy from unmapped user memory succeeded");
        CHECK(KeCopyToUser((PVOID)unmapped[i], buffer, sizeof(buffer)) == STATUS_ACCESS_VIOLATION,
              "copy to unmapped user memory succeeded");
        CHECK(KeCopyFromUser(buffer, (PVOID)(unmapped[i] + 1), 3) == STATUS_ACCESS_VIOLATION,
              "byte copy from unmapped user memory succeeded");
    }
    CHECK(KiFixupCount - fixups == 3 * ARRAYSIZE(unmapped), "not every bad copy went through a fixup");

    /* Kernel memory passed as user memory fails the probe and is never touched. */
    static ULONG secret = 0x5EC12E7;
    fixups = KiFixupCount;
    CHECK(KeCopyFromUser(buffer, &secret, 4) == STATUS_ACCESS_VIOLATION, "read kernel memory as user");
    CHECK(KeCopyToUser(&secret, buffer, 4) == STATUS_ACCESS_VIOLATION && secret == 0x5EC12E7,
          "wrote kernel memory as user");
    CHECK(KeCopyToUser((PVOID)0x7FFFFFFE, buffer, 4) == STATUS_ACCESS_VIOLATION, "copy across 2 GiB allowed");
    CHECK(KeCopyFromUser(buffer, (PVOID)0xFFFFFFFC, 8) == STATUS_ACCESS_VIOLATION, "wrapping copy allowed");
    CHECK(KiFixupCount == fixups, "a probe let a copy fault");
    CHECK(KeCopyFromUser(buffer, (PVOID)0x1000, 0) == STATUS_SUCCESS, "empty copy failed");
    return NULL;
}

/* A mapped kernel page followed by an unmapped one, at the top of the kernel stack region (the
 * last slot, which only the 256th stack would use): copies that start valid and fault midway. */
static PCSTR TestCopyFaultMidway(void)
{
    PUCHAR page = (PUCHAR)(MM_KERNEL_STACK_END - 2 * PAGE_SIZE);
    CHECK(!MmIsAddressValid(page) && !MmIsAddressValid(page + PAGE_SIZE), "test pages in use");
    PFN_NUMBER pfn = MmAllocatePhysicalPage();
    CHECK(pfn != 0 && MmMapKernelPage(page, pfn, TRUE), "could not map the test page");
    for (ULONG i = 0; i < PAGE_SIZE; i++) page[i] = (UCHAR)i;

    UCHAR buffer[32];
    RtlFillMemory(buffer, sizeof(buffer), 0xCC);
    PCSTR why = NULL;
    ULONG fixups = KiFixupCount;
    /* 20 bytes from 12 before the end: two dwords copy, the third crosses into the hole. */
    if (KiCopyMemoryWithFixup(buffer, page + PAGE_SIZE - 12, 20) != STATUS_ACCESS_VIOLATION)
        why = "read across into an unmapped page succeeded";
    else if (buffer[0] != (UCHAR)(PAGE_SIZE - 12) || buffer[7] != (UCHAR)(PAGE_SIZE - 5) || buffer[12] != 0xCC)
        why = "bytes before the fault not copied, or bytes after it written";
    else if (KiCopyMemoryWithFixup(page + PAGE_SIZE - 6, buffer, 12) != STATUS_ACCESS_VIOLATION)
        why = "write across into an unmapped page succeeded";
    else if (page[PAGE_SIZE - 6] != buffer[0] || page[PAGE_SIZE - 3] != buffer[3])
        why = "bytes before the faulting write not written";
    else if (KiCopyMemoryWithFixup(buffer, page + PAGE_SIZE - 2, 3) != STATUS_ACCESS_VIOLATION)
        why = "byte tail across into an unmapped page succeeded";
    else if (KiCopyMemoryWithFixup(buffer, page + PAGE_SIZE - 32, 32) != STATUS_SUCCESS)
        why = "copy ending exactly at the hole failed";
    else if (KiFixupCount - fixups != 3)
        why = "wrong number of fixups";

    MmUnmapKernelPage(page);
    MmFreePhysicalPage(pfn);
    return why;
}

/* ---- A fake table 1, as win32k will register ---------------------------------------------- */

static NTSTATUS TstServiceCombine(ULONG a, ULONG b, ULONG c) { return (NTSTATUS)(a * 7 + b * 3 + c); }
static NTSTATUS TstServiceMode(void) { return ExGetPreviousMode() == KernelMode ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL; }
static NTSTATUS TstServiceInterrupts(void) { return (__readeflags() & EFLAGS_IF) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL; }
static NTSTATUS TstServiceNested(PLARGE_INTEGER Time)
{
    NTSTATUS status = ZwQuerySystemTime(Time);                       /* a Zw call inside a service */
    return NT_SUCCESS(status) && ExGetPreviousMode() == KernelMode ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
static NTSTATUS NTAPI TstServiceStdcall(ULONG a, ULONG b) { return (NTSTATUS)(a - b); }
static NTSTATUS TstServiceMany(ULONG a1, ULONG a2, ULONG a3, ULONG a4, ULONG a5, ULONG a6, ULONG a7,
                               ULONG a8, ULONG a9, ULONG a10, ULONG a11, ULONG a12)
{
    ULONG sum = 0, v[12] = { a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12 };
    for (ULONG i = 0; i < 12; i++) sum = sum * 31 + v[i];
    return (NTSTATUS)sum;
}

static ULONG_PTR TstTable[] = {
    (ULONG_PTR)TstServiceCombine, (ULONG_PTR)TstServiceMode, (ULONG_PTR)TstServiceInterrupts,
    (ULONG_PTR)TstServiceNested, (ULONG_PTR)TstServiceStdcall, (ULONG_PTR)TstServiceMany,
};
static UCHAR TstArguments[] = { 12, 0, 0, 4, 8, 48 };
static ULONG TstCounts[ARRAYSIZE(TstTable)];
#define TABLE1(n) (0x1000u + (n))

static PCSTR TstCallTable1(void)
{
    ULONG args3[3] = { 1000000, 1000, 7 };
    CHECK(TstSystemCall(TABLE1(0), args3) == 1000000 * 7 + 1000 * 3 + 7, "3 arguments did not arrive intact");
    CHECK(TstSystemCall(TABLE1(1), NULL) == STATUS_SUCCESS, "PreviousMode not KernelMode in a service");
    CHECK(TstSystemCall(TABLE1(2), NULL) == STATUS_SUCCESS, "interrupts off during a service");
    LARGE_INTEGER t = { .QuadPart = 0 };
    PLARGE_INTEGER pt = &t;
    CHECK(TstSystemCall(TABLE1(3), &pt) == STATUS_SUCCESS && t.QuadPart != 0, "nested Zw call failed");
    CHECK(ExGetPreviousMode() == KernelMode, "PreviousMode not restored after nesting");
    ULONG args2[2] = { 50, 8 };
    CHECK(TstSystemCall(TABLE1(4), args2) == 42, "stdcall service returned wrongly");
    ULONG args12[12], expect = 0;
    for (ULONG i = 0; i < 12; i++) { args12[i] = 0x01010101u * (i + 1); expect = expect * 31 + args12[i]; }
    CHECK(TstSystemCall(TABLE1(5), args12) == (NTSTATUS)expect, "12 arguments did not arrive intact");
    CHECK(TstSystemCall(TABLE1(ARRAYSIZE(TstTable)), args3) == STATUS_INVALID_SYSTEM_SERVICE, "past the limit accepted");
    CHECK(TstSystemCall(0x3000, NULL) == STATUS_INVALID_SYSTEM_SERVICE, "table 3 accepted");

    /* Arguments at a bad address: the dispatcher's copy faults and the fixup turns it into a status. */
    ULONG fixups = KiFixupCount;
    CHECK(TstSystemCall(TABLE1(0), (PVOID)0x1000) == STATUS_ACCESS_VIOLATION, "bad argument pointer accepted");
    CHECK(TstSystemCall(TABLE1(5), (PVOID)(MM_KERNEL_STACK_END - 8)) == STATUS_ACCESS_VIOLATION,
          "arguments running into unmapped memory accepted");
    CHECK(KiFixupCount - fixups == 2, "argument faults not fixed up");
    CHECK(TstSystemCall(TABLE1(1), (PVOID)0x1000) == STATUS_SUCCESS, "no-argument service read its pointer");
    CHECK(ExGetPreviousMode() == KernelMode, "PreviousMode not restored after a fault");

    CHECK(TstCounts[0] == 2 && TstCounts[1] == 2 && TstCounts[5] == 2, "call counters wrong");
    return NULL;
}

static PCSTR TestTable1(void)
{
    CHECK(!KeAddSystemServiceTable(TstTable, NULL, ARRAYSIZE(TstTable), TstArguments, 0), "table 0 replaced");
    CHECK(!KeAddSystemServiceTable(TstTable, NULL, ARRAYSIZE(TstTable), TstArguments, 2), "table 2 accepted");
    CHECK(KeAddSystemServiceTable(TstTable, TstCounts, ARRAYSIZE(TstTable), TstArguments, 1), "table 1 refused");
    PCSTR why = NULL;
    if (KeAddSystemServiceTable(TstTable, NULL, ARRAYSIZE(TstTable), TstArguments, 1))
        why = "table 1 added twice";
    else
        why = TstCallTable1();
    KiRemoveSystemServiceTable(1);
    CHECK(TstSystemCall(TABLE1(0), NULL) == STATUS_INVALID_SYSTEM_SERVICE, "removed table still called");
    return why;
}

/* ---- From user mode: a small ring-3 program makes the calls --------------------------------- */

#define USER_PAGE 0x00400000u

static NTSTATUS TstServiceUserMode(void) { return ExGetPreviousMode() == UserMode ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL; }

/* A service's number in table 0, found from its routine: tests hard-code no numbers either. */
static ULONG TstServiceNumber(PVOID Routine)
{
    for (ULONG i = 0; i < KiServiceLimit; i++) if (KiServiceTable[i] == (ULONG_PTR)Routine) return i;
    return 0xFFF;
}

/* Maps one user-accessible page at USER_PAGE: a page table for its 4 MiB, then the page. */
static BOOLEAN TstMapUserPage(PFN_NUMBER *Table, PFN_NUMBER *Page)
{
    *Table = MmAllocatePhysicalPage();
    *Page = MmAllocatePhysicalPage();
    if (!*Table || !*Page) return FALSE;
    *MiGetPdeAddress(USER_PAGE) = (*Table << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER;
    __invlpg(MiGetPteAddress(USER_PAGE));
    *MiGetPteAddress(USER_PAGE) = (*Page << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER;
    __invlpg((PVOID)USER_PAGE);
    return TRUE;
}

static VOID TstUnmapUserPage(PFN_NUMBER Table, PFN_NUMBER Page)
{
    if (Table && Page) {
        *MiGetPteAddress(USER_PAGE) = 0;
        __invlpg((PVOID)USER_PAGE);
        *MiGetPdeAddress(USER_PAGE) = 0;
        __invlpg(MiGetPteAddress(USER_PAGE));
    }
    if (Page) MmFreePhysicalPage(Page);
    if (Table) MmFreePhysicalPage(Table);
}

static ULONG_PTR TstUserTable[] = { (ULONG_PTR)TstServiceUserMode, (ULONG_PTR)TstUserExitService };
static UCHAR TstUserArguments[] = { 0, 0 };

static PCSTR TstRunUserProgram(PUCHAR user)
{
    static ULONG kernelTime[2];
    ULONG testAlert = TstServiceNumber(NtTestAlert), queryTime = TstServiceNumber(NtQuerySystemTime);
    CHECK(testAlert < KiServiceLimit && queryTime < KiServiceLimit, "services not in table 0");

    /* Argument slots at +0x400 (one pointer each), results at +0x500. */
    PULONG slots = (PULONG)(user + 0x400);
    slots[0] = USER_PAGE + 0x500;                  /* good */
    slots[1] = (ULONG)kernelTime;                  /* kernel memory */
    slots[2] = 0x00001000;                         /* unmapped */
    slots[3] = USER_PAGE + 0x502;                  /* misaligned */
    const TST_USER_REQUEST requests[] = {
        { testAlert, 0, STATUS_SUCCESS },
        { queryTime, USER_PAGE + 0x400, STATUS_SUCCESS },
        { queryTime, USER_PAGE + 0x404, STATUS_ACCESS_VIOLATION },      /* service's probe */
        { queryTime, USER_PAGE + 0x408, STATUS_ACCESS_VIOLATION },      /* service's copy faults */
        { queryTime, USER_PAGE + 0x40C, STATUS_DATATYPE_MISALIGNMENT },
        { queryTime, 0x80100000, STATUS_ACCESS_VIOLATION },             /* dispatcher's probe */
        { queryTime, 0x7FFEFFFE, STATUS_ACCESS_VIOLATION },
        { queryTime, 0x00001000, STATUS_ACCESS_VIOLATION },             /* dispatcher's copy faults */
        { 0x1000, 0, STATUS_SUCCESS },                                  /* PreviousMode is UserMode */
        { 0x0FFF, 0, STATUS_INVALID_SYSTEM_SERVICE },
        { 0x3000, 0, STATUS_INVALID_SYSTEM_SERVICE },
    };
    TST_USER_REQUEST *block = (TST_USER_REQUEST *)(user + 0x100);
    for (ULONG i = 0; i < ARRAYSIZE(requests); i++) {
        block[i] = requests[i];
        block[i].Result = 0x12345678;
    }
    block[ARRAYSIZE(requests)].Eax = 0x1001;        /* then the exit service */
    RtlCopyMemory(user, TstUserCode, TstUserCodeEnd - TstUserCode);

    ULONG fixups = KiFixupCount;
    TstEnterUserMode(USER_PAGE, USER_PAGE + PAGE_SIZE, USER_PAGE + 0x100, ARRAYSIZE(requests));
    CHECK(ExGetPreviousMode() == KernelMode, "PreviousMode not KernelMode after user mode");
    for (ULONG i = 0; i < ARRAYSIZE(requests); i++)
        if (block[i].Result != requests[i].Result) {
            DbgPrint("  user request %lu: status %08lx, expected %08lx\n", (unsigned long)i,
                     (unsigned long)block[i].Result, (unsigned long)requests[i].Result);
            return "a call from user mode returned the wrong status";
        }
    CHECK(*(PULONGLONG)(user + 0x500) != 0, "NtQuerySystemTime wrote nothing to user memory");
    CHECK(kernelTime[0] == 0 && kernelTime[1] == 0, "user mode made the kernel write kernel memory");
    CHECK(KiFixupCount - fixups == 2, "expected two fixed-up faults");
    return NULL;
}

static PCSTR TestFromUserMode(void)
{
    PFN_NUMBER table = 0, page = 0;
    PVOID stack = MmCreateKernelStack(2);          /* where ring 3 traps land (TSS.Esp0) */
    ULONG savedEsp0 = KiTss.Esp0;
    PCSTR why = "out of memory";
    CHECK(!MmIsAddressValid((PVOID)USER_PAGE), "user page already mapped");
    if (stack && TstMapUserPage(&table, &page) &&
        KeAddSystemServiceTable(TstUserTable, NULL, ARRAYSIZE(TstUserTable), TstUserArguments, 1)) {
        KiSetTssStack((ULONG)stack);
        why = TstRunUserProgram((PUCHAR)MiPfnToKseg0(page));
        KiSetTssStack(savedEsp0);
        KiRemoveSystemServiceTable(1);
    }
    TstUnmapUserPage(table, page);
    if (stack) MmDeleteKernelStack(stack, 2);
    CHECK(__readeflags() & EFLAGS_IF, "interrupts not back on");
    return why;
}

SELFTEST("ke.svc.null", TestNullService);
SELFTEST("ke.svc.invalid", TestInvalidService);
SELFTEST("ke.svc.time_conversion", TestTimeConversion);
SELFTEST("ke.svc.system_time", TestSystemTime);
SELFTEST("ke.svc.performance_counter", TestPerformanceCounter);
SELFTEST("ke.svc.probe", TestProbes);
SELFTEST("ke.svc.copy_bad_user", TestCopyBadUserPointers);
SELFTEST("ke.svc.copy_fault_midway", TestCopyFaultMidway);
SELFTEST("ke.svc.table1", TestTable1);
SELFTEST("ke.svc.user_mode", TestFromUserMode);
