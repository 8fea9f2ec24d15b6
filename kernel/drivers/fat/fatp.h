/*
 * fatp.h - private to the FAT core: the on-disk structures (directory entries, long-name entries),
 * the volume, the sector cache, the file control block (one per open file, shared by its open
 * instances) and the routines the core's files call in one another.
 */
#ifndef FATP_H
#define FATP_H

#include "ntdef.h"
#include "ntstatus.h"
#include "ex.h"
#include "rtl.h"
#include "fat.h"

#define FAT_TAG              POOL_TAG('F', 'a', 't', 'C')
#define FAT_DIRENT_SIZE      32u
#define FAT_MAX_DIR_BYTES    (65536u * FAT_DIRENT_SIZE)   /* the format's limit on a directory */
#define FAT_MAX_FILE_SIZE    0xFFFFFFFFull
#define FAT_MAX_NAME         255u
#define FAT_LFN_CHARS        13u                          /* UTF-16 units per long-name entry */
#define FAT_SHORT_NAME_CHARS 12u                          /* "NAME.EXT" as text, at most */

/* Directory entry attribute bits. A long-name entry has exactly READONLY|HIDDEN|SYSTEM|VOLUME. */
#define FAT_ATTR_READONLY    0x01
#define FAT_ATTR_HIDDEN      0x02
#define FAT_ATTR_SYSTEM      0x04
#define FAT_ATTR_VOLUME_ID   0x08
#define FAT_ATTR_DIRECTORY   0x10
#define FAT_ATTR_ARCHIVE     0x20
#define FAT_ATTR_LONG_NAME   0x0F
#define FAT_ATTR_LONG_MASK   0x3F
#define FAT_ATTR_SETTABLE    (FAT_ATTR_READONLY | FAT_ATTR_HIDDEN | FAT_ATTR_SYSTEM | FAT_ATTR_ARCHIVE)

/* Byte 12 of a short entry (NT): the base or the extension is to be shown in lower case. */
#define FAT_NTCASE_LOWER_BASE 0x08
#define FAT_NTCASE_LOWER_EXT  0x10

#define FAT_DIRENT_FREE      0xE5      /* first name byte of a deleted entry */
#define FAT_DIRENT_END       0x00      /* first name byte of the entry after the last one */
#define FAT_LFN_LAST         0x40      /* ordinal flag of the last (first stored) long entry */

/* FAT entry values (FAT32 uses the low 28 bits; FAT16 values are widened to these). */
#define FAT_CLUSTER_FREE     0u
#define FAT32_MASK           0x0FFFFFFFu
#define FAT32_BAD            0x0FFFFFF7u
#define FAT32_EOC            0x0FFFFFFFu

typedef struct _FAT_DIRENT {
    UCHAR Name[11];
    UCHAR Attr;
    UCHAR NtCase;
    UCHAR CrtTimeTenth;
    USHORT CrtTime, CrtDate, LstAccDate, FstClusHi, WrtTime, WrtDate, FstClusLo;
    ULONG FileSize;
} FAT_DIRENT;                     /* every field falls on its natural alignment: no packing */
C_ASSERT(sizeof(FAT_DIRENT) == 32 && FIELD_OFFSET(FAT_DIRENT, FileSize) == 28);

typedef struct _FAT_LFN_ENTRY {
    UCHAR Ord;
    USHORT Name1[5];
    UCHAR Attr;
    UCHAR Type;
    UCHAR Checksum;
    USHORT Name2[6];
    USHORT FstClusLo;
    USHORT Name3[2];
} __attribute__((packed)) FAT_LFN_ENTRY;
C_ASSERT(sizeof(FAT_LFN_ENTRY) == 32);

/* ---- The sector cache (fatcache.c) ------------------------------------------------------- */

/* What a dirty sector holds decides when it may reach the disk: data before the FAT, the FAT
 * before directories (see fatcache.c). A sector about to be dirtied as a later class than it
 * already is (a zeroed directory cluster taking its first entries) is written out first. */
