/* mi.h - memory manager internals shared by the files of kernel/mm. */
#ifndef MI_H
#define MI_H

#include "mm.h"
#include "ex.h"

enum { MMPFN_NOT_RAM = 0, MMPFN_FREE, MMPFN_ACTIVE, MMPFN_BOOT };

/* One entry per physical page up to MmHighestPhysicalPage: the PFN database. */
typedef struct _MMPFN {
    PFN_NUMBER NextFree;        /* free list link; 0 ends the list (page 0 is never free) */
    USHORT ReferenceCount;
    UCHAR State;                /* MMPFN_* */
    UCHAR Reserved;
} MMPFN, *PMMPFN;

extern PMMPFN MmPfnDatabase;
extern BOOLEAN MiPagingReady;   /* the self-mapped page tables are live */

VOID MiInitializePfnDatabase(PLOADER_PARAMETER_BLOCK LoaderBlock, ULONG EarlyStart, ULONG EarlyEnd);

/* Physical page references (pfn.c): a page shared by a segment and the views mapping it. */
VOID MiReferencePage(PFN_NUMBER Pfn);
VOID MiDereferencePage(PFN_NUMBER Pfn);          /* frees it at zero */

/* ---- Protection: NT's 5-bit encoding, kept in PTEs (protect.c) ----
 * Bits 0-2 the base (1..7 below), 0x08 no-cache, 0x10 guard; 0x18 alone is no-access; 0 means
 * "not committed". */
#define MM_ZERO_ACCESS          0
#define MM_READONLY             1
#define MM_EXECUTE              2
#define MM_EXECUTE_READ         3
#define MM_READWRITE            4
#define MM_WRITECOPY            5
#define MM_EXECUTE_READWRITE    6
#define MM_EXECUTE_WRITECOPY    7
#define MM_NOCACHE              0x08
#define MM_GUARD_PAGE           0x10
#define MM_NOACCESS             0x18
#define MM_INVALID_PROTECTION   0xFFFFFFFFu

/* NO_ACCESS has base 0, so the base tests below are false for it. */
#define MiIsWritable(p)  (((p) & 7) == MM_READWRITE || ((p) & 7) == MM_EXECUTE_READWRITE)
#define MiIsWriteCopy(p) (((p) & 7) == MM_WRITECOPY || ((p) & 7) == MM_EXECUTE_WRITECOPY)
#define MiIsGuard(p)     (((p) & MM_GUARD_PAGE) && (p) != MM_NOACCESS)

ULONG MiMakeProtectionMask(ULONG Win32Protect);  /* MM_INVALID_PROTECTION if not a valid one */
ULONG MiProtectionToWin32(ULONG Protection);
BOOLEAN MiIsViewProtectionAllowed(ULONG SectionProtection, ULONG ViewProtection);

/* ---- User PTEs ----
 * Valid (bit 0 set): hardware bits, PTE_OWNER always, PTE_WRITE only for writable protections,
 *   bits 9-11 the base protection (1..7), PCD for no-cache. A write-copy page is mapped read-only
 *   until its first write makes a private copy.
 * Not valid, bit 11 (transition) set: a resident page made inaccessible by a guard or no-access
 *   protection; frame in bits 12-31, protection in bits 5-9. Its next permitted touch makes it valid.
 * Not valid, bit 11 clear: bits 5-9 the protection of a committed page with no frame yet (demand
 *   zero, or the section's page for a view); all zero: not committed (in a view, "as the VAD"). */
#define MI_PTE_PROTECTION_SHIFT 5
#define MI_PTE_TRANSITION       0x800u
#define MI_PTE_VALID_PROT_SHIFT 9
#define MI_PTE_CACHE_DISABLE    0x010u
#define MiPteProtection(pte) \
    (((pte) & PTE_VALID) ? ((((pte) >> MI_PTE_VALID_PROT_SHIFT) & 7) | (((pte) & MI_PTE_CACHE_DISABLE) ? MM_NOCACHE : 0)) \
                         : (((pte) >> MI_PTE_PROTECTION_SHIFT) & 0x1F))
