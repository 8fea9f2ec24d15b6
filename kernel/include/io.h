/*
 * io.h - the I/O manager (Io): drivers, devices, file objects and IRPs, the file services
 * (NtCreateFile, NtReadFile, ...), and the ntioapi definitions they share with user mode
 * (FILE_* rights, dispositions and options, IO_STATUS_BLOCK, FILE_*_INFORMATION with NT's
 * x86 layouts). Values and layouts are NT's; the code behind them is NanoNT's own.
 *
 * How a request travels (see kernel/io/): a service references the FILE_OBJECT behind the
 * handle (checking the handle's granted access), copies the caller's buffer into a kernel buffer,
 * builds an IRP with one stack location per driver layer, and IoCallDriver hands it to the
 * top device: for a file on a mounted volume that is the file system's volume device
 * (FileObject->Vpb->DeviceObject), otherwise the device the file was opened on. The driver
 * finishes it at once or returns STATUS_PENDING and finishes it later (from any thread) with
 * IoCompleteRequest, which runs the completion routines bottom-up and signals the service's
 * event. The service then copies the data and the IO_STATUS_BLOCK back to the caller.
 *
 * Buffering: EVERY request is buffered. The data of a read, write, query, set, directory query
 * or control request is in Irp->AssociatedIrp.SystemBuffer, nonpaged kernel memory of the
 * request's length (Irp->UserBuffer points to the same kernel buffer), so drivers never touch
 * user memory and never need MDLs; device I/O controls behave as METHOD_BUFFERED whatever the
 * method bits say. The I/O manager copies in before the call and out after completion.
 *
 * Synchronous services: a service waits for its IRP even on a handle opened without
 * FILE_SYNCHRONOUS_IO_*; the difference is only the file position (FO_SYNCHRONOUS_IO files
 * keep CurrentByteOffset and serialise their requests). The caller's Event, if given, is reset
 * at the start and signalled at the end; APC routines are not supported (ignored). As on NT, the
 * IO_STATUS_BLOCK is written for success and warning statuses, not for errors.
 *
 * For a file system driver (FSD):
 *   - DriverEntry: create an unnamed or named control device of type
 *     FILE_DEVICE_DISK_FILE_SYSTEM and IoRegisterFileSystem(it).
 *   - IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_MOUNT_VOLUME on that device: the stack location's
 *     Parameters.MountVolume.Vpb and .DeviceObject (the disk). Read the boot sector with
 *     IoBuildSynchronousFsdRequest(IRP_MJ_READ, disk, ...). To accept: IoCreateDevice a volume
 *     device (unnamed, FILE_DEVICE_DISK_FILE_SYSTEM), set its StackSize = disk->StackSize + 1,
 *     clear DO_DEVICE_INITIALIZING, set Vpb->DeviceObject = it (and the label/serial fields),
 *     and complete with STATUS_SUCCESS. To refuse: STATUS_UNRECOGNIZED_VOLUME.
 *   - Every later IRP for a file on that volume arrives at the volume device.
 *     IRP_MJ_CREATE: IrpSp->FileObject->FileName is the path on the volume ("\dir\file", "\"
 *     for the root, or relative to IrpSp->FileObject->RelatedFileObject when that is set);
 *     Parameters.Create.Options = disposition << 24 | create options;
 *     Parameters.Create.ShareAccess, .FileAttributes, .SecurityContext->DesiredAccess. Names
 *     compare case-insensitively (SL_CASE_SENSITIVE never set). Set FileObject->FsContext
 *     (per file) and FsContext2 (per open), keep share access with IoCheckShareAccess, and set
 *     Irp->IoStatus.Information to FILE_OPENED / FILE_CREATED / FILE_OVERWRITTEN / ...
 *   - IRP_MJ_CLEANUP on the last handle (remove share access, delete-on-close), IRP_MJ_CLOSE
 *     when the file object goes (free FsContext2).
 *   - READ/WRITE: Parameters.Read/Write.ByteOffset (never FILE_USE_FILE_POINTER_POSITION: Io
 *     resolves it; FILE_WRITE_TO_END_OF_FILE arrives as-is and the FSD appends and, for an
 *     FO_SYNCHRONOUS_IO file, sets FileObject->CurrentByteOffset itself). Io updates
 *     CurrentByteOffset for the other cases.
 *   - QUERY/SET_INFORMATION (Parameters.QueryFile/SetFile; Io already handled
 *     FilePosition/Access/Mode/Alignment), QUERY_VOLUME_INFORMATION, DIRECTORY_CONTROL
 *     (IRP_MN_QUERY_DIRECTORY: Parameters.QueryDirectory.FileName pattern or NULL,
 *     IrpSp->Flags SL_RESTART_SCAN / SL_RETURN_SINGLE_ENTRY), FLUSH_BUFFERS, and IRP_MJ_SHUTDOWN
 *     on the control device at shutdown (flush every volume).
 *   - FileRenameInformation: the SystemBuffer's FILE_RENAME_INFORMATION.FileName is either
 *     volume-absolute ("\dir\new", Io has already checked it is on the same volume), relative
 *     to Parameters.SetFile.FileObject (a directory on the volume) when that is non-NULL, or a
 *     bare name in the file's own directory.
 */
