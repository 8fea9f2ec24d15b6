/*
 * obp.h - the object manager's private layout: the header in front of every object body, the
 * optional name information in front of the header, directories, symbolic links, the handle
 * table, the Ob lock, and the routines the files of kernel/ob share.
 *
 * Memory of one object, one pool block tagged with its type's Key:
 *
 *     [OBJECT_HEADER_NAME_INFO]   only if the object was created with a name (NameInfoOffset)
 *     OBJECT_HEADER               counts, type, flags
 *     body                        what ObCreateObject returns; the header is just before it
 */
#ifndef OBP_H
#define OBP_H

#include "ob.h"

/* ---- Header ----------------------------------------------------------------------------- */

/* Kept from ObCreateObject to ObInsertObject: what the creator asked for. */
typedef struct _OBJECT_CREATE_INFORMATION {
    ULONG Attributes;                 /* OBJ_* of the OBJECT_ATTRIBUTES */
    HANDLE RootDirectory;
    KPROCESSOR_MODE ProbeMode;
    PVOID ParseContext;
    UNICODE_STRING ObjectName;        /* captured, OB_NAME_TAG buffer; empty for no name */
} OBJECT_CREATE_INFORMATION, *POBJECT_CREATE_INFORMATION;

#define OB_FLAG_NEW_OBJECT     0x01   /* created, not yet inserted: ObjectCreateInfo is valid */
#define OB_FLAG_KERNEL_OBJECT  0x02   /* created from kernel mode */
#define OB_FLAG_PERMANENT      0x10   /* stays in the namespace with no handle (OBJ_PERMANENT) */
#define OB_FLAG_EXCLUSIVE      0x20   /* OBJ_EXCLUSIVE: one process's handles only */
#define OB_FLAG_IN_NAMESPACE   0x80   /* has a directory entry (which holds one reference) */

typedef struct _OBJECT_HEADER {
    LONG PointerCount;                /* references, including one per handle */
    LONG HandleCount;
    POBJECT_TYPE Type;
    UCHAR NameInfoOffset;             /* bytes from the name info to the header, 0 = none */
    UCHAR Reserved[2];
    UCHAR Flags;                      /* OB_FLAG_* */
    POBJECT_CREATE_INFORMATION ObjectCreateInfo;   /* until inserted (OB_FLAG_NEW_OBJECT) */
    ULONG Magic;                      /* OB_HEADER_MAGIC: catches a pointer that is not a body */
    ULONG Body __attribute__((aligned(8)));   /* the object body starts here */
} OBJECT_HEADER, *POBJECT_HEADER;
C_ASSERT(FIELD_OFFSET(OBJECT_HEADER, Body) % 8 == 0);

#define OB_HEADER_MAGIC POOL_TAG('O', 'b', 'H', 'd')

typedef struct _OBJECT_DIRECTORY OBJECT_DIRECTORY, *POBJECT_DIRECTORY;

typedef struct _OBJECT_HEADER_NAME_INFO {
    POBJECT_DIRECTORY Directory;      /* where the name is entered (referenced), or NULL */
    UNICODE_STRING Name;              /* the last path component; OB_NAME_TAG buffer */
    ULONG Reserved;
} OBJECT_HEADER_NAME_INFO, *POBJECT_HEADER_NAME_INFO;
C_ASSERT(sizeof(OBJECT_HEADER_NAME_INFO) % 8 == 0);

#define OBJECT_TO_OBJECT_HEADER(o) CONTAINING_RECORD((o), OBJECT_HEADER, Body)
#define OBJECT_HEADER_TO_BODY(h) ((PVOID)&(h)->Body)

static inline POBJECT_HEADER_NAME_INFO OBJECT_HEADER_TO_NAME_INFO(POBJECT_HEADER h)
{
    return h->NameInfoOffset ? (POBJECT_HEADER_NAME_INFO)((PCHAR)h - h->NameInfoOffset) : NULL;
}

/* The header of Object, bug checking if Object does not look like an object body. Inline: every
 * reference and dereference goes through it. */
__attribute__((noreturn)) VOID ObpBadHeader(PVOID Object);
static inline POBJECT_HEADER ObpGetHeader(PVOID Object)
{
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    if (__builtin_expect(Object == NULL || h->Magic != OB_HEADER_MAGIC, 0)) ObpBadHeader(Object);
    return h;
}

