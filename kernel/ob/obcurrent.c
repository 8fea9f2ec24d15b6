/*
 * obcurrent.c - which handle table is "the current process's": the running thread's process's
 * table once the process layer exists, and before that the system table made at initialisation
 * (which then becomes the system process's). A process whose last thread is exiting has no
 * table any more: its handles are gone, and so is anything that would use them.
 */
#include "obp.h"
#include "ps.h"

static PHANDLE_TABLE ObpSystemHandleTable;

PHANDLE_TABLE ObpCreateSystemHandleTable(VOID)
{
    ObpSystemHandleTable = ObpAllocateHandleTable(0);
    return ObpSystemHandleTable;
}

PHANDLE_TABLE ObGetCurrentHandleTable(VOID)
{
    if (PsInitialSystemProcess == NULL) return ObpSystemHandleTable;
    return PsGetCurrentProcess()->ObjectTable;
}
