/*
 * obcapture.c - bringing a caller's OBJECT_ATTRIBUTES and UNICODE_STRINGs into kernel memory.
 * NT's rule: nothing a user-mode caller passes may crash the kernel, and every value is read
 * once. So the structure is copied first, then the UNICODE_STRING it points to, then the
 * characters, each probed and copied with fault recovery (ExCopyIn) when the mode is UserMode;
 * only the kernel copies are looked at afterwards, so the caller cannot change a length or a
 * pointer between the check and the use. Kernel-mode callers are trusted and copied plainly.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

/* NT probes a UNICODE_STRING for ULONG alignment. */
NTSTATUS ObpCaptureStringHeader(KPROCESSOR_MODE Mode, PCUNICODE_STRING Source,
                                       PUNICODE_STRING Header)
{
    if (Mode != KernelMode) {
        NTSTATUS status = ProbeForRead(Source, sizeof(*Header), sizeof(ULONG));
        if (!NT_SUCCESS(status)) return status;
    }
    return ExCopyIn(Mode, Header, Source, sizeof(*Header));
}

NTSTATUS ObpCopyStringBuffer(KPROCESSOR_MODE Mode, PWSTR Dest, PCUNICODE_STRING Header)
{
    if (Mode != KernelMode) {
        NTSTATUS status = ProbeForRead(Header->Buffer, Header->Length, sizeof(WCHAR));
        if (!NT_SUCCESS(status)) return status;
    }
    return ExCopyIn(Mode, Dest, Header->Buffer, Header->Length);
}

/* Checks an already-copied name header and copies its characters into a new NUL-terminated
 * OB_NAME_TAG buffer. An empty name gives an empty string without a buffer. */
static NTSTATUS ObpCopyName(KPROCESSOR_MODE Mode, PUNICODE_STRING Captured, PCUNICODE_STRING Header)
{
    *Captured = (UNICODE_STRING){ 0, 0, NULL };
    if (Header->Length == 0) return STATUS_SUCCESS;
    if ((Header->Length & 1) || Header->Length > Header->MaximumLength || Header->Buffer == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    if (Header->Length > 0xFFFC) return STATUS_NAME_TOO_LONG;
    PWSTR b = ExAllocatePoolWithTag(PagedPool, Header->Length + sizeof(WCHAR), OB_NAME_TAG);
    if (b == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = ObpCopyStringBuffer(Mode, b, Header);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(b, OB_NAME_TAG);
        return status;
    }
    b[Header->Length / sizeof(WCHAR)] = 0;
    *Captured = (UNICODE_STRING){ Header->Length, (USHORT)(Header->Length + sizeof(WCHAR)), b };
    return STATUS_SUCCESS;
}

NTSTATUS ObpCaptureName(PUNICODE_STRING Captured, PCUNICODE_STRING Name)
{
    if (Name == NULL) {
        *Captured = (UNICODE_STRING){ 0, 0, NULL };
        return STATUS_SUCCESS;
    }
    return ObpCopyName(KernelMode, Captured, Name);
}

VOID ObpFreeName(PUNICODE_STRING Name)
{
    if (Name->Buffer) ExFreePoolWithTag(Name->Buffer, OB_NAME_TAG);
    *Name = (UNICODE_STRING){ 0, 0, NULL };
}

NTSTATUS ObpCaptureObjectName(KPROCESSOR_MODE Mode, PUNICODE_STRING Captured, PCUNICODE_STRING Name)
{
    UNICODE_STRING header;
    *Captured = (UNICODE_STRING){ 0, 0, NULL };
    if (Name == NULL) return STATUS_SUCCESS;
    NTSTATUS status = ObpCaptureStringHeader(Mode, Name, &header);
    if (!NT_SUCCESS(status)) return status;
    return ObpCopyName(Mode, Captured, &header);
}

NTSTATUS ObpCaptureObjectAttributes(KPROCESSOR_MODE Mode, const OBJECT_ATTRIBUTES *ObjectAttributes,
                                    ULONG InvalidAttributes, POBP_CAPTURED_ATTRIBUTES Captured)
{
    OBJECT_ATTRIBUTES oa;
    *Captured = (OBP_CAPTURED_ATTRIBUTES){ 0 };
    if (Mode != KernelMode) {
        NTSTATUS status = ProbeForRead(ObjectAttributes, sizeof(oa), sizeof(ULONG));
        if (!NT_SUCCESS(status)) return status;
    }
    NTSTATUS status = ExCopyIn(Mode, &oa, ObjectAttributes, sizeof(oa));
    if (!NT_SUCCESS(status)) return status;
    if (oa.Length != sizeof(OBJECT_ATTRIBUTES) || (oa.Attributes & ~OBJ_VALID_ATTRIBUTES) ||
        (oa.Attributes & InvalidAttributes))
        return STATUS_INVALID_PARAMETER;
    /* As on NT, OBJ_KERNEL_HANDLE from user mode is ignored rather than refused: the handle
     * goes to the caller's own table, never to the kernel's. */
    Captured->Attributes = Mode == KernelMode ? oa.Attributes : oa.Attributes & ~OBJ_KERNEL_HANDLE;
    Captured->RootDirectory = oa.RootDirectory;
    Captured->HasName = oa.ObjectName != NULL;
    return ObpCaptureObjectName(Mode, &Captured->ObjectName, oa.ObjectName);
}

VOID ObpReleaseObjectAttributes(POBP_CAPTURED_ATTRIBUTES Captured)
{
    ObpFreeName(&Captured->ObjectName);
}

/* NT probes an output pointer before doing any work, so that a bad one fails the call with
 * nothing created or changed. Reading the location and writing it back proves it mapped and
 * writable now; the final write (ExCopyOut, ExReturnHandle) still copes with a caller that
 * unmaps it in the meantime. */
NTSTATUS ObpProbeForWriteUlong(KPROCESSOR_MODE Mode, PVOID Address)
{
    ULONG value;
    if (Mode == KernelMode) return STATUS_SUCCESS;
    NTSTATUS status = ProbeForWrite(Address, sizeof(ULONG), sizeof(ULONG));
    if (NT_SUCCESS(status)) status = KeCopyFromUser(&value, Address, sizeof(value));
    if (NT_SUCCESS(status)) status = KeCopyToUser(Address, &value, sizeof(value));
    return status;
}
