/*
 * fatdir.c - directories as arrays of 32-byte entries: reaching an entry through the directory's
 * cluster chain (or FAT16's fixed root region), walking the files with their VFAT long names
 * (checked by ordinal and checksum), lookup by long or short name, choosing a unique short name,
 * adding a file's entries (growing the directory by a cluster when full), removing them, and the
 * "." and ".." entries of a new directory.
 */
#include "fatp.h"

ULONG FatpDirentCluster(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent)
{
    return (Vol->Fat32 ? (ULONG)Dirent->FstClusHi << 16 : 0) | Dirent->FstClusLo;
}

VOID FatpDirentSetCluster(FAT_DIRENT *Dirent, ULONG Cluster)
{
    Dirent->FstClusHi = (USHORT)(Cluster >> 16);
    Dirent->FstClusLo = (USHORT)Cluster;
}

/* An entry the core may open: its first cluster inside the volume, a directory with clusters, a
 * file with clusters if it has bytes. */
NTSTATUS FatpCheckDirent(PFAT_VOLUME Vol, const FAT_DIRENT *Dirent)
{
    ULONG c = FatpDirentCluster(Vol, Dirent);
    if (c != 0 && !FatpValidCluster(Vol, c)) return STATUS_FILE_CORRUPT_ERROR;
    if (Dirent->Attr & FAT_ATTR_DIRECTORY) return c ? STATUS_SUCCESS : STATUS_FILE_CORRUPT_ERROR;
    return c || Dirent->FileSize == 0 ? STATUS_SUCCESS : STATUS_FILE_CORRUPT_ERROR;
}

VOID FatpCursorInit(FAT_DIR_CURSOR *Cursor, ULONG DirCluster)
{
    Cursor->DirCluster = DirCluster;
    Cursor->Vcn = 0;
    Cursor->Lcn = DirCluster;
}

/* The sector and byte holding the entry at Offset; STATUS_END_OF_FILE past the directory's end.
 * The cursor remembers the cluster reached, so a forward scan follows each link once. */
static NTSTATUS FatpDirLocate(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, PULONG Sector, PULONG Byte)
{
    if (Offset >= FAT_MAX_DIR_BYTES) return STATUS_END_OF_FILE;
    *Byte = Offset % Vol->BytesPerSector;
    if (Cursor->DirCluster == 0) {
        if (Offset >= Vol->RootEntryCount * FAT_DIRENT_SIZE) return STATUS_END_OF_FILE;
        *Sector = Vol->RootDirFirstSector + Offset / Vol->BytesPerSector;
        return STATUS_SUCCESS;
    }
    ULONG vcn = Offset / Vol->ClusterBytes;
    if (vcn < Cursor->Vcn || Cursor->Lcn == 0) {
        Cursor->Vcn = 0;
        Cursor->Lcn = Cursor->DirCluster;
    }
    FAT_SECTOR_REF ref;
    FatpRefInit(&ref);
    while (Cursor->Vcn < vcn) {
        ULONG next;
        NTSTATUS st = FatpNextClusterRef(Vol, Cursor->Lcn, &next, &ref);
        if (!NT_SUCCESS(st)) return st;
        if (next == 0) return STATUS_END_OF_FILE;
        Cursor->Lcn = next;
        Cursor->Vcn++;
    }
    *Sector = FatpClusterToSector(Vol, Cursor->Lcn) + (Offset % Vol->ClusterBytes) / Vol->BytesPerSector;
    return STATUS_SUCCESS;
}

NTSTATUS FatpDirReadEntry(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, FAT_DIRENT *Entry)
{
    ULONG sector, byte;
    PUCHAR data;
    NTSTATUS st = FatpDirLocate(Vol, Cursor, Offset, &sector, &byte);
    if (NT_SUCCESS(st)) st = FatpCacheGet(Vol, sector, FatClean, FALSE, &data);
    if (NT_SUCCESS(st)) RtlCopyMemory(Entry, data + byte, FAT_DIRENT_SIZE);
    return st;
}

static NTSTATUS FatpDirWriteEntryAt(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, const VOID *Entry,
                                    PULONG Sector)
{
    ULONG sector, byte;
    PUCHAR data;
    NTSTATUS st = FatpDirLocate(Vol, Cursor, Offset, &sector, &byte);
    if (NT_SUCCESS(st)) st = FatpCacheGet(Vol, sector, FatDirectory, FALSE, &data);
    if (NT_SUCCESS(st)) RtlCopyMemory(data + byte, Entry, FAT_DIRENT_SIZE);
    if (NT_SUCCESS(st) && Sector) *Sector = sector;
    return st;
}

