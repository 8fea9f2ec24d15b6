/*
 * obcreate.c - making objects: ObCreateObject captures what the creator asked for (name,
 * attributes, root directory) and allocates header, name information and body in one pool block
 * tagged with the type's Key. The object is invisible until ObInsertObject (obinsert.c).
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"
#include "kd.h"

VOID ObpBadHeader(PVOID Object)
{
    KeBugCheckEx(BAD_OBJECT_HEADER, (ULONG_PTR)Object, Object ? OBJECT_TO_OBJECT_HEADER(Object)->Magic : 0, 0, 0);
}

VOID ObpFreeCreateInformation(POBJECT_HEADER Header)
{
    POBJECT_CREATE_INFORMATION ci = Header->ObjectCreateInfo;
    if (ci == NULL) return;
    ObpFreeName(&ci->ObjectName);
    ExFreePoolWithTag(ci, OB_CREATE_INFO_TAG);
    Header->ObjectCreateInfo = NULL;
    Header->Flags &= ~OB_FLAG_NEW_OBJECT;
}

NTSTATUS ObpAllocateObject(POBJECT_CREATE_INFORMATION CreateInfo, PCUNICODE_STRING Name,
                           POBJECT_TYPE Type, ULONG ObjectBodySize, PVOID *Object)
{
    BOOLEAN named = (Name && Name->Length) || (CreateInfo && CreateInfo->ObjectName.Length);
    ULONG prefix = named ? sizeof(OBJECT_HEADER_NAME_INFO) : 0;
    ULONG bytes = prefix + FIELD_OFFSET(OBJECT_HEADER, Body) + ObjectBodySize;
    if (ObjectBodySize > 0x10000000u) return STATUS_INVALID_PARAMETER;

    PCHAR block = ExAllocatePoolWithTag(Type->TypeInfo.PoolType, bytes, Type->Key);
    if (block == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(block, bytes);
    POBJECT_HEADER h = (POBJECT_HEADER)(block + prefix);
    if (named) {
        POBJECT_HEADER_NAME_INFO ni = (POBJECT_HEADER_NAME_INFO)block;
        NTSTATUS status = ObpCaptureName(&ni->Name, Name);
        if (!NT_SUCCESS(status)) {
            ExFreePoolWithTag(block, Type->Key);
            return status;
        }
    }
    h->PointerCount = 1;
    h->HandleCount = 0;
    h->Type = Type;
    h->NameInfoOffset = (UCHAR)prefix;
    h->Magic = OB_HEADER_MAGIC;
    h->ObjectCreateInfo = CreateInfo;
    if (CreateInfo) {
        h->Flags = OB_FLAG_NEW_OBJECT;
        if (CreateInfo->Attributes & OBJ_PERMANENT) h->Flags |= OB_FLAG_PERMANENT;
        if (CreateInfo->Attributes & OBJ_EXCLUSIVE) h->Flags |= OB_FLAG_EXCLUSIVE;
        if (CreateInfo->ProbeMode == KernelMode) h->Flags |= OB_FLAG_KERNEL_OBJECT;
    }
    ObpAcquireLock();
    if (++Type->TotalNumberOfObjects > Type->HighWaterNumberOfObjects)
        Type->HighWaterNumberOfObjects = Type->TotalNumberOfObjects;
    ObpReleaseLock();
    *Object = OBJECT_HEADER_TO_BODY(h);
    return STATUS_SUCCESS;
}

/* Captures the OBJECT_ATTRIBUTES (and the name they point to) into a new create information.
 * ProbeMode says whose memory they are in: a user-mode caller's are probed and copied once. */
static NTSTATUS ObpCaptureObjectCreateInformation(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE Type,
                                                  POBJECT_ATTRIBUTES ObjectAttributes,
                                                  PVOID ParseContext,
                                                  POBJECT_CREATE_INFORMATION *CreateInfo)
{
    OBP_CAPTURED_ATTRIBUTES oa = { 0 };
    NTSTATUS status = STATUS_SUCCESS;
    if (ObjectAttributes) {
        status = ObpCaptureObjectAttributes(ProbeMode, ObjectAttributes,
                                            Type->TypeInfo.InvalidAttributes, &oa);
        if (!NT_SUCCESS(status)) return status;
        if (oa.RootDirectory && oa.ObjectName.Length == 0) {
            ObpReleaseObjectAttributes(&oa);
            return STATUS_OBJECT_NAME_INVALID;             /* a root needs a name under it */
        }
    }
    POBJECT_CREATE_INFORMATION ci = ExAllocatePoolWithTag(NonPagedPool, sizeof(*ci), OB_CREATE_INFO_TAG);
    if (ci == NULL) {
        ObpReleaseObjectAttributes(&oa);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    /* The captured name's buffer now belongs to the create information. */
    *ci = (OBJECT_CREATE_INFORMATION){ .Attributes = oa.Attributes, .RootDirectory = oa.RootDirectory,
                                       .ProbeMode = ProbeMode, .ParseContext = ParseContext,
                                       .ObjectName = oa.ObjectName };
    *CreateInfo = ci;
    return STATUS_SUCCESS;
}

NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE Type,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE AccessMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object)
{
    POBJECT_CREATE_INFORMATION ci;
    if (Type == NULL || Object == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ObpCaptureObjectCreateInformation(ProbeMode, Type, ObjectAttributes,
                                                        ParseContext, &ci);
    if (!NT_SUCCESS(status)) return status;
    status = ObpAllocateObject(ci, NULL, Type, ObjectBodySize, Object);
    if (!NT_SUCCESS(status)) {
        ObpFreeName(&ci->ObjectName);
        ExFreePoolWithTag(ci, OB_CREATE_INFO_TAG);
    }
    return status;
}