typedef enum _FAT_WRITE_CLASS {
    FatClean = 0,
    FatData = 1,          /* file data, and clusters just allocated (not yet referenced on disk) */
    FatTable = 2,         /* FAT sectors, every copy */
    FatDirectory = 3,     /* directory entries of existing directories */
    FatClassCount = 4
} FAT_WRITE_CLASS;

typedef struct _FAT_CACHE_ENTRY {
    ULONG Sector;
    LONG HashNext;        /* next entry index in the same hash bucket, -1 at the end */
    ULONG LastUse;        /* for least-recently-used replacement */
    UCHAR Valid;
    UCHAR Dirty;          /* FAT_WRITE_CLASS */
    ULONG DirtySlot;      /* its place in the cache's DirtyList while dirty */
    PUCHAR Data;
} FAT_CACHE_ENTRY;

typedef struct _FAT_CACHE {
    ULONG Count;          /* entries */
    ULONG HashSize;       /* buckets, a power of two */
    ULONG Clock;
    ULONG DirtyCount[FatClassCount];
    ULONG DirtyTotal;     /* entries in DirtyList: every dirty entry, of any class */
    PULONG DirtyList;     /* entry indices, unordered: a flush visits only dirty entries */
    FAT_CACHE_ENTRY *Entries;
    PLONG Hash;
    PUCHAR Memory;
} FAT_CACHE;

#define FAT_CACHE_SECTORS 256

/* ---- The file control block: one per open file or directory (fatfile.c) ---------------- */

typedef struct _FAT_FCB {
    LIST_ENTRY Link;              /* in the volume's FcbList while it names a live file */
    ULONG OpenCount;
    BOOLEAN IsRoot, Directory, Deleted;
    ULONG ParentCluster;          /* first cluster of the containing directory (0: FAT16 root) */
    ULONG ShortOffset;            /* byte offset of the short entry in the parent */
    ULONG FirstOffset;            /* byte offset of its first long-name entry (= ShortOffset if none) */
    FAT_DIRENT Dirent;            /* the short entry as it is (to be) on disk */
    ULONG FirstCluster;
    ULONG FileSize;
    ULONG ChainLength;            /* clusters in the chain */
    ULONG LastCluster;            /* 0 when the chain is empty */
    ULONG HintVcn, HintLcn;       /* the last cluster looked up, for sequential access */
    ULONG RunLength;              /* the chain's first RunLength clusters are FirstCluster,
                                     FirstCluster + 1, ...: mapped without reading the FAT */
    ULONG DirentSector;           /* the sector of the short entry (0: not yet known); a
                                     directory's clusters never move while it has entries */
    USHORT NameLength;            /* UTF-16 units */
    WCHAR Name[FAT_MAX_NAME + 1];
} FAT_FCB, *PFAT_FCB;

struct _FAT_FILE {
    PFAT_VOLUME Volume;
    PFAT_FCB Fcb;
    BOOLEAN Written;              /* FatClose flushes the volume */
};

/*
 * The last directory path FatOpen walked ("\dir\sub"), each step with the raw entries (long-name
 * entries and short entry) that named it and where they are. The next walk of the same path
 * re-reads those sectors and takes the memo only if the bytes are still there, unchanged; so
 * it needs no invalidation, and a rename, delete or damage of any step sends the walk back to
 * the directory scans. Steps whose entries span two sectors are not remembered.
 */
#define FAT_WALK_DEPTH    4u
#define FAT_WALK_ENTRIES  4u           /* a name of up to 39 units: 3 long-name entries */
#define FAT_WALK_PATH     128u
typedef struct _FAT_WALK_STEP {
    ULONG Sector;                 /* the sector holding the entries */
    USHORT Byte, Count;           /* the first entry's offset in it; how many entries */
    ULONG Cluster;                /* the directory they name */
    FAT_DIRENT Entries[FAT_WALK_ENTRIES];
} FAT_WALK_STEP;

