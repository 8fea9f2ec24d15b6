/*
 * init.c - csrss.exe's start: the \Windows directory and its ApiPort, the server DLLs, the
 * "ready" event smss waits for, then the server loop. A step that fails ends csrss with its
 * status (smss, waiting on csrss, reports it and shuts the system down).
 */
#include "csrssp.h"

HANDLE CsrApiPort;
static HANDLE CsrObjectDirectory;                /* kept open: the directory lives with it */

static NTSTATUS CsrCreateObjectDirectory(VOID)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, CSR_OBJECT_DIRECTORY);
    InitializeObjectAttributes(&oa, &name, OBJ_OPENIF | OBJ_PERMANENT, NULL, NULL);
    return NtCreateDirectoryObject(&CsrObjectDirectory, DIRECTORY_ALL_ACCESS, &oa);
}

static NTSTATUS CsrCreateApiPort(VOID)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    return NtCreatePort(&CsrApiPort, &oa, sizeof(CSR_CONNECTION_INFO), sizeof(CSR_API_MESSAGE), 0);
}

/* smss made the event before starting us (we open it if so; else create it). */
static NTSTATUS CsrSignalReady(VOID)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE event;
    RtlInitUnicodeString(&name, CSR_READY_EVENT_NAME);
    InitializeObjectAttributes(&oa, &name, OBJ_OPENIF, NULL, NULL);
    NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE);
    if (!NT_SUCCESS(status)) return status;
    status = NtSetEvent(event, NULL);
    NtClose(event);
    return status;
}

static NTSTATUS CsrFail(PCSTR Step, NTSTATUS Status)
{
    DbgPrint("CSRSS: %s failed: status 0x%08lx\n", Step, (unsigned long)Status);
    NtTerminateProcess(NtCurrentProcess(), Status);
    return Status;
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    NTSTATUS status = CsrCreateObjectDirectory();
    if (!NT_SUCCESS(status)) return CsrFail("creating \\Windows", status);
    status = CsrCreateApiPort();
    if (!NT_SUCCESS(status)) return CsrFail("creating \\Windows\\ApiPort", status);
    status = CsrInitializeServerDlls();
    if (!NT_SUCCESS(status)) return CsrFail("loading the server DLLs", status);
    status = CsrSignalReady();
    if (!NT_SUCCESS(status)) return CsrFail("signalling CsrssReady", status);
    DbgPrint("CSRSS: serving \\Windows\\ApiPort\n");
    status = CsrServeRequests();
    return CsrFail("the server loop", status);
}
