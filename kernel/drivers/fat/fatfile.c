/*
 * fatfile.c - files: paths to directory entries, the file control blocks that open instances of
 * one file share (size, chain, times live there, so a write through one instance is seen by the
 * others), FatOpen with NT's dispositions, FatClose, and reading, writing and resizing file data.
 *
 * FatOpen's results: FILE_OPEN opens (missing: STATUS_OBJECT_NAME_NOT_FOUND); FILE_CREATE creates
 * (existing: STATUS_OBJECT_NAME_COLLISION); FILE_OPEN_IF opens or creates; FILE_OVERWRITE
 * truncates an existing file (missing: NOT_FOUND); FILE_OVERWRITE_IF and FILE_SUPERSEDE truncate
 * or create. Overwriting a read-only file: STATUS_ACCESS_DENIED; a directory:
 * STATUS_FILE_IS_A_DIRECTORY. FILE_DIRECTORY_FILE creates directories, allows only CREATE, OPEN
 * and OPEN_IF (else STATUS_INVALID_PARAMETER) and fails on a file with STATUS_NOT_A_DIRECTORY;
 * FILE_NON_DIRECTORY_FILE fails on a directory with STATUS_FILE_IS_A_DIRECTORY. A missing or
 * non-directory intermediate component: STATUS_OBJECT_PATH_NOT_FOUND.
 */
#include "fatp.h"

/* ---- Paths --------------------------------------------------------------------------------- */

/* Checks the path's syntax: "\" or "\name{\name}" with an optional trailing '\'. Returns in
 * *Units its length without that '\', and in *LastStart where its last component starts. */
static NTSTATUS FatpParsePath(PCUNICODE_STRING Path, PULONG Units, PULONG LastStart)
{
    if (!Path || !Path->Buffer || Path->Length < sizeof(WCHAR) || (Path->Length & 1))
        return STATUS_OBJECT_NAME_INVALID;
    ULONG n = Path->Length / sizeof(WCHAR);
    PCWSTR p = Path->Buffer;
    if (p[0] != '\\') return STATUS_OBJECT_NAME_INVALID;
    if (n > 1 && p[n - 1] == '\\') n--;
    ULONG start = 1;
    for (ULONG i = 1; i <= n; i++) {
        if (i < n && p[i] != '\\') continue;
        if (n > 1 && !FatpIsValidLongName(p + start, i - start)) return STATUS_OBJECT_NAME_INVALID;
        if (i < n) start = i + 1;
    }
    *Units = n;
    *LastStart = n == 1 ? 1 : start;
    return STATUS_SUCCESS;
}

/* ---- The walk memo (fatp.h) ------------------------------------------------------------------ */

static BOOLEAN FatpSameEntries(const UCHAR *Data, const FAT_DIRENT *Entries, ULONG Count)
{
    const ULONG *a = (const ULONG *)Data, *b = (const ULONG *)Entries;   /* both 4-byte aligned */
    for (ULONG i = 0; i < Count * FAT_DIRENT_SIZE / sizeof(ULONG); i++)
        if (a[i] != b[i]) return FALSE;
    return TRUE;
}

/* TRUE (and the directory) if Path[0..Length) is the path remembered and every step's entries
 * are still in place, byte for byte. */
static BOOLEAN FatpWalkMemoHit(PFAT_VOLUME Vol, PCWSTR Path, ULONG Length, PULONG DirCluster)
{
    FAT_WALK_MEMO *m = &Vol->Walk;
    if (m->PathLength == 0 || m->PathLength != Length) return FALSE;
    for (ULONG i = Length; i > 0; i--)             /* from the end: paths share their start */
        if (m->Path[i - 1] != Path[i - 1]) return FALSE;
    for (ULONG k = 0; k < m->Steps; k++) {
        const FAT_WALK_STEP *step = &m->Step[k];
        PUCHAR data;
        if (!NT_SUCCESS(FatpCacheGet(Vol, step->Sector, FatClean, FALSE, &data)) ||
            !FatpSameEntries(data + step->Byte, step->Entries, step->Count)) {
            m->PathLength = 0;
            return FALSE;
        }
    }
    *DirCluster = m->Step[m->Steps - 1].Cluster;
    return TRUE;
}

