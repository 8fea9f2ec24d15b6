/* ldrrel2.c - loader test DLL sharing its preferred base with ldrrel1: whichever loads
 * second is relocated, and its global pointer must still point at its own global. */
#include "ldrtest.h"

static LONG Value = LDRREL2_VALUE;
LONG *ValuePointer = &Value;

LONG LdrRel2Get(void)
{
    return *ValuePointer;
}

BOOLEAN LdrRel2PointerOk(void)
{
    return ValuePointer == &Value;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    return TRUE;
}