#ifndef IO_H
#define IO_H

#include "ntdef.h"
#include "ntstatus.h"
#include "ntobj.h"
#include "ntfile.h"
#include "ketypes.h"
#include "ke.h"
#include "ex.h"
#include "ob.h"
#include "mm.h"

#ifndef NTAPI
#define NTAPI __attribute__((stdcall))
#endif

/* ---- Bug check codes of the I/O system --------------------------------------------------- */

#define NO_MORE_IRP_STACK_LOCATIONS      0x00000035u    /* bug check: IoCallDriver ran out */
#define MULTIPLE_IRP_COMPLETE_REQUESTS   0x00000044u    /* bug check: an IRP completed twice */


/* ---- Device types, characteristics, control codes --------------------------------------- */

#define FILE_DEVICE_CD_ROM              0x00000002u
#define FILE_DEVICE_CD_ROM_FILE_SYSTEM  0x00000003u
#define FILE_DEVICE_CONTROLLER          0x00000004u
#define FILE_DEVICE_DISK                0x00000007u
#define FILE_DEVICE_DISK_FILE_SYSTEM    0x00000008u
#define FILE_DEVICE_FILE_SYSTEM         0x00000009u
#define FILE_DEVICE_NAMED_PIPE          0x00000011u
#define FILE_DEVICE_NULL                0x00000015u
#define FILE_DEVICE_SERIAL_PORT         0x0000001Bu
#define FILE_DEVICE_UNKNOWN             0x00000022u
#define FILE_DEVICE_VIRTUAL_DISK        0x00000024u
#define FILE_DEVICE_MASS_STORAGE        0x0000002Du

#define FILE_REMOVABLE_MEDIA            0x00000001u
#define FILE_READ_ONLY_DEVICE           0x00000002u
#define FILE_FLOPPY_DISKETTE            0x00000004u
#define FILE_REMOTE_DEVICE              0x00000010u
#define FILE_DEVICE_IS_MOUNTED          0x00000020u
#define FILE_VIRTUAL_VOLUME             0x00000040u
#define FILE_DEVICE_SECURE_OPEN         0x00000100u

#define METHOD_BUFFERED    0
#define METHOD_IN_DIRECT   1
#define METHOD_OUT_DIRECT  2
#define METHOD_NEITHER     3
#define FILE_ANY_ACCESS    0
#define FILE_READ_ACCESS   1
#define FILE_WRITE_ACCESS  2
#define CTL_CODE(t, f, m, a) (((ULONG)(t) << 16) | ((ULONG)(a) << 14) | ((ULONG)(f) << 2) | (ULONG)(m))

#define IOCTL_DISK_GET_DRIVE_GEOMETRY   CTL_CODE(FILE_DEVICE_DISK, 0x0000, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_DISK_GET_LENGTH_INFO      CTL_CODE(FILE_DEVICE_DISK, 0x0017, METHOD_BUFFERED, FILE_READ_ACCESS)
C_ASSERT(IOCTL_DISK_GET_LENGTH_INFO == 0x0007405C);
#define FSCTL_LOCK_VOLUME               CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 6, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define FSCTL_UNLOCK_VOLUME             CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 7, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define FSCTL_DISMOUNT_VOLUME           CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 8, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef enum _MEDIA_TYPE { Unknown = 0, RemovableMedia = 11, FixedMedia = 12 } MEDIA_TYPE;
typedef struct IO_ALIGN8 _DISK_GEOMETRY {
    LARGE_INTEGER Cylinders;
    MEDIA_TYPE MediaType;
    ULONG TracksPerCylinder, SectorsPerTrack, BytesPerSector;
} DISK_GEOMETRY, *PDISK_GEOMETRY;
C_ASSERT(sizeof(DISK_GEOMETRY) == 24);
typedef struct IO_ALIGN8 _GET_LENGTH_INFORMATION { LARGE_INTEGER Length; } GET_LENGTH_INFORMATION, *PGET_LENGTH_INFORMATION;

