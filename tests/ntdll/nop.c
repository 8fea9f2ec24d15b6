/* nop.c - the smallest native program: returns at once. bench.c measures its whole life. */
#include "ntndk.h"

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    return STATUS_SUCCESS;
}
