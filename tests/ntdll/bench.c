/*
 * bench.c - user-mode benchmarks, run by `make bench` as the initial program under -icount (the
 * TSC counts instructions). Prints "BENCH <name> <value> <unit>" lines, like the kernel's.
 *   ntdll.null_service      NtTestAlert through ntdll's stub, per call
 *   native.spawn            RtlCreateUserProcess of nop.exe, resume, wait, close: per process
 *   heap.alloc_free_64      RtlAllocateHeap + RtlFreeHeap of 64 bytes on the process heap
 */
#include "ntndk.h"

#define SPAWNS 20
#define CALLS  1000

static ULONGLONG Tsc(VOID)
{
    ULONG lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((ULONGLONG)hi << 32) | lo;
}

static NTSTATUS SpawnNop(VOID)
{
    UNICODE_STRING image;
    RTL_USER_PROCESS_INFORMATION info;
    RtlInitUnicodeString(&image, L"\\??\\C:\\Tests\\nop.exe");
    NTSTATUS status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, NULL, NULL, NULL, NULL, FALSE, NULL,
                                           NULL, &info);
    if (!NT_SUCCESS(status)) return status;
    NtResumeThread(info.Thread, NULL);
    NtWaitForSingleObject(info.Process, FALSE, NULL);
    NtClose(info.Thread);
    NtClose(info.Process);
    return STATUS_SUCCESS;
}

static VOID Report(PCSTR Name, ULONGLONG Total, ULONG Count, PCSTR Unit)
{
    DbgPrint("BENCH %s %lu %s\n", Name, (unsigned long)(Total / Count), Unit);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    ULONGLONG t = Tsc();
    for (ULONG i = 0; i < CALLS; i++) NtTestAlert();
    Report("ntdll.null_service", Tsc() - t, CALLS, "instructions");

    t = Tsc();
    for (ULONG i = 0; i < CALLS; i++) RtlFreeHeap(RtlProcessHeap(), 0, RtlAllocateHeap(RtlProcessHeap(), 0, 64));
    Report("heap.alloc_free_64", Tsc() - t, CALLS, "instructions");

    if (!NT_SUCCESS(SpawnNop())) return STATUS_UNSUCCESSFUL;   /* warm: the image is in the cache */
    t = Tsc();
    for (ULONG i = 0; i < SPAWNS; i++)
        if (!NT_SUCCESS(SpawnNop())) return STATUS_UNSUCCESSFUL;
    Report("native.spawn", Tsc() - t, SPAWNS, "instructions");
    return STATUS_SUCCESS;
}