NTSTATUS FatpDirWriteEntry(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, ULONG Offset, const VOID *Entry)
{
    return FatpDirWriteEntryAt(Vol, Cursor, Offset, Entry, NULL);
}

/* The sector holding the entry at Offset of the directory. */
NTSTATUS FatpDirEntrySector(PFAT_VOLUME Vol, ULONG DirCluster, ULONG Offset, PULONG Sector)
{
    FAT_DIR_CURSOR cur;
    ULONG byte;
    FatpCursorInit(&cur, DirCluster);
    return FatpDirLocate(Vol, &cur, Offset, Sector, &byte);
}

/*
 * A forward scan of a directory's entries that looks at a whole sector's entries per cache
 * lookup, instead of locating and copying each 32-byte entry. Entry points into the cached
 * sector at the entry at Offset, and Left entries of that sector are mapped (0: map on the next
 * FatpScanEntry). The mapping is only good until the next call into the cache, so a scan's
 * steps do not call the cache between them (or set Left to 0 first).
 */
typedef struct _FAT_DIR_SCAN {
    FAT_DIR_CURSOR Cursor;
    ULONG Offset;
    const FAT_DIRENT *Entry;
    ULONG Left;
    ULONG Sector;                 /* the sector mapped (Left > 0, or the last one mapped) */
    ULONG FirstFree;              /* the first deleted entry FatpDirWalk passed, or ~0 */
    FAT_DIR_CURSOR FreeCursor;    /* the cursor there */
} FAT_DIR_SCAN;

/* Starts at Offset; an offset in the middle of an entry goes on at the next entry. */
static VOID FatpScanInit(FAT_DIR_SCAN *Scan, ULONG DirCluster, ULONG Offset)
{
    FatpCursorInit(&Scan->Cursor, DirCluster);
    Scan->Offset = (Offset + FAT_DIRENT_SIZE - 1) & ~(FAT_DIRENT_SIZE - 1);
    Scan->Entry = NULL;
    Scan->Left = 0;
    Scan->Sector = 0;
    Scan->FirstFree = ~0u;
}

/* Maps the sector holding the entry at Scan->Offset; STATUS_END_OF_FILE past the directory's end. */
static NTSTATUS FatpScanMap(PFAT_VOLUME Vol, FAT_DIR_SCAN *Scan)
{
    ULONG sector, byte;
    PUCHAR data;
    NTSTATUS st = FatpDirLocate(Vol, &Scan->Cursor, Scan->Offset, &sector, &byte);
    if (NT_SUCCESS(st)) st = FatpCacheGet(Vol, sector, FatClean, FALSE, &data);
    if (!NT_SUCCESS(st)) return st;
    Scan->Entry = (const FAT_DIRENT *)(data + byte);
    Scan->Left = (Vol->BytesPerSector - byte) / FAT_DIRENT_SIZE;   /* >= 1: byte is aligned */
    Scan->Sector = sector;
    return STATUS_SUCCESS;
}

/* The entry at Scan->Offset; STATUS_END_OF_FILE past the directory's end. Inline: a scan takes
 * this step for every entry, and maps a sector only every BytesPerSector / 32 of them. */
static inline NTSTATUS FatpScanEntry(PFAT_VOLUME Vol, FAT_DIR_SCAN *Scan, const FAT_DIRENT **Entry)
{
    if (Scan->Left == 0) {
        NTSTATUS st = FatpScanMap(Vol, Scan);
        if (!NT_SUCCESS(st)) return st;
    }
    *Entry = Scan->Entry;
    return STATUS_SUCCESS;
}

static inline VOID FatpScanAdvance(FAT_DIR_SCAN *Scan)
{
    Scan->Entry++;
    Scan->Left--;
    Scan->Offset += FAT_DIRENT_SIZE;
}

/* Long-name assembly state while walking entries. */
typedef struct _FAT_LFN_STATE {
    ULONG Next;                   /* ordinal expected next; 0 when a complete name is held */
    BOOLEAN Active;
    UCHAR Checksum;
    ULONG FirstOffset, Units;
    WCHAR Buffer[20 * FAT_LFN_CHARS];
} FAT_LFN_STATE;

