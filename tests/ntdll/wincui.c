/* wincui.c - an image whose PE header says Windows console subsystem (linked with
 * --subsystem console, tests/ntdll/Makefile.inc): the loader must refuse it, since NanoNT has no
 * csrss yet. If it ever runs, it says so through its exit status. */
#include "ntndk.h"

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    return 0xBAD;
}