typedef struct _FAT_WALK_MEMO {
    USHORT PathLength;            /* UTF-16 units; 0: nothing remembered */
    USHORT Steps;
    WCHAR Path[FAT_WALK_PATH];
    FAT_WALK_STEP Step[FAT_WALK_DEPTH];
} FAT_WALK_MEMO;

/* ---- The volume (fatmount.c) -------------------------------------------------------------- */

/*
 * What the last directory scan that missed learned, good while Vol->Generation (bumped by every
 * change to a cached sector and every write of file data) stays what it was: which directory,
 * and its first free entry (all before it are in use), so that the create that follows a failed
 * lookup starts its search for free entries there instead of scanning the directory again.
 */
typedef struct _FAT_LOOKUP_MEMO {
    ULONGLONG Generation;         /* Vol->Generation when made */
    BOOLEAN Valid;
    ULONG DirCluster;
    ULONG FreeOffset;             /* first free entry (the end of the directory if none) */
    ULONG FreeVcn, FreeLcn;       /* a cluster of the directory at or before FreeOffset */
} FAT_LOOKUP_MEMO;

struct _FAT_VOLUME {
    FAT_BLOCK_DEVICE Device;
    BOOLEAN Fat32;
    ULONG BytesPerSector, SectorsPerCluster, ClusterBytes;
    ULONG ReservedSectors, NumFats, FatSectors, ActiveFat;
    BOOLEAN MirrorFats;           /* write every FAT copy (FAT32 may disable mirroring) */
    ULONG RootDirFirstSector, RootDirSectors, RootEntryCount;     /* FAT16 fixed root */
    ULONG FirstDataSector, TotalSectors;
    ULONG ClusterCount;           /* data clusters: numbered 2 .. ClusterCount + 1 */
    ULONG RootCluster;            /* FAT32 root directory; 0 on FAT16 */
    ULONG FsInfoSector;           /* 0: none */
    BOOLEAN FsInfoValid;
    ULONG FsInfoFree, FsInfoNext; /* the values on disk */
    ULONG FreeClusters, NextFree;
    ULONG SerialNumber;
    WCHAR Label[12];
    USHORT LabelLength;           /* UTF-16 units */
    ULONG OpenFiles;              /* FAT_FILE instances */
    LIST_ENTRY FcbList;
    PULONG PendingFree;           /* chains to free after the directory is on disk */
    ULONG PendingCount, PendingMax;
    ULONGLONG Generation;         /* changes of cached or on-disk sectors so far */
    LONGLONG StampStart;          /* fattime.c: the two-second step last converted (0: none) */
    USHORT StampDate, StampTime;
    FAT_LOOKUP_MEMO Memo;
    FAT_WALK_MEMO Walk;
    FAT_CACHE Cache;
};

static inline ULONG FatpMaxCluster(PFAT_VOLUME Vol) { return Vol->ClusterCount + 1; }
static inline BOOLEAN FatpValidCluster(PFAT_VOLUME Vol, ULONG Cluster)
{
    return Cluster >= 2 && Cluster <= FatpMaxCluster(Vol);
}
static inline ULONG FatpClusterToSector(PFAT_VOLUME Vol, ULONG Cluster)
{
    return Vol->FirstDataSector + (Cluster - 2) * Vol->SectorsPerCluster;
}
/* The root directory's "cluster" as the directory code names it: 0 is FAT16's fixed region. */
static inline ULONG FatpRootDirCluster(PFAT_VOLUME Vol) { return Vol->Fat32 ? Vol->RootCluster : 0; }
static inline PVOID FatpAlloc(SIZE_T Bytes) { return ExAllocatePoolWithTag(PagedPool, Bytes, FAT_TAG); }
static inline VOID FatpFree(PVOID P) { ExFreePoolWithTag(P, FAT_TAG); }

