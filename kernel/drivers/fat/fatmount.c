/*
 * fatmount.c - volumes: reading and checking the boot sector's BIOS parameter block (FAT type by
 * cluster count, as the specification defines it), the FAT32 FSInfo sector, the free-cluster
 * count (counted from the FAT at mount; FSInfo's copy is rewritten when it differs), the volume
 * label; FatMount, FatDismount, FatFlushVolume, FatQueryVolume.
 * Nothing read from the disk is trusted before it is range-checked: a bad boot sector gives
 * STATUS_UNRECOGNIZED_VOLUME (not FAT at all) or STATUS_DISK_CORRUPT_ERROR (FAT, inconsistent).
 */
#include "fatp.h"

#define FSINFO_LEAD_SIG   0x41615252u
#define FSINFO_STRUC_SIG  0x61417272u
#define FSINFO_TRAIL_SIG  0xAA550000u
#define FSINFO_UNKNOWN    0xFFFFFFFFu

static ULONG FatpLe16(const UCHAR *p) { return p[0] | (ULONG)p[1] << 8; }
static ULONG FatpLe32(const UCHAR *p) { return p[0] | (ULONG)p[1] << 8 | (ULONG)p[2] << 16 | (ULONG)p[3] << 24; }
static VOID FatpPut32(PUCHAR p, ULONG v)
{
    p[0] = (UCHAR)v; p[1] = (UCHAR)(v >> 8); p[2] = (UCHAR)(v >> 16); p[3] = (UCHAR)(v >> 24);
}
static BOOLEAN FatpPowerOfTwo(ULONG v) { return v && !(v & (v - 1)); }

/* Is this a FAT boot sector at all? (jump instruction, signature, sane sector size, media) */
static BOOLEAN FatpLooksLikeFat(const UCHAR *bs, ULONG SectorSize)
{
    ULONG bps = FatpLe16(bs + 11);
    if (bs[0] != 0xEB && bs[0] != 0xE9) return FALSE;
    if (bs[510] != 0x55 || bs[511] != 0xAA) return FALSE;
    if (bps != SectorSize || bps < 512 || bps > 4096 || !FatpPowerOfTwo(bps)) return FALSE;
    if (!FatpPowerOfTwo(bs[13]) || bs[16] == 0) return FALSE;       /* sectors per cluster, FATs */
    return bs[21] == 0xF0 || bs[21] >= 0xF8;                       /* media descriptor */
}

/* Fills the geometry from the BPB; every number is checked against the others and the device. */
static NTSTATUS FatpParseBpb(PFAT_VOLUME Vol, const UCHAR *bs)
{
    ULONG bps = FatpLe16(bs + 11), spc = bs[13], rsvd = FatpLe16(bs + 14), nfats = bs[16];
    ULONG rootEnt = FatpLe16(bs + 17), tot16 = FatpLe16(bs + 19), fat16 = FatpLe16(bs + 22);
    ULONG tot32 = FatpLe32(bs + 32), fat32 = FatpLe32(bs + 36);
    ULONG total = tot16 ? tot16 : tot32, fatSz = fat16 ? fat16 : fat32;
    if (rsvd == 0 || nfats > 4 || total == 0 || fatSz == 0) return STATUS_DISK_CORRUPT_ERROR;
    if ((ULONGLONG)spc * bps > 65536) return STATUS_DISK_CORRUPT_ERROR;
    if (total > Vol->Device.SectorCount) return STATUS_DISK_CORRUPT_ERROR;     /* truncated volume */
    ULONG rootSectors = (rootEnt * FAT_DIRENT_SIZE + bps - 1) / bps;
    ULONGLONG meta = (ULONGLONG)rsvd + (ULONGLONG)nfats * fatSz + rootSectors;
    if (meta >= total) return STATUS_DISK_CORRUPT_ERROR;
    ULONG clusters = (ULONG)((total - meta) / spc);
    if (clusters < 4085) return STATUS_UNRECOGNIZED_VOLUME;                   /* FAT12: not supported */
    BOOLEAN is32 = clusters >= 65525;
    if (is32 && (rootEnt != 0 || fat16 != 0 || tot16 != 0)) return STATUS_DISK_CORRUPT_ERROR;
    if (!is32 && (rootEnt == 0 || (rootEnt * FAT_DIRENT_SIZE) % bps)) return STATUS_DISK_CORRUPT_ERROR;
    if ((ULONGLONG)fatSz * bps < ((ULONGLONG)clusters + 2) * (is32 ? 4 : 2)) return STATUS_DISK_CORRUPT_ERROR;
    if (is32 && clusters > 0x0FFFFFF5u) return STATUS_DISK_CORRUPT_ERROR;
    Vol->Fat32 = is32;
    Vol->BytesPerSector = bps;
    Vol->SectorsPerCluster = spc;
    Vol->ClusterBytes = bps * spc;
    Vol->ReservedSectors = rsvd;
    Vol->NumFats = nfats;
    Vol->FatSectors = fatSz;
    Vol->RootEntryCount = rootEnt;
    Vol->RootDirSectors = rootSectors;
    Vol->RootDirFirstSector = rsvd + nfats * fatSz;
    Vol->FirstDataSector = (ULONG)meta;
    Vol->TotalSectors = total;
    Vol->ClusterCount = clusters;
    Vol->MirrorFats = TRUE;
    Vol->ActiveFat = 0;
    return STATUS_SUCCESS;
}

