/*
 * fatcache.c - the volume's sector cache: a fixed set of sector buffers found through a hash,
 * replaced least-recently-used, written back lazily, and the ordered flush.
 *
 * WRITE ORDER. Every dirty sector carries a class (fatp.h): FatData (file data and freshly
 * allocated clusters that nothing on disk points at yet), FatTable (FAT sectors, all copies),
 * FatDirectory (entries of existing directories). A flush (FatpFlush) writes
 *     1. all FatData sectors,
 *     2. all FatTable sectors,
 *     3. all FatDirectory sectors,
 *     4. then releases the clusters of deleted or truncated files (fattable.c keeps them
 *        allocated until now, so they cannot be reused while an entry on disk still names
 *        them) and writes those FAT sectors,
 *     5. the FSInfo sector (free count, next-free hint),
 *     6. the device's own cache (Device->Flush).
 * A dirty sector evicted early first forces out every dirty sector of an earlier class, so the
 * order holds for evictions too. Full-sector file data not in the cache goes straight to the
 * device (write-through), which is "data first" by construction. After a power cut fsck finds at
 * worst lost clusters (allocated in the FAT, named by no entry), never an entry naming clusters
 * that are free, unwritten or another file's. (One window remains: a truncation writes the
 * smaller size before the shorter chain, so a cut between leaves a chain longer than the size,
 * which fsck trims.)
 */
#include "fatp.h"

NTSTATUS FatpWriteFsInfo(PFAT_VOLUME Vol);   /* fatmount.c */

NTSTATUS FatpDeviceRead(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, PVOID Buffer)
{
    if ((ULONGLONG)Sector + Count > Vol->TotalSectors) return STATUS_DISK_CORRUPT_ERROR;
    return Vol->Device.Read(Vol->Device.Context, Sector, Count, Buffer);
}

static NTSTATUS FatpDeviceWrite(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, const VOID *Buffer)
{
    if ((ULONGLONG)Sector + Count > Vol->TotalSectors) return STATUS_DISK_CORRUPT_ERROR;
    return Vol->Device.Write(Vol->Device.Context, Sector, Count, Buffer);
}

NTSTATUS FatpCacheInit(PFAT_VOLUME Vol, ULONG Sectors)
{
    FAT_CACHE *c = &Vol->Cache;
    RtlZeroMemory(c, sizeof *c);
    c->Count = Sectors;
    c->HashSize = 1;
    while (c->HashSize < Sectors * 2) c->HashSize <<= 1;
    c->Entries = FatpAlloc(Sectors * sizeof(FAT_CACHE_ENTRY));
    c->Hash = FatpAlloc(c->HashSize * sizeof(LONG));
    c->DirtyList = FatpAlloc(Sectors * sizeof(ULONG));
    c->Memory = FatpAlloc((SIZE_T)Sectors * Vol->BytesPerSector);
    if (!c->Entries || !c->Hash || !c->DirtyList || !c->Memory) {
        FatpCacheFree(Vol);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < c->HashSize; i++) c->Hash[i] = -1;
    for (ULONG i = 0; i < Sectors; i++) {
        FAT_CACHE_ENTRY *e = &c->Entries[i];
        RtlZeroMemory(e, sizeof *e);
        e->HashNext = -1;
        e->Data = c->Memory + (SIZE_T)i * Vol->BytesPerSector;
    }
    return STATUS_SUCCESS;
}

VOID FatpCacheFree(PFAT_VOLUME Vol)
{
    FAT_CACHE *c = &Vol->Cache;
    if (c->Entries) FatpFree(c->Entries);
    if (c->Hash) FatpFree(c->Hash);
    if (c->DirtyList) FatpFree(c->DirtyList);
    if (c->Memory) FatpFree(c->Memory);
    c->Entries = NULL;
    c->Hash = NULL;
    c->DirtyList = NULL;
    c->Memory = NULL;
}

static ULONG FatpHash(FAT_CACHE *c, ULONG Sector)
{
    return (Sector * 2654435761u) & (c->HashSize - 1);
}

static FAT_CACHE_ENTRY *FatpCacheLookup(FAT_CACHE *c, ULONG Sector)
{
    for (LONG i = c->Hash[FatpHash(c, Sector)]; i >= 0; i = c->Entries[i].HashNext)
        if (c->Entries[i].Sector == Sector) return &c->Entries[i];
    return NULL;
}