/* Remembers step Index of the walk now being made: the entries Item was found by. FALSE if they
 * cannot be remembered (too deep, too long a name, across two sectors). */
static BOOLEAN FatpWalkMemoStep(PFAT_VOLUME Vol, ULONG Index, const FAT_DIR_ITEM *Item, ULONG Cluster)
{
    ULONG bps = Vol->BytesPerSector, count = (Item->ShortOffset - Item->FirstOffset) / FAT_DIRENT_SIZE + 1;
    if (Index >= FAT_WALK_DEPTH || count > FAT_WALK_ENTRIES || Item->ShortSector == 0 ||
        Item->FirstOffset / bps != Item->ShortOffset / bps)
        return FALSE;
    FAT_WALK_STEP *step = &Vol->Walk.Step[Index];
    PUCHAR data;
    if (!NT_SUCCESS(FatpCacheGet(Vol, Item->ShortSector, FatClean, FALSE, &data))) return FALSE;
    step->Sector = Item->ShortSector;
    step->Byte = (USHORT)(Item->FirstOffset % bps);
    step->Count = (USHORT)count;
    step->Cluster = Cluster;
    RtlCopyMemory(step->Entries, data + step->Byte, count * FAT_DIRENT_SIZE);
    return TRUE;
}

/* Follows the components of Path[0..Length) (all directories) from the root; Item is scratch. */
static NTSTATUS FatpWalkWithItem(PFAT_VOLUME Vol, PCWSTR Path, ULONG Length, PULONG DirCluster, FAT_DIR_ITEM *item)
{
    ULONG dir = FatpRootDirCluster(Vol);
    if (Length > 1 && FatpWalkMemoHit(Vol, Path, Length, DirCluster)) return STATUS_SUCCESS;
    Vol->Walk.PathLength = 0;
    BOOLEAN memo = Length > 1 && Length <= FAT_WALK_PATH;
    NTSTATUS st = STATUS_SUCCESS;
    ULONG i = 1, steps = 0;
    while (i < Length && NT_SUCCESS(st)) {
        ULONG j = i;
        while (j < Length && Path[j] != '\\') j++;
        st = FatpDirLookup(Vol, dir, Path + i, j - i, item);
        if (st == STATUS_OBJECT_NAME_NOT_FOUND) st = STATUS_OBJECT_PATH_NOT_FOUND;
        else if (NT_SUCCESS(st) && !(item->Dirent.Attr & FAT_ATTR_DIRECTORY)) st = STATUS_OBJECT_PATH_NOT_FOUND;
        else if (NT_SUCCESS(st)) st = FatpCheckDirent(Vol, &item->Dirent);
        if (NT_SUCCESS(st)) dir = FatpDirentCluster(Vol, &item->Dirent);
        if (NT_SUCCESS(st) && memo) memo = FatpWalkMemoStep(Vol, steps++, item, dir);
        i = j + 1;
    }
    if (NT_SUCCESS(st) && memo) {
        RtlCopyMemory(Vol->Walk.Path, Path, Length * sizeof(WCHAR));
        Vol->Walk.Steps = (USHORT)steps;
        Vol->Walk.PathLength = (USHORT)Length;
    }
    *DirCluster = dir;
    return st;
}

NTSTATUS FatpWalkToDirectory(PFAT_VOLUME Vol, PCWSTR Path, ULONG Length, PULONG DirCluster)
{
    FAT_DIR_ITEM *item = FatpAlloc(sizeof *item);
    if (!item) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS st = FatpWalkWithItem(Vol, Path, Length, DirCluster, item);
    FatpFree(item);
    return st;
}

/* Index of the '\' before the last component of a path FatpParsePath accepted. */
NTSTATUS FatpSplitPath(PCUNICODE_STRING Path, PULONG ParentEnd)
{
    ULONG units, last;
    NTSTATUS st = FatpParsePath(Path, &units, &last);
    if (NT_SUCCESS(st)) *ParentEnd = last - 1;
    return st;
}

/* ---- File control blocks ------------------------------------------------------------------- */

PFAT_FCB FatpFindFcb(PFAT_VOLUME Vol, ULONG ParentCluster, ULONG ShortOffset)
{
    for (PLIST_ENTRY e = Vol->FcbList.Flink; e != &Vol->FcbList; e = e->Flink) {
        PFAT_FCB f = CONTAINING_RECORD(e, FAT_FCB, Link);
        if (!f->IsRoot && f->ParentCluster == ParentCluster && f->ShortOffset == ShortOffset) return f;
    }
    return NULL;
}

