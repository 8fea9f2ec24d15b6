/* ldrdetach.c - t_ldr's helper: imports ldrexit.dll and returns 0x1234 from its entry point;
 * the process must end with that status (RtlUserThreadStart -> RtlExitUserThread ->
 * RtlExitUserProcess), after ldrexit's DLL_PROCESS_DETACH (which t_ldr sees as an event). */
#include "ntndk.h"

LONG LdrExitValue(void);

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    return LdrExitValue() == 0xE0 ? 0x1234 : STATUS_UNSUCCESSFUL;
}
