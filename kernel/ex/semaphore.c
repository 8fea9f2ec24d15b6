/* semaphore.c - semaphore objects: NtCreateSemaphore, NtOpenSemaphore, NtReleaseSemaphore,
 * NtQuerySemaphore over the kernel's KSEMAPHORE. */
#include "exp.h"

typedef struct { LONG Count, Limit; } EXP_SEMAPHORE_INIT;

static VOID ExpInitSemaphore(PVOID Body, PVOID Context)
{
    EXP_SEMAPHORE_INIT *init = Context;
    KeInitializeSemaphore(Body, init->Count, init->Limit);
}

NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount, LONG MaximumCount)
{
    if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount) return STATUS_INVALID_PARAMETER;
    EXP_SEMAPHORE_INIT init = { InitialCount, MaximumCount };
    return ExCreateObjectWithHandle(ExSemaphoreObjectType, sizeof(KSEMAPHORE), SemaphoreHandle, DesiredAccess,
                           ObjectAttributes, ExpInitSemaphore, &init);
}

NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExOpenObjectByName(ExSemaphoreObjectType, SemaphoreHandle, DesiredAccess, ObjectAttributes);
}

NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount)
{
    PKSEMAPHORE semaphore;
    LONG previous = 0;
    if (ReleaseCount <= 0) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ExpReferenceObject(SemaphoreHandle, SEMAPHORE_MODIFY_STATE, ExSemaphoreObjectType,
                                         (PVOID *)&semaphore);
    if (!NT_SUCCESS(status)) return status;
    status = KeReleaseSemaphore(semaphore, SEMAPHORE_INCREMENT, ReleaseCount, FALSE, &previous);
    ObDereferenceObject(semaphore);
    if (!NT_SUCCESS(status)) return status;
    return ExpReturnValue(PreviousCount, &previous, sizeof(previous));
}

NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle, SEMAPHORE_INFORMATION_CLASS InformationClass,
                                PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PKSEMAPHORE semaphore;
    NTSTATUS status = ExpReferenceObject(SemaphoreHandle, SEMAPHORE_QUERY_STATE, ExSemaphoreObjectType,
                                         (PVOID *)&semaphore);
    if (!NT_SUCCESS(status)) return status;
    SEMAPHORE_BASIC_INFORMATION info = { KeReadStateObject(semaphore), semaphore->Limit };
    ObDereferenceObject(semaphore);
    return ExpQueryBasic(InformationClass, Information, Length, ReturnLength, &info, sizeof(info));
}