static PFAT_FCB FatpFindRootFcb(PFAT_VOLUME Vol)
{
    for (PLIST_ENTRY e = Vol->FcbList.Flink; e != &Vol->FcbList; e = e->Flink) {
        PFAT_FCB f = CONTAINING_RECORD(e, FAT_FCB, Link);
        if (f->IsRoot) return f;
    }
    return NULL;
}

/* A new FCB for an entry (or the root when Item is NULL); its chain is walked now, so a loop or
 * a chain too short for the size is found at open, not in the middle of a read. */
static NTSTATUS FatpCreateFcb(PFAT_VOLUME Vol, ULONG ParentCluster, const FAT_DIR_ITEM *Item, PFAT_FCB *Result)
{
    PFAT_FCB f = FatpAlloc(sizeof *f);
    if (!f) return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(f, FIELD_OFFSET(FAT_FCB, Name));     /* Name is read only up to NameLength */
    if (Item) {
        f->ParentCluster = ParentCluster;
        f->ShortOffset = Item->ShortOffset;
        f->FirstOffset = Item->FirstOffset;
        f->DirentSector = Item->ShortSector;
        f->Dirent = Item->Dirent;
        f->Directory = (Item->Dirent.Attr & FAT_ATTR_DIRECTORY) != 0;
        f->FirstCluster = FatpDirentCluster(Vol, &Item->Dirent);
        f->FileSize = f->Directory ? 0 : Item->Dirent.FileSize;
        f->NameLength = Item->NameLength;
        RtlCopyMemory(f->Name, Item->Name, Item->NameLength * sizeof(WCHAR));
    } else {
        f->IsRoot = f->Directory = TRUE;
        f->Dirent.Attr = FAT_ATTR_DIRECTORY;
        f->FirstCluster = FatpRootDirCluster(Vol);
    }
    NTSTATUS st = FatpWalkChainRun(Vol, f->FirstCluster, &f->ChainLength, &f->LastCluster, &f->RunLength);
    if (NT_SUCCESS(st) && !f->Directory &&
        (ULONGLONG)f->ChainLength * Vol->ClusterBytes < f->FileSize)
        st = STATUS_FILE_CORRUPT_ERROR;
    if (!NT_SUCCESS(st)) {
        FatpFree(f);
        return st;
    }
    InsertTailList(&Vol->FcbList, &f->Link);
    *Result = f;
    return STATUS_SUCCESS;
}

static NTSTATUS FatpReferenceFcb(PFAT_VOLUME Vol, ULONG ParentCluster, const FAT_DIR_ITEM *Item, PFAT_FCB *Result)
{
    PFAT_FCB f = Item ? FatpFindFcb(Vol, ParentCluster, Item->ShortOffset) : FatpFindRootFcb(Vol);
    if (!f) {
        NTSTATUS st = FatpCreateFcb(Vol, ParentCluster, Item, &f);
        if (!NT_SUCCESS(st)) return st;
    }
    f->OpenCount++;
    *Result = f;
    return STATUS_SUCCESS;
}

static VOID FatpReleaseFcb(PFAT_FCB Fcb)
{
    if (--Fcb->OpenCount) return;
    if (!Fcb->Deleted) RemoveEntryList(&Fcb->Link);
    FatpFree(Fcb);
}

/* Writes the FCB's short entry into its sector, found through the parent's chain only once. */
NTSTATUS FatpWriteDirent(PFAT_VOLUME Vol, PFAT_FCB Fcb)
{
    if (Fcb->IsRoot || Fcb->Deleted) return STATUS_SUCCESS;
    FatpDirentSetCluster(&Fcb->Dirent, Fcb->FirstCluster);
    Fcb->Dirent.FileSize = Fcb->Directory ? 0 : Fcb->FileSize;
    NTSTATUS st = STATUS_SUCCESS;
    if (Fcb->DirentSector == 0) st = FatpDirEntrySector(Vol, Fcb->ParentCluster, Fcb->ShortOffset, &Fcb->DirentSector);
    PUCHAR data;
    if (NT_SUCCESS(st)) st = FatpCacheGet(Vol, Fcb->DirentSector, FatDirectory, FALSE, &data);
    if (!NT_SUCCESS(st)) return st;
    RtlCopyMemory(data + Fcb->ShortOffset % Vol->BytesPerSector, &Fcb->Dirent, FAT_DIRENT_SIZE);
    return STATUS_SUCCESS;
}

