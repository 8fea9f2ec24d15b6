/* ldrexit.c - loader test DLL for process exit: at DLL_PROCESS_DETACH (process ending: Context
 * non-NULL) it signals \BaseNamedObjects\NanoNTLdrTestDetach, but only if ldrlog, which it
 * imports, has not been detached before it (reverse initialization order). */
#include "ldrtest.h"

LONG LdrExitValue(void);

LONG LdrExitValue(void)
{
    return 0xE0;
}

static BOOLEAN DependencyDetached(VOID)
{
    PCSTR log = LdrLogText();
    for (; log[0]; log += 2)
        if (log[0] == 'L' && log[1] == '0') return TRUE;
    return FALSE;
}

static VOID SignalDetach(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\BaseNamedObjects\\NanoNTLdrTestDetach");
    OBJECT_ATTRIBUTES oa;
    HANDLE event;
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    if (!NT_SUCCESS(NtOpenEvent(&event, EVENT_MODIFY_STATE, &oa))) return;
    NtSetEvent(event, NULL);
    NtClose(event);
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('E', Reason);
    if (Reason == DLL_PROCESS_DETACH && Context != NULL && !DependencyDetached()) SignalDetach();
    return TRUE;
}
