/*
 * pebteb.h - the process and thread environment blocks, the user-mode structures the kernel
 * creates for every process (PEB) and thread (TEB), at the offsets NT x86 (5.1) uses, so that
 * fs:[0x18] is the TEB, fs:[0x30] the PEB and fs:[0x2C] the TLS array, as Win32 code expects.
 * Shared by the kernel, which fills them at creation, and ntdll.
 */
#ifndef PEBTEB_H
#define PEBTEB_H

#include "ntdef.h"

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
    PVOID ImageBaseAddress;               /* 0x08 */
    PVOID Ldr;                            /* 0x0C: PEB_LDR_DATA, filled by the loader */
    PVOID ProcessParameters;              /* 0x10: RTL_USER_PROCESS_PARAMETERS */
    PVOID SubSystemData;                  /* 0x14 */
    PVOID ProcessHeap;                    /* 0x18 */
    UCHAR Reserved1[0x64 - 0x1C];
    ULONG NumberOfProcessors;             /* 0x64 */
    ULONG NtGlobalFlag;                   /* 0x68 */
    UCHAR Reserved2[0xA4 - 0x6C];
    ULONG OSMajorVersion;                 /* 0xA4 */
    ULONG OSMinorVersion;                 /* 0xA8 */
    USHORT OSBuildNumber;                 /* 0xAC */
    USHORT OSCSDVersion;                  /* 0xAE */
    ULONG OSPlatformId;                   /* 0xB0: 2 = VER_PLATFORM_WIN32_NT */
    ULONG ImageSubsystem;                 /* 0xB4 */
    ULONG ImageSubsystemMajorVersion;     /* 0xB8 */
    ULONG ImageSubsystemMinorVersion;     /* 0xBC */
    UCHAR Reserved3[0x210 - 0xC0];
} PEB, *PPEB;
C_ASSERT(FIELD_OFFSET(PEB, ProcessHeap) == 0x18);
C_ASSERT(FIELD_OFFSET(PEB, NumberOfProcessors) == 0x64);
C_ASSERT(FIELD_OFFSET(PEB, OSMajorVersion) == 0xA4);
C_ASSERT(FIELD_OFFSET(PEB, OSPlatformId) == 0xB0);

typedef struct _TEB_CLIENT_ID { PVOID UniqueProcess, UniqueThread; } TEB_CLIENT_ID;

typedef struct _TEB {
    NT_TIB NtTib;                         /* 0x00 */
    PVOID EnvironmentPointer;             /* 0x1C */
    TEB_CLIENT_ID ClientId;               /* 0x20 */
    PVOID ActiveRpcHandle;                /* 0x28 */
    PVOID ThreadLocalStoragePointer;      /* 0x2C: static TLS array (the loader sets it) */
    PPEB ProcessEnvironmentBlock;         /* 0x30 */
    ULONG LastErrorValue;                 /* 0x34: GetLastError */
    UCHAR Reserved1[0xBF4 - 0x38];
    ULONG LastStatusValue;                /* 0xBF4 */
    UCHAR Reserved2[0xE10 - 0xBF8];
    PVOID TlsSlots[64];                   /* 0xE10: TlsAlloc'd slots */
    UCHAR Reserved3[0xFB8 - 0xF10];
} TEB, *PTEB;
C_ASSERT(FIELD_OFFSET(TEB, ProcessEnvironmentBlock) == 0x30);
C_ASSERT(FIELD_OFFSET(TEB, LastErrorValue) == 0x34);
C_ASSERT(FIELD_OFFSET(TEB, TlsSlots) == 0xE10);
C_ASSERT(sizeof(TEB) <= 0x1000);

#endif
