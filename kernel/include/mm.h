/*
 * mm.h - the memory manager (Mm): physical pages (the PFN database), the kernel's page tables
 * (self-mapped at PTE_BASE) and the system address regions.
 *
 * Kernel address space (NT x86 classic, 2-level paging, 4 KiB pages):
 *   0x80000000 - 0xAFFFFFFF  all RAM (up to 768 MiB) mapped at 0x80000000 + physical; the kernel
 *                            image (physical 1 MiB) is therefore at 0x80100000
 *   0xC0000000 - 0xC03FFFFF  page tables, self-mapped (PTE_BASE); the page directory at 0xC0300000
 *   0xD0000000 - 0xD3FFFFFF  nonpaged pool
 *   0xE1000000 - 0xE4FFFFFF  paged pool (nonpaged underneath for now)
 *   0xF0000000 - 0xF0FFFFFF  kernel stacks, each with an unmapped guard page below it
 */
#ifndef MM_H
#define MM_H

#include "ntdef.h"
#include "ntapi.h"
#include "arc.h"
#include "ketypes.h"

#define KSEG0_BASE          0x80000000u
#define MM_KSEG0_MAX_BYTES  0x30000000u           /* 768 MiB of RAM mapped at KSEG0 */
#define PTE_BASE            0xC0000000u
#define PDE_BASE            0xC0300000u
#define MM_NONPAGED_POOL_START 0xD0000000u
#define MM_PAGED_POOL_START    0xE1000000u
#define MM_POOL_BYTES          0x04000000u        /* 64 MiB of address space per pool */
#define MM_KERNEL_STACK_START  0xF0000000u
#define MM_KERNEL_STACK_END    0xF1000000u

#define PTE_VALID    0x001u
#define PTE_WRITE    0x002u
#define PTE_OWNER    0x004u      /* user-accessible */
#define PTE_ACCESSED 0x020u
#define PTE_DIRTY    0x040u
#define PTE_LARGE    0x080u

typedef ULONG MMPTE, *PMMPTE;
typedef ULONG PFN_NUMBER;

#define MiGetPdeAddress(va) ((PMMPTE)(PDE_BASE + (((ULONG_PTR)(va) >> 22) << 2)))
#define MiGetPteAddress(va) ((PMMPTE)(PTE_BASE + (((ULONG_PTR)(va) >> 12) << 2)))
#define MiPfnToKseg0(pfn) ((PVOID)(KSEG0_BASE + ((ULONG_PTR)(pfn) << PAGE_SHIFT)))
#define MiKseg0ToPfn(va) ((PFN_NUMBER)(((ULONG_PTR)(va) - KSEG0_BASE) >> PAGE_SHIFT))

VOID MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock);

/* Physical pages. */
extern ULONG MmNumberOfPhysicalPages;   /* usable RAM pages the PFN database tracks */
extern ULONG MmAvailablePages;          /* pages on the free list now */
extern ULONG MmHighestPhysicalPage;
PFN_NUMBER MmAllocatePhysicalPage(VOID);   /* zeroed; 0 when none is left */
VOID MmFreePhysicalPage(PFN_NUMBER Pfn);

/* Kernel mappings. */
BOOLEAN MmMapKernelPage(PVOID Va, PFN_NUMBER Pfn, BOOLEAN Writable);
PFN_NUMBER MmUnmapKernelPage(PVOID Va);
BOOLEAN MmIsAddressValid(PVOID Va);
ULONG MmGetPhysicalAddress(PVOID Va);

/* Pool backing: maps fresh zeroed pages at Va.., or unmaps them and frees the frames. */
BOOLEAN MiPoolMapPages(PVOID Va, ULONG Pages);
VOID MiPoolUnmapPages(PVOID Va, ULONG Pages);

/* Kernel stacks: Pages of stack below the returned top, with a no-access guard page under it. */
PVOID MmCreateKernelStack(ULONG Pages);
VOID MmDeleteKernelStack(PVOID StackTop, ULONG Pages);

/* Page fault resolution; STATUS_SUCCESS when the access may be retried. */
NTSTATUS MmAccessFault(BOOLEAN Write, PVOID Address, ULONG Mode);

/* ---- User address spaces, virtual memory and sections (kernel/mm/aspace.c ... section.c) ----
 *
 * User half (per process): 0x00010000 - 0x7FFEFFFF usable; 0x0 - 0xFFFF never mapped;
 * 0x7FFE0000 KUSER_SHARED_DATA (one read-only page shared by every process, reserved with the
 * 64 KiB under it at creation). Every service below works on the CURRENT address space
 * (KeGetCurrentAddressSpaceProcess(): the thread's process, or the one it is attached to), as NT
 * does after KeStackAttachProcess; the system process has none (STATUS_INVALID_PARAMETER). */

