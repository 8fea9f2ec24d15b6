/*
 * process.c - creating processes: NtCreateProcessEx makes the EPROCESS, its address space (a
 * new page directory sharing the kernel half), its handle table (a copy of the parent's
 * inheritable handles when asked) and its PEB, and gives it a client id. Given an image section,
 * it maps the image at its base and the system DLL (ntdll) at its own, and describes the image in
 * the PEB, as NT does. The process has no thread yet: the creator writes the process parameters
 * and calls NtCreateThread, as kernel32 does.
 */
#include "psp.h"

#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x00000004u

NTSTATUS PspAllocateUserPage(PEPROCESS Process, SIZE_T Size, PVOID *Address)
{
    BOOLEAN attach = KeGetCurrentAddressSpaceProcess() != &Process->Pcb;
    PVOID base = NULL;
    SIZE_T size = Size;
    if (attach) KeAttachProcess(&Process->Pcb);
    NTSTATUS status = MmAllocateVirtualMemory(&base, 0, &size, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN,
                                              PAGE_READWRITE);
    if (attach) KeDetachProcess();
    *Address = base;
    return status;
}

/* The PEB's fixed fields: the version the system claims to be (Windows XP, 5.1.2600). */
static NTSTATUS PspCreatePeb(PEPROCESS p)
{
    PPEB peb;
    NTSTATUS status = PspAllocateUserPage(p, sizeof(PEB), (PVOID *)&peb);
    if (!NT_SUCCESS(status)) return status;
    KeAttachProcess(&p->Pcb);
    peb->Mutant = (PVOID)-1;
    peb->NumberOfProcessors = 1;
    peb->OSMajorVersion = 5;
    peb->OSMinorVersion = 1;
    peb->OSBuildNumber = 2600;
    peb->OSPlatformId = 2;
    KeDetachProcess();
    p->Peb = peb;
    return STATUS_SUCCESS;
}

/* The image and ntdll go in; the PEB learns where the image is and what it is. */
static NTSTATUS PspMapImage(PEPROCESS p, PSECTION_OBJECT Section)
{
    SECTION_IMAGE_INFORMATION sii;
    ULONG length;
    PVOID base = NULL;
    SIZE_T size = 0;
    NTSTATUS status = MmQuerySection(Section, SectionImageInformation, &sii, sizeof(sii), &length);
    if (NT_SUCCESS(status))
        status = MmMapViewOfSection(Section, &p->Pcb, &base, 0, 0, NULL, &size, ViewShare, 0,
                                    PAGE_EXECUTE_WRITECOPY);
    if (status == STATUS_IMAGE_NOT_AT_BASE) status = STATUS_SUCCESS;   /* the loader relocates it */
    if (NT_SUCCESS(status)) status = PspMapSystemDll(p);
    if (!NT_SUCCESS(status)) return status;
    PPEB peb = p->Peb;
    KeAttachProcess(&p->Pcb);
    peb->ImageBaseAddress = base;
    peb->ImageSubsystem = sii.SubSystemType;
    peb->ImageSubsystemMajorVersion = sii.SubSystemMajorVersion;
    peb->ImageSubsystemMinorVersion = sii.SubSystemMinorVersion;
    KeDetachProcess();
    return STATUS_SUCCESS;
}

static NTSTATUS PspBuildProcess(PEPROCESS p, PEPROCESS Parent, BOOLEAN InheritHandles, PSECTION_OBJECT Section)
{
    RtlZeroMemory(p, sizeof(*p));
    KeInitializeProcess(&p->Pcb, 8, 0);
    InitializeListHead(&p->ThreadListHead);
    InitializeListHead(&p->ActiveProcessLinks);
    p->ExitStatus = STATUS_PENDING;
    KeQuerySystemTime(&p->CreateTime);
    p->InheritedFromUniqueProcessId = Parent ? Parent->UniqueProcessId : 0;
    NTSTATUS status = MmCreateAddressSpace(&p->Pcb);
    if (!NT_SUCCESS(status)) return status;
    status = ObCreateHandleTable(InheritHandles && Parent ? Parent->ObjectTable : NULL, &p->ObjectTable);
    if (!NT_SUCCESS(status)) return status;
    p->UniqueProcessId = PspCreateCid(p);
    if (p->UniqueProcessId == 0) return STATUS_INSUFFICIENT_RESOURCES;
    status = PspCreatePeb(p);
    if (NT_SUCCESS(status) && Section) status = PspMapImage(p, Section);
    if (!NT_SUCCESS(status)) return status;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    InsertTailList(&PspActiveProcessHead, &p->ActiveProcessLinks);
    KeLowerIrql(old);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess, ULONG Flags,
                                 HANDLE SectionHandle, HANDLE DebugPort, HANDLE ExceptionPort, ULONG JobMemberLevel)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PEPROCESS parent = NULL, p;
    PSECTION_OBJECT section = NULL;
    HANDLE h;
    UNREFERENCED_PARAMETER(JobMemberLevel);
    /* Debug and exception ports arrive with LPC. */
    if (DebugPort || ExceptionPort) return STATUS_NOT_IMPLEMENTED;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(ProcessHandle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = STATUS_SUCCESS;
    if (SectionHandle)
        status = ObReferenceObjectByHandle(SectionHandle, SECTION_MAP_EXECUTE, MmSectionObjectType, mode,
                                           (PVOID *)&section, NULL);
    if (NT_SUCCESS(status) && ParentProcess)
        status = ObReferenceObjectByHandle(ParentProcess, PROCESS_CREATE_PROCESS, PsProcessType, mode,
                                           (PVOID *)&parent, NULL);
    if (NT_SUCCESS(status))
        status = ObCreateObject(mode, PsProcessType, ObjectAttributes, mode, NULL, sizeof(EPROCESS), 0, 0,
                                (PVOID *)&p);
    if (NT_SUCCESS(status)) {
        status = PspBuildProcess(p, parent, (Flags & PROCESS_CREATE_FLAGS_INHERIT_HANDLES) != 0, section);
        if (NT_SUCCESS(status)) status = ObInsertObject(p, NULL, DesiredAccess, 0, NULL, &h);
        else ObDereferenceObject(p);                  /* PspDeleteProcess undoes the rest */
    }
    if (parent) ObDereferenceObject(parent);
    if (section) ObDereferenceObject(section);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, ProcessHandle, h, status);
}

NTSTATUS NTAPI NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess,
                               BOOLEAN InheritObjectTable, HANDLE SectionHandle, HANDLE DebugPort,
                               HANDLE ExceptionPort)
{
    return NtCreateProcessEx(ProcessHandle, DesiredAccess, ObjectAttributes, ParentProcess,
                             InheritObjectTable ? PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0, SectionHandle,
                             DebugPort, ExceptionPort, 0);
}

VOID PspDeleteProcess(PVOID Object)
{
    PEPROCESS p = Object;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (p->ActiveProcessLinks.Flink) RemoveEntryList(&p->ActiveProcessLinks);
    KeLowerIrql(old);
    if (p->UniqueProcessId) PspDeleteCid(p->UniqueProcessId);
    if (p->ObjectTable) ObKillHandleTable(p->ObjectTable);
    if (p->Pcb.AddressSpace) MmDeleteAddressSpace(&p->Pcb);
}