/* ---- Clusters of a file -------------------------------------------------------------------- */

/* The cluster holding byte Vcn * ClusterBytes of the file, and how many clusters from there on
 * are contiguous on disk (at most Max), so a transfer can cover them in one request. */
static NTSTATUS FatpMapRun(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG Vcn, ULONG Max, PULONG Lcn, PULONG Run)
{
    FAT_SECTOR_REF ref;
    FatpRefInit(&ref);
    if (Vcn >= Fcb->ChainLength) return STATUS_FILE_CORRUPT_ERROR;
    if (Vcn < Fcb->RunLength) {                   /* in the leading run: no FAT to read */
        ULONG run = Fcb->RunLength - Vcn < Max ? Fcb->RunLength - Vcn : Max;
        *Lcn = Fcb->FirstCluster + Vcn;
        *Run = run ? run : 1;
        Fcb->HintVcn = Vcn + *Run - 1;
        Fcb->HintLcn = *Lcn + *Run - 1;
        return STATUS_SUCCESS;
    }
    if (Fcb->HintLcn == 0 || Vcn < Fcb->HintVcn) {
        Fcb->HintVcn = 0;
        Fcb->HintLcn = Fcb->FirstCluster;
    }
    while (Fcb->HintVcn < Vcn) {
        ULONG next;
        NTSTATUS st = FatpNextClusterRef(Vol, Fcb->HintLcn, &next, &ref);
        if (!NT_SUCCESS(st)) return st;
        if (next == 0) return STATUS_FILE_CORRUPT_ERROR;
        Fcb->HintLcn = next;
        Fcb->HintVcn++;
    }
    *Lcn = Fcb->HintLcn;
    ULONG run = 1;
    while (run < Max && Vcn + run < Fcb->ChainLength) {
        ULONG next;
        NTSTATUS st = FatpNextClusterRef(Vol, Fcb->HintLcn, &next, &ref);
        if (!NT_SUCCESS(st)) return st;
        if (next != Fcb->HintLcn + 1) break;
        Fcb->HintLcn = next;
        Fcb->HintVcn++;
        run++;
    }
    *Run = run;
    return STATUS_SUCCESS;
}

/* Appends clusters until the chain holds Clusters; on failure gives back what it took. */
static NTSTATUS FatpGrowChain(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG Clusters)
{
    ULONG oldLength = Fcb->ChainLength, oldLast = Fcb->LastCluster;
    NTSTATUS st = STATUS_SUCCESS;
    if (Clusters - oldLength > Vol->FreeClusters && !Vol->PendingCount) return STATUS_DISK_FULL;
    while (NT_SUCCESS(st) && Fcb->ChainLength < Clusters) {
        ULONG batch[FAT_ALLOC_BATCH], got;
        ULONG want = Clusters - Fcb->ChainLength < FAT_ALLOC_BATCH ? Clusters - Fcb->ChainLength : FAT_ALLOC_BATCH;
        st = FatpAllocateClusters(Vol, Fcb->LastCluster, want, batch, &got);
        if (!NT_SUCCESS(st)) break;
        if (Fcb->RunLength == Fcb->ChainLength) {  /* still one run: see how far it goes on */
            ULONG next = Fcb->ChainLength ? Fcb->LastCluster + 1 : batch[0], k = 0;
            while (k < got && batch[k] == next + k) k++;
            Fcb->RunLength += k;
        }
        if (Fcb->FirstCluster == 0) Fcb->FirstCluster = batch[0];
        Fcb->LastCluster = batch[got - 1];
        Fcb->ChainLength += got;
    }
    if (NT_SUCCESS(st) || Fcb->ChainLength == oldLength) return st;
    /* Nothing on disk names the new clusters yet: free them at once. */
    ULONG firstNew = oldLast;
    if (oldLast) {
        FatpNextCluster(Vol, oldLast, &firstNew);
        FatpSetFatEntry(Vol, oldLast, FAT32_EOC);
    } else {
        firstNew = Fcb->FirstCluster;
        Fcb->FirstCluster = 0;
    }
    FatpFreeChainNow(Vol, firstNew);
    Fcb->ChainLength = oldLength;
    Fcb->LastCluster = oldLast;
    if (Fcb->RunLength > oldLength) Fcb->RunLength = oldLength;
    Fcb->HintVcn = Fcb->HintLcn = 0;
    return st;
}