/* ---- The lock --------------------------------------------------------------------------- */

/* One lock, a mutant, guards the namespace, the handle tables and the handle counts (pointer
 * counts are atomic and need none). Holders run at PASSIVE_LEVEL; type procedures are never
 * called with it held. */
VOID ObpAcquireLock(VOID);
VOID ObpReleaseLock(VOID);
BOOLEAN ObpLockHeld(VOID);

/* Looking a handle up (ObpReferenceHandle, every service's first step) takes no lock: it reads
 * the table at DISPATCH_LEVEL. So the writers, who hold the lock among themselves, make each
 * change of a table - an entry filled or freed, the array replaced - at DISPATCH_LEVEL too, and
 * on one processor a reader sees a table before or after a change, never during one. */
#ifdef NT_HOST
static inline KIRQL ObpBeginTableUpdate(VOID) { return 0; }
static inline VOID ObpEndTableUpdate(KIRQL Old) { (VOID)Old; }
#else
static inline KIRQL ObpBeginTableUpdate(VOID)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    return old;
}
static inline VOID ObpEndTableUpdate(KIRQL Old) { KeLowerIrql(Old); }
#endif

/* The mode the current system service was called from. Every Nt* routine here reads it once. */
#include "svc.h"
#define ObpPreviousMode() ExGetPreviousMode()

/* ---- Types, objects, references --------------------------------------------------------- */

extern LIST_ENTRY ObpTypeListHead;
extern POBJECT_DIRECTORY ObpTypeDirectoryObject;    /* \ObjectTypes */

#define OB_CREATE_INFO_TAG POOL_TAG('O', 'b', 'C', 'i')
#define OB_HANDLE_TABLE_TAG POOL_TAG('O', 'b', 't', 'b')
#define OB_DIRECTORY_ENTRY_TAG POOL_TAG('O', 'b', 'D', 'i')

/* Allocates header, optional name info and body; Name (may be empty) goes into the name info.
 * PointerCount 1, flags from CreateInfo; CreateInfo (may be NULL) is attached to the header. */
NTSTATUS ObpAllocateObject(POBJECT_CREATE_INFORMATION CreateInfo, PCUNICODE_STRING Name,
                           POBJECT_TYPE Type, ULONG ObjectBodySize, PVOID *Object);
VOID ObpFreeCreateInformation(POBJECT_HEADER Header);
/* ---- Capturing what callers pass (obcapture.c) -------------------------------------------- */

/* Copies a kernel-mode name into a new NUL-terminated OB_NAME_TAG buffer (NULL or empty: an
 * empty string). An odd Length, Length > MaximumLength or a missing buffer is
 * STATUS_OBJECT_NAME_INVALID; over 0xFFFC bytes STATUS_NAME_TOO_LONG. */
NTSTATUS ObpCaptureName(PUNICODE_STRING Captured, PCUNICODE_STRING Name);
VOID ObpFreeName(PUNICODE_STRING Name);
/* The same for a name in Mode's memory: the UNICODE_STRING is copied once (probed, ULONG
 * aligned, for UserMode), then its characters (probed, WCHAR aligned). Bad pointers give
 * STATUS_ACCESS_VIOLATION or STATUS_DATATYPE_MISALIGNMENT. */
NTSTATUS ObpCaptureObjectName(KPROCESSOR_MODE Mode, PUNICODE_STRING Captured, PCUNICODE_STRING Name);
/* The two steps alone, for strings that are not object names (link targets, query buffers). */
NTSTATUS ObpCaptureStringHeader(KPROCESSOR_MODE Mode, PCUNICODE_STRING Source, PUNICODE_STRING Header);
NTSTATUS ObpCopyStringBuffer(KPROCESSOR_MODE Mode, PWSTR Dest, PCUNICODE_STRING Header);

