/* pit.c - the 8254 programmable interval timer, channel 0 (IRQ 0), as the clock; and the TSC. */
#include "hal.h"
#include "x86.h"

#define PIT_HZ 1193182u

VOID HalInitializeClock(ULONG Hz)
{
    ULONG divisor = PIT_HZ / Hz;
    __outbyte(0x43, 0x36);                  /* channel 0, lobyte/hibyte, mode 3 */
    __outbyte(0x40, (UCHAR)divisor);
    __outbyte(0x40, (UCHAR)(divisor >> 8));
}

ULONGLONG HalReadTimeStampCounter(VOID) { return __rdtsc(); }
