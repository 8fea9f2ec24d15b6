/* hal.h - the hardware abstraction layer: PIC, PIT, COM1, the text screen and power off. */
#ifndef HAL_H
#define HAL_H

#include "ntdef.h"

VOID HalInitializeSerial(VOID);
VOID HalSerialWrite(PCSTR Text, ULONG Length);
/* Brackets one message (serial.c): at DISPATCH_LEVEL or above while it goes out. */
KIRQL HalpBeginOutput(VOID);
VOID HalpEndOutput(KIRQL Old);
VOID HalInitializeDisplay(VOID);
VOID HalDisplayString(PCSTR Text);               /* screen, mirrored to COM1 */
VOID HalSetDisplayColors(UCHAR Attribute);        /* 0x1F = white on blue, for bug checks */
VOID HalDisplayText(PCSTR Text, ULONG Length);    /* screen only; inside HalpBeginOutput */
VOID HalDisplaySetCursor(ULONG Row, ULONG Column);
VOID HalDisplayClearToEndOfLine(VOID);
VOID HalClearDisplay(VOID);
VOID HalInitializePic(VOID);
VOID HalEnableIrq(ULONG Irq);
VOID HalDisableIrq(ULONG Irq);
BOOLEAN HalBeginInterrupt(ULONG Irq);             /* FALSE for a spurious IRQ 7/15 */
VOID HalEndInterrupt(ULONG Irq);
VOID HalInitializeClock(ULONG Hz);
ULONGLONG HalReadTimeStampCounter(VOID);

typedef enum _FIRMWARE_REENTRY {
    HalHaltRoutine, HalPowerDownRoutine, HalRestartRoutine, HalRebootRoutine
} FIRMWARE_REENTRY;
__attribute__((noreturn)) VOID HalReturnToFirmware(FIRMWARE_REENTRY Routine, ULONG ExitCode);

#endif