/* fatcache.c */
NTSTATUS FatpCacheInit(PFAT_VOLUME Vol, ULONG Sectors);
VOID FatpCacheFree(PFAT_VOLUME Vol);
NTSTATUS FatpCacheGet(PFAT_VOLUME Vol, ULONG Sector, FAT_WRITE_CLASS Class, BOOLEAN NoRead, PUCHAR *Data);
NTSTATUS FatpCacheReadSectors(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, PVOID Buffer);
NTSTATUS FatpCacheWriteSectors(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, const VOID *Buffer);
NTSTATUS FatpCacheWriteClass(PFAT_VOLUME Vol, FAT_WRITE_CLASS Class);
NTSTATUS FatpFlush(PFAT_VOLUME Vol);
NTSTATUS FatpDeviceRead(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, PVOID Buffer);

/* fattable.c */

/* A FAT sector held mapped while a loop reads or sets entries of one FAT copy in a row, so
 * neighbouring entries cost one cache lookup between them. Good only while nothing else calls
 * the cache. */
typedef struct _FAT_SECTOR_REF {
    ULONG Sector;
    PUCHAR Data;
} FAT_SECTOR_REF;

static inline VOID FatpRefInit(FAT_SECTOR_REF *Ref) { Ref->Sector = ~0u; Ref->Data = NULL; }
NTSTATUS FatpNextClusterRef(PFAT_VOLUME Vol, ULONG Cluster, PULONG Next, FAT_SECTOR_REF *Ref);
BOOLEAN FatpIsEoc(PFAT_VOLUME Vol, ULONG Value);
NTSTATUS FatpGetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, PULONG Value);
NTSTATUS FatpSetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, ULONG Value);
NTSTATUS FatpNextCluster(PFAT_VOLUME Vol, ULONG Cluster, PULONG Next);
NTSTATUS FatpWalkChain(PFAT_VOLUME Vol, ULONG First, PULONG Length, PULONG Last);
NTSTATUS FatpWalkChainRun(PFAT_VOLUME Vol, ULONG First, PULONG Length, PULONG Last, PULONG Run);
NTSTATUS FatpAllocateCluster(PFAT_VOLUME Vol, ULONG Previous, BOOLEAN ZeroFill, PULONG Cluster);
#define FAT_ALLOC_BATCH 64u
NTSTATUS FatpAllocateClusters(PFAT_VOLUME Vol, ULONG Previous, ULONG Count, PULONG Clusters, PULONG Got);
NTSTATUS FatpFreeChainNow(PFAT_VOLUME Vol, ULONG First);
NTSTATUS FatpFreeChainLater(PFAT_VOLUME Vol, ULONG First);
NTSTATUS FatpApplyPendingFrees(PFAT_VOLUME Vol);
NTSTATUS FatpCountFreeClusters(PFAT_VOLUME Vol);

/* fattime.c */
VOID FatpNtTimeToFat(LONGLONG NtTime, PUSHORT Date, PUSHORT Time, PUCHAR Tenth);
LONGLONG FatpFatTimeToNt(USHORT Date, USHORT Time, UCHAR Tenth);
VOID FatpStampTimes(PFAT_VOLUME Vol, FAT_DIRENT *Dirent, BOOLEAN Create, BOOLEAN Write, BOOLEAN Access);

/* fatname.c */
BOOLEAN FatpIsValidLongName(PCWSTR Name, ULONG Length);
BOOLEAN FatpNameFits83(PCWSTR Name, ULONG Length, UCHAR Short[11], PUCHAR NtCase);
VOID FatpShortBasis(PCWSTR Name, ULONG Length, UCHAR Basis[11]);
VOID FatpApplyTail(const UCHAR Basis[11], ULONG N, UCHAR Out[11]);
LONG FatpParseTail(const UCHAR Short[11]);
UCHAR FatpLfnChecksum(const UCHAR Short[11]);
USHORT FatpFormatShortName(const UCHAR Short[11], UCHAR NtCase, PWCHAR Out);
BOOLEAN FatpShortNameEquals(const UCHAR Short[11], PCWSTR Upcased, ULONG Length);
BOOLEAN FatpNamesEqual(PCWSTR A, ULONG ALength, PCWSTR B, ULONG BLength);
BOOLEAN FatpMatchPattern(PCWSTR Pattern, ULONG PatternLength, PCWSTR Name, ULONG NameLength);