#define MM_LOWEST_USER_ADDRESS      0x00010000u
#define MM_HIGHEST_VAD_ADDRESS      0x7FFEFFFFu
#define MM_SHARED_USER_DATA_VA      0x7FFE0000u
#define MM_ALLOCATION_GRANULARITY   0x10000u
#define MM_MAXIMUM_ZERO_BITS        21


/* The memory manager's per-process state; KPROCESS.AddressSpace points at it. */
typedef struct _MM_ADDRESS_SPACE {
    KMUTANT Lock;                   /* NT's address creation lock + working set lock in one */
    LIST_ENTRY VadListHead;         /* MMVADs in address order (mi.h) */
    PFN_NUMBER DirectoryPfn;
    ULONG CommitCharge;             /* pages charged: private commits + write-copy views */
    ULONG PageTablePages;           /* user page tables present */
    USHORT PageTableUse[512];       /* non-zero PTEs in each user page table */
} MM_ADDRESS_SPACE, *PMM_ADDRESS_SPACE;

NTSTATUS MmCreateAddressSpace(PKPROCESS Process);
VOID MmDeleteAddressSpace(PKPROCESS Process);          /* no thread may run in it */

NTSTATUS MmAllocateVirtualMemory(PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                 ULONG AllocationType, ULONG Protect);
NTSTATUS MmFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType);
NTSTATUS MmProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG NewProtect,
                                PULONG OldProtect);
NTSTATUS MmQueryVirtualMemory(PVOID BaseAddress, PMEMORY_BASIC_INFORMATION Info);

/* Copies between the current address space and Process's user memory (attaching to it). On a
 * bad range: STATUS_ACCESS_VIOLATION if nothing was copied, else STATUS_PARTIAL_COPY; *Copied
 * (optional) says how many bytes were. */
NTSTATUS MmCopyVirtualMemory(PKPROCESS FromProcess, const VOID *FromAddress,
                             PKPROCESS ToProcess, PVOID ToAddress, SIZE_T Length, PSIZE_T Copied);
NTSTATUS MmReadVirtualMemory(PKPROCESS Process, const VOID *Address, PVOID Buffer, SIZE_T Length,
                             PSIZE_T Copied);   /* Buffer is in the current address space */
NTSTATUS MmWriteVirtualMemory(PKPROCESS Process, PVOID Address, const VOID *Buffer, SIZE_T Length,
                              PSIZE_T Copied);

/* Sections. SECTION_OBJECT is the body the Ob type "Section" will carry; MmDeleteSection is that
 * type's delete procedure. Until Ob, MmCreateSection allocates the body and MmDereferenceSection
 * drops the creator's reference (delete + free). A mapped view keeps the section's segment, not
 * the section object, alive, as on NT. */
struct _SEGMENT;
typedef struct _SECTION_OBJECT {
    LARGE_INTEGER SizeOfSection;
    ULONG InitialPageProtection;    /* Win32 PAGE_* given at creation */
    ULONG AllocationAttributes;     /* SEC_COMMIT or SEC_RESERVE; SEC_IMAGE | SEC_FILE for images */
    struct _SEGMENT *Segment;
    LONG ReferenceCount;            /* without Ob: the creator's reference */
} SECTION_OBJECT, *PSECTION_OBJECT;

NTSTATUS MmCreateSection(PSECTION_OBJECT *Section, LARGE_INTEGER MaximumSize,
                         ULONG SectionPageProtection, ULONG AllocationAttributes);
NTSTATUS MmInitializeSection(PSECTION_OBJECT Section, LARGE_INTEGER MaximumSize,
                             ULONG SectionPageProtection, ULONG AllocationAttributes);
VOID MmDeleteSection(PSECTION_OBJECT Section);         /* Ob delete procedure: body not freed */
VOID MmReferenceSection(PSECTION_OBJECT Section);
VOID MmDereferenceSection(PSECTION_OBJECT Section);    /* last reference: delete + free body */
NTSTATUS MmMapViewOfSection(PSECTION_OBJECT Section, PKPROCESS Process, PVOID *BaseAddress,
                            ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                            PSIZE_T ViewSize, SECTION_INHERIT InheritDisposition,
                            ULONG AllocationType, ULONG Win32Protect);
