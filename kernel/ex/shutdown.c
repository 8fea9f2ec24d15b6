/*
 * shutdown.c - powering the machine off. NtShutdownSystem is the service; ExShutdownSystem does
 * the work and carries the status the system ends with (the initial program's exit status, later),
 * printed as the last line so scripted runs can read it.
 */
#include "ex.h"
#include "io.h"
#include "hal.h"
#include "kd.h"
#include "ntstatus.h"

VOID ExShutdownSystem(SHUTDOWN_ACTION Action, NTSTATUS ExitStatus)
{
    IoShutdownSystem();                  /* file systems, then disks, write back their caches */
    KdDisplay("NanoNT: shutdown, status 0x%08lX\n", (unsigned long)(ULONG)ExitStatus);
    if (Action == ShutdownReboot) HalReturnToFirmware(HalRebootRoutine, 0);
    if (Action == ShutdownNoReboot) HalReturnToFirmware(HalHaltRoutine, 0);
    /* isa-debug-exit makes QEMU exit with (value << 1) | 1: 1 for success, 3 for failure. */
    HalReturnToFirmware(HalPowerDownRoutine, ExitStatus == STATUS_SUCCESS ? 0 : 1);
}

NTSTATUS NTAPI NtShutdownSystem(SHUTDOWN_ACTION Action)
{
    if (Action > ShutdownPowerOff) return STATUS_INVALID_PARAMETER;
    ExShutdownSystem(Action, STATUS_SUCCESS);
}
