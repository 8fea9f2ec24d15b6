/*
 * procmem.c - copying between two processes' memory (what NtReadVirtualMemory and
 * NtWriteVirtualMemory will call): the thread visits the source address space, copies a piece
 * into a kernel bounce buffer, visits the destination and copies it out, then returns to the
 * space it started in. Pieces never cross a page on either side, so a failure is exact to the
 * page: nothing copied is STATUS_ACCESS_VIOLATION, some is STATUS_PARTIAL_COPY.
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

NTSTATUS MmCopyVirtualMemory(PKPROCESS FromProcess, const VOID *FromAddress,
                             PKPROCESS ToProcess, PVOID ToAddress, SIZE_T Length, PSIZE_T Copied)
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

NTSTATUS MmReadVirtualMemory(PKPROCESS Process, const VOID *Address, PVOID Buffer, SIZE_T Length,
                             PSIZE_T Copied)
{
    return MmCopyVirtualMemory(Process, Address, KeGetCurrentAddressSpaceProcess(), Buffer, Length, Copied);
}

NTSTATUS MmWriteVirtualMemory(PKPROCESS Process, PVOID Address, const VOID *Buffer, SIZE_T Length,
                              PSIZE_T Copied)
{
    return MmCopyVirtualMemory(KeGetCurrentAddressSpaceProcess(), Buffer, Process, Address, Length, Copied);
}