static VOID FatpLfnTake(FAT_LFN_STATE *s, const FAT_LFN_ENTRY *e, ULONG Offset)
{
    ULONG ord = e->Ord & 0x3F;
    if (e->Ord & FAT_LFN_LAST) {
        if (ord < 1 || ord > 20) { s->Active = FALSE; return; }
        s->Active = TRUE;
        s->Checksum = e->Checksum;
        s->FirstOffset = Offset;
        s->Units = ord * FAT_LFN_CHARS;
    } else if (!s->Active || ord != s->Next || e->Checksum != s->Checksum) {
        s->Active = FALSE;
        return;
    }
    WCHAR *p = s->Buffer + (ord - 1) * FAT_LFN_CHARS;
    for (ULONG i = 0; i < 5; i++) p[i] = e->Name1[i];
    for (ULONG i = 0; i < 6; i++) p[5 + i] = e->Name2[i];
    for (ULONG i = 0; i < 2; i++) p[11 + i] = e->Name3[i];
    s->Next = ord - 1;
}

/* Length of the held long name if it belongs to Short, else 0. */
static ULONG FatpLfnComplete(FAT_LFN_STATE *s, const UCHAR Short[11])
{
    if (!s->Active || s->Next != 0 || s->Checksum != FatpLfnChecksum(Short)) return 0;
    ULONG n = 0;
    while (n < s->Units && s->Buffer[n] != 0) n++;
    return n <= FAT_MAX_NAME ? n : 0;
}

/*
 * Walks to the next file or directory at or after Scan->Offset ("." "..", labels, deleted
 * entries and stray long-name entries skipped): *Short points at its short entry in the cache
 * (good until the next call into the cache), Lfn holds the long-name entries just before it
 * (FatpLfnComplete says whether they form its name). On return Scan->Offset is just past the
 * short entry. STATUS_NO_MORE_FILES at the end. Nothing is copied or formatted here, so a
 * lookup pays for names only on the entries it compares.
 */
static inline __attribute__((always_inline)) NTSTATUS FatpDirWalk(PFAT_VOLUME Vol, FAT_DIR_SCAN *Scan,
                                                                  FAT_LFN_STATE *Lfn, const FAT_DIRENT **Short)
{
    /* The position lives in locals while the walk stays in one sector (a lookup inlines this
     * loop and runs it for every entry), and goes back to Scan whenever anything else sees it. */
    const FAT_DIRENT *e = Scan->Entry;
    ULONG left = Scan->Left, offset = Scan->Offset;
    Lfn->Active = FALSE;
    for (;; e++, left--, offset += FAT_DIRENT_SIZE) {
        if (left == 0) {
            Scan->Offset = offset;
            NTSTATUS st = FatpScanMap(Vol, Scan);
            if (st == STATUS_END_OF_FILE) return STATUS_NO_MORE_FILES;
            if (!NT_SUCCESS(st)) return st;
            e = Scan->Entry;
            left = Scan->Left;
        }
        if (e->Name[0] == FAT_DIRENT_END) break;
        if (e->Name[0] == FAT_DIRENT_FREE) {
            if (Scan->FirstFree == ~0u) {
                Scan->FirstFree = offset;
                Scan->FreeCursor = Scan->Cursor;
            }
            Lfn->Active = FALSE;
            continue;
        }
        if ((e->Attr & FAT_ATTR_LONG_MASK) == FAT_ATTR_LONG_NAME) {
            FatpLfnTake(Lfn, (const FAT_LFN_ENTRY *)e, offset);
            continue;
        }
        if ((e->Attr & FAT_ATTR_VOLUME_ID) || e->Name[0] == '.') { Lfn->Active = FALSE; continue; }
        *Short = e;
        Scan->Entry = e + 1;                       /* just past the short entry */
        Scan->Left = left - 1;
        Scan->Offset = offset + FAT_DIRENT_SIZE;
        return STATUS_SUCCESS;
    }
    Scan->Entry = e;                               /* at the end mark */
    Scan->Left = left;
    Scan->Offset = offset;
    return STATUS_NO_MORE_FILES;
}

