/* ldrbadimp.c - t_ldr's helper: imports ldrtext.dll, a text file, so the loader must end this
 * process with STATUS_INVALID_IMAGE_FORMAT before the entry point runs. */
#include "ntndk.h"

void LdrTextFunction(void);

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    LdrTextFunction();
    return STATUS_UNSUCCESSFUL;
}