#define MiHasFrame(pte) (((pte) & PTE_VALID) || ((pte) & MI_PTE_TRANSITION))
#define MiMakeSoftwarePte(prot) ((MMPTE)(prot) << MI_PTE_PROTECTION_SHIFT)
MMPTE MiMakeValidPte(PFN_NUMBER Pfn, ULONG Protection);
MMPTE MiMakeTransitionPte(PFN_NUMBER Pfn, ULONG Protection);

/* ---- Address spaces (aspace.c, pte.c) ---- */
PMM_ADDRESS_SPACE MiGetCurrentAddressSpace(VOID);   /* NULL in the system process */
VOID MiLockAddressSpace(PMM_ADDRESS_SPACE As);
VOID MiUnlockAddressSpace(PMM_ADDRESS_SPACE As);
/* The PTE of Va through KSEG0 (works for any address space, current or not); NULL if its page
 * table is absent and Create is FALSE, or no page is left. */
PMMPTE MiLocatePte(PMM_ADDRESS_SPACE As, ULONG_PTR Va, BOOLEAN Create);
MMPTE MiReadPte(PMM_ADDRESS_SPACE As, ULONG_PTR Va);        /* 0 when there is no page table */
/* Stores a PTE, keeps the page table's use count (freeing an emptied table) and the TLB. */
VOID MiWritePte(PMM_ADDRESS_SPACE As, ULONG_PTR Va, PMMPTE Pte, MMPTE Value);
/* MiWritePte's cheap case, for loops over many PTEs (committing or deleting a range): neither the
 * old nor the new value is valid, so no TLB entry needs flushing, and the table stays in use.
 * FALSE, nothing written, in any other case: the caller then calls MiWritePte. */
static inline BOOLEAN MiWriteInvalidPte(PMM_ADDRESS_SPACE As, ULONG_PTR Va, PMMPTE Pte, MMPTE Value)
{
    MMPTE old = *Pte;
    USHORT *use = &As->PageTableUse[Va >> 22];
    if (((old | Value) & PTE_VALID) || (old != 0 && Value == 0 && *use == 1)) return FALSE;
    *Pte = Value;
    if (old == 0 && Value != 0) ++*use;
    if (old != 0 && Value == 0) --*use;
    return TRUE;
}

/* ---- VADs (vad.c): the reserved ranges of the user half, in address order ---- */
#define MI_VAD_NO_CHANGE  0x1         /* KUSER_SHARED_DATA: cannot be freed or reprotected */
#define MI_VAD_IMAGE      0x2         /* a view of an image section: reported as MEM_IMAGE */

struct _SEGMENT;
typedef struct _MMVAD {
    LIST_ENTRY VadLinks;
    ULONG_PTR StartingVpn, EndingVpn;   /* first and last page number, inclusive */
    ULONG AllocationProtect;            /* Win32 protection at reservation or mapping */
    ULONG Type;                         /* MEM_PRIVATE or MEM_MAPPED */
    ULONG Flags;                        /* MI_VAD_* */
    ULONG ViewProtection;               /* views: MM_* protection of pages with a zero PTE */
    ULONG CommitCharge;                 /* pages charged for this VAD */
    struct _SEGMENT *Segment;           /* views: the segment they show */
    ULONG FirstSegmentPage;             /* views: segment page at StartingVpn */
} MMVAD, *PMMVAD;

#define MI_VPN(va)  ((ULONG_PTR)(va) >> PAGE_SHIFT)
#define MI_VA(vpn)  ((ULONG_PTR)(vpn) << PAGE_SHIFT)