/* Fills in Item for the short entry FatpDirWalk found at ShortOffset. */
static VOID FatpFillItem(FAT_DIR_ITEM *Item, const FAT_DIRENT *Short, FAT_LFN_STATE *Lfn, const FAT_DIR_SCAN *Scan)
{
    Item->Dirent = *Short;
    Item->ShortOffset = Scan->Offset - FAT_DIRENT_SIZE;    /* the walk stopped just past it */
    Item->ShortSector = Scan->Sector;                       /* still mapped: it holds Short */
    Item->ShortLength = FatpFormatShortName(Item->Dirent.Name, Item->Dirent.NtCase, Item->ShortName);
    ULONG n = FatpLfnComplete(Lfn, Item->Dirent.Name);
    if (n) {
        RtlCopyMemory(Item->Name, Lfn->Buffer, n * sizeof(WCHAR));
        Item->NameLength = (USHORT)n;
        Item->FirstOffset = Lfn->FirstOffset;
    } else {
        RtlCopyMemory(Item->Name, Item->ShortName, (Item->ShortLength + 1) * sizeof(WCHAR));
        Item->NameLength = Item->ShortLength;
        Item->FirstOffset = Item->ShortOffset;
    }
    Item->Name[Item->NameLength] = 0;
}

NTSTATUS FatpDirNext(PFAT_VOLUME Vol, FAT_DIR_CURSOR *Cursor, PULONG Offset, FAT_DIR_ITEM *Item)
{
    FAT_DIR_SCAN scan;
    FAT_LFN_STATE lfn;
    FatpScanInit(&scan, Cursor->DirCluster, *Offset);
    scan.Cursor = *Cursor;                    /* the cluster the caller's scan has reached */
    const FAT_DIRENT *e;
    NTSTATUS st = FatpDirWalk(Vol, &scan, &lfn, &e);
    *Cursor = scan.Cursor;
    if (st == STATUS_SUCCESS) {
        *Offset = scan.Offset;
        FatpFillItem(Item, e, &lfn, &scan);
    }
    return st;
}

/*
 * A name as the 11 bytes of a short entry ("README.TXT" -> "README  TXT"), when it has that form:
 * a base of 1-8 and an optional extension of 1-3 characters from U+0021..U+00FF other than '.'.
 * Most entries of a directory are told apart from it by these bytes, four at a time
 * (FatpShortMatches); only the few an exact compare cannot judge take FatpShortNameEquals.
 */
typedef struct _FAT_SHORT_KEY {
    BOOLEAN Valid, HasExt;
    ULONG Words[3];               /* the 11 bytes, little-endian; the top byte of Words[2] is 0 */
} FAT_SHORT_KEY;

static VOID FatpMakeShortKey(PCWSTR Upcased, ULONG Length, FAT_SHORT_KEY *Key)
{
    UCHAR bytes[12];
    ULONG dot = Length;
    Key->Valid = Key->HasExt = FALSE;
    for (ULONG i = 0; i < Length; i++) {
        if (Upcased[i] == '.' && dot == Length) dot = i;
        else if (Upcased[i] <= ' ' || Upcased[i] > 0xFF || Upcased[i] == '.') return;
    }
    ULONG ext = dot == Length ? 0 : Length - dot - 1;
    if (dot < 1 || dot > 8 || ext > 3 || (dot != Length && ext == 0)) return;
    RtlFillMemory(bytes, 11, ' ');
    bytes[11] = 0;
    for (ULONG i = 0; i < dot; i++) bytes[i] = (UCHAR)Upcased[i];
    for (ULONG i = 0; i < ext; i++) bytes[8 + i] = (UCHAR)Upcased[dot + 1 + i];
    __builtin_memcpy(Key->Words, bytes, sizeof Key->Words);
    Key->HasExt = ext != 0;
    Key->Valid = TRUE;
}

/* FALSE if word S of an entry cannot show word K of the key: a byte differs and is below 0x61. */
static inline BOOLEAN FatpWordMayMatch(ULONG S, ULONG K)
{
    ULONG x = S ^ K;
    ULONG d = (((x & 0x7F7F7F7Fu) + 0x7F7F7F7Fu) | x) & 0x80808080u;
    ULONG h = (S | (S + 0x1F1F1F1Fu)) & 0x80808080u;
    return (d & ~h) == 0;
}

/*
 * Whether Short shows the key's name (FatpShortNameEquals with Upcased, the same name) but for
 * case. If Short does, each of its bytes equals the key's or is one an upcase could turn into it
 * (0x61 and above), given a plain layout: Short[0] not 0x05 (shown as 0xE5), and an extension
 * whenever the name has one (else a '.' inside the stored base might show the name's dot). So an
 * entry whose bytes all agree matches; one with a differing byte below 0x61 does not; the rest,
 * and the unusual layouts, are compared in full. Per word: d has the top bit of each differing
 * byte, h that of each byte of Short at or above 0x61 (x | (x + 0x1F); a carry between bytes can
 * only set more bits, which sends an entry to the full compare, never wrongly away).
 */