/* ---- The services (kernel/services.tab) and their kernel-mode Zw forms --------------------- */


NTSTATUS NTAPI ZwCreateFile(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, PLARGE_INTEGER, ULONG, ULONG,
                            ULONG, ULONG, PVOID, ULONG);
NTSTATUS NTAPI ZwOpenFile(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, ULONG, ULONG);
NTSTATUS NTAPI ZwReadFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG, PLARGE_INTEGER,
                          PULONG);
NTSTATUS NTAPI ZwWriteFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG, PLARGE_INTEGER,
                           PULONG);
NTSTATUS NTAPI ZwQueryInformationFile(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, FILE_INFORMATION_CLASS);
NTSTATUS NTAPI ZwSetInformationFile(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, FILE_INFORMATION_CLASS);
NTSTATUS NTAPI ZwQueryDirectoryFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG,
                                    FILE_INFORMATION_CLASS, BOOLEAN, PUNICODE_STRING, BOOLEAN);
NTSTATUS NTAPI ZwQueryVolumeInformationFile(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, FS_INFORMATION_CLASS);
NTSTATUS NTAPI ZwFlushBuffersFile(HANDLE, PIO_STATUS_BLOCK);
NTSTATUS NTAPI ZwDeleteFile(POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwQueryAttributesFile(POBJECT_ATTRIBUTES, PFILE_BASIC_INFORMATION);
NTSTATUS NTAPI ZwQueryFullAttributesFile(POBJECT_ATTRIBUTES, PFILE_NETWORK_OPEN_INFORMATION);
NTSTATUS NTAPI ZwDeviceIoControlFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, ULONG, PVOID, ULONG,
                                     PVOID, ULONG);
NTSTATUS NTAPI ZwFsControlFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, ULONG, PVOID, ULONG,
                               PVOID, ULONG);
NTSTATUS NTAPI ZwCreateNamedPipeFile(PHANDLE, ULONG, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, ULONG, ULONG, ULONG, ULONG,
                                     ULONG, ULONG, ULONG, ULONG, ULONG, PLARGE_INTEGER);

/* ===========================================================================================
 * Kernel side: everything below is for drivers and the executive.
 * =========================================================================================== */

#define IO_TYPE_DEVICE       3
#define IO_TYPE_DRIVER       4
#define IO_TYPE_FILE         5
#define IO_TYPE_IRP          6
#define IO_TYPE_OPEN_PACKET  7
#define IO_TYPE_VPB         10

#define IRP_MJ_CREATE                   0x00
#define IRP_MJ_CREATE_NAMED_PIPE        0x01
#define IRP_MJ_CLOSE                    0x02
#define IRP_MJ_READ                     0x03
#define IRP_MJ_WRITE                    0x04
#define IRP_MJ_QUERY_INFORMATION        0x05
#define IRP_MJ_SET_INFORMATION          0x06
#define IRP_MJ_QUERY_EA                 0x07
#define IRP_MJ_SET_EA                   0x08
#define IRP_MJ_FLUSH_BUFFERS            0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0A
#define IRP_MJ_SET_VOLUME_INFORMATION   0x0B
#define IRP_MJ_DIRECTORY_CONTROL        0x0C
#define IRP_MJ_FILE_SYSTEM_CONTROL      0x0D
#define IRP_MJ_DEVICE_CONTROL           0x0E
#define IRP_MJ_INTERNAL_DEVICE_CONTROL  0x0F
#define IRP_MJ_SHUTDOWN                 0x10
#define IRP_MJ_LOCK_CONTROL             0x11
#define IRP_MJ_CLEANUP                  0x12
#define IRP_MJ_CREATE_MAILSLOT          0x13
#define IRP_MJ_QUERY_SECURITY           0x14
#define IRP_MJ_SET_SECURITY             0x15
#define IRP_MJ_POWER                    0x16
#define IRP_MJ_SYSTEM_CONTROL           0x17
#define IRP_MJ_DEVICE_CHANGE            0x18
#define IRP_MJ_QUERY_QUOTA              0x19
#define IRP_MJ_SET_QUOTA                0x1A
#define IRP_MJ_PNP                      0x1B
#define IRP_MJ_MAXIMUM_FUNCTION         0x1B

