/* multiboot.h - the Multiboot (version 1) information structure the boot loader passes. */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include "ntdef.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MBI_FLAG_MEM      (1u << 0)
#define MBI_FLAG_CMDLINE  (1u << 2)
#define MBI_FLAG_MODS     (1u << 3)
#define MBI_FLAG_MMAP     (1u << 6)
#define MBI_FLAG_LOADER   (1u << 9)

typedef struct _MULTIBOOT_INFO {
    ULONG Flags;
    ULONG MemLower, MemUpper;
    ULONG BootDevice;
    ULONG CmdLine;
    ULONG ModsCount, ModsAddr;
    ULONG Syms[4];
    ULONG MmapLength, MmapAddr;
    ULONG DrivesLength, DrivesAddr;
    ULONG ConfigTable;
    ULONG BootLoaderName;
} MULTIBOOT_INFO, *PMULTIBOOT_INFO;

typedef struct _MULTIBOOT_MODULE {
    ULONG ModStart, ModEnd, String, Reserved;
} MULTIBOOT_MODULE;

typedef struct __attribute__((packed)) _MULTIBOOT_MMAP_ENTRY {
    ULONG Size;                 /* of the rest of this entry */
    ULONGLONG Base, Length;
    ULONG Type;                 /* 1 = available RAM */
} MULTIBOOT_MMAP_ENTRY;

#endif
