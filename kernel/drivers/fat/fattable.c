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

NTSTATUS FatpGetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, PULONG Value)
{
    if (!FatpValidCluster(Vol, Cluster)) return STATUS_DISK_CORRUPT_ERROR;
    ULONG byte = Cluster * FatpEntryBytes(Vol);
    ULONG sector = Vol->ReservedSectors + Vol->ActiveFat * Vol->FatSectors + byte / Vol->BytesPerSector;
    PUCHAR data;
    NTSTATUS st = FatpCacheGet(Vol, sector, FatClean, FALSE, &data);
    if (!NT_SUCCESS(st)) return st;
    PUCHAR p = data + byte % Vol->BytesPerSector;
    if (Vol->Fat32) {
        *Value = (p[0] | (ULONG)p[1] << 8 | (ULONG)p[2] << 16 | (ULONG)p[3] << 24) & FAT32_MASK;
    } else {
        ULONG v = p[0] | (ULONG)p[1] << 8;
        /* Widen FAT16's special values to FAT32's so the rest of the core sees one format. */
        *Value = v >= 0xFFF7 ? v | 0x0FFF0000u : v;
    }
    return STATUS_SUCCESS;
}

/* Sets one entry in every FAT copy (or only the active one when mirroring is off). */
NTSTATUS FatpSetFatEntry(PFAT_VOLUME Vol, ULONG Cluster, ULONG Value)
{
    if (!FatpValidCluster(Vol, Cluster)) return STATUS_DISK_CORRUPT_ERROR;
    ULONG byte = Cluster * FatpEntryBytes(Vol);
    for (ULONG f = 0; f < Vol->NumFats; f++) {
        if (!Vol->MirrorFats && f != Vol->ActiveFat) continue;
        ULONG sector = Vol->ReservedSectors + f * Vol->FatSectors + byte / Vol->BytesPerSector;
        PUCHAR data;
        NTSTATUS st = FatpCacheGet(Vol, sector, FatTable, FALSE, &data);
        if (!NT_SUCCESS(st)) return st;
        PUCHAR p = data + byte % Vol->BytesPerSector;
        if (Vol->Fat32) {
            ULONG v = (Value & FAT32_MASK) | ((ULONG)(p[3] & 0xF0) << 24);  /* keep the top 4 bits */
            p[0] = (UCHAR)v; p[1] = (UCHAR)(v >> 8); p[2] = (UCHAR)(v >> 16); p[3] = (UCHAR)(v >> 24);
        } else {
            p[0] = (UCHAR)Value; p[1] = (UCHAR)(Value >> 8);
        }
    }
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
    ULONG n = 0, c = First, last = 0;
    if (c != 0 && !FatpValidCluster(Vol, c)) return STATUS_FILE_CORRUPT_ERROR;
    while (c != 0) {
        if (++n > Vol->ClusterCount) return STATUS_FILE_CORRUPT_ERROR;
        last = c;
        NTSTATUS st = FatpNextCluster(Vol, c, &c);
        if (!NT_SUCCESS(st)) return st;
    }
    *Length = n;
    *Last = last;
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

static NTSTATUS FatpFindFree(PFAT_VOLUME Vol, PULONG Cluster)
{
    ULONG start = FatpValidCluster(Vol, Vol->NextFree) ? Vol->NextFree : 2;
    ULONG c = start;
    for (ULONG n = 0; n < Vol->ClusterCount; n++) {
        ULONG v;
        NTSTATUS st = FatpGetFatEntry(Vol, c, &v);
        if (!NT_SUCCESS(st)) return st;
        if (v == FAT_CLUSTER_FREE) { *Cluster = c; return STATUS_SUCCESS; }
        c = c == FatpMaxCluster(Vol) ? 2 : c + 1;
    }
    return STATUS_DISK_FULL;
}

/*
 * Allocates one cluster, marks it end-of-chain and links it after Previous (0: a new chain).
 * When the volume is full but deleted files' clusters wait for a flush, flushes and retries.
 * ZeroFill clears it through the cache (directories: stale bytes must not read as entries).
 */
NTSTATUS FatpAllocateCluster(PFAT_VOLUME Vol, ULONG Previous, BOOLEAN ZeroFill, PULONG Cluster)
{
    ULONG c = 0;
    NTSTATUS st = Vol->FreeClusters ? FatpFindFree(Vol, &c) : STATUS_DISK_FULL;
    if (st == STATUS_DISK_FULL && Vol->PendingCount) {
        st = FatpFlush(Vol);
        if (NT_SUCCESS(st)) st = FatpFindFree(Vol, &c);
    }
    if (!NT_SUCCESS(st)) return st;
    st = FatpSetFatEntry(Vol, c, FAT32_EOC);
    if (NT_SUCCESS(st) && Previous) st = FatpSetFatEntry(Vol, Previous, c);
    if (!NT_SUCCESS(st)) return st;
    if (Vol->FreeClusters) Vol->FreeClusters--;
    Vol->NextFree = c + 1;
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
