/*
 * proclist.c - the Win32 process list: one record per process that csrss heard of, from a
 * CreateProcess notification (its parent's kernel32) or from its own connection to csrss, until
 * it ends (ExitProcess, its port closing, or - for a process that never connected - its
 * process object signalled, noticed when the list is read). Records hold csrss's own handle to
 * the process, so a pid is not reused while it is listed. csrss's single server thread is the
 * only caller.
 */
#include "basesrvp.h"

#define BASE_MAX_PROCESSES 64

typedef struct _BASE_PROCESS {
    HANDLE UniqueProcess;                 /* NULL: a free slot */
    HANDLE ProcessHandle;                 /* csrss's */
} BASE_PROCESS;

static BASE_PROCESS BaseProcesses[BASE_MAX_PROCESSES];

static BASE_PROCESS *BaseFind(HANDLE UniqueProcess)
{
    for (ULONG i = 0; i < BASE_MAX_PROCESSES; i++)
        if (BaseProcesses[i].UniqueProcess && BaseProcesses[i].UniqueProcess == UniqueProcess)
            return &BaseProcesses[i];
    return NULL;
}

static VOID BaseRemove(BASE_PROCESS *Record)
{
    if (Record == NULL) return;
    NtClose(Record->ProcessHandle);
    Record->UniqueProcess = NULL;
    Record->ProcessHandle = NULL;
}

/* Adds a process (csrss's handle is taken over, or closed if the process is already listed). */
static NTSTATUS BaseAdd(HANDLE UniqueProcess, HANDLE ProcessHandle)
{
    if (BaseFind(UniqueProcess)) { NtClose(ProcessHandle); return STATUS_SUCCESS; }
    for (ULONG i = 0; i < BASE_MAX_PROCESSES; i++) {
        if (BaseProcesses[i].UniqueProcess) continue;
        BaseProcesses[i].UniqueProcess = UniqueProcess;
        BaseProcesses[i].ProcessHandle = ProcessHandle;
        return STATUS_SUCCESS;
    }
    NtClose(ProcessHandle);
    return STATUS_NO_MEMORY;
}

/* Drops the records of processes that have ended. */
static VOID BasePrune(VOID)
{
    LARGE_INTEGER now = { .QuadPart = 0 };
    for (ULONG i = 0; i < BASE_MAX_PROCESSES; i++)
        if (BaseProcesses[i].UniqueProcess &&
            NtWaitForSingleObject(BaseProcesses[i].ProcessHandle, FALSE, &now) == STATUS_SUCCESS)
            BaseRemove(&BaseProcesses[i]);
}

/* A handle of the caller's, duplicated into csrss (same access). */
static NTSTATUS BaseDuplicateFromClient(PCSR_PROCESS Client, HANDLE Handle, PHANDLE Ours)
{
    *Ours = NULL;
    return NtDuplicateObject(Client->ProcessHandle, Handle, NtCurrentProcess(), Ours, 0, 0, DUPLICATE_SAME_ACCESS);
}

NTSTATUS NTAPI BaseNewProcess(PCSR_PROCESS Process)
{
    HANDLE ours;
    NTSTATUS status = NtDuplicateObject(NtCurrentProcess(), Process->ProcessHandle, NtCurrentProcess(), &ours, 0, 0,
                                        DUPLICATE_SAME_ACCESS);
    if (!NT_SUCCESS(status)) return status;
    BasePrune();
    return BaseAdd(Process->ClientId.UniqueProcess, ours);
}

NTSTATUS NTAPI BaseClientConnect(PCSR_PROCESS Process, PVOID ConnectionInfo, PULONG Length)
{
    UNREFERENCED_PARAMETER(Process);
    PBASESRV_CONNECTION_INFO info = ConnectionInfo;
    if (*Length < sizeof(*info) || info->ExpectedVersion != BASESRV_VERSION) return STATUS_INVALID_PARAMETER;
    info->ServerProcessId = (ULONG)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
    *Length = sizeof(*info);
    return STATUS_SUCCESS;
}

VOID NTAPI BaseDisconnect(PCSR_PROCESS Process)
{
    BaseRemove(BaseFind(Process->ClientId.UniqueProcess));
}

/* csrss's own handle to a process (full access: it must be able to wait on it). */
static NTSTATUS BaseOpenProcess(HANDLE UniqueProcess, PHANDLE Process)
{
    OBJECT_ATTRIBUTES oa;
    CLIENT_ID cid = { UniqueProcess, NULL };
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    return NtOpenProcess(Process, PROCESS_ALL_ACCESS, &oa, &cid);
}

/* BasepCreateProcess: the parent's handles must name the process its ClientId says (the
 * parent proves it made the process by holding them). */
NTSTATUS NTAPI BaseSrvCreateProcess(PCSR_API_CALL Call)
{
    PBASE_CREATE_PROCESS_MSG m = &Call->Message.Data.CreateProcess;
    HANDLE given, thread, process;
    NTSTATUS status = BaseDuplicateFromClient(Call->Process, m->ProcessHandle, &given);
    if (!NT_SUCCESS(status)) return status;
    PROCESS_BASIC_INFORMATION basic;
    status = NtQueryInformationProcess(given, ProcessBasicInformation, &basic, sizeof(basic), NULL);
    NtClose(given);
    if (NT_SUCCESS(status) && (HANDLE)basic.UniqueProcessId != m->ClientId.UniqueProcess)
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status) && m->ThreadHandle) {
        status = BaseDuplicateFromClient(Call->Process, m->ThreadHandle, &thread);
        if (NT_SUCCESS(status)) NtClose(thread);
    }
    if (NT_SUCCESS(status)) status = BaseOpenProcess(m->ClientId.UniqueProcess, &process);
    if (!NT_SUCCESS(status)) return status;
    BasePrune();
    return BaseAdd(m->ClientId.UniqueProcess, process);
}

/* BasepCreateThread: nothing is kept per thread yet; the handle must be a real one. */
NTSTATUS NTAPI BaseSrvCreateThread(PCSR_API_CALL Call)
{
    HANDLE thread;
    NTSTATUS status = BaseDuplicateFromClient(Call->Process, Call->Message.Data.CreateThread.ThreadHandle, &thread);
    if (NT_SUCCESS(status)) NtClose(thread);
    return status;
}

/* BasepExitProcess: the caller leaves the list now (it is about to end). */
NTSTATUS NTAPI BaseSrvExitProcess(PCSR_API_CALL Call)
{
    BaseRemove(BaseFind(Call->Process->ClientId.UniqueProcess));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI BaseSrvGetProcessList(PCSR_API_CALL Call)
{
    PBASE_GET_PROCESS_LIST_MSG m = &Call->Message.Data.GetProcessList;
    BasePrune();
    m->Count = m->Returned = 0;
    for (ULONG i = 0; i < BASE_MAX_PROCESSES; i++) {
        if (BaseProcesses[i].UniqueProcess == NULL) continue;
        if (m->Returned < BASE_MAX_PROCESS_LIST)
            m->ProcessIds[m->Returned++] = (ULONG)(ULONG_PTR)BaseProcesses[i].UniqueProcess;
        m->Count++;
    }
    return STATUS_SUCCESS;
}