#define IRP_MN_QUERY_DIRECTORY          0x01
#define IRP_MN_NOTIFY_CHANGE_DIRECTORY  0x02
#define IRP_MN_USER_FS_REQUEST          0x00
#define IRP_MN_MOUNT_VOLUME             0x01
#define IRP_MN_VERIFY_VOLUME            0x02
#define IRP_MN_LOAD_FILE_SYSTEM         0x03

/* IO_STACK_LOCATION.Flags */
#define SL_FORCE_ACCESS_CHECK   0x01      /* create */
#define SL_OPEN_TARGET_DIRECTORY 0x04     /* create */
#define SL_CASE_SENSITIVE       0x80      /* create */
#define SL_RESTART_SCAN         0x01      /* directory query */
#define SL_RETURN_SINGLE_ENTRY  0x02
#define SL_INDEX_SPECIFIED      0x04
/* IO_STACK_LOCATION.Control */
#define SL_PENDING_RETURNED     0x01
#define SL_INVOKE_ON_CANCEL     0x20
#define SL_INVOKE_ON_SUCCESS    0x40
#define SL_INVOKE_ON_ERROR      0x80

/* DEVICE_OBJECT.Flags */
#define DO_VERIFY_VOLUME        0x00000002u
#define DO_BUFFERED_IO          0x00000004u
#define DO_EXCLUSIVE            0x00000008u
#define DO_DIRECT_IO            0x00000010u
#define DO_DEVICE_HAS_NAME      0x00000040u
#define DO_DEVICE_INITIALIZING  0x00000080u

/* FILE_OBJECT.Flags */
#define FO_FILE_OPEN                 0x00000001u
#define FO_SYNCHRONOUS_IO            0x00000002u
#define FO_ALERTABLE_IO              0x00000004u
#define FO_NO_INTERMEDIATE_BUFFERING 0x00000008u
#define FO_WRITE_THROUGH             0x00000010u
#define FO_SEQUENTIAL_ONLY           0x00000020u
#define FO_DIRECT_DEVICE_OPEN        0x00000800u
#define FO_FILE_MODIFIED             0x00001000u
#define FO_FILE_SIZE_CHANGED         0x00002000u
#define FO_CLEANUP_COMPLETE          0x00004000u
#define FO_DELETE_ON_CLOSE           0x00010000u
#define FO_HANDLE_CREATED            0x00040000u
#define FO_RANDOM_ACCESS             0x00100000u
#define FO_VOLUME_OPEN               0x00400000u

/* IRP.Flags */
#define IRP_NOCACHE             0x00000001u
#define IRP_SYNCHRONOUS_API     0x00000004u
#define IRP_CREATE_OPERATION    0x00000080u
#define IRP_READ_OPERATION      0x00000100u
#define IRP_WRITE_OPERATION     0x00000200u
#define IRP_CLOSE_OPERATION     0x00000400u
#define IRP_BUFFERED_IO         0x00000010u
#define IRP_INPUT_OPERATION     0x00000040u
#define IRP_FREE_ON_COMPLETION  0x80000000u   /* NanoNT: IoCompleteRequest frees it (IoBuild* IRPs) */
#define IRP_ISSUER_COMPLETION   0x40000000u   /* NanoNT: if it went pending, CompletionApc finishes it
                                                 in the issuing thread (asynchronous user requests) */

/* VPB.Flags */
#define VPB_MOUNTED             0x0001u
#define VPB_LOCKED              0x0002u

#define MAXIMUM_VOLUME_LABEL_LENGTH (32 * sizeof(WCHAR))

struct _DRIVER_OBJECT;
struct _DEVICE_OBJECT;
struct _FILE_OBJECT;
struct _IRP;

