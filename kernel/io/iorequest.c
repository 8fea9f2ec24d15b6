/*
 * iorequest.c - the path every file service takes for one request: reference the file object
 * behind the handle (checking the handle's access for user-mode callers) and the caller's
 * event, take a synchronous file's lock, build an IRP over a kernel copy of the data, call the
 * driver and wait for completion, then write the IO_STATUS_BLOCK as NT does (not for errors),
 * signal the events and free everything.
 */
#include "iop.h"

NTSTATUS IopProbeIosb(PIO_STATUS_BLOCK Iosb, KPROCESSOR_MODE Mode)
{
    IO_STATUS_BLOCK old;
    if (Mode == KernelMode) return Iosb ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    /* Read and write back, as NT's probe touches it: unmapped or read-only fails now, before
     * the device has done anything. */
    NTSTATUS status = ProbeForWrite(Iosb, sizeof(*Iosb), sizeof(ULONG));
    if (NT_SUCCESS(status) && Iosb == NULL) status = STATUS_ACCESS_VIOLATION;
    if (NT_SUCCESS(status)) status = KeCopyFromUser(&old, Iosb, sizeof(old));
    if (NT_SUCCESS(status)) status = KeCopyToUser(Iosb, &old, sizeof(old));
    return status;
}

NTSTATUS IopProbeUserWrite(PVOID Buffer, ULONG Length, KPROCESSOR_MODE Mode)
{
    if (Mode == KernelMode || Length == 0) return STATUS_SUCCESS;
    NTSTATUS status = ProbeForWrite(Buffer, Length, 1);
    if (NT_SUCCESS(status) && Buffer == NULL) status = STATUS_ACCESS_VIOLATION;
    /* Touch one byte per page, and the last one. */
    for (ULONG_PTR p = (ULONG_PTR)Buffer; NT_SUCCESS(status); p = (ULONG_PTR)PAGE_ALIGN(p) + PAGE_SIZE) {
        ULONG_PTR at = p < (ULONG_PTR)Buffer + Length ? p : (ULONG_PTR)Buffer + Length - 1;
        UCHAR b;
        status = KeCopyFromUser(&b, (PVOID)at, 1);
        if (NT_SUCCESS(status)) status = KeCopyToUser((PVOID)at, &b, 1);
        if (at == (ULONG_PTR)Buffer + Length - 1) break;
    }
    return status;
}

NTSTATUS IopBeginRequest(PIOP_REQUEST Request, HANDLE FileHandle, ACCESS_MASK Access, HANDLE Event,
                         KPROCESSOR_MODE Mode)
{
    OBJECT_HANDLE_INFORMATION info;
    RtlZeroMemory(Request, sizeof(*Request));
    Request->Mode = Mode;
    NTSTATUS status = ObReferenceObjectByHandle(FileHandle, Access, IoFileObjectType, Mode,
                                                (PVOID *)&Request->FileObject, &info);
    if (!NT_SUCCESS(status)) return status;
    Request->GrantedAccess = Mode == KernelMode ? FILE_ALL_ACCESS : info.GrantedAccess;
    if (Event) {
        status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, Mode,
                                           (PVOID *)&Request->UserEvent, NULL);
        if (!NT_SUCCESS(status)) {
            ObDereferenceObject(Request->FileObject);
            return status;
        }
        KeClearEvent(Request->UserEvent);
    }
    Request->DeviceObject = IoGetRelatedDeviceObject(Request->FileObject);
    KeInitializeEvent(&Request->Done, NotificationEvent, FALSE);
    IopLockFile(Request->FileObject);
    Request->Locked = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS IopBuildRequest(PIOP_REQUEST Request, UCHAR Major, UCHAR Minor, ULONG BufferLength)
{
    PIRP irp = IoAllocateIrp(Request->DeviceObject->StackSize, FALSE);
    if (irp == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    Request->Irp = irp;
    if (BufferLength) {
        Request->Buffer = ExAllocatePoolWithTag(NonPagedPool, BufferLength, IO_BUF_TAG);
        if (Request->Buffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
        RtlZeroMemory(Request->Buffer, BufferLength);
        Request->BufferLength = BufferLength;
        irp->Flags |= IRP_BUFFERED_IO;
    }
    irp->AssociatedIrp.SystemBuffer = Request->Buffer;
    irp->UserBuffer = Request->Buffer;
    irp->RequestorMode = Request->Mode;
    irp->UserIosb = &Request->Iosb;
    irp->UserEvent = &Request->Done;
    irp->Flags |= IRP_SYNCHRONOUS_API;
    irp->Tail.Overlay.OriginalFileObject = Request->FileObject;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = Major;
    sp->MinorFunction = Minor;
    sp->FileObject = Request->FileObject;
    Request->Stack = sp;
    return STATUS_SUCCESS;
}

NTSTATUS IopCallRequest(PIOP_REQUEST Request)
{
    Request->Iosb.Status = STATUS_PENDING;
    Request->Iosb.Information = 0;
    NTSTATUS status = IoCallDriver(Request->DeviceObject, Request->Irp);
    if (status == STATUS_PENDING) {
        /* KernelMode wait: nothing may end it while the IRP points at this stack. */
        KeWaitForSingleObject(&Request->Done, Executive, KernelMode, FALSE, NULL);
        return Request->Iosb.Status;
    }
    Request->Iosb.Status = status;
    return status;
}

NTSTATUS IopEndRequest(PIOP_REQUEST Request, NTSTATUS Status, PIO_STATUS_BLOCK UserIosb, KPROCESSOR_MODE Mode)
{
    NTSTATUS result = Status;
    PFILE_OBJECT file = Request->FileObject;
    if (UserIosb && !NT_ERROR(Status)) {
        IO_STATUS_BLOCK iosb = { .Status = Status, .Information = Request->Iosb.Information };
        NTSTATUS copy = ExCopyOut(Mode, UserIosb, &iosb, sizeof(iosb));
        if (!NT_SUCCESS(copy)) result = copy;
    }
    if (UserIosb && !NT_ERROR(Status) && Request->ApcRoutine)
        PsQueueUserApc(PsGetCurrentThread(), (PVOID)Request->ApcRoutine, Request->ApcContext, UserIosb, NULL);
    file->FinalStatus = Status;
    if (Request->Locked) IopUnlockFile(file);
    KeSetEvent(&file->Event, 0, FALSE);
    if (Request->UserEvent) {
        KeSetEvent(Request->UserEvent, 0, FALSE);
        ObDereferenceObject(Request->UserEvent);
    }
    if (Request->Irp) IoFreeIrp(Request->Irp);
    if (Request->Buffer) ExFreePoolWithTag(Request->Buffer, IO_BUF_TAG);
    ObDereferenceObject(file);
    return result;
}
