/*
 * arc.h - the loader parameter block: what the boot loader handed the kernel (command line, boot
 * modules, physical memory map), in the shape NT's KeLoaderBlock has, built from Multiboot info.
 */
#ifndef ARC_H
#define ARC_H

#include "ntdef.h"

#define LOADER_MAX_MODULES 16
#define LOADER_MAX_MEMORY 32

typedef struct _BOOT_MODULE {
    ULONG PhysicalStart;       /* first byte of the module in physical memory */
    ULONG Size;                /* bytes */
    PVOID VirtualStart;        /* the module seen through the kernel's mapping of RAM */
    CHAR Name[64];             /* the module's string from the boot loader */
} BOOT_MODULE, *PBOOT_MODULE;

typedef struct _MEMORY_DESCRIPTOR {
    ULONGLONG Base, Length;    /* a usable RAM range from the firmware's map */
} MEMORY_DESCRIPTOR;

typedef struct _LOADER_PARAMETER_BLOCK {
    CHAR CommandLine[256];
    ULONG ModuleCount;
    BOOT_MODULE Modules[LOADER_MAX_MODULES];
    ULONG MemoryCount;
    MEMORY_DESCRIPTOR Memory[LOADER_MAX_MEMORY];
    ULONG ReservedCount;       /* physical ranges that hold boot data and must not be reused */
    struct { ULONG Start, End; } Reserved[LOADER_MAX_MODULES + 8];
    CHAR BootLoaderName[32];
} LOADER_PARAMETER_BLOCK, *PLOADER_PARAMETER_BLOCK;

extern LOADER_PARAMETER_BLOCK KeLoaderBlock;

/* Returns the value of "key=value" on the command line (copied into Buf), or NULL. */
PCSTR KeGetBootOption(PCSTR Key, PCHAR Buf, ULONG BufSize);

#endif
