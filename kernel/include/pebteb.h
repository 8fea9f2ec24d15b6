/*
 * pebteb.h - the process and thread environment blocks, the user-mode structures the kernel
 * creates for every process (PEB) and thread (TEB), at the offsets NT x86 (5.1) uses, so that
 * fs:[0x18] is the TEB, fs:[0x30] the PEB and fs:[0x2C] the TLS array, as Win32 code expects.
 * Shared by the kernel, which fills them at creation, and ntdll.
 */
#ifndef PEBTEB_H
#define PEBTEB_H

#include "ntdef.h"
#include "ntobj.h"
#include "ntapi.h"

typedef struct _NT_TIB {
    PVOID ExceptionList;                  /* 0x00: head of the SEH chain, -1 when empty */
    PVOID StackBase;                      /* 0x04 */
    PVOID StackLimit;                     /* 0x08 */
    PVOID SubSystemTib;                   /* 0x0C */
    PVOID FiberData;                      /* 0x10 */
    PVOID ArbitraryUserPointer;           /* 0x14 */
    struct _NT_TIB *Self;                 /* 0x18 */
} NT_TIB;

typedef struct _PEB {
    UCHAR InheritedAddressSpace;          /* 0x00 */
    UCHAR ReadImageFileExecOptions;       /* 0x01 */
    UCHAR BeingDebugged;                  /* 0x02 */
    UCHAR SpareBool;                      /* 0x03 */
    PVOID Mutant;                         /* 0x04 */
    PVOID ImageBaseAddress;               /* 0x08: the kernel maps the EXE and sets it */
    PVOID Ldr;                            /* 0x0C: PEB_LDR_DATA, filled by the loader */
    PVOID ProcessParameters;              /* 0x10: RTL_USER_PROCESS_PARAMETERS */
    PVOID SubSystemData;                  /* 0x14 */
    PVOID ProcessHeap;                    /* 0x18: made by the loader at process start */
    PVOID FastPebLock;                    /* 0x1C: RTL_CRITICAL_SECTION (RtlAcquirePebLock) */
    UCHAR Reserved0[0x40 - 0x20];
    PVOID TlsBitmap;                      /* 0x40: RTL_BITMAP over TlsBitmapBits (TlsAlloc) */
    ULONG TlsBitmapBits[2];               /* 0x44 */
    UCHAR Reserved1[0x64 - 0x4C];
    ULONG NumberOfProcessors;             /* 0x64 */
    ULONG NtGlobalFlag;                   /* 0x68 */
    UCHAR Reserved2[0x88 - 0x6C];
    ULONG NumberOfHeaps;                  /* 0x88 */
    ULONG MaximumNumberOfHeaps;           /* 0x8C */
    PVOID *ProcessHeaps;                  /* 0x90 */
    UCHAR Reserved2b[0xA0 - 0x94];
    PVOID LoaderLock;                     /* 0xA0: RTL_CRITICAL_SECTION of the loader */
    ULONG OSMajorVersion;                 /* 0xA4 */
    ULONG OSMinorVersion;                 /* 0xA8 */
    USHORT OSBuildNumber;                 /* 0xAC */
    USHORT OSCSDVersion;                  /* 0xAE */
    ULONG OSPlatformId;                   /* 0xB0: 2 = VER_PLATFORM_WIN32_NT */
    ULONG ImageSubsystem;                 /* 0xB4: the kernel copies these from the EXE's header */
    ULONG ImageSubsystemMajorVersion;     /* 0xB8 */
    ULONG ImageSubsystemMinorVersion;     /* 0xBC */
    UCHAR Reserved3[0x210 - 0xC0];
} PEB, *PPEB;
X86_C_ASSERT(FIELD_OFFSET(PEB, ProcessHeap) == 0x18);
X86_C_ASSERT(FIELD_OFFSET(PEB, NumberOfProcessors) == 0x64);
X86_C_ASSERT(FIELD_OFFSET(PEB, OSMajorVersion) == 0xA4);
X86_C_ASSERT(FIELD_OFFSET(PEB, OSPlatformId) == 0xB0);
X86_C_ASSERT(FIELD_OFFSET(PEB, TlsBitmap) == 0x40);
X86_C_ASSERT(FIELD_OFFSET(PEB, ProcessHeaps) == 0x90);
X86_C_ASSERT(FIELD_OFFSET(PEB, LoaderLock) == 0xA0);
X86_C_ASSERT(FIELD_OFFSET(PEB, ImageSubsystem) == 0xB4);

