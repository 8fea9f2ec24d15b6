/*
 * obsvc.c - the object manager's generic system services: NtClose, NtDuplicateObject,
 * NtQueryObject, NtSetInformationObject (handle flags) and NtMakeTemporaryObject. Each reads
 * PreviousMode once; a user-mode caller's pointers are probed before any work is done and its
 * memory is only read and written through ExCopyIn/ExCopyOut/ExReturnHandle, so a bad pointer
 * becomes STATUS_ACCESS_VIOLATION (or STATUS_DATATYPE_MISALIGNMENT), never a bug check. The
 * directory and symbolic link services are in obdir.c and oblink.c.
 */
#include "obp.h"
#include "ps.h"
#include "ntstatus.h"
#include "rtl.h"

NTSTATUS NTAPI NtClose(HANDLE Handle)
{
    return ObCloseHandle(Handle, ObpPreviousMode());
}

/* Source and target processes are named by handles with PROCESS_DUP_HANDLE, as on NT, and their
 * handle tables do the work, so a handle can be given to (or taken from) another process. A NULL
 * target process means "just close the source" (with DUPLICATE_CLOSE_SOURCE). The new handle's
 * value is written to the caller's TargetHandle. */
NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                 HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                 ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    HANDLE handle = NULL;
    PEPROCESS source, target = NULL;
    BOOLEAN returnHandle = TargetProcessHandle != NULL && TargetHandle != NULL;
    if (returnHandle) {
        NTSTATUS probe = ObpProbeForWriteUlong(mode, TargetHandle);
        if (!NT_SUCCESS(probe)) return probe;
    }
    NTSTATUS status = ObReferenceObjectByHandle(SourceProcessHandle, PROCESS_DUP_HANDLE, PsProcessType, mode,
                                                (PVOID *)&source, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (TargetProcessHandle)
        status = ObReferenceObjectByHandle(TargetProcessHandle, PROCESS_DUP_HANDLE, PsProcessType, mode,
                                           (PVOID *)&target, NULL);
    if (NT_SUCCESS(status) && target && target->ObjectTable == NULL) status = STATUS_PROCESS_IS_TERMINATING;
    if (NT_SUCCESS(status) && source->ObjectTable == NULL) status = STATUS_PROCESS_IS_TERMINATING;
    if (NT_SUCCESS(status))
        status = ObDuplicateObject(source->ObjectTable, SourceHandle, target ? target->ObjectTable : NULL,
                                   &handle, DesiredAccess, HandleAttributes, Options, mode);
    if (target) ObDereferenceObject(target);
    ObDereferenceObject(source);
    if (NT_SUCCESS(status) && returnHandle) {
        /* A write that faults leaves the handle in the target, as on NT; in our own table it is
         * closed again so it cannot leak. */
        if (target == NULL || target == PsGetCurrentProcess()) return ExReturnHandle(mode, TargetHandle, handle, status);
        NTSTATUS copy = ExCopyOut(mode, TargetHandle, &handle, sizeof(handle));
        if (!NT_SUCCESS(copy)) status = copy;
    }
    return status;
}

/* The full path of a named object ("\A\B"), "\" for the root, empty for an unnamed object.
 * Writes Length bytes at Buffer if Buffer is given; returns the length. Lock held. */
static ULONG ObpBuildFullName(PVOID Object, PWCHAR Buffer)
{
    if (Object == ObpRootDirectoryObject) {
        if (Buffer) Buffer[0] = OBJ_NAME_PATH_SEPARATOR;
        return sizeof(WCHAR);
    }
    ULONG total = 0;
    for (PVOID o = Object; o != ObpRootDirectoryObject;) {
        POBJECT_HEADER_NAME_INFO ni = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(o));
        if (ni == NULL || ni->Directory == NULL) return 0;         /* not (or no longer) named */
        total += sizeof(WCHAR) + ni->Name.Length;
        o = ni->Directory;
    }
    if (Buffer) {
        ULONG end = total;
        for (PVOID o = Object; o != ObpRootDirectoryObject;) {
            POBJECT_HEADER_NAME_INFO ni = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(o));
            end -= ni->Name.Length;
            RtlCopyMemory((PUCHAR)Buffer + end, ni->Name.Buffer, ni->Name.Length);
            end -= sizeof(WCHAR);
            Buffer[end / sizeof(WCHAR)] = OBJ_NAME_PATH_SEPARATOR;
            o = ni->Directory;
        }
    }
    return total;
}

/* Formats the answer of one information class into Out (OutSize bytes, a kernel buffer);
 * returns the bytes needed. UserBase is where Out will be copied (for string pointers). */