/* An OBJECT_ATTRIBUTES after capture: everything in kernel memory, read once. */
typedef struct _OBP_CAPTURED_ATTRIBUTES {
    HANDLE RootDirectory;             /* still to be referenced with the caller's mode */
    ULONG Attributes;                 /* OBJ_*; OBJ_KERNEL_HANDLE dropped for UserMode */
    BOOLEAN HasName;                  /* ObjectName was not NULL */
    UNICODE_STRING ObjectName;        /* OB_NAME_TAG buffer; empty for no name */
} OBP_CAPTURED_ATTRIBUTES, *POBP_CAPTURED_ATTRIBUTES;

/* Copies the structure (Length must be sizeof(OBJECT_ATTRIBUTES) and the attributes valid and
 * not among InvalidAttributes, else STATUS_INVALID_PARAMETER), then its name. On failure
 * nothing is left to release. */
NTSTATUS ObpCaptureObjectAttributes(KPROCESSOR_MODE Mode, const OBJECT_ATTRIBUTES *ObjectAttributes,
                                    ULONG InvalidAttributes, POBP_CAPTURED_ATTRIBUTES Captured);
VOID ObpReleaseObjectAttributes(POBP_CAPTURED_ATTRIBUTES Captured);

/* For UserMode: checks that a ULONG or HANDLE output is aligned, in user space, mapped and
 * writable, before the service does anything. Always succeeds for KernelMode. */
NTSTATUS ObpProbeForWriteUlong(KPROCESSOR_MODE Mode, PVOID Address);

/* Maps generic rights through the type's mapping; MAXIMUM_ALLOWED -> the valid mask. */
ACCESS_MASK ObpMapDesiredAccess(POBJECT_TYPE Type, ACCESS_MASK DesiredAccess);

/* Handle counts: increment when a handle is made; decrement calls the Close procedure (lock NOT
 * held) and takes a temporary object's name out of the namespace when the count reaches 0. */
VOID ObpIncrementHandleCount(PVOID Object);
VOID ObpIncrementHandleCountLocked(POBJECT_HEADER Header);
VOID ObpDecrementHandleCount(PVOID Object, ACCESS_MASK GrantedAccess);
/* Removes a temporary object's name when it has no handle (lock NOT held). */
VOID ObpDeleteNameCheck(PVOID Object);

/* ---- Directories ------------------------------------------------------------------------ */

#define OB_NUMBER_HASH_BUCKETS 37

typedef struct _OBJECT_DIRECTORY_ENTRY {
    struct _OBJECT_DIRECTORY_ENTRY *ChainLink;
    PVOID Object;
    ULONG HashValue;
} OBJECT_DIRECTORY_ENTRY, *POBJECT_DIRECTORY_ENTRY;

struct _OBJECT_DIRECTORY {
    POBJECT_DIRECTORY_ENTRY HashBuckets[OB_NUMBER_HASH_BUCKETS];
    ULONG EntryCount;
};

/* With the lock held: finds Name in Directory (no reference taken), or NULL. */
PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, PCUNICODE_STRING Name,
                              BOOLEAN CaseInsensitive);
/* With the lock held: enters Object under Name (copied into its name info), takes the
 * directory's reference on Object and Object's reference on Directory. */
NTSTATUS ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object, PCUNICODE_STRING Name);
/* With the lock held: removes Object's entry; returns the two references to drop afterwards
 * (lock released): the object's and its directory's. */
VOID ObpRemoveDirectoryEntry(PVOID Object, PVOID *DropObject, PVOID *DropDirectory);
NTSTATUS ObpCreateDirectoryType(VOID);
/* Creates a permanent directory at an absolute path (ObInitSystem). */
NTSTATUS ObpCreatePermanentDirectory(PCWSTR Path, POBJECT_DIRECTORY *Directory);

/* ---- Symbolic links --------------------------------------------------------------------- */

typedef struct _OBJECT_SYMBOLIC_LINK {
    LARGE_INTEGER CreationTime;
    UNICODE_STRING LinkTarget;        /* buffer tagged with the link type's Key */
} OBJECT_SYMBOLIC_LINK, *POBJECT_SYMBOLIC_LINK;

NTSTATUS ObpCreateSymbolicLinkType(VOID);

/* ---- Lookup ----------------------------------------------------------------------------- */

/* Walks ObjectName from RootDirectory (a handle, or NULL for an absolute name). With
 * InsertObject, a missing final component is created as InsertObject's name: *FoundObject is
 * then InsertObject (no extra reference); an existing one is returned referenced as with a
 * plain lookup, and the caller decides between collision and OBJ_OPENIF. */
NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PCUNICODE_STRING ObjectName, ULONG Attributes,
                             POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                             PVOID ParseContext, PVOID InsertObject, PVOID *FoundObject);

/* ---- Handle tables (obhtab.c: the table alone, no objects; host-buildable) --------------- */

typedef struct _HANDLE_TABLE_ENTRY {
    PVOID Object;                     /* the object body; NULL while the entry is free */
    union {
        ACCESS_MASK GrantedAccess;
        ULONG NextFreeTableEntry;     /* free entries: index of the next free one, 0 = end */
    };
    ULONG Attributes;                 /* OBJ_HANDLE_ATTRIBUTES */
} HANDLE_TABLE_ENTRY, *PHANDLE_TABLE_ENTRY;

struct _HANDLE_TABLE {
    PHANDLE_TABLE_ENTRY Table;        /* TableSize entries; entry 0 is never used (handle 0) */
    ULONG TableSize;
    ULONG HandleCount;
    ULONG FirstFree;                  /* most recently freed entry first: handle values recur */
    PVOID QuotaProcess;               /* the owning process, when Ps exists */
};

#define HANDLE_TABLE_INITIAL_SIZE 32
#define HANDLE_TABLE_MAXIMUM_SIZE (1u << 20)
#define HANDLE_TO_INDEX(h) ((ULONG)(((ULONG_PTR)(h) & ~KERNEL_HANDLE_MASK) >> 2))
#define INDEX_TO_HANDLE(i) ((HANDLE)(ULONG_PTR)((i) << 2))

PHANDLE_TABLE ObpAllocateHandleTable(ULONG InitialSize);
VOID ObpFreeHandleTable(PHANDLE_TABLE Table);       /* the entries must all be free */
/* A free entry (growing the table if needed) filled with Object, Access and Attributes. */
NTSTATUS ObpAllocateHandle(PHANDLE_TABLE Table, PVOID Object, ACCESS_MASK GrantedAccess,
                           ULONG Attributes, PHANDLE Handle);
/* Fills the entry of a specific handle value (inheritance keeps values). */
NTSTATUS ObpAllocateHandleAt(PHANDLE_TABLE Table, HANDLE Handle, PVOID Object,
                             ACCESS_MASK GrantedAccess, ULONG Attributes);
/* The in-use entry of Handle, or NULL. */
PHANDLE_TABLE_ENTRY ObpLookupHandle(PHANDLE_TABLE Table, HANDLE Handle);
VOID ObpFreeHandle(PHANDLE_TABLE Table, HANDLE Handle);

/* ---- Handles (obhandle.c) ----------------------------------------------------------------- */

static inline BOOLEAN ObpIsPseudoHandleValue(HANDLE Handle)
{
    return Handle == NtCurrentProcess() || Handle == NtCurrentThread();
}

/* The table a handle value refers to for PreviousMode: kernel handles (top bit) from kernel
 * mode go to the kernel table, everything else to Table (the current process's if NULL). */
PHANDLE_TABLE ObpTableForHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode, PHANDLE_TABLE Table);
/* Makes a handle to Object and counts it; the caller's reference on Object becomes the
 * handle's (on failure the caller keeps it). */
NTSTATUS ObpCreateHandle(PHANDLE_TABLE Table, PVOID Object, ACCESS_MASK GrantedAccess,
                         ULONG HandleAttributes, PHANDLE Handle);
/* The table a new handle goes to, for the attributes and mode of its creator. */
PHANDLE_TABLE ObpTableForNewHandle(ULONG Attributes, KPROCESSOR_MODE AccessMode);
NTSTATUS ObpCloseHandleInTable(PHANDLE_TABLE Table, HANDLE Handle, KPROCESSOR_MODE PreviousMode,
                               BOOLEAN IgnoreProtection);
/* Reference and access of a handle in a given table. */
NTSTATUS ObpReferenceHandle(PHANDLE_TABLE Table, HANDLE Handle, PVOID *Object,
                            PHANDLE_TABLE_ENTRY Copy);
PHANDLE_TABLE ObpCreateSystemHandleTable(VOID);

#endif