typedef struct _TEB {
    NT_TIB NtTib;                         /* 0x00 */
    PVOID EnvironmentPointer;             /* 0x1C */
    CLIENT_ID ClientId;                   /* 0x20 */
    PVOID ActiveRpcHandle;                /* 0x28 */
    PVOID ThreadLocalStoragePointer;      /* 0x2C: static TLS array (the loader sets it) */
    PPEB ProcessEnvironmentBlock;         /* 0x30 */
    ULONG LastErrorValue;                 /* 0x34: GetLastError */
    UCHAR Reserved1[0xBF4 - 0x38];
    ULONG LastStatusValue;                /* 0xBF4 */
    UCHAR Reserved2[0xE0C - 0xBF8];
    PVOID DeallocationStack;              /* 0xE0C: the stack's reservation (its lowest address) */
    PVOID TlsSlots[64];                   /* 0xE10: TlsAlloc'd slots */
    UCHAR Reserved3[0xFB8 - 0xF10];
} TEB, *PTEB;
X86_C_ASSERT(FIELD_OFFSET(TEB, ProcessEnvironmentBlock) == 0x30);
X86_C_ASSERT(FIELD_OFFSET(TEB, LastErrorValue) == 0x34);
X86_C_ASSERT(FIELD_OFFSET(TEB, DeallocationStack) == 0xE0C);
X86_C_ASSERT(FIELD_OFFSET(TEB, TlsSlots) == 0xE10);
X86_C_ASSERT(sizeof(TEB) <= 0x1000);


/* The process parameters (NT x86 layout, 0x290 bytes). One block holds the structure and every
 * string it points to. Built "denormalized": each Buffer holds an offset from the block's start,
 * so the block can be written into another process at any address; the new process's ntdll
 * turns offsets into pointers (RtlNormalizeProcessParams) and sets the NORMALIZED flag.
 * Environment (a double-NUL-terminated UTF-16 block) is in the same block and is normalized the
 * same way (on NT it is a separate allocation). */
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001u

typedef struct _CURDIR {
    UNICODE_STRING DosPath;               /* ends in a backslash: "C:\Tests\" */
    HANDLE Handle;                        /* the directory, opened by the loader */
} CURDIR, *PCURDIR;

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags, Length;
    ULONG TimeStamp;
    UNICODE_STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR;

typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;                  /* 0x00: bytes of the whole block */
    ULONG Length;                         /* 0x04 */
    ULONG Flags;                          /* 0x08: RTL_USER_PROC_PARAMS_NORMALIZED */
    ULONG DebugFlags;                     /* 0x0C */
    HANDLE ConsoleHandle;                 /* 0x10 */
    ULONG ConsoleFlags;                   /* 0x14 */
    HANDLE StandardInput;                 /* 0x18 */
    HANDLE StandardOutput;                /* 0x1C */
    HANDLE StandardError;                 /* 0x20 */
    CURDIR CurrentDirectory;              /* 0x24 */
    UNICODE_STRING DllPath;               /* 0x30 */
    UNICODE_STRING ImagePathName;         /* 0x38: NT path of the image */
    UNICODE_STRING CommandLine;           /* 0x40 */
    PWSTR Environment;                    /* 0x48 */
    ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY;   /* 0x4C */
    ULONG FillAttribute;                  /* 0x64 */
    ULONG WindowFlags;                    /* 0x68: STARTF_* */
    ULONG ShowWindowFlags;                /* 0x6C */
    UNICODE_STRING WindowTitle;           /* 0x70 */
    UNICODE_STRING DesktopInfo;           /* 0x78 */
    UNICODE_STRING ShellInfo;             /* 0x80 */
    UNICODE_STRING RuntimeData;           /* 0x88 */
    RTL_DRIVE_LETTER_CURDIR CurrentDirectores[32];   /* 0x90 (sic: NT's spelling) */
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;
X86_C_ASSERT(FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x40);
X86_C_ASSERT(FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowTitle) == 0x70);
X86_C_ASSERT(sizeof(RTL_USER_PROCESS_PARAMETERS) == 0x290);

#endif