static VOID FatpCacheUnhash(FAT_CACHE *c, FAT_CACHE_ENTRY *e)
{
    LONG self = (LONG)(e - c->Entries);
    PLONG link = &c->Hash[FatpHash(c, e->Sector)];
    while (*link >= 0 && *link != self) link = &c->Entries[*link].HashNext;
    if (*link == self) *link = e->HashNext;
    e->HashNext = -1;
    e->Valid = 0;
}

static VOID FatpMarkDirty(FAT_CACHE *c, FAT_CACHE_ENTRY *e, FAT_WRITE_CLASS Class)
{
    if (e->Dirty == FatClean) {
        e->DirtySlot = c->DirtyTotal;
        c->DirtyList[c->DirtyTotal++] = (ULONG)(e - c->Entries);
    }
    if (e->Dirty == FatClean || Class < e->Dirty) {
        if (e->Dirty != FatClean) c->DirtyCount[e->Dirty]--;
        e->Dirty = (UCHAR)Class;
        c->DirtyCount[Class]++;
    }
}

static NTSTATUS FatpWriteEntry(PFAT_VOLUME Vol, FAT_CACHE_ENTRY *e)
{
    FAT_CACHE *c = &Vol->Cache;
    NTSTATUS st = FatpDeviceWrite(Vol, e->Sector, 1, e->Data);
    if (!NT_SUCCESS(st)) return st;
    c->DirtyCount[e->Dirty]--;
    e->Dirty = FatClean;
    ULONG last = c->DirtyList[--c->DirtyTotal];          /* the last dirty entry takes its slot */
    c->DirtyList[e->DirtySlot] = last;
    c->Entries[last].DirtySlot = e->DirtySlot;
    return STATUS_SUCCESS;
}

/* Writes every dirty sector of one class. Writing an entry moves the last one of the list into
 * its slot, so that slot is looked at again. */
NTSTATUS FatpCacheWriteClass(PFAT_VOLUME Vol, FAT_WRITE_CLASS Class)
{
    FAT_CACHE *c = &Vol->Cache;
    for (ULONG i = 0; i < c->DirtyTotal && c->DirtyCount[Class];) {
        FAT_CACHE_ENTRY *e = &c->Entries[c->DirtyList[i]];
        if (e->Dirty != Class) {
            i++;
            continue;
        }
        NTSTATUS st = FatpWriteEntry(Vol, e);
        if (!NT_SUCCESS(st)) return st;
    }
    return STATUS_SUCCESS;
}

/* Frees a slot for a new sector; a dirty victim goes out after every earlier class. */
static NTSTATUS FatpCacheEvict(PFAT_VOLUME Vol, FAT_CACHE_ENTRY **Slot)
{
    FAT_CACHE *c = &Vol->Cache;
    FAT_CACHE_ENTRY *victim = NULL;
    for (ULONG i = 0; i < c->Count; i++) {
        FAT_CACHE_ENTRY *e = &c->Entries[i];
        if (!e->Valid) { victim = e; break; }
        if (!victim || e->LastUse < victim->LastUse) victim = e;
    }
    if (victim->Valid && victim->Dirty != FatClean) {
        for (ULONG k = FatData; k < victim->Dirty; k++) {
            NTSTATUS st = FatpCacheWriteClass(Vol, (FAT_WRITE_CLASS)k);
            if (!NT_SUCCESS(st)) return st;
        }
        NTSTATUS st = FatpWriteEntry(Vol, victim);
        if (!NT_SUCCESS(st)) return st;
    }
    if (victim->Valid) FatpCacheUnhash(c, victim);
    *Slot = victim;
    return STATUS_SUCCESS;
}

/*
 * Returns the cached copy of Sector. Class != FatClean marks it dirty (the caller is about to
 * change it); NoRead skips reading a sector the caller will overwrite whole. The pointer is
 * valid only until the next call into the cache.
 */