static ULONG ObpFormatObjectInformation(OBJECT_INFORMATION_CLASS Class, PVOID Object,
                                        PHANDLE_TABLE_ENTRY Entry, PUCHAR Out, ULONG OutSize,
                                        PUCHAR UserBase)
{
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_TYPE type = h->Type;
    ULONG need;
    switch (Class) {
    case ObjectBasicInformation: {
        need = sizeof(OBJECT_BASIC_INFORMATION);
        if (OutSize < need) break;
        POBJECT_BASIC_INFORMATION b = (POBJECT_BASIC_INFORMATION)Out;
        RtlZeroMemory(b, need);
        b->Attributes = Entry->Attributes | ((h->Flags & OB_FLAG_PERMANENT) ? OBJ_PERMANENT : 0) |
                        ((h->Flags & OB_FLAG_EXCLUSIVE) ? OBJ_EXCLUSIVE : 0);
        b->GrantedAccess = Entry->GrantedAccess;
        b->HandleCount = (ULONG)h->HandleCount;
        b->PointerCount = (ULONG)h->PointerCount - 1;      /* not the reference of this query */
        ULONG nameLength = ObpBuildFullName(Object, NULL);
        b->NameInfoSize = nameLength ? sizeof(OBJECT_NAME_INFORMATION) + nameLength + sizeof(WCHAR) : 0;
        b->TypeInfoSize = sizeof(OBJECT_TYPE_INFORMATION) + type->Name.Length + sizeof(WCHAR);
        break;
    }
    case ObjectNameInformation: {
        ULONG length = ObpBuildFullName(Object, NULL);
        need = sizeof(OBJECT_NAME_INFORMATION) + length + (length ? sizeof(WCHAR) : 0);
        if (OutSize < need) break;
        POBJECT_NAME_INFORMATION n = (POBJECT_NAME_INFORMATION)Out;
        n->Name = (UNICODE_STRING){ 0, 0, NULL };
        if (length) {
            PWCHAR s = (PWCHAR)(n + 1);
            ObpBuildFullName(Object, s);
            s[length / sizeof(WCHAR)] = 0;
            n->Name = (UNICODE_STRING){ (USHORT)length, (USHORT)(length + sizeof(WCHAR)),
                                        (PWSTR)(UserBase + sizeof(*n)) };
        }
        break;
    }
    case ObjectTypeInformation: {
        need = sizeof(OBJECT_TYPE_INFORMATION) + type->Name.Length + sizeof(WCHAR);
        if (OutSize < need) break;
        POBJECT_TYPE_INFORMATION t = (POBJECT_TYPE_INFORMATION)Out;
        RtlZeroMemory(t, sizeof(*t));
        PWCHAR s = (PWCHAR)(t + 1);
        RtlCopyMemory(s, type->Name.Buffer, type->Name.Length);
        s[type->Name.Length / sizeof(WCHAR)] = 0;
        t->TypeName = (UNICODE_STRING){ type->Name.Length, (USHORT)(type->Name.Length + sizeof(WCHAR)),
                                        (PWSTR)(UserBase + sizeof(*t)) };
        t->TotalNumberOfObjects = type->TotalNumberOfObjects;
        t->TotalNumberOfHandles = type->TotalNumberOfHandles;
        t->HighWaterNumberOfObjects = type->HighWaterNumberOfObjects;
        t->HighWaterNumberOfHandles = type->HighWaterNumberOfHandles;
        t->InvalidAttributes = type->TypeInfo.InvalidAttributes;
        t->GenericMapping = type->TypeInfo.GenericMapping;
        t->ValidAccessMask = type->TypeInfo.ValidAccessMask;
        t->MaintainHandleCount = type->TypeInfo.MaintainHandleCount;
        t->PoolType = type->TypeInfo.PoolType;
        t->DefaultPagedPoolCharge = type->TypeInfo.DefaultPagedPoolCharge;
        t->DefaultNonPagedPoolCharge = type->TypeInfo.DefaultNonPagedPoolCharge;
        break;
    }
    default: {   /* ObjectHandleFlagInformation */
        need = sizeof(OBJECT_HANDLE_FLAG_INFORMATION);
        if (OutSize < need) break;
        POBJECT_HANDLE_FLAG_INFORMATION f = (POBJECT_HANDLE_FLAG_INFORMATION)Out;
        f->Inherit = (Entry->Attributes & OBJ_INHERIT) != 0;
        f->ProtectFromClose = (Entry->Attributes & OBJ_PROTECT_CLOSE) != 0;
        break;
    }
    }
    return need;
}

