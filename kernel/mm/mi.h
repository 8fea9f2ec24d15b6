/* mi.h - memory manager internals shared by the files of kernel/mm. */
#ifndef MI_H
#define MI_H

#include "mm.h"

enum { MMPFN_NOT_RAM = 0, MMPFN_FREE, MMPFN_ACTIVE, MMPFN_BOOT };

/* One entry per physical page up to MmHighestPhysicalPage: the PFN database. */
typedef struct _MMPFN {
    PFN_NUMBER NextFree;        /* free list link; 0 ends the list (page 0 is never free) */
    USHORT ReferenceCount;
    UCHAR State;                /* MMPFN_* */
    UCHAR Reserved;
} MMPFN, *PMMPFN;

extern PMMPFN MmPfnDatabase;
extern BOOLEAN MiPagingReady;   /* the self-mapped page tables are live */

VOID MiInitializePfnDatabase(PLOADER_PARAMETER_BLOCK LoaderBlock, ULONG EarlyStart, ULONG EarlyEnd);

#endif
