/*
 * psinit.c - start-up of the process layer: the Process and Thread object types, the system
 * process (which adopts the threads the kernel made before it existed), and the reaper, the
 * system thread that drops a dead thread's last self-reference once it can no longer run.
 */
#include "psp.h"

POBJECT_TYPE PsProcessType, PsThreadType;
PEPROCESS PsInitialSystemProcess;
LIST_ENTRY PspActiveProcessHead = { &PspActiveProcessHead, &PspActiveProcessHead };

PEPROCESS PsGetCurrentProcess(VOID)
{
    return PspProcessOf(KeGetCurrentThread()->Process);
}

PETHREAD PsGetCurrentThread(VOID)
{
    return CONTAINING_RECORD(KeGetCurrentThread(), ETHREAD, Tcb);
}

ULONG PsActiveProcessCount(VOID)
{
    ULONG n = 0;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (PLIST_ENTRY e = PspActiveProcessHead.Flink; e != &PspActiveProcessHead; e = e->Flink) n++;
    KeLowerIrql(old);
    return n;
}

/* The system process: the boot directory, the handle table the object manager started with. */
static BOOLEAN PspCreateSystemProcess(void)
{
    PEPROCESS p;
    if (!NT_SUCCESS(ObCreateObject(KernelMode, PsProcessType, NULL, KernelMode, NULL, sizeof(EPROCESS),
                                   0, 0, (PVOID *)&p)))
        return FALSE;
    RtlZeroMemory(p, sizeof(*p));
    KeInitializeProcess(&p->Pcb, 8, KiSystemProcess.DirectoryTableBase);
    InitializeListHead(&p->ThreadListHead);
    p->ObjectTable = ObGetCurrentHandleTable();
    p->ExitStatus = STATUS_PENDING;
    KeQuerySystemTime(&p->CreateTime);
    RtlStringCopy(p->ImageFileName, sizeof(p->ImageFileName), "System");
    p->UniqueProcessId = PspCreateCid(p);
    InsertTailList(&PspActiveProcessHead, &p->ActiveProcessLinks);
    KeMoveThreadsToProcess(&KiSystemProcess, &p->Pcb);
    PsInitialSystemProcess = p;
    return p->UniqueProcessId != 0;
}

BOOLEAN PsInitSystem(VOID)
{
    if (!ExCreateObjectType(u"Process", PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                            PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE |
                                PROCESS_CREATE_PROCESS | PROCESS_SET_INFORMATION | PROCESS_SUSPEND_RESUME,
                            0, PROCESS_ALL_ACCESS, PspDeleteProcess, TRUE, &PsProcessType) ||
        !ExCreateObjectType(u"Thread", THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
                            THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_SET_CONTEXT | THREAD_SET_INFORMATION,
                            0, THREAD_ALL_ACCESS, PspDeleteThread, TRUE, &PsThreadType) ||
        !PspCreateSystemProcess())
        return FALSE;
    PspInitializeReaper();
    return TRUE;
}

NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext)
{
    UNREFERENCED_PARAMETER(ProcessHandle);      /* system threads belong to the system process */
    return PspCreateThread(ThreadHandle, DesiredAccess, ObjectAttributes, PsInitialSystemProcess, ClientId,
                           NULL, NULL, StartRoutine, StartContext, FALSE);
}