typedef NTSTATUS (*PDRIVER_DISPATCH)(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef NTSTATUS (*PDRIVER_INITIALIZE)(struct _DRIVER_OBJECT *DriverObject, PUNICODE_STRING RegistryPath);
typedef VOID (*PDRIVER_UNLOAD)(struct _DRIVER_OBJECT *DriverObject);
/* Runs as the IRP completes upward past the level that set it. DeviceObject is the device of
 * the level that set it (NULL for the IRP's originator). STATUS_MORE_PROCESSING_REQUIRED stops
 * completion: the routine's owner keeps the IRP (and must complete again or free it). */
typedef NTSTATUS (*PIO_COMPLETION_ROUTINE)(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp, PVOID Context);

typedef struct _DRIVER_OBJECT {
    SHORT Type, Size;
    struct _DEVICE_OBJECT *DeviceObject;       /* first of its devices (NextDevice chain) */
    ULONG Flags;
    PVOID DriverStart;
    ULONG DriverSize;
    UNICODE_STRING DriverName;                 /* "\Driver\Null" */
    PDRIVER_INITIALIZE DriverInit;
    PDRIVER_UNLOAD DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

/* The volume parameter block: ties a disk-like device (RealDevice) to the file system volume
 * device mounted on it (DeviceObject, NULL until a mount succeeds). */
typedef struct _VPB {
    SHORT Type, Size;
    USHORT Flags;                              /* VPB_MOUNTED */
    USHORT VolumeLabelLength;                  /* bytes */
    struct _DEVICE_OBJECT *DeviceObject;       /* the file system's volume device */
    struct _DEVICE_OBJECT *RealDevice;         /* the disk */
    ULONG SerialNumber;
    ULONG ReferenceCount;                      /* file objects open on the volume */
    WCHAR VolumeLabel[MAXIMUM_VOLUME_LABEL_LENGTH / sizeof(WCHAR)];
} VPB, *PVPB;

typedef struct _DEVICE_OBJECT {
    SHORT Type;
    USHORT Size;
    LONG ReferenceCount;                       /* file objects opened on this device */
    PDRIVER_OBJECT DriverObject;
    struct _DEVICE_OBJECT *NextDevice;         /* the driver's next device */
    struct _DEVICE_OBJECT *AttachedDevice;     /* (no filter stacks yet: always NULL) */
    struct _IRP *CurrentIrp;
    ULONG Flags;                               /* DO_* */
    ULONG Characteristics;                     /* FILE_REMOVABLE_MEDIA, ... */
    PVPB Vpb;                                  /* disk-like devices: their VPB */
    PVOID DeviceExtension;                     /* the driver's, DeviceExtensionSize bytes */
    DEVICE_TYPE DeviceType;
    CHAR StackSize;                            /* IRP stack locations a request to it needs */
    ULONG AlignmentRequirement;
    ULONG SectorSize;
    LIST_ENTRY ShutdownLink;                   /* IoRegisterShutdownNotification */
    BOOLEAN ShutdownRegistered, DeletePending;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _FILE_OBJECT {
    SHORT Type, Size;
    PDEVICE_OBJECT DeviceObject;               /* the device the name was opened on (the disk) */
    PVPB Vpb;                                  /* the mounted volume, or NULL for a device open */
    PVOID FsContext;                           /* the FSD's per-file (FCB) */
    PVOID FsContext2;                          /* the FSD's per-open (CCB) */
    SECTION_OBJECT_POINTERS *SectionObjectPointer;
    PVOID PrivateCacheMap;
    NTSTATUS FinalStatus;                      /* of the last request */
    struct _FILE_OBJECT *RelatedFileObject;    /* the RootDirectory of the open, referenced */
    BOOLEAN LockOperation, DeletePending, ReadAccess, WriteAccess, DeleteAccess;
    BOOLEAN SharedRead, SharedWrite, SharedDelete;
    ULONG Flags;                               /* FO_* */
    UNICODE_STRING FileName;                   /* path on the device, pool (IO_NAME_TAG) */
    LARGE_INTEGER CurrentByteOffset;           /* FO_SYNCHRONOUS_IO files */
    PVOID CompletionPort;                      /* FileCompletionInformation: the port (referenced) */
    PVOID CompletionKey;                       /*   and the key of this file's packets */
    ULONG Waiters, Busy;
    KEVENT Lock;                               /* serialises FO_SYNCHRONOUS_IO requests */
    KEVENT Event;                              /* signalled when a request on the file completes */
    ACCESS_MASK DesiredAccess;                 /* mapped access of the open */
} FILE_OBJECT, *PFILE_OBJECT;

/* What a driver or file system keeps to enforce sharing among the opens of one file/device. */
typedef struct _SHARE_ACCESS {
    ULONG OpenCount, Readers, Writers, Deleters, SharedRead, SharedWrite, SharedDelete;
} SHARE_ACCESS, *PSHARE_ACCESS;

typedef struct _IO_SECURITY_CONTEXT {
    PVOID SecurityQos;
    PACCESS_STATE AccessState;
    ACCESS_MASK DesiredAccess;
    ULONG FullCreateOptions;
} IO_SECURITY_CONTEXT, *PIO_SECURITY_CONTEXT;

/* NtCreateNamedPipeFile's pipe parameters, as the NPFS receives them with IRP_MJ_CREATE_NAMED_PIPE
 * (Parameters.CreatePipe.Parameters); the rest of the create is as for IRP_MJ_CREATE. */
typedef struct IO_ALIGN8 _NAMED_PIPE_CREATE_PARAMETERS {
    ULONG NamedPipeType, ReadMode, CompletionMode, MaximumInstances, InboundQuota, OutboundQuota;
    LARGE_INTEGER DefaultTimeout;
    BOOLEAN TimeoutSpecified;
} NAMED_PIPE_CREATE_PARAMETERS, *PNAMED_PIPE_CREATE_PARAMETERS;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction, MinorFunction, Flags, Control;
    union {
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;                     /* disposition << 24 | create options */
            USHORT FileAttributes, ShareAccess;
            ULONG EaLength;
        } Create;
        struct {                               /* IRP_MJ_CREATE_NAMED_PIPE: Create's layout, plus */
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            USHORT Reserved, ShareAccess;
            struct _NAMED_PIPE_CREATE_PARAMETERS *Parameters;   /* kernel memory, checked by Io */
        } CreatePipe;
        struct { ULONG Length, Key; LARGE_INTEGER ByteOffset; } Read;
        struct { ULONG Length, Key; LARGE_INTEGER ByteOffset; } Write;
        struct { ULONG Length; FILE_INFORMATION_CLASS FileInformationClass; } QueryFile;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS FileInformationClass;
            struct _FILE_OBJECT *FileObject;   /* rename: target directory, or NULL */
            BOOLEAN ReplaceIfExists, AdvanceOnly;
        } SetFile;
        struct {
            ULONG Length;
            PUNICODE_STRING FileName;          /* search pattern (kernel copy) or NULL */
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG FileIndex;
        } QueryDirectory;
        struct { ULONG Length; FS_INFORMATION_CLASS FsInformationClass; } QueryVolume;
        struct { ULONG OutputBufferLength, InputBufferLength, IoControlCode; PVOID Type3InputBuffer; } DeviceIoControl;
        struct { ULONG OutputBufferLength, InputBufferLength, FsControlCode; PVOID Type3InputBuffer; } FileSystemControl;
        struct { PVPB Vpb; struct _DEVICE_OBJECT *DeviceObject; } MountVolume;
        struct { PVOID Argument1, Argument2, Argument3, Argument4; } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;               /* the device this level's driver serves */
    PFILE_OBJECT FileObject;
    PIO_COMPLETION_ROUTINE CompletionRoutine;
    PVOID Context;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

struct _IRP;
struct _DEVICE_OBJECT;
/* Called at DISPATCH_LEVEL with the cancel lock held (IoAcquireCancelSpinLock); it must release
 * it with IoReleaseCancelSpinLock(Irp->CancelIrql), take the IRP off its queue and complete it. */
typedef VOID (*PDRIVER_CANCEL)(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);

typedef struct _IRP {
    SHORT Type;
    USHORT Size;
    ULONG Flags;                               /* IRP_* */
    union { PVOID SystemBuffer; } AssociatedIrp;   /* the request's data, kernel memory */
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    CHAR StackCount;
    CHAR CurrentLocation;                      /* StackCount + 1 before the first IoCallDriver */
    BOOLEAN Cancel, Completed;
    UCHAR AllocationFlags;                     /* IRP_LOOKASIDE_ALLOCATION: where IoFreeIrp returns it */
    PIO_STATUS_BLOCK UserIosb;                 /* kernel memory: receives IoStatus at the end */
    PKEVENT UserEvent;                         /* signalled at the end */
    union { struct { LARGE_INTEGER AllocationSize; } Overlay; } Overlay;
    PVOID UserBuffer;                          /* = SystemBuffer (every request is buffered) */
    PDRIVER_CANCEL CancelRoutine;              /* set while a driver holds it queued, cancellable */
    KIRQL CancelIrql;                          /* for the cancel routine's IoReleaseCancelSpinLock */
    LIST_ENTRY ThreadListEntry;                /* on the issuer's IrpList (asynchronous requests) */
    struct _KAPC *CompletionApc;               /* IRP_ISSUER_COMPLETION: queued to the issuer */
    struct {
        struct {
            LIST_ENTRY ListEntry;              /* free for the current owner (driver queues) */
            PVOID Thread;                      /* the ETHREAD that issued it */
            PIO_STACK_LOCATION CurrentStackLocation;
            PFILE_OBJECT OriginalFileObject;
            PVOID DriverContext[4];
        } Overlay;
    } Tail;
    /* IO_STACK_LOCATION[StackCount] follow */
} IRP, *PIRP;

/* ---- Drivers and devices ---------------------------------------------------------------- */

extern POBJECT_TYPE IoDriverObjectType, IoDeviceObjectType, IoFileObjectType;

/* A built-in driver: creates \Driver\<Name> (or \Driver\Nt<n> for NULL), fills every major
 * function with "invalid device request", calls Init, and deletes the driver if it fails.
 * Devices created during Init are ready when it returns (DO_DEVICE_INITIALIZING cleared). */
NTSTATUS IoCreateDriver(PUNICODE_STRING DriverName, PDRIVER_INITIALIZE InitializationFunction);
/* Deletes a driver whose devices are all deleted (tests; built-in drivers stay). */
VOID IoDeleteDriver(PDRIVER_OBJECT DriverObject);
/* Creates a device (named, e.g. \Device\Null, or unnamed) with a zeroed extension. Disk-like
 * types (DISK, CD_ROM, VIRTUAL_DISK) get a VPB. Exclusive: one open at a time. */
NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject);
/* Removes the name and the driver's link; the memory goes with the last reference. */
VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject);
NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName);
NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName);
/* The device a request for FileObject goes to: the mounted volume's device, else the device. */
PDEVICE_OBJECT IoGetRelatedDeviceObject(PFILE_OBJECT FileObject);