/* Copies the answer and its length to the caller (either may fault). */
static NTSTATUS ObpReturnInformation(KPROCESSOR_MODE Mode, NTSTATUS Status, PVOID Buffer,
                                     const VOID *Data, ULONG Length, PULONG ReturnLength)
{
    if (NT_SUCCESS(Status) && Length) {
        NTSTATUS copy = ExCopyOut(Mode, Buffer, Data, Length);
        if (!NT_SUCCESS(copy)) return copy;
    }
    if (ReturnLength) {
        NTSTATUS copy = ExCopyOut(Mode, ReturnLength, &Length, sizeof(ULONG));
        if (!NT_SUCCESS(copy)) return copy;
    }
    return Status;
}

NTSTATUS NTAPI NtQueryObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                             PVOID ObjectInformation, ULONG ObjectInformationLength,
                             PULONG ReturnLength)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    HANDLE_TABLE_ENTRY entry;
    PVOID object;
    OBJECT_INFORMATION_CLASS c = ObjectInformationClass;
    if (c != ObjectBasicInformation && c != ObjectNameInformation && c != ObjectTypeInformation &&
        c != ObjectHandleFlagInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (mode != KernelMode) {
        NTSTATUS probe = ProbeForWrite(ObjectInformation, ObjectInformationLength, sizeof(UCHAR));
        if (NT_SUCCESS(probe) && ReturnLength) probe = ObpProbeForWriteUlong(mode, ReturnLength);
        if (!NT_SUCCESS(probe)) return probe;
    }
    if (ObpIsPseudoHandleValue(Handle)) return STATUS_INVALID_HANDLE;
    NTSTATUS status = ObpReferenceHandle(ObpTableForHandle(Handle, mode, NULL), Handle, &object, &entry);
    if (!NT_SUCCESS(status)) return status;

    /* Formatted in a kernel buffer (under the lock, where no user page may fault), then copied. */
    ULONG size = ObjectInformationLength > 0x10000 ? 0x10000 : ObjectInformationLength;
    PUCHAR out = size ? ExAllocatePoolWithTag(PagedPool, size, OB_NAME_TAG) : NULL;
    ULONG need = 0;
    if (size && out == NULL) status = STATUS_INSUFFICIENT_RESOURCES;
    else {
        ObpAcquireLock();
        need = ObpFormatObjectInformation(c, object, &entry, out, size, ObjectInformation);
        ObpReleaseLock();
        if (need > size) status = STATUS_INFO_LENGTH_MISMATCH;
    }
    ObDereferenceObject(object);

    status = ObpReturnInformation(mode, status, ObjectInformation, out, need, ReturnLength);
    if (out) ExFreePoolWithTag(out, OB_NAME_TAG);
    return status;
}

NTSTATUS NTAPI NtSetInformationObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                                      PVOID ObjectInformation, ULONG ObjectInformationLength)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    OBJECT_HANDLE_FLAG_INFORMATION flags;
    if (ObjectInformationClass != ObjectHandleFlagInformation) return STATUS_INVALID_INFO_CLASS;
    if (ObjectInformationLength != sizeof(OBJECT_HANDLE_FLAG_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = ExCopyIn(mode, &flags, ObjectInformation, sizeof(flags));
    if (!NT_SUCCESS(status)) return status;

    if (ObpIsPseudoHandleValue(Handle)) return STATUS_INVALID_HANDLE;
    PHANDLE_TABLE table = ObpTableForHandle(Handle, mode, NULL);
    status = STATUS_INVALID_HANDLE;
    ObpAcquireLock();
    PHANDLE_TABLE_ENTRY e = table ? ObpLookupHandle(table, Handle) : NULL;
    if (e != NULL) {
        e->Attributes &= ~(OBJ_INHERIT | OBJ_PROTECT_CLOSE);
        if (flags.Inherit) e->Attributes |= OBJ_INHERIT;
        if (flags.ProtectFromClose) e->Attributes |= OBJ_PROTECT_CLOSE;
        status = STATUS_SUCCESS;
    }
    ObpReleaseLock();
    return status;
}

NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE Handle)
{
    PVOID object;
    NTSTATUS status = ObReferenceObjectByHandle(Handle, DELETE, NULL, ObpPreviousMode(), &object, NULL);
    if (!NT_SUCCESS(status)) return status;
    ObMakeTemporaryObject(object);
    ObDereferenceObject(object);
    return STATUS_SUCCESS;
}
