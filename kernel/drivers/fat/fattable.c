/*
 * fattable.c - the file allocation table: reading and writing entries (every FAT copy), following
 * cluster chains with loop and range checks, allocating clusters (from the next-free hint) and
 * freeing chains. Frees of clusters that a directory entry on disk may still name are deferred
 * to the flush (FatpFreeChainLater), after the directory sectors are written (see fatcache.c).
 */
#include "fatp.h"

/* FAT16 values were widened to FAT32's on reading, so one test serves both. */
BOOLEAN FatpIsEoc(PFAT_VOLUME Vol, ULONG Value)
{
    UNREFERENCED_PARAMETER(Vol);
    return Value >= 0x0FFFFFF8u;
}

static ULONG FatpEntryBytes(PFAT_VOLUME Vol) { return Vol->Fat32 ? 4 : 2; }

static NTSTATUS FatpMapSector(PFAT_VOLUME Vol, ULONG Sector, FAT_WRITE_CLASS Class, FAT_SECTOR_REF *Ref)
{
    NTSTATUS st = FatpCacheGet(Vol, Sector, Class, FALSE, &Ref->Data);
    Ref->Sector = NT_SUCCESS(st) ? Sector : ~0u;
    return st;
}

/* The bytes of Cluster's entry in FAT copy Fat, mapped for reading (Class FatClean) or change.
 * Inline: chain walks and allocation take this step per cluster, and mostly stay in Ref's sector. */
static inline __attribute__((always_inline)) NTSTATUS FatpMapEntry(PFAT_VOLUME Vol, ULONG Fat, ULONG Cluster,
                                                                   FAT_WRITE_CLASS Class, FAT_SECTOR_REF *Ref,
                                                                   PUCHAR *Entry)
{
    ULONG byte = Cluster * FatpEntryBytes(Vol);
    ULONG sector = Vol->ReservedSectors + Fat * Vol->FatSectors + byte / Vol->BytesPerSector;
    if (sector != Ref->Sector) {
        NTSTATUS st = FatpMapSector(Vol, sector, Class, Ref);
        if (!NT_SUCCESS(st)) return st;
    }
    *Entry = Ref->Data + byte % Vol->BytesPerSector;
    return STATUS_SUCCESS;
}

/* Entries are little-endian, as x86 is, and aligned to their size within the sector. */
static inline VOID FatpStoreEntry(PFAT_VOLUME Vol, PUCHAR p, ULONG Value)
{
    if (Vol->Fat32) {
        ULONG old;
        __builtin_memcpy(&old, p, 4);
        ULONG v = (Value & FAT32_MASK) | (old & ~FAT32_MASK);      /* keep the top 4 bits */
        __builtin_memcpy(p, &v, 4);
    } else {
        USHORT v = (USHORT)Value;
        __builtin_memcpy(p, &v, 2);
    }
}

static inline ULONG FatpLoadEntry(PFAT_VOLUME Vol, const UCHAR *p)
{
    if (Vol->Fat32) {
        ULONG v;
        __builtin_memcpy(&v, p, 4);
        return v & FAT32_MASK;
    }
    USHORT v;
    __builtin_memcpy(&v, p, 2);
    return v >= 0xFFF7 ? v | 0x0FFF0000u : v;     /* FAT16 special values widened to FAT32 ones */
}

NTSTATUS FatpGetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, PULONG Value)
{
    if (!FatpValidCluster(Vol, Cluster)) return STATUS_DISK_CORRUPT_ERROR;
    FAT_SECTOR_REF ref;
    PUCHAR p;
    FatpRefInit(&ref);
    NTSTATUS st = FatpMapEntry(Vol, Vol->ActiveFat, Cluster, FatClean, &ref, &p);
    if (NT_SUCCESS(st)) *Value = FatpLoadEntry(Vol, p);
    return st;
}

static BOOLEAN FatpWritesFat(PFAT_VOLUME Vol, ULONG Fat) { return Vol->MirrorFats || Fat == Vol->ActiveFat; }

/* Sets one entry in every FAT copy (or only the active one when mirroring is off). */
NTSTATUS FatpSetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, ULONG Value)
{
    if (!FatpValidCluster(Vol, Cluster)) return STATUS_DISK_CORRUPT_ERROR;
    for (ULONG f = 0; f < Vol->NumFats; f++) {
        if (!FatpWritesFat(Vol, f)) continue;
        FAT_SECTOR_REF ref;
        PUCHAR p;
        FatpRefInit(&ref);
        NTSTATUS st = FatpMapEntry(Vol, f, Cluster, FatTable, &ref, &p);
        if (!NT_SUCCESS(st)) return st;
        FatpStoreEntry(Vol, p, Value);
    }
    return STATUS_SUCCESS;
}

