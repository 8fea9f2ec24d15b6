/*
 * npfsp.h - the named-pipe file system's private interface: pipes (one per name), their
 * instances (one server end and at most one client end, two directions of data) and the lock and
 * request queues that every part of the driver shares. See npfs.c for the design.
 */
#ifndef NPFSP_H
#define NPFSP_H

#include "io.h"
#include "ps.h"
#include "rtl.h"
#include "ntstatus.h"

#define NPFS_TAG          POOL_TAG('N', 'p', 'F', 's')
#define NPFS_DATA_TAG     POOL_TAG('N', 'p', 'D', 't')

#define NPFS_DEFAULT_QUOTA 4096u            /* a quota of 0 means this */
#define NPFS_MAXIMUM_QUOTA (64u * 1024u)    /* larger quotas are cut to this (nonpaged pool) */

/* FileObject->FsContext2 of a pipe end (FsContext is its NPFS_INSTANCE). A client end its
 * server disconnected keeps the instance referenced until it is closed, but uses it no more. */
#define NPFS_CLIENT_END 0u
#define NPFS_SERVER_END 1u
#define NPFS_DISCONNECTED_END 2u

/* One direction of an instance: the blocks written and not yet read (npfsqueue.c), Count unread
 * bytes in Messages blocks, at most Size bytes (the quota), and the requests waiting on it (IRPs
 * linked by Tail.Overlay.ListEntry, pending, cancellable). */
typedef struct _NPFS_QUEUE {
    LIST_ENTRY Blocks;
    ULONG Size, Count, Messages;
    LIST_ENTRY ReadIrps;                   /* reads waiting for data */
    LIST_ENTRY WriteIrps;                  /* writes waiting for room */
} NPFS_QUEUE, *PNPFS_QUEUE;

/* A name in \Device\NamedPipe, alive while it has instances. */
typedef struct _NPFS_PIPE {
    LIST_ENTRY Link;                       /* NpfsPipes */
    UNICODE_STRING Name;                   /* without the leading '\' (NPFS_TAG) */
    ULONG MaximumInstances;                /* 0xFFFFFFFF: unlimited */
    ULONG Instances;                       /* that exist (until their last file object goes) */
    ULONG InboundQuota, OutboundQuota;
    BOOLEAN MessageType;                   /* FILE_PIPE_MESSAGE_TYPE, for every instance */
    LARGE_INTEGER DefaultTimeout;          /* for FSCTL_PIPE_WAIT without a timeout of its own */
    LIST_ENTRY InstanceList;
} NPFS_PIPE, *PNPFS_PIPE;

typedef struct _NPFS_INSTANCE {
    LIST_ENTRY Link;                       /* Pipe->InstanceList */
    PNPFS_PIPE Pipe;
    ULONG State;                           /* FILE_PIPE_LISTENING/CONNECTED/CLOSING/DISCONNECTED_STATE */
    ULONG References;                      /* file objects of its ends */
    USHORT ServerShareAccess;              /* what client opens may ask for */
    BOOLEAN EndOpen[2];                    /* [NPFS_CLIENT_END], [NPFS_SERVER_END]: handles open */
    BOOLEAN NonBlocking[2];                /* FILE_PIPE_COMPLETE_OPERATION per end */
    BOOLEAN MessageRead[2];                /* FILE_PIPE_MESSAGE_MODE per end */
    BOOLEAN MessageType;                   /* FILE_PIPE_MESSAGE_TYPE: writes are messages */
    NPFS_QUEUE Inbound;                    /* client -> server */
    NPFS_QUEUE Outbound;                   /* server -> client */
    LIST_ENTRY ListenIrps;                 /* FSCTL_PIPE_LISTENs waiting for a client */
    PFILE_OBJECT ClientFile;               /* the connected client end, while it has handles */
} NPFS_INSTANCE, *PNPFS_INSTANCE;

/* ---- npfs.c: the lock, queued requests ---- */
VOID NpfsAcquire(VOID);
VOID NpfsRelease(VOID);
KIRQL NpfsAcquireQueues(VOID);                        /* the lock and DISPATCH_LEVEL */
VOID NpfsReleaseQueues(KIRQL Old);
/* At DISPATCH_LEVEL, with the lock held: */
NTSTATUS NpfsQueueIrp(PIRP Irp, PLIST_ENTRY List);   /* STATUS_PENDING, or completed if cancelled */
VOID NpfsService(PNPFS_INSTANCE Instance, PNPFS_QUEUE Queue, ULONG ReaderEnd);  /* completes what now can */
VOID NpfsFailQueued(PNPFS_QUEUE Queue, NTSTATUS ReadStatus, NTSTATUS WriteStatus);
VOID NpfsCompleteAll(PLIST_ENTRY List, NTSTATUS Status);
extern LIST_ENTRY NpfsPipes;

/* ---- npfslisten.c: the server's FSCTL_PIPE_LISTEN and FSCTL_PIPE_DISCONNECT ---- */
NTSTATUS NpfsListen(PNPFS_INSTANCE Instance, PIRP Irp);
NTSTATUS NpfsWaitForListener(PIRP Irp);                /* FSCTL_PIPE_WAIT, on the root */
VOID NpfsInstanceListening(VOID);                      /* under the lock: wakes FSCTL_PIPE_WAITs */
VOID NpfsInitializeListenWait(VOID);
PNPFS_PIPE NpfsFindPipe(PCUNICODE_STRING Name);        /* npfscreate.c, under the lock */
NTSTATUS NpfsDisconnect(PNPFS_INSTANCE Instance, PIRP Irp);

/* ---- npfscreate.c: server and client ends, cleanup, close ---- */
NTSTATUS NpfsCreateNamedPipe(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- npfsqueue.c: the data of one direction ---- */
VOID NpfsInitializeQueue(PNPFS_QUEUE Queue, ULONG Size);
VOID NpfsFreeQueue(PNPFS_QUEUE Queue);
BOOLEAN NpfsQueueHasData(PNPFS_QUEUE Queue);          /* a block, even an empty message */
ULONG NpfsFirstMessageLength(PNPFS_QUEUE Queue);      /* its unread bytes */
/* Puts in what fits (all or nothing for a Message): *Taken bytes; fails only without memory. */
NTSTATUS NpfsEnqueue(PNPFS_QUEUE Queue, const UCHAR *Data, ULONG Length, BOOLEAN Message, PULONG Taken);
/* Copies out (and with Consume takes) up to Length bytes; a MessageRead stops at the end of the
 * first message, *Overflow if it did not fit. */
ULONG NpfsDequeue(PNPFS_QUEUE Queue, PUCHAR Data, ULONG Length, BOOLEAN Consume, BOOLEAN MessageRead,
                  PBOOLEAN Overflow);

/* ---- npfsrw.c: read, write, peek, queries ---- */
NTSTATUS NpfsRead(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);

#endif