/* Cuts the chain to Clusters. The smaller size reaches the disk first (a flush), then the end
 * mark; the cut-off clusters are freed by the next flush. */
static NTSTATUS FatpShrinkChain(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG Clusters)
{
    NTSTATUS st = FatpWriteDirent(Vol, Fcb);
    if (NT_SUCCESS(st)) st = FatpFlush(Vol);
    if (!NT_SUCCESS(st)) return st;
    ULONG tail;
    if (Clusters == 0) {
        tail = Fcb->FirstCluster;
        Fcb->FirstCluster = Fcb->LastCluster = 0;
    } else {
        ULONG last, run;
        st = FatpMapRun(Vol, Fcb, Clusters - 1, 1, &last, &run);
        if (NT_SUCCESS(st)) st = FatpNextCluster(Vol, last, &tail);
        if (NT_SUCCESS(st)) st = FatpSetFatEntry(Vol, last, FAT32_EOC);
        if (!NT_SUCCESS(st)) return st;
        Fcb->LastCluster = last;
    }
    Fcb->ChainLength = Clusters;
    if (Fcb->RunLength > Clusters) Fcb->RunLength = Clusters;
    Fcb->HintVcn = Fcb->HintLcn = 0;
    st = FatpWriteDirent(Vol, Fcb);
    return NT_SUCCESS(st) ? FatpFreeChainLater(Vol, tail) : st;
}

static ULONG FatpClustersFor(PFAT_VOLUME Vol, ULONGLONG Bytes)
{
    return (ULONG)((Bytes + Vol->ClusterBytes - 1) / Vol->ClusterBytes);
}

/* ---- Data transfer ------------------------------------------------------------------------- */

static const UCHAR FatpZeroes[4096];

/* Moves Length bytes between Buffer and the file at Offset (inside the chain). Whole sectors go
 * through FatpCacheRead/WriteSectors in runs; partial ones through the cache. With Buffer NULL
 * on a write, writes zeroes. */
static NTSTATUS FatpTransfer(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG Offset, PUCHAR Buffer, ULONG Length, BOOLEAN Write)
{
    ULONG bps = Vol->BytesPerSector, cb = Vol->ClusterBytes;
    while (Length) {
        ULONG lcn, run;
        ULONG within = Offset % cb;
        NTSTATUS st = FatpMapRun(Vol, Fcb, Offset / cb, (within + Length + cb - 1) / cb, &lcn, &run);
        if (!NT_SUCCESS(st)) return st;
        ULONG sector = FatpClusterToSector(Vol, lcn) + within / bps;
        ULONG byte = Offset % bps;
        ULONG avail = run * cb - within;            /* bytes in this contiguous run */
        ULONG n;
        if (byte == 0 && Length >= bps) {
            ULONG sectors = (Length < avail ? Length : avail) / bps;
            if (!Buffer && sectors > sizeof FatpZeroes / bps) sectors = sizeof FatpZeroes / bps;
            n = sectors * bps;
            if (!Write) st = FatpCacheReadSectors(Vol, sector, sectors, Buffer);
            else st = FatpCacheWriteSectors(Vol, sector, sectors, Buffer ? Buffer : FatpZeroes);
        } else {
            PUCHAR data;
            n = bps - byte < Length ? bps - byte : Length;
            st = FatpCacheGet(Vol, sector, Write ? FatData : FatClean, FALSE, &data);
            if (NT_SUCCESS(st) && Write) RtlCopyMemory(data + byte, Buffer ? Buffer : FatpZeroes, n);
            else if (NT_SUCCESS(st)) RtlCopyMemory(Buffer, data + byte, n);
        }
        if (!NT_SUCCESS(st)) return st;
        Offset += n;
        Length -= n;
        if (Buffer) Buffer += n;
    }
    return STATUS_SUCCESS;
}

/* Sets the file's size: a longer file gets clusters and zeroes from the old end; a shorter one
 * gives clusters back. */
