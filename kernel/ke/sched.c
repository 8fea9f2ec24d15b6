/* sched.c - the scheduler (being written). */
#include "ki.h"

VOID KiCheckForDispatch(VOID)
{
    KeGetPcr()->DispatchPending = 0;
}
