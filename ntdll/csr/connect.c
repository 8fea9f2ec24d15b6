/*
 * connect.c - CsrClientConnectToServer and CsrGetProcessId: the process's connection to csrss.
 * The first call makes the port memory (a 64 KiB section, mapped here and in csrss by
 * NtConnectPort's client view) and connects to <ObjectDirectory>\ApiPort; every call with
 * connection data then hands it to the named server DLL through csrss's CsrpClientConnect API.
 */
#include "csrp.h"

HANDLE CsrpPortHandle;
PCHAR CsrpPortMemory;
SIZE_T CsrpPortMemorySize;
LONG_PTR CsrpPortMemoryDelta;
HANDLE CsrpServerProcessId;
static RTL_CRITICAL_SECTION CsrpConnectLock = RTL_CRITICAL_SECTION_INIT;

/* csrss itself must not connect to its own port (its one server thread would wait for itself):
 * it is recognized by its image name, as there is one csrss.exe. */
static BOOLEAN CsrpIsServerProcess(VOID)
{
    static const WCHAR name[] = u"csrss.exe";
    const ULONG chars = ARRAYSIZE(name) - 1;
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    if (params == NULL || params->ImagePathName.Buffer == NULL) return FALSE;
    ULONG length = params->ImagePathName.Length / sizeof(WCHAR);
    if (length < chars) return FALSE;
    PCWSTR tail = params->ImagePathName.Buffer + length - chars;
    if (length > chars && tail[-1] != u'\\') return FALSE;
    for (ULONG i = 0; i < chars; i++) {
        WCHAR c = tail[i];
        if (c >= u'A' && c <= u'Z') c = (WCHAR)(c + 32);
        if (c != name[i]) return FALSE;
    }
    return TRUE;
}

/* "<ObjectDirectory>\ApiPort" into Buffer. */
static NTSTATUS CsrpPortName(PWSTR ObjectDirectory, PWCHAR Buffer, ULONG Chars)
{
    static const WCHAR port[] = u"\\ApiPort";
    PCWSTR dir = ObjectDirectory ? ObjectDirectory : (PCWSTR)CSR_OBJECT_DIRECTORY;
    ULONG n = 0;
    for (; dir[n]; n++) {
        if (n + ARRAYSIZE(port) >= Chars) return STATUS_OBJECT_NAME_INVALID;
        Buffer[n] = dir[n];
    }
    RtlCopyMemory(&Buffer[n], port, sizeof(port));
    return STATUS_SUCCESS;
}

/* The one connection: section, NtConnectPort with it as our view, the globals. */
static NTSTATUS CsrpConnectApiPort(PWSTR ObjectDirectory)
{
    WCHAR nameBuffer[64];
    UNICODE_STRING name;
    HANDLE section;
    NTSTATUS status = CsrpPortName(ObjectDirectory, nameBuffer, ARRAYSIZE(nameBuffer));
    if (!NT_SUCCESS(status)) return status;
    RtlInitUnicodeString(&name, nameBuffer);
    LARGE_INTEGER size = { .QuadPart = CSR_PORT_MEMORY_SIZE };
    status = NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL);
    if (!NT_SUCCESS(status)) return status;
    PORT_VIEW view = { sizeof(PORT_VIEW), section, 0, CSR_PORT_MEMORY_SIZE, NULL, NULL };
    CSR_CONNECTION_INFO info = { CSR_VERSION, 0, NULL };
    ULONG infoLength = sizeof(info);
    HANDLE port;
    status = NtConnectPort(&port, &name, NULL, &view, NULL, NULL, &info, &infoLength);
    NtClose(section);                            /* the two views keep it */
    if (!NT_SUCCESS(status)) return status;
    CsrpPortMemory = view.ViewBase;
    CsrpPortMemorySize = view.ViewSize;
    CsrpPortMemoryDelta = (LONG_PTR)view.ViewRemoteBase - (LONG_PTR)view.ViewBase;
    CsrpServerProcessId = infoLength >= sizeof(info) ? (HANDLE)(ULONG_PTR)info.ServerProcessId : NULL;
    CsrpInitializeCaptureHeap(view.ViewBase, view.ViewSize);
    CsrpPortHandle = port;                        /* last: callers test it without the lock */
    return STATUS_SUCCESS;
}

/* CsrpClientConnect: the connection data to one server DLL, and what it sends back. */
static NTSTATUS CsrpSendConnectionInfo(ULONG ServerDllIndex, PVOID Info, PULONG Length)
{
    ULONG length = *Length;
    if (length > CSR_MAX_CONNECTION_INFO) return STATUS_INVALID_PARAMETER;
    PCSR_CAPTURE_BUFFER capture = CsrAllocateCaptureBuffer(1, length);
    if (capture == NULL) return STATUS_NO_MEMORY;
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.ClientConnect.ServerDllIndex = ServerDllIndex;
    m.Data.ClientConnect.ConnectionInfoLength = length;
    CsrCaptureMessageBuffer(capture, Info, length, &m.Data.ClientConnect.ConnectionInfo);
    NTSTATUS status = CsrClientCallServer(&m, capture, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpClientConnect),
                                          sizeof(CSR_CLIENT_CONNECT_MSG));
    if (NT_SUCCESS(status)) {
        ULONG back = m.Data.ClientConnect.ConnectionInfoLength;
        if (back > length) back = length;
        RtlCopyMemory(Info, m.Data.ClientConnect.ConnectionInfo, back);
        *Length = back;
    }
    CsrFreeCaptureBuffer(capture);
    return status;
}

NTSTATUS NTAPI CsrClientConnectToServer(PWSTR ObjectDirectory, ULONG ServerDllIndex, PVOID ConnectionInformation,
                                        PULONG ConnectionInformationLength, PBOOLEAN CalledByServer)
{
    if (CalledByServer) *CalledByServer = FALSE;
    if (ServerDllIndex >= CSR_SERVER_DLL_MAX) return STATUS_INVALID_PARAMETER;
    if (CsrpIsServerProcess()) {
        if (CalledByServer) *CalledByServer = TRUE;
        return STATUS_SUCCESS;
    }
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&CsrpConnectLock);
    if (CsrpPortHandle == NULL) status = CsrpConnectApiPort(ObjectDirectory);
    RtlLeaveCriticalSection(&CsrpConnectLock);
    if (!NT_SUCCESS(status)) return status;
    if (ConnectionInformation && ConnectionInformationLength && *ConnectionInformationLength)
        status = CsrpSendConnectionInfo(ServerDllIndex, ConnectionInformation, ConnectionInformationLength);
    return status;
}

HANDLE NTAPI CsrGetProcessId(VOID)
{
    return CsrpServerProcessId;
}