NTSTATUS FatpResize(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG NewSize)
{
    ULONG clusters = FatpClustersFor(Vol, NewSize);
    NTSTATUS st = STATUS_SUCCESS;
    if (NewSize > Fcb->FileSize) {
        if (clusters > Fcb->ChainLength) st = FatpGrowChain(Vol, Fcb, clusters);
        if (NT_SUCCESS(st)) st = FatpTransfer(Vol, Fcb, Fcb->FileSize, NULL, NewSize - Fcb->FileSize, TRUE);
        if (!NT_SUCCESS(st)) return st;
        Fcb->FileSize = NewSize;
    } else {
        Fcb->FileSize = NewSize;
        if (clusters < Fcb->ChainLength) st = FatpShrinkChain(Vol, Fcb, clusters);
        if (!NT_SUCCESS(st)) return st;
    }
    return FatpWriteDirent(Vol, Fcb);
}

/* ---- Open and close ------------------------------------------------------------------------ */

static ULONG FatpNewAttributes(ULONG FileAttributes, BOOLEAN Directory)
{
    return (FileAttributes & FAT_ATTR_SETTABLE) | (Directory ? FAT_ATTR_DIRECTORY : FAT_ATTR_ARCHIVE);
}

/* Creates Name in DirCluster: entries, and for a directory its first cluster with "." "..". */
static NTSTATUS FatpCreateFile(PFAT_VOLUME Vol, ULONG DirCluster, PCWSTR Name, ULONG Length,
                               BOOLEAN Directory, ULONG FileAttributes, FAT_DIR_ITEM *Item)
{
    FAT_DIRENT *d = &Item->Dirent;
    RtlZeroMemory(d, sizeof *d);
    d->Attr = (UCHAR)FatpNewAttributes(FileAttributes, Directory);
    FatpStampTimes(Vol, d, TRUE, TRUE, TRUE);
    ULONG cluster = 0;
    NTSTATUS st;
    if (Directory) {
        st = FatpAllocateCluster(Vol, 0, TRUE, &cluster);
        if (!NT_SUCCESS(st)) return st;
        FatpDirentSetCluster(d, cluster);
        st = FatpDirInitialize(Vol, cluster, DirCluster, d);
        if (!NT_SUCCESS(st)) { FatpFreeChainNow(Vol, cluster); return st; }
    }
    st = FatpDirCreateEntries(Vol, DirCluster, Name, Length, d, &Item->ShortOffset, &Item->FirstOffset,
                              &Item->ShortSector);
    if (!NT_SUCCESS(st)) {
        if (cluster) FatpFreeChainNow(Vol, cluster);
        return st;
    }
    RtlCopyMemory(Item->Name, Name, Length * sizeof(WCHAR));
    Item->NameLength = (USHORT)Length;
    return STATUS_SUCCESS;
}

/* FILE_SUPERSEDE / FILE_OVERWRITE(_IF) on an existing file. */
static NTSTATUS FatpOverwrite(PFAT_VOLUME Vol, PFAT_FCB Fcb, ULONG FileAttributes)
{
    if (Fcb->Directory) return STATUS_FILE_IS_A_DIRECTORY;
    if (Fcb->Dirent.Attr & FAT_ATTR_READONLY) return STATUS_ACCESS_DENIED;
    NTSTATUS st = FatpResize(Vol, Fcb, 0);
    if (!NT_SUCCESS(st)) return st;
    Fcb->Dirent.Attr = (UCHAR)FatpNewAttributes(FileAttributes, FALSE);
    FatpStampTimes(Vol, &Fcb->Dirent, FALSE, TRUE, TRUE);
    return FatpWriteDirent(Vol, Fcb);
}

