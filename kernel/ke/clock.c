/*
 * clock.c - the clock interrupt: the PIT on IRQ 0 at KE_CLOCK_HZ advances the tick counts, charges
 * the tick to the interrupted thread and its process (kernel or user time), charges the running
 * thread's quantum and notices due timers (both handled at DISPATCH_LEVEL after the
 * interrupt, see sched.c).
 */
#include "ki.h"
#include "hal.h"
#include "mm.h"

volatile ULONG KeTickCount;

static VOID KiClockInterrupt(PKTRAP_FRAME TrapFrame)
{
    /* The tick is charged to the interrupted thread, in the mode it was in (the idle thread
     * counts no time: NT keeps that apart). */
    PKTHREAD t = KeGetCurrentThread();
    if (t != &KiIdleThread) {
        BOOLEAN user = (TrapFrame->SegCs & 3) != 0;
        if (user) { t->UserTime++; t->Process->UserTime++; }
        else { t->KernelTime++; t->Process->KernelTime++; }
    }
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
