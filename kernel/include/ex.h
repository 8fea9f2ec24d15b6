/*
 * ex.h - the executive support layer (Ex): the pool allocator ExAllocatePoolWithTag and its
 * per-tag tracking (what poolmon shows), lookaside lists, and system shutdown.
 */
#ifndef EX_H
#define EX_H

#include "ntdef.h"
#include "ntapi.h"

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
} POOL_TYPE;

#define POOL_TYPE_COUNT 2          /* NonPagedPool and PagedPool: the two real pools */
#define POOL_BASE_TYPE(t) ((t) & 1)

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);   /* tag 'None' */
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID ExFreePool(PVOID P);
SIZE_T ExQueryPoolBlockSize(PVOID P);

/* Per-tag tracking, one row per tag as poolmon shows it. */
typedef struct _POOL_TRACKER_ENTRY {
    ULONG Tag;
    struct {
        ULONG Allocs, Frees;
        SIZE_T Bytes;          /* bytes outstanding: block sizes of allocations not yet freed */
    } Pool[POOL_TYPE_COUNT];
} POOL_TRACKER_ENTRY, *PPOOL_TRACKER_ENTRY;

BOOLEAN ExQueryPoolTag(ULONG Tag, PPOOL_TRACKER_ENTRY Entry);
ULONG ExEnumeratePoolTags(PPOOL_TRACKER_ENTRY Entries, ULONG MaxEntries);

typedef struct _POOL_USAGE {
    ULONG PagesInUse;          /* pages of address space backed by memory */
    SIZE_T BytesInUse;         /* sum of outstanding block sizes */
    ULONG Allocs, Frees;
} POOL_USAGE;
VOID ExQueryPoolUsage(POOL_TYPE PoolType, POOL_USAGE *Usage);

/* Sets up one pool over [Base, Base + Pages pages); pages are mapped on demand. */
VOID ExInitializePoolDescriptor(POOL_TYPE PoolType, PVOID Base, ULONG Pages);
VOID ExInitializePoolTracking(VOID);
VOID ExInitializePool(VOID);
VOID ExDumpPoolTags(VOID);

/* Lookaside lists (kernel/ex/lookaside.c): a LIFO cache of equal-sized blocks in front of the
 * pool. Allocate/Free default to ExAllocatePoolWithTag/ExFreePool; Flags and Depth are accepted
 * and ignored (NT reserves Depth as well). */
typedef PVOID (*PALLOCATE_FUNCTION)(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef VOID (*PFREE_FUNCTION)(PVOID Buffer);

#define EX_LOOKASIDE_DEPTH 32          /* blocks a list keeps at most (NT: 4..256, tuned each second) */

typedef struct _GENERAL_LOOKASIDE {
    SINGLE_LIST_ENTRY ListHead;        /* cached blocks, most recently freed first */
    USHORT Depth;                      /* blocks on the list now */
    USHORT MaximumDepth;
    ULONG TotalAllocates, AllocateMisses;   /* misses went to Allocate */
    ULONG TotalFrees, FreeMisses;           /* misses went to Free (the list was full) */
    POOL_TYPE Type;
    ULONG Tag;
    ULONG Size;
    PALLOCATE_FUNCTION Allocate;
    PFREE_FUNCTION Free;
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _NPAGED_LOOKASIDE_LIST { GENERAL_LOOKASIDE L; } NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;
typedef struct _PAGED_LOOKASIDE_LIST { GENERAL_LOOKASIDE L; } PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                    PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
PVOID ExpAllocateFromLookaside(PGENERAL_LOOKASIDE L);
VOID ExpFreeToLookaside(PGENERAL_LOOKASIDE L, PVOID Entry);

static inline PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    return ExpAllocateFromLookaside(&Lookaside->L);
}
static inline VOID ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    ExpFreeToLookaside(&Lookaside->L, Entry);
}
static inline PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    return ExpAllocateFromLookaside(&Lookaside->L);
}
static inline VOID ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    ExpFreeToLookaside(&Lookaside->L, Entry);
}

/* Shutdown: the power-off service. Flushes what must reach disk, prints the status, ends. */
__attribute__((noreturn)) VOID ExShutdownSystem(SHUTDOWN_ACTION Action, NTSTATUS ExitStatus);

#define POOL_TAG(a, b, c, d) ((ULONG)(a) | ((ULONG)(b) << 8) | ((ULONG)(c) << 16) | ((ULONG)(d) << 24))

/* ------------------------------------------------------------------------------------------------
 * Executive objects over the kernel's dispatcher objects (kernel/ex/event.c, mutant.c,
 * semaphore.c, timer.c) and the wait services (kernel/ex/wait.c). Named ones live in
 * \BaseNamedObjects (or wherever the caller's OBJECT_ATTRIBUTES say).
 */
#include "ntobj.h"
#include "ketypes.h"



struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *ExEventObjectType, *ExMutantObjectType, *ExSemaphoreObjectType,
    *ExTimerObjectType;
BOOLEAN ExInitializeObjectTypes(VOID);


