/*
 * sectsvc.c - the Section object type and its services: NtCreateSection (page-file-backed:
 * shared memory, named or not; SEC_IMAGE: a PE file's image, imagesect.c), NtOpenSection,
 * NtMapViewOfSection into any process the caller holds a handle to, NtUnmapViewOfSection,
 * NtQuerySection. The memory behind a section is section.c's; this file is its face to the object
 * manager and to user mode. Data-file sections (FileHandle without SEC_IMAGE) are refused.
 */
#include "mm.h"
#include "ob.h"
#include "ex.h"
#include "ps.h"
#include "svc.h"
#include "rtl.h"
#include "ntstatus.h"

POBJECT_TYPE MmSectionObjectType;

static VOID MiDeleteSectionObject(PVOID Object)
{
    MmDeleteSection(Object);          /* the body itself belongs to the object manager */
}

BOOLEAN MmInitializeSectionObjectType(VOID)
{
    return ExCreateObjectType(u"Section", SECTION_QUERY | SECTION_MAP_READ, SECTION_MAP_WRITE, SECTION_MAP_EXECUTE,
                              SECTION_ALL_ACCESS, MiDeleteSectionObject, FALSE, &MmSectionObjectType);
}

NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                               PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection, ULONG AllocationAttributes,
                               HANDLE FileHandle)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    LARGE_INTEGER size;
    PSECTION_OBJECT section;
    HANDLE h;
    BOOLEAN image = (AllocationAttributes & SEC_IMAGE) != 0;
    if (image && (AllocationAttributes != SEC_IMAGE || FileHandle == NULL)) return STATUS_INVALID_PARAMETER_6;
    if (FileHandle && !image) return STATUS_NOT_IMPLEMENTED;     /* data file sections: later */
    if (MaximumSize == NULL && !image) return STATUS_INVALID_PARAMETER_4;  /* no file to take the size from */
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(SectionHandle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = image ? STATUS_SUCCESS : ExCopyIn(mode, &size, MaximumSize, sizeof(size));
    if (!NT_SUCCESS(status)) return status;
    status = ObCreateObject(mode, MmSectionObjectType, ObjectAttributes, mode, NULL, sizeof(SECTION_OBJECT), 0, 0,
                            (PVOID *)&section);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(section, sizeof(*section));
    /* An image's size is its SizeOfImage: MaximumSize is ignored, as on NT. */
    status = image ? MmInitializeImageSection(section, FileHandle, mode, SectionPageProtection)
                   : MmInitializeSection(section, size, SectionPageProtection, AllocationAttributes);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(section);
        return status;
    }
    status = ObInsertObject(section, NULL, DesiredAccess, 0, NULL, &h);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, SectionHandle, h, status);
}

NTSTATUS NTAPI NtOpenSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExOpenObjectByName(MmSectionObjectType, SectionHandle, DesiredAccess, ObjectAttributes);
}

/* The section rights a view of this protection needs. */
static ACCESS_MASK MiSectionAccessFor(ULONG Protect)
{
    switch (Protect & 0xFF) {
    case PAGE_READWRITE: return SECTION_MAP_READ | SECTION_MAP_WRITE;
    case PAGE_EXECUTE_READWRITE: return SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_MAP_EXECUTE;
    case PAGE_EXECUTE: case PAGE_EXECUTE_READ: case PAGE_EXECUTE_WRITECOPY:
        return SECTION_MAP_READ | SECTION_MAP_EXECUTE;
    default: return SECTION_MAP_READ;                 /* read-only, write-copy, no access */
    }
}

NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                  SIZE_T CommitSize, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                                  SECTION_INHERIT InheritDisposition, ULONG AllocationType, ULONG Win32Protect)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PVOID base;
    SIZE_T size;
    LARGE_INTEGER offset = { .QuadPart = 0 };
    PSECTION_OBJECT section;
    PEPROCESS process;
    NTSTATUS status = ExCopyIn(mode, &base, BaseAddress, sizeof(base));
    if (NT_SUCCESS(status)) status = ExCopyIn(mode, &size, ViewSize, sizeof(size));
    if (NT_SUCCESS(status) && SectionOffset) status = ExCopyIn(mode, &offset, SectionOffset, sizeof(offset));
    if (!NT_SUCCESS(status)) return status;
    status = ObReferenceObjectByHandle(SectionHandle, MiSectionAccessFor(Win32Protect), MmSectionObjectType, mode,
                                       (PVOID *)&section, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_VM_OPERATION, PsProcessType, mode, (PVOID *)&process,
                                       NULL);
    if (NT_SUCCESS(status)) {
        status = MmMapViewOfSection(section, &process->Pcb, &base, ZeroBits, CommitSize, &offset, &size,
                                    InheritDisposition, AllocationType, Win32Protect);
        ObDereferenceObject(process);
    }
    ObDereferenceObject(section);
    if (!NT_SUCCESS(status)) return status;
    NTSTATUS copy = ExCopyOut(mode, BaseAddress, &base, sizeof(base));
    if (NT_SUCCESS(copy)) copy = ExCopyOut(mode, ViewSize, &size, sizeof(size));
    if (NT_SUCCESS(copy) && SectionOffset) copy = ExCopyOut(mode, SectionOffset, &offset, sizeof(offset));
    return NT_SUCCESS(copy) ? status : copy;
}

NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress)
{
    PEPROCESS process;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_VM_OPERATION, PsProcessType,
                                                ExGetPreviousMode(), (PVOID *)&process, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = MmUnmapViewOfSection(&process->Pcb, BaseAddress);
    ObDereferenceObject(process);
    return status;
}

NTSTATUS NTAPI NtQuerySection(HANDLE SectionHandle, SECTION_INFORMATION_CLASS InformationClass, PVOID Information,
                              SIZE_T Length, PSIZE_T ResultLength)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    union { SECTION_BASIC_INFORMATION Basic; SECTION_IMAGE_INFORMATION Image; } info;
    PSECTION_OBJECT section;
    ULONG written = 0;
    if (InformationClass != SectionBasicInformation && InformationClass != SectionImageInformation)
        return STATUS_INVALID_INFO_CLASS;
    NTSTATUS status = ObReferenceObjectByHandle(SectionHandle, SECTION_QUERY, MmSectionObjectType, mode,
                                                (PVOID *)&section, NULL);
    if (!NT_SUCCESS(status)) return status;
    status = MmQuerySection(section, InformationClass, &info, Length < sizeof(info) ? (ULONG)Length : sizeof(info),
                            &written);
    ObDereferenceObject(section);
    if (!NT_SUCCESS(status)) return status;
    status = ExCopyOut(mode, Information, &info, written);
    if (NT_SUCCESS(status) && ResultLength) {
        SIZE_T length = written;
        status = ExCopyOut(mode, ResultLength, &length, sizeof(length));
    }
    return status;
}
