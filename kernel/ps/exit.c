/*
 * exit.c - the end of threads and processes. A thread always ends itself (PspExitThread): another
 * thread only asks it to, and the request runs on the target's way back to user mode (NT uses a
 * kernel APC for the same), after breaking any user-mode wait it sits in - so no thread dies in
 * the middle of kernel code that holds a lock. The last thread out closes the process's handles;
 * the process object, its address space and id go when the last reference does. A dead thread's
 * stack is freed by the reaper, once the thread can no longer run on it.
 */
#include "psp.h"

static LIST_ENTRY PspReaperList = { &PspReaperList, &PspReaperList };
static KEVENT PspReaperEvent;

static VOID PspReaper(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    for (;;) {
        KeWaitForSingleObject(&PspReaperEvent, Executive, KernelMode, FALSE, NULL);
        for (;;) {
            KIRQL old;
            KeRaiseIrql(DISPATCH_LEVEL, &old);
            PLIST_ENTRY e = IsListEmpty(&PspReaperList) ? NULL : PspReaperList.Flink;
            if (e) RemoveEntryList(e);
            KeLowerIrql(old);
            if (e == NULL) break;
            ObDereferenceObject(CONTAINING_RECORD(e, ETHREAD, ReaperLink));   /* its own reference */
        }
    }
}

VOID PspInitializeReaper(VOID)
{
    HANDLE h;
    KeInitializeEvent(&PspReaperEvent, SynchronizationEvent, FALSE);
    if (!NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, PspReaper, NULL)))
        KeBugCheckEx(PHASE1_INITIALIZATION_FAILED, 0x5E, 0, 0, 0);
    ObCloseHandle(h, KernelMode);
}

/* The last thread of a process is leaving: record the status, close every handle. */
static VOID PspExitProcess(PEPROCESS p)
{
    if (p->ObjectTable) {
        struct _HANDLE_TABLE *table = p->ObjectTable;
        p->ObjectTable = NULL;              /* new handles now fail: the process is going */
        ObKillHandleTable(table);
    }
}

VOID PspExitThread(NTSTATUS ExitStatus)
{
    PETHREAD t = PsGetCurrentThread();
    PEPROCESS p = t->ThreadsProcess;
    KIRQL old;

    IoCancelThreadIo(t);                   /* its pending I/O completes (in this thread) first */
    KeRundownApcQueues(&t->Tcb);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    t->ExitStatus = ExitStatus;
    t->Terminating = TRUE;
    KeQuerySystemTime(&t->ExitTime);
    BOOLEAN last = --p->ActiveThreads == 0;
    if (last) {
        p->Exiting = TRUE;
        p->ExitTime = t->ExitTime;
        if (p->ExitStatus == STATUS_PENDING) p->ExitStatus = ExitStatus;
    }
    RemoveEntryList(&t->ThreadListEntry);
    t->InProcessList = FALSE;
    KeLowerIrql(old);
    if (last) PspExitProcess(p);

    /* From here to the switch nothing else may run: the reaper must find us switched away. */
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    InsertTailList(&PspReaperList, &t->ReaperLink);
    KeSetEvent(&PspReaperEvent, 0, FALSE);
    KeTerminateThread(ExitStatus);
}

static VOID PspTerminateRoutine(PVOID Context)
{
    PspExitThread((NTSTATUS)(ULONG_PTR)Context);
}

VOID PspTerminateThreadByPointer(PETHREAD Thread, NTSTATUS ExitStatus)
{
    if (&Thread->Tcb == KeGetCurrentThread()) PspExitThread(ExitStatus);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (!Thread->Terminating && Thread->Tcb.State != Terminated) {
        Thread->Terminating = TRUE;
        KeSetUserReturnRoutine(&Thread->Tcb, PspTerminateRoutine, (PVOID)(ULONG_PTR)ExitStatus);
        KeBreakUserWait(&Thread->Tcb, STATUS_THREAD_IS_TERMINATING);
        KeForceResumeThread(&Thread->Tcb);
    }
    KeLowerIrql(old);
}

/* Asks every thread of p but the caller to end; returns how many were asked. */
static ULONG PspTerminateOtherThreads(PEPROCESS p, NTSTATUS ExitStatus)
{
    ULONG n = 0;
    PKTHREAD self = KeGetCurrentThread();
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (PLIST_ENTRY e = p->ThreadListHead.Flink; e != &p->ThreadListHead; e = e->Flink) {
        PETHREAD t = CONTAINING_RECORD(e, ETHREAD, ThreadListEntry);
        if (&t->Tcb != self) { PspTerminateThreadByPointer(t, ExitStatus); n++; }
    }
    KeLowerIrql(old);
    return n;
}

/* A process that never had a thread ends at once: it is signalled here, its handles closed. */
static VOID PspTerminateEmptyProcess(PEPROCESS p)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN empty = p->ActiveThreads == 0 && !p->Exiting;
    if (empty) p->Exiting = TRUE;
    KeLowerIrql(old);
    if (!empty) return;
    PspExitProcess(p);
    KeSignalProcess(&p->Pcb);
}

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    PEPROCESS p;
    BOOLEAN others = ProcessHandle == NULL;      /* NULL: every thread but the caller, as NT */
    NTSTATUS status = ObReferenceObjectByHandle(others ? NtCurrentProcess() : ProcessHandle, PROCESS_TERMINATE,
                                                PsProcessType, ExGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (p == PsInitialSystemProcess) {
        ObDereferenceObject(p);
        return STATUS_ACCESS_DENIED;
    }
    BOOLEAN self = p == PsGetCurrentProcess();
    if (p->ExitStatus == STATUS_PENDING && !others) p->ExitStatus = ExitStatus;
    PspTerminateOtherThreads(p, ExitStatus);
    if (!self) PspTerminateEmptyProcess(p);
    ObDereferenceObject(p);
    if (self && !others) PspExitThread(ExitStatus);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle ? ThreadHandle : NtCurrentThread(), THREAD_TERMINATE,
                                                PsThreadType, ExGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (t->SystemThread && &t->Tcb != KeGetCurrentThread()) {
        ObDereferenceObject(t);
        return STATUS_ACCESS_DENIED;            /* kernel threads end only by themselves */
    }
    /* The last thread of a process ends the process too, with the same status (NT does so). */
    if (&t->Tcb == KeGetCurrentThread()) {
        ObDereferenceObject(t);
        PspExitThread(ExitStatus);
    }
    PspTerminateThreadByPointer(t, ExitStatus);
    ObDereferenceObject(t);
    return STATUS_SUCCESS;
}
