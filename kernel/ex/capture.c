/*
 * capture.c - moving a service's arguments across the user/kernel boundary. A kernel-mode caller
 * (a Zw call) is trusted and copied plainly; a user-mode caller's pointers are probed and copied
 * with fault recovery (svc.h), so a bad pointer becomes STATUS_ACCESS_VIOLATION, never a crash.
 * Services copy each argument in once and work on the copy, so user mode cannot change it
 * underneath them.
 */
#include "ex.h"
#include "ob.h"
#include "svc.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"

NTSTATUS ExCopyIn(KPROCESSOR_MODE Mode, PVOID Dst, const VOID *Src, SIZE_T Length)
{
    if (Mode == KernelMode) {
        RtlCopyMemory(Dst, Src, Length);
        return STATUS_SUCCESS;
    }
    return KeCopyFromUser(Dst, Src, Length);
}

NTSTATUS ExCopyOut(KPROCESSOR_MODE Mode, PVOID Dst, const VOID *Src, SIZE_T Length)
{
    if (Mode == KernelMode) {
        RtlCopyMemory(Dst, Src, Length);
        return STATUS_SUCCESS;
    }
    return KeCopyToUser(Dst, Src, Length);
}

/* NULL means "wait forever"; otherwise the caller's value is copied and *Result points at it. */
NTSTATUS ExCaptureTimeout(KPROCESSOR_MODE Mode, PLARGE_INTEGER UserTimeout, PLARGE_INTEGER Captured,
                          PLARGE_INTEGER *Result)
{
    *Result = NULL;
    if (UserTimeout == NULL) return STATUS_SUCCESS;
    NTSTATUS status = ExCopyIn(Mode, Captured, UserTimeout, sizeof(*Captured));
    if (NT_SUCCESS(status)) *Result = Captured;
    return status;
}

NTSTATUS ExReturnHandle(KPROCESSOR_MODE Mode, PHANDLE Dst, HANDLE Handle, NTSTATUS Status)
{
    NTSTATUS copy = ExCopyOut(Mode, Dst, &Handle, sizeof(Handle));
    if (!NT_SUCCESS(copy)) {
        ObCloseHandle(Handle, KernelMode);
        return copy;
    }
    return Status;          /* keeps informational codes such as STATUS_OBJECT_NAME_EXISTS */
}
