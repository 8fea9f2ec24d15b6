/* ldrmiss.c - t_ldr's helper: imports a DLL that does not exist, so the loader must end this
 * process with STATUS_DLL_NOT_FOUND before the entry point runs. */
#include "ntndk.h"

void LdrNoSuchFunction(void);

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    LdrNoSuchFunction();
    return STATUS_UNSUCCESSFUL;                    /* reached only if the loader let it run */
}
