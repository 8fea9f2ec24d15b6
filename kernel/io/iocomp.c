/*
 * iocomp.c - I/O completion ports: the IoCompletion object, a queue of completion packets (key,
 * context, status, information) that threads take one at a time, oldest first
 * (NtRemoveIoCompletion, waiting with a timeout if there is none), and that anyone with
 * IO_COMPLETION_MODIFY_STATE may add to (NtSetIoCompletion). A file associated with a port
 * (NtSetInformationFile(FileCompletionInformation): the port and a key) gets a packet for each
 * read, write or control request that reports its end - in the service when it completes at
 * once, in the completion APC when it went pending - carrying the file's key and the request's
 * ApcContext (kernel32 passes the OVERLAPPED there), unless the request asked for a completion
 * APC instead. A packet is counted by a semaphore: a taker that wins the wait owns one packet.
 * NumberOfConcurrentThreads is recorded, not enforced: NanoNT does not throttle the takers.
 */
#include "iop.h"

#define IO_COMPLETION_TAG POOL_TAG('I', 'o', 'C', 'p')
#define IOP_MAXIMUM_PACKETS 0x7FFFFFFF

typedef struct _IOP_COMPLETION_PORT {
    KSEMAPHORE Packets;                        /* one count per packet queued */
    LIST_ENTRY Queue;                          /* IOP_COMPLETION_PACKET, oldest first */
    ULONG Concurrency;
} IOP_COMPLETION_PORT, *PIOP_COMPLETION_PORT;

typedef struct _IOP_COMPLETION_PACKET {
    LIST_ENTRY Link;
    PVOID Key, ApcContext;
    IO_STATUS_BLOCK IoStatus;
} IOP_COMPLETION_PACKET, *PIOP_COMPLETION_PACKET;

POBJECT_TYPE IoCompletionObjectType;

/* The port goes: packets nobody took are freed. */
static VOID IopDeleteCompletionPort(PVOID Object)
{
    PIOP_COMPLETION_PORT port = Object;
    while (!IsListEmpty(&port->Queue))
        ExFreePoolWithTag(CONTAINING_RECORD(RemoveHeadList(&port->Queue), IOP_COMPLETION_PACKET, Link), IO_COMPLETION_TAG);
}

BOOLEAN IopCreateCompletionType(VOID)
{
    return ExCreateObjectType(u"IoCompletion", IO_COMPLETION_QUERY_STATE, IO_COMPLETION_MODIFY_STATE, 0,
                              IO_COMPLETION_ALL_ACCESS, IopDeleteCompletionPort, FALSE, &IoCompletionObjectType);
}

/* Queues a packet on Port (referenced by the caller); FALSE without memory. Any IRQL up to
 * DISPATCH_LEVEL. */
BOOLEAN IopQueueCompletion(PVOID Port, PVOID Key, PVOID ApcContext, NTSTATUS Status, ULONG_PTR Information)
{
    PIOP_COMPLETION_PORT port = Port;
    PIOP_COMPLETION_PACKET packet = ExAllocatePoolWithTag(NonPagedPool, sizeof(*packet), IO_COMPLETION_TAG);
    if (packet == NULL) return FALSE;
    packet->Key = Key;
    packet->ApcContext = ApcContext;
    packet->IoStatus.Status = Status;
    packet->IoStatus.Information = Information;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    InsertTailList(&port->Queue, &packet->Link);
    KeReleaseSemaphore(&port->Packets, IO_NO_INCREMENT, 1, FALSE, NULL);
    KeLowerIrql(old);
    return TRUE;
}

static VOID IopInitCompletionPort(PVOID Body, PVOID Context)
{
    PIOP_COMPLETION_PORT port = Body;
    KeInitializeSemaphore(&port->Packets, 0, IOP_MAXIMUM_PACKETS);
    InitializeListHead(&port->Queue);
    port->Concurrency = *(PULONG)Context;
}

NTSTATUS NTAPI NtCreateIoCompletion(PHANDLE IoCompletionHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, ULONG NumberOfConcurrentThreads)
{
    return ExCreateObjectWithHandle(IoCompletionObjectType, sizeof(IOP_COMPLETION_PORT), IoCompletionHandle,
                                    DesiredAccess, ObjectAttributes, IopInitCompletionPort, &NumberOfConcurrentThreads);
}

NTSTATUS NTAPI NtSetIoCompletion(HANDLE IoCompletionHandle, PVOID KeyContext, PVOID ApcContext, NTSTATUS IoStatus,
                                 ULONG_PTR IoStatusInformation)
{
    PVOID port;
    NTSTATUS status = ObReferenceObjectByHandle(IoCompletionHandle, IO_COMPLETION_MODIFY_STATE, IoCompletionObjectType,
                                                ExGetPreviousMode(), &port, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (!IopQueueCompletion(port, KeyContext, ApcContext, IoStatus, IoStatusInformation))
        status = STATUS_INSUFFICIENT_RESOURCES;
    ObDereferenceObject(port);
    return status;
}

NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE IoCompletionHandle, PVOID *KeyContext, PVOID *ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    LARGE_INTEGER captured;
    PLARGE_INTEGER timeout;
    PIOP_COMPLETION_PORT port;
    NTSTATUS status = ExCaptureTimeout(mode, Timeout, &captured, &timeout);
    if (NT_SUCCESS(status)) status = IopProbeIosb(IoStatusBlock, mode);
    if (NT_SUCCESS(status) && mode == UserMode) {
        status = ProbeForWrite(KeyContext, sizeof(PVOID), sizeof(ULONG));
        if (NT_SUCCESS(status)) status = ProbeForWrite(ApcContext, sizeof(PVOID), sizeof(ULONG));
    }
    if (!NT_SUCCESS(status)) return status;
    status = ObReferenceObjectByHandle(IoCompletionHandle, IO_COMPLETION_MODIFY_STATE, IoCompletionObjectType, mode,
                                       (PVOID *)&port, NULL);
    if (!NT_SUCCESS(status)) return status;
    /* Winning the wait is owning a packet: each was counted once. */
    status = KeWaitForSingleObject(&port->Packets, WrQueue, mode, FALSE, timeout);
    if (status == STATUS_WAIT_0) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        PIOP_COMPLETION_PACKET packet = CONTAINING_RECORD(RemoveHeadList(&port->Queue), IOP_COMPLETION_PACKET, Link);
        KeLowerIrql(old);
        status = ExCopyOut(mode, KeyContext, &packet->Key, sizeof(PVOID));
        if (NT_SUCCESS(status)) status = ExCopyOut(mode, ApcContext, &packet->ApcContext, sizeof(PVOID));
        if (NT_SUCCESS(status)) status = ExCopyOut(mode, IoStatusBlock, &packet->IoStatus, sizeof(IO_STATUS_BLOCK));
        ExFreePoolWithTag(packet, IO_COMPLETION_TAG);
    }
    ObDereferenceObject(port);
    return status;
}
