/* ldra.c - loader test DLL: an export by name and one by ordinal only; logs as 'A'. */
#include "ldrtest.h"

LONG LdrAValue(void)
{
    return LDRA_VALUE;
}

LONG LdrAOrdinal(void)
{
    return LDRA_ORDINAL_VALUE;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('A', Reason);
    return TRUE;
}