static BOOLEAN FatpShortMatches(const UCHAR Short[11], const FAT_SHORT_KEY *Key, PCWSTR Upcased, ULONG Length)
{
    if (!Key->Valid) return Length <= FAT_SHORT_NAME_CHARS && FatpShortNameEquals(Short, Upcased, Length);
    if (Short[0] == 0x05 || (Key->HasExt && Short[8] == ' ' && Short[9] == ' ' && Short[10] == ' '))
        return FatpShortNameEquals(Short, Upcased, Length);
    ULONG w0, w1, w2;
    __builtin_memcpy(&w1, Short + 4, 4);          /* the middle first: names often share a start */
    if (w1 != Key->Words[1] && !FatpWordMayMatch(w1, Key->Words[1])) return FALSE;
    __builtin_memcpy(&w0, Short, 4);
    if (w0 != Key->Words[0] && !FatpWordMayMatch(w0, Key->Words[0])) return FALSE;
    __builtin_memcpy(&w2, Short + 8, 4);
    w2 &= 0x00FFFFFFu;                            /* byte 11 is the entry's Attr */
    if (w2 != Key->Words[2] && !FatpWordMayMatch(w2, Key->Words[2])) return FALSE;
    if (w0 == Key->Words[0] && w1 == Key->Words[1] && w2 == Key->Words[2]) return TRUE;
    return FatpShortNameEquals(Short, Upcased, Length);
}

/* TRUE if the long name the walk holds for Short is Name. The name has no NUL (a valid long name
 * has no control characters), so it is the held name exactly when its units match and the held
 * name ends right after them; the checksum is computed only for a name that could match. */
static BOOLEAN FatpLongMatches(FAT_LFN_STATE *Lfn, const UCHAR Short[11], PCWSTR Name, ULONG Length)
{
    if (!Lfn->Active || Lfn->Next != 0 || Length > Lfn->Units) return FALSE;
    if (Length < Lfn->Units && Lfn->Buffer[Length] != 0) return FALSE;
    return FatpNamesEqual(Name, Length, Lfn->Buffer, Length) && Lfn->Checksum == FatpLfnChecksum(Short);
}

/* Remembers, after a scan of DirCluster that missed, where its first free entry is. */
static VOID FatpMemoMiss(PFAT_VOLUME Vol, ULONG DirCluster, const FAT_DIR_SCAN *Scan)
{
    FAT_LOOKUP_MEMO *m = &Vol->Memo;
    m->Generation = Vol->Generation;
    m->Valid = TRUE;
    m->DirCluster = DirCluster;
    const FAT_DIR_CURSOR *cur = Scan->FirstFree != ~0u ? &Scan->FreeCursor : &Scan->Cursor;
    m->FreeOffset = Scan->FirstFree != ~0u ? Scan->FirstFree : Scan->Offset;
    m->FreeVcn = cur->Vcn;
    m->FreeLcn = cur->Lcn;
}

/* Where a search for free entries in DirCluster may start (past entries known to be in use) and
 * a cursor already at that cluster; offset 0 and a fresh cursor when nothing is known. */
static ULONG FatpDirFreeHint(PFAT_VOLUME Vol, ULONG DirCluster, FAT_DIR_CURSOR *Cursor)
{
    FAT_LOOKUP_MEMO *m = &Vol->Memo;
    FatpCursorInit(Cursor, DirCluster);
    if (!m->Valid || m->Generation != Vol->Generation || m->DirCluster != DirCluster) return 0;
    Cursor->Vcn = m->FreeVcn;
    Cursor->Lcn = m->FreeLcn;
    return m->FreeOffset;
}

/*
 * Finds Name by its long name or its short name, case-insensitively. The name is upcased once
 * and, when it has 8.3 form, packed as short-entry bytes; each entry is compared by those bytes
 * (FatpShortMatches) and by its long name only when the lengths agree, and the item is filled in
 * only for the entry that matches. The scan keeps its sector mapped from one entry to the next:
 * nothing here calls the cache between steps. A miss is remembered (FatpMemoMiss).
 */
