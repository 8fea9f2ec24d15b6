/* ldrfail.c - loader test DLL whose DllMain refuses DLL_PROCESS_ATTACH; logs 'F'. */
#include "ldrtest.h"

LONG LdrFailValue(void);

LONG LdrFailValue(void)
{
    return 0xFA;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('F', Reason);
    return Reason != DLL_PROCESS_ATTACH;
}
