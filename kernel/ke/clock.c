/*
 * clock.c - the clock interrupt: the PIT on IRQ 0 at KE_CLOCK_HZ advances KeTickCount. (The
 * scheduler's quantum and timers hang off this interrupt when threads arrive.)
 */
#include "ki.h"
#include "hal.h"

volatile ULONG KeTickCount;

static VOID KiClockInterrupt(PKTRAP_FRAME TrapFrame)
{
    UNREFERENCED_PARAMETER(TrapFrame);
    KeTickCount++;
}

VOID KiInitializeClock(VOID)
{
    HalInitializeClock(KE_CLOCK_HZ);
    KiConnectInterrupt(0, KiClockInterrupt);
}
