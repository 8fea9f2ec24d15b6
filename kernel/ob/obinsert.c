/*
 * obinsert.c - ObInsertObject: the step that makes a new object visible. A named object is
 * entered in its directory (or, with OBJ_OPENIF, the existing object of that name is used
 * instead and the new one is discarded); then a handle is made, which takes over the creation
 * reference. The creation information captured by ObCreateObject is freed here.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

/* Enters a new named object in the namespace. Returns the object to go on with: Object itself,
 * or with OBJ_OPENIF an existing one (referenced) - then Object has been dereferenced. */
static NTSTATUS ObpInsertName(PVOID Object, POBJECT_CREATE_INFORMATION CreateInfo, PVOID *Result)
{
    POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(Object)->Type;
    PVOID found;
    NTSTATUS status = ObpLookupObjectName(CreateInfo->RootDirectory, &CreateInfo->ObjectName,
                                          CreateInfo->Attributes, type, CreateInfo->ProbeMode,
                                          CreateInfo->ParseContext, Object, &found);
    if (NT_SUCCESS(status) && found != Object) {
        if (!(CreateInfo->Attributes & OBJ_OPENIF)) status = STATUS_OBJECT_NAME_COLLISION;
        else if (ObGetObjectType(found) != type) status = STATUS_OBJECT_TYPE_MISMATCH;
        else status = STATUS_OBJECT_NAME_EXISTS;
        if (!NT_SUCCESS(status)) ObDereferenceObject(found);
    }
    *Result = NT_SUCCESS(status) ? found : NULL;
    return status;
}

NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                        ULONG ObjectPointerBias, PVOID *NewObject, PHANDLE Handle)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    POBJECT_CREATE_INFORMATION ci = h->ObjectCreateInfo;
    if (!(h->Flags & OB_FLAG_NEW_OBJECT) || ci == NULL) return STATUS_INVALID_PARAMETER;
    if (Handle == NULL && NewObject == NULL) return STATUS_INVALID_PARAMETER;
    if (PassedAccessState)
        DesiredAccess = PassedAccessState->RemainingDesiredAccess | PassedAccessState->PreviouslyGrantedAccess;

    POBJECT_TYPE type = h->Type;
    ULONG attributes = ci->Attributes;
    KPROCESSOR_MODE mode = ci->ProbeMode;
    PVOID object = Object;
    NTSTATUS status = STATUS_SUCCESS;
    if (ci->ObjectName.Length != 0) status = ObpInsertName(Object, ci, &object);
    ObpFreeCreateInformation(h);
    if (object != Object) ObDereferenceObject(Object);      /* failed, or OBJ_OPENIF found one */
    if (!NT_SUCCESS(status)) return status;

    if (Handle != NULL) {
        NTSTATUS hs = ObpCreateHandle(ObpTableForNewHandle(attributes, mode), object,
                                      ObpMapDesiredAccess(type, DesiredAccess),
                                      attributes & OBJ_INHERIT, Handle);
        if (!NT_SUCCESS(hs)) {
            ObpDeleteNameCheck(object);       /* a temporary name with no handle goes */
            ObDereferenceObject(object);
            return hs;
        }
    }
    if (ObjectPointerBias) {
        ObpAcquireLock();
        OBJECT_TO_OBJECT_HEADER(object)->PointerCount += (LONG)ObjectPointerBias;
        ObpReleaseLock();
    }
    if (NewObject) *NewObject = object;
    return status;
}