/* FatpNextCluster through Ref: a loop that follows a chain with no other cache call between its
 * steps looks each FAT sector up once. */
NTSTATUS FatpNextClusterRef(PFAT_VOLUME Vol, ULONG Cluster, PULONG Next, FAT_SECTOR_REF *Ref)
{
    if (!FatpValidCluster(Vol, Cluster)) return STATUS_DISK_CORRUPT_ERROR;
    PUCHAR p;
    NTSTATUS st = FatpMapEntry(Vol, Vol->ActiveFat, Cluster, FatClean, Ref, &p);
    if (!NT_SUCCESS(st)) return st;
    ULONG v = FatpLoadEntry(Vol, p);
    if (FatpIsEoc(Vol, v)) { *Next = 0; return STATUS_SUCCESS; }
    if (!FatpValidCluster(Vol, v)) return STATUS_FILE_CORRUPT_ERROR;
    *Next = v;
    return STATUS_SUCCESS;
}

/* The cluster after Cluster in its chain, or 0 at the end. A free, bad or out-of-range link is
 * corruption: the chain of a live file never contains one. */
NTSTATUS FatpNextCluster(PFAT_VOLUME Vol, ULONG Cluster, PULONG Next)
{
    ULONG v;
    NTSTATUS st = FatpGetFatEntry(Vol, Cluster, &v);
    if (!NT_SUCCESS(st)) return st;
    if (FatpIsEoc(Vol, v)) { *Next = 0; return STATUS_SUCCESS; }
    if (!FatpValidCluster(Vol, v)) return STATUS_FILE_CORRUPT_ERROR;
    *Next = v;
    return STATUS_SUCCESS;
}

/* Length and last cluster of the chain at First (First 0: empty). A chain longer than the
 * volume has clusters must loop. */
NTSTATUS FatpWalkChain(PFAT_VOLUME Vol, ULONG First, PULONG Length, PULONG Last)
{
    ULONG run;
    return FatpWalkChainRun(Vol, First, Length, Last, &run);
}

/* FatpWalkChain, and in *Run how many clusters from First on are consecutive numbers. */
NTSTATUS FatpWalkChainRun(PFAT_VOLUME Vol, ULONG First, PULONG Length, PULONG Last, PULONG Run)
{
    ULONG n = 0, c = First, last = 0, run = 0;
    FAT_SECTOR_REF ref;
    FatpRefInit(&ref);
    if (c != 0 && !FatpValidCluster(Vol, c)) return STATUS_FILE_CORRUPT_ERROR;
    while (c != 0) {
        if (++n > Vol->ClusterCount) return STATUS_FILE_CORRUPT_ERROR;
        if (run == n - 1 && c == First + run) run++;
        last = c;
        NTSTATUS st = FatpNextClusterRef(Vol, c, &c, &ref);
        if (!NT_SUCCESS(st)) return st;
    }
    *Length = n;
    *Last = last;
    *Run = run;
    return STATUS_SUCCESS;
}

static NTSTATUS FatpZeroCluster(PFAT_VOLUME Vol, ULONG Cluster)
{
    ULONG first = FatpClusterToSector(Vol, Cluster);
    for (ULONG s = 0; s < Vol->SectorsPerCluster; s++) {
        PUCHAR data;
        NTSTATUS st = FatpCacheGet(Vol, first + s, FatData, TRUE, &data);
        if (!NT_SUCCESS(st)) return st;
        RtlZeroMemory(data, Vol->BytesPerSector);
    }
    return STATUS_SUCCESS;
}

/* Looks for up to Want free clusters from the next-free hint on, in one pass over the active
 * FAT; *Found may come back smaller (0: none free, or only clusters a flush would free). */
