/*
 * firmware.c - HalReturnToFirmware: how the machine stops. Power-off first tries QEMU's
 * isa-debug-exit device (port 0xF4, present when the run asked for it; QEMU then exits with
 * (value << 1) | 1), then the ACPI power-off of QEMU's PIIX4 and of Bochs. Whatever remains halts
 * with interrupts off.
 */
#include "hal.h"
#include "x86.h"

#define DEBUG_EXIT_PORT 0xF4

VOID HalReturnToFirmware(FIRMWARE_REENTRY Routine, ULONG ExitCode)
{
    _disable();
    if (Routine == HalPowerDownRoutine) {
        __outdword(DEBUG_EXIT_PORT, ExitCode);
        __outword(0x604, 0x2000);           /* QEMU i440FX/PIIX4 ACPI: SLP_EN | S5 */
        __outword(0xB004, 0x2000);          /* older QEMU and Bochs */
    } else if (Routine == HalRebootRoutine || Routine == HalRestartRoutine) {
        __outbyte(0x64, 0xFE);              /* keyboard controller: pulse reset */
    }
    for (;;) __halt();
}
