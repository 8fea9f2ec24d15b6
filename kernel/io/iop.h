/*
 * iop.h - the I/O manager's private interface: the open packet that carries NtCreateFile's
 * parameters through the object manager to the device parse procedure, the request helper the
 * file services share, and the lists and locks of kernel/io/.
 */
#ifndef IOP_H
#define IOP_H

#include "io.h"
#include "svc.h"
#include "rtl.h"
#include "kd.h"
#include "ntstatus.h"
#include "ps.h"

/* NtCreateFile's arguments on their way to IopParseDevice (as Ob's ParseContext). */
typedef struct _OPEN_PACKET {
    SHORT Type, Size;                          /* IO_TYPE_OPEN_PACKET: the parse checks it */
    NTSTATUS FinalStatus;                      /* the status of IRP_MJ_CREATE */
    ULONG_PTR Information;                     /* FILE_OPENED, FILE_CREATED, ... */
    ACCESS_MASK DesiredAccess;                 /* generic rights already mapped */
    LARGE_INTEGER AllocationSize;
    ULONG FileAttributes, ShareAccess, Disposition, CreateOptions;
    BOOLEAN ParseCalled;                       /* a device or file parse ran */
    BOOLEAN ResolveOnly;                       /* rename target: return the device, no open */
    PDEVICE_OBJECT ResolvedDevice;             /* ResolveOnly: the device (referenced) */
    UNICODE_STRING ResolvedName;               /* ResolveOnly: the rest of the path (IO_NAME_TAG) */
    PNAMED_PIPE_CREATE_PARAMETERS PipeParameters;  /* NtCreateNamedPipeFile: IRP_MJ_CREATE_NAMED_PIPE */
} OPEN_PACKET, *POPEN_PACKET;

/* ---- iofile.c ---------------------------------------------------------------------------- */
BOOLEAN IopCreateFileType(VOID);
/* Serialises a FO_SYNCHRONOUS_IO file's requests (no-op for others). */
VOID IopLockFile(PFILE_OBJECT FileObject);
VOID IopUnlockFile(PFILE_OBJECT FileObject);

/* ---- iodevice.c / iodriver.c ------------------------------------------------------------- */
BOOLEAN IopCreateDeviceTypes(VOID);
NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp);
BOOLEAN IopIsDiskType(DEVICE_TYPE Type);
VOID IopDeleteDevice(PVOID Object);

/* ---- ioparse.c --------------------------------------------------------------------------- */
NTSTATUS IopParseDevice(PVOID ParseObject, POBJECT_TYPE ObjectType, PACCESS_STATE AccessState,
                        KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                        PUNICODE_STRING RemainingName, PVOID Context, PVOID SecurityQos, PVOID *Object);
NTSTATUS IopParseFile(PVOID ParseObject, POBJECT_TYPE ObjectType, PACCESS_STATE AccessState,
                      KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                      PUNICODE_STRING RemainingName, PVOID Context, PVOID SecurityQos, PVOID *Object);

/* ---- iosvc_create.c ---------------------------------------------------------------------- */
/* The open every create path shares: returns a handle in *Handle (kernel memory). */
NTSTATUS IopCreateFile(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       KPROCESSOR_MODE Mode, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                       ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions, PULONG_PTR Information);
/* The same with the pipe parameters of NtCreateNamedPipeFile (kernel memory). */
NTSTATUS IopCreateFileEx(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         KPROCESSOR_MODE Mode, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                         ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                         PNAMED_PIPE_CREATE_PARAMETERS PipeParameters, PULONG_PTR Information);

/* ---- iorequest.c: one IRP from a service to a driver and back ----------------------------- */
typedef struct _IOP_REQUEST {
    PFILE_OBJECT FileObject;
    PDEVICE_OBJECT DeviceObject;               /* IoGetRelatedDeviceObject(FileObject) */
    PIRP Irp;
    PIO_STACK_LOCATION Stack;                  /* the first driver's stack location */
    PVOID Buffer;                              /* kernel copy of the caller's data, or NULL */
    ULONG BufferLength;
    KEVENT Done;                               /* a synchronous request's IRP completed */
    IO_STATUS_BLOCK Iosb;                      /* the final status and information */
    PKEVENT UserEvent;                         /* the caller's Event object, referenced */
    BOOLEAN Locked;                            /* holds the file's synchronous-I/O lock */
    KPROCESSOR_MODE Mode;                      /* the caller's */
    ACCESS_MASK GrantedAccess;                 /* of the handle */
    PIO_APC_ROUTINE ApcRoutine;                /* the caller's completion APC, or NULL */
    PVOID ApcContext;
    /* What IopCallAsyncRequest finishes with, in the service or later in a kernel APC: */
    PIO_STATUS_BLOCK UserIosb;                 /* the caller's */
    PVOID UserOutput;                          /* the first Information bytes of Buffer go here */
    ULONG TransferLength;                      /* Information is capped to it for output */
    BOOLEAN CapInformation;                    /* cap Information even without output */
    BOOLEAN UpdatePosition;                    /* a synchronous file moves to Position + done */
    BOOLEAN Queued;                            /* on the thread's IrpList */
    BOOLEAN ReportErrors;                      /* it went pending: the status block takes errors */
    BOOLEAN Packet;                            /* a read/write/control: the completion port hears of it */
    LARGE_INTEGER Position;
    KAPC Apc;                                  /* finishes a pending asynchronous request */
} IOP_REQUEST, *PIOP_REQUEST;

