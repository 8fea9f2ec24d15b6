/*
 * irp.c - I/O request packets: allocation with a stack of IO_STACK_LOCATIONs (one per driver
 * layer, used from the last towards the first), IoCallDriver (moves to the next location and
 * calls the driver's dispatch routine), IoCompleteRequest (walks back up, running each level's
 * completion routine, then hands the final status to whoever waits), and the IoBuild* helpers
 * drivers use to send requests of their own to a lower device.
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