/* ---- IRPs ------------------------------------------------------------------------------- */

#define IO_IRP_TAG  POOL_TAG('I', 'r', 'p', ' ')
#define IO_BUF_TAG  POOL_TAG('I', 'o', 'B', 'f')
#define IO_NAME_TAG POOL_TAG('I', 'o', 'N', 'm')

#define IRP_LOOKASIDE_ALLOCATION 0x02u          /* AllocationFlags: from Io's IRP lookaside list */
PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota);
VOID IoFreeIrp(PIRP Irp);
NTSTATUS IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp);
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
/* What nearly every driver dispatch ends with: the IRP's final status and information set, the
 * IRP completed, the status returned (iodriver.c); and a dispatch routine that just succeeds. */
NTSTATUS IoCompleteRequestWithStatus(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);
NTSTATUS IoDispatchSucceed(struct _DEVICE_OBJECT *DeviceObject, PIRP Irp);
#define IofCallDriver IoCallDriver
#define IofCompleteRequest IoCompleteRequest

static inline PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp)
{
    return Irp->Tail.Overlay.CurrentStackLocation;
}
static inline PIO_STACK_LOCATION IoGetNextIrpStackLocation(PIRP Irp)
{
    return Irp->Tail.Overlay.CurrentStackLocation - 1;
}
static inline VOID IoMarkIrpPending(PIRP Irp)
{
    IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
}
static inline VOID IoSetCompletionRoutine(PIRP Irp, PIO_COMPLETION_ROUTINE Routine, PVOID Context,
                                          BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel)
{
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(Irp);
    sp->CompletionRoutine = Routine;
    sp->Context = Context;
    sp->Control = 0;
    if (InvokeOnSuccess) sp->Control |= SL_INVOKE_ON_SUCCESS;
    if (InvokeOnError) sp->Control |= SL_INVOKE_ON_ERROR;
    if (InvokeOnCancel) sp->Control |= SL_INVOKE_ON_CANCEL;
}
/* For a driver passing the IRP down unchanged (the completion routine is not copied). */
static inline VOID IoCopyCurrentIrpStackLocationToNext(PIRP Irp)
{
    PIO_STACK_LOCATION cur = IoGetCurrentIrpStackLocation(Irp), next = cur - 1;
    *next = *cur;
    next->CompletionRoutine = NULL;
    next->Context = NULL;
    next->Control = 0;
}
static inline VOID IoSkipCurrentIrpStackLocation(PIRP Irp)
{
    Irp->CurrentLocation++;
    Irp->Tail.Overlay.CurrentStackLocation++;
}

