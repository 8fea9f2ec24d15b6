/*
 * npfsqueue.c - one direction of a pipe instance: the data written and not yet read, as a list
 * of blocks in nonpaged pool, one per write (a message, on a message-type pipe). Size is the
 * quota: a byte-stream write puts in what fits and waits for room for the rest; a message goes
 * in whole when it fits, or when the direction is empty (so a message larger than the quota
 * still passes, alone). A read in byte mode takes bytes across blocks; in message mode it takes
 * from the first message only, and what does not fit its buffer stays for the next read
 * (STATUS_BUFFER_OVERFLOW). Callers hold the NPFS lock, at DISPATCH_LEVEL.
 */
#include "npfsp.h"

typedef struct _NPFS_DATA {
    LIST_ENTRY Link;
    ULONG Length;                          /* bytes written */
    ULONG Offset;                          /* of them already read */
    UCHAR Data[];
} NPFS_DATA, *PNPFS_DATA;

VOID NpfsInitializeQueue(PNPFS_QUEUE Queue, ULONG Size)
{
    InitializeListHead(&Queue->Blocks);
    Queue->Size = Size;
    Queue->Count = Queue->Messages = 0;
    InitializeListHead(&Queue->ReadIrps);
    InitializeListHead(&Queue->WriteIrps);
}

static PNPFS_DATA NpfsFirst(PNPFS_QUEUE Queue)
{
    return IsListEmpty(&Queue->Blocks) ? NULL : CONTAINING_RECORD(Queue->Blocks.Flink, NPFS_DATA, Link);
}

static VOID NpfsDropFirst(PNPFS_QUEUE Queue)
{
    PNPFS_DATA d = NpfsFirst(Queue);
    RemoveEntryList(&d->Link);
    Queue->Count -= d->Length - d->Offset;
    Queue->Messages--;
    ExFreePoolWithTag(d, NPFS_DATA_TAG);
}

VOID NpfsFreeQueue(PNPFS_QUEUE Queue)
{
    while (NpfsFirst(Queue)) NpfsDropFirst(Queue);
}

BOOLEAN NpfsQueueHasData(PNPFS_QUEUE Queue)
{
    return !IsListEmpty(&Queue->Blocks);
}

ULONG NpfsFirstMessageLength(PNPFS_QUEUE Queue)
{
    PNPFS_DATA d = NpfsFirst(Queue);
    return d ? d->Length - d->Offset : 0;
}

NTSTATUS NpfsEnqueue(PNPFS_QUEUE Queue, const UCHAR *Data, ULONG Length, BOOLEAN Message, PULONG Taken)
{
    ULONG room = Queue->Count < Queue->Size ? Queue->Size - Queue->Count : 0;
    ULONG n = Length;
    *Taken = 0;
    if (Message && Length > room && NpfsQueueHasData(Queue)) return STATUS_SUCCESS;  /* waits, whole */
    if (!Message && (n = Length < room ? Length : room) == 0) return STATUS_SUCCESS;  /* no room now */
    PNPFS_DATA d = ExAllocatePoolWithTag(NonPagedPool, sizeof(NPFS_DATA) + n, NPFS_DATA_TAG);
    if (d == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    d->Length = n;
    d->Offset = 0;
    RtlCopyMemory(d->Data, Data, n);
    InsertTailList(&Queue->Blocks, &d->Link);
    Queue->Count += n;
    Queue->Messages++;
    *Taken = n;
    return STATUS_SUCCESS;
}

ULONG NpfsDequeue(PNPFS_QUEUE Queue, PUCHAR Data, ULONG Length, BOOLEAN Consume, BOOLEAN MessageRead,
                  PBOOLEAN Overflow)
{
    ULONG done = 0;
    *Overflow = FALSE;
    for (PLIST_ENTRY e = Queue->Blocks.Flink; e != &Queue->Blocks;) {
        PNPFS_DATA d = CONTAINING_RECORD(e, NPFS_DATA, Link);
        e = e->Flink;
        ULONG left = d->Length - d->Offset, n = left < Length - done ? left : Length - done;
        RtlCopyMemory(Data + done, d->Data + d->Offset, n);
        done += n;
        if (MessageRead && n < left) *Overflow = TRUE;
        if (Consume && n == left) NpfsDropFirst(Queue);
        else if (Consume) { d->Offset += n; Queue->Count -= n; }
        if (MessageRead || done == Length) break;
    }
    return done;
}
