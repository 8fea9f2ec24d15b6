/*
 * loader.c - builds KeLoaderBlock (command line, boot modules, memory map) from the Multiboot
 * information, which GRUB and QEMU's -kernel loader both provide. Everything is copied into the
 * kernel image so the Multiboot structures may be overwritten later; only the modules' contents
 * stay where the loader put them, and those ranges are reserved for the memory manager.
 */
#include "ki.h"
#include "multiboot.h"
#include "mm.h"
#include "rtl.h"

LOADER_PARAMETER_BLOCK KeLoaderBlock;

static PVOID KiPhys(ULONG Pa) { return (PVOID)(KSEG0_BASE + Pa); }   /* boot map: 1 GiB */

static void KiReserve(ULONG Start, ULONG End)
{
    PLOADER_PARAMETER_BLOCK lb = &KeLoaderBlock;
    if (lb->ReservedCount < ARRAYSIZE(lb->Reserved)) {
        lb->Reserved[lb->ReservedCount].Start = Start;
        lb->Reserved[lb->ReservedCount].End = End;
        lb->ReservedCount++;
    }
}

VOID KiBuildLoaderBlock(ULONG MbiPhysical)
{
    PLOADER_PARAMETER_BLOCK lb = &KeLoaderBlock;
    PMULTIBOOT_INFO mbi = KiPhys(MbiPhysical);
    extern char KiImageStart[], KiImageEnd[];

    KiReserve((ULONG)KiImageStart - KSEG0_BASE, (ULONG)KiImageEnd - KSEG0_BASE);
    if (mbi->Flags & MBI_FLAG_CMDLINE)
        RtlStringCopy(lb->CommandLine, sizeof(lb->CommandLine), KiPhys(mbi->CmdLine));
    if (mbi->Flags & MBI_FLAG_LOADER)
        RtlStringCopy(lb->BootLoaderName, sizeof(lb->BootLoaderName), KiPhys(mbi->BootLoaderName));

    if (mbi->Flags & MBI_FLAG_MODS) {
        MULTIBOOT_MODULE *mods = KiPhys(mbi->ModsAddr);
        for (ULONG i = 0; i < mbi->ModsCount && i < LOADER_MAX_MODULES; i++) {
            PBOOT_MODULE m = &lb->Modules[lb->ModuleCount++];
            m->PhysicalStart = mods[i].ModStart;
            m->Size = mods[i].ModEnd - mods[i].ModStart;
            m->VirtualStart = mods[i].ModEnd <= MM_KSEG0_MAX_BYTES ? KiPhys(mods[i].ModStart) : NULL;
            if (mods[i].String) RtlStringCopy(m->Name, sizeof(m->Name), KiPhys(mods[i].String));
            KiReserve(mods[i].ModStart, mods[i].ModEnd);
        }
    }

    if (mbi->Flags & MBI_FLAG_MMAP) {
        ULONG_PTR p = (ULONG_PTR)KiPhys(mbi->MmapAddr), end = p + mbi->MmapLength;
        while (p < end && lb->MemoryCount < LOADER_MAX_MEMORY) {
            MULTIBOOT_MMAP_ENTRY *e = (MULTIBOOT_MMAP_ENTRY *)p;
            if (e->Type == 1) {
                lb->Memory[lb->MemoryCount].Base = e->Base;
                lb->Memory[lb->MemoryCount].Length = e->Length;
                lb->MemoryCount++;
            }
            p += e->Size + 4;
        }
    } else if (mbi->Flags & MBI_FLAG_MEM) {
        lb->Memory[0].Base = 0;
        lb->Memory[0].Length = (ULONGLONG)mbi->MemLower * 1024;
        lb->Memory[1].Base = 0x100000;
        lb->Memory[1].Length = (ULONGLONG)mbi->MemUpper * 1024;
        lb->MemoryCount = 2;
    }
}

/* Options are words on the command line: "key=value" or a bare "key" (value ""). */
PCSTR KeGetBootOption(PCSTR Key, PCHAR Buf, ULONG BufSize)
{
    PCSTR p = KeLoaderBlock.CommandLine;
    SIZE_T klen = RtlStringLength(Key);
    while (*p) {
        while (*p == ' ') p++;
        PCSTR word = p;
        while (*p && *p != ' ') p++;
        if ((SIZE_T)(p - word) >= klen && RtlCompareStringN(word, Key, klen) == 0 &&
            (word[klen] == '=' || word + klen == p)) {
            PCSTR v = word[klen] == '=' ? word + klen + 1 : p;
            ULONG n = 0;
            while (v + n < p && n + 1 < BufSize) { Buf[n] = v[n]; n++; }
            Buf[n] = 0;
            return Buf;
        }
    }
    return NULL;
}
