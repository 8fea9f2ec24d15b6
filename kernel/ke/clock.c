/*
 * clock.c - the clock interrupt: the PIT on IRQ 0 at KE_CLOCK_HZ advances the tick counts, charges
 * the running thread's quantum and notices due timers (both handled at DISPATCH_LEVEL after the
 * interrupt, see sched.c).
 */
#include "ki.h"
#include "hal.h"
#include "mm.h"

volatile ULONG KeTickCount;

static VOID KiClockInterrupt(PKTRAP_FRAME TrapFrame)
{
    UNREFERENCED_PARAMETER(TrapFrame);
    KeTickCount++;
    KiTickCount64++;
    MmUpdateSharedUserData();            /* KUSER_SHARED_DATA: what user mode reads without a call */
    KiClockTick();
}

VOID KiInitializeClock(VOID)
{
    HalInitializeClock(KE_CLOCK_HZ);
    KiConnectInterrupt(0, KiClockInterrupt);
}
