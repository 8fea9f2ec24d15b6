/*
 * fixup.c - the kernel's exception table: where a kernel-mode fault is expected and survivable.
 *
 * NT guards every touch of user memory with structured exception handling; NanoNT keeps the few
 * instructions that touch it in assembly and lists them here with a resume address. When such an
 * instruction faults, the trap handler (trap.c) asks KiFixupKernelFault before bug checking; the
 * resume code makes the routine return STATUS_ACCESS_VIOLATION.
 */
#include "ki.h"
#include "svc.h"

extern const UCHAR KiSystemServiceCopyStart[], KiSystemServiceCopyEnd[], KiSystemServiceAccessViolation[];
extern const UCHAR KiUserCopyStart[], KiUserCopyEnd[], KiUserCopyFault[];

const KFIXUP_ENTRY KiFixupTable[] = {
    /* the dispatcher's copy of a service's arguments (sysentry.asm) */
    { (ULONG_PTR)KiSystemServiceCopyStart, (ULONG_PTR)KiSystemServiceCopyEnd,
      (ULONG_PTR)KiSystemServiceAccessViolation },
    /* KiCopyMemoryWithFixup, under KeCopyFromUser and KeCopyToUser (usercopy.c) */
    { (ULONG_PTR)KiUserCopyStart, (ULONG_PTR)KiUserCopyEnd, (ULONG_PTR)KiUserCopyFault },
};

ULONG KiFixupCount;     /* faults survived, for tests and the curious */

BOOLEAN KiFixupKernelFault(PKTRAP_FRAME Tf)
{
    if (Tf->SegCs & RPL_MASK) return FALSE;          /* user faults are the process's business */
    for (ULONG i = 0; i < ARRAYSIZE(KiFixupTable); i++) {
        if (Tf->Eip >= KiFixupTable[i].Start && Tf->Eip < KiFixupTable[i].End) {
            Tf->Eip = KiFixupTable[i].Resume;
            KiFixupCount++;
            return TRUE;
        }
    }
    return FALSE;
}
