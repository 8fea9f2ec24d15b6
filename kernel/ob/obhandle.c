/*
 * obhandle.c - handles: the link between a handle table entry and an object. Making a handle
 * counts it on the object (the caller's reference becomes the handle's); closing one runs the
 * type's Close procedure and drops that reference. Also ObReferenceObjectByHandle (the check
 * every service makes), process handle tables with inheritance, and duplication between tables.
 */
#include "obp.h"
#include "ps.h"
#include "ntstatus.h"
#include "rtl.h"

PHANDLE_TABLE ObpKernelHandleTable;


PHANDLE_TABLE ObpTableForHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode, PHANDLE_TABLE Table)
{
    if ((ULONG_PTR)Handle & KERNEL_HANDLE_MASK)
        return PreviousMode == KernelMode && !ObpIsPseudoHandleValue(Handle) ? ObpKernelHandleTable : NULL;
    return Table ? Table : ObGetCurrentHandleTable();
}

PHANDLE_TABLE ObpTableForNewHandle(ULONG Attributes, KPROCESSOR_MODE AccessMode)
{
    if ((Attributes & OBJ_KERNEL_HANDLE) && AccessMode == KernelMode) return ObpKernelHandleTable;
    return ObGetCurrentHandleTable();
}

NTSTATUS ObpCreateHandle(PHANDLE_TABLE Table, PVOID Object, ACCESS_MASK GrantedAccess,
                         ULONG HandleAttributes, PHANDLE Handle)
{
    HANDLE h;
    POBJECT_HEADER header = ObpGetHeader(Object);
    if (Table == NULL) return STATUS_PROCESS_IS_TERMINATING;    /* its handle table is gone */
    ObpAcquireLock();
    NTSTATUS status = ObpAllocateHandle(Table, Object, GrantedAccess, HandleAttributes, &h);
    if (NT_SUCCESS(status)) ObpIncrementHandleCountLocked(header);
    ObpReleaseLock();
    if (!NT_SUCCESS(status)) return status;
    if (Table == ObpKernelHandleTable) h = (HANDLE)((ULONG_PTR)h | KERNEL_HANDLE_MASK);
    *Handle = h;
    return STATUS_SUCCESS;
}

/* NtCurrentProcess() and NtCurrentThread() name the caller's own process and thread, with every
 * right, as on NT; they are values, not table entries. */
static NTSTATUS ObpReferencePseudoHandle(HANDLE Handle, PVOID *Object, PHANDLE_TABLE_ENTRY Copy)
{
    if (PsInitialSystemProcess == NULL) return STATUS_INVALID_HANDLE;
    BOOLEAN process = Handle == NtCurrentProcess();
    PVOID object = process ? (PVOID)PsGetCurrentProcess() : (PVOID)PsGetCurrentThread();
    ObReferenceObject(object);
    Copy->Object = object;
    Copy->GrantedAccess = process ? PROCESS_ALL_ACCESS : THREAD_ALL_ACCESS;
    Copy->Attributes = 0;
    *Object = object;
    return STATUS_SUCCESS;
}

NTSTATUS ObpReferenceHandle(PHANDLE_TABLE Table, HANDLE Handle, PVOID *Object,
                            PHANDLE_TABLE_ENTRY Copy)
{
    if (ObpIsPseudoHandleValue(Handle)) return ObpReferencePseudoHandle(Handle, Object, Copy);
    if (Table == NULL) return STATUS_INVALID_HANDLE;
    /* No lock: at DISPATCH_LEVEL the table holds still (obp.h). */
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PHANDLE_TABLE_ENTRY e = ObpLookupHandle(Table, Handle);
    if (e != NULL) {
        ObReferenceObject(e->Object);
        *Copy = *e;
        *Object = e->Object;
    }
    KeLowerIrql(old);
    return e != NULL ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    HANDLE_TABLE_ENTRY entry;
    PVOID object;
    *Object = NULL;
    NTSTATUS status = ObpReferenceHandle(ObpTableForHandle(Handle, AccessMode, NULL), Handle,
                                         &object, &entry);
    if (!NT_SUCCESS(status)) return status;
    POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(object)->Type;
    if (ObjectType != NULL && type != ObjectType) {
        ObDereferenceObject(object);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    /* Kernel-mode callers are trusted to ask only for what they need, as on NT. */
    if (AccessMode != KernelMode && (ObpMapDesiredAccess(type, DesiredAccess) & ~entry.GrantedAccess)) {
        ObDereferenceObject(object);
        return STATUS_ACCESS_DENIED;
    }
    if (HandleInformation) {
        HandleInformation->HandleAttributes = entry.Attributes;
        HandleInformation->GrantedAccess = entry.GrantedAccess;
    }
    *Object = object;
    return STATUS_SUCCESS;
}

NTSTATUS ObpCloseHandleInTable(PHANDLE_TABLE Table, HANDLE Handle, KPROCESSOR_MODE PreviousMode,
                               BOOLEAN IgnoreProtection)
{
    if (Table == NULL) return STATUS_INVALID_HANDLE;
    ObpAcquireLock();
    PHANDLE_TABLE_ENTRY e = ObpLookupHandle(Table, Handle);
    if (e == NULL) { ObpReleaseLock(); return STATUS_INVALID_HANDLE; }
    if (!IgnoreProtection && (e->Attributes & OBJ_PROTECT_CLOSE)) {
        ObpReleaseLock();
        return STATUS_HANDLE_NOT_CLOSABLE;
    }
    HANDLE_TABLE_ENTRY copy = *e;
    OB_OKAYTOCLOSE_METHOD okay = OBJECT_TO_OBJECT_HEADER(copy.Object)->Type->TypeInfo.OkayToCloseProcedure;
    if (IgnoreProtection) okay = NULL;
    if (okay == NULL) ObpFreeHandle(Table, Handle);
    ObpReleaseLock();

    if (okay != NULL) {
        /* The type may veto; it runs without the lock, so look the entry up again after. */
        if (!okay(Table->QuotaProcess, copy.Object, Handle, PreviousMode))
            return STATUS_HANDLE_NOT_CLOSABLE;
        ObpAcquireLock();
        e = ObpLookupHandle(Table, Handle);
        if (e == NULL || e->Object != copy.Object) { ObpReleaseLock(); return STATUS_INVALID_HANDLE; }
        ObpFreeHandle(Table, Handle);
        ObpReleaseLock();
    }
    ObpDecrementHandleCount(copy.Object, copy.GrantedAccess);
    ObDereferenceObject(copy.Object);
    return STATUS_SUCCESS;
}

NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    if (ObpIsPseudoHandleValue(Handle)) return STATUS_INVALID_HANDLE;
    return ObpCloseHandleInTable(ObpTableForHandle(Handle, PreviousMode, NULL), Handle,
                                 PreviousMode, FALSE);
}

