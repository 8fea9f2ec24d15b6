/*
 * irp.c - I/O request packets: allocation with a stack of IO_STACK_LOCATIONs (one per driver
 * layer, used from the last towards the first), IoCallDriver (moves to the next location and
 * calls the driver's dispatch routine), IoCompleteRequest (walks back up, running each level's
 * completion routine, then hands the final status to whoever waits), cancellation
 * (IoCancelIrp, cancel routines, IoCancelThreadIo) and the IoBuild* helpers drivers use to send
 * requests of their own to a lower device.
 *
 * Who finishes a request: if the dispatch routine completed it before returning (no
 * STATUS_PENDING), the issuer is still on the call stack and finishes it itself. If it went
 * pending, it completes later in whatever context the driver is in - another thread, a timer -
 * so an asynchronous user request (IRP_ISSUER_COMPLETION) is finished by a kernel APC in the
 * issuing thread, where that process's buffer and IO_STATUS_BLOCK are; everything else signals
 * the issuer's kernel event (the issuer waits for it and finishes the request).
 */
#include "iop.h"
#include "ps.h"

#define IRP_DEALLOCATE_BUFFER 0x00000020u     /* the SystemBuffer is Io's and goes at the end */

/* IRPs of up to IOP_LOOKASIDE_STACKS locations (every request of a disk and its file system)
 * come from a lookaside list of IRPs that size: a request then costs no pool search. */
#define IOP_LOOKASIDE_STACKS 4
static NPAGED_LOOKASIDE_LIST IopIrpLookaside;
static BOOLEAN IopIrpLookasideReady;

VOID IopInitializeIrpLookaside(VOID)
{
    ExInitializeNPagedLookasideList(&IopIrpLookaside, NULL, NULL, 0,
                                    sizeof(IRP) + IOP_LOOKASIDE_STACKS * sizeof(IO_STACK_LOCATION), IO_IRP_TAG, 0);
    IopIrpLookasideReady = TRUE;
}

PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    if (StackSize <= 0) return NULL;
    ULONG size = sizeof(IRP) + (ULONG)StackSize * sizeof(IO_STACK_LOCATION);
    BOOLEAN lookaside = IopIrpLookasideReady && StackSize <= IOP_LOOKASIDE_STACKS;
    PIRP irp = lookaside ? ExAllocateFromNPagedLookasideList(&IopIrpLookaside)
                         : ExAllocatePoolWithTag(NonPagedPool, size, IO_IRP_TAG);
    if (irp == NULL) return NULL;
    RtlZeroMemory(irp, size);
    irp->Type = IO_TYPE_IRP;
    irp->Size = (USHORT)size;
    irp->AllocationFlags = lookaside ? IRP_LOOKASIDE_ALLOCATION : 0;
    irp->StackCount = StackSize;
    irp->CurrentLocation = (CHAR)(StackSize + 1);
    /* One past the last location: the first IoCallDriver steps onto the last one. */
    irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(irp + 1) + StackSize;
    irp->Tail.Overlay.Thread = PsGetCurrentThread();
    InitializeListHead(&irp->Tail.Overlay.ListEntry);
    return irp;
}

VOID IoFreeIrp(PIRP Irp)
{
    if (Irp->Flags & IRP_DEALLOCATE_BUFFER) ExFreePoolWithTag(Irp->AssociatedIrp.SystemBuffer, IO_BUF_TAG);
    Irp->Type = 0;
    if (Irp->AllocationFlags & IRP_LOOKASIDE_ALLOCATION) ExFreeToNPagedLookasideList(&IopIrpLookaside, Irp);
    else ExFreePoolWithTag(Irp, IO_IRP_TAG);
}

NTSTATUS IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (--Irp->CurrentLocation <= 0)
        KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)Irp, 0, 0, 0);
    PIO_STACK_LOCATION sp = --Irp->Tail.Overlay.CurrentStackLocation;
    sp->DeviceObject = DeviceObject;
    PDRIVER_DISPATCH dispatch = IopInvalidDeviceRequest;
    if (sp->MajorFunction <= IRP_MJ_MAXIMUM_FUNCTION && DeviceObject->DriverObject->MajorFunction[sp->MajorFunction])
        dispatch = DeviceObject->DriverObject->MajorFunction[sp->MajorFunction];
    return dispatch(DeviceObject, Irp);
}

/* The originator's part, after every completion routine ran: output copied for IoBuild*
 * control requests, the status block and event, and the IRP freed if nobody else will. */