static NTSTATUS FatpFindFree(PFAT_VOLUME Vol, ULONG Want, PULONG Clusters, PULONG Found)
{
    ULONG c = FatpValidCluster(Vol, Vol->NextFree) ? Vol->NextFree : 2, got = 0;
    FAT_SECTOR_REF ref;
    FatpRefInit(&ref);
    for (ULONG n = 0; n < Vol->ClusterCount && got < Want && got < Vol->FreeClusters;) {
        PUCHAR p;
        NTSTATUS st = FatpMapEntry(Vol, Vol->ActiveFat, c, FatClean, &ref, &p);
        if (!NT_SUCCESS(st)) return st;
        /* The entries of the following clusters are the next ones in the sector. */
        PUCHAR end = ref.Data + Vol->BytesPerSector;
        do {
            if (FatpLoadEntry(Vol, p) == FAT_CLUSTER_FREE) Clusters[got++] = c;
            p += FatpEntryBytes(Vol);
            n++;
            c = c == FatpMaxCluster(Vol) ? 2 : c + 1;
        } while (c != 2 && p < end && n < Vol->ClusterCount && got < Want && got < Vol->FreeClusters);
    }
    *Found = got;
    return STATUS_SUCCESS;
}

/* Writes the links of a new chain piece: Previous (0: none) -> Clusters[0] -> ... -> end mark,
 * in every FAT copy, each FAT sector looked up once per copy. */
static NTSTATUS FatpLinkClusters(PFAT_VOLUME Vol, ULONG Previous, const ULONG *Clusters, ULONG Count)
{
    if (Previous && !FatpValidCluster(Vol, Previous)) return STATUS_DISK_CORRUPT_ERROR;
    for (ULONG f = 0; f < Vol->NumFats; f++) {
        if (!FatpWritesFat(Vol, f)) continue;
        FAT_SECTOR_REF ref;
        PUCHAR p;
        NTSTATUS st;
        FatpRefInit(&ref);
        for (ULONG i = 0; i < Count;) {
            st = FatpMapEntry(Vol, f, Clusters[i], FatTable, &ref, &p);
            if (!NT_SUCCESS(st)) return st;
            /* Consecutive clusters have neighbouring entries: step through the sector. */
            PUCHAR end = ref.Data + Vol->BytesPerSector;
            do {
                FatpStoreEntry(Vol, p, i + 1 < Count ? Clusters[i + 1] : FAT32_EOC);
                p += FatpEntryBytes(Vol);
                i++;
            } while (i < Count && Clusters[i] == Clusters[i - 1] + 1 && p < end);
        }
        if (Previous) {
            st = FatpMapEntry(Vol, f, Previous, FatTable, &ref, &p);
            if (!NT_SUCCESS(st)) return st;
            FatpStoreEntry(Vol, p, Clusters[0]);
        }
    }
    return STATUS_SUCCESS;
}

/*
 * Allocates up to Count (1..FAT_ALLOC_BATCH) clusters as a chain linked after Previous (0: a new
 * chain), the last marked end-of-chain; *Got says how many (at least 1 on success). When the
 * volume is full but deleted files' clusters wait for a flush, flushes and retries.
 */
NTSTATUS FatpAllocateClusters(PFAT_VOLUME Vol, ULONG Previous, ULONG Count, PULONG Clusters, PULONG Got)
{
    ULONG got = 0;
    NTSTATUS st = FatpFindFree(Vol, Count, Clusters, &got);
    if (NT_SUCCESS(st) && got == 0 && Vol->PendingCount) {
        st = FatpFlush(Vol);
        if (NT_SUCCESS(st)) st = FatpFindFree(Vol, Count, Clusters, &got);
    }
    if (NT_SUCCESS(st) && got == 0) st = STATUS_DISK_FULL;
    if (NT_SUCCESS(st)) st = FatpLinkClusters(Vol, Previous, Clusters, got);
    if (!NT_SUCCESS(st)) return st;
    Vol->FreeClusters = Vol->FreeClusters > got ? Vol->FreeClusters - got : 0;
    Vol->NextFree = Clusters[got - 1] + 1;
    *Got = got;
    return STATUS_SUCCESS;
}

/*
 * Allocates one cluster, marks it end-of-chain and links it after Previous (0: a new chain).
 * ZeroFill clears it through the cache (directories: stale bytes must not read as entries).
 */
NTSTATUS FatpAllocateCluster(PFAT_VOLUME Vol, ULONG Previous, BOOLEAN ZeroFill, PULONG Cluster)
{
    ULONG c, got;
    NTSTATUS st = FatpAllocateClusters(Vol, Previous, 1, &c, &got);
    if (!NT_SUCCESS(st)) return st;
    if (ZeroFill) {
        st = FatpZeroCluster(Vol, c);
        if (!NT_SUCCESS(st)) return st;
    }
    *Cluster = c;
    return STATUS_SUCCESS;
}

