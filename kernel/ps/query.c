/*
 * query.c - the process and thread services that look at or steer an existing one: open by
 * client id, basic information and times, suspend and resume, and a thread's user-mode register context
 * (read from and written to the trap frame at the top of its kernel stack).
 */
#include "psp.h"

static NTSTATUS PspOpenByCid(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             PCLIENT_ID ClientId, BOOLEAN Thread)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    OBJECT_ATTRIBUTES oa = { 0 };
    CLIENT_ID cid;
    PVOID object;
    HANDLE h;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(Handle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ObjectAttributes ? ExCopyIn(mode, &oa, ObjectAttributes, sizeof(oa)) : STATUS_SUCCESS;
    if (!NT_SUCCESS(status)) return status;
    if (ClientId == NULL) return STATUS_INVALID_PARAMETER_MIX;   /* opening by name: not for these types */
    if (oa.ObjectName != NULL) return STATUS_INVALID_PARAMETER_MIX;
    status = ExCopyIn(mode, &cid, ClientId, sizeof(cid));
    if (!NT_SUCCESS(status)) return status;
    if (Thread || cid.UniqueThread) {
        PETHREAD t;
        if (!NT_SUCCESS(PsLookupThreadByThreadId(cid.UniqueThread, &t))) return STATUS_INVALID_CID;
        if (cid.UniqueProcess && cid.UniqueProcess != t->Cid.UniqueProcess) {
            ObDereferenceObject(t);
            return STATUS_INVALID_CID;
        }
        if (Thread) object = t;
        else { object = t->ThreadsProcess; ObReferenceObject(object); ObDereferenceObject(t); }
    } else {
        PEPROCESS p;
        if (!NT_SUCCESS(PsLookupProcessByProcessId(cid.UniqueProcess, &p))) return STATUS_INVALID_CID;
        object = p;
    }
    status = ObOpenObjectByPointer(object, oa.Attributes, NULL, DesiredAccess, Thread ? PsThreadType : PsProcessType,
                                   mode, &h);
    ObDereferenceObject(object);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, Handle, h, status);
}

NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId)
{
    return PspOpenByCid(ProcessHandle, DesiredAccess, ObjectAttributes, ClientId, FALSE);
}

NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId)
{
    return PspOpenByCid(ThreadHandle, DesiredAccess, ObjectAttributes, ClientId, TRUE);
}

/* Copies a fixed-size answer out with NT's length rules. */
static NTSTATUS PspReturnInformation(ULONG Class, ULONG Expected, PVOID Information, ULONG Length,
                                     PULONG ReturnLength, const VOID *Data, ULONG Size)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    if (Class != Expected) return STATUS_INVALID_INFO_CLASS;
    if (Length != Size) return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = ExCopyOut(mode, Information, Data, Size);
    if (NT_SUCCESS(status) && ReturnLength) status = ExCopyOut(mode, ReturnLength, &Size, sizeof(ULONG));
    return status;
}

/* ProcessTimes / ThreadTimes from clock ticks. */
static KERNEL_USER_TIMES PspTimes(LARGE_INTEGER Create, LARGE_INTEGER Exit, ULONG KernelTicks, ULONG UserTicks)
{
    KERNEL_USER_TIMES times = { .CreateTime = Create, .ExitTime = Exit };
    times.KernelTime.QuadPart = (LONGLONG)KernelTicks * KeQueryTimeIncrement();
    times.UserTime.QuadPart = (LONGLONG)UserTicks * KeQueryTimeIncrement();
    return times;
}

NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS InformationClass,
                                         PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_QUERY_INFORMATION, PsProcessType,
                                                ExGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (InformationClass == ProcessTimes) {
        KERNEL_USER_TIMES times = PspTimes(p->CreateTime, p->ExitTime, p->Pcb.KernelTime, p->Pcb.UserTime);
        ObDereferenceObject(p);
        return PspReturnInformation(InformationClass, ProcessTimes, Information, Length, ReturnLength,
                                    &times, sizeof(times));
    }
    PROCESS_BASIC_INFORMATION info = {
        .ExitStatus = p->Pcb.Header.SignalState ? p->ExitStatus : STATUS_PENDING,
        .PebBaseAddress = p->Peb,
        .AffinityMask = 1,
        .BasePriority = p->Pcb.BasePriority,
        .UniqueProcessId = p->UniqueProcessId,
        .InheritedFromUniqueProcessId = p->InheritedFromUniqueProcessId,
    };
    ObDereferenceObject(p);
    return PspReturnInformation(InformationClass, ProcessBasicInformation, Information, Length, ReturnLength,
                                &info, sizeof(info));
}

NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS InformationClass,
                                        PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_QUERY_INFORMATION, PsThreadType,
                                                ExGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (InformationClass == ThreadAmILastThread) {
        /* NT answers for the calling thread, whatever the handle: is it its process's last? */
        PEPROCESS p = PsGetCurrentProcess();
        ULONG last = p->ActiveThreads == 1;
        ObDereferenceObject(t);
        return PspReturnInformation(InformationClass, ThreadAmILastThread, Information, Length, ReturnLength,
                                    &last, sizeof(last));
    }
    if (InformationClass == ThreadTimes) {
        KERNEL_USER_TIMES times = PspTimes(t->CreateTime, t->ExitTime, t->Tcb.KernelTime, t->Tcb.UserTime);
        ObDereferenceObject(t);
        return PspReturnInformation(InformationClass, ThreadTimes, Information, Length, ReturnLength,
                                    &times, sizeof(times));
    }
    THREAD_BASIC_INFORMATION info = {
        .ExitStatus = t->Tcb.State == Terminated ? t->ExitStatus : STATUS_PENDING,
        .TebBaseAddress = t->Tcb.Teb,
        .ClientId = t->Cid,
        .AffinityMask = 1,
        .Priority = t->Tcb.Priority,
        .BasePriority = t->Tcb.BasePriority,
    };
    ObDereferenceObject(t);
    return PspReturnInformation(InformationClass, ThreadBasicInformation, Information, Length, ReturnLength,
                                &info, sizeof(info));
}

static NTSTATUS PspSuspendResume(HANDLE ThreadHandle, PULONG PreviousSuspendCount, BOOLEAN Suspend)
{
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SUSPEND_RESUME, PsThreadType,
                                                ExGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status)) return status;
    ULONG previous = 0;
    if (t->Terminating) status = STATUS_THREAD_IS_TERMINATING;
    else if (Suspend && (previous = KeSuspendThread(&t->Tcb)) == 127) status = STATUS_SUSPEND_COUNT_EXCEEDED;
    else if (!Suspend) previous = KeResumeThread(&t->Tcb);
    ObDereferenceObject(t);
    if (NT_SUCCESS(status) && PreviousSuspendCount)
        status = ExCopyOut(ExGetPreviousMode(), PreviousSuspendCount, &previous, sizeof(previous));
    return status;
}

NTSTATUS NTAPI NtSuspendThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount)
{
    return PspSuspendResume(ThreadHandle, PreviousSuspendCount, TRUE);
}

NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount)
{
    return PspSuspendResume(ThreadHandle, PreviousSuspendCount, FALSE);
}

/* The user context lives in the trap frame at the top of the thread's kernel stack. It is
 * stable when the thread is the caller or is not running - always so on one processor. */
static NTSTATUS PspReferenceUserThread(HANDLE ThreadHandle, ACCESS_MASK Access, PETHREAD *Thread)
{
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, Access, PsThreadType, ExGetPreviousMode(),
                                                (PVOID *)Thread, NULL);
    if (NT_SUCCESS(status) && (*Thread)->SystemThread) {
        ObDereferenceObject(*Thread);
        status = STATUS_INVALID_PARAMETER;       /* no user context to read or write */
    }
    return status;
}

NTSTATUS NTAPI NtGetContextThread(HANDLE ThreadHandle, PCONTEXT Context)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PETHREAD t;
    CONTEXT c;
    NTSTATUS status = ExCopyIn(mode, &c.ContextFlags, &Context->ContextFlags, sizeof(ULONG));
    if (!NT_SUCCESS(status)) return status;
    status = PspReferenceUserThread(ThreadHandle, THREAD_GET_CONTEXT, &t);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(&c.Dr0, sizeof(c) - sizeof(ULONG));
    KeContextFromTrapFrame(KeGetUserTrapFrame(&t->Tcb), &c);
    ObDereferenceObject(t);
    return ExCopyOut(mode, Context, &c, sizeof(c));
}

NTSTATUS NTAPI NtSetContextThread(HANDLE ThreadHandle, PCONTEXT Context)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PETHREAD t;
    CONTEXT c;
    NTSTATUS status = ExCopyIn(mode, &c, Context, sizeof(c));
    if (!NT_SUCCESS(status)) return status;
    status = PspReferenceUserThread(ThreadHandle, THREAD_SET_CONTEXT, &t);
    if (!NT_SUCCESS(status)) return status;
    KeContextToTrapFrame(&c, KeGetUserTrapFrame(&t->Tcb));
    ObDereferenceObject(t);
    return STATUS_SUCCESS;
}
