/* ldrb.c - loader test DLL importing ldra (so ldra's DllMain must run first); logs as 'B'. */
#include "ldrtest.h"

LONG LdrBValue(void)
{
    return LdrAValue() + 1;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('B', Reason);
    return TRUE;
}
