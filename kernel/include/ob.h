/*
 * ob.h - the object manager (Ob): typed, reference-counted objects with an optional name in one
 * namespace (\, \ObjectTypes, \Device, \??, ...), and per-process handle tables that give user
 * and kernel code access-checked HANDLEs to them. Every executive object (process, thread, event,
 * file, section, ...) is an Ob object of a type registered here with ObCreateObjectType.
 *
 * Life of an object: ObCreateObject (pointer count 1, not yet visible) -> ObInsertObject (puts
 * the name in its directory and turns the creation reference into a handle) -> handles are
 * duplicated, inherited and closed, kernel code takes and drops pointer references -> when the
 * last handle closes, a temporary named object leaves the namespace -> when the last reference
 * goes, the type's Delete procedure runs and the memory returns to the pool.
 *
 * Not yet: security descriptors and SeAccessCheck (every requested right is granted; only the
 * handle's granted mask is enforced, for UserMode callers), quotas (charges are accepted and
 * ignored), object waits (DefaultObject), and the pseudo-handles NtCurrentProcess() /
 * NtCurrentThread(), which Ps will resolve (STATUS_INVALID_HANDLE until then).
 */
#ifndef OB_H
#define OB_H

#include "ntdef.h"
#include "ntobj.h"
#include "ke.h"
#include "ex.h"

struct _OBJECT_TYPE;
typedef struct _OBJECT_TYPE OBJECT_TYPE, *POBJECT_TYPE;
struct _HANDLE_TABLE;
typedef struct _HANDLE_TABLE HANDLE_TABLE, *PHANDLE_TABLE;

/* What the access check of an open works on; Se will add the subject's token and privileges. */
typedef struct _ACCESS_STATE {
    ACCESS_MASK OriginalDesiredAccess;
    ACCESS_MASK RemainingDesiredAccess;
    ACCESS_MASK PreviouslyGrantedAccess;
} ACCESS_STATE, *PACCESS_STATE;

/* ---- Object types ----------------------------------------------------------------------- */

/* Called for every handle closed: the counts are those before this handle went away. Process is
 * the owner of the handle table (NULL until Ps exists). */
typedef VOID (*OB_CLOSE_METHOD)(PVOID Process, PVOID Object, ACCESS_MASK GrantedAccess,
                                ULONG ProcessHandleCount, ULONG SystemHandleCount);
/* Called once, when the last reference goes; the memory is freed after it returns. */
typedef VOID (*OB_DELETE_METHOD)(PVOID Object);
/* Called when a name lookup reaches an object of this type: RemainingName is the rest of the
 * path after it ("\dir\file", or empty). The procedure either returns the object the path names
 * (referenced) in *Object, or STATUS_REPARSE after replacing *CompleteName with a new absolute
 * name (buffer from ExAllocatePoolWithTag(PagedPool, .., OB_NAME_TAG); it frees the old one with
 * that tag), and the lookup starts again from the root, at most OB_MAX_REPARSE times. */
typedef NTSTATUS (*OB_PARSE_METHOD)(PVOID ParseObject, POBJECT_TYPE ObjectType,
                                    PACCESS_STATE AccessState, KPROCESSOR_MODE AccessMode,
                                    ULONG Attributes, PUNICODE_STRING CompleteName,
                                    PUNICODE_STRING RemainingName, PVOID Context,
                                    PVOID SecurityQos, PVOID *Object);
/* May refuse a close (NtClose then returns STATUS_HANDLE_NOT_CLOSABLE). */
typedef BOOLEAN (*OB_OKAYTOCLOSE_METHOD)(PVOID Process, PVOID Object, HANDLE Handle,
                                         KPROCESSOR_MODE PreviousMode);

typedef struct _OBJECT_TYPE_INITIALIZER {
    USHORT Length;                    /* sizeof(OBJECT_TYPE_INITIALIZER) */
    BOOLEAN CaseInsensitive;          /* names of this type's objects always compare so */
    BOOLEAN MaintainHandleCount;
    ULONG InvalidAttributes;          /* OBJ_* that ObCreateObject refuses for this type */
    GENERIC_MAPPING GenericMapping;
    ACCESS_MASK ValidAccessMask;      /* what MAXIMUM_ALLOWED grants */
    POOL_TYPE PoolType;               /* where the objects live */
    ULONG DefaultPagedPoolCharge;
    ULONG DefaultNonPagedPoolCharge;
    OB_CLOSE_METHOD CloseProcedure;
    OB_DELETE_METHOD DeleteProcedure;
    OB_PARSE_METHOD ParseProcedure;
    OB_OKAYTOCLOSE_METHOD OkayToCloseProcedure;
} OBJECT_TYPE_INITIALIZER, *POBJECT_TYPE_INITIALIZER;

