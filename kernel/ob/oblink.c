/*
 * oblink.c - symbolic link objects: a name whose lookup continues at another name. The link
 * type's Parse procedure replaces "<link><rest>" with "<target><rest>" and asks the lookup to
 * start again (STATUS_REPARSE); a link at the end of a path is opened itself only when the
 * caller asks for a SymbolicLink. Also NtCreate/Open/QuerySymbolicLinkObject.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

POBJECT_TYPE ObpSymbolicLinkObjectType;

static NTSTATUS ObpParseSymbolicLink(PVOID ParseObject, POBJECT_TYPE ObjectType,
                                     PACCESS_STATE AccessState, KPROCESSOR_MODE AccessMode,
                                     ULONG Attributes, PUNICODE_STRING CompleteName,
                                     PUNICODE_STRING RemainingName, PVOID Context,
                                     PVOID SecurityQos, PVOID *Object)
{
    POBJECT_SYMBOLIC_LINK link = ParseObject;
    *Object = NULL;
    if (RemainingName->Length == 0 && ObjectType == ObpSymbolicLinkObjectType) {
        ObReferenceObject(ParseObject);              /* NtOpenSymbolicLinkObject: the link */
        *Object = ParseObject;
        return STATUS_SUCCESS;
    }
    ULONG length = (ULONG)link->LinkTarget.Length + RemainingName->Length;
    if (length > 0xFFFC) return STATUS_NAME_TOO_LONG;
    PWSTR b = ExAllocatePoolWithTag(PagedPool, length + sizeof(WCHAR), OB_NAME_TAG);
    if (b == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    /* RemainingName points into CompleteName: copy it before the old buffer goes. */
    RtlCopyMemory(b, link->LinkTarget.Buffer, link->LinkTarget.Length);
    RtlCopyMemory((PUCHAR)b + link->LinkTarget.Length, RemainingName->Buffer, RemainingName->Length);
    b[length / sizeof(WCHAR)] = 0;
    ObpFreeName(CompleteName);
    *CompleteName = (UNICODE_STRING){ (USHORT)length, (USHORT)(length + sizeof(WCHAR)), b };
    return STATUS_REPARSE;
}

static VOID ObpDeleteSymbolicLink(PVOID Object)
{
    POBJECT_SYMBOLIC_LINK link = Object;
    if (link->LinkTarget.Buffer)
        ExFreePoolWithTag(link->LinkTarget.Buffer, ObpSymbolicLinkObjectType->Key);
}

NTSTATUS ObpCreateSymbolicLinkType(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"SymbolicLink");
    OBJECT_TYPE_INITIALIZER init = {
        .Length = sizeof(init),
        .CaseInsensitive = TRUE,
        .InvalidAttributes = OBJ_OPENLINK,
        .GenericMapping = { STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY,
                            STANDARD_RIGHTS_WRITE,
                            STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY,
                            SYMBOLIC_LINK_ALL_ACCESS },
        .ValidAccessMask = SYMBOLIC_LINK_ALL_ACCESS,
        .PoolType = PagedPool,
        .DeleteProcedure = ObpDeleteSymbolicLink,
        .ParseProcedure = ObpParseSymbolicLink,
    };
    return ObCreateObjectType(&name, &init, NULL, &ObpSymbolicLinkObjectType);
}

/* Copies the caller's target string into a new NUL-terminated buffer tagged with the link
 * type's Key. A malformed string is STATUS_INVALID_PARAMETER, as on NT. */
