/*
 * ntrtl.h - ntdll's own run-time library (ntdll/rtl): heaps, critical sections, NTSTATUS ->
 * Win32 error mapping and the thread's last error, bit maps, ANSI/counted strings beyond the
 * shared kernel/rtl/unicode.c ones, and DOS path names (types, current directory, conversion to
 * NT paths). Names, prototypes and structure layouts are NT's (x86).
 *
 * Included by ntndk.h after the PEB/TEB and the native API. Host unit tests compile these
 * sources with -DNT_HOST: there the test supplies the current TEB (RtlpHostCurrentTeb) and the
 * system services the sources call.
 */
#ifndef NTRTL_H
#define NTRTL_H

#include "ntdef.h"
#include "ntobj.h"
#include "pebteb.h"

#ifdef NT_HOST
/* Host tests have no FS segment: NtCurrentTeb (and so NtCurrentPeb) asks the test. */
PTEB RtlpHostCurrentTeb(VOID);
#define NtCurrentTeb() RtlpHostCurrentTeb()
#endif

/* Process-start initialization of these parts, called once by the loader on the first thread
 * before anything else uses Rtl: points PEB.FastPebLock at ntdll's PEB lock, sets up the heap
 * list (PEB.ProcessHeaps) and creates the process heap (PEB.ProcessHeap) if it is still NULL. */
VOID RtlpInitializeRtl(VOID);

/* ---- Strings: 8-bit counted strings ------------------------------------------------------- */

typedef const CHAR *PCSZ;
typedef WCHAR *PWCH;
typedef const WCHAR *PCWCH;

/* Length and MaximumLength in bytes; Buffer is not necessarily NUL-terminated. */
typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING;
typedef const ANSI_STRING *PCANSI_STRING;

/* The ANSI code page is Windows-1252 (Latin-1 with 0x80-0x9F as 1252 defines them); characters
 * it cannot represent become '?'. */
NTSYSAPI VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString);
NTSYSAPI VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString);
NTSYSAPI NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
                                                     PCANSI_STRING SourceString,
                                                     BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
                                                     PCUNICODE_STRING SourceString,
                                                     BOOLEAN AllocateDestinationString);
NTSYSAPI ULONG NTAPI RtlAnsiStringToUnicodeSize(PCANSI_STRING AnsiString);
NTSYSAPI ULONG NTAPI RtlUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString);
NTSYSAPI VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
NTSYSAPI VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString);
NTSYSAPI NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
                                               PCUNICODE_STRING SourceString,
                                               BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString,
                                                 PCUNICODE_STRING SourceString,
                                                 BOOLEAN AllocateDestinationString);
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString,
                                                        PCSZ SourceString);
NTSYSAPI LONG NTAPI RtlCompareString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive);
NTSYSAPI BOOLEAN NTAPI RtlEqualString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive);
NTSYSAPI CHAR NTAPI RtlUpperChar(CHAR Character);
NTSYSAPI NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value);
NTSYSAPI NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                               PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                               ULONG BytesInMultiByteString);
NTSYSAPI NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString,
                                                  const CHAR *MultiByteString,
                                                  ULONG BytesInMultiByteString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                               PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                               ULONG BytesInUnicodeString);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                                  ULONG BytesInUnicodeString);

/* ---- Heaps -------------------------------------------------------------------------------- */

#define HEAP_NO_SERIALIZE           0x00000001u
#define HEAP_GROWABLE               0x00000002u
#define HEAP_GENERATE_EXCEPTIONS    0x00000004u
#define HEAP_ZERO_MEMORY            0x00000008u
#define HEAP_REALLOC_IN_PLACE_ONLY  0x00000010u
#define HEAP_TAIL_CHECKING_ENABLED  0x00000020u
#define HEAP_FREE_CHECKING_ENABLED  0x00000040u
#define HEAP_DISABLE_COALESCE_ON_FREE 0x00000080u
#define HEAP_CREATE_ALIGN_16        0x00010000u
#define HEAP_CREATE_ENABLE_TRACING  0x00020000u

