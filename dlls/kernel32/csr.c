/*
 * csr.c - kernel32's link to csrss's base server (basesrv): the connection made at process start
 * and the process notifications (a process was created, the caller is exiting). The wire format
 * is subsys/include/csrmsg.h; ntdll's Csr* routines carry the messages.
 */
#include "k32p.h"
#include "ntcsr.h"

BOOL BaseCsrConnected;
BOOL BaseRunningInServer;

/* Connects to \Windows\ApiPort and introduces the process to basesrv. */
BOOL BaseCsrConnect(VOID)
{
    BASESRV_CONNECTION_INFO info = { BASESRV_VERSION, 0 };
    ULONG length = sizeof(info);
    BOOLEAN byServer = FALSE;
    NTSTATUS status = CsrClientConnectToServer((PWSTR)CSR_OBJECT_DIRECTORY, BASESRV_SERVERDLL_INDEX, &info, &length,
                                               &byServer);
    if (!NT_SUCCESS(status)) {
        DbgPrint("kernel32: cannot connect to the Win32 subsystem (csrss): status 0x%08lx\n", (unsigned long)status);
        return FALSE;
    }
    BaseRunningInServer = byServer;
    BaseCsrConnected = TRUE;
    return TRUE;
}

VOID BaseCsrNotifyProcessCreated(HANDLE Process, HANDLE Thread, DWORD ProcessId, DWORD ThreadId, DWORD Flags)
{
    if (!BaseCsrConnected) return;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.CreateProcess.ProcessHandle = Process;
    m.Data.CreateProcess.ThreadHandle = Thread;
    m.Data.CreateProcess.ClientId.UniqueProcess = (HANDLE)(ULONG_PTR)ProcessId;
    m.Data.CreateProcess.ClientId.UniqueThread = (HANDLE)(ULONG_PTR)ThreadId;
    m.Data.CreateProcess.CreationFlags = Flags;
    CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateProcess),
                        CSR_API_ARGUMENT_SIZE(BASE_CREATE_PROCESS_MSG));
}

VOID BaseCsrNotifyThreadCreated(HANDLE Thread, const CLIENT_ID *ClientId)
{
    if (!BaseCsrConnected || BaseRunningInServer) return;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.CreateThread.ThreadHandle = Thread;
    m.Data.CreateThread.ClientId = *ClientId;
    CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateThread),
                        CSR_API_ARGUMENT_SIZE(BASE_CREATE_THREAD_MSG));
}

VOID BaseCsrNotifyExitProcess(UINT ExitCode)
{
    if (!BaseCsrConnected || BaseRunningInServer) return;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ExitProcess.ExitCode = ExitCode;
    CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepExitProcess),
                        CSR_API_ARGUMENT_SIZE(BASE_EXIT_PROCESS_MSG));
}
