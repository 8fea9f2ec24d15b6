/*
 * process.c - creating processes: NtCreateProcessEx makes the EPROCESS, its address space (a
 * new page directory sharing the kernel half), its handle table (a copy of the parent's
 * inheritable handles when asked) and its PEB, and gives it a client id. The process has no
 * thread yet: the creator maps code into it and calls NtCreateThread, as kernel32 does.
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

static NTSTATUS PspBuildProcess(PEPROCESS p, PEPROCESS Parent, BOOLEAN InheritHandles)
{
    RtlZeroMemory(p, sizeof(*p));
    KeInitializeProcess(&p->Pcb, 8, 0);
    InitializeListHead(&p->ThreadListHead);
    InitializeListHead(&p->ActiveProcessLinks);
    p->ExitStatus = STATUS_PENDING;
    p->InheritedFromUniqueProcessId = Parent ? Parent->UniqueProcessId : 0;
    NTSTATUS status = MmCreateAddressSpace(&p->Pcb);
    if (!NT_SUCCESS(status)) return status;
    status = ObCreateHandleTable(InheritHandles && Parent ? Parent->ObjectTable : NULL, &p->ObjectTable);
    if (!NT_SUCCESS(status)) return status;
    p->UniqueProcessId = PspCreateCid(p);
    if (p->UniqueProcessId == 0) return STATUS_INSUFFICIENT_RESOURCES;
    status = PspCreatePeb(p);
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
    HANDLE h;
    UNREFERENCED_PARAMETER(JobMemberLevel);
    /* Image sections arrive with the loader, debug and exception ports with LPC. */
    if (SectionHandle || DebugPort || ExceptionPort) return STATUS_NOT_IMPLEMENTED;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(ProcessHandle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    if (ParentProcess) {
        NTSTATUS status = ObReferenceObjectByHandle(ParentProcess, PROCESS_CREATE_PROCESS, PsProcessType, mode,
                                                    (PVOID *)&parent, NULL);
        if (!NT_SUCCESS(status)) return status;
    }
    NTSTATUS status = ObCreateObject(mode, PsProcessType, ObjectAttributes, mode, NULL, sizeof(EPROCESS), 0, 0,
                                     (PVOID *)&p);
    if (NT_SUCCESS(status)) {
        status = PspBuildProcess(p, parent, (Flags & PROCESS_CREATE_FLAGS_INHERIT_HANDLES) != 0);
        if (NT_SUCCESS(status)) status = ObInsertObject(p, NULL, DesiredAccess, 0, NULL, &h);
        else ObDereferenceObject(p);                  /* PspDeleteProcess undoes the rest */
    }
    if (parent) ObDereferenceObject(parent);
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
