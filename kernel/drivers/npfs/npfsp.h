/*
 * npfsp.h - the named-pipe file system's private interface: pipes (one per name), their
 * instances (one server end and at most one client end, two ring buffers) and the lock and
 * wait that every part of the driver shares. See npfs.c for the design.
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

/* FileObject->FsContext2 of a pipe end (FsContext is its NPFS_INSTANCE). */
#define NPFS_CLIENT_END 0u
#define NPFS_SERVER_END 1u

/* One direction of an instance: a ring of Size bytes, Count of them unread from Head. */
typedef struct _NPFS_QUEUE {
    PUCHAR Data;
    ULONG Size, Head, Count;
} NPFS_QUEUE, *PNPFS_QUEUE;

/* A name in \Device\NamedPipe, alive while it has instances. */
typedef struct _NPFS_PIPE {
    LIST_ENTRY Link;                       /* NpfsPipes */
    UNICODE_STRING Name;                   /* without the leading '\' (NPFS_TAG) */
    ULONG MaximumInstances;                /* 0xFFFFFFFF: unlimited */
    ULONG Instances;                       /* that exist (until their last file object goes) */
    ULONG InboundQuota, OutboundQuota;
    LIST_ENTRY InstanceList;
} NPFS_PIPE, *PNPFS_PIPE;

typedef struct _NPFS_INSTANCE {
    LIST_ENTRY Link;                       /* Pipe->InstanceList */
    PNPFS_PIPE Pipe;
    ULONG State;                           /* FILE_PIPE_LISTENING/CONNECTED/CLOSING_STATE */
    ULONG References;                      /* file objects of its ends */
    USHORT ServerShareAccess;              /* what client opens may ask for */
    BOOLEAN EndOpen[2];                    /* [NPFS_CLIENT_END], [NPFS_SERVER_END]: handles open */
    BOOLEAN NonBlocking[2];                /* FILE_PIPE_COMPLETE_OPERATION per end */
    NPFS_QUEUE Inbound;                    /* client -> server */
    NPFS_QUEUE Outbound;                   /* server -> client */
    KEVENT Changed;                        /* set on every change of data, room or state */
} NPFS_INSTANCE, *PNPFS_INSTANCE;

/* ---- npfs.c: the lock, the waits, completion ---- */
VOID NpfsAcquire(VOID);
VOID NpfsRelease(VOID);
/* With the lock held: releases it, waits for a change of Instance, retakes it. FALSE when the
 * wait was given up because the requesting thread is being terminated. */
BOOLEAN NpfsWaitForChange(PNPFS_INSTANCE Instance, KPROCESSOR_MODE Mode);
extern LIST_ENTRY NpfsPipes;

/* ---- npfscreate.c: server and client ends, cleanup, close ---- */
NTSTATUS NpfsCreateNamedPipe(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- npfsqueue.c: the ring buffers ---- */
BOOLEAN NpfsInitializeQueue(PNPFS_QUEUE Queue, ULONG Size);
VOID NpfsFreeQueue(PNPFS_QUEUE Queue);
ULONG NpfsEnqueue(PNPFS_QUEUE Queue, const UCHAR *Data, ULONG Length);   /* bytes taken */
ULONG NpfsDequeue(PNPFS_QUEUE Queue, PUCHAR Data, ULONG Length, BOOLEAN Consume);

/* ---- npfsrw.c: read, write, peek, queries ---- */
NTSTATUS NpfsRead(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS NpfsQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);

#endif