struct _OBJECT_TYPE {
    LIST_ENTRY TypeList;              /* ObpTypeListHead: every type, in creation order */
    UNICODE_STRING Name;              /* "Directory"; the buffer is the type object's name */
    ULONG Index;                      /* 1, 2, ... in creation order */
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    OBJECT_TYPE_INITIALIZER TypeInfo;
    ULONG Key;                        /* pool tag of the objects: the name's first 4 characters */
};

/* Creates a type and names it \ObjectTypes\<TypeName>. Reserved must be NULL. */
NTSTATUS ObCreateObjectType(PUNICODE_STRING TypeName, POBJECT_TYPE_INITIALIZER ObjectTypeInitializer,
                            PVOID Reserved, POBJECT_TYPE *ObjectType);

extern POBJECT_TYPE ObpTypeObjectType;          /* "Type" */
extern POBJECT_TYPE ObpDirectoryObjectType;     /* "Directory" */
extern POBJECT_TYPE ObpSymbolicLinkObjectType;  /* "SymbolicLink" */
#define ObDirectoryObjectType ObpDirectoryObjectType
#define ObSymbolicLinkObjectType ObpSymbolicLinkObjectType

/* ---- Objects ---------------------------------------------------------------------------- */

#define OB_NAME_TAG        POOL_TAG('O', 'b', 'N', 'm')   /* names and name buffers */
#define OB_MAX_REPARSE     32                             /* symbolic links followed per lookup */

/* Allocates an object of Type with ObjectBodySize bytes of (zeroed) body and captures the name
 * and attributes of ObjectAttributes for ObInsertObject. ProbeMode says whose memory
 * ObjectAttributes is in: for UserMode the structure, its UNICODE_STRING and the characters are
 * probed and copied once (bad pointers: STATUS_ACCESS_VIOLATION / STATUS_DATATYPE_MISALIGNMENT;
 * Length != sizeof(OBJECT_ATTRIBUTES): STATUS_INVALID_PARAMETER; odd name Length or Length >
 * MaximumLength: STATUS_OBJECT_NAME_INVALID), OBJ_KERNEL_HANDLE is ignored, and the root
 * directory handle is later referenced as UserMode. The object has one pointer reference and
 * no handle; until it is inserted only its creator knows it. Charges are ignored. */
NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE Type,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE AccessMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object);

/* Makes a new object visible: enters its name (if any) in the namespace and creates a handle
 * with DesiredAccess (generic rights mapped; MAXIMUM_ALLOWED = the type's valid mask) in the
 * current process's table, or the kernel's for OBJ_KERNEL_HANDLE from kernel mode. The creation
 * reference becomes the handle's. With OBJ_OPENIF and an existing object of the same type, the
 * handle is to that object and the status STATUS_OBJECT_NAME_EXISTS; on any collision or
 * failure the new object is dereferenced (so deleted). ObjectPointerBias extra references are
 * taken for the caller and *NewObject receives the object. Handle may be NULL: then no handle is
 * made and the creation reference goes to *NewObject (which must be given). */
NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                        ULONG ObjectPointerBias, PVOID *NewObject, PHANDLE Handle);

VOID ObReferenceObject(PVOID Object);
VOID ObDereferenceObject(PVOID Object);
#define ObfReferenceObject ObReferenceObject
#define ObfDereferenceObject ObDereferenceObject
NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                    POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode);
/* A permanent object stays in the namespace with no handle open; this makes it temporary again
 * (and removes the name at once if no handle is open). */
VOID ObMakeTemporaryObject(PVOID Object);

POBJECT_TYPE ObGetObjectType(PVOID Object);
ULONG ObGetObjectPointerCount(PVOID Object);
ULONG ObGetObjectHandleCount(PVOID Object);

/* ---- Names ------------------------------------------------------------------------------ */

/* Looks ObjectName up (absolute, or relative to ObjectAttributes->RootDirectory), following
 * symbolic links and handing the rest of the path to parse procedures, and returns a handle
 * (ObOpenObjectByName) or a reference (ObReferenceObjectByName) to what it names. ObjectType,
 * when given, must match. The attributes or name are captured as ObCreateObject does, in
 * AccessMode's memory; *Handle and *Object are kernel memory (the services copy them out). */
NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE PassedAccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle);
NTSTATUS ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes,
                                 PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                                 POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                 PVOID ParseContext, PVOID *Object);

/* ---- Handles ---------------------------------------------------------------------------- */

