/*
 * npfsqueue.c - the NPFS ring buffer: one direction of a pipe instance, a fixed number of bytes
 * in nonpaged pool. Callers hold the NPFS lock.
 */
#include "npfsp.h"

BOOLEAN NpfsInitializeQueue(PNPFS_QUEUE Queue, ULONG Size)
{
    Queue->Data = ExAllocatePoolWithTag(NonPagedPool, Size, NPFS_DATA_TAG);
    Queue->Size = Queue->Data ? Size : 0;
    Queue->Head = Queue->Count = 0;
    InitializeListHead(&Queue->ReadIrps);
    InitializeListHead(&Queue->WriteIrps);
    return Queue->Data != NULL;
}

VOID NpfsFreeQueue(PNPFS_QUEUE Queue)
{
    if (Queue->Data) ExFreePoolWithTag(Queue->Data, NPFS_DATA_TAG);
    Queue->Data = NULL;
    Queue->Size = Queue->Count = 0;
}

ULONG NpfsEnqueue(PNPFS_QUEUE Queue, const UCHAR *Data, ULONG Length)
{
    ULONG room = Queue->Size - Queue->Count;
    ULONG n = Length < room ? Length : room;
    for (ULONG done = 0; done < n;) {      /* at most two pieces: up to the end, then from 0 */
        ULONG tail = (Queue->Head + Queue->Count) % Queue->Size;
        ULONG piece = Queue->Size - tail < n - done ? Queue->Size - tail : n - done;
        RtlCopyMemory(Queue->Data + tail, Data + done, piece);
        Queue->Count += piece;
        done += piece;
    }
    return n;
}

ULONG NpfsDequeue(PNPFS_QUEUE Queue, PUCHAR Data, ULONG Length, BOOLEAN Consume)
{
    ULONG n = Length < Queue->Count ? Length : Queue->Count;
    ULONG head = Queue->Head;
    for (ULONG done = 0; done < n;) {
        ULONG piece = Queue->Size - head < n - done ? Queue->Size - head : n - done;
        RtlCopyMemory(Data + done, Queue->Data + head, piece);
        head = (head + piece) % Queue->Size;
        done += piece;
    }
    if (Consume) {
        Queue->Head = Queue->Count == n ? 0 : head;   /* an empty ring starts over at 0 */
        Queue->Count -= n;
    }
    return n;
}
