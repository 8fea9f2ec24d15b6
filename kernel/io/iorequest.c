/*
 * iorequest.c - the path every file service takes for one request: reference the file object
 * behind the handle (checking the handle's access for user-mode callers) and the caller's
 * event, take a synchronous file's lock, build an IRP over a kernel copy of the data, call the
 * driver, then finish: copy the data out, move a synchronous file's position, write the
 * IO_STATUS_BLOCK as NT does (not for errors), signal the events, queue the caller's completion
 * APC and free everything.
 *
 * Reads, writes and control requests may also go asynchronous (IopCallAsyncRequest): on a file
 * opened without FILE_SYNCHRONOUS_IO_*, a request the driver leaves pending returns
 * STATUS_PENDING at once, and is finished later by a kernel APC in the issuing thread (irp.c);
 * such requests sit on the thread's IrpList, so NtCancelIoFile and thread exit can find and
 * cancel them. On a synchronous file the service waits for a pending request in the caller's
 * mode, so termination (or, with FILE_SYNCHRONOUS_IO_ALERT, a user APC) can end the wait; the
 * request is then cancelled and the service waits for the driver to give it back.
 * A request lives in pool (a lookaside list), never on the service's stack, because it may
 * outlive the service.
 */
#include "iop.h"

#define IO_REQUEST_TAG POOL_TAG('I', 'o', 'R', 'q')

static NPAGED_LOOKASIDE_LIST IopRequestLookaside;

VOID IopInitializeRequestLookaside(VOID)
{
    ExInitializeNPagedLookasideList(&IopRequestLookaside, NULL, NULL, 0, sizeof(IOP_REQUEST), IO_REQUEST_TAG, 0);
}

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

NTSTATUS IopBeginRequest(PIOP_REQUEST *Request, HANDLE FileHandle, ACCESS_MASK Access, HANDLE Event,
                         KPROCESSOR_MODE Mode)
{
    OBJECT_HANDLE_INFORMATION info;
    PFILE_OBJECT file;
    PKEVENT event = NULL;
    *Request = NULL;
    NTSTATUS status = ObReferenceObjectByHandle(FileHandle, Access, IoFileObjectType, Mode, (PVOID *)&file, &info);
    if (!NT_SUCCESS(status)) return status;
    if (Event) {
        status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, Mode, (PVOID *)&event, NULL);
        if (!NT_SUCCESS(status)) {
            ObDereferenceObject(file);
            return status;
        }
    }
    PIOP_REQUEST r = ExAllocateFromNPagedLookasideList(&IopRequestLookaside);
    if (r == NULL) {
        if (event) ObDereferenceObject(event);
        ObDereferenceObject(file);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(r, sizeof(*r));
    r->Mode = Mode;
    r->FileObject = file;
    r->GrantedAccess = Mode == KernelMode ? FILE_ALL_ACCESS : info.GrantedAccess;
    r->UserEvent = event;
    if (event) KeClearEvent(event);
    KeClearEvent(&file->Event);                /* set again when this request ends */
    r->DeviceObject = IoGetRelatedDeviceObject(file);
    KeInitializeEvent(&r->Done, NotificationEvent, FALSE);
    IopLockFile(file);
    r->Locked = TRUE;
    *Request = r;
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
    Request->Irp->Flags |= IRP_SYNCHRONOUS_API;
    NTSTATUS status = IoCallDriver(Request->DeviceObject, Request->Irp);
    if (status == STATUS_PENDING) {
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
    BOOLEAN report = !NT_ERROR(Status) || Request->ReportErrors;
    if (UserIosb && report) {
        IO_STATUS_BLOCK iosb = { .Status = Status, .Information = Request->Iosb.Information };
        NTSTATUS copy = ExCopyOut(Mode, UserIosb, &iosb, sizeof(iosb));
        if (!NT_SUCCESS(copy)) result = copy;
    }
    if (UserIosb && report && Request->ApcRoutine)
        PsQueueUserApc(PsGetCurrentThread(), (PVOID)Request->ApcRoutine, Request->ApcContext, UserIosb, NULL);
    else if (UserIosb && report && Request->Packet && Request->ApcContext && file->CompletionPort)  /* iocomp.c */
        IopQueueCompletion(file->CompletionPort, file->CompletionKey, Request->ApcContext, Status,
                           Request->Iosb.Information);
    file->FinalStatus = Status;
    if (Request->Locked) IopUnlockFile(file);
    KeSetEvent(&file->Event, 0, FALSE);
    if (Request->UserEvent) {
        KeSetEvent(Request->UserEvent, 0, FALSE);
        ObDereferenceObject(Request->UserEvent);
    }
    if (Request->Irp) IoFreeIrp(Request->Irp);
    if (Request->Buffer) ExFreePoolWithTag(Request->Buffer, IO_BUF_TAG);
    ExFreeToNPagedLookasideList(&IopRequestLookaside, Request);
    ObDereferenceObject(file);
    return result;
}

/* ---- Requests that may complete after the service returned -------------------------------- */

/* The data out to the caller, the file position, then IopEndRequest. In the issuing thread. */
static NTSTATUS IopFinishRequest(PIOP_REQUEST R, NTSTATUS Status)
{
    PIRP irp = R->Irp;
    if (R->Queued) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        RemoveEntryList(&irp->ThreadListEntry);
        KeLowerIrql(old);
    }
    R->Iosb = irp->IoStatus;
    /* A request that went pending reports even a failure in its status block (and APC): the
     * caller was told STATUS_PENDING, or waits for the end, so this is where it learns. */
    R->ReportErrors = irp->PendingReturned;
    ULONG done = R->Iosb.Information < R->TransferLength ? R->Iosb.Information : R->TransferLength;
    if (R->UserOutput || R->CapInformation) R->Iosb.Information = done;
    if (R->UserOutput && !NT_ERROR(Status) && done) {
        NTSTATUS copy = ExCopyOut(R->Mode, R->UserOutput, R->Buffer, done);
        if (!NT_SUCCESS(copy)) Status = copy;
    }
    if (R->UpdatePosition && !NT_ERROR(Status))
        R->FileObject->CurrentByteOffset.QuadPart = R->Position.QuadPart + done;
    return IopEndRequest(R, Status, R->UserIosb, R->Mode);
}