typedef NTSTATUS (NTAPI *PRTL_HEAP_COMMIT_ROUTINE)(PVOID Base, PVOID *CommitAddress, PSIZE_T CommitSize);

/* Accepted and, apart from Length and SegmentReserve/SegmentCommit, ignored. */
typedef struct _RTL_HEAP_PARAMETERS {
    ULONG Length;
    SIZE_T SegmentReserve;
    SIZE_T SegmentCommit;
    SIZE_T DeCommitFreeBlockThreshold;
    SIZE_T DeCommitTotalFreeThreshold;
    SIZE_T MaximumAllocationSize;
    SIZE_T VirtualMemoryThreshold;
    SIZE_T InitialCommit;
    SIZE_T InitialReserve;
    PRTL_HEAP_COMMIT_ROUTINE CommitRoutine;
    SIZE_T Reserved[2];
} RTL_HEAP_PARAMETERS, *PRTL_HEAP_PARAMETERS;

/* A heap: growable (HEAP_GROWABLE) over reserved-then-committed virtual memory, 8-byte aligned
 * blocks, big blocks in their own allocations. Lock, when given, is an initialized
 * RTL_CRITICAL_SECTION the heap uses instead of its own. RtlFreeHeap returns FALSE, and
 * RtlSizeHeap (SIZE_T)-1, for a pointer the heap did not hand out or has freed.
 * RtlDestroyHeap returns NULL on success (the handle on failure). */
NTSYSAPI PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize,
                                   PVOID Lock, PRTL_HEAP_PARAMETERS Parameters);
NTSYSAPI PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle);
NTSYSAPI PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size);
NTSYSAPI BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size);
NTSYSAPI SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI ULONG NTAPI RtlGetProcessHeaps(ULONG NumberOfHeaps, PVOID *ProcessHeaps);

/* ---- Critical sections -------------------------------------------------------------------- */

typedef struct _RTL_CRITICAL_SECTION_DEBUG {
    USHORT Type;
    USHORT CreatorBackTraceIndex;
    struct _RTL_CRITICAL_SECTION *CriticalSection;
    LIST_ENTRY ProcessLocksList;
    ULONG EntryCount;
    ULONG ContentionCount;
    ULONG Spare[2];
} RTL_CRITICAL_SECTION_DEBUG, *PRTL_CRITICAL_SECTION_DEBUG;

/* NT's x86 layout. LockCount is -1 when free and counts (entries - 1) otherwise, recursive
 * entries and waiters included; LockSemaphore is the auto-reset event waiters sleep on, created
 * on first contention. DebugInfo is always NULL here. */
typedef struct _RTL_CRITICAL_SECTION {
    PRTL_CRITICAL_SECTION_DEBUG DebugInfo;
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread;           /* TEB ClientId.UniqueThread of the owner */
    HANDLE LockSemaphore;
    ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;
X86_C_ASSERT(sizeof(RTL_CRITICAL_SECTION) == 24);

/* A critical section usable without RtlInitializeCriticalSection (static storage). */
#define RTL_CRITICAL_SECTION_INIT { NULL, -1, 0, NULL, NULL, 0 }

NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                                 ULONG SpinCount);
NTSYSAPI NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
NTSYSAPI ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION CriticalSection, ULONG SpinCount);
NTSYSAPI BOOLEAN NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION CriticalSection);

/* PEB.FastPebLock: guards the process parameters' current directory and the heap list. */
NTSYSAPI VOID NTAPI RtlAcquirePebLock(VOID);
NTSYSAPI VOID NTAPI RtlReleasePebLock(VOID);

/* ---- NTSTATUS -> Win32 error, last error ---------------------------------------------------- */

#define ERROR_MR_MID_NOT_FOUND 317u     /* what an unmapped status gives */

NTSYSAPI ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status);       /* also sets TEB.LastStatusValue */
NTSYSAPI ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);
NTSYSAPI ULONG NTAPI RtlGetLastWin32Error(VOID);
NTSYSAPI VOID NTAPI RtlSetLastWin32Error(ULONG Win32Error);
NTSYSAPI VOID NTAPI RtlRestoreLastWin32Error(ULONG Win32Error);
NTSYSAPI NTSTATUS NTAPI RtlGetLastNtStatus(VOID);
NTSYSAPI VOID NTAPI RtlSetLastWin32ErrorAndNtStatusFromNtStatus(NTSTATUS Status);

