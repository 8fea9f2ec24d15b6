/* ldrlog.c - the loader tests' event log: every test DLL's DllMain appends "<letter><reason>". */
#include "ldrtest.h"

static CHAR Log[512];
static ULONG LogLength;

void LdrLogEvent(CHAR Who, ULONG Reason)
{
    if (LogLength + 3 > sizeof(Log)) return;
    Log[LogLength++] = Who;
    Log[LogLength++] = (CHAR)('0' + Reason);
    Log[LogLength] = 0;
}

PCSTR LdrLogText(void)
{
    return Log;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('L', Reason);
    return TRUE;
}