/* Cancellation (irp.c). The cancel "spin lock" is DISPATCH_LEVEL: one processor. A driver that
 * queues an IRP sets a cancel routine (checking Irp->Cancel first) and, when it takes the IRP
 * back to complete it, clears the routine at DISPATCH_LEVEL: a NULL result means the cancel
 * routine owns the IRP. IoCancelIrp: FALSE if no cancel routine was set. */
VOID IoAcquireCancelSpinLock(PKIRQL Irql);
VOID IoReleaseCancelSpinLock(KIRQL Irql);
PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine);
BOOLEAN IoCancelIrp(PIRP Irp);
/* Thread exit: cancels the thread's outstanding requests and waits until every one completed
 * (their completions run in this thread, which must be the current one). */
struct _ETHREAD;
VOID IoCancelThreadIo(struct _ETHREAD *Thread);

/* An IRP to another driver for a kernel buffer, e.g. an FSD reading sectors from its disk:
 * MajorFunction IRP_MJ_READ/WRITE/FLUSH_BUFFERS/SHUTDOWN. When it completes, *IoStatusBlock is
 * set, Event signalled and the IRP freed; the caller does IoCallDriver and, on STATUS_PENDING,
 * waits for Event. */
PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer, ULONG Length,
                                  PLARGE_INTEGER StartingOffset, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);
