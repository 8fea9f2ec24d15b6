/*
 * init.c - basesrv.dll's entry points: DllMain and CsrServerDllInitialization, which hands
 * csrss the API table (BASESRV_API_NUMBER order) and the process hooks.
 */
#include "basesrvp.h"

const CSR_SERVER_SERVICES *BaseServices;

static const PCSR_API_ROUTINE BaseApiTable[BasepMaxApiNumber] = {
    [BasepCreateProcess] = BaseSrvCreateProcess,
    [BasepCreateThread] = BaseSrvCreateThread,
    [BasepExitProcess] = BaseSrvExitProcess,
    [BasepGetProcessList] = BaseSrvGetProcessList,
};
static const PCSTR BaseApiNames[BasepMaxApiNumber] = {
    "CreateProcess", "CreateThread", "ExitProcess", "GetProcessList",
};

__declspec(dllexport) NTSTATUS NTAPI CsrServerDllInitialization(PCSR_SERVER_DLL ServerDll)
{
    if (ServerDll == NULL || ServerDll->Length < sizeof(CSR_SERVER_DLL) || ServerDll->Services == NULL)
        return STATUS_INVALID_PARAMETER;
    BaseServices = ServerDll->Services;
    ServerDll->ServerDllIndex = BASESRV_SERVERDLL_INDEX;
    ServerDll->ApiCount = BasepMaxApiNumber;
    ServerDll->ApiTable = BaseApiTable;
    ServerDll->ApiNames = BaseApiNames;
    ServerDll->NewProcess = BaseNewProcess;
    ServerDll->ClientConnect = BaseClientConnect;
    ServerDll->Disconnect = BaseDisconnect;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI DllMain(PVOID Module, ULONG Reason, PVOID Reserved)
{
    UNREFERENCED_PARAMETER(Module);
    UNREFERENCED_PARAMETER(Reason);
    UNREFERENCED_PARAMETER(Reserved);
    return TRUE;
}