/* ---- Bit maps ----------------------------------------------------------------------------- */

typedef struct _RTL_BITMAP {
    ULONG SizeOfBitMap;            /* bits */
    PULONG Buffer;                 /* (SizeOfBitMap + 31) / 32 ULONGs; bit n is bit n % 32 of word n / 32 */
} RTL_BITMAP, *PRTL_BITMAP;

#define RTL_BITMAP_NOT_FOUND 0xFFFFFFFFu   /* what the Find routines return when nothing fits */

NTSYSAPI VOID NTAPI RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer, ULONG SizeOfBitMap);
NTSYSAPI VOID NTAPI RtlClearAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlSetAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI BOOLEAN NTAPI RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToClear);
NTSYSAPI VOID NTAPI RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
NTSYSAPI ULONG NTAPI RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader);

/* ---- DOS path names ----------------------------------------------------------------------- */

typedef enum _RTL_PATH_TYPE {
    RtlPathTypeUnknown,            /* NULL */
    RtlPathTypeUncAbsolute,        /* \\server\share\x */
    RtlPathTypeDriveAbsolute,      /* C:\x */
    RtlPathTypeDriveRelative,      /* C:x */
    RtlPathTypeRooted,             /* \x */
    RtlPathTypeRelative,           /* x */
    RtlPathTypeLocalDevice,        /* \\.\x, \\?\x */
    RtlPathTypeRootLocalDevice     /* \\. or \\? */
} RTL_PATH_TYPE;

/* What RtlDosPathNameToNtPathName_U can say about a name relative to the current directory's
 * handle. NanoNT always returns it empty (RelativeName.Length 0, ContainingDirectory NULL): the
 * NT name it returns is always the full path. */
typedef struct _RTL_RELATIVE_NAME_U {
    UNICODE_STRING RelativeName;
    HANDLE ContainingDirectory;
    PVOID CurDirRef;
} RTL_RELATIVE_NAME_U, *PRTL_RELATIVE_NAME_U;

#define RTL_MAX_DOS_PATH_CHARS 1024u   /* longer DOS paths are refused (NT allows 32767) */

NTSYSAPI RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path);
/* If Path names a DOS device (CON, PRN, AUX, NUL, COM1-9, LPT1-9 as its last component, with any
 * extension or trailing spaces): the device name's byte offset in Path << 16 | its byte length;
 * else 0. */
NTSYSAPI ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR Path);
/* Bytes of the full path (no NUL) written to Buffer; if Size (bytes) is too small, the bytes
 * needed including the NUL, nothing written; 0 on a bad name. *FilePart -> the last component
 * in Buffer, or NULL when the path ends in a backslash. */
NTSYSAPI ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *FilePart);
/* "\??\C:\dir\file" (UNC: "\??\UNC\server\share\x"; "\\?\x" and "\\.\x": "\??\x"), allocated
 * from the process heap (free it with RtlFreeUnicodeString). */
NTSYSAPI BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName,
                                                    PWSTR *FilePart, PRTL_RELATIVE_NAME_U RelativeName);
NTSYSAPI NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(PCWSTR DosName, PUNICODE_STRING NtName,
                                                                PWSTR *FilePart,
                                                                PRTL_RELATIVE_NAME_U RelativeName);
NTSYSAPI VOID NTAPI RtlReleaseRelativeName(PRTL_RELATIVE_NAME_U RelativeName);
/* The current directory without its trailing backslash (kept for a root, "C:\"): bytes written
 * (no NUL), or the bytes needed including the NUL if MaximumLength is too small. */
NTSYSAPI ULONG NTAPI RtlGetCurrentDirectory_U(ULONG MaximumLength, PWSTR Buffer);
NTSYSAPI NTSTATUS NTAPI RtlSetCurrentDirectory_U(PCUNICODE_STRING Path);

#endif
