/* mutant.c - mutant objects (Win32 mutexes): NtCreateMutant, NtOpenMutant, NtReleaseMutant,
 * NtQueryMutant over the kernel's KMUTANT. */
#include "exp.h"

static VOID ExpInitMutant(PVOID Body, PVOID Context)
{
    KeInitializeMutant(Body, *(PBOOLEAN)Context);
}

NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner)
{
    return ExCreateObjectWithHandle(ExMutantObjectType, sizeof(KMUTANT), MutantHandle, DesiredAccess,
                           ObjectAttributes, ExpInitMutant, &InitialOwner);
}

NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExOpenObjectByName(ExMutantObjectType, MutantHandle, DesiredAccess, ObjectAttributes);
}

/* Releasing needs no access right, only a handle: ownership is what is checked. */
NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount)
{
    PKMUTANT mutant;
    LONG previous = 0;
    NTSTATUS status = ExpReferenceObject(MutantHandle, 0, ExMutantObjectType, (PVOID *)&mutant);
    if (!NT_SUCCESS(status)) return status;
    status = KeReleaseMutant(mutant, MUTANT_INCREMENT, FALSE, FALSE, &previous);
    ObDereferenceObject(mutant);
    if (!NT_SUCCESS(status)) return status;
    return ExpReturnValue(PreviousCount, &previous, sizeof(previous));
}

NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS InformationClass,
                             PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PKMUTANT mutant;
    NTSTATUS status = ExpReferenceObject(MutantHandle, MUTANT_QUERY_STATE, ExMutantObjectType, (PVOID *)&mutant);
    if (!NT_SUCCESS(status)) return status;
    MUTANT_BASIC_INFORMATION info = {
        KeReadStateObject(mutant), mutant->OwnerThread == KeGetCurrentThread(), mutant->Abandoned,
    };
    ObDereferenceObject(mutant);
    return ExpQueryBasic(InformationClass, Information, Length, ReturnLength, &info, sizeof(info));
}