/* Opens or creates the last component of a parsed path in its parent; returns a referenced FCB. */
static NTSTATUS FatpOpenEntry(PFAT_VOLUME Vol, PCWSTR Path, ULONG Units, ULONG LastStart, ULONG Disposition,
                              ULONG Options, ULONG FileAttributes, PFAT_FCB *Fcb, PULONG_PTR Information)
{
    ULONG dir;
    FAT_DIR_ITEM *item = FatpAlloc(sizeof *item);
    if (!item) return STATUS_INSUFFICIENT_RESOURCES;
    PCWSTR name = Path + LastStart;
    ULONG length = Units - LastStart;
    NTSTATUS st = FatpWalkWithItem(Vol, Path, LastStart - 1, &dir, item);
    if (!NT_SUCCESS(st)) {
        FatpFree(item);
        return st;
    }
    st = FatpDirLookup(Vol, dir, name, length, item);
    if (NT_SUCCESS(st)) {
        BOOLEAN isDir = (item->Dirent.Attr & FAT_ATTR_DIRECTORY) != 0;
        st = FatpCheckDirent(Vol, &item->Dirent);
        if (NT_SUCCESS(st) && (Options & FILE_DIRECTORY_FILE) && !isDir) st = STATUS_NOT_A_DIRECTORY;
        if (NT_SUCCESS(st) && (Options & FILE_NON_DIRECTORY_FILE) && isDir) st = STATUS_FILE_IS_A_DIRECTORY;
        if (NT_SUCCESS(st) && Disposition == FILE_CREATE) st = STATUS_OBJECT_NAME_COLLISION;
        if (NT_SUCCESS(st)) st = FatpReferenceFcb(Vol, dir, item, Fcb);
        if (NT_SUCCESS(st) && Disposition != FILE_OPEN && Disposition != FILE_OPEN_IF) {
            st = FatpOverwrite(Vol, *Fcb, FileAttributes);
            if (!NT_SUCCESS(st)) FatpReleaseFcb(*Fcb);
            *Information = Disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
        } else {
            *Information = FILE_OPENED;
        }
    } else if (st == STATUS_OBJECT_NAME_NOT_FOUND && Disposition != FILE_OPEN && Disposition != FILE_OVERWRITE) {
        st = FatpCreateFile(Vol, dir, name, length, (Options & FILE_DIRECTORY_FILE) != 0, FileAttributes, item);
        if (NT_SUCCESS(st)) st = FatpReferenceFcb(Vol, dir, item, Fcb);
        *Information = FILE_CREATED;
    }
    FatpFree(item);
    return st;
}

NTSTATUS FatOpen(PFAT_VOLUME Volume, PCUNICODE_STRING Path, ULONG Disposition, ULONG Options,
                 ULONG FileAttributes, PFAT_FILE *File, PULONG_PTR Information)
{
    ULONG_PTR info = 0;
    *File = NULL;
    if (Disposition > FILE_OVERWRITE_IF) return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DIRECTORY_FILE) && (Options & FILE_NON_DIRECTORY_FILE)) return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DIRECTORY_FILE) && Disposition != FILE_CREATE && Disposition != FILE_OPEN &&
        Disposition != FILE_OPEN_IF)
        return STATUS_INVALID_PARAMETER;
    ULONG units, last;
    NTSTATUS st = FatpParsePath(Path, &units, &last);
    if (!NT_SUCCESS(st)) return st;
    PFAT_FILE file = FatpAlloc(sizeof *file);
    if (!file) return STATUS_INSUFFICIENT_RESOURCES;
    PFAT_FCB fcb = NULL;
    if (units == 1) {                                   /* the root directory */
        if (Options & FILE_NON_DIRECTORY_FILE) st = STATUS_FILE_IS_A_DIRECTORY;
        else if (Disposition == FILE_CREATE) st = STATUS_OBJECT_NAME_COLLISION;
        else if (Disposition != FILE_OPEN && Disposition != FILE_OPEN_IF) st = STATUS_FILE_IS_A_DIRECTORY;
        else st = FatpReferenceFcb(Volume, 0, NULL, &fcb);
        info = FILE_OPENED;
    } else {
        st = FatpOpenEntry(Volume, Path->Buffer, units, last, Disposition, Options, FileAttributes, &fcb, &info);
    }
    if (!NT_SUCCESS(st)) {
        FatpFree(file);
        return st;
    }
    file->Volume = Volume;
    file->Fcb = fcb;
    file->Written = info != FILE_OPENED;         /* a created or truncated file reaches the disk at close */
    Volume->OpenFiles++;
    *File = file;
    if (Information) *Information = info;
    return STATUS_SUCCESS;
}

VOID FatClose(PFAT_FILE File)
{
    if (!File) return;
    PFAT_VOLUME vol = File->Volume;
    if (File->Written) FatpFlush(vol);       /* nobody to report a failure to; the data stays dirty */
    FatpReleaseFcb(File->Fcb);
    vol->OpenFiles--;
    FatpFree(File);
}