NTSTATUS FatpDirLookup(PFAT_VOLUME Vol, ULONG DirCluster, PCWSTR Name, ULONG Length, FAT_DIR_ITEM *Item)
{
    WCHAR upcased[FAT_SHORT_NAME_CHARS];
    BOOLEAN shortPossible = Length <= FAT_SHORT_NAME_CHARS;   /* no short name is longer */
    FAT_SHORT_KEY key = { FALSE, FALSE, { 0, 0, 0 } };
    if (shortPossible) {
        for (ULONG i = 0; i < Length; i++) {               /* ASCII inline, the rest by the table */
            WCHAR c = Name[i];
            upcased[i] = c < 'a' ? c : c <= 'z' ? (WCHAR)(c - 32) : RtlUpcaseUnicodeChar(c);
        }
        FatpMakeShortKey(upcased, Length, &key);
    }
    FAT_DIR_SCAN scan;
    FAT_LFN_STATE lfn;
    FatpScanInit(&scan, DirCluster, 0);
    for (;;) {
        const FAT_DIRENT *e;
        NTSTATUS st = FatpDirWalk(Vol, &scan, &lfn, &e);
        if (st == STATUS_NO_MORE_FILES) {
            FatpMemoMiss(Vol, DirCluster, &scan);
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
        if (!NT_SUCCESS(st)) return st;
        if ((shortPossible && FatpShortMatches(e->Name, &key, upcased, Length)) ||
            FatpLongMatches(&lfn, e->Name, Name, Length)) {
            FatpFillItem(Item, e, &lfn, &scan);
            return STATUS_SUCCESS;
        }
    }
}

NTSTATUS FatpDirIsEmpty(PFAT_VOLUME Vol, ULONG DirCluster)
{
    FAT_DIR_CURSOR cur;
    ULONG off = 0;
    FAT_DIR_ITEM *item = FatpAlloc(sizeof *item);
    if (!item) return STATUS_INSUFFICIENT_RESOURCES;
    FatpCursorInit(&cur, DirCluster);
    NTSTATUS st = FatpDirNext(Vol, &cur, &off, item);
    FatpFree(item);
    if (st == STATUS_NO_MORE_FILES) return STATUS_SUCCESS;
    return NT_SUCCESS(st) ? STATUS_DIRECTORY_NOT_EMPTY : st;
}

/* Picks the lowest ~N tail for Basis not used by a short name in the directory: one scan marks
 * the numbers taken in a bitmap. */
#define FAT_MAX_TAIL 65535u
static NTSTATUS FatpPickShortName(PFAT_VOLUME Vol, ULONG DirCluster, const UCHAR Basis[11], UCHAR Out[11])
{
    PUCHAR used = FatpAlloc(FAT_MAX_TAIL / 8 + 1);
    if (!used) return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(used, FAT_MAX_TAIL / 8 + 1);
    FAT_DIR_SCAN scan;
    FatpScanInit(&scan, DirCluster, 0);
    NTSTATUS st;
    for (;; FatpScanAdvance(&scan)) {
        const FAT_DIRENT *e;
        st = FatpScanEntry(Vol, &scan, &e);
        if (st == STATUS_END_OF_FILE || (NT_SUCCESS(st) && e->Name[0] == FAT_DIRENT_END)) {
            st = STATUS_SUCCESS;
            break;
        }
        if (!NT_SUCCESS(st)) break;
        if (e->Name[0] == FAT_DIRENT_FREE || (e->Attr & FAT_ATTR_LONG_MASK) == FAT_ATTR_LONG_NAME) continue;
        LONG n = FatpParseTail(e->Name);
        if (n < 1 || n > (LONG)FAT_MAX_TAIL) continue;
        UCHAR cand[11];
        FatpApplyTail(Basis, (ULONG)n, cand);
        if (RtlCompareMemory(cand, e->Name, 11) == 11) used[n / 8] |= (UCHAR)(1u << (n % 8));
    }
    if (NT_SUCCESS(st)) {
        ULONG n = 1;
        while (n <= FAT_MAX_TAIL && (used[n / 8] & (1u << (n % 8)))) n++;
        if (n > FAT_MAX_TAIL) st = STATUS_OBJECT_NAME_COLLISION;
        else FatpApplyTail(Basis, n, Out);
    }
    FatpFree(used);
    return st;
}

/* Adds a cluster to a full directory; the new cluster is zeroed (all entries "end"). */
static NTSTATUS FatpDirGrow(PFAT_VOLUME Vol, ULONG DirCluster)
{
    if (DirCluster == 0) return STATUS_DISK_FULL;        /* FAT16's root cannot grow */
    ULONG length, last, c;
    NTSTATUS st = FatpWalkChain(Vol, DirCluster, &length, &last);
    if (!NT_SUCCESS(st)) return st;
    if ((ULONGLONG)(length + 1) * Vol->ClusterBytes > FAT_MAX_DIR_BYTES) return STATUS_DISK_FULL;
    return FatpAllocateCluster(Vol, last, TRUE, &c);
}

/* Finds Count consecutive free entries (growing the directory if needed), from *First on (the
 * entries before it are known to be in use), with Cursor at a cluster at or before it. Returns
 * the first entry of the run and leaves Cursor at its cluster. */
static NTSTATUS FatpDirFindFree(PFAT_VOLUME Vol, ULONG DirCluster, ULONG Count, FAT_DIR_CURSOR *Cursor, PULONG First)
{
    FAT_DIR_SCAN scan;
    FatpScanInit(&scan, DirCluster, *First);
    scan.Cursor = *Cursor;
    ULONG run = 0, start = 0;
    BOOLEAN end = FALSE;             /* past the end marker every entry is free */
    for (;; FatpScanAdvance(&scan)) {
        const FAT_DIRENT *e;
        NTSTATUS st = FatpScanEntry(Vol, &scan, &e);
        if (st == STATUS_END_OF_FILE) {
            /* Nothing is mapped (Left is 0) while the directory grows by a zeroed cluster. */
            st = FatpDirGrow(Vol, DirCluster);
            if (NT_SUCCESS(st)) {
                FatpCursorInit(&scan.Cursor, DirCluster);
                st = FatpScanEntry(Vol, &scan, &e);
            }
            end = TRUE;
        }
        if (!NT_SUCCESS(st)) return st;
        if (e->Name[0] == FAT_DIRENT_END) end = TRUE;
        if (end || e->Name[0] == FAT_DIRENT_FREE) {
            if (run++ == 0) { start = scan.Offset; *Cursor = scan.Cursor; }
            if (run == Count) { *First = start; return STATUS_SUCCESS; }
        } else {
            run = 0;
        }
    }
}

static VOID FatpBuildLfn(FAT_LFN_ENTRY *e, PCWSTR Name, ULONG Length, ULONG Ord, BOOLEAN Last, UCHAR Sum)
{
    WCHAR units[FAT_LFN_CHARS];
    for (ULONG i = 0; i < FAT_LFN_CHARS; i++) {
        ULONG pos = (Ord - 1) * FAT_LFN_CHARS + i;
        units[i] = pos < Length ? Name[pos] : pos == Length ? 0 : 0xFFFF;
    }
    RtlZeroMemory(e, sizeof *e);
    e->Ord = (UCHAR)(Ord | (Last ? FAT_LFN_LAST : 0));
    e->Attr = FAT_ATTR_LONG_NAME;
    e->Checksum = Sum;
    for (ULONG i = 0; i < 5; i++) e->Name1[i] = units[i];
    for (ULONG i = 0; i < 6; i++) e->Name2[i] = units[5 + i];
    for (ULONG i = 0; i < 2; i++) e->Name3[i] = units[11 + i];
}

/*
 * Adds Name to the directory: its long-name entries (when the name does not fit 8.3 as it is)
 * and the short entry Dirent, whose Name and NtCase are filled in here. The caller has checked
 * that no file of that name exists; when that lookup's memo is still good (nothing written
 * since), the search for free entries starts where it found the first one.
 */
NTSTATUS FatpDirCreateEntries(PFAT_VOLUME Vol, ULONG DirCluster, PCWSTR Name, ULONG Length,
                              FAT_DIRENT *Dirent, PULONG ShortOffset, PULONG FirstOffset, PULONG ShortSector)
{
    NTSTATUS st;
    FAT_DIR_CURSOR cur;
    ULONG lfnCount = 0, first = FatpDirFreeHint(Vol, DirCluster, &cur);
    if (!FatpNameFits83(Name, Length, Dirent->Name, &Dirent->NtCase)) {
        UCHAR basis[11];
        FatpShortBasis(Name, Length, basis);
        st = FatpPickShortName(Vol, DirCluster, basis, Dirent->Name);
        if (!NT_SUCCESS(st)) return st;
        Dirent->NtCase = 0;
        lfnCount = (Length + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
    }
    st = FatpDirFindFree(Vol, DirCluster, lfnCount + 1, &cur, &first);
    if (!NT_SUCCESS(st)) return st;
    UCHAR sum = FatpLfnChecksum(Dirent->Name);
    for (ULONG i = 0; i < lfnCount; i++) {
        FAT_LFN_ENTRY e;
        FatpBuildLfn(&e, Name, Length, lfnCount - i, i == 0, sum);
        st = FatpDirWriteEntry(Vol, &cur, first + i * FAT_DIRENT_SIZE, &e);
        if (!NT_SUCCESS(st)) return st;
    }
    *FirstOffset = first;
    *ShortOffset = first + lfnCount * FAT_DIRENT_SIZE;
    return FatpDirWriteEntryAt(Vol, &cur, *ShortOffset, Dirent, ShortSector);
}

/* Marks a file's entries, from its first long-name entry to its short entry, deleted. */
NTSTATUS FatpDirRemoveEntries(PFAT_VOLUME Vol, ULONG DirCluster, ULONG FirstOffset, ULONG ShortOffset)
{
    FAT_DIR_CURSOR cur;
    FatpCursorInit(&cur, DirCluster);
    for (ULONG off = FirstOffset; off <= ShortOffset; off += FAT_DIRENT_SIZE) {
        FAT_DIRENT e;
        NTSTATUS st = FatpDirReadEntry(Vol, &cur, off, &e);
        if (!NT_SUCCESS(st)) return st;
        e.Name[0] = FAT_DIRENT_FREE;
        st = FatpDirWriteEntry(Vol, &cur, off, &e);
        if (!NT_SUCCESS(st)) return st;
    }
    return STATUS_SUCCESS;
}

/* Writes "." and ".." into the first (freshly zeroed) cluster of a new directory, as data: the
 * cluster reaches the disk before any entry names it. ".." of a child of the root is 0. */
NTSTATUS FatpDirInitialize(PFAT_VOLUME Vol, ULONG Cluster, ULONG ParentCluster, const FAT_DIRENT *Self)
{
    PUCHAR data;
    NTSTATUS st = FatpCacheGet(Vol, FatpClusterToSector(Vol, Cluster), FatData, FALSE, &data);
    if (!NT_SUCCESS(st)) return st;
    FAT_DIRENT dot = *Self;
    RtlFillMemory(dot.Name, 11, ' ');
    dot.Name[0] = '.';
    dot.Attr = FAT_ATTR_DIRECTORY;
    dot.NtCase = 0;
    dot.FileSize = 0;
    FatpDirentSetCluster(&dot, Cluster);
    RtlCopyMemory(data, &dot, FAT_DIRENT_SIZE);
    dot.Name[1] = '.';
    FatpDirentSetCluster(&dot, ParentCluster == FatpRootDirCluster(Vol) ? 0 : ParentCluster);
    RtlCopyMemory(data + FAT_DIRENT_SIZE, &dot, FAT_DIRENT_SIZE);
    return STATUS_SUCCESS;
}

/* The parent of a (non-root) directory, from its ".." entry. */
NTSTATUS FatpDirReadParent(PFAT_VOLUME Vol, ULONG DirCluster, PULONG ParentCluster)
{
    FAT_DIR_CURSOR cur;
    FAT_DIRENT e;
    FatpCursorInit(&cur, DirCluster);
    NTSTATUS st = FatpDirReadEntry(Vol, &cur, FAT_DIRENT_SIZE, &e);
    if (!NT_SUCCESS(st)) return st;
    if (e.Name[0] != '.' || e.Name[1] != '.' || !(e.Attr & FAT_ATTR_DIRECTORY)) return STATUS_FILE_CORRUPT_ERROR;
    ULONG c = FatpDirentCluster(Vol, &e);
    if (c == 0) c = FatpRootDirCluster(Vol);
    else if (!FatpValidCluster(Vol, c)) return STATUS_FILE_CORRUPT_ERROR;
    *ParentCluster = c;
    return STATUS_SUCCESS;
}

NTSTATUS FatpDirSetParent(PFAT_VOLUME Vol, ULONG DirCluster, ULONG ParentCluster)
{
    FAT_DIR_CURSOR cur;
    FAT_DIRENT e;
    FatpCursorInit(&cur, DirCluster);
    NTSTATUS st = FatpDirReadEntry(Vol, &cur, FAT_DIRENT_SIZE, &e);
    if (!NT_SUCCESS(st)) return st;
    if (e.Name[0] != '.' || e.Name[1] != '.') return STATUS_FILE_CORRUPT_ERROR;
    FatpDirentSetCluster(&e, ParentCluster == FatpRootDirCluster(Vol) ? 0 : ParentCluster);
    return FatpDirWriteEntry(Vol, &cur, FAT_DIRENT_SIZE, &e);
}
