/*
 * ldrp.h - the loader's private interface, shared by the files of ntdll/ldr:
 *   ldrinit.c    LdrInitializeThunk: process and thread start
 *   ldrmodule.c  module entries, the three lists, names
 *   ldrmap.c     finding a DLL file and mapping it (relocating it if it moved)
 *   ldrimport.c  binding imports, export lookup with forwarders
 *   ldrload.c    loading a module graph, references, unloading
 *   ldrcall.c    DllMain and TLS callbacks, in dependency order
 *   ldrtls.c     static TLS: indexes and each thread's blocks (also for DLLs loaded later)
 *   ldrapi.c     LdrLoadDll, LdrUnloadDll, LdrGetDllHandle, LdrGetProcedureAddress,
 *                LdrFindEntryForAddress, LdrDisableThreadCalloutsForDll
 *   ldrexit.c    RtlUserThreadStart, thread and process exit
 */
#ifndef LDRP_H
#define LDRP_H

#include "ntndk.h"

#define LDRP_MAX_PATH_CHARS 520u          /* a full NT path the loader builds, in WCHARs */
#define LDRP_MAX_NAME_CHARS 260u          /* a DLL name (with extension) */
#define LDRP_MAX_FORWARD_DEPTH 16u        /* "A.f" -> "B.g" -> ... ends here (a loop) */

/* A reference a module holds on another (its import or a forwarder's target). */
typedef struct _LDRP_DEPENDENCY {
    struct _LDRP_DEPENDENCY *Next;
    PLDR_DATA_TABLE_ENTRY Module;
} LDRP_DEPENDENCY, *PLDRP_DEPENDENCY;

/* ---- State (ldrinit.c) ---- */
extern RTL_CRITICAL_SECTION LdrpLoaderLock;
extern PEB_LDR_DATA LdrpData;
extern PLDR_DATA_TABLE_ENTRY LdrpImageEntry;     /* the EXE */
extern PLDR_DATA_TABLE_ENTRY LdrpNtdllEntry;
extern BOOLEAN LdrpInProcessInit;                /* static imports being loaded */
extern BOOLEAN LdrpShutdownInProgress;

PVOID LdrpAlloc(SIZE_T Size);                    /* process heap, zeroed */
VOID LdrpFree(PVOID Block);

/* ---- Modules (ldrmodule.c) ---- */
/* "x" -> "x.dll"; strips any directory. FALSE if the name is empty or too long. */
BOOLEAN LdrpMakeBaseName(PCUNICODE_STRING Name, PUNICODE_STRING Base, PWSTR Buffer, ULONG BufferChars);
PLDR_DATA_TABLE_ENTRY LdrpFindByBaseName(PCUNICODE_STRING BaseName);
PLDR_DATA_TABLE_ENTRY LdrpFindByBase(PVOID Base);
/* A new entry for an image mapped at Base, FullDllName copied from DosPath; in no list yet. */
PLDR_DATA_TABLE_ENTRY LdrpCreateEntry(PVOID Base, const RTL_IMAGE_INFO *Info, PCUNICODE_STRING DosPath);
VOID LdrpInsertEntry(PLDR_DATA_TABLE_ENTRY Entry);       /* load and memory order lists */
VOID LdrpRemoveEntry(PLDR_DATA_TABLE_ENTRY Entry);       /* from all lists */
VOID LdrpFreeEntry(PLDR_DATA_TABLE_ENTRY Entry);
NTSTATUS LdrpImageInfo(PLDR_DATA_TABLE_ENTRY Entry, PRTL_IMAGE_INFO Info);
/* An ASCII copy of a counted string for DbgPrint. */
PCSTR LdrpPrintable(PCUNICODE_STRING Name, PCHAR Buffer, ULONG Size);

/* ---- Mapping (ldrmap.c) ---- */
/* Maps Name: a base name from \KnownDlls if it is a known DLL, else found (a base name or DOS
 * path) on the search path; relocated if needed.
 * DosPath receives the file's DOS path (Buffer of LDRP_MAX_PATH_CHARS), Info what validating the
 * mapped (and relocated) image found. STATUS_IMAGE_NOT_AT_BASE (a success) when the image was
 * relocated. */
NTSTATUS LdrpMapDll(PCWSTR SearchPath, PCUNICODE_STRING Name, PVOID *Base, PSIZE_T ViewSize,
                    PUNICODE_STRING DosPath, PRTL_IMAGE_INFO Info);
/* Applies the image's relocations for where it lies, making pages writable meanwhile. */
NTSTATUS LdrpRelocate(PVOID Base, const RTL_IMAGE_INFO *Info);
/* Makes [Address, Address + Size) writable, runs nothing, returns the old protection. */
NTSTATUS LdrpUnprotect(PVOID Address, SIZE_T Size, PULONG OldProtect);
VOID LdrpReprotect(PVOID Address, SIZE_T Size, ULONG OldProtect);
/* The view's size from a mapped image's own headers (for the EXE the kernel mapped). */
NTSTATUS LdrpMappedImageSize(PVOID Base, PSIZE_T Size);

/* ---- Imports and exports (ldrimport.c) ---- */
NTSTATUS LdrpBindImports(PLDR_DATA_TABLE_ENTRY Entry);
/* Export by name (Ordinal ignored) or ordinal (Name NULL), forwarders followed. */
NTSTATUS LdrpGetProcedure(PLDR_DATA_TABLE_ENTRY Module, PCSTR Name, USHORT Hint, ULONG Ordinal,
                          PVOID *Address, ULONG Depth);

/* ---- Loading and unloading (ldrload.c) ---- */
/* Loads Name with its dependencies (a reference taken), without running initializers. */
NTSTATUS LdrpLoadModule(PCWSTR SearchPath, PCUNICODE_STRING Name, PLDR_DATA_TABLE_ENTRY *Module);
/* Records that From holds a reference on To (already counted on To). */
NTSTATUS LdrpAddDependency(PLDR_DATA_TABLE_ENTRY From, PLDR_DATA_TABLE_ENTRY To);
BOOLEAN LdrpHasDependency(PLDR_DATA_TABLE_ENTRY From, PLDR_DATA_TABLE_ENTRY To);
/* Drops one reference; a module reaching zero gets DLL_PROCESS_DETACH (if it was attached),
 * drops its own references, and is unmapped and freed. */
VOID LdrpDereference(PLDR_DATA_TABLE_ENTRY Module);

/* ---- Initializers (ldrcall.c) ---- */
BOOLEAN LdrpCallInitRoutine(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason, PVOID Context);
VOID LdrpCallTlsCallbacks(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason);
/* DLL_PROCESS_ATTACH to every module in init order not yet attached (Context: NULL for
 * LdrLoadDll, non-NULL at process start, as NT passes). Failure: the first DLL that refused. */
NTSTATUS LdrpRunInitializers(PVOID Context, PLDR_DATA_TABLE_ENTRY *Failed);
VOID LdrpThreadAttach(VOID);
VOID LdrpThreadDetach(VOID);

/* ---- TLS (ldrtls.c) ---- */
NTSTATUS LdrpInitializeTls(VOID);             /* process start: indexes for the static modules */
NTSTATUS LdrpAssignTls(PLDR_DATA_TABLE_ENTRY Module);   /* an index and every thread's block */
VOID LdrpReleaseTls(PLDR_DATA_TABLE_ENTRY Module);     /* at unload: the blocks and the index */
NTSTATUS LdrpAllocateTls(VOID);               /* the current thread's blocks (thread start) */
VOID LdrpFreeTls(VOID);                       /* ... freed (thread exit) */

#endif