NTSTATUS FatpCacheGet(PFAT_VOLUME Vol, ULONG Sector, FAT_WRITE_CLASS Class, BOOLEAN NoRead, PUCHAR *Data)
{
    FAT_CACHE *c = &Vol->Cache;
    if (Sector >= Vol->TotalSectors) return STATUS_DISK_CORRUPT_ERROR;
    FAT_CACHE_ENTRY *e = FatpCacheLookup(c, Sector);
    if (!e) {
        NTSTATUS st = FatpCacheEvict(Vol, &e);
        if (!NT_SUCCESS(st)) return st;
        if (!NoRead) {
            st = FatpDeviceRead(Vol, Sector, 1, e->Data);
            if (!NT_SUCCESS(st)) return st;
        }
        e->Sector = Sector;
        e->Valid = 1;
        ULONG h = FatpHash(c, Sector);
        e->HashNext = c->Hash[h];
        c->Hash[h] = (LONG)(e - c->Entries);
    }
    e->LastUse = ++c->Clock;
    if (Class != FatClean && e->Dirty != FatClean && e->Dirty < Class) {
        /* A sector that must reach the disk in an earlier phase (a directory cluster just
         * zeroed) goes out now, before it takes changes that belong to a later phase. */
        for (ULONG k = FatData; k < e->Dirty; k++) {
            NTSTATUS st = FatpCacheWriteClass(Vol, (FAT_WRITE_CLASS)k);
            if (!NT_SUCCESS(st)) return st;
        }
        NTSTATUS st = FatpWriteEntry(Vol, e);
        if (!NT_SUCCESS(st)) return st;
    }
    if (Class != FatClean) {
        FatpMarkDirty(c, e, Class);
        Vol->Generation++;                 /* the caller changes it: lookup memos go stale */
    }
    *Data = e->Data;
    return STATUS_SUCCESS;
}

/* Reads whole sectors of file data: cached copies win, runs of uncached sectors come from the
 * device in one request each and do not displace the cache. */
NTSTATUS FatpCacheReadSectors(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, PVOID Buffer)
{
    PUCHAR out = Buffer;
    ULONG bps = Vol->BytesPerSector;
    ULONG i = 0;
    while (i < Count) {
        FAT_CACHE_ENTRY *e = FatpCacheLookup(&Vol->Cache, Sector + i);
        if (e) {
            RtlCopyMemory(out + (SIZE_T)i * bps, e->Data, bps);
            i++;
            continue;
        }
        ULONG run = 1;
        while (i + run < Count && !FatpCacheLookup(&Vol->Cache, Sector + i + run)) run++;
        NTSTATUS st = FatpDeviceRead(Vol, Sector + i, run, out + (SIZE_T)i * bps);
        if (!NT_SUCCESS(st)) return st;
        i += run;
    }
    return STATUS_SUCCESS;
}

/* Writes whole sectors of file data: cached sectors are updated (and stay dirty data), the
 * rest go to the device at once. */
NTSTATUS FatpCacheWriteSectors(PFAT_VOLUME Vol, ULONG Sector, ULONG Count, const VOID *Buffer)
{
    const UCHAR *in = Buffer;
    ULONG bps = Vol->BytesPerSector;
    ULONG i = 0;
    Vol->Generation++;                     /* file data only, but a damaged volume may cross-link */
    while (i < Count) {
        FAT_CACHE_ENTRY *e = FatpCacheLookup(&Vol->Cache, Sector + i);
        if (e) {
            RtlCopyMemory(e->Data, in + (SIZE_T)i * bps, bps);
            FatpMarkDirty(&Vol->Cache, e, FatData);
            i++;
            continue;
        }
        ULONG run = 1;
        while (i + run < Count && !FatpCacheLookup(&Vol->Cache, Sector + i + run)) run++;
        NTSTATUS st = FatpDeviceWrite(Vol, Sector + i, run, in + (SIZE_T)i * bps);
        if (!NT_SUCCESS(st)) return st;
        i += run;
    }
    return STATUS_SUCCESS;
}

/* The ordered flush described at the top of this file. */
NTSTATUS FatpFlush(PFAT_VOLUME Vol)
{
    NTSTATUS st;
    for (ULONG k = FatData; k < FatClassCount; k++) {
        st = FatpCacheWriteClass(Vol, (FAT_WRITE_CLASS)k);
        if (!NT_SUCCESS(st)) return st;
    }
    if (Vol->PendingCount) {
        st = FatpApplyPendingFrees(Vol);
        if (!NT_SUCCESS(st)) return st;
        st = FatpCacheWriteClass(Vol, FatTable);
        if (!NT_SUCCESS(st)) return st;
    }
    st = FatpWriteFsInfo(Vol);
    if (!NT_SUCCESS(st)) return st;
    return Vol->Device.Flush ? Vol->Device.Flush(Vol->Device.Context) : STATUS_SUCCESS;
}
