/*
 * svcbench.c - benchmarks of the system service path ("bench" boot): a kernel-mode null service
 * round trip through the Zw stub and int 0x2E, the same service called directly, and so the
 * dispatcher's own cost; plus a one-argument service and a probed user copy that faults.
 */
#include "ki.h"
#include "kd.h"
#include "svc.h"
#include "x86.h"
#include "ntstatus.h"

#define ROUNDS 2000

static ULONG BenchPerCall(ULONGLONG Start, ULONGLONG End) { return (ULONG)((End - Start) / ROUNDS); }

VOID TstRunServiceBenchmarks(VOID)
{
    LARGE_INTEGER t;
    UCHAR buffer[16];
    ZwTestAlert();                                   /* warm */

    ULONGLONG t0 = __rdtsc();
    for (ULONG i = 0; i < ROUNDS; i++) ZwTestAlert();
    ULONGLONG t1 = __rdtsc();
    for (ULONG i = 0; i < ROUNDS; i++) NtTestAlert();
    ULONGLONG t2 = __rdtsc();
    for (ULONG i = 0; i < ROUNDS; i++) ZwQuerySystemTime(&t);
    ULONGLONG t3 = __rdtsc();
    for (ULONG i = 0; i < ROUNDS; i++) KeCopyFromUser(buffer, (PVOID)0x1000, sizeof(buffer));
    ULONGLONG t4 = __rdtsc();

    ULONG zw = BenchPerCall(t0, t1), direct = BenchPerCall(t1, t2);
    DbgPrint("BENCH svc.null.kernel %lu tsc/call\n", (unsigned long)zw);
    DbgPrint("BENCH svc.null.direct %lu tsc/call\n", (unsigned long)direct);
    DbgPrint("BENCH svc.dispatch.overhead %lu tsc/call\n", (unsigned long)(zw - direct));
    DbgPrint("BENCH svc.query_system_time.kernel %lu tsc/call\n", (unsigned long)BenchPerCall(t2, t3));
    DbgPrint("BENCH svc.copy_from_user.fault %lu tsc/call\n", (unsigned long)BenchPerCall(t3, t4));
}