/* Kernel-mode callers use the Zw forms: the same dispatcher, PreviousMode = KernelMode. */
NTSTATUS NTAPI ZwCreateEvent(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, EVENT_TYPE, BOOLEAN);
NTSTATUS NTAPI ZwOpenEvent(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwSetEvent(HANDLE, PLONG);
NTSTATUS NTAPI ZwResetEvent(HANDLE, PLONG);
NTSTATUS NTAPI ZwPulseEvent(HANDLE, PLONG);
NTSTATUS NTAPI ZwClearEvent(HANDLE);
NTSTATUS NTAPI ZwQueryEvent(HANDLE, EVENT_INFORMATION_CLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwCreateMutant(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, BOOLEAN);
NTSTATUS NTAPI ZwOpenMutant(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwReleaseMutant(HANDLE, PLONG);
NTSTATUS NTAPI ZwQueryMutant(HANDLE, MUTANT_INFORMATION_CLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwCreateSemaphore(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, LONG, LONG);
NTSTATUS NTAPI ZwOpenSemaphore(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwReleaseSemaphore(HANDLE, LONG, PLONG);
NTSTATUS NTAPI ZwQuerySemaphore(HANDLE, SEMAPHORE_INFORMATION_CLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwCreateTimer(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, TIMER_TYPE);
NTSTATUS NTAPI ZwOpenTimer(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
NTSTATUS NTAPI ZwSetTimer(HANDLE, PLARGE_INTEGER, PTIMER_APC_ROUTINE, PVOID, BOOLEAN, LONG, PBOOLEAN);
NTSTATUS NTAPI ZwCancelTimer(HANDLE, PBOOLEAN);
NTSTATUS NTAPI ZwQueryTimer(HANDLE, TIMER_INFORMATION_CLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE, BOOLEAN, PLARGE_INTEGER);
NTSTATUS NTAPI ZwWaitForMultipleObjects(ULONG, HANDLE[], WAIT_TYPE, BOOLEAN, PLARGE_INTEGER);
NTSTATUS NTAPI ZwDelayExecution(BOOLEAN, PLARGE_INTEGER);
NTSTATUS NTAPI ZwYieldExecution(VOID);

/* Object types whose body holds a dispatcher object (at DispatcherOffset) can be waited on
 * (NtWaitFor*); ExGetWaitableObject gives that dispatcher object, or NULL for other types. */
VOID ExRegisterWaitableType(struct _OBJECT_TYPE *Type, ULONG DispatcherOffset);
PVOID ExGetWaitableObject(PVOID Object);
/* Creates an object type with NT's usual generic mapping (see exinit.c). */
BOOLEAN ExCreateObjectType(PCWSTR Name, ACCESS_MASK ReadRights, ACCESS_MASK WriteRights, ACCESS_MASK ExecuteRights,
                           ACCESS_MASK AllRights, VOID (*Delete)(PVOID Object), BOOLEAN Waitable,
                           struct _OBJECT_TYPE **Type);
BOOLEAN ExIsWaitableType(struct _OBJECT_TYPE *Type);

/* Copying service arguments in and out: plain copies for kernel-mode callers, probed and
 * fault-tolerant ones for user-mode callers (kernel/ex/capture.c). */
NTSTATUS ExCopyIn(KPROCESSOR_MODE Mode, PVOID Dst, const VOID *Src, SIZE_T Length);
NTSTATUS ExCopyOut(KPROCESSOR_MODE Mode, PVOID Dst, const VOID *Src, SIZE_T Length);
NTSTATUS ExCaptureTimeout(KPROCESSOR_MODE Mode, PLARGE_INTEGER UserTimeout, PLARGE_INTEGER Captured,
                          PLARGE_INTEGER *Result);
/* Hands a new handle to the caller; if that write faults, the handle is closed again. */
NTSTATUS ExReturnHandle(KPROCESSOR_MODE Mode, PHANDLE Dst, HANDLE Handle, NTSTATUS Status);
/* An NtCreateXxx service's whole work for an object of Type: probe the handle pointer, create
 * the object (BodySize bytes, Init(Body, Context) fills it), insert it with a handle for the
 * caller's mode, hand the handle back (kernel/ex/exobj.c). */
typedef VOID (*EX_INIT_ROUTINE)(PVOID Body, PVOID Context);
NTSTATUS ExCreateObjectWithHandle(struct _OBJECT_TYPE *Type, ULONG BodySize, PHANDLE Handle, ACCESS_MASK Access,
                                  POBJECT_ATTRIBUTES ObjectAttributes, EX_INIT_ROUTINE Init, PVOID Context);
/* An NtOpenXxx service's whole work for an object of Type: probe the handle pointer, open by
 * name in the caller's mode, hand back the handle (kernel/ex/exobj.c). */
NTSTATUS ExOpenObjectByName(struct _OBJECT_TYPE *Type, PHANDLE Handle, ACCESS_MASK Access,
                            POBJECT_ATTRIBUTES ObjectAttributes);

#include "ntnative.h"      /* the Nt services of this layer, with all the others */

#endif