/* fatdir.c */
typedef struct _FAT_DIR_CURSOR {
    ULONG DirCluster;             /* first cluster of the directory (0: FAT16 root) */
    ULONG Vcn, Lcn;               /* a cluster of the directory reached so far */
} FAT_DIR_CURSOR;

typedef struct _FAT_DIR_ITEM {
    FAT_DIRENT Dirent;
    ULONG ShortOffset, FirstOffset;
    ULONG ShortSector;                   /* the sector holding the short entry; 0: not known */
    USHORT NameLength, ShortLength;      /* UTF-16 units */
    WCHAR Name[FAT_MAX_NAME + 1];
    WCHAR ShortName[13];
} FAT_DIR_ITEM;

VOID FatpCursorInit(FAT_DIR_CURSOR *Cursor, ULONG DirCluster);
NTSTATUS FatpDirReadEntry(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, FAT_DIRENT *Entry);
NTSTATUS FatpDirWriteEntry(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, const VOID *Entry);
NTSTATUS FatpDirNext(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, PULONG Offset, FAT_DIR_ITEM *Item);
NTSTATUS FatpDirLookup(PFAT_VOLUME Vol, ULONG DirCluster, PCWSTR Name, ULONG Length, FAT_DIR_ITEM *Item);
NTSTATUS FatpDirIsEmpty(PFAT_VOLUME Vol, ULONG DirCluster);
NTSTATUS FatpDirCreateEntries(PFAT_VOLUME Vol, ULONG DirCluster, PCWSTR Name, ULONG Length,
                              FAT_DIRENT *Dirent, PULONG ShortOffset, PULONG FirstOffset, PULONG ShortSector);
NTSTATUS FatpDirEntrySector(PFAT_VOLUME Vol, ULONG DirCluster, ULONG Offset, PULONG Sector);
NTSTATUS FatpDirRemoveEntries(PFAT_VOLUME Vol, ULONG DirCluster, ULONG FirstOffset, ULONG ShortOffset);
NTSTATUS FatpDirInitialize(PFAT_VOLUME Vol, ULONG Cluster, ULONG ParentCluster, const FAT_DIRENT *Self);
NTSTATUS FatpDirReadParent(PFAT_VOLUME Vol, ULONG DirCluster, PULONG ParentCluster);
NTSTATUS FatpDirSetParent(PFAT_VOLUME Vol, ULONG DirCluster, ULONG ParentCluster);
NTSTATUS FatpCheckDirent(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent);
ULONG FatpDirentCluster(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent);
VOID FatpDirentSetCluster(FAT_DIRENT *Dirent, ULONG Cluster);

/* fatfile.c */
PFAT_FCB FatpFindFcb(PFAT_VOLUME Vol, ULONG ParentCluster, ULONG ShortOffset);
NTSTATUS FatpWriteDirent(PFAT_VOLUME Vol, PFAT_FCB Fcb);
NTSTATUS FatpSplitPath(PCUNICODE_STRING Path, PULONG ParentEnd);
NTSTATUS FatpWalkToDirectory(PFAT_VOLUME Vol, PCWSTR Path, ULONG Length, PULONG DirCluster);
NTSTATUS FatpResize(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG NewSize);

/* fatinfo.c */
VOID FatpFillInfo(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent, PCWSTR Name, USHORT NameLength,
                  PCWSTR ShortName, USHORT ShortLength, ULONG ParentCluster, ULONG ShortOffset,
                  PFAT_FILE_INFO Info);

#endif