PMMVAD MiLocateVad(PMM_ADDRESS_SPACE As, ULONG_PTR Va);
PMMVAD MiFirstConflictingVad(PMM_ADDRESS_SPACE As, ULONG_PTR Start, ULONG_PTR End);  /* [Start, End] */
NTSTATUS MiFindEmptyRange(PMM_ADDRESS_SPACE As, SIZE_T Size, ULONG_PTR Alignment,
                          ULONG_PTR Highest, BOOLEAN TopDown, PULONG_PTR Base);
PMMVAD MiAllocateVad(ULONG_PTR Start, ULONG_PTR End, ULONG Type, ULONG AllocationProtect);
VOID MiInsertVad(PMM_ADDRESS_SPACE As, PMMVAD Vad);
VOID MiRemoveVad(PMMVAD Vad);                       /* unlinks only */
VOID MiFreeVad(PMMVAD Vad);
/* The highest address an allocation may reach with ZeroBits (validated by the caller). */
ULONG_PTR MiZeroBitsToHighest(ULONG_PTR ZeroBits);

/* ---- Commit charge (virtual.c) ---- */
BOOLEAN MiChargeCommitment(PMM_ADDRESS_SPACE As, ULONG Pages);
VOID MiReturnCommitment(PMM_ADDRESS_SPACE As, ULONG Pages);

/* Removes the frames and software PTEs of [Start, End] in a VAD; returns the pages that were
 * committed there (private: their charge). Private frames are freed, segment frames dereferenced. */
ULONG MiDeletePteRange(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Start, ULONG_PTR End);

struct _MMVAD;
NTSTATUS MiSetPageProtection(PMM_ADDRESS_SPACE As, struct _MMVAD *Vad, ULONG_PTR Va, ULONG Mask);

/* ---- Page state (query.c): one page's state and protection as the services report them ---- */
VOID MiQueryPageState(PMM_ADDRESS_SPACE As, PMMVAD Vad, ULONG_PTR Va, PULONG State, PULONG Protection);

/* ---- Segments (section.c): the pages behind a section, shared by all its views ----
 * Each entry of Pages: frame number << 12, plus MI_SEGMENT_COMMITTED. A frame is allocated on
 * first touch through any view and holds one reference for the segment plus one per PTE mapping
 * it. The I/O manager will fill pages from a file (BackingFile) and the loader from an image. */
#define MI_SEGMENT_COMMITTED 0x1u
/* Image segments keep each page's own MM_* protection in bits 1-5 of its entry (imagesect.c). */
#define MI_SEGMENT_PROTECTION_SHIFT 1
#define MiSegmentPageProtection(seg, i) (((seg)->Pages[i] >> MI_SEGMENT_PROTECTION_SHIFT) & 0x1F)

/* What an image segment knows of its image (imagesect.c): NtQuerySection's answer and where the
 * image wants to go. */
typedef struct _MI_IMAGE {
    SECTION_IMAGE_INFORMATION Information;
    ULONG ImageBase;              /* the preferred base the headers give */
    ULONG SizeOfImage;
    BOOLEAN RelocsStripped;       /* cannot move: a view elsewhere is refused */
    ULONG WriteCopyPages;         /* pages a view may copy: its commit charge */
    ULONG SharedWritablePages;    /* IMAGE_SCN_MEM_SHARED pages every process writes: never cached */
    PVOID FileObject;             /* the image file (referenced), so its FCB - and the */
    SECTION_OBJECT_POINTERS *SectionObjectPointer;   /* ... pointer to this segment there - live */
    /* The image cache (imagesect.c): an unused segment stays, with its file, for the next
     * SEC_IMAGE create of that file. Changed at DISPATCH_LEVEL, like the reference count. */
    LIST_ENTRY CacheLink;         /* MiImageCache, least recently used first, while Cached */
    struct _SEGMENT *Segment;     /* the segment this describes */
    BOOLEAN Cached;               /* the cache holds one of the segment's references */
    BOOLEAN Stale;                /* the file may change (or has) under a view: not kept once unused */
} MI_IMAGE, *PMI_IMAGE;

