/*
 * boottest.c - KiRunBootTests: what the kernel does after the banner when the command line asks
 * for a test. "test=selftest" (or test=selftest:<prefix>) runs the self-tests and powers off with
 * their status; "crash=<name>" provokes a chosen bug check; "bench" runs the benchmarks and powers
 * off; "shutdown" powers off at once. With none of these the kernel idles.
 */
#include "ki.h"
#include "ex.h"
#include "kd.h"
#include "rtl.h"
#include "ntstatus.h"
#include "boottest.h"

VOID KiRunBootTests(VOID)
{
    char value[64];

    if (KeGetBootOption("test", value, sizeof(value))) {
        PCSTR filter = NULL;
        if (RtlCompareStringN(value, "selftest:", 9) == 0) filter = value + 9;
        else if (RtlCompareStringN(value, "selftest", 9) != 0) {
            DbgPrint("TEST: unknown test '%s'\n", value);
            ExShutdownSystem(ShutdownPowerOff, STATUS_INVALID_PARAMETER);
        }
        ULONG failed = TstRunSelfTests(filter);
        ExShutdownSystem(ShutdownPowerOff, failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS);
    }
    if (KeGetBootOption("crash", value, sizeof(value))) {
        if (TstCrash(value)) DbgPrint("CRASH: '%s' returned without a bug check\n", value);
        else DbgPrint("CRASH: unknown crash test '%s'\n", value);
        ExShutdownSystem(ShutdownPowerOff, STATUS_INVALID_PARAMETER);
    }
    if (KeGetBootOption("bench", value, sizeof(value))) {
        TstRunBenchmarks();
        ExShutdownSystem(ShutdownPowerOff, STATUS_SUCCESS);
    }
    if (KeGetBootOption("fsbench", value, sizeof(value))) {
        TstRunFsBenchmarks(value[0] ? value : "c");
        ExShutdownSystem(ShutdownPowerOff, STATUS_SUCCESS);
    }
    if (KeGetBootOption("fsstress", value, sizeof(value))) {
        TstRunFsStress();
        ExShutdownSystem(ShutdownPowerOff, STATUS_UNSUCCESSFUL);   /* it stops only on an error */
    }
    if (KeGetBootOption("shutdown", value, sizeof(value)))
        NtShutdownSystem(ShutdownPowerOff);
}