static VOID IopFinishIrp(PIRP Irp, CCHAR PriorityBoost)
{
    Irp->Completed = TRUE;
    if (Irp->Flags & IRP_ISSUER_COMPLETION) {
        /* Not pending: the issuer finishes it when the dispatch routine returns. Pending: the
         * issuer's APC does (the thread cannot be gone: IoCancelThreadIo waits for it). */
        if (Irp->PendingReturned && !KeInsertQueueApc(Irp->CompletionApc, Irp, NULL, PriorityBoost))
            KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)Irp, 2, 0, 0);
        return;
    }
    if ((Irp->Flags & (IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION)) == (IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION) &&
        Irp->UserBuffer && !NT_ERROR(Irp->IoStatus.Status)) {
        PIO_STACK_LOCATION first = (PIO_STACK_LOCATION)(Irp + 1) + Irp->StackCount - 1;
        ULONG n = Irp->IoStatus.Information;
        if (n > first->Parameters.DeviceIoControl.OutputBufferLength)
            n = first->Parameters.DeviceIoControl.OutputBufferLength;
        RtlCopyMemory(Irp->UserBuffer, Irp->AssociatedIrp.SystemBuffer, n);
    }
    if (Irp->UserIosb) *Irp->UserIosb = Irp->IoStatus;
    PKEVENT event = Irp->UserEvent;
    if (Irp->Flags & IRP_FREE_ON_COMPLETION) IoFreeIrp(Irp);
    if (event) KeSetEvent(event, PriorityBoost, FALSE);    /* the waiter may free the IRP now */
}

VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    if (Irp->Completed || Irp->CurrentLocation > Irp->StackCount + 1)
        KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)Irp, 0, 0, 0);
    if (Irp->IoStatus.Status == STATUS_PENDING)
        KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)Irp, 1, 0, 0);
    Irp->CancelRoutine = NULL;       /* a driver completing a queued IRP has cleared it already */
    /* Bottom-up: each location's routine belongs to the level above it. */
    while (Irp->CurrentLocation <= Irp->StackCount) {
        PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
        UCHAR control = sp->Control;
        PIO_COMPLETION_ROUTINE routine = sp->CompletionRoutine;
        PVOID context = sp->Context;
        Irp->PendingReturned = (control & SL_PENDING_RETURNED) != 0;
        IoSkipCurrentIrpStackLocation(Irp);
        BOOLEAN invoke = routine != NULL &&
            ((NT_SUCCESS(Irp->IoStatus.Status) && (control & SL_INVOKE_ON_SUCCESS)) ||
             (!NT_SUCCESS(Irp->IoStatus.Status) && (control & SL_INVOKE_ON_ERROR)) ||
             (Irp->Cancel && (control & SL_INVOKE_ON_CANCEL)));
        BOOLEAN top = Irp->CurrentLocation > Irp->StackCount;
        if (invoke) {
            PDEVICE_OBJECT device = top ? NULL : IoGetCurrentIrpStackLocation(Irp)->DeviceObject;
            if (routine(device, Irp, context) == STATUS_MORE_PROCESSING_REQUIRED) return;
        } else if (Irp->PendingReturned && !top) {
            IoMarkIrpPending(Irp);           /* pass "pending" up to the level that waits */
        }
    }
    IopFinishIrp(Irp, PriorityBoost);
}

/* ---- Cancellation ------------------------------------------------------------------------ */

VOID IoAcquireCancelSpinLock(PKIRQL Irql)
{
    KeRaiseIrql(DISPATCH_LEVEL, Irql);
}

VOID IoReleaseCancelSpinLock(KIRQL Irql)
{
    KeLowerIrql(Irql);
}

PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    PDRIVER_CANCEL previous = Irp->CancelRoutine;
    Irp->CancelRoutine = CancelRoutine;
    KeLowerIrql(old);
    return previous;
}

BOOLEAN IoCancelIrp(PIRP Irp)
{
    KIRQL old;
    IoAcquireCancelSpinLock(&old);
    Irp->Cancel = TRUE;
    PDRIVER_CANCEL routine = Irp->CancelRoutine;
    Irp->CancelRoutine = NULL;
    if (routine == NULL) {
        IoReleaseCancelSpinLock(old);
        return FALSE;
    }
    Irp->CancelIrql = old;
    routine(IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);     /* releases the lock */
    return TRUE;
}

/* Cancels every request on the thread's list for FileObject (every request if NULL). */
VOID IopCancelThreadRequests(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (PLIST_ENTRY e = Thread->IrpList.Flink; e != &Thread->IrpList; e = e->Flink) {
        PIRP irp = CONTAINING_RECORD(e, IRP, ThreadListEntry);
        /* A cancel routine completes the IRP, but its APC (the only thing that takes it off
         * this list) cannot run before this loop is done: it is this thread's. */
        if ((FileObject == NULL || irp->Tail.Overlay.OriginalFileObject == FileObject) && !irp->Cancel)
            IoCancelIrp(irp);
    }
    KeLowerIrql(old);
}

