/*
 * vmsvc.c - the virtual memory services as user mode calls them: NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory, NtReadVirtualMemory and
 * NtWriteVirtualMemory. Each copies its arguments in from the caller's address space, references
 * the target process by handle, attaches to it for the work, detaches, and copies the results back
 * out - so every caller pointer is touched only in the caller's own context.
 */
#include "mm.h"
#include "ob.h"
#include "ex.h"
#include "ps.h"
#include "svc.h"
#include "ntstatus.h"

typedef struct _MI_TARGET {
    PEPROCESS Process;
    BOOLEAN Attached;
} MI_TARGET;

static NTSTATUS MiEnterProcess(HANDLE ProcessHandle, ACCESS_MASK Access, MI_TARGET *Target)
{
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, Access, PsProcessType, ExGetPreviousMode(),
                                                (PVOID *)&Target->Process, NULL);
    if (!NT_SUCCESS(status)) return status;
    Target->Attached = KeGetCurrentAddressSpaceProcess() != &Target->Process->Pcb;
    if (Target->Attached) KeAttachProcess(&Target->Process->Pcb);
    return STATUS_SUCCESS;
}

static VOID MiLeaveProcess(MI_TARGET *Target)
{
    if (Target->Attached) KeDetachProcess();
    ObDereferenceObject(Target->Process);
}

/* In: *Base and *Size from the caller, plus up to three plain arguments. Out: both written back
 * after the work, and a ULONG result when the service has one. */
typedef NTSTATUS (*MI_RANGE_ROUTINE)(PVOID *Base, PSIZE_T Size, const ULONG_PTR Args[3], PULONG Out);

static NTSTATUS MiRangeService(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                               MI_RANGE_ROUTINE Routine, const ULONG_PTR Args[3], PULONG Out)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PVOID base;
    SIZE_T size;
    ULONG out = 0;
    MI_TARGET target;
    NTSTATUS status = ExCopyIn(mode, &base, BaseAddress, sizeof(base));
    if (NT_SUCCESS(status)) status = ExCopyIn(mode, &size, RegionSize, sizeof(size));
    if (NT_SUCCESS(status) && Out) status = ExCopyOut(mode, Out, &out, sizeof(out));   /* writable? */
    if (!NT_SUCCESS(status)) return status;
    status = MiEnterProcess(ProcessHandle, PROCESS_VM_OPERATION, &target);
    if (!NT_SUCCESS(status)) return status;
    status = Routine(&base, &size, Args, &out);
    MiLeaveProcess(&target);
    if (!NT_SUCCESS(status)) return status;
    NTSTATUS copy = ExCopyOut(mode, BaseAddress, &base, sizeof(base));
    if (NT_SUCCESS(copy)) copy = ExCopyOut(mode, RegionSize, &size, sizeof(size));
    if (NT_SUCCESS(copy) && Out) copy = ExCopyOut(mode, Out, &out, sizeof(out));
    return NT_SUCCESS(copy) ? status : copy;
}

static NTSTATUS MiAllocate(PVOID *Base, PSIZE_T Size, const ULONG_PTR Args[3], PULONG Out)
{
    UNREFERENCED_PARAMETER(Out);
    return MmAllocateVirtualMemory(Base, Args[0], Size, (ULONG)Args[1], (ULONG)Args[2]);
}

static NTSTATUS MiFree(PVOID *Base, PSIZE_T Size, const ULONG_PTR Args[3], PULONG Out)
{
    UNREFERENCED_PARAMETER(Out);
    return MmFreeVirtualMemory(Base, Size, (ULONG)Args[0]);
}

static NTSTATUS MiProtect(PVOID *Base, PSIZE_T Size, const ULONG_PTR Args[3], PULONG Old)
{
    return MmProtectVirtualMemory(Base, Size, (ULONG)Args[0], Old);
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    const ULONG_PTR args[3] = { ZeroBits, AllocationType, Protect };
    return MiRangeService(ProcessHandle, BaseAddress, RegionSize, MiAllocate, args, NULL);
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    const ULONG_PTR args[3] = { FreeType, 0, 0 };
    return MiRangeService(ProcessHandle, BaseAddress, RegionSize, MiFree, args, NULL);
}

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T NumberOfBytesToProtect,
                                      ULONG NewAccessProtection, PULONG OldAccessProtection)
{
    const ULONG_PTR args[3] = { NewAccessProtection, 0, 0 };
    if (OldAccessProtection == NULL) return STATUS_INVALID_PARAMETER_5;
    return MiRangeService(ProcessHandle, BaseAddress, NumberOfBytesToProtect, MiProtect, args, OldAccessProtection);
}

NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, MEMORY_INFORMATION_CLASS InformationClass,
                                    PVOID Buffer, SIZE_T Length, PSIZE_T ResultLength)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    MEMORY_BASIC_INFORMATION info;
    MI_TARGET target;
    if (InformationClass != MemoryBasicInformation) return STATUS_INVALID_INFO_CLASS;
    if (Length < sizeof(info)) return STATUS_INFO_LENGTH_MISMATCH;
    if ((ULONG_PTR)BaseAddress > MM_HIGHEST_VAD_ADDRESS) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = MiEnterProcess(ProcessHandle, PROCESS_QUERY_INFORMATION, &target);
    if (!NT_SUCCESS(status)) return status;
    status = MmQueryVirtualMemory(BaseAddress, &info);
    MiLeaveProcess(&target);
    if (!NT_SUCCESS(status)) return status;
    SIZE_T written = sizeof(info);
    status = ExCopyOut(mode, Buffer, &info, sizeof(info));
    if (NT_SUCCESS(status) && ResultLength) status = ExCopyOut(mode, ResultLength, &written, sizeof(written));
    return status;
}

/* Both ranges are checked to lie in user space (for a user-mode caller) before Mm, which copies
 * kernel addresses without a second look, sees them. */
static NTSTATUS MiCopyService(HANDLE ProcessHandle, PVOID Remote, PVOID Local, SIZE_T Length, PSIZE_T Done,
                              BOOLEAN Write)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PEPROCESS p;
    SIZE_T copied = 0;
    if (mode == UserMode) {
        ULONG_PTR r = (ULONG_PTR)Remote, l = (ULONG_PTR)Local;
        if (r + Length < r || r + Length > MM_USER_PROBE_ADDRESS || l + Length < l || l + Length > MM_USER_PROBE_ADDRESS)
            return STATUS_ACCESS_VIOLATION;
        if (Done && !NT_SUCCESS(ProbeForWrite(Done, sizeof(SIZE_T), sizeof(ULONG)))) return STATUS_ACCESS_VIOLATION;
    }
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, Write ? PROCESS_VM_WRITE : PROCESS_VM_READ,
                                                PsProcessType, mode, (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (Length) status = Write ? MmWriteVirtualMemory(&p->Pcb, Remote, Local, Length, &copied)
                               : MmReadVirtualMemory(&p->Pcb, Remote, Local, Length, &copied);
    ObDereferenceObject(p);
    if (Done) {
        NTSTATUS copy = ExCopyOut(mode, Done, &copied, sizeof(copied));
        if (!NT_SUCCESS(copy)) return copy;
    }
    return status;
}

NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T BufferSize,
                                   PSIZE_T NumberOfBytesRead)
{
    return MiCopyService(ProcessHandle, BaseAddress, Buffer, BufferSize, NumberOfBytesRead, FALSE);
}

NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T BufferSize,
                                    PSIZE_T NumberOfBytesWritten)
{
    return MiCopyService(ProcessHandle, BaseAddress, Buffer, BufferSize, NumberOfBytesWritten, TRUE);
}
