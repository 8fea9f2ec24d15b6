/*
 * wait.c - the wait services: NtWaitForSingleObject, NtWaitForMultipleObjects (WaitAll and
 * WaitAny, up to MAXIMUM_WAIT_OBJECTS), NtDelayExecution and NtYieldExecution. Handles need
 * SYNCHRONIZE access and a waitable type; the objects stay referenced for the whole wait. A
 * file object is waited on through its Event (signalled when each of its requests ends).
 */
#include "exp.h"

#define EXP_WAIT_TAG POOL_TAG('W', 'a', 'i', 't')

/* References the object behind Handle (*Object) and finds what to wait on (*Waitable). */
static NTSTATUS ExpReferenceWaitable(HANDLE Handle, PVOID *Object, PVOID *Waitable)
{
    NTSTATUS status = ExpReferenceObject(Handle, SYNCHRONIZE, NULL, Object);
    if (NT_SUCCESS(status) && (*Waitable = ExGetWaitableObject(*Object)) == NULL) {
        ObDereferenceObject(*Object);
        status = STATUS_OBJECT_TYPE_MISMATCH;
    }
    return status;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    LARGE_INTEGER captured;
    PLARGE_INTEGER timeout;
    PVOID object, waitable;
    NTSTATUS status = ExCaptureTimeout(mode, Timeout, &captured, &timeout);
    if (!NT_SUCCESS(status)) return status;
    status = ExpReferenceWaitable(Handle, &object, &waitable);
    if (!NT_SUCCESS(status)) return status;
    status = KeWaitForSingleObject(waitable, UserRequest, mode, Alertable, timeout);
    ObDereferenceObject(object);
    return status;
}

NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[], WAIT_TYPE WaitType,
                                        BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    PVOID objects[MAXIMUM_WAIT_OBJECTS], waitables[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER captured;
    PLARGE_INTEGER timeout;
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS) return STATUS_INVALID_PARAMETER_1;
    if (WaitType != WaitAll && WaitType != WaitAny) return STATUS_INVALID_PARAMETER_3;
    NTSTATUS status = ExCopyIn(mode, handles, Handles, Count * sizeof(HANDLE));
    if (NT_SUCCESS(status)) status = ExCaptureTimeout(mode, Timeout, &captured, &timeout);
    if (!NT_SUCCESS(status)) return status;

    ULONG referenced = 0;
    for (; referenced < Count && NT_SUCCESS(status); referenced++)
        status = ExpReferenceWaitable(handles[referenced], &objects[referenced], &waitables[referenced]);
    if (!NT_SUCCESS(status)) referenced--;                 /* the failed one holds no reference */
    /* Waiting for all of a set that names one object twice could never be satisfied. */
    for (ULONG i = 0; NT_SUCCESS(status) && WaitType == WaitAll && i < Count; i++)
        for (ULONG j = i + 1; j < Count; j++)
            if (objects[i] == objects[j]) { status = STATUS_INVALID_PARAMETER_MIX; break; }
    if (NT_SUCCESS(status)) {
        PKWAIT_BLOCK blocks = ExAllocatePoolWithTag(NonPagedPool, Count * sizeof(KWAIT_BLOCK), EXP_WAIT_TAG);
        if (blocks == NULL) status = STATUS_INSUFFICIENT_RESOURCES;
        else {
            status = KeWaitForMultipleObjects(Count, waitables, WaitType, UserRequest, mode, Alertable,
                                              timeout, blocks);
            ExFreePoolWithTag(blocks, EXP_WAIT_TAG);
        }
    }
    while (referenced) ObDereferenceObject(objects[--referenced]);
    return status;
}

NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval)
{
    LARGE_INTEGER interval;
    NTSTATUS status = ExCopyIn(ExGetPreviousMode(), &interval, DelayInterval, sizeof(interval));
    if (!NT_SUCCESS(status)) return status;
    return KeDelayExecutionThread(ExGetPreviousMode(), Alertable, &interval);
}

NTSTATUS NTAPI NtYieldExecution(VOID)
{
    return KeYieldExecution();
}
