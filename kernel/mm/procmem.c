/*
 * procmem.c - copying between two processes' memory (what NtReadVirtualMemory and
 * NtWriteVirtualMemory will call): the thread visits the source address space, copies a piece
 * into a kernel bounce buffer, visits the destination and copies it out, then returns to the
 * space it started in. Pieces never cross a page on either side, so a failure is exact to the
 * page: nothing copied is STATUS_ACCESS_VIOLATION, some is STATUS_PARTIAL_COPY. Read and write, the
 * NT services' view, report the other process's fault as STATUS_PARTIAL_COPY whatever was
 * copied (what ReadProcessMemory callers see as ERROR_PARTIAL_COPY) and keep
 * STATUS_ACCESS_VIOLATION for the caller's own buffer.
 *
 * User addresses go through KeCopyFromUser/KeCopyToUser (probe, then faults resolved or
 * fixed up); kernel addresses (>= KSEG0_BASE, the same in every space) are copied directly, so
 * the Nt wrappers must probe user-supplied pointers before calling.
 */
#include "mi.h"
#include "ke.h"
#include "rtl.h"
#include "svc.h"
#include "ntstatus.h"

static NTSTATUS MiCopyPiece(PVOID Dst, const VOID *Src, SIZE_T Length)
{
    if ((ULONG_PTR)Src >= KSEG0_BASE && (ULONG_PTR)Dst >= KSEG0_BASE) {
        RtlCopyMemory(Dst, Src, Length);
        return STATUS_SUCCESS;
    }
    if ((ULONG_PTR)Src >= KSEG0_BASE) return KeCopyToUser(Dst, Src, Length);
    return KeCopyFromUser(Dst, Src, Length);
}

static NTSTATUS MiCopyVirtualMemory(PKPROCESS FromProcess, const VOID *FromAddress, PKPROCESS ToProcess,
                                    PVOID ToAddress, SIZE_T Length, PSIZE_T Copied, PBOOLEAN SourceFault)
{
    PUCHAR bounce = ExAllocatePoolWithTag(NonPagedPool, PAGE_SIZE, TAG_MM_BOUNCE);
    if (bounce == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    PKPROCESS home = KeGetCurrentAddressSpaceProcess();
    const UCHAR *src = FromAddress;
    PUCHAR dst = ToAddress;
    SIZE_T done = 0;
    NTSTATUS status = STATUS_SUCCESS;
    while (done < Length) {
        SIZE_T n = Length - done;
        SIZE_T srcRoom = PAGE_SIZE - ((ULONG_PTR)(src + done) & (PAGE_SIZE - 1));
        SIZE_T dstRoom = PAGE_SIZE - ((ULONG_PTR)(dst + done) & (PAGE_SIZE - 1));
        if (n > srcRoom) n = srcRoom;
        if (n > dstRoom) n = dstRoom;
        MiSwitchAddressSpace(FromProcess);
        status = MiCopyPiece(bounce, src + done, n);
        *SourceFault = !NT_SUCCESS(status);
        if (NT_SUCCESS(status)) {
            MiSwitchAddressSpace(ToProcess);
            status = MiCopyPiece(dst + done, bounce, n);
        }
        if (!NT_SUCCESS(status)) break;
        done += n;
    }
    MiSwitchAddressSpace(home);
    ExFreePoolWithTag(bounce, TAG_MM_BOUNCE);
    if (Copied) *Copied = done;
    if (done == Length) return STATUS_SUCCESS;
    return done ? STATUS_PARTIAL_COPY : STATUS_ACCESS_VIOLATION;
}

NTSTATUS MmCopyVirtualMemory(PKPROCESS FromProcess, const VOID *FromAddress,
                             PKPROCESS ToProcess, PVOID ToAddress, SIZE_T Length, PSIZE_T Copied)
{
    BOOLEAN sourceFault = FALSE;
    return MiCopyVirtualMemory(FromProcess, FromAddress, ToProcess, ToAddress, Length, Copied, &sourceFault);
}

NTSTATUS MmReadVirtualMemory(PKPROCESS Process, const VOID *Address, PVOID Buffer, SIZE_T Length,
                             PSIZE_T Copied)
{
    BOOLEAN sourceFault = FALSE;
    NTSTATUS status = MiCopyVirtualMemory(Process, Address, KeGetCurrentAddressSpaceProcess(), Buffer, Length,
                                          Copied, &sourceFault);
    return !NT_SUCCESS(status) && sourceFault ? STATUS_PARTIAL_COPY : status;
}

NTSTATUS MmWriteVirtualMemory(PKPROCESS Process, PVOID Address, const VOID *Buffer, SIZE_T Length,
                              PSIZE_T Copied)
{
    BOOLEAN sourceFault = FALSE;
    NTSTATUS status = MiCopyVirtualMemory(KeGetCurrentAddressSpaceProcess(), Buffer, Process, Address, Length,
                                          Copied, &sourceFault);
    return !NT_SUCCESS(status) && !sourceFault && status != STATUS_INSUFFICIENT_RESOURCES ? STATUS_PARTIAL_COPY
                                                                                          : status;
}