static NTSTATUS ObpCaptureLinkTarget(KPROCESSOR_MODE Mode, PCUNICODE_STRING LinkTarget,
                                     PUNICODE_STRING Captured)
{
    UNICODE_STRING target;
    ULONG tag = ObpSymbolicLinkObjectType->Key;
    if (LinkTarget == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ObpCaptureStringHeader(Mode, LinkTarget, &target);
    if (!NT_SUCCESS(status)) return status;
    if ((target.Length & 1) || target.Length > target.MaximumLength ||
        (target.Length && target.Buffer == NULL))
        return STATUS_INVALID_PARAMETER;
    PWSTR b = ExAllocatePoolWithTag(PagedPool, target.Length + sizeof(WCHAR), tag);
    if (b == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    status = ObpCopyStringBuffer(Mode, b, &target);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(b, tag);
        return status;
    }
    b[target.Length / sizeof(WCHAR)] = 0;
    *Captured = (UNICODE_STRING){ target.Length, (USHORT)(target.Length + sizeof(WCHAR)), b };
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes,
                                          PUNICODE_STRING LinkTarget)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    UNICODE_STRING target;
    NTSTATUS status = ObpProbeForWriteUlong(mode, LinkHandle);
    if (NT_SUCCESS(status)) status = ObpCaptureLinkTarget(mode, LinkTarget, &target);
    if (!NT_SUCCESS(status)) return status;

    POBJECT_SYMBOLIC_LINK link;
    status = ObCreateObject(mode, ObpSymbolicLinkObjectType, ObjectAttributes, mode, NULL,
                            sizeof(*link), 0, 0, (PVOID *)&link);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(target.Buffer, ObpSymbolicLinkObjectType->Key);
        return status;
    }
    link->LinkTarget = target;                 /* freed by ObpDeleteSymbolicLink from now on */
    link->CreationTime.QuadPart = (LONGLONG)KeTickCount * KeQueryTimeIncrement();
    HANDLE handle;
    status = ObInsertObject(link, NULL, DesiredAccess, 0, NULL, &handle);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, LinkHandle, handle, status);
}

NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    HANDLE handle;
    NTSTATUS status = ObpProbeForWriteUlong(mode, LinkHandle);
    if (!NT_SUCCESS(status)) return status;
    status = ObOpenObjectByName(ObjectAttributes, ObpSymbolicLinkObjectType, mode, NULL,
                                DesiredAccess, NULL, &handle);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, LinkHandle, handle, status);
}

/* Copies the target into the caller's string: the characters into Buffer (with a NUL when it
 * fits) and the new Length into the UNICODE_STRING, which NT probes for writing. */
static NTSTATUS ObpReturnLinkTarget(KPROCESSOR_MODE Mode, PUNICODE_STRING LinkTarget,
                                    PCUNICODE_STRING Caller, PCUNICODE_STRING Target)
{
    NTSTATUS status = ExCopyOut(Mode, Caller->Buffer, Target->Buffer, Target->Length);
    if (NT_SUCCESS(status) && Target->Length + sizeof(WCHAR) <= Caller->MaximumLength) {
        static const WCHAR nul = 0;
        status = ExCopyOut(Mode, (PUCHAR)Caller->Buffer + Target->Length, &nul, sizeof(nul));
    }
    if (NT_SUCCESS(status))
        status = ExCopyOut(Mode, &LinkTarget->Length, &Target->Length, sizeof(USHORT));
    return status;
}

NTSTATUS NTAPI NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget,
                                         PULONG ReturnedLength)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    POBJECT_SYMBOLIC_LINK link;
    UNICODE_STRING caller;
    /* The caller's string is read once; its Buffer is probed for all of MaximumLength. */
    NTSTATUS status = STATUS_SUCCESS;
    if (mode != KernelMode) status = ProbeForWrite(LinkTarget, sizeof(*LinkTarget), sizeof(ULONG));
    if (NT_SUCCESS(status)) status = ObpCaptureStringHeader(mode, LinkTarget, &caller);
    if (NT_SUCCESS(status) && mode != KernelMode)
        status = ProbeForWrite(caller.Buffer, caller.MaximumLength, sizeof(WCHAR));
    if (NT_SUCCESS(status) && ReturnedLength) status = ObpProbeForWriteUlong(mode, ReturnedLength);
    if (!NT_SUCCESS(status)) return status;

    status = ObReferenceObjectByHandle(LinkHandle, SYMBOLIC_LINK_QUERY, ObpSymbolicLinkObjectType,
                                       mode, (PVOID *)&link, NULL);
    if (!NT_SUCCESS(status)) return status;
    PCUNICODE_STRING t = &link->LinkTarget;
    ULONG needed = t->Length + sizeof(WCHAR);
    if (t->Length <= caller.MaximumLength)
        status = ObpReturnLinkTarget(mode, LinkTarget, &caller, t);
    else
        status = STATUS_BUFFER_TOO_SMALL;
    /* The needed length is reported after a too-small buffer too, so the caller can retry. */
    if (ReturnedLength && (NT_SUCCESS(status) || status == STATUS_BUFFER_TOO_SMALL)) {
        NTSTATUS copy = ExCopyOut(mode, ReturnedLength, &needed, sizeof(needed));
        if (!NT_SUCCESS(copy)) status = copy;
    }
    ObDereferenceObject(link);
    return status;
}
