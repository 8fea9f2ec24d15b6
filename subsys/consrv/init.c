/*
 * init.c - consrv.dll's entry points: DllMain and CsrServerDllInitialization, which opens the
 * terminal device and hands csrss the API table (CONSRV_API_NUMBER order) and the disconnect
 * hook.
 */
#include "consrvp.h"

const CSR_SERVER_SERVICES *ConServices;
RTL_CRITICAL_SECTION ConLock = RTL_CRITICAL_SECTION_INIT;

static const PCSR_API_ROUTINE ConApiTable[ConsolepMaxApiNumber] = {
    [ConsolepAlloc] = ConSrvAllocConsole,
    [ConsolepAttach] = ConSrvAttachConsole,
    [ConsolepFree] = ConSrvFreeConsole,
    [ConsolepWriteConsole] = ConSrvWriteConsole,
    [ConsolepReadConsole] = ConSrvReadConsole,
    [ConsolepGetMode] = ConSrvGetMode,
    [ConsolepSetMode] = ConSrvSetMode,
    [ConsolepSetTitle] = ConSrvSetTitle,
    [ConsolepGetTitle] = ConSrvGetTitle,
    [ConsolepGetScreenBufferInfo] = ConSrvGetScreenBufferInfo,
    [ConsolepGenerateCtrlEvent] = ConSrvGenerateCtrlEvent,
    [ConsolepSetTextAttribute] = ConSrvSetTextAttribute,
    [ConsolepSetCursorPosition] = ConSrvSetCursorPosition,
    [ConsolepFillOutput] = ConSrvFillOutput,
    [ConsolepReadOutput] = ConSrvReadOutput,
    [ConsolepCursorInfo] = ConSrvCursorInfo,
    [ConsolepInputEvents] = ConSrvInputEvents,
};
static const PCSTR ConApiNames[ConsolepMaxApiNumber] = {
    "Alloc", "Attach", "Free", "WriteConsole", "ReadConsole", "GetMode", "SetMode", "SetTitle", "GetTitle",
    "GetScreenBufferInfo", "GenerateCtrlEvent", "SetTextAttribute", "SetCursorPosition", "FillOutput",
    "ReadOutput", "CursorInfo", "InputEvents",
};

__declspec(dllexport) NTSTATUS NTAPI CsrServerDllInitialization(PCSR_SERVER_DLL ServerDll)
{
    if (ServerDll == NULL || ServerDll->Length < sizeof(CSR_SERVER_DLL) || ServerDll->Services == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ConOpenDevice();
    if (!NT_SUCCESS(status)) return status;
    ConServices = ServerDll->Services;
    ServerDll->ServerDllIndex = CONSRV_SERVERDLL_INDEX;
    ServerDll->ApiCount = ConsolepMaxApiNumber;
    ServerDll->ApiTable = ConApiTable;
    ServerDll->ApiNames = ConApiNames;
    ServerDll->Disconnect = ConDisconnect;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI DllMain(PVOID Module, ULONG Reason, PVOID Reserved)
{
    UNREFERENCED_PARAMETER(Module);
    UNREFERENCED_PARAMETER(Reason);
    UNREFERENCED_PARAMETER(Reserved);
    return TRUE;
}
