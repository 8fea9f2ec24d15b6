/* ldrdyn.c - loader test DLL loaded only with LdrLoadDll; imports ldrdep; logs 'D'. */
#include "ldrtest.h"

LONG LdrDepValue(void);
LONG LdrDynValue(void);

LONG LdrDynValue(void)
{
    return LdrDepValue() + 1;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('D', Reason);
    return TRUE;
}