/* The kernel APC that finishes a request that went pending on an asynchronous file. */
static VOID IopCompletionApc(PKAPC Apc, PVOID *NormalRoutine, PVOID *NormalContext, PVOID *Argument1,
                             PVOID *Argument2)
{
    PIOP_REQUEST r = CONTAINING_RECORD(Apc, IOP_REQUEST, Apc);
    IopFinishRequest(r, r->Irp->IoStatus.Status);
}

/* Never called: IoCancelThreadIo has waited for every request before the APC queue is closed. */
static VOID IopCompletionRundown(PKAPC Apc)
{
    KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)CONTAINING_RECORD(Apc, IOP_REQUEST, Apc)->Irp, 3, 0, 0);
}

/* A synchronous file's pending request: wait in the caller's mode; if that wait is ended (the
 * thread is terminating, or a user APC on an alertable file), cancel it and wait for it back. */
static NTSTATUS IopWaitForRequest(PIOP_REQUEST R)
{
    BOOLEAN alertable = R->Mode == UserMode && (R->FileObject->Flags & FO_ALERTABLE_IO);
    NTSTATUS wait = KeWaitForSingleObject(&R->Done, Executive, R->Mode, alertable, NULL);
    if (wait == STATUS_WAIT_0) return R->Irp->IoStatus.Status;
    IoCancelIrp(R->Irp);
    KeWaitForSingleObject(&R->Done, Executive, KernelMode, FALSE, NULL);
    return R->Irp->IoStatus.Status;
}

NTSTATUS IopCallAsyncRequest(PIOP_REQUEST R, PIO_STATUS_BLOCK UserIosb)
{
    PIRP irp = R->Irp;
    R->Packet = TRUE;                          /* its end goes to the file's completion port */
    BOOLEAN async = !(R->FileObject->Flags & FO_SYNCHRONOUS_IO);
    R->UserIosb = UserIosb;
    irp->IoStatus.Status = STATUS_PENDING;
    irp->IoStatus.Information = 0;
    R->Iosb = irp->IoStatus;
    if (async) {
        /* Finished by an APC if it goes pending: on the thread's list until then. */
        KeInitializeApc(&R->Apc, KeGetCurrentThread(), IopCompletionApc, IopCompletionRundown, NULL, R);
        irp->CompletionApc = &R->Apc;
        irp->Flags |= IRP_ISSUER_COMPLETION;
        irp->UserEvent = NULL;
        R->Queued = TRUE;
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        InsertTailList(&PsGetCurrentThread()->IrpList, &irp->ThreadListEntry);
        KeLowerIrql(old);
    } else {
        irp->Flags |= IRP_SYNCHRONOUS_API;
    }
    NTSTATUS status = IoCallDriver(R->DeviceObject, irp);
    if (status == STATUS_PENDING && async) return STATUS_PENDING;   /* R belongs to the APC now */
    if (status == STATUS_PENDING) status = IopWaitForRequest(R);
    else irp->IoStatus.Status = status;
    return IopFinishRequest(R, status);
}

NTSTATUS NTAPI NtCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PFILE_OBJECT file;
    NTSTATUS status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status))
        status = ObReferenceObjectByHandle(FileHandle, 0, IoFileObjectType, mode, (PVOID *)&file, NULL);
    if (!NT_SUCCESS(status)) return status;
    IopCancelThreadRequests(PsGetCurrentThread(), file);
    IopWaitForThreadRequests(file);
    ObDereferenceObject(file);
    IO_STATUS_BLOCK iosb = { .Status = STATUS_SUCCESS, .Information = 0 };
    return ExCopyOut(mode, IoStatusBlock, &iosb, sizeof(iosb));
}
