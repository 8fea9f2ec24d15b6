/*
 * process.c - the kernel process (KPROCESS): the address space its threads run in (the page
 * directory loaded into CR3 when one of them is switched in) and its list of threads. The
 * executive's EPROCESS, with handles and virtual memory, will wrap it.
 */
#include "ki.h"
#include "x86.h"

KPROCESS KiSystemProcess;

VOID KeInitializeProcess(PKPROCESS Process, SCHAR BasePriority, ULONG DirectoryTableBase)
{
    Process->Header.Type = ProcessObject;
    Process->Header.Size = sizeof(KPROCESS) / sizeof(ULONG);
    Process->Header.SignalState = 0;
    InitializeListHead(&Process->Header.WaitListHead);
    Process->DirectoryTableBase = DirectoryTableBase;
    InitializeListHead(&Process->ThreadListHead);
    Process->BasePriority = BasePriority;
    Process->ThreadCount = 0;
}

/* The kernel's first threads (the boot thread, now idle) start in KiSystemProcess, before the
 * process layer exists; Ps then moves them into the system EPROCESS. */
VOID KeMoveThreadsToProcess(PKPROCESS From, PKPROCESS To)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    while (!IsListEmpty(&From->ThreadListHead)) {
        PLIST_ENTRY e = From->ThreadListHead.Flink;
        PKTHREAD t = CONTAINING_RECORD(e, KTHREAD, ThreadListEntry);
        RemoveEntryList(e);
        InsertTailList(&To->ThreadListHead, e);
        t->Process = To;
        From->ThreadCount--;
        To->ThreadCount++;
    }
    KeLowerIrql(old);
}

PKPROCESS KeGetCurrentAddressSpaceProcess(VOID)
{
    return KiAddressSpaceOf(KeGetCurrentThread());
}

VOID KeAttachProcess(PKPROCESS Process)
{
    PKTHREAD t = KeGetCurrentThread();
    if (t->AttachedProcess) KeBugCheckEx(INVALID_PROCESS_ATTACH_ATTEMPT, (ULONG_PTR)Process,
                                         (ULONG_PTR)t->AttachedProcess, 0, 0);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (Process != t->Process) {
        t->AttachedProcess = Process;
        __writecr3(Process->DirectoryTableBase);
    }
    KeLowerIrql(old);
}

VOID KeDetachProcess(VOID)
{
    PKTHREAD t = KeGetCurrentThread();
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (t->AttachedProcess) {
        t->AttachedProcess = NULL;
        __writecr3(t->Process->DirectoryTableBase);
    }
    KeLowerIrql(old);
}

/* Marks a process ended though none of its threads did (it never had one). */
VOID KeSignalProcess(PKPROCESS Process)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Process->Header.SignalState = 1;
    KiWaitTest(&Process->Header, IO_NO_INCREMENT);
    KeLowerIrql(old);
}
