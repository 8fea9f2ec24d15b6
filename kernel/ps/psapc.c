/*
 * psapc.c - NtQueueApcThread: a user APC (kernel/ke/apc.c) from pool, queued to a user thread of
 * a process with ntdll, freed by the kernel when it is delivered or run down.
 */
#include "psp.h"

#define PSP_APC_TAG POOL_TAG('A', 'p', 'c', ' ')

static VOID PspFreeUserApc(PKAPC Apc, PVOID *NormalRoutine, PVOID *NormalContext, PVOID *Argument1,
                           PVOID *Argument2)
{
    ExFreePoolWithTag(Apc, PSP_APC_TAG);
}

static VOID PspRundownUserApc(PKAPC Apc)
{
    ExFreePoolWithTag(Apc, PSP_APC_TAG);
}

/* A user APC from kernel code (the I/O manager's completion APCs): Routine(Context, Argument1,
 * Argument2) in Thread's user mode when it is next alertable. */
NTSTATUS PsQueueUserApc(PETHREAD Thread, PVOID Routine, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    if (Thread->SystemThread || !Thread->Tcb.Process->SystemDllMapped) return STATUS_INVALID_HANDLE;
    if ((ULONG_PTR)Routine == 0 || (ULONG_PTR)Routine >= MM_USER_PROBE_ADDRESS) return STATUS_INVALID_PARAMETER;
    PKAPC apc = ExAllocatePoolWithTag(NonPagedPool, sizeof(KAPC), PSP_APC_TAG);
    if (apc == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    KeInitializeApc(apc, &Thread->Tcb, PspFreeUserApc, PspRundownUserApc, Routine, Context);
    if (KeInsertQueueApc(apc, Argument1, Argument2, 2)) return STATUS_SUCCESS;
    ExFreePoolWithTag(apc, PSP_APC_TAG);
    return STATUS_THREAD_IS_TERMINATING;
}

/* Queues ApcRoutine(ApcArgument1, ApcArgument2, ApcArgument3) to a user thread of a process
 * with ntdll. The routine is a user address: it is only ever called in user mode. */
NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PVOID ApcRoutine, PVOID ApcArgument1, PVOID ApcArgument2,
                                PVOID ApcArgument3)
{
    PETHREAD thread;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SET_CONTEXT, PsThreadType,
                                                ExGetPreviousMode(), (PVOID *)&thread, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = PsQueueUserApc(thread, ApcRoutine, ApcArgument1, ApcArgument2, ApcArgument3);
    ObDereferenceObject(thread);
    return status;
}