/* The same for IRP_MJ_DEVICE_CONTROL (or INTERNAL_DEVICE_CONTROL): input copied into a system
 * buffer, output copied back to OutputBuffer on completion. */
PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                   ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength,
                                   BOOLEAN InternalDeviceIoControl, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);
/* Convenience: IoCallDriver and wait for the IRP built with one of the two above. */
NTSTATUS IoCallDriverAndWait(PDEVICE_OBJECT DeviceObject, PIRP Irp, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);

/* ---- Share access (the FSD's or device driver's record, per file) ------------------------ */

NTSTATUS IoCheckShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                            PSHARE_ACCESS ShareAccess, BOOLEAN Update);
VOID IoSetShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                      PSHARE_ACCESS ShareAccess);
VOID IoUpdateShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess);
VOID IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess);

/* ---- File systems, mounting, shutdown --------------------------------------------------- */

/* A file system's control device joins the list asked to mount new volumes (newest first). */
VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject);
VOID IoUnregisterFileSystem(PDEVICE_OBJECT DeviceObject);
/* Mounts DeviceObject's volume if it is not mounted (the parse does this on the first open of a
 * path on a disk): STATUS_UNRECOGNIZED_VOLUME if no file system accepts it. */
NTSTATUS IoMountVolume(PDEVICE_OBJECT DeviceObject);
/* Devices that get IRP_MJ_SHUTDOWN at shutdown (disks: flush the write cache), after the file
 * systems. */
NTSTATUS IoRegisterShutdownNotification(PDEVICE_OBJECT DeviceObject);
VOID IoUnregisterShutdownNotification(PDEVICE_OBJECT DeviceObject);
/* Flushes every file system, then every registered device. Called by ExShutdownSystem. */
VOID IoShutdownSystem(VOID);

/* ---- Initialisation --------------------------------------------------------------------- */

/* Phase 0: the Driver, Device and File object types. */
BOOLEAN IoInitSystem(VOID);
/* Phase 1: starts the built-in drivers (null, serial, ramdisk, ata) and names the system
 * volume: \??\C: -> its disk device, \SystemRoot -> \??\C:\Windows. */
VOID IoInitSystemPhase1(VOID);
/* The system volume's disk device (C:), or NULL if there is none. */
extern PDEVICE_OBJECT IoSystemDiskDevice;

/* Built-in drivers' entry points (kernel/drivers/). */
NTSTATUS NullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS SerialDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS ConsoleDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS RamdiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS AtaDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS FatDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS NpfsDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

#include "ntnative.h"      /* the Nt services of this layer, with all the others */

#endif
