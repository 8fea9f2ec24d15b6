/*
 * ex.h - the executive support layer (Ex): the pool allocator ExAllocatePoolWithTag and its
 * per-tag tracking (what poolmon shows), and system shutdown.
 */
#ifndef EX_H
#define EX_H

#include "ntdef.h"

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

/* Shutdown: the power-off service. Flushes what must reach disk, prints the status, ends. */
typedef enum _SHUTDOWN_ACTION { ShutdownNoReboot, ShutdownReboot, ShutdownPowerOff } SHUTDOWN_ACTION;
__attribute__((noreturn)) VOID ExShutdownSystem(SHUTDOWN_ACTION Action, NTSTATUS ExitStatus);
NTSTATUS NtShutdownSystem(SHUTDOWN_ACTION Action);

#define POOL_TAG(a, b, c, d) ((ULONG)(a) | ((ULONG)(b) << 8) | ((ULONG)(c) << 16) | ((ULONG)(d) << 24))

#endif