ULONG FatQueryOpenCount(PFAT_FILE File) { return File->Fcb->OpenCount; }
ULONG FatQueryVolumeOpenFiles(PFAT_VOLUME Volume) { return Volume->OpenFiles; }

/* ---- Read, write, size ---------------------------------------------------------------------- */

static NTSTATUS FatpCheckData(PFAT_FCB Fcb)
{
    if (Fcb->Deleted) return STATUS_FILE_DELETED;
    return Fcb->Directory ? STATUS_FILE_IS_A_DIRECTORY : STATUS_SUCCESS;
}

NTSTATUS FatRead(PFAT_FILE File, ULONGLONG Offset, PVOID Buffer, ULONG Length, PULONG BytesRead)
{
    PFAT_FCB fcb = File->Fcb;
    *BytesRead = 0;
    NTSTATUS st = FatpCheckData(fcb);
    if (!NT_SUCCESS(st) || Length == 0) return st;
    if (Offset >= fcb->FileSize) return STATUS_END_OF_FILE;
    ULONG n = fcb->FileSize - (ULONG)Offset < Length ? fcb->FileSize - (ULONG)Offset : Length;
    st = FatpTransfer(File->Volume, fcb, (ULONG)Offset, Buffer, n, FALSE);
    if (!NT_SUCCESS(st)) return st;
    *BytesRead = n;
    /* FAT keeps only the date of the last access: the entry changes once a day at most. */
    USHORT access = fcb->Dirent.LstAccDate;
    FatpStampTimes(File->Volume, &fcb->Dirent, FALSE, FALSE, TRUE);
    if (fcb->Dirent.LstAccDate != access) FatpWriteDirent(File->Volume, fcb);
    return STATUS_SUCCESS;
}

NTSTATUS FatWrite(PFAT_FILE File, ULONGLONG Offset, const VOID *Buffer, ULONG Length, PULONG BytesWritten)
{
    PFAT_VOLUME vol = File->Volume;
    PFAT_FCB fcb = File->Fcb;
    *BytesWritten = 0;
    NTSTATUS st = FatpCheckData(fcb);
    if (!NT_SUCCESS(st) || Length == 0) return st;
    if (Offset + Length > FAT_MAX_FILE_SIZE) return STATUS_DISK_FULL;
    ULONG end = (ULONG)(Offset + Length);
    if (end > fcb->FileSize) {
        /* The hole between the old end and Offset reads as zeroes; the rest is the data. */
        ULONG clusters = FatpClustersFor(vol, end);
        if (clusters > fcb->ChainLength) st = FatpGrowChain(vol, fcb, clusters);
        if (NT_SUCCESS(st) && Offset > fcb->FileSize)
            st = FatpTransfer(vol, fcb, fcb->FileSize, NULL, (ULONG)Offset - fcb->FileSize, TRUE);
        if (!NT_SUCCESS(st)) return st;
    }
    st = FatpTransfer(vol, fcb, (ULONG)Offset, (PUCHAR)Buffer, Length, TRUE);
    if (!NT_SUCCESS(st)) return st;
    if (end > fcb->FileSize) fcb->FileSize = end;
    fcb->Dirent.Attr |= FAT_ATTR_ARCHIVE;
    FatpStampTimes(vol, &fcb->Dirent, FALSE, TRUE, TRUE);
    File->Written = TRUE;
    *BytesWritten = Length;
    return FatpWriteDirent(vol, fcb);
}

NTSTATUS FatSetEndOfFile(PFAT_FILE File, ULONGLONG Size)
{
    PFAT_FCB fcb = File->Fcb;
    NTSTATUS st = FatpCheckData(fcb);
    if (!NT_SUCCESS(st)) return st;
    if (Size > FAT_MAX_FILE_SIZE) return STATUS_DISK_FULL;
    if (Size == fcb->FileSize) return STATUS_SUCCESS;
    fcb->Dirent.Attr |= FAT_ATTR_ARCHIVE;
    FatpStampTimes(File->Volume, &fcb->Dirent, FALSE, TRUE, TRUE);
    File->Written = TRUE;
    return FatpResize(File->Volume, fcb, (ULONG)Size);
}
