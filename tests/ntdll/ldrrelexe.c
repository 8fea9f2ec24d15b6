/* ldrrelexe.c - t_ldr's helper: an EXE whose preferred base (0x7FFD0000, see Makefile.inc) is
 * taken by the PEB and the shared user data page, so the kernel maps it elsewhere and the loader
 * must relocate the EXE itself before binding its imports. Ends with 0x600D if all is well. */
#include "dll/ldrtest.h"

#define LDRRELEXE_BASE 0x7FFD0000u

static LONG Value = 0x4321;
/* Makes the image reach past 0x7FFE0000 (KUSER_SHARED_DATA): it cannot be at its base. */
static volatile UCHAR Padding[0x20000];
LONG *ValuePointer = &Value;

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    PLDR_DATA_TABLE_ENTRY exe = NULL;
    PVOID here = (PVOID)NtProcessStartup;
    Padding[sizeof(Padding) - 1] = 1;
    if (!NT_SUCCESS(LdrFindEntryForAddress(here, &exe)) || exe->DllBase != Peb->ImageBaseAddress) return 0xBAD1;
    if ((ULONG_PTR)exe->DllBase == LDRRELEXE_BASE) return 0xBAD2;     /* not moved: no test */
    if (!(exe->Flags & LDRP_IMAGE_NOT_AT_BASE)) return 0xBAD3;
    if (ValuePointer != &Value || *ValuePointer != 0x4321) return 0xBAD4;
    if (LdrAValue() != LDRA_VALUE || LdrAOrdinal() != LDRA_ORDINAL_VALUE) return 0xBAD5;
    return 0x600D;
}
