/* ldrdep.c - loader test DLL imported only by ldrdyn: it must come and go with it; logs 'P'. */
#include "ldrtest.h"

LONG LdrDepValue(void);

LONG LdrDepValue(void)
{
    return LDRDEP_VALUE;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('P', Reason);
    return TRUE;
}
