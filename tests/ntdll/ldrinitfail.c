/* ldrinitfail.c - t_ldr's helper: imports ldrfail.dll, whose DllMain refuses
 * DLL_PROCESS_ATTACH, so the process must end with STATUS_DLL_INIT_FAILED before this runs. */
#include "ntndk.h"

LONG LdrFailValue(void);

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    return LdrFailValue() == 0xFA ? STATUS_UNSUCCESSFUL : STATUS_UNSUCCESSFUL;
}
