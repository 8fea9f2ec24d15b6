/*
 * process.c - csrss's client processes: a CSR_PROCESS per accepted connection to the ApiPort
 * (the port context of every message that client sends), made at LPC_CONNECTION_REQUEST and
 * destroyed at LPC_PORT_CLOSED / LPC_CLIENT_DIED after every server DLL's Disconnect hook.
 * Only the server thread touches the list.
 */
#include "csrssp.h"

static LIST_ENTRY CsrProcessList = { &CsrProcessList, &CsrProcessList };

/* The record a port context names, if it is a live one (a stale or forged context is NULL). */
PCSR_PROCESS CsrValidateContext(PVOID PortContext)
{
    for (PLIST_ENTRY e = CsrProcessList.Flink; e != &CsrProcessList; e = e->Flink)
        if (CONTAINING_RECORD(e, CSR_PROCESS, Links) == PortContext) return PortContext;
    return NULL;
}

PCSR_PROCESS NTAPI CsrFindProcess(HANDLE UniqueProcess)
{
    for (PLIST_ENTRY e = CsrProcessList.Flink; e != &CsrProcessList; e = e->Flink) {
        PCSR_PROCESS p = CONTAINING_RECORD(e, CSR_PROCESS, Links);
        if (p->ClientId.UniqueProcess == UniqueProcess) return p;
    }
    return NULL;
}

static VOID CsrFreeProcess(PCSR_PROCESS Process)
{
    if (Process->ClientPort) NtClose(Process->ClientPort);
    if (Process->ProcessHandle) NtClose(Process->ProcessHandle);
    RtlFreeHeap(RtlProcessHeap(), 0, Process);
}

/* A new record with csrss's handle to the connecting process, or NULL. */
static PCSR_PROCESS CsrCreateProcessRecord(PCLIENT_ID ClientId)
{
    OBJECT_ATTRIBUTES oa;
    CLIENT_ID cid = { ClientId->UniqueProcess, NULL };
    PCSR_PROCESS process = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*process));
    if (process == NULL) return NULL;
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    NTSTATUS status = NtOpenProcess(&process->ProcessHandle, PROCESS_ALL_ACCESS, &oa, &cid);
    if (!NT_SUCCESS(status)) {
        DbgPrint("CSRSS: cannot open client process %lu: status 0x%08lx\n",
                 (unsigned long)(ULONG_PTR)cid.UniqueProcess, (unsigned long)status);
        RtlFreeHeap(RtlProcessHeap(), 0, process);
        return NULL;
    }
    process->ClientId = *ClientId;
    return process;
}

/* Every server DLL's NewProcess hook; the first failure refuses the client. */
static NTSTATUS CsrNotifyNewProcess(PCSR_PROCESS Process)
{
    for (ULONG i = 0; i < CSR_SERVER_DLL_MAX; i++) {
        PCSR_SERVER_DLL dll = &CsrServerDlls[i];
        if (dll->ApiTable == NULL || dll->NewProcess == NULL) continue;
        NTSTATUS status = dll->NewProcess(Process);
        if (!NT_SUCCESS(status)) return status;
    }
    return STATUS_SUCCESS;
}

static VOID CsrNotifyDisconnect(PCSR_PROCESS Process)
{
    for (ULONG i = CSR_SERVER_DLL_MAX; i-- > 0;) {
        PCSR_SERVER_DLL dll = &CsrServerDlls[i];
        if (dll->ApiTable && dll->Disconnect) dll->Disconnect(Process);
    }
}

/* LPC_CONNECTION_REQUEST: the data is a CSR_CONNECTION_INFO of our version. Accepted clients
 * get csrss's pid back and their port memory mapped here (the client view). */
VOID CsrHandleConnectionRequest(PCSR_API_MESSAGE Message)
{
    PCSR_CONNECTION_INFO info = (PCSR_CONNECTION_INFO)(&Message->Header + 1);
    BOOLEAN accept = Message->Header.u1.s1.DataLength >= (CSHORT)sizeof(*info) && info->Version == CSR_VERSION;
    PCSR_PROCESS process = accept ? CsrCreateProcessRecord(&Message->Header.ClientId) : NULL;
    accept = process != NULL;
    if (accept && CsrFindProcess(process->ClientId.UniqueProcess)) accept = FALSE;   /* one per process */
    info->ServerProcessId = (ULONG)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
    info->Reserved = NULL;
    Message->Header.u1.s1.DataLength = sizeof(*info);
    Message->Header.u1.s1.TotalLength = sizeof(PORT_MESSAGE) + sizeof(*info);
    REMOTE_PORT_VIEW clientView = { sizeof(REMOTE_PORT_VIEW), 0, NULL };
    HANDLE port = NULL;
    NTSTATUS status = NtAcceptConnectPort(&port, process, &Message->Header, accept, NULL, &clientView);
    if (!accept || !NT_SUCCESS(status)) {
        if (port) NtClose(port);
        if (process) CsrFreeProcess(process);
        return;
    }
    process->ClientPort = port;
    process->ViewBase = clientView.ViewBase;
    process->ViewSize = clientView.ViewBase ? clientView.ViewSize : 0;
    InsertTailList(&CsrProcessList, &process->Links);
    status = CsrNotifyNewProcess(process);
    if (NT_SUCCESS(status)) status = NtCompleteConnectPort(port);
    if (!NT_SUCCESS(status)) {
        DbgPrint("CSRSS: client %lu not connected: status 0x%08lx\n",
                 (unsigned long)(ULONG_PTR)process->ClientId.UniqueProcess, (unsigned long)status);
        CsrHandleProcessGone(process);
    }
}

/* The client's port closed (it closed it, or died): forget it everywhere. */
VOID CsrHandleProcessGone(PVOID PortContext)
{
    PCSR_PROCESS process = CsrValidateContext(PortContext);
    if (process == NULL) return;                 /* already gone (PORT_CLOSED after CLIENT_DIED) */
    RemoveEntryList(&process->Links);
    CsrNotifyDisconnect(process);
    CsrFreeProcess(process);
}