NTSTATUS MmUnmapViewOfSection(PKPROCESS Process, PVOID BaseAddress);

/* Image sections (imagesect.c). NtQuerySection's classes and NT's x86 layouts. */

NTSTATUS MmQuerySection(PSECTION_OBJECT Section, SECTION_INFORMATION_CLASS InformationClass, PVOID Information,
                        ULONG Length, PULONG ResultLength);

/* Commit accounting (pages): charged by private commits, SEC_COMMIT sections and write-copy
 * views; the limit is the RAM free at boot (there is no paging file). */
extern ULONG MmTotalCommittedPages, MmTotalCommitLimit;

/* KUSER_SHARED_DATA (shared.c): the clock calls MmUpdateUserSharedData every tick; fields filled:
 * TickCountLowDeprecated 0x000, TickCountMultiplier 0x004, InterruptTime 0x008, SystemTime 0x014,
 * NtSystemRoot 0x030, NtProductType 0x264, ProductTypeIsValid 0x268, NtMajorVersion 0x26C,
 * NtMinorVersion 0x270, NumberOfPhysicalPages 0x2E8, TickCount 0x320 (XP SP2 layout). */
VOID MmUpdateUserSharedData(ULONG TickCount, ULONGLONG InterruptTime, ULONGLONG SystemTime);
VOID MmUpdateSharedUserData(VOID);                      /* the same, from Ke's own clocks */
PVOID MmGetSharedUserDataKernelAddress(VOID);           /* its KSEG0 alias, for readers */

/* ---- The memory services (kernel/mm/vmsvc.c, sectsvc.c) ------------------------------------ */
#include "ntobj.h"


/* Where a file system keeps, per file (in its FCB), the sections made from it: the image segment
 * every image section of the file shares (Mm sets and clears ImageSectionObject). */
typedef struct _SECTION_OBJECT_POINTERS { PVOID DataSectionObject, SharedCacheMap, ImageSectionObject; } SECTION_OBJECT_POINTERS;
typedef enum _MMFLUSH_TYPE { MmFlushForDelete, MmFlushForWrite } MMFLUSH_TYPE;
/* FALSE if the file is mapped as an image: it may not be written or deleted (NT answers
 * STATUS_SHARING_VIOLATION / STATUS_CANNOT_DELETE). TRUE otherwise, after dropping an unused
 * cached image of the file (kernel/mm/imagesect.c), whose file object it closes: the file system
 * calls it before changing or deleting a file, and must not rely on the FCB afterwards unless a
 * file object of its own still references it. */
BOOLEAN MmFlushImageSection(SECTION_OBJECT_POINTERS *SectionObjectPointer, MMFLUSH_TYPE FlushType);

/* Reads and validates the PE file behind FileHandle (opened for FILE_READ_DATA, checked in
 * AccessMode) and builds its mapped form into Section's segment. */
NTSTATUS MmInitializeImageSection(PSECTION_OBJECT Section, HANDLE FileHandle, KPROCESSOR_MODE AccessMode,
                                  ULONG SectionPageProtection);
/* Reads bytes of an image section's mapped form (its pages as a new view sees them). */
NTSTATUS MmCopyFromImageSection(PSECTION_OBJECT Section, ULONG Offset, PVOID Buffer, ULONG Length);

struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *MmSectionObjectType;
BOOLEAN MmInitializeSectionObjectType(VOID);

NTSTATUS NTAPI ZwReadVirtualMemory(HANDLE, PVOID, PVOID, SIZE_T, PSIZE_T);
NTSTATUS NTAPI ZwWriteVirtualMemory(HANDLE, PVOID, PVOID, SIZE_T, PSIZE_T);
NTSTATUS NTAPI ZwQueryVirtualMemory(HANDLE, PVOID, MEMORY_INFORMATION_CLASS, PVOID, SIZE_T, PSIZE_T);
NTSTATUS NTAPI ZwCreateSection(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PLARGE_INTEGER, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI ZwQuerySection(HANDLE, SECTION_INFORMATION_CLASS, PVOID, SIZE_T, PSIZE_T);
NTSTATUS NTAPI ZwMapViewOfSection(HANDLE, HANDLE, PVOID *, ULONG_PTR, SIZE_T, PLARGE_INTEGER, PSIZE_T,
                                  SECTION_INHERIT, ULONG, ULONG);
NTSTATUS NTAPI ZwUnmapViewOfSection(HANDLE, PVOID);

#include "ntnative.h"      /* the Nt services of this layer, with all the others */

#endif