typedef struct _SEGMENT {
    LONG ReferenceCount;          /* the section object + each view */
    ULONG TotalPages;
    ULONG ProtectionMask;         /* MM_* of the section's SectionPageProtection */
    ULONG AllocationAttributes;
    ULONG CommitCharge;           /* pages charged (SEC_COMMIT: all; SEC_RESERVE: committed) */
    PVOID BackingFile;            /* NULL: page-file backed (zero-filled on first touch) */
    PMI_IMAGE Image;              /* image segments: their image's description; else NULL */
    ULONG Pages[1];
} SEGMENT, *PSEGMENT;

PFN_NUMBER MiGetSegmentPage(PSEGMENT Segment, ULONG Index);      /* materializes; 0 if no memory */
BOOLEAN MiIsSegmentPageCommitted(PSEGMENT Segment, ULONG Index);
NTSTATUS MiCommitSegmentPages(PSEGMENT Segment, ULONG First, ULONG Count);
VOID MiDereferenceSegment(PSEGMENT Segment);
PSEGMENT MiReferenceImageSegment(SECTION_OBJECT_POINTERS *Pointers);
BOOLEAN MiIsSegmentFrame(PSEGMENT Segment, ULONG Index, PFN_NUMBER Pfn);
VOID MiUnmapView(PMM_ADDRESS_SPACE As, PMMVAD Vad);            /* PTEs, charge, VAD, segment ref */
VOID MiReferenceSegment(PSEGMENT Segment);
/* A view's start: at Base (64 KiB aligned, free) or, Base 0, in the first / highest free range. */
NTSTATUS MiPlaceView(PMM_ADDRESS_SPACE As, ULONG_PTR Base, SIZE_T Size, ULONG_PTR ZeroBits,
                     ULONG AllocationType, PULONG_PTR Start);

/* The image cache (imagesect.c). MiDetachCachedImage (at DISPATCH_LEVEL) takes an unused cached
 * segment out of the cache and its file's pointers, TRUE if it did: the caller then drops the
 * cache's reference with MiDereferenceSegment, below DISPATCH_LEVEL. MiPurgeImageCache frees every
 * unused cached segment (memory pressure); it closes their files, so it is called at PASSIVE_LEVEL
 * holding no file system lock. Returns the pages freed. */
BOOLEAN MiDetachCachedImage(PSEGMENT Segment);
ULONG MiPurgeImageCache(VOID);
/* A zeroed page for user memory; when none is free, cached images are purged and it tries again. */
PFN_NUMBER MiAllocateUserPage(VOID);

/* Image views (imagesect.c): the whole image, at its preferred base when it is free. */
NTSTATUS MiMapImageView(PMM_ADDRESS_SPACE As, PSECTION_OBJECT Section, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                        PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize, ULONG AllocationType);
#define TAG_MM_IMAGE    POOL_TAG('M', 'm', 'I', 'm')

/* KUSER_SHARED_DATA (shared.c). */
extern PFN_NUMBER MiSharedUserDataPfn;
VOID MiInitializeSharedUserData(VOID);
NTSTATUS MiMapSharedUserData(PMM_ADDRESS_SPACE As);

/* Runs the thread in Process's address space (attaching or detaching as needed); returns the
 * process whose space it was in, for the way back. FALSE-free: attach is never nested. */
PKPROCESS MiSwitchAddressSpace(PKPROCESS Process);

/* Pool tags of the memory manager. */
#define TAG_MM_VAD      POOL_TAG('V', 'a', 'd', ' ')
#define TAG_MM_ASPACE   POOL_TAG('M', 'm', 'A', 's')
#define TAG_MM_SEGMENT  POOL_TAG('M', 'm', 'S', 't')
#define TAG_MM_SECTION  POOL_TAG('M', 'm', 'S', 'c')
#define TAG_MM_BOUNCE   POOL_TAG('M', 'm', 'C', 'p')

#endif