VOID IopInitializeRequestLookaside(VOID);
/* References FileHandle (with Access for user-mode callers) and the optional Event; takes the
 * file's lock for synchronous files; allocates the request (*Request, NULL on failure). */
NTSTATUS IopBeginRequest(PIOP_REQUEST *Request, HANDLE FileHandle, ACCESS_MASK Access, HANDLE Event,
                         KPROCESSOR_MODE Mode);
/* Allocates the IRP (and a zeroed kernel buffer of BufferLength bytes) for the file's device. */
NTSTATUS IopBuildRequest(PIOP_REQUEST Request, UCHAR Major, UCHAR Minor, ULONG BufferLength);
/* Sends the IRP, waits for its completion, returns the final status (Request->Iosb). */
NTSTATUS IopCallRequest(PIOP_REQUEST Request);
/* Writes the IO_STATUS_BLOCK (unless Status is an error of a request that never went pending), signals the events, queues the
 * caller's completion APC (ApcRoutine(ApcContext, IoStatusBlock, 0), run when the thread is next
 * alertable; only when the IO_STATUS_BLOCK was written, as on NT), frees everything including the
 * request; returns Status or a copy-out failure. */
NTSTATUS IopEndRequest(PIOP_REQUEST Request, NTSTATUS Status, PIO_STATUS_BLOCK UserIosb, KPROCESSOR_MODE Mode);
/* Sends a request that may stay pending (read, write, control): the final status after
 * finishing it (copy-out, position, IopEndRequest), or STATUS_PENDING on an asynchronous file,
 * whose request then finishes in a kernel APC. Either way the request is gone on return. */
NTSTATUS IopCallAsyncRequest(PIOP_REQUEST Request, PIO_STATUS_BLOCK UserIosb);
/* Checks that the caller's IO_STATUS_BLOCK is writable (user mode). */
NTSTATUS IopProbeIosb(PIO_STATUS_BLOCK Iosb, KPROCESSOR_MODE Mode);
/* Probes and touches a user output buffer (user mode only). */
NTSTATUS IopProbeUserWrite(PVOID Buffer, ULONG Length, KPROCESSOR_MODE Mode);
/* A synchronous IRP (no data buffer) to the device of a referenced file object: cleanup, close. */
NTSTATUS IopSendFileIrp(PFILE_OBJECT FileObject, UCHAR Major);

/* ---- irp.c ------------------------------------------------------------------------------ */
NTSTATUS IopSynchronousCall(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG_PTR Information);
/* Cancels Thread's asynchronous requests on FileObject (all if NULL); the current thread waits
 * until it has none left (their completion APCs run in the wait). */
VOID IopCancelThreadRequests(PETHREAD Thread, PFILE_OBJECT FileObject);
BOOLEAN IopThreadHasRequests(PETHREAD Thread, PFILE_OBJECT FileObject);
VOID IopWaitForThreadRequests(PFILE_OBJECT FileObject);

/* ---- mount.c ----------------------------------------------------------------------------- */
PVPB IopCreateVpb(PDEVICE_OBJECT DeviceObject);
ULONG IopFileSystemCount(VOID);

/* ---- iocomp.c ---------------------------------------------------------------------------- */
extern POBJECT_TYPE IoCompletionObjectType;
BOOLEAN IopCreateCompletionType(VOID);
BOOLEAN IopQueueCompletion(PVOID Port, PVOID Key, PVOID ApcContext, NTSTATUS Status, ULONG_PTR Information);

/* ---- ioinit.c ---------------------------------------------------------------------------- */
extern BOOLEAN IopInitialized;
VOID IopInitializeIrpLookaside(VOID);      /* irp.c */

#define IO_OBJ_TAG POOL_TAG('I', 'o', 'O', 'b')
#define IO_VPB_TAG POOL_TAG('I', 'o', 'V', 'p')

#endif
