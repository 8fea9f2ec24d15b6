/*
 * obref.c - reference and handle counts, and the end of an object's life. An object lives while
 * its pointer count is above zero (each handle holds one reference, a directory entry holds one);
 * a temporary named object leaves the namespace when its last handle closes; the last
 * dereference runs the type's Delete procedure and frees the memory.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

VOID ObReferenceObject(PVOID Object)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    LONG before = __atomic_fetch_add(&h->PointerCount, 1, __ATOMIC_SEQ_CST);
    if (before <= 0) KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)h->Type, (ULONG_PTR)Object, 1, before);
}

/* The last reference is gone: nobody can reach the object any more. Runs below DISPATCH_LEVEL
 * (the delete procedures may wait); nobody drops a last reference at raised IRQL. */
static VOID ObpDeleteObject(POBJECT_HEADER Header)
{
    POBJECT_TYPE type = Header->Type;
    PVOID body = OBJECT_HEADER_TO_BODY(Header);
    POBJECT_HEADER_NAME_INFO ni = OBJECT_HEADER_TO_NAME_INFO(Header);

    if (type->TypeInfo.DeleteProcedure) type->TypeInfo.DeleteProcedure(body);
    if (ni) {
        if (ni->Directory != NULL)     /* the directory's reference should have kept it alive */
            KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)type, (ULONG_PTR)body, 2, 0);
        ObpFreeName(&ni->Name);
    }
    ObpFreeCreateInformation(Header);
    ObpAcquireLock();
    type->TotalNumberOfObjects--;
    ObpReleaseLock();
    Header->Magic = 0;                 /* a stale pointer now fails ObpGetHeader */
    ExFreePoolWithTag((PCHAR)Header - Header->NameInfoOffset, type->Key);
}

VOID ObDereferenceObject(PVOID Object)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    LONG count = __atomic_sub_fetch(&h->PointerCount, 1, __ATOMIC_SEQ_CST);
    if (count < 0) KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)h->Type, (ULONG_PTR)Object, 3, count);
    if (count == 0) ObpDeleteObject(h);
}

NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                    POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    if (ObjectType != NULL && h->Type != ObjectType) return STATUS_OBJECT_TYPE_MISMATCH;
    ObReferenceObject(Object);
    return STATUS_SUCCESS;
}

ULONG ObGetObjectPointerCount(PVOID Object) { return (ULONG)ObpGetHeader(Object)->PointerCount; }
ULONG ObGetObjectHandleCount(PVOID Object) { return (ULONG)ObpGetHeader(Object)->HandleCount; }

VOID ObpIncrementHandleCountLocked(POBJECT_HEADER Header)
{
    POBJECT_TYPE type = Header->Type;
    Header->HandleCount++;
    if (++type->TotalNumberOfHandles > type->HighWaterNumberOfHandles)
        type->HighWaterNumberOfHandles = type->TotalNumberOfHandles;
}

VOID ObpIncrementHandleCount(PVOID Object)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    ObpAcquireLock();
    ObpIncrementHandleCountLocked(h);
    ObpReleaseLock();
}

VOID ObpDeleteNameCheck(PVOID Object)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    PVOID dropObject = NULL, dropDirectory = NULL;
    ObpAcquireLock();
    if (h->HandleCount == 0 && (h->Flags & OB_FLAG_IN_NAMESPACE) && !(h->Flags & OB_FLAG_PERMANENT))
        ObpRemoveDirectoryEntry(Object, &dropObject, &dropDirectory);
    ObpReleaseLock();
    /* The caller still holds a reference, so the object outlives its directory's. */
    if (dropObject) ObDereferenceObject(dropObject);
    if (dropDirectory) ObDereferenceObject(dropDirectory);
}

VOID ObpDecrementHandleCount(PVOID Object, ACCESS_MASK GrantedAccess)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    POBJECT_TYPE type = h->Type;
    ObpAcquireLock();
    ULONG before = (ULONG)h->HandleCount--;
    type->TotalNumberOfHandles--;
    ObpReleaseLock();
    /* One (system) process for now: its count and the system's are the same. */
    if (type->TypeInfo.CloseProcedure)
        type->TypeInfo.CloseProcedure(NULL, Object, GrantedAccess, before, before);
    ObpDeleteNameCheck(Object);
}

VOID ObMakeTemporaryObject(PVOID Object)
{
    POBJECT_HEADER h = ObpGetHeader(Object);
    ObpAcquireLock();
    h->Flags &= ~OB_FLAG_PERMANENT;
    ObpReleaseLock();
    ObpDeleteNameCheck(Object);
}
