/*
 * ntldr.h - the user-mode PE loader (ntdll/ldr) and the thread/process lifecycle: the loader's
 * data in the PEB (PEB_LDR_DATA, LDR_DATA_TABLE_ENTRY, NT x86 layouts), process and thread start
 * (LdrInitializeThunk, RtlUserThreadStart), run-time loading (LdrLoadDll, LdrUnloadDll,
 * LdrGetDllHandle, LdrGetProcedureAddress) and exit (RtlExitUserThread, RtlExitUserProcess,
 * LdrShutdownThread, LdrShutdownProcess). Names, prototypes and layouts are NT's.
 */
#ifndef NTLDR_H
#define NTLDR_H

#include "ntdef.h"
#include "ntobj.h"
#include "ntapi.h"
#include "ntrtl.h"

/* DllMain and TLS callback reasons. */
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH  2
#define DLL_THREAD_DETACH  3

typedef BOOLEAN (NTAPI *PDLL_INIT_ROUTINE)(PVOID DllHandle, ULONG Reason, PVOID Context);
typedef VOID (NTAPI *PIMAGE_TLS_CALLBACK)(PVOID DllHandle, ULONG Reason, PVOID Reserved);

/* PEB.Ldr (NT x86 layout, 0x28 bytes). */
typedef struct _PEB_LDR_DATA {
    ULONG Length;                         /* 0x00: sizeof(PEB_LDR_DATA) */
    BOOLEAN Initialized;                  /* 0x04 */
    PVOID SsHandle;                       /* 0x08 */
    LIST_ENTRY InLoadOrderModuleList;     /* 0x0C: the EXE, ntdll, then DLLs as they are mapped */
    LIST_ENTRY InMemoryOrderModuleList;   /* 0x14: same order here (NT's is not sorted either) */
    LIST_ENTRY InInitializationOrderModuleList;  /* 0x1C: ntdll, then DLLs, dependencies first */
    PVOID EntryInProgress;                /* 0x24 */
} PEB_LDR_DATA, *PPEB_LDR_DATA;
X86_C_ASSERT(sizeof(PEB_LDR_DATA) == 0x28);

/* LDR_DATA_TABLE_ENTRY.Flags (NT's values). */
#define LDRP_STATIC_LINK                0x00000002u
#define LDRP_IMAGE_DLL                  0x00000004u
#define LDRP_LOAD_IN_PROGRESS           0x00001000u
#define LDRP_UNLOAD_IN_PROGRESS         0x00002000u
#define LDRP_ENTRY_PROCESSED            0x00004000u
#define LDRP_DONT_CALL_FOR_THREADS      0x00040000u
#define LDRP_PROCESS_ATTACH_CALLED      0x00080000u
#define LDRP_IMAGE_NOT_AT_BASE          0x00200000u

#define LDRP_PINNED_LOAD_COUNT          0xFFFFu   /* never unloaded: the EXE and ntdll */

/* One module. The first 0x50 bytes are NT x86's layout (what debuggers and Win32 code walking
 * PEB.Ldr read); the fields after them are NanoNT's private bookkeeping. */
