/* ldrrel1.c - loader test DLL sharing its preferred base with ldrrel2: whichever loads
 * second is relocated, and its global pointer must still point at its own global. */
#include "ldrtest.h"

static LONG Value = LDRREL1_VALUE;
LONG *ValuePointer = &Value;

LONG LdrRel1Get(void)
{
    return *ValuePointer;
}

BOOLEAN LdrRel1PointerOk(void)
{
    return ValuePointer == &Value;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    return TRUE;
}