NTSTATUS ObCreateHandleTable(PHANDLE_TABLE ParentToInheritFrom, PHANDLE_TABLE *HandleTable)
{
    PHANDLE_TABLE parent = ParentToInheritFrom;
    PHANDLE_TABLE t = ObpAllocateHandleTable(parent ? parent->TableSize : 0);
    if (t == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    if (parent) {
        /* Same size as the parent's, so each inherited handle keeps its value. */
        ObpAcquireLock();
        for (ULONG i = 1; i < parent->TableSize; i++) {
            PHANDLE_TABLE_ENTRY e = &parent->Table[i];
            if (e->Object == NULL || !(e->Attributes & OBJ_INHERIT)) continue;
            ObpAllocateHandleAt(t, INDEX_TO_HANDLE(i), e->Object, e->GrantedAccess, e->Attributes);
            POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(e->Object);
            h->PointerCount++;
            ObpIncrementHandleCountLocked(h);
        }
        ObpReleaseLock();
    }
    *HandleTable = t;
    return STATUS_SUCCESS;
}

VOID ObKillHandleTable(PHANDLE_TABLE HandleTable)
{
    /* TableSize is re-read: a Delete procedure run by a close may add or close handles. */
    for (ULONG i = 1; i < HandleTable->TableSize; i++)
        if (HandleTable->Table[i].Object != NULL)
            ObpCloseHandleInTable(HandleTable, INDEX_TO_HANDLE(i), KernelMode, TRUE);
    ObpFreeHandleTable(HandleTable);
}

ULONG ObGetHandleCount(PHANDLE_TABLE HandleTable)
{
    return HandleTable->HandleCount;
}

NTSTATUS ObDuplicateObject(PHANDLE_TABLE SourceTable, HANDLE SourceHandle,
                           PHANDLE_TABLE TargetTable, PHANDLE TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options,
                           KPROCESSOR_MODE PreviousMode)
{
    HANDLE_TABLE_ENTRY source;
    PVOID object;
    if (Options & ~(DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES))
        return STATUS_INVALID_PARAMETER;
    PHANDLE_TABLE sourceTable = ObpTableForHandle(SourceHandle, PreviousMode, SourceTable);
    NTSTATUS status = ObpReferenceHandle(sourceTable, SourceHandle, &object, &source);
    if (!NT_SUCCESS(status)) return status;

    if (TargetTable != NULL) {
        POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(object)->Type;
        ACCESS_MASK access = (Options & DUPLICATE_SAME_ACCESS) ? source.GrantedAccess
                                                               : ObpMapDesiredAccess(type, DesiredAccess);
        ULONG attributes = (Options & DUPLICATE_SAME_ATTRIBUTES) ? source.Attributes
                                                                 : HandleAttributes & (OBJ_INHERIT | OBJ_PROTECT_CLOSE);
        /* Without security descriptors a user-mode caller cannot gain rights by duplicating. */
        if (PreviousMode != KernelMode && (access & ~source.GrantedAccess))
            status = STATUS_ACCESS_DENIED;
        else
            status = ObpCreateHandle(TargetTable, object, access, attributes, TargetHandle);
        if (!NT_SUCCESS(status)) ObDereferenceObject(object);
    } else {
        ObDereferenceObject(object);      /* no target: only closing the source was asked */
    }
    /* NT closes the source whatever happened to the duplicate. */
    if (Options & DUPLICATE_CLOSE_SOURCE)
        ObpCloseHandleInTable(sourceTable, SourceHandle, PreviousMode, FALSE);
    return status;
}

/* A new handle to an object the caller already holds a pointer to (NtOpenProcess by client id,
 * for instance). No security descriptors: the rights asked for are granted. */
NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PACCESS_STATE PassedAccessState,
                               ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                               KPROCESSOR_MODE AccessMode, PHANDLE Handle)
{
    UNREFERENCED_PARAMETER(PassedAccessState);
    POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(Object)->Type;
    if (ObjectType != NULL && type != ObjectType) return STATUS_OBJECT_TYPE_MISMATCH;
    ObReferenceObject(Object);
    NTSTATUS status = ObpCreateHandle(ObpTableForNewHandle(HandleAttributes, AccessMode), Object,
                                      ObpMapDesiredAccess(type, DesiredAccess),
                                      HandleAttributes & (OBJ_INHERIT | OBJ_PROTECT_CLOSE), Handle);
    if (!NT_SUCCESS(status)) ObDereferenceObject(Object);
    return status;
}