/* Frees the chain at First now: only for clusters no entry on disk can name. */
NTSTATUS FatpFreeChainNow(PFAT_VOLUME Vol, ULONG First)
{
    ULONG c = First, n = 0;
    while (c != 0 && FatpValidCluster(Vol, c) && n++ < Vol->ClusterCount) {
        ULONG v;
        NTSTATUS st = FatpGetFatEntry(Vol, c, &v);
        if (!NT_SUCCESS(st)) return st;
        if (v == FAT_CLUSTER_FREE) break;           /* already free: a damaged chain ends here */
        st = FatpSetFatEntry(Vol, c, FAT_CLUSTER_FREE);
        if (!NT_SUCCESS(st)) return st;
        Vol->FreeClusters++;
        if (c < Vol->NextFree) Vol->NextFree = c;
        c = FatpIsEoc(Vol, v) ? 0 : v;
    }
    return STATUS_SUCCESS;
}

/* Queues the chain at First to be freed by the next flush, after the directory entries that
 * stop naming it are on disk. Without memory for the queue, flushes and frees at once. */
NTSTATUS FatpFreeChainLater(PFAT_VOLUME Vol, ULONG First)
{
    if (First == 0) return STATUS_SUCCESS;
    if (Vol->PendingCount == Vol->PendingMax) {
        ULONG max = Vol->PendingMax ? Vol->PendingMax * 2 : 16;
        PULONG list = FatpAlloc(max * sizeof(ULONG));
        if (!list) {
            NTSTATUS st = FatpFlush(Vol);
            return NT_SUCCESS(st) ? FatpFreeChainNow(Vol, First) : st;
        }
        if (Vol->PendingCount) RtlCopyMemory(list, Vol->PendingFree, Vol->PendingCount * sizeof(ULONG));
        if (Vol->PendingFree) FatpFree(Vol->PendingFree);
        Vol->PendingFree = list;
        Vol->PendingMax = max;
    }
    Vol->PendingFree[Vol->PendingCount++] = First;
    return STATUS_SUCCESS;
}

NTSTATUS FatpApplyPendingFrees(PFAT_VOLUME Vol)
{
    while (Vol->PendingCount) {
        NTSTATUS st = FatpFreeChainNow(Vol, Vol->PendingFree[Vol->PendingCount - 1]);
        if (!NT_SUCCESS(st)) return st;
        Vol->PendingCount--;
    }
    return STATUS_SUCCESS;
}

/* Counts free clusters by reading the active FAT straight from the device (the FSInfo count is
 * only a hint); sets the next-free hint if FSInfo gave none. */
NTSTATUS FatpCountFreeClusters(PFAT_VOLUME Vol)
{
    ULONG bps = Vol->BytesPerSector, per = bps / (Vol->Fat32 ? 4 : 2);
    ULONG chunk = 8;
    PUCHAR buf = FatpAlloc((SIZE_T)chunk * bps);
    if (!buf) return STATUS_INSUFFICIENT_RESOURCES;
    ULONG free = 0, firstFree = 0, max = FatpMaxCluster(Vol);
    ULONG base = Vol->ReservedSectors + Vol->ActiveFat * Vol->FatSectors;
    ULONG sectors = (ULONG)(((ULONGLONG)max + 1 + per - 1) / per);
    NTSTATUS st = STATUS_SUCCESS;
    for (ULONG s = 0; s < sectors && NT_SUCCESS(st); s += chunk) {
        ULONG n = sectors - s < chunk ? sectors - s : chunk;
        st = FatpDeviceRead(Vol, base + s, n, buf);
        for (ULONG i = 0; NT_SUCCESS(st) && i < n * per; i++) {
            ULONG c = s * per + i;
            if (c < 2 || c > max) continue;
            PUCHAR p = buf + (SIZE_T)i * (Vol->Fat32 ? 4 : 2);
            ULONG v = Vol->Fat32 ? (p[0] | (ULONG)p[1] << 8 | (ULONG)p[2] << 16 | (ULONG)(p[3] & 0x0F) << 24)
                                 : (ULONG)(p[0] | p[1] << 8);
            if (v == 0) {
                free++;
                if (!firstFree) firstFree = c;
            }
        }
    }
    FatpFree(buf);
    if (!NT_SUCCESS(st)) return st;
    Vol->FreeClusters = free;
    if (!FatpValidCluster(Vol, Vol->NextFree)) Vol->NextFree = firstFree ? firstFree : 2;
    return STATUS_SUCCESS;
}