/* FAT32's extra fields: root cluster, version, FAT mirroring, FSInfo location. */
static NTSTATUS FatpParseFat32(PFAT_VOLUME Vol, const UCHAR *bs)
{
    ULONG extFlags = FatpLe16(bs + 40), version = FatpLe16(bs + 42), fsInfo = FatpLe16(bs + 48);
    Vol->RootCluster = FatpLe32(bs + 44);
    if (version != 0 || !FatpValidCluster(Vol, Vol->RootCluster)) return STATUS_DISK_CORRUPT_ERROR;
    if (extFlags & 0x80) {                         /* mirroring off: only the active FAT is used */
        Vol->MirrorFats = FALSE;
        Vol->ActiveFat = extFlags & 0x0F;
        if (Vol->ActiveFat >= Vol->NumFats) return STATUS_DISK_CORRUPT_ERROR;
    }
    Vol->FsInfoSector = fsInfo > 0 && fsInfo < Vol->ReservedSectors ? fsInfo : 0;
    return STATUS_SUCCESS;
}

/* Reads FSInfo; a missing or damaged one is ignored (it is only a hint) and never written. */
static NTSTATUS FatpReadFsInfo(PFAT_VOLUME Vol, PUCHAR Buffer)
{
    if (!Vol->FsInfoSector) return STATUS_SUCCESS;
    NTSTATUS st = FatpDeviceRead(Vol, Vol->FsInfoSector, 1, Buffer);
    if (!NT_SUCCESS(st)) return st;
    if (FatpLe32(Buffer) != FSINFO_LEAD_SIG || FatpLe32(Buffer + 484) != FSINFO_STRUC_SIG ||
        FatpLe32(Buffer + 508) != FSINFO_TRAIL_SIG)
        return STATUS_SUCCESS;
    Vol->FsInfoValid = TRUE;
    Vol->FsInfoFree = FatpLe32(Buffer + 488);
    Vol->FsInfoNext = FatpLe32(Buffer + 492);
    if (FatpValidCluster(Vol, Vol->FsInfoNext)) Vol->NextFree = Vol->FsInfoNext;
    return STATUS_SUCCESS;
}

/* Rewrites FSInfo when its free count or hint no longer match: last step of a flush. */
NTSTATUS FatpWriteFsInfo(PFAT_VOLUME Vol)
{
    if (!Vol->FsInfoValid) return STATUS_SUCCESS;
    if (Vol->FsInfoFree == Vol->FreeClusters && Vol->FsInfoNext == Vol->NextFree) return STATUS_SUCCESS;
    PUCHAR data;
    NTSTATUS st = FatpCacheGet(Vol, Vol->FsInfoSector, FatDirectory, FALSE, &data);
    if (!NT_SUCCESS(st)) return st;
    FatpPut32(data + 488, Vol->FreeClusters);
    FatpPut32(data + 492, Vol->NextFree);
    st = FatpCacheWriteClass(Vol, FatDirectory);
    if (!NT_SUCCESS(st)) return st;
    Vol->FsInfoFree = Vol->FreeClusters;
    Vol->FsInfoNext = Vol->NextFree;
    return STATUS_SUCCESS;
}

static VOID FatpSetLabel(PFAT_VOLUME Vol, const UCHAR *Label)
{
    ULONG n = 11;
    while (n > 0 && Label[n - 1] == ' ') n--;
    for (ULONG i = 0; i < n; i++) Vol->Label[i] = Label[i];
    Vol->Label[n] = 0;
    Vol->LabelLength = (USHORT)n;
}