typedef struct _OBJECT_HANDLE_INFORMATION {
    ULONG HandleAttributes;           /* OBJ_INHERIT | OBJ_PROTECT_CLOSE */
    ACCESS_MASK GrantedAccess;
} OBJECT_HANDLE_INFORMATION, *POBJECT_HANDLE_INFORMATION;

/* Handles are multiples of 4 starting at 4 (the low two bits are ignored, as on NT); a kernel
 * handle (OBJ_KERNEL_HANDLE) has the top bit set and is valid only from kernel mode. */
#define KERNEL_HANDLE_MASK ((ULONG_PTR)0x80000000u)

/* Returns a reference to the object behind Handle: STATUS_INVALID_HANDLE for a free or garbage
 * handle, STATUS_OBJECT_TYPE_MISMATCH if ObjectType is given and differs, STATUS_ACCESS_DENIED
 * if AccessMode is UserMode and DesiredAccess is not within the handle's granted access. */
NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation);

/* A new process's table; with a parent, its OBJ_INHERIT handles are copied at the same values. */
NTSTATUS ObCreateHandleTable(PHANDLE_TABLE ParentToInheritFrom, PHANDLE_TABLE *HandleTable);
/* Closes every handle (protected ones too, as at process exit) and frees the table. */
VOID ObKillHandleTable(PHANDLE_TABLE HandleTable);
NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PACCESS_STATE PassedAccessState,
                               ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                               KPROCESSOR_MODE AccessMode, PHANDLE Handle);
ULONG ObGetHandleCount(PHANDLE_TABLE HandleTable);

/* The current process's handle table. Processes do not exist yet: this is a system table made
 * by ObInitSystem (Ps will return PsGetCurrentProcess()->ObjectTable). */
PHANDLE_TABLE ObGetCurrentHandleTable(VOID);
extern PHANDLE_TABLE ObpKernelHandleTable;      /* OBJ_KERNEL_HANDLE handles */

/* The work of NtDuplicateObject across two tables (NtDuplicateObject resolves process handles
 * to tables). TargetTable NULL: only DUPLICATE_CLOSE_SOURCE is done. The source is closed with
 * DUPLICATE_CLOSE_SOURCE whatever the outcome, as NT does. */
NTSTATUS ObDuplicateObject(PHANDLE_TABLE SourceTable, HANDLE SourceHandle,
                           PHANDLE_TABLE TargetTable, PHANDLE TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options,
                           KPROCESSOR_MODE PreviousMode);
/* Closes Handle in Table (NtClose without the PreviousMode lookup). */
NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode);

/* ---- Initialisation --------------------------------------------------------------------- */

/* Phase 0: the Type, Directory and SymbolicLink types, the namespace skeleton (\, \ObjectTypes,
 * \Device, \Driver, \BaseNamedObjects, \Windows, \??) and the system and kernel handle tables. */
BOOLEAN ObInitSystem(VOID);
extern PVOID ObpRootDirectoryObject;

/* ---- System services --------------------------------------------------------------------
 *
 * Called through int 0x2E (kernel/services.tab). For a user-mode caller every pointer is probed
 * and every value captured once: OBJECT_ATTRIBUTES, the UNICODE_STRING they point to and its
 * characters are copied into kernel memory before use, outputs are checked before any work is
 * done and written with ExCopyOut/ExReturnHandle, and a bad pointer gives
 * STATUS_ACCESS_VIOLATION or STATUS_DATATYPE_MISALIGNMENT. OBJ_KERNEL_HANDLE from user mode is
 * ignored, as on NT: the handle goes to the caller's own table. */


/* Kernel-mode callers use the Zw forms: the same dispatcher, PreviousMode = KernelMode. */
NTSTATUS NTAPI ZwClose(HANDLE);
NTSTATUS NTAPI ZwDuplicateObject(HANDLE, HANDLE, HANDLE, PHANDLE, ACCESS_MASK, ULONG, ULONG);
NTSTATUS NTAPI ZwQueryObject(HANDLE, OBJECT_INFORMATION_CLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwSetInformationObject(HANDLE, OBJECT_INFORMATION_CLASS, PVOID, ULONG);
NTSTATUS NTAPI ZwMakeTemporaryObject(HANDLE);
NTSTATUS NTAPI ZwCreateDirectoryObject(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwOpenDirectoryObject(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwQueryDirectoryObject(HANDLE, PVOID, ULONG, BOOLEAN, BOOLEAN, PULONG, PULONG);
NTSTATUS NTAPI ZwCreateSymbolicLinkObject(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PUNICODE_STRING);
NTSTATUS NTAPI ZwOpenSymbolicLinkObject(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwQuerySymbolicLinkObject(HANDLE, PUNICODE_STRING, PULONG);

#include "ntnative.h"      /* the Nt services of this layer, with all the others */

#endif
