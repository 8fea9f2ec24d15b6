/*
 * dllmain.c - kernel32's entry point. At DLL_PROCESS_ATTACH: the TLS bitmap and the ANSI command
 * line, then, for a Windows (CUI or GUI) program, the connection to csrss and the console (the
 * parent's, a new one for a console program, or none) with the standard handles. Returning
 * FALSE when csrss is absent makes the loader end the process with STATUS_DLL_INIT_FAILED: a
 * Win32 program cannot run without its subsystem. Native images that load kernel32 (none
 * should) get no csrss link.
 */
#include "k32p.h"

HMODULE BaseDllHandle;

static BOOL BaseProcessAttach(HANDLE Module)
{
    PPEB peb = NtCurrentPeb();
    BaseDllHandle = Module;
    BaseInitializeTls();
    BaseInitializeEnvironment();
    BaseInitializeCtrl();
    ULONG subsystem = peb->ImageSubsystem;
    BOOL console = subsystem == IMAGE_SUBSYSTEM_WINDOWS_CUI;
    if (!console && subsystem != IMAGE_SUBSYSTEM_WINDOWS_GUI) return TRUE;
    if (!BaseCsrConnect()) return FALSE;
    if (BaseRunningInServer) return TRUE;
    return BaseConsoleInitialize(BaseParams(), console);
}

BOOL WINAPI DllMain(HANDLE hDll, DWORD dwReason, LPVOID lpReserved);
BOOL WINAPI DllMain(HANDLE hDll, DWORD dwReason, LPVOID lpReserved)
{
    switch (dwReason) {
    case DLL_PROCESS_ATTACH: return BaseProcessAttach(hDll);
    default: return TRUE;
    }
}
