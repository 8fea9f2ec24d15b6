/* ldrmissexp.c - t_ldr's helper: imports from ldrlog.dll a name it does not export, so the loader
 * must end this process with STATUS_ENTRYPOINT_NOT_FOUND before the entry point runs. */
#include "ntndk.h"

void LdrLogNoSuchExport(void);

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    LdrLogNoSuchExport();
    return STATUS_UNSUCCESSFUL;
}