/* The label: the root directory's volume-label entry if there is one, else the boot sector's. */
static NTSTATUS FatpReadLabel(PFAT_VOLUME Vol, const UCHAR *bs)
{
    const UCHAR *ext = bs + (Vol->Fat32 ? 64 : 36);            /* drive number, reserved, signature */
    if (ext[2] == 0x29) {
        Vol->SerialNumber = FatpLe32(ext + 3);
        if (RtlCompareMemory(ext + 7, "NO NAME    ", 11) != 11) FatpSetLabel(Vol, ext + 7);
    }
    FAT_DIR_CURSOR cur;
    FatpCursorInit(&cur, FatpRootDirCluster(Vol));
    for (ULONG off = 0; off < 64 * FAT_DIRENT_SIZE; off += FAT_DIRENT_SIZE) {
        FAT_DIRENT e;
        NTSTATUS st = FatpDirReadEntry(Vol, &cur, off, &e);
        if (st == STATUS_END_OF_FILE || (NT_SUCCESS(st) && e.Name[0] == FAT_DIRENT_END)) break;
        if (!NT_SUCCESS(st)) return st;
        if (e.Name[0] != FAT_DIRENT_FREE && (e.Attr & FAT_ATTR_LONG_MASK) == FAT_ATTR_VOLUME_ID) {
            FatpSetLabel(Vol, e.Name);
            break;
        }
    }
    return STATUS_SUCCESS;
}

static NTSTATUS FatpMountVolume(PFAT_VOLUME Vol, PUCHAR Sector)
{
    NTSTATUS st = Vol->Device.Read(Vol->Device.Context, 0, 1, Sector);
    if (!NT_SUCCESS(st)) return st;
    if (!FatpLooksLikeFat(Sector, Vol->Device.SectorSize)) return STATUS_UNRECOGNIZED_VOLUME;
    st = FatpParseBpb(Vol, Sector);
    if (NT_SUCCESS(st) && Vol->Fat32) st = FatpParseFat32(Vol, Sector);
    if (NT_SUCCESS(st)) st = FatpCacheInit(Vol, FAT_CACHE_SECTORS);
    if (!NT_SUCCESS(st)) return st;
    UCHAR boot[96];
    RtlCopyMemory(boot, Sector, sizeof boot);
    if (Vol->Fat32) st = FatpReadFsInfo(Vol, Sector);
    if (NT_SUCCESS(st)) st = FatpCountFreeClusters(Vol);
    ULONG length, last;
    if (NT_SUCCESS(st) && Vol->Fat32) {
        st = FatpWalkChain(Vol, Vol->RootCluster, &length, &last);
        if (st == STATUS_FILE_CORRUPT_ERROR) st = STATUS_DISK_CORRUPT_ERROR;
    }
    if (NT_SUCCESS(st)) st = FatpReadLabel(Vol, boot);
    return st;
}

NTSTATUS FatMount(const FAT_BLOCK_DEVICE *Device, PFAT_VOLUME *Volume)
{
    *Volume = NULL;
    if (!Device || !Device->Read || !Device->Write || Device->SectorSize < 512 || Device->SectorSize > 4096 ||
        !FatpPowerOfTwo(Device->SectorSize))
        return STATUS_INVALID_PARAMETER;
    PFAT_VOLUME vol = FatpAlloc(sizeof *vol);
    PUCHAR sector = FatpAlloc(Device->SectorSize);
    if (vol) RtlZeroMemory(vol, sizeof *vol);
    NTSTATUS st = vol && sector ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(st)) {
        vol->Device = *Device;
        InitializeListHead(&vol->FcbList);
        st = FatpMountVolume(vol, sector);
    }
    if (sector) FatpFree(sector);
    if (!NT_SUCCESS(st)) {
        if (vol) {
            FatpCacheFree(vol);
            FatpFree(vol);
        }
        return st;
    }
    *Volume = vol;
    return STATUS_SUCCESS;
}

NTSTATUS FatFlushVolume(PFAT_VOLUME Volume)
{
    return FatpFlush(Volume);
}

NTSTATUS FatDismount(PFAT_VOLUME Volume)
{
    if (Volume->OpenFiles) return STATUS_DEVICE_BUSY;
    NTSTATUS st = FatpFlush(Volume);
    while (!IsListEmpty(&Volume->FcbList)) {              /* none while no file is open; be safe */
        PLIST_ENTRY e = Volume->FcbList.Flink;
        RemoveEntryList(e);
        FatpFree(CONTAINING_RECORD(e, FAT_FCB, Link));
    }
    if (Volume->PendingFree) FatpFree(Volume->PendingFree);
    FatpCacheFree(Volume);
    FatpFree(Volume);
    return st;
}

NTSTATUS FatQueryVolume(PFAT_VOLUME Volume, FAT_VOLUME_INFO *Info)
{
    RtlZeroMemory(Info, sizeof *Info);
    Info->SerialNumber = Volume->SerialNumber;
    RtlCopyMemory(Info->Label, Volume->Label, sizeof Info->Label);
    Info->LabelLength = (USHORT)(Volume->LabelLength * sizeof(WCHAR));
    Info->BytesPerSector = Volume->BytesPerSector;
    Info->SectorsPerCluster = Volume->SectorsPerCluster;
    Info->TotalClusters = Volume->ClusterCount;
    Info->FreeClusters = Volume->FreeClusters;
    Info->Fat32 = Volume->Fat32;
    return STATUS_SUCCESS;
}
