/*
 * exobj.c - the steps every executive object service shares: create an object and hand back a
 * handle, open one by name, reference one by handle with the caller's mode, and answer a
 * "basic information" query with NT's length rules.
 */
#include "exp.h"

NTSTATUS ExCreateObjectWithHandle(POBJECT_TYPE Type, ULONG BodySize, PHANDLE Handle, ACCESS_MASK Access,
                                  POBJECT_ATTRIBUTES ObjectAttributes, EX_INIT_ROUTINE Init, PVOID Context)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PVOID body;
    HANDLE h;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(Handle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ObCreateObject(mode, Type, ObjectAttributes, mode, NULL, BodySize, 0, 0, &body);
    if (!NT_SUCCESS(status)) return status;
    Init(body, Context);
    status = ObInsertObject(body, NULL, Access, 0, NULL, &h);   /* frees the object on failure */
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, Handle, h, status);
}

NTSTATUS ExOpenObjectByName(POBJECT_TYPE Type, PHANDLE Handle, ACCESS_MASK Access,
                            POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    HANDLE h;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(Handle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ObOpenObjectByName(ObjectAttributes, Type, mode, NULL, Access, NULL, &h);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, Handle, h, status);
}

NTSTATUS ExpReferenceObject(HANDLE Handle, ACCESS_MASK Access, POBJECT_TYPE Type, PVOID *Object)
{
    return ObReferenceObjectByHandle(Handle, Access, Type, ExGetPreviousMode(), Object, NULL);
}

/* Class 0 is the only class; the buffer must be exactly the structure's size, as NT requires. */
NTSTATUS ExpQueryBasic(ULONG InformationClass, PVOID Information, ULONG Length, PULONG ReturnLength,
                       const VOID *Data, ULONG DataSize)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    if (InformationClass != 0) return STATUS_INVALID_INFO_CLASS;
    if (Length != DataSize) return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = ExCopyOut(mode, Information, Data, DataSize);
    if (NT_SUCCESS(status) && ReturnLength) status = ExCopyOut(mode, ReturnLength, &DataSize, sizeof(ULONG));
    return status;
}

/* Writes an optional LONG/BOOLEAN result back to the caller. */
NTSTATUS ExpReturnValue(PVOID Dst, const VOID *Value, SIZE_T Size)
{
    if (Dst == NULL) return STATUS_SUCCESS;
    return ExCopyOut(ExGetPreviousMode(), Dst, Value, Size);
}