BOOLEAN IopThreadHasRequests(PETHREAD Thread, PFILE_OBJECT FileObject)
{
    KIRQL old;
    BOOLEAN found = FALSE;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (PLIST_ENTRY e = Thread->IrpList.Flink; e != &Thread->IrpList && !found; e = e->Flink)
        found = FileObject == NULL || CONTAINING_RECORD(e, IRP, ThreadListEntry)->Tail.Overlay.OriginalFileObject == FileObject;
    KeLowerIrql(old);
    return found;
}

/* Waits until the current thread has no request for FileObject (any, if NULL) outstanding.
 * The completions are this thread's kernel APCs, which run in a user-mode wait; termination
 * only breaks one wait, so the loop goes on. A driver that pends a request must therefore
 * support cancellation, or this waits until it completes the request some other way. */
VOID IopWaitForThreadRequests(PFILE_OBJECT FileObject)
{
    PETHREAD t = PsGetCurrentThread();
    LARGE_INTEGER slice = { .QuadPart = -1000000 };                  /* 100 ms */
    while (IopThreadHasRequests(t, FileObject)) KeDelayExecutionThread(UserMode, FALSE, &slice);
}

VOID IoCancelThreadIo(PETHREAD Thread)
{
    if (IsListEmpty(&Thread->IrpList)) return;
    IopCancelThreadRequests(Thread, NULL);
    IopWaitForThreadRequests(NULL);
}

PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer, ULONG Length,
                                  PLARGE_INTEGER StartingOffset, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (irp == NULL) return NULL;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = (UCHAR)MajorFunction;
    if (MajorFunction == IRP_MJ_READ || MajorFunction == IRP_MJ_WRITE) {
        sp->Parameters.Read.Length = Length;
        sp->Parameters.Read.ByteOffset = *StartingOffset;
        irp->AssociatedIrp.SystemBuffer = Buffer;     /* already kernel memory: no copy */
        irp->UserBuffer = Buffer;
        irp->Flags |= MajorFunction == IRP_MJ_READ ? IRP_READ_OPERATION : IRP_WRITE_OPERATION;
    }
    irp->Flags |= IRP_FREE_ON_COMPLETION | IRP_SYNCHRONOUS_API;
    irp->RequestorMode = KernelMode;
    irp->UserIosb = IoStatusBlock;
    irp->UserEvent = Event;
    return irp;
}

PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                   ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength,
                                   BOOLEAN InternalDeviceIoControl, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (irp == NULL) return NULL;
    ULONG size = InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
    if (size) {
        irp->AssociatedIrp.SystemBuffer = ExAllocatePoolWithTag(NonPagedPool, size, IO_BUF_TAG);
        if (irp->AssociatedIrp.SystemBuffer == NULL) { IoFreeIrp(irp); return NULL; }
        RtlZeroMemory(irp->AssociatedIrp.SystemBuffer, size);
        if (InputBufferLength) RtlCopyMemory(irp->AssociatedIrp.SystemBuffer, InputBuffer, InputBufferLength);
        irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (OutputBufferLength ? IRP_INPUT_OPERATION : 0);
    }
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    sp->Parameters.DeviceIoControl.IoControlCode = IoControlCode;
    sp->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    sp->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    irp->UserBuffer = OutputBuffer;
    irp->Flags |= IRP_FREE_ON_COMPLETION | IRP_SYNCHRONOUS_API;
    irp->RequestorMode = KernelMode;
    irp->UserIosb = IoStatusBlock;
    irp->UserEvent = Event;
    return irp;
}

NTSTATUS IoCallDriverAndWait(PDEVICE_OBJECT DeviceObject, PIRP Irp, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    NTSTATUS status = IoCallDriver(DeviceObject, Irp);     /* the IRP may be gone after this */
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, NULL);
        status = IoStatusBlock->Status;
    }
    return status;
}

/* Sends an IRP of Io's own (not IRP_FREE_ON_COMPLETION) and waits: the status, and the
 * information in *Information if asked. The IRP is freed. */
NTSTATUS IopSynchronousCall(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG_PTR Information)
{
    KEVENT done;
    IO_STATUS_BLOCK iosb = { .Status = STATUS_PENDING, .Information = 0 };
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    Irp->UserEvent = &done;
    Irp->UserIosb = &iosb;
    Irp->Flags |= IRP_SYNCHRONOUS_API;
    NTSTATUS status = IoCallDriver(DeviceObject, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
        status = iosb.Status;
    }
    if (Information) *Information = iosb.Information;
    IoFreeIrp(Irp);
    return status;
}