struct _LDRP_DEPENDENCY;
typedef struct _LDR_DATA_TABLE_ENTRY {
    LIST_ENTRY InLoadOrderLinks;          /* 0x00 */
    LIST_ENTRY InMemoryOrderLinks;        /* 0x08 */
    LIST_ENTRY InInitializationOrderLinks;/* 0x10: empty (self-linked) until imports are bound */
    PVOID DllBase;                        /* 0x18 */
    PVOID EntryPoint;                     /* 0x1C: NULL if none */
    ULONG SizeOfImage;                    /* 0x20 */
    UNICODE_STRING FullDllName;           /* 0x24: DOS path, "C:\Windows\System32\x.dll" */
    UNICODE_STRING BaseDllName;           /* 0x2C: points into FullDllName's buffer */
    ULONG Flags;                          /* 0x34: LDRP_* */
    USHORT LoadCount;                     /* 0x38: LDRP_PINNED_LOAD_COUNT = never unloaded */
    USHORT TlsIndex;                      /* 0x3A: static TLS slot, 0xFFFF if none */
    LIST_ENTRY HashLinks;                 /* 0x3C: unused (self-linked) */
    ULONG TimeDateStamp;                  /* 0x44 */
    PVOID EntryPointActivationContext;    /* 0x48 */
    PVOID PatchInformation;               /* 0x4C */
    /* ---- NanoNT private ---- */
    struct _LDRP_DEPENDENCY *Dependencies;/* modules this one holds a reference on */
} LDR_DATA_TABLE_ENTRY, *PLDR_DATA_TABLE_ENTRY;
X86_C_ASSERT(FIELD_OFFSET(LDR_DATA_TABLE_ENTRY, DllBase) == 0x18);
X86_C_ASSERT(FIELD_OFFSET(LDR_DATA_TABLE_ENTRY, FullDllName) == 0x24);
X86_C_ASSERT(FIELD_OFFSET(LDR_DATA_TABLE_ENTRY, LoadCount) == 0x38);
X86_C_ASSERT(FIELD_OFFSET(LDR_DATA_TABLE_ENTRY, Dependencies) == 0x50);

/* ---- Process and thread start (the kernel enters these; see ntdll/README.md) ---------------- */

/* Every user thread of a process starts here: the first one initializes the process (heap, module
 * list, imports, TLS, DLL_PROCESS_ATTACH), later ones their TLS and DLL_THREAD_ATTACH; then
 * NtContinue(Context). Never returns. */
NTSYSAPI VOID NTAPI LdrInitializeThunk(PCONTEXT Context, PVOID NtdllBase);
/* Entered with EAX = StartAddress, EBX = Parameter: calls StartAddress(Parameter) and ends the
 * thread with its result (RtlExitUserThread). Not callable from C. */
NTSYSAPI VOID NTAPI RtlUserThreadStart(VOID);

/* ---- Run-time loading (all take the loader lock, PEB.LoaderLock) --------------------------- */

/* Maps DllName (a base name, ".dll" added if it has no extension, or a DOS path) with its
 * imports, runs DLL_PROCESS_ATTACH, returns its base. A loaded module is reused, its count
 * raised. SearchPath, if given, is a ';'-separated list of DOS directories searched first;
 * then the EXE's directory, \SystemRoot\System32 and the current directory. */
NTSYSAPI NTSTATUS NTAPI LdrLoadDll(PWSTR SearchPath, PULONG Flags, PUNICODE_STRING DllName,
                                   PVOID *BaseAddress);
/* Drops one reference; at zero, DLL_PROCESS_DETACH, then the module and the dependencies that
 * reach zero with it are unmapped and leave the lists. */
NTSYSAPI NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress);
/* The base of a loaded module by name (STATUS_DLL_NOT_FOUND if none); no reference taken. */
NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(PWSTR Path, PULONG Characteristics, PUNICODE_STRING DllName,
                                        PVOID *DllHandle);
/* An export by Name, or by Ordinal when Name is NULL; forwarders are followed (loading their
 * target). STATUS_PROCEDURE_NOT_FOUND / STATUS_ORDINAL_NOT_FOUND when absent. */
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *ProcedureAddress);

/* The module whose image holds Address (STATUS_NO_MORE_ENTRIES if none). */
NTSYSAPI NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *TableEntry);
/* No more DLL_THREAD_ATTACH/DETACH (nor thread TLS callbacks) for this module
 * (DisableThreadLibraryCalls). */
NTSYSAPI NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress);

/* ---- Exit ------------------------------------------------------------------------------------ */

/* The last thread ends the process (RtlExitUserProcess); others get DLL_THREAD_DETACH first. */
NTSYSAPI VOID NTAPI RtlExitUserThread(NTSTATUS ExitStatus) __attribute__((noreturn));
/* DLL_PROCESS_DETACH in reverse initialization order, then NtTerminateProcess. */
NTSYSAPI VOID NTAPI RtlExitUserProcess(NTSTATUS ExitStatus) __attribute__((noreturn));
NTSYSAPI VOID NTAPI LdrShutdownThread(VOID);
NTSYSAPI VOID NTAPI LdrShutdownProcess(VOID);

#endif
