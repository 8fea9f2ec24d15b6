/* posix.c - an image whose PE header says POSIX subsystem (linked with --subsystem posix,
 * tests/ntdll/Makefile.inc): the loader must refuse it, NanoNT has no POSIX subsystem. If it ever
 * runs, it says so through its exit status. */
#include "ntndk.h"

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    return 0xBAD;
}
