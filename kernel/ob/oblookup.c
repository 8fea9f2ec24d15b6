/*
 * oblookup.c - turning a name into an object: ObpLookupObjectName walks the path one component
 * at a time from the root (or from a directory handle), following symbolic links and handing the
 * rest of the path to any object whose type has a Parse procedure (the I/O manager's devices);
 * with an object to insert, a missing last component becomes its name. ObOpenObjectByName and
 * ObReferenceObjectByName are the public ways in.
 *
 * Errors, as NT gives them: an absolute name without its leading '\' (or a relative one that
 * has it) is STATUS_OBJECT_PATH_SYNTAX_BAD; an empty component ("\\", a trailing '\') is
 * STATUS_OBJECT_NAME_INVALID; a missing directory on the way is STATUS_OBJECT_PATH_NOT_FOUND and
 * a missing last component STATUS_OBJECT_NAME_NOT_FOUND; a path through an object that is
 * neither a directory nor parsable is STATUS_OBJECT_TYPE_MISMATCH; more than OB_MAX_REPARSE
 * reparses (a link loop) end in STATUS_OBJECT_NAME_NOT_FOUND.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

PVOID ObpRootDirectoryObject;

/* Splits Remaining at its first '\': Component before it; Rest from the '\' on (empty if none). */
static VOID ObpSplitPath(PCUNICODE_STRING Remaining, PUNICODE_STRING Component, PUNICODE_STRING Rest)
{
    ULONG n = Remaining->Length / sizeof(WCHAR), i = 0;
    while (i < n && Remaining->Buffer[i] != OBJ_NAME_PATH_SEPARATOR) i++;
    Component->Buffer = Remaining->Buffer;
    Component->Length = Component->MaximumLength = (USHORT)(i * sizeof(WCHAR));
    Rest->Buffer = Remaining->Buffer + i;
    Rest->Length = Rest->MaximumLength = (USHORT)((n - i) * sizeof(WCHAR));
}

/* Hands Remaining to Object's Parse procedure. Returns its status; *Result is its object. */
static NTSTATUS ObpCallParse(PVOID Object, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                             ULONG Attributes, PUNICODE_STRING Complete, PUNICODE_STRING Remaining,
                             PVOID ParseContext, PVOID *Result)
{
    OB_PARSE_METHOD parse = OBJECT_TO_OBJECT_HEADER(Object)->Type->TypeInfo.ParseProcedure;
    *Result = NULL;
    NTSTATUS status = parse(Object, ObjectType, NULL, AccessMode, Attributes, Complete, Remaining,
                            ParseContext, NULL, Result);
    if (status == STATUS_REPARSE) return status;
    if (NT_SUCCESS(status) && *Result == NULL) status = STATUS_OBJECT_NAME_NOT_FOUND;
    if (!NT_SUCCESS(status) && *Result != NULL) {
        ObDereferenceObject(*Result);
        *Result = NULL;
    }
    return status;
}

/* The starting point of a walk: the root directory for an absolute name, else the directory
 * (or parsable object) RootDirectory. Returns it referenced in *Start and what is left of the
 * name after it in *Remaining. */
static NTSTATUS ObpStartLookup(HANDLE RootDirectory, PUNICODE_STRING Complete,
                               KPROCESSOR_MODE AccessMode, PVOID *Start, PUNICODE_STRING Remaining)
{
    BOOLEAN absolute = Complete->Length != 0 && Complete->Buffer[0] == OBJ_NAME_PATH_SEPARATOR;
    *Remaining = *Complete;
    if (RootDirectory == NULL) {
        if (Complete->Length == 0) return STATUS_OBJECT_NAME_INVALID;
        if (!absolute) return STATUS_OBJECT_PATH_SYNTAX_BAD;
        Remaining->Buffer++;
        Remaining->Length -= sizeof(WCHAR);
        Remaining->MaximumLength = Remaining->Length;
        ObReferenceObject(ObpRootDirectoryObject);
        *Start = ObpRootDirectoryObject;
        return STATUS_SUCCESS;
    }
    if (absolute) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    return ObReferenceObjectByHandle(RootDirectory, 0, NULL, AccessMode, Start, NULL);
}

NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PCUNICODE_STRING ObjectName, ULONG Attributes,
                             POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                             PVOID ParseContext, PVOID InsertObject, PVOID *FoundObject)
{
    UNICODE_STRING complete, remaining, component, rest;
    PVOID current = NULL, found = NULL;
    ULONG reparses = 0;
    BOOLEAN ci = (Attributes & OBJ_CASE_INSENSITIVE) ||
                 (ObjectType != NULL && ObjectType->TypeInfo.CaseInsensitive);
    *FoundObject = NULL;

    /* Our own copy: a Parse procedure may replace it with a new name. */
    NTSTATUS status = ObpCaptureName(&complete, ObjectName);
    if (!NT_SUCCESS(status)) return status;

restart:
    status = ObpStartLookup(RootDirectory, &complete, AccessMode, &current, &remaining);
    while (NT_SUCCESS(status)) {
        POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(current)->Type;
        if (type->TypeInfo.ParseProcedure) {
            /* It takes over the rest of the path ("\dir\file", or empty). */
            status = ObpCallParse(current, ObjectType, AccessMode, Attributes, &complete,
                                  &remaining, ParseContext, &found);
            if (status == STATUS_REPARSE) {
                ObDereferenceObject(current);
                current = NULL;
                if (++reparses > OB_MAX_REPARSE) { status = STATUS_OBJECT_NAME_NOT_FOUND; break; }
                RootDirectory = NULL;        /* the new name is absolute */
                goto restart;
            }
            break;
        }
        if (remaining.Length == 0) {         /* the path ends here: this is the object */
            found = current;
            current = NULL;
            break;
        }
        if (type != ObpDirectoryObjectType) { status = STATUS_OBJECT_TYPE_MISMATCH; break; }

        /* Directory: after the first component a '\' introduces the next one. */
        if (remaining.Buffer[0] == OBJ_NAME_PATH_SEPARATOR && current != ObpRootDirectoryObject) {
            remaining.Buffer++;
            remaining.Length -= sizeof(WCHAR);
        }
        ObpSplitPath(&remaining, &component, &rest);
        if (component.Length == 0) { status = STATUS_OBJECT_NAME_INVALID; break; }
        BOOLEAN last = rest.Length == 0;

        ObpAcquireLock();
        PVOID next = ObpLookupDirectoryEntry(current, &component, ci);
        if (next == NULL) {
            if (!last) status = STATUS_OBJECT_PATH_NOT_FOUND;
            else if (InsertObject == NULL) status = STATUS_OBJECT_NAME_NOT_FOUND;
            else if (NT_SUCCESS(status = ObpInsertDirectoryEntry(current, InsertObject, &component)))
                found = InsertObject;
            ObpReleaseLock();
            break;
        }
        OBJECT_TO_OBJECT_HEADER(next)->PointerCount++;      /* ObReferenceObject, lock held */
        ObpReleaseLock();
        ObDereferenceObject(current);
        current = next;
        remaining = rest;
        if (last && InsertObject) {          /* the name exists: the caller decides */
            found = current;
            current = NULL;
            break;
        }
    }
    if (current) ObDereferenceObject(current);
    ObpFreeName(&complete);
    *FoundObject = found;
    return status;
}

NTSTATUS ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes,
                                 PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                                 POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                 PVOID ParseContext, PVOID *Object)
{
    UNICODE_STRING name;
    PVOID found;
    if (ObjectName == NULL) return STATUS_OBJECT_NAME_INVALID;
    /* The name may be in AccessMode's memory: the lookup sees only our copy of it. */
    NTSTATUS status = ObpCaptureObjectName(AccessMode, &name, ObjectName);
    if (!NT_SUCCESS(status)) return status;
    status = ObpLookupObjectName(NULL, &name, Attributes, ObjectType, AccessMode, ParseContext,
                                 NULL, &found);
    ObpFreeName(&name);
    if (!NT_SUCCESS(status)) return status;
    if (ObjectType != NULL && ObGetObjectType(found) != ObjectType) {
        ObDereferenceObject(found);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    *Object = found;
    return STATUS_SUCCESS;
}

/* The handle is written to *Handle, which is kernel memory: the Nt* services copy it out. */
NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE PassedAccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle)
{
    OBP_CAPTURED_ATTRIBUTES oa;
    PVOID object;
    if (ObjectAttributes == NULL) return STATUS_INVALID_PARAMETER;
    /* The attributes and the name are in AccessMode's memory: capture them once. */
    NTSTATUS status = ObpCaptureObjectAttributes(AccessMode, ObjectAttributes, 0, &oa);
    if (!NT_SUCCESS(status)) return status;
    if (!oa.HasName && oa.RootDirectory == NULL) {
        ObpReleaseObjectAttributes(&oa);
        return STATUS_OBJECT_NAME_INVALID;
    }
    status = ObpLookupObjectName(oa.RootDirectory, &oa.ObjectName, oa.Attributes, ObjectType,
                                 AccessMode, ParseContext, NULL, &object);
    ObpReleaseObjectAttributes(&oa);
    if (!NT_SUCCESS(status)) return status;
    POBJECT_TYPE type = ObGetObjectType(object);
    if (ObjectType != NULL && type != ObjectType) {
        ObDereferenceObject(object);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    /* The lookup's reference becomes the handle's. */
    status = ObpCreateHandle(ObpTableForNewHandle(oa.Attributes, AccessMode), object,
                             ObpMapDesiredAccess(type, DesiredAccess), oa.Attributes & OBJ_INHERIT,
                             Handle);
    if (!NT_SUCCESS(status)) ObDereferenceObject(object);
    return status;
}
