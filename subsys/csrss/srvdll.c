/*
 * srvdll.c - the server DLLs: csrss's own API table (index 0) and basesrv.dll, consrv.dll,
 * loaded from System32 with LdrLoadDll; each DLL's CsrServerDllInitialization export fills in
 * its CSR_SERVER_DLL (index, API table, hooks).
 */
#include "csrssp.h"

CSR_SERVER_DLL CsrServerDlls[CSR_SERVER_DLL_MAX];

const CSR_SERVER_SERVICES CsrServices = {
    CsrValidateMessageBuffer,
    CsrReply,
    CsrFindProcess,
};

/* CsrpClientConnect: the caller's connection data for one server DLL's ClientConnect hook. */
static NTSTATUS NTAPI CsrSrvClientConnect(PCSR_API_CALL Call)
{
    PCSR_CLIENT_CONNECT_MSG m = &Call->Message.Data.ClientConnect;
    ULONG index = m->ServerDllIndex, length = m->ConnectionInfoLength;
    if (index >= CSR_SERVER_DLL_MAX || length > CSR_MAX_CONNECTION_INFO ||
        !CsrValidateMessageBuffer(Call, m->ConnectionInfo, length, 1))
        return STATUS_INVALID_PARAMETER;
    PCSR_SERVER_DLL dll = &CsrServerDlls[index];
    if (dll->ApiTable == NULL) return STATUS_INVALID_PARAMETER;
    if (dll->ClientConnect == NULL) { m->ConnectionInfoLength = 0; return STATUS_SUCCESS; }
    /* A private copy: the client could change its port memory while the hook reads it. */
    UCHAR info[CSR_MAX_CONNECTION_INFO];
    RtlCopyMemory(info, m->ConnectionInfo, length);
    ULONG back = length;
    NTSTATUS status = dll->ClientConnect(Call->Process, info, &back);
    if (back > length) back = length;
    if (NT_SUCCESS(status)) RtlCopyMemory(m->ConnectionInfo, info, back);
    m->ConnectionInfoLength = NT_SUCCESS(status) ? back : 0;
    return status;
}

static const PCSR_API_ROUTINE CsrSrvApiTable[CsrpMaxApiNumber] = { CsrSrvClientConnect };
static const PCSTR CsrSrvApiNames[CsrpMaxApiNumber] = { "ClientConnect" };

static NTSTATUS CsrLoadServerDll(PCWSTR Name)
{
    UNICODE_STRING dllName;
    ANSI_STRING initName;
    PVOID base, routine;
    RtlInitUnicodeString(&dllName, Name);
    NTSTATUS status = LdrLoadDll(NULL, NULL, &dllName, &base);
    if (!NT_SUCCESS(status)) return status;
    RtlInitAnsiString(&initName, CSR_SERVER_DLL_INIT_NAME);
    status = LdrGetProcedureAddress(base, &initName, 0, &routine);
    if (!NT_SUCCESS(status)) return status;
    CSR_SERVER_DLL dll;
    RtlZeroMemory(&dll, sizeof(dll));
    dll.Length = sizeof(dll);
    dll.Services = &CsrServices;
    status = ((PCSR_SERVER_DLL_INIT_ROUTINE)routine)(&dll);
    if (!NT_SUCCESS(status)) return status;
    ULONG index = dll.ServerDllIndex;
    if (index == CSRSRV_SERVERDLL_INDEX || index >= CSR_SERVER_DLL_MAX || CsrServerDlls[index].ApiTable ||
        dll.ApiTable == NULL)
        return STATUS_INVALID_IMAGE_FORMAT;      /* a DLL claiming a taken or impossible index */
    CsrServerDlls[index] = dll;
    return STATUS_SUCCESS;
}

NTSTATUS CsrInitializeServerDlls(VOID)
{
    static const PCWSTR dlls[] = { u"basesrv.dll", u"consrv.dll" };
    static const PCSTR names[] = { "basesrv.dll", "consrv.dll" };
    PCSR_SERVER_DLL own = &CsrServerDlls[CSRSRV_SERVERDLL_INDEX];
    own->Length = sizeof(*own);
    own->Services = &CsrServices;
    own->ServerDllIndex = CSRSRV_SERVERDLL_INDEX;
    own->ApiCount = CsrpMaxApiNumber;
    own->ApiTable = CsrSrvApiTable;
    own->ApiNames = CsrSrvApiNames;
    for (ULONG i = 0; i < ARRAYSIZE(dlls); i++) {
        NTSTATUS status = CsrLoadServerDll(dlls[i]);
        if (!NT_SUCCESS(status)) {
            DbgPrint("CSRSS: server DLL %s: status 0x%08lx\n", names[i], (unsigned long)status);
            return status;
        }
    }
    return STATUS_SUCCESS;
}
