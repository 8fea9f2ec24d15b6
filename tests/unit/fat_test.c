/*
 * fat_test.c - host unit tests of the FAT core (kernel/drivers/fat, compiled unchanged) under
 * ASan/UBSan. Images are made at test time with mkfs.fat and mtools in the directory given by
 * --dir; the core reaches them through a file-backed FAT_BLOCK_DEVICE (or a memory one for the
 * fuzz loop). Each case prints PASS/FAIL; the last line is "unit fat: N passed, M failed".
 * What is checked: files put in by mtools read back byte for byte; files, directories and long
 * names written by the core pass fsck.fat -n and read back byte for byte through mtools; every
 * disposition and error of the API; the shared file control block; truncation, extension and
 * holes; delete and rename; 1000 files in a directory; a 16 MiB file; wildcards; times; disk
 * full; FAT16; the order of writes; corrupted images; a fixed-seed mutation fuzz loop; and that
 * every allocation with the tag 'FatC' is freed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fat.h"
#include "ex.h"

#ifndef STATUS_IO_DEVICE_ERROR
#define STATUS_IO_DEVICE_ERROR ((NTSTATUS)0xC0000185)
#endif

/* ---- Pool shim: malloc with per-tag accounting ------------------------------------------- */

static long g_live;                  /* blocks outstanding */
static long g_bad_tag;
static long g_alloc_fail_at = -1;     /* fail the Nth allocation from now (-1: never) */

typedef struct { ULONG Tag; size_t Size; long long Align; } HOST_BLOCK;

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    (void)PoolType;
    if (g_alloc_fail_at >= 0 && g_alloc_fail_at-- == 0) return NULL;
    HOST_BLOCK *b = malloc(sizeof(HOST_BLOCK) + NumberOfBytes);
    if (!b) return NULL;
    b->Tag = Tag;
    b->Size = NumberOfBytes;
    memset(b + 1, 0xCD, NumberOfBytes);     /* the core must not rely on zeroed memory */
    g_live++;
    return b + 1;
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    HOST_BLOCK *b = (HOST_BLOCK *)P - 1;
    if (b->Tag != Tag) g_bad_tag++;
    g_live--;
    free(b);
}

/* kernel/rtl/memory.c defines memcpy and friends itself: the host takes libc's, and this. */
SIZE_T RtlCompareMemory(const void *A, const void *B, SIZE_T Length)
{
    const unsigned char *x = A, *y = B;
    SIZE_T i = 0;
    while (i < Length && x[i] == y[i]) i++;
    return i;
}

/* ---- Harness -------------------------------------------------------------------------------- */

static const char *g_dir = "../../build/unit/fat";
static int g_passed, g_failed, g_case_failed, g_verbose;
static char g_reason[512];

static void failf(int line, const char *fmt, ...)
{
    if (g_case_failed) return;
    g_case_failed = 1;
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(g_reason, sizeof g_reason, "line %d: ", line);
    vsnprintf(g_reason + n, sizeof g_reason - n, fmt, ap);
    va_end(ap);
}

#define CHECK(c, ...) do { if (!(c)) { failf(__LINE__, __VA_ARGS__); return; } } while (0)
#define CHECK0(c, ...) do { if (!(c)) { failf(__LINE__, __VA_ARGS__); return 0; } } while (0)
#define EXPECT_ST(expr, want) do { NTSTATUS st_ = (expr); \
        CHECK(st_ == (NTSTATUS)(want), "%s = 0x%08X, expected 0x%08X", #expr, (unsigned)st_, (unsigned)(want)); } while (0)
#define OK(expr) EXPECT_ST(expr, STATUS_SUCCESS)

static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[4200];
    snprintf(full, sizeof full, "MTOOLS_SKIP_CHECK=1 %s %s", cmd, g_verbose ? "" : ">/dev/null 2>&1");
    int rc = system(full);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static const char *path_of(const char *name)
{
    static char buf[8][512];
    static int k;
    char *p = buf[k++ & 7];
    snprintf(p, 512, "%s/%s", g_dir, name);
    return p;
}

/* ---- UTF-16 paths from UTF-8 text ----------------------------------------------------------- */

static PUNICODE_STRING P(const char *fmt, ...)
{
    static WCHAR bufs[8][1200];
    static UNICODE_STRING us[8];
    static int k;
    int i = k++ & 7;
    char tmp[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)tmp; *s && n < 1199; ) {
        unsigned c = *s++;
        if (c >= 0xE0 && s[0] && s[1]) { c = (c & 15) << 12 | (s[0] & 63) << 6 | (s[1] & 63); s += 2; }
        else if (c >= 0xC0 && s[0]) { c = (c & 31) << 6 | (s[0] & 63); s += 1; }
        bufs[i][n++] = (WCHAR)c;
    }
    us[i].Buffer = bufs[i];
    us[i].Length = (USHORT)(n * 2);
    us[i].MaximumLength = (USHORT)(n * 2);
    return &us[i];
}

static void to_utf8(const WCHAR *w, size_t units, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < units && n + 4 < size; i++) {
        unsigned c = w[i];
        if (c < 0x80) out[n++] = (char)c;
        else if (c < 0x800) { out[n++] = (char)(0xC0 | c >> 6); out[n++] = (char)(0x80 | (c & 63)); }
        else { out[n++] = (char)(0xE0 | c >> 12); out[n++] = (char)(0x80 | (c >> 6 & 63)); out[n++] = (char)(0x80 | (c & 63)); }
    }
    out[n] = 0;
}

/* ---- Devices -------------------------------------------------------------------------------- */

typedef struct {
    int fd;
    unsigned char *mem;              /* memory device (fuzz) */
    ULONGLONG real_sectors;          /* sectors that exist behind it */
    int log_on;
    int nlog;
    ULONGLONG log_sector[20000];
    ULONG log_count[20000];
    int flushes, flush_at[64];
    long fail_writes_after;          /* -1 never */
    unsigned char *touched;          /* memory device: sectors written or mutated */
} TDEV;

static NTSTATUS dev_read(PVOID ctx, ULONGLONG sector, ULONG count, PVOID buf)
{
    TDEV *d = ctx;
    if (sector + count > d->real_sectors) return STATUS_IO_DEVICE_ERROR;
    if (d->mem) { memcpy(buf, d->mem + sector * 512, (size_t)count * 512); return STATUS_SUCCESS; }
    ssize_t n = pread(d->fd, buf, (size_t)count * 512, (off_t)(sector * 512));
    return n == (ssize_t)count * 512 ? STATUS_SUCCESS : STATUS_IO_DEVICE_ERROR;
}

static NTSTATUS dev_write(PVOID ctx, ULONGLONG sector, ULONG count, const VOID *buf)
{
    TDEV *d = ctx;
    if (sector + count > d->real_sectors) return STATUS_IO_DEVICE_ERROR;
    if (d->fail_writes_after == 0) return STATUS_IO_DEVICE_ERROR;
    if (d->fail_writes_after > 0) d->fail_writes_after--;
    if (d->log_on && d->nlog < 20000) { d->log_sector[d->nlog] = sector; d->log_count[d->nlog++] = count; }
    if (d->mem) {
        memcpy(d->mem + sector * 512, buf, (size_t)count * 512);
        for (ULONG i = 0; i < count; i++) d->touched[sector + i] = 1;
        return STATUS_SUCCESS;
    }
    ssize_t n = pwrite(d->fd, buf, (size_t)count * 512, (off_t)(sector * 512));
    return n == (ssize_t)count * 512 ? STATUS_SUCCESS : STATUS_IO_DEVICE_ERROR;
}

static NTSTATUS dev_flush(PVOID ctx)
{
    TDEV *d = ctx;
    if (d->log_on && d->flushes < 64) d->flush_at[d->flushes] = d->nlog;
    d->flushes++;
    return STATUS_SUCCESS;
}

static LONGLONG g_fixed_time;         /* nonzero: the clock the core sees */
static VOID dev_time(PLARGE_INTEGER now)
{
    if (g_fixed_time) { now->QuadPart = g_fixed_time; return; }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    now->QuadPart = ((LONGLONG)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
}

static TDEV g_dev;
static FAT_BLOCK_DEVICE g_bdev;

/* Opens an image file as the device; SectorCount may be forced (truncation tests). */
static int dev_open(const char *img, ULONGLONG claim_sectors)
{
    if (g_dev.fd > 0) close(g_dev.fd);
    memset(&g_dev, 0, sizeof g_dev);
    g_dev.fail_writes_after = -1;
    g_dev.fd = open(img, O_RDWR);
    if (g_dev.fd < 0) return 0;
    struct stat sb;
    fstat(g_dev.fd, &sb);
    g_dev.real_sectors = (ULONGLONG)sb.st_size / 512;
    g_bdev.Context = &g_dev;
    g_bdev.SectorSize = 512;
    g_bdev.SectorCount = claim_sectors ? claim_sectors : g_dev.real_sectors;
    g_bdev.Read = dev_read;
    g_bdev.Write = dev_write;
    g_bdev.Flush = dev_flush;
    g_bdev.QuerySystemTime = dev_time;
    return 1;
}

static void dev_close(void)
{
    if (g_dev.fd > 0) close(g_dev.fd);
    g_dev.fd = 0;
}

static int mkimage(const char *name, int fat, int kib, const char *extra)
{
    unlink(path_of(name));
    return sh("mkfs.fat -F %d %s -C '%s' %d", fat, extra ? extra : "", path_of(name), kib) == 0;
}

static int fsck_clean(const char *name)
{
    return sh("fsck.fat -n '%s'", path_of(name)) == 0;
}

static PFAT_VOLUME mount_image(const char *name)
{
    PFAT_VOLUME v = NULL;
    if (!dev_open(path_of(name), 0)) return NULL;
    NTSTATUS st = FatMount(&g_bdev, &v);
    if (!NT_SUCCESS(st)) { failf(__LINE__, "FatMount(%s) = 0x%08X", name, (unsigned)st); return NULL; }
    return v;
}

static int unmount(PFAT_VOLUME v)
{
    NTSTATUS st = FatDismount(v);
    dev_close();
    CHECK0(st == STATUS_SUCCESS, "FatDismount = 0x%08X", (unsigned)st);
    return 1;
}

/* Deterministic bytes for file contents. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 12345;
    for (size_t i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; p[i] = (unsigned char)x; }
}

static int write_host_file(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t w = n ? fwrite(p, 1, n, f) : 0;
    fclose(f);
    return w == n;
}

static unsigned char *read_host_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(len ? (size_t)len : 1);
    *n = fread(p, 1, (size_t)len, f);
    fclose(f);
    return p;
}

/* Creates (or overwrites) a file with given bytes through the core. */
static int put_file(PFAT_VOLUME v, PUNICODE_STRING path, const unsigned char *p, size_t n)
{
    PFAT_FILE f;
    ULONG_PTR info;
    NTSTATUS st = FatOpen(v, path, FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE, 0, &f, &info);
    CHECK0(st == STATUS_SUCCESS, "FatOpen for write = 0x%08X", (unsigned)st);
    ULONG w = 0;
    st = n ? FatWrite(f, 0, p, (ULONG)n, &w) : STATUS_SUCCESS;
    FatClose(f);
    CHECK0(st == STATUS_SUCCESS && w == n, "FatWrite = 0x%08X (%u of %zu)", (unsigned)st, w, n);
    return 1;
}

/* Reads a whole file through the core and compares it with expected bytes. */
static int check_file(PFAT_VOLUME v, PUNICODE_STRING path, const unsigned char *p, size_t n)
{
    PFAT_FILE f;
    ULONG_PTR info;
    NTSTATUS st = FatOpen(v, path, FILE_OPEN, 0, 0, &f, &info);
    CHECK0(st == STATUS_SUCCESS, "FatOpen for read = 0x%08X", (unsigned)st);
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    unsigned char *buf = malloc(n + 100);
    ULONG r = 0;
    st = FatRead(f, 0, buf, (ULONG)n + 100, &r);
    if (n == 0 && st == STATUS_END_OF_FILE) st = STATUS_SUCCESS;
    FatClose(f);
    int same = r == n && memcmp(buf, p, n) == 0;
    free(buf);
    CHECK0(st == STATUS_SUCCESS, "FatRead = 0x%08X", (unsigned)st);
    CHECK0(fi.EndOfFile == n, "size %llu, expected %zu", fi.EndOfFile, n);
    CHECK0(same, "contents differ (read %u of %zu bytes)", r, n);
    return 1;
}

/* mcopy a file out of the image and compare. */
static int check_mtools(const char *img, const char *dospath, const unsigned char *p, size_t n)
{
    const char *out = path_of("mcopy.out");
    unlink(out);
    CHECK0(sh("mcopy -n -i '%s' '::%s' '%s'", path_of(img), dospath, out) == 0, "mcopy %s failed", dospath);
    size_t got;
    unsigned char *q = read_host_file(out, &got);
    CHECK0(q != NULL, "no mcopy output");
    int same = got == n && memcmp(p, q, n) == 0;
    free(q);
    CHECK0(same, "mtools reads %s differently (%zu bytes, expected %zu)", dospath, got, n);
    return 1;
}

static int count_dir(PFAT_VOLUME v, PUNICODE_STRING dir, PUNICODE_STRING pattern, int *count)
{
    PFAT_FILE d;
    ULONG_PTR info;
    NTSTATUS st = FatOpen(v, dir, FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info);
    CHECK0(st == STATUS_SUCCESS, "open dir = 0x%08X", (unsigned)st);
    ULONG cursor = 0;
    FAT_FILE_INFO e;
    int n = 0;
    while ((st = FatQueryDirectory(d, &cursor, pattern, &e)) == STATUS_SUCCESS) n++;
    FatClose(d);
    CHECK0(st == STATUS_NO_MORE_FILES, "FatQueryDirectory = 0x%08X", (unsigned)st);
    *count = n;
    return 1;
}

/* ============================================================================================
 * Cases
 */
static void t_mount_query(void)
{
    CHECK(mkimage("q.img", 32, 65536, "-n NANOTEST -i 12345678"), "mkfs");
    PFAT_VOLUME v = mount_image("q.img");
    CHECK(v, "mount");
    FAT_VOLUME_INFO vi;
    OK(FatQueryVolume(v, &vi));
    char label[32];
    to_utf8(vi.Label, vi.LabelLength / 2, label, sizeof label);
    CHECK(vi.Fat32 && vi.SerialNumber == 0x12345678 && !strcmp(label, "NANOTEST") && vi.BytesPerSector == 512,
          "volume info: fat32 %d serial %08x label '%s'", vi.Fat32, vi.SerialNumber, label);
    CHECK(vi.TotalClusters > 65525 && vi.FreeClusters == vi.TotalClusters - 1, "clusters %llu free %llu",
          vi.TotalClusters, vi.FreeClusters);
    PFAT_FILE f;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &f, &info));
    EXPECT_ST(FatDismount(v), STATUS_DEVICE_BUSY);
    FAT_FILE_INFO fi;
    OK(FatQueryInformation(f, &fi));
    CHECK(fi.Directory && fi.FileAttributes == FILE_ATTRIBUTE_DIRECTORY, "root info");
    EXPECT_ST(FatDelete(f), STATUS_CANNOT_DELETE);
    FatClose(f);
    OK(FatFlushVolume(v));
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("q.img"), "fsck");
}

/* Files put on the volume by mtools read back byte for byte; names and short names. */
static void t_read_mtools(void)
{
    static const struct { const char *host, *dos; size_t size; } files[] = {
        { "Hello World.txt", "\\Hello World.txt", 12 },
        { "MixedCase LongName Document.TXT", "\\MixedCase LongName Document.TXT", 5000 },
        { "short.c", "\\short.c", 511 },
        { "UPPER.TXT", "\\UPPER.TXT", 512 },
        { "empty.dat", "\\empty.dat", 0 },
        { "big.bin", "\\big.bin", 300001 },
        { "Sub Dir/Nested Deeper/file in nested.txt", "\\Sub Dir\\Nested Deeper\\file in nested.txt", 70000 },
        { "Sub Dir/a.b", "\\Sub Dir\\a.b", 1 },
    };
    char hostdir[600];
    snprintf(hostdir, sizeof hostdir, "%s", path_of("mtree"));
    sh("rm -rf '%s'", hostdir);
    sh("mkdir -p '%s/Sub Dir/Nested Deeper'", hostdir);
    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        unsigned char *p = malloc(files[i].size + 1);
        fill(p, files[i].size, (unsigned)i);
        char hp[800];
        snprintf(hp, sizeof hp, "%s/%s", hostdir, files[i].host);
        CHECK(write_host_file(hp, p, files[i].size), "host file");
        free(p);
    }
    CHECK(mkimage("r.img", 32, 40000, NULL), "mkfs");
    CHECK(sh("mcopy -s -i '%s' '%s'/* ::/", path_of("r.img"), hostdir) == 0, "mcopy");
    PFAT_VOLUME v = mount_image("r.img");
    CHECK(v, "mount");
    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        unsigned char *p = malloc(files[i].size + 1);
        fill(p, files[i].size, (unsigned)i);
        int ok = check_file(v, P("%s", files[i].dos), p, files[i].size);
        free(p);
        if (!ok) { FatDismount(v); dev_close(); return; }
    }
    /* Names come back with their case; short names open the same file. */
    PFAT_FILE d, f;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    ULONG cursor = 0;
    FAT_FILE_INFO e;
    int found = 0;
    while (FatQueryDirectory(d, &cursor, NULL, &e) == STATUS_SUCCESS) {
        char name[600], sname[40];
        to_utf8(e.Name, e.NameLength / 2, name, sizeof name);
        to_utf8(e.ShortName, e.ShortNameLength / 2, sname, sizeof sname);
        if (!strcmp(name, "MixedCase LongName Document.TXT")) {
            found++;
            CHECK(e.EndOfFile == 5000 && !e.Directory, "size in listing");
            NTSTATUS st = FatOpen(v, P("\\%s", sname), FILE_OPEN, 0, 0, &f, &info);
            CHECK(st == STATUS_SUCCESS, "open by short name %s: 0x%08X", sname, (unsigned)st);
            FAT_FILE_INFO fi;
            FatQueryInformation(f, &fi);
            CHECK(fi.NameLength == e.NameLength && !memcmp(fi.Name, e.Name, e.NameLength), "name via short");
            FatClose(f);
        }
        if (!strcmp(name, "short.c")) found++;              /* NT lower-case flags honoured */
        if (!strcmp(name, "Sub Dir")) found += e.Directory;
    }
    FatClose(d);
    CHECK(found == 3, "listing found %d of 3 names", found);
    /* Case-insensitive lookups. */
    OK(FatOpen(v, P("\\sub dir\\NESTED deeper\\FILE IN NESTED.TXT"), FILE_OPEN, 0, 0, &f, &info));
    FatClose(f);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("r.img"), "fsck after reading");
}

/* Files and directories written by the core: fsck clean, mtools reads them byte for byte and
 * lists the long names with their case. */
static void t_write_mtools(void)
{
    static const struct { const char *path, *dos; size_t size; } files[] = {
        { "\\readme.txt", "/readme.txt", 100 },
        { "\\A Long File Name With Spaces.Text", "/A Long File Name With Spaces.Text", 4097 },
        { "\\MiXeD.CaSe", "/MiXeD.CaSe", 513 },
        { "\\UPPER.TXT", "/UPPER.TXT", 1 },
        { "\\zero", "/zero", 0 },
        { "\\New Folder\\Deep Folder\\data.bin", "/New Folder/Deep Folder/data.bin", 65536 + 77 },
        { "\\New Folder\\x+y=z;(1),2.txt", "/New Folder/x+y=z;(1),2.txt", 2000 },
        { "\\New Folder\\.hidden", "/New Folder/.hidden", 10 },
        { "\\New Folder\\many.dots.in.name.tar.gz", "/New Folder/many.dots.in.name.tar.gz", 300 },
    };
    CHECK(mkimage("w.img", 32, 40000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("w.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\New Folder"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info));
    CHECK(info == FILE_CREATED, "info %lu", (unsigned long)info);
    FatClose(f);
    OK(FatOpen(v, P("\\New Folder\\Deep Folder"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info));
    FatClose(f);
    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        unsigned char *p = malloc(files[i].size + 1);
        fill(p, files[i].size, (unsigned)i + 100);
        int ok = put_file(v, P("%s", files[i].path), p, files[i].size);
        free(p);
        if (!ok) { FatDismount(v); dev_close(); return; }
    }
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("w.img"), "fsck.fat -n reports problems");
    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        unsigned char *p = malloc(files[i].size + 1);
        fill(p, files[i].size, (unsigned)i + 100);
        int ok = check_mtools("w.img", files[i].dos, p, files[i].size);
        free(p);
        if (!ok) return;
    }
    /* mtools sees the long names with their case. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "MTOOLS_SKIP_CHECK=1 mdir -/ -b -i '%s' ::/ 2>/dev/null", path_of("w.img"));
    FILE *pp = popen(cmd, "r");
    CHECK(pp, "mdir");
    char line[700];
    int seen = 0;
    while (fgets(line, sizeof line, pp)) {
        line[strcspn(line, "\n")] = 0;
        for (size_t i = 0; i < ARRAYSIZE(files); i++)
            if (!strcmp(line + 2, files[i].dos)) seen++;
    }
    pclose(pp);
    CHECK(seen == (int)ARRAYSIZE(files), "mdir listed %d of %zu names exactly", seen, ARRAYSIZE(files));
    /* And the core reads them back after a fresh mount. */
    v = mount_image("w.img");
    CHECK(v, "remount");
    for (size_t i = 0; i < ARRAYSIZE(files); i++) {
        unsigned char *p = malloc(files[i].size + 1);
        fill(p, files[i].size, (unsigned)i + 100);
        int ok = check_file(v, P("%s", files[i].path), p, files[i].size);
        free(p);
        if (!ok) { FatDismount(v); dev_close(); return; }
    }
    CHECK(unmount(v), "dismount");
}

static void t_dispositions(void)
{
    CHECK(mkimage("d.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("d.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    ULONG n;
    const unsigned char data[10] = "0123456789";
    /* Missing file. */
    EXPECT_ST(FatOpen(v, P("\\f"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\f"), FILE_OVERWRITE, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    static const ULONG creating[] = { FILE_SUPERSEDE, FILE_CREATE, FILE_OPEN_IF, FILE_OVERWRITE_IF };
    for (size_t i = 0; i < ARRAYSIZE(creating); i++) {
        OK(FatOpen(v, P("\\f%zu", i), creating[i], 0, 0, &f, &info));
        CHECK(info == FILE_CREATED, "disposition %u: info %lu", creating[i], (unsigned long)info);
        OK(FatWrite(f, 0, data, 10, &n));
        FatClose(f);
    }
    /* Existing file. */
    static const struct { ULONG disp; NTSTATUS st; ULONG_PTR info; ULONG size; } existing[] = {
        { FILE_OPEN, STATUS_SUCCESS, FILE_OPENED, 10 },
        { FILE_OPEN_IF, STATUS_SUCCESS, FILE_OPENED, 10 },
        { FILE_CREATE, STATUS_OBJECT_NAME_COLLISION, 0, 10 },
        { FILE_OVERWRITE, STATUS_SUCCESS, FILE_OVERWRITTEN, 0 },
        { FILE_OVERWRITE_IF, STATUS_SUCCESS, FILE_OVERWRITTEN, 0 },
        { FILE_SUPERSEDE, STATUS_SUCCESS, FILE_SUPERSEDED, 0 },
    };
    for (size_t i = 0; i < ARRAYSIZE(existing); i++) {
        OK(put_file(v, P("\\e"), data, 10) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
        NTSTATUS st = FatOpen(v, P("\\E"), existing[i].disp, 0, 0, &f, &info);
        CHECK(st == existing[i].st, "disposition %u on a file: 0x%08X", existing[i].disp, (unsigned)st);
        if (st) continue;
        FAT_FILE_INFO fi;
        FatQueryInformation(f, &fi);
        CHECK(info == existing[i].info && fi.EndOfFile == existing[i].size, "disposition %u: info %lu size %llu",
              existing[i].disp, (unsigned long)info, fi.EndOfFile);
        FatClose(f);
    }
    /* Directories and options. */
    OK(FatOpen(v, P("\\dir"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info));
    FatClose(f);
    EXPECT_ST(FatOpen(v, P("\\dir"), FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, &f, &info), STATUS_FILE_IS_A_DIRECTORY);
    EXPECT_ST(FatOpen(v, P("\\e"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &f, &info), STATUS_NOT_A_DIRECTORY);
    EXPECT_ST(FatOpen(v, P("\\dir"), FILE_OVERWRITE, 0, 0, &f, &info), STATUS_FILE_IS_A_DIRECTORY);
    EXPECT_ST(FatOpen(v, P("\\dir"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
    EXPECT_ST(FatOpen(v, P("\\dir"), FILE_OVERWRITE_IF, FILE_DIRECTORY_FILE, 0, &f, &info), STATUS_INVALID_PARAMETER);
    EXPECT_ST(FatOpen(v, P("\\dir"), FILE_OPEN, FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE, 0, &f, &info),
              STATUS_INVALID_PARAMETER);
    EXPECT_ST(FatOpen(v, P("\\x"), 6, 0, 0, &f, &info), STATUS_INVALID_PARAMETER);
    OK(FatOpen(v, P("\\dir\\"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &f, &info));
    EXPECT_ST(FatRead(f, 0, (void *)data, 1, &n), STATUS_FILE_IS_A_DIRECTORY);
    FatClose(f);
    EXPECT_ST(FatOpen(v, P("\\"), FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, &f, &info), STATUS_FILE_IS_A_DIRECTORY);
    EXPECT_ST(FatOpen(v, P("\\"), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
    /* Read-only files cannot be overwritten or deleted. */
    OK(FatOpen(v, P("\\ro"), FILE_CREATE, 0, FILE_ATTRIBUTE_READONLY, &f, &info));
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    CHECK(fi.FileAttributes == (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE), "attributes %x", fi.FileAttributes);
    EXPECT_ST(FatDelete(f), STATUS_CANNOT_DELETE);
    FatClose(f);
    EXPECT_ST(FatOpen(v, P("\\ro"), FILE_OVERWRITE, 0, 0, &f, &info), STATUS_ACCESS_DENIED);
    EXPECT_ST(FatOpen(v, P("\\ro"), FILE_SUPERSEDE, 0, 0, &f, &info), STATUS_ACCESS_DENIED);
    /* Paths. */
    EXPECT_ST(FatOpen(v, P("\\nodir\\f"), FILE_OPEN_IF, 0, 0, &f, &info), STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\e\\f"), FILE_OPEN_IF, 0, 0, &f, &info), STATUS_OBJECT_PATH_NOT_FOUND);
    static const char *bad[] = { "\\a*b", "\\a?b", "\\a:b", "\\a<b", "\\a>b", "\\a|b", "\\a\"b", "\\.", "\\..",
                                 "\\dir\\..\\e", "\\dir\\.", "\\\\e", "e", "\\dir\\\\e", "\\trailing.", "\\space ",
                                 "\\a/b", "\\tab\t" };
    for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
        NTSTATUS st = FatOpen(v, P("%s", bad[i]), FILE_OPEN_IF, 0, 0, &f, &info);
        CHECK(st == STATUS_OBJECT_NAME_INVALID, "'%s': 0x%08X", bad[i], (unsigned)st);
    }
    UNICODE_STRING empty = { 0, 0, NULL };
    EXPECT_ST(FatOpen(v, &empty, FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_INVALID);
    char longname[300];
    memset(longname, 'n', 255);
    longname[255] = 0;
    OK(FatOpen(v, P("\\%s", longname), FILE_CREATE, 0, 0, &f, &info));
    FatQueryInformation(f, &fi);
    CHECK(fi.NameLength == 510, "255-unit name length %u", fi.NameLength);
    FatClose(f);
    longname[255] = 'n';
    longname[256] = 0;
    EXPECT_ST(FatOpen(v, P("\\%s", longname), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_INVALID);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("d.img"), "fsck");
}

/* Two opens share one FCB: a write through one is seen through the other. */
static void t_shared_fcb(void)
{
    CHECK(mkimage("s.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("s.img");
    CHECK(v, "mount");
    PFAT_FILE a, b;
    ULONG_PTR info;
    ULONG n;
    unsigned char buf[9000], got[9000];
    fill(buf, sizeof buf, 7);
    OK(FatOpen(v, P("\\Shared.bin"), FILE_CREATE, 0, 0, &a, &info));
    OK(FatOpen(v, P("\\SHARED.BIN"), FILE_OPEN, 0, 0, &b, &info));
    CHECK(FatQueryOpenCount(a) == 2 && FatQueryVolumeOpenFiles(v) == 2, "open counts");
    OK(FatWrite(a, 0, buf, sizeof buf, &n));
    FAT_FILE_INFO fi;
    OK(FatQueryInformation(b, &fi));
    CHECK(fi.EndOfFile == sizeof buf, "size through the other instance: %llu", fi.EndOfFile);
    OK(FatRead(b, 0, got, sizeof got, &n));
    CHECK(n == sizeof got && !memcmp(buf, got, n), "data through the other instance");
    OK(FatSetEndOfFile(b, 100));
    EXPECT_ST(FatRead(a, 100, got, 1, &n), STATUS_END_OF_FILE);
    OK(FatRead(a, 100, got, 0, &n));
    /* A listing shows the live size. */
    PFAT_FILE d;
    OK(FatOpen(v, P("\\"), FILE_OPEN, 0, 0, &d, &info));
    ULONG cursor = 0;
    OK(FatQueryDirectory(d, &cursor, P("shared.bin"), &fi));
    CHECK(fi.EndOfFile == 100, "listing size %llu", fi.EndOfFile);
    FatClose(d);
    OK(FatDelete(a));
    EXPECT_ST(FatRead(b, 0, got, 1, &n), STATUS_FILE_DELETED);
    EXPECT_ST(FatWrite(b, 0, got, 1, &n), STATUS_FILE_DELETED);
    EXPECT_ST(FatQueryInformation(b, &fi), STATUS_FILE_DELETED);
    EXPECT_ST(FatOpen(v, P("\\Shared.bin"), FILE_OPEN, 0, 0, &d, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    /* A new file in the freed slot is a different file. */
    OK(FatOpen(v, P("\\Shared.bin"), FILE_CREATE, 0, 0, &d, &info));
    OK(FatQueryInformation(d, &fi));
    CHECK(fi.EndOfFile == 0, "new file size %llu", fi.EndOfFile);
    FatClose(d);
    FatClose(a);
    FatClose(b);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("s.img"), "fsck");
}

static void t_truncate_extend(void)
{
    CHECK(mkimage("t.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("t.img");
    CHECK(v, "mount");
    FAT_VOLUME_INFO vi0, vi;
    FatQueryVolume(v, &vi0);
    PFAT_FILE f;
    ULONG_PTR info;
    ULONG n;
    static unsigned char buf[100000], got[100000];
    fill(buf, sizeof buf, 3);
    OK(FatOpen(v, P("\\t.bin"), FILE_CREATE, 0, 0, &f, &info));
    OK(FatWrite(f, 0, buf, 50000, &n));
    OK(FatSetEndOfFile(f, 1234));
    OK(FatSetEndOfFile(f, 6000));                /* extension reads as zeroes */
    OK(FatRead(f, 0, got, sizeof got, &n));
    CHECK(n == 6000 && !memcmp(got, buf, 1234), "kept part");
    for (int i = 1234; i < 6000; i++) CHECK(got[i] == 0, "byte %d of the extension is %02x", i, got[i]);
    OK(FatWrite(f, 20000, buf, 10, &n));          /* a hole from 6000 to 20000 */
    OK(FatRead(f, 0, got, sizeof got, &n));
    CHECK(n == 20010, "size after hole write %u", n);
    for (int i = 6000; i < 20000; i++) CHECK(got[i] == 0, "hole byte %d is %02x", i, got[i]);
    CHECK(!memcmp(got + 20000, buf, 10), "data after the hole");
    /* Unaligned writes inside the file. */
    OK(FatWrite(f, 511, buf + 511, 1027, &n));
    OK(FatRead(f, 0, got, 2000, &n));
    CHECK(!memcmp(got, buf, 1234) && !memcmp(got + 1234, buf + 1234, 1538 - 1234), "unaligned rewrite");
    OK(FatSetEndOfFile(f, 0));
    EXPECT_ST(FatRead(f, 0, got, 1, &n), STATUS_END_OF_FILE);
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    CHECK(fi.EndOfFile == 0 && fi.AllocationSize == 0, "empty: size %llu alloc %llu", fi.EndOfFile, fi.AllocationSize);
    EXPECT_ST(FatSetEndOfFile(f, 0x100000000ull), STATUS_DISK_FULL);
    EXPECT_ST(FatWrite(f, 0xFFFFFFFFull, buf, 1, &n), STATUS_DISK_FULL);
    FatClose(f);
    OK(FatFlushVolume(v));
    FatQueryVolume(v, &vi);
    CHECK(vi.FreeClusters == vi0.FreeClusters, "free clusters %llu, were %llu", vi.FreeClusters, vi0.FreeClusters);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("t.img"), "fsck (free count in FSInfo included)");
}

static void t_delete(void)
{
    CHECK(mkimage("x.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("x.img");
    CHECK(v, "mount");
    FAT_VOLUME_INFO vi0, vi;
    FatQueryVolume(v, &vi0);
    PFAT_FILE f, d;
    ULONG_PTR info;
    static unsigned char buf[70000];
    fill(buf, sizeof buf, 4);
    OK(FatOpen(v, P("\\Dir One"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    CHECK(put_file(v, P("\\Dir One\\Some File.txt"), buf, sizeof buf), "put");
    EXPECT_ST(FatDelete(d), STATUS_DIRECTORY_NOT_EMPTY);
    OK(FatOpen(v, P("\\Dir One\\some file.TXT"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatDelete(f));
    EXPECT_ST(FatDelete(f), STATUS_FILE_DELETED);
    FatClose(f);
    OK(FatDelete(d));
    FatClose(d);
    EXPECT_ST(FatOpen(v, P("\\Dir One"), FILE_OPEN, 0, 0, &d, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Dir One\\x"), FILE_OPEN, 0, 0, &d, &info), STATUS_OBJECT_PATH_NOT_FOUND);
    OK(FatFlushVolume(v));
    FatQueryVolume(v, &vi);
    CHECK(vi.FreeClusters == vi0.FreeClusters, "free clusters %llu, were %llu", vi.FreeClusters, vi0.FreeClusters);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("x.img"), "fsck");
}

static void t_rename(void)
{
    CHECK(mkimage("n.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("n.img");
    CHECK(v, "mount");
    PFAT_FILE f, g, d;
    ULONG_PTR info;
    unsigned char a[3000], b[500];
    fill(a, sizeof a, 1);
    fill(b, sizeof b, 2);
    OK(FatOpen(v, P("\\Src"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info)); FatClose(d);
    OK(FatOpen(v, P("\\Dst"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info)); FatClose(d);
    OK(FatOpen(v, P("\\Src\\Sub"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info)); FatClose(d);
    CHECK(put_file(v, P("\\Src\\file one.txt"), a, sizeof a), "put");
    CHECK(put_file(v, P("\\Src\\two.txt"), b, sizeof b), "put");
    /* Same directory, then a case-only change. */
    OK(FatOpen(v, P("\\Src\\file one.txt"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatRename(f, P("\\Src\\File Uno.txt"), FALSE));
    OK(FatRename(f, P("\\Src\\FILE UNO.TXT"), FALSE));
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    char name[300];
    to_utf8(fi.Name, fi.NameLength / 2, name, sizeof name);
    CHECK(!strcmp(name, "FILE UNO.TXT"), "name after case change: %s", name);
    EXPECT_ST(FatRename(f, P("\\Src\\two.txt"), FALSE), STATUS_OBJECT_NAME_COLLISION);
    EXPECT_ST(FatRename(f, P("\\Nowhere\\x"), FALSE), STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_ST(FatRename(f, P("\\Src\\bad*name"), FALSE), STATUS_OBJECT_NAME_INVALID);
    /* Replace: not over an open file, then over a closed one. */
    OK(FatOpen(v, P("\\Src\\two.txt"), FILE_OPEN, 0, 0, &g, &info));
    EXPECT_ST(FatRename(f, P("\\Src\\two.txt"), TRUE), STATUS_ACCESS_DENIED);
    FatClose(g);
    OK(FatRename(f, P("\\Src\\two.txt"), TRUE));
    /* Across directories; the open instance follows. */
    OK(FatRename(f, P("\\Dst\\Moved File.dat"), FALSE));
    FatClose(f);
    CHECK(check_file(v, P("\\Dst\\moved file.dat"), a, sizeof a), "moved content");
    EXPECT_ST(FatOpen(v, P("\\Src\\two.txt"), FILE_OPEN, 0, 0, &g, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    /* Directories: not into themselves; moving one updates "..". */
    OK(FatOpen(v, P("\\Src"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    EXPECT_ST(FatRename(d, P("\\Src\\Sub\\Src2"), FALSE), STATUS_INVALID_PARAMETER);
    EXPECT_ST(FatRename(d, P("\\Src\\Src2"), FALSE), STATUS_INVALID_PARAMETER);
    OK(FatRename(d, P("\\Dst\\Src Moved"), FALSE));
    OK(FatRename(d, P("\\Dst\\Moved File.dat"), TRUE));        /* replaces the closed file */
    FatClose(d);
    OK(FatOpen(v, P("\\Dst\\Moved File.dat"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    OK(FatOpen(v, P("\\Dst\\Moved File.dat\\Sub"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &g, &info));
    OK(FatRename(g, P("\\Top Sub"), FALSE));
    FatClose(g);
    EXPECT_ST(FatRename(d, P("\\"), FALSE), STATUS_OBJECT_NAME_INVALID);
    FatClose(d);
    /* Replacing a directory is refused. */
    OK(FatOpen(v, P("\\Dst\\Moved File.dat"), FILE_OPEN, 0, 0, &d, &info));
    FatClose(d);
    CHECK(put_file(v, P("\\loose.txt"), b, sizeof b), "put");
    OK(FatOpen(v, P("\\loose.txt"), FILE_OPEN, 0, 0, &f, &info));
    EXPECT_ST(FatRename(f, P("\\Top Sub"), TRUE), STATUS_ACCESS_DENIED);
    FatClose(f);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("n.img"), "fsck after renames (.. entries included)");
    CHECK(sh("mdir -i '%s' '::/Top Sub'", path_of("n.img")) == 0, "mtools sees the moved directory");
}

static void t_many_files(void)
{
    CHECK(mkimage("m.img", 32, 40000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("m.img");
    CHECK(v, "mount");
    PFAT_FILE d;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\Many"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    for (int i = 0; i < 1000; i++) {
        unsigned char c[16];
        int len = snprintf((char *)c, sizeof c, "%d", i);
        if (!put_file(v, P("\\Many\\Long File Name Number %04d.txt", i), c, (size_t)len)) break;
    }
    CHECK(!g_case_failed, "creating");
    int n;
    CHECK(count_dir(v, P("\\Many"), NULL, &n) && n == 1000, "listing: %d entries", n);
    CHECK(count_dir(v, P("\\Many"), P("*09?.TXT"), &n) && n == 10, "pattern *09?.TXT: %d", n);
    CHECK(count_dir(v, P("\\Many"), P("*~*"), &n) && n == 1000, "short-name pattern: %d", n);
    /* Short names are unique. */
    PFAT_FILE f;
    OK(FatOpen(v, P("\\Many\\Long File Name Number 0999.txt"), FILE_OPEN, 0, 0, &f, &info));
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    FatClose(f);
    char sname[20];
    to_utf8(fi.ShortName, fi.ShortNameLength / 2, sname, sizeof sname);
    CHECK(!strcmp(sname, "LON~1000.TXT"), "short name %s", sname);
    unsigned char c4[4] = "999";
    CHECK(check_file(v, P("\\Many\\%s", sname), c4, 3), "open by short name %s", sname);
    /* Delete every other one, then fill the gaps again. */
    for (int i = 0; i < 1000; i += 2) {
        OK(FatOpen(v, P("\\Many\\long file name number %04d.TXT", i), FILE_OPEN, 0, 0, &f, &info));
        OK(FatDelete(f));
        FatClose(f);
    }
    CHECK(count_dir(v, P("\\Many"), NULL, &n) && n == 500, "after deletes: %d", n);
    for (int i = 0; i < 100; i++) CHECK(put_file(v, P("\\Many\\again%d", i), (const unsigned char *)"x", 1), "re-create");
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("m.img"), "fsck");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "MTOOLS_SKIP_CHECK=1 mdir -b -i '%s' ::/Many 2>/dev/null | wc -l", path_of("m.img"));
    FILE *pp = popen(cmd, "r");
    int lines = 0;
    if (pp) { if (fscanf(pp, "%d", &lines) != 1) lines = -1; pclose(pp); }
    CHECK(lines == 600, "mdir lists %d entries", lines);
    unsigned char c[8] = "777";
    CHECK(check_mtools("m.img", "/Many/Long File Name Number 0777.txt", c, 3), "mtools read");
}

/* Lookup in a directory of several clusters (one sector each) with deleted entries in
 * between: by long name, by short name, in any case; names that only nearly match are not
 * found; a create collides with a file's short name; the gaps are reused. */
static const char *lookup_name(int i)
{
    static char buf[4][40];
    static int k;
    char *p = buf[k++ & 3];
    if (i % 3 == 0) snprintf(p, 40, "file%03d.txt", i);            /* 8.3, lower case kept by NT flags */
    else if (i % 3 == 1) snprintf(p, 40, "Long Name %03d.data", i); /* long name, short LONGNA~N.DAT */
    else snprintf(p, 40, "MiX%03d.Txt", i);                         /* mixed case: long name too */
    return p;
}

static void upper_ascii(char *s) { for (; *s; s++) if (*s >= 'a' && *s <= 'z') *s -= 32; }
static void lower_ascii(char *s) { for (; *s; s++) if (*s >= 'A' && *s <= 'Z') *s += 32; }

static void t_lookup(void)
{
    CHECK(mkimage("l.img", 32, 40000, "-s 1"), "mkfs");
    PFAT_VOLUME v = mount_image("l.img");
    CHECK(v, "mount");
    PFAT_FILE d, f;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\Dir"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    enum { N = 150 };
    for (int i = 0; i < N; i++) {
        unsigned char c[8];
        int len = snprintf((char *)c, sizeof c, "%d", i);
        CHECK(put_file(v, P("\\Dir\\%s", lookup_name(i)), c, (size_t)len), "create %s", lookup_name(i));
    }
    for (int i = 0; i < N; i += 4) {
        OK(FatOpen(v, P("\\Dir\\%s", lookup_name(i)), FILE_OPEN, 0, 0, &f, &info));
        OK(FatDelete(f));
        FatClose(f);
    }
    for (int i = 0; i < N; i++) {
        char name[40], up[40], low[40], sname[20];
        snprintf(name, sizeof name, "%s", lookup_name(i));
        snprintf(up, sizeof up, "%s", name);
        upper_ascii(up);
        snprintf(low, sizeof low, "%s", name);
        lower_ascii(low);
        if (i % 4 == 0) {
            EXPECT_ST(FatOpen(v, P("\\Dir\\%s", name), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
            continue;
        }
        unsigned char c[8];
        int len = snprintf((char *)c, sizeof c, "%d", i);
        CHECK(check_file(v, P("\\Dir\\%s", name), c, (size_t)len), "open %s", name);
        CHECK(check_file(v, P("\\Dir\\%s", up), c, (size_t)len), "open %s", up);
        CHECK(check_file(v, P("\\Dir\\%s", low), c, (size_t)len), "open %s", low);
        OK(FatOpen(v, P("\\Dir\\%s", name), FILE_OPEN, 0, 0, &f, &info));
        FAT_FILE_INFO fi;
        FatQueryInformation(f, &fi);
        FatClose(f);
        to_utf8(fi.ShortName, fi.ShortNameLength / 2, sname, sizeof sname);
        CHECK(check_file(v, P("\\Dir\\%s", sname), c, (size_t)len), "open %s by short name %s", name, sname);
        lower_ascii(sname);
        CHECK(check_file(v, P("\\Dir\\%s", sname), c, (size_t)len), "open %s by short name %s", name, sname);
        EXPECT_ST(FatOpen(v, P("\\Dir\\%s", up), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
        EXPECT_ST(FatOpen(v, P("\\Dir\\%s", sname), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
    }
    /* Near misses: a character short, a character more, another extension. */
    EXPECT_ST(FatOpen(v, P("\\Dir\\file03.txt"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Dir\\file0033.txt"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Dir\\file003.tx"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Dir\\file003"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Dir\\Long Name 001.dat"), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    /* The deleted ones come back in the gaps. */
    for (int i = 0; i < N; i += 4)
        CHECK(put_file(v, P("\\Dir\\%s", lookup_name(i)), (const unsigned char *)"again", 5), "re-create");
    for (int i = 0; i < N; i += 4)
        CHECK(check_file(v, P("\\Dir\\%s", lookup_name(i)), (const unsigned char *)"again", 5), "re-read");
    int n;
    CHECK(count_dir(v, P("\\Dir"), NULL, &n) && n == N, "listing: %d entries", n);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("l.img"), "fsck");
}

static uint32_t crc32_host(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = c >> 1 ^ (0xEDB88320u & -(c & 1));
    }
    return ~c;
}

static void t_big_file(void)
{
    const size_t size = 16u << 20;
    CHECK(mkimage("b.img", 32, 40000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("b.img");
    CHECK(v, "mount");
    unsigned char *p = malloc(size), *q = malloc(size);
    fill(p, size, 16);
    uint32_t crc = crc32_host(p, size);
    PFAT_FILE f;
    ULONG_PTR info;
    ULONG n;
    NTSTATUS st = FatOpen(v, P("\\Big File.bin"), FILE_CREATE, 0, 0, &f, &info);
    for (size_t off = 0, chunk = 65537; st == STATUS_SUCCESS && off < size; ) {
        size_t len = off + chunk > size ? size - off : chunk;
        st = FatWrite(f, off, p + off, (ULONG)len, &n);
        off += len;
        chunk = chunk == 65537 ? 511 : chunk == 511 ? 300000 : 65537;     /* odd sizes, odd offsets */
    }
    if (st == STATUS_SUCCESS) FatClose(f);
    CHECK(st == STATUS_SUCCESS, "writing: 0x%08X", (unsigned)st);
    OK(FatOpen(v, P("\\big file.bin"), FILE_OPEN, 0, 0, &f, &info));
    memset(q, 0, size);
    for (size_t off = 0; off < size; off += 1000003) {
        st = FatRead(f, off, q + off, (ULONG)(off + 1000003 > size ? size - off : 1000003), &n);
        if (st) break;
    }
    FatClose(f);
    size_t bad = 0;
    while (bad < size && p[bad] == q[bad]) bad++;
    if (bad != size) { free(p); free(q); }
    CHECK(st == STATUS_SUCCESS && crc32_host(q, size) == crc, "read back: 0x%08X, crc %08x vs %08x, first difference at %zu",
          (unsigned)st, crc32_host(q, size), crc, bad);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("b.img"), "fsck");
    int ok = check_mtools("b.img", "/Big File.bin", p, size);
    free(p);
    free(q);
    CHECK(ok, "mtools");
}

static void t_wildcards(void)
{
    CHECK(mkimage("p.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("p.img");
    CHECK(v, "mount");
    static const char *names[] = { "alpha.txt", "Beta.TXT", "gamma.c", "Delta Long Name.txt", "abc", "a.b.c",
                                   "ümlaut.txt" };
    for (size_t i = 0; i < ARRAYSIZE(names); i++)
        CHECK(put_file(v, P("\\%s", names[i]), (const unsigned char *)"z", 1), "put %s", names[i]);
    static const struct { const char *pat; int n; } cases[] = {
        { "*", 7 }, { "*.*", 7 }, { "*.txt", 4 }, { "*.TXT", 4 }, { "?????.txt", 1 }, { "a*", 3 },
        { "*.c", 2 }, { "a?c", 1 }, { "*long*", 1 }, { "DELTAL~1.TXT", 1 }, { "x*", 0 }, { "*.", 0 },
        { "ÜMLAUT*", 1 }, { "*a*a*", 3 },
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        int n = -1;
        CHECK(count_dir(v, P("\\"), P("%s", cases[i].pat), &n) && n == cases[i].n, "pattern '%s': %d, expected %d",
              cases[i].pat, n, cases[i].n);
    }
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("p.img"), "fsck");
}

static LONGLONG nt_time(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s };
    return ((LONGLONG)timegm(&tm) + 11644473600LL) * 10000000LL;
}

static void t_times(void)
{
    CHECK(mkimage("tm.img", 32, 34000, NULL), "mkfs");
    g_fixed_time = nt_time(2024, 2, 29, 23, 59, 58) + 1234567;   /* .1234567 s */
    PFAT_VOLUME v = mount_image("tm.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\t"), FILE_CREATE, 0, 0, &f, &info));
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    CHECK(fi.CreationTime.QuadPart == nt_time(2024, 2, 29, 23, 59, 58) + 1200000, "creation %lld", fi.CreationTime.QuadPart);
    CHECK(fi.LastWriteTime.QuadPart == nt_time(2024, 2, 29, 23, 59, 58), "write time");
    CHECK(fi.LastAccessTime.QuadPart == nt_time(2024, 2, 29, 0, 0, 0), "access date");
    LARGE_INTEGER c, a, w;
    c.QuadPart = nt_time(1999, 12, 31, 12, 34, 57);
    a.QuadPart = nt_time(2000, 3, 1, 5, 0, 0);
    w.QuadPart = nt_time(2107, 12, 31, 23, 59, 58);
    OK(FatSetBasicInformation(f, &c, &a, &w, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM));
    FatClose(f);
    CHECK(unmount(v), "dismount");
    g_fixed_time = 0;
    v = mount_image("tm.img");
    CHECK(v, "remount");
    OK(FatOpen(v, P("\\T"), FILE_OPEN, 0, 0, &f, &info));
    FatQueryInformation(f, &fi);
    CHECK(fi.CreationTime.QuadPart == c.QuadPart, "creation round trip (odd second)");
    CHECK(fi.LastAccessTime.QuadPart == nt_time(2000, 3, 1, 0, 0, 0), "access round trip");
    CHECK(fi.LastWriteTime.QuadPart == w.QuadPart, "write round trip at the end of FAT's range");
    CHECK(fi.FileAttributes == (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM), "attributes %x", fi.FileAttributes);
    c.QuadPart = nt_time(1970, 1, 1, 0, 0, 0);                    /* before 1980: clamped */
    w.QuadPart = nt_time(2200, 1, 1, 0, 0, 0);                    /* after 2107: clamped */
    OK(FatSetBasicInformation(f, &c, NULL, &w, FILE_ATTRIBUTE_NORMAL));
    FatQueryInformation(f, &fi);
    CHECK(fi.CreationTime.QuadPart == nt_time(1980, 1, 1, 0, 0, 0), "clamped low");
    CHECK(fi.LastWriteTime.QuadPart == nt_time(2107, 12, 31, 23, 59, 58), "clamped high");
    CHECK(fi.FileAttributes == FILE_ATTRIBUTE_NORMAL, "normal: %x", fi.FileAttributes);
    /* Around the century rule: 2100 is not a leap year, 2000 and 2096 are. */
    static const int days[][3] = { { 2100, 2, 28 }, { 2100, 3, 1 }, { 2096, 2, 29 }, { 2096, 12, 31 },
                                   { 2000, 2, 29 }, { 1980, 12, 31 }, { 2107, 1, 1 } };
    for (unsigned i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        w.QuadPart = nt_time(days[i][0], days[i][1], days[i][2], 13, 14, 16);
        OK(FatSetBasicInformation(f, NULL, NULL, &w, FILE_ATTRIBUTE_NORMAL));
        FatQueryInformation(f, &fi);
        CHECK(fi.LastWriteTime.QuadPart == w.QuadPart, "write time %d-%d-%d round trip", days[i][0], days[i][1],
              days[i][2]);
    }
    FatClose(f);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("tm.img"), "fsck");
}

/* FAT16: a small volume, filled until STATUS_DISK_FULL, its fixed root filled, then freed. */
static void t_fat16_disk_full(void)
{
    CHECK(mkimage("f16.img", 16, 4200, "-s 1"), "mkfs");
    PFAT_VOLUME v = mount_image("f16.img");
    CHECK(v, "mount");
    FAT_VOLUME_INFO vi0, vi;
    FatQueryVolume(v, &vi0);
    CHECK(!vi0.Fat32 && vi0.TotalClusters >= 4085, "FAT16 expected (clusters %llu)", vi0.TotalClusters);
    PFAT_FILE f;
    ULONG_PTR info;
    ULONG n;
    static unsigned char buf[65536];
    fill(buf, sizeof buf, 9);
    OK(FatOpen(v, P("\\Filler File.bin"), FILE_CREATE, 0, 0, &f, &info));
    NTSTATUS st;
    ULONGLONG off = 0;
    while ((st = FatWrite(f, off, buf, sizeof buf, &n)) == STATUS_SUCCESS) off += n;
    CHECK(st == STATUS_DISK_FULL, "filling ended with 0x%08X", (unsigned)st);
    FAT_FILE_INFO fi;
    FatQueryInformation(f, &fi);
    CHECK(fi.EndOfFile == off, "a failed write changed the size");
    while ((st = FatWrite(f, off, buf, 512, &n)) == STATUS_SUCCESS) off += n;
    CHECK(st == STATUS_DISK_FULL, "filling by sectors ended with 0x%08X", (unsigned)st);
    FatQueryVolume(v, &vi);
    CHECK(vi.FreeClusters == 0, "free %llu", vi.FreeClusters);
    PFAT_FILE g;
    EXPECT_ST(FatOpen(v, P("\\New Directory"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &g, &info), STATUS_DISK_FULL);
    FatClose(f);
    OK(FatOpen(v, P("\\Filler File.bin"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatDelete(f));
    FatClose(f);
    /* The deleted file's clusters come back at the next flush, here forced by the allocation. */
    CHECK(put_file(v, P("\\after.bin"), buf, 10000), "write after delete");
    /* The fixed root holds 512 entries. */
    int made = 0;
    for (int i = 0; i < 600; i++) {
        st = FatOpen(v, P("\\r%d", i), FILE_CREATE, 0, 0, &f, &info);
        if (st != STATUS_SUCCESS) break;
        FatClose(f);
        made++;
    }
    CHECK(st == STATUS_DISK_FULL && made > 400 && made < 512, "root filled after %d files: 0x%08X", made, (unsigned)st);
    OK(FatOpen(v, P("\\r1"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatDelete(f));
    FatClose(f);
    OK(FatOpen(v, P("\\r1"), FILE_CREATE, 0, 0, &f, &info));
    FatClose(f);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("f16.img"), "fsck");
    CHECK(check_mtools("f16.img", "/after.bin", buf, 10000), "mtools");
}

static void t_fat16_tree(void)
{
    CHECK(mkimage("g16.img", 16, 20000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("g16.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    static unsigned char buf[200000];
    fill(buf, sizeof buf, 11);
    OK(FatOpen(v, P("\\Program Files"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info)); FatClose(f);
    OK(FatOpen(v, P("\\Program Files\\App"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info)); FatClose(f);
    CHECK(put_file(v, P("\\Program Files\\App\\Application Binary.exe"), buf, sizeof buf), "put");
    CHECK(put_file(v, P("\\autoexec.bat"), buf, 77), "put");
    OK(FatOpen(v, P("\\Program Files\\App"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatRename(f, P("\\App Moved"), FALSE));
    FatClose(f);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("g16.img"), "fsck");
    CHECK(check_mtools("g16.img", "/App Moved/Application Binary.exe", buf, sizeof buf), "mtools");
    CHECK(check_mtools("g16.img", "/autoexec.bat", buf, 77), "mtools");
}

/* Data, then FAT, then directory, then FSInfo, then the device flush. */
static void t_write_order(void)
{
    CHECK(mkimage("o.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("o.img");
    CHECK(v, "mount");
    unsigned char bs[512];
    pread(g_dev.fd, bs, 512, 0);
    ULONG rsvd = bs[14] | bs[15] << 8, nfats = bs[16], fatsz = bs[36] | bs[37] << 8 | bs[38] << 16;
    ULONG root_sector = rsvd + nfats * fatsz;          /* cluster 2, the root, one sector per cluster */
    CHECK(bs[13] == 1, "expects 512-byte clusters");
    static unsigned char buf[20000];
    fill(buf, sizeof buf, 5);
    g_dev.log_on = 1;
    PFAT_FILE f;
    ULONG_PTR info;
    ULONG n;
    OK(FatOpen(v, P("\\Ordered Data.bin"), FILE_CREATE, 0, 0, &f, &info));
    OK(FatWrite(f, 0, buf, 1000, &n));
    OK(FatWrite(f, 1000, buf + 1000, sizeof buf - 1000, &n));
    FatClose(f);                                        /* a written file is flushed at close */
    g_dev.log_on = 0;
    int phase = 0, saw[4] = { 0 };                      /* 0 data, 1 FAT, 2 directory, 3 FSInfo */
    CHECK(g_dev.flushes >= 1, "no device flush");
    for (int i = 0; i < g_dev.flush_at[0]; i++) {
        ULONGLONG s = g_dev.log_sector[i];
        int kind = s == 1 ? 3 : s >= rsvd && s < root_sector ? 1 : s == root_sector ? 2 : 0;
        CHECK(kind >= phase, "write %d (sector %llu, kind %d) after kind %d", i, s, kind, phase);
        phase = kind;
        saw[kind]++;
    }
    CHECK(saw[0] && saw[1] >= 2 && saw[2] && saw[3], "kinds written: data %d fat %d dir %d fsinfo %d", saw[0], saw[1],
          saw[2], saw[3]);
    /* Both FAT copies were written. */
    int copy2 = 0;
    for (int i = 0; i < g_dev.flush_at[0]; i++)
        copy2 |= g_dev.log_sector[i] >= rsvd + fatsz && g_dev.log_sector[i] < root_sector;
    CHECK(copy2, "second FAT not written");
    /* Closed and flushed: mtools already sees the file while the volume is mounted. */
    CHECK(check_mtools("o.img", "/Ordered Data.bin", buf, sizeof buf), "mtools before dismount");
    /* A delete: the entry goes out before the clusters are freed. */
    g_dev.nlog = 0;
    g_dev.flushes = 0;
    g_dev.log_on = 1;
    OK(FatOpen(v, P("\\Ordered Data.bin"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatDelete(f));
    FatClose(f);
    g_dev.log_on = 0;
    int dir_at = -1, fat_after = 0;
    for (int i = 0; i < g_dev.nlog; i++) {
        ULONGLONG s = g_dev.log_sector[i];
        if (s == root_sector && dir_at < 0) dir_at = i;
        if (s >= rsvd && s < root_sector) { CHECK(dir_at >= 0, "FAT freed before the entry was removed"); fat_after++; }
    }
    CHECK(dir_at >= 0 && fat_after >= 2, "delete writes: dir at %d, fat %d", dir_at, fat_after);
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("o.img"), "fsck");
}

/* ---- Corruption ----------------------------------------------------------------------------- */

static void patch(const char *img, long off, const void *bytes, size_t n)
{
    int fd = open(path_of(img), O_RDWR);
    if (fd >= 0) { if (pwrite(fd, bytes, n, off) != (ssize_t)n) perror("pwrite"); close(fd); }
}
static void patch32(const char *img, long off, uint32_t v) { patch(img, off, &v, 4); }
static void patch16(const char *img, long off, uint16_t v) { patch(img, off, &v, 2); }
static void patch8(const char *img, long off, uint8_t v) { patch(img, off, &v, 1); }

static NTSTATUS try_mount(const char *img, ULONGLONG claim)
{
    PFAT_VOLUME v;
    if (!dev_open(path_of(img), claim)) return STATUS_UNSUCCESSFUL;
    NTSTATUS st = FatMount(&g_bdev, &v);
    if (NT_SUCCESS(st)) FatDismount(v);
    dev_close();
    return st;
}

static void t_corrupt_bpb(void)
{
    CHECK(mkimage("c0.img", 32, 34000, NULL), "mkfs");
    static const struct { long off; int width; uint32_t value; NTSTATUS want; const char *what; } cases[] = {
        { 510, 1, 0, STATUS_UNRECOGNIZED_VOLUME, "no signature" },
        { 0, 1, 0, STATUS_UNRECOGNIZED_VOLUME, "no jump" },
        { 11, 2, 0, STATUS_UNRECOGNIZED_VOLUME, "bytes per sector 0" },
        { 11, 2, 300, STATUS_UNRECOGNIZED_VOLUME, "bytes per sector 300" },
        { 11, 2, 1024, STATUS_UNRECOGNIZED_VOLUME, "bytes per sector not the device's" },
        { 13, 1, 3, STATUS_UNRECOGNIZED_VOLUME, "sectors per cluster 3" },
        { 13, 1, 0, STATUS_UNRECOGNIZED_VOLUME, "sectors per cluster 0" },
        { 16, 1, 0, STATUS_UNRECOGNIZED_VOLUME, "no FATs" },
        { 21, 1, 0x12, STATUS_UNRECOGNIZED_VOLUME, "media byte" },
        { 14, 2, 0, STATUS_DISK_CORRUPT_ERROR, "reserved sectors 0" },
        { 14, 2, 0xFFFF, STATUS_UNRECOGNIZED_VOLUME, "reserved sectors leave FAT12's cluster count" },
        { 19, 2, 100, STATUS_DISK_CORRUPT_ERROR, "16-bit total sectors on FAT32" },
        { 16, 1, 9, STATUS_DISK_CORRUPT_ERROR, "9 FATs" },
        { 32, 4, 0, STATUS_DISK_CORRUPT_ERROR, "total sectors 0" },
        { 32, 4, 0xFFFFFFF0u, STATUS_DISK_CORRUPT_ERROR, "total sectors beyond the device" },
        { 36, 4, 0, STATUS_DISK_CORRUPT_ERROR, "FAT size 0" },
        { 36, 4, 10, STATUS_DISK_CORRUPT_ERROR, "FAT too small for the clusters" },
        { 36, 4, 0x7FFFFFFF, STATUS_DISK_CORRUPT_ERROR, "FAT size huge" },
        { 44, 4, 0, STATUS_DISK_CORRUPT_ERROR, "root cluster 0" },
        { 44, 4, 0x0FFFFFF0u, STATUS_DISK_CORRUPT_ERROR, "root cluster out of range" },
        { 42, 2, 0x0101, STATUS_DISK_CORRUPT_ERROR, "FAT32 version" },
        { 17, 2, 512, STATUS_DISK_CORRUPT_ERROR, "root entries on FAT32" },
        { 40, 2, 0x8F, STATUS_DISK_CORRUPT_ERROR, "active FAT beyond the FATs" },
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        sh("cp '%s' '%s'", path_of("c0.img"), path_of("c1.img"));
        if (cases[i].width == 1) patch8("c1.img", cases[i].off, (uint8_t)cases[i].value);
        else if (cases[i].width == 2) patch16("c1.img", cases[i].off, (uint16_t)cases[i].value);
        else patch32("c1.img", cases[i].off, cases[i].value);
        NTSTATUS st = try_mount("c1.img", 0);
        CHECK(st == cases[i].want, "%s: 0x%08X, expected 0x%08X", cases[i].what, (unsigned)st, (unsigned)cases[i].want);
    }
    /* Not FAT at all; FAT12; a truncated image. */
    sh("dd if=/dev/zero of='%s' bs=1024 count=2048 status=none", path_of("c1.img"));
    EXPECT_ST(try_mount("c1.img", 0), STATUS_UNRECOGNIZED_VOLUME);
    CHECK(mkimage("c12.img", 12, 1440, NULL), "mkfs 12");
    EXPECT_ST(try_mount("c12.img", 0), STATUS_UNRECOGNIZED_VOLUME);
    sh("cp '%s' '%s' && truncate -s 10M '%s'", path_of("c0.img"), path_of("c1.img"), path_of("c1.img"));
    EXPECT_ST(try_mount("c1.img", 0), STATUS_DISK_CORRUPT_ERROR);
    /* A device that claims the full size but whose tail is missing: errors, not crashes. */
    (void)try_mount("c1.img", 68000);
    /* A bad FSInfo is ignored (it is a hint) and left alone. */
    sh("cp '%s' '%s'", path_of("c0.img"), path_of("c1.img"));
    patch32("c1.img", 512, 0);
    EXPECT_ST(try_mount("c1.img", 0), STATUS_SUCCESS);
}

/* A volume with one file of 3 clusters (3, 4, 5) at root entry 0, for chain damage. */
static int make_chain_image(ULONG *fat_off, ULONG *fat_bytes, ULONG *root_off)
{
    CHECK0(mkimage("k0.img", 32, 34000, NULL), "mkfs");
    PFAT_VOLUME v = mount_image("k0.img");
    CHECK0(v, "mount");
    unsigned char buf[1500];
    fill(buf, sizeof buf, 1);
    CHECK0(put_file(v, P("\\CHAIN.BIN"), buf, sizeof buf), "put");
    PFAT_FILE d;
    ULONG_PTR info;
    CHECK0(FatOpen(v, P("\\DIR"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info) == STATUS_SUCCESS, "mkdir");
    FatClose(d);
    CHECK0(unmount(v), "dismount");
    unsigned char bs[512];
    int fd = open(path_of("k0.img"), O_RDONLY);
    CHECK0(pread(fd, bs, 512, 0) == 512, "read");
    close(fd);
    ULONG rsvd = bs[14] | bs[15] << 8, fatsz = bs[36] | bs[37] << 8 | bs[38] << 16;
    *fat_off = rsvd * 512;
    *fat_bytes = fatsz * 512;
    *root_off = (rsvd + bs[16] * fatsz) * 512;
    return 1;
}

static void set_fat(const char *img, ULONG fat_off, ULONG fat_bytes, ULONG cluster, uint32_t value)
{
    patch32(img, fat_off + cluster * 4, value);
    patch32(img, fat_off + fat_bytes + cluster * 4, value);
}

static NTSTATUS try_read(const char *img, const char *path)
{
    PFAT_VOLUME v;
    if (!dev_open(path_of(img), 0)) return STATUS_UNSUCCESSFUL;
    NTSTATUS st = FatMount(&g_bdev, &v);
    if (NT_SUCCESS(st)) {
        PFAT_FILE f;
        ULONG_PTR info;
        st = FatOpen(v, P("%s", path), FILE_OPEN, 0, 0, &f, &info);
        if (NT_SUCCESS(st)) {
            static unsigned char buf[4096];
            ULONG n;
            FAT_FILE_INFO fi;
            st = FatQueryInformation(f, &fi);
            if (NT_SUCCESS(st) && !fi.Directory) st = FatRead(f, 0, buf, sizeof buf, &n);
            if (NT_SUCCESS(st) && fi.Directory) {
                ULONG cursor = 0;
                while ((st = FatQueryDirectory(f, &cursor, NULL, &fi)) == STATUS_SUCCESS) {}
                if (st == STATUS_NO_MORE_FILES) st = STATUS_SUCCESS;
            }
            FatClose(f);
        }
        FatDismount(v);
    }
    dev_close();
    return st;
}

static void t_corrupt_chains(void)
{
    ULONG fo, fb, ro;
    CHECK(make_chain_image(&fo, &fb, &ro), "image");
    EXPECT_ST(try_read("k0.img", "\\CHAIN.BIN"), STATUS_SUCCESS);
    static const struct { ULONG cluster; uint32_t value; const char *what; } chains[] = {
        { 5, 3, "loop back to the start" }, { 4, 4, "self loop" }, { 4, 0x0FFFFFF0u, "link out of range" },
        { 4, 0, "free cluster in the chain" }, { 4, 1, "reserved value" }, { 4, 0x0FFFFFF7u, "bad cluster" },
        { 3, 0x0FFFFFFFu, "chain shorter than the size" },
    };
    for (size_t i = 0; i < ARRAYSIZE(chains); i++) {
        sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
        set_fat("k1.img", fo, fb, chains[i].cluster, chains[i].value);
        NTSTATUS st = try_read("k1.img", "\\CHAIN.BIN");
        CHECK(st == STATUS_FILE_CORRUPT_ERROR, "%s: 0x%08X", chains[i].what, (unsigned)st);
    }
    /* Directory entries naming clusters outside the volume (root entry 0: CHAIN.BIN). */
    static const struct { long field; uint16_t value; const char *what; } ents[] = {
        { 20, 0x0002, "start cluster just beyond the volume" }, { 20, 0x7FFF, "start cluster far beyond" },
        { 26, 1, "start cluster 1" }, { 26, 0, "no cluster but a size" },
    };
    for (size_t i = 0; i < ARRAYSIZE(ents); i++) {
        sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
        patch16("k1.img", ro + ents[i].field, ents[i].value);
        NTSTATUS st = try_read("k1.img", "\\CHAIN.BIN");
        CHECK(st == STATUS_FILE_CORRUPT_ERROR, "%s: 0x%08X", ents[i].what, (unsigned)st);
    }
    /* A directory whose chain loops: opening it fails; the root's chain looping fails the mount. */
    sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
    patch16("k1.img", ro + 32 + 26, 0);                  /* DIR's entry (no long name): no cluster */
    EXPECT_ST(try_read("k1.img", "\\DIR"), STATUS_FILE_CORRUPT_ERROR);
    sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
    set_fat("k1.img", fo, fb, 6, 6);                      /* DIR is cluster 6 */
    EXPECT_ST(try_read("k1.img", "\\DIR"), STATUS_FILE_CORRUPT_ERROR);
    sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
    set_fat("k1.img", fo, fb, 2, 2);
    EXPECT_ST(try_read("k1.img", "\\CHAIN.BIN"), STATUS_DISK_CORRUPT_ERROR);
    /* Size 0 with clusters: nothing to read. */
    sh("cp '%s' '%s'", path_of("k0.img"), path_of("k1.img"));
    patch32("k1.img", ro + 28, 0);
    EXPECT_ST(try_read("k1.img", "\\CHAIN.BIN"), STATUS_END_OF_FILE);
}

/* ---- Fuzz ----------------------------------------------------------------------------------- */

typedef struct { unsigned char *pristine, *work; ULONGLONG sectors; } FUZZIMG;

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) { g_rng ^= g_rng << 7; g_rng ^= g_rng >> 9; return (uint32_t)(g_rng * 0x2545F4914F6CDD1Dull >> 32); }

/* Walks the tree: lists every directory, reads every file, sometimes writes. */
static void fuzz_walk(PFAT_VOLUME v, const WCHAR *dir, size_t dirlen, int depth, int *budget)
{
    if (depth > 6 || *budget <= 0) return;
    PFAT_FILE d;
    ULONG_PTR info;
    UNICODE_STRING us = { (USHORT)(dirlen * 2), (USHORT)(dirlen * 2), (PWSTR)dir };
    if (FatOpen(v, &us, FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info) != STATUS_SUCCESS) return;
    ULONG cursor = 0;
    FAT_FILE_INFO e;
    while (--*budget > 0 && FatQueryDirectory(d, &cursor, NULL, &e) == STATUS_SUCCESS) {
        WCHAR path[600];
        size_t n = dirlen;
        memcpy(path, dir, dirlen * 2);
        if (n > 1) path[n++] = '\\';
        memcpy(path + n, e.Name, e.NameLength);
        n += e.NameLength / 2;
        if (e.Directory) { fuzz_walk(v, path, n, depth + 1, budget); continue; }
        UNICODE_STRING fs = { (USHORT)(n * 2), (USHORT)(n * 2), path };
        PFAT_FILE f;
        if (FatOpen(v, &fs, FILE_OPEN, 0, 0, &f, &info) != STATUS_SUCCESS) continue;
        static unsigned char buf[70000];
        ULONG r;
        FatRead(f, 0, buf, sizeof buf, &r);
        if (rnd() % 4 == 0) FatWrite(f, rnd() % 5000, buf, rnd() % 3000 + 1, &r);
        if (rnd() % 8 == 0) FatSetEndOfFile(f, rnd() % 3000);
        if (rnd() % 10 == 0) FatDelete(f);
        FatClose(f);
    }
    if (rnd() % 3 == 0) {
        PFAT_FILE f;
        WCHAR path[600];
        memcpy(path, dir, dirlen * 2);
        size_t n = dirlen;
        if (n > 1) path[n++] = '\\';
        static const WCHAR nm[] = u"Fuzz New File.txt";
        memcpy(path + n, nm, sizeof nm - 2);
        n += ARRAYSIZE(nm) - 1;
        UNICODE_STRING fs = { (USHORT)(n * 2), (USHORT)(n * 2), path };
        if (FatOpen(v, &fs, FILE_OPEN_IF, 0, 0, &f, &info) == STATUS_SUCCESS) {
            ULONG w;
            FatWrite(f, 0, nm, sizeof nm, &w);
            if (rnd() % 2) FatRename(f, P("\\Renamed By Fuzz"), TRUE);
            FatClose(f);
        }
    }
    FatClose(d);
}

static void t_fuzz(void)
{
    /* A small populated volume: directories, long names, files of a few clusters. */
    CHECK(mkimage("z.img", 32, 33800, "-n FUZZ"), "mkfs");
    PFAT_VOLUME v = mount_image("z.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    static unsigned char buf[9000];
    fill(buf, sizeof buf, 77);
    OK(FatOpen(v, P("\\Folder A"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info)); FatClose(f);
    OK(FatOpen(v, P("\\Folder A\\Inner"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info)); FatClose(f);
    for (int i = 0; i < 12; i++)
        CHECK(put_file(v, P(i % 3 ? "\\Folder A\\File With Long Name %d.dat" : "\\F%d.TXT", i), buf, 300 * i + 1), "put");
    CHECK(put_file(v, P("\\Folder A\\Inner\\deep.bin"), buf, sizeof buf), "put");
    CHECK(unmount(v), "dismount");
    FUZZIMG z;
    size_t size;
    z.pristine = read_host_file(path_of("z.img"), &size);
    CHECK(z.pristine, "read image");
    z.sectors = size / 512;
    z.work = malloc(size);
    memcpy(z.work, z.pristine, size);
    unsigned char *touched = calloc(z.sectors, 1);
    /* The metadata lives in the first sectors: reserved area, FATs, the first data clusters. */
    ULONG rsvd = z.pristine[14] | z.pristine[15] << 8;
    ULONG fatsz = z.pristine[36] | z.pristine[37] << 8 | z.pristine[38] << 16;
    int iterations = 3000, mounted = 0;
    for (int it = 0; it < iterations; it++) {
        int muts = 1 + rnd() % 8;
        for (int m = 0; m < muts; m++) {
            ULONG sector;
            switch (rnd() % 4) {
            case 0: sector = rnd() % 2 ? 0 : rnd() % rsvd; break;                 /* boot / FSInfo */
            case 1: sector = rsvd + (rnd() % 2) * fatsz + rnd() % 4; break;        /* FAT heads */
            default: sector = rsvd + 2 * fatsz + rnd() % 200; break;              /* dirs and data */
            }
            size_t off = (size_t)sector * 512 + rnd() % 512;
            switch (rnd() % 3) {
            case 0: z.work[off] ^= (unsigned char)(1u << (rnd() % 8)); break;
            case 1: z.work[off] = (unsigned char)rnd(); break;
            default: z.work[off] = (unsigned char[]){ 0, 0xFF, 0xE5, 0x0F, 0x10, 0x7F, 0x80 }[rnd() % 7]; break;
            }
            touched[sector] = 1;
        }
        memset(&g_dev, 0, sizeof g_dev);
        g_dev.mem = z.work;
        g_dev.touched = touched;
        g_dev.real_sectors = z.sectors;
        g_dev.fail_writes_after = -1;
        g_bdev.Context = &g_dev;
        g_bdev.SectorCount = rnd() % 50 ? z.sectors : z.sectors / 2;
        PFAT_VOLUME fv;
        if (FatMount(&g_bdev, &fv) == STATUS_SUCCESS) {
            mounted++;
            int budget = 400;
            fuzz_walk(fv, u"\\", 1, 0, &budget);
            FatDismount(fv);
        }
        g_bdev.SectorCount = z.sectors;
        /* Restore what changed. */
        for (ULONG s = 0; s < z.sectors; s++)
            if (touched[s]) { memcpy(z.work + (size_t)s * 512, z.pristine + (size_t)s * 512, 512); touched[s] = 0; }
        CHECK(g_live == 0, "iteration %d leaked %ld blocks", it, g_live);
    }
    free(z.pristine);
    free(z.work);
    free(touched);
    if (g_verbose) printf("  fuzz: %d of %d mutated images mounted\n", mounted, iterations);
    CHECK(mounted > iterations / 4, "only %d of %d mutated images mounted", mounted, iterations);
}

/* ---- Lookup shortcuts: short-name bytes, free-entry hints, the walk memo, cluster runs ------ */

/* Replaces the 11 name bytes of the short entry From (found at an entry boundary) with To. */
static int rename_short_bytes(const char *img, const char *From, const char *To)
{
    size_t n;
    unsigned char *p = read_host_file(path_of(img), &n);
    CHECK0(p != NULL, "read %s", img);
    long at = -1;
    for (size_t off = 0; off + 32 <= n && at < 0; off += 32)
        if (memcmp(p + off, From, 11) == 0 && p[off + 11] != 0x0F) at = (long)off;
    free(p);
    CHECK0(at >= 0, "no entry %.11s", From);
    patch(img, at, To, 11);
    return 1;
}

/* Short entries whose bytes are not the plain upper-case form (written by other systems, or
 * damaged) are found exactly as FatpShortNameEquals shows them: stored lower case, 0x05 for a
 * leading 0xE5, Latin-1 letters, a '.' inside the base, a name without its extension. */
static void t_short_name_bytes(void)
{
    static const char *names[] = { "ABC.TXT", "XY.DAT", "QQ.TXT", "MNOP", "KL.TXT", "ZZ", "PLAIN.TXT" };
    CHECK(mkimage("sb.img", 16, 16000, "-s 1"), "mkfs");
    for (int i = 0; i < 7; i++) {
        unsigned char c[4] = { 'f', (unsigned char)('0' + i), '\n', 0 };
        CHECK(write_host_file(path_of("sb.src"), c, 3), "host file");
        CHECK(sh("mcopy -i '%s' '%s' '::/%s'", path_of("sb.img"), path_of("sb.src"), names[i]) == 0,
              "mcopy %s", names[i]);
    }
    CHECK(rename_short_bytes("sb.img", "ABC     TXT", "abc     txt"), "patch");
    CHECK(rename_short_bytes("sb.img", "XY      DAT", "XY.DAT     "), "patch");
    CHECK(rename_short_bytes("sb.img", "QQ      TXT", "\x05Q      TXT"), "patch");
    CHECK(rename_short_bytes("sb.img", "MNOP       ", "MN\xE9P       "), "patch");
    CHECK(rename_short_bytes("sb.img", "KL      TXT", "KL         "), "patch");
    CHECK(rename_short_bytes("sb.img", "ZZ         ", "Z\xFF         "), "patch");
    PFAT_VOLUME v = mount_image("sb.img");
    CHECK(v, "mount");
    PFAT_FILE f;
    ULONG_PTR info;
    static const struct { const char *path; int file; } found[] = {
        { "\\ABC.TXT", 0 }, { "\\abc.txt", 0 }, { "\\Abc.tXt", 0 },
        { "\\XY.DAT", 1 }, { "\\xy.dat", 1 },
        { "\\\xC3\xA5Q.TXT", 2 }, { "\\\xC3\x85q.txt", 2 },            /* aQ.TXT with a-ring, either case */
        { "\\MN\xC3\x89P", 3 }, { "\\mn\xC3\xA9p", 3 },                /* MNEP with e-acute, either case */
        { "\\KL", 4 }, { "\\kl", 4 },
        { "\\Z\xC3\xBF", 5 }, { "\\Z\xC5\xB8", 5 },                    /* y-diaeresis upcases beyond Latin-1 */
        { "\\PLAIN.TXT", 6 }, { "\\plain.txt", 6 },
    };
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
        unsigned char c[3] = { 'f', (unsigned char)('0' + found[i].file), '\n' };
        CHECK(check_file(v, P("%s", found[i].path), c, 3), "open %s", found[i].path);
    }
    static const char *missing[] = { "\\ABD.TXT", "\\ABC.TX", "\\ABC", "\\XY", "\\XY.DA", "\\QQ.TXT", "\\Q.TXT",
                                     "\\MNEP", "\\MN\xC3\x89", "\\KL.TXT", "\\K", "\\ZY", "\\PLAIN.TX", "\\PLAIN" };
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        EXPECT_ST(FatOpen(v, P("%s", missing[i]), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\aBc.TxT"), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
    EXPECT_ST(FatOpen(v, P("\\xY.dAt"), FILE_CREATE, 0, 0, &f, &info), STATUS_OBJECT_NAME_COLLISION);
    CHECK(unmount(v), "dismount");
}

/* Creates after lookups that missed start their search for free entries where the lookup saw
 * the first one, and walks of a path reuse the steps of the last walk: neither may outlive a
 * change. Names that collide on 8.3 (one ~N sequence), deletes between a missed lookup and the
 * create, directories renamed, deleted and made again under the walk. */
static void t_lookup_hints(void)
{
    CHECK(mkimage("h.img", 32, 40000, "-s 1"), "mkfs");
    PFAT_VOLUME v = mount_image("h.img");
    CHECK(v, "mount");
    PFAT_FILE f, d;
    ULONG_PTR info;
    OK(FatOpen(v, P("\\Dir"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    enum { N = 60 };
    unsigned char c[16];
    for (int i = 0; i < N; i++) {
        int len = snprintf((char *)c, sizeof c, "n%d", i);
        EXPECT_ST(FatOpen(v, P("\\Dir\\Colliding Name %d.text", i), FILE_OPEN, 0, 0, &f, &info),
                  STATUS_OBJECT_NAME_NOT_FOUND);
        CHECK(put_file(v, P("\\Dir\\Colliding Name %d.text", i), c, (size_t)len), "create %d", i);
    }
    /* A miss, then a delete (the gap it leaves is before the hint), then the create. */
    for (int i = 0; i < N; i += 3) {
        EXPECT_ST(FatOpen(v, P("\\Dir\\new%03d.txt", i), FILE_OPEN, 0, 0, &f, &info), STATUS_OBJECT_NAME_NOT_FOUND);
        OK(FatOpen(v, P("\\Dir\\Colliding Name %d.text", i), FILE_OPEN, 0, 0, &f, &info));
        OK(FatDelete(f));
        FatClose(f);
        int len = snprintf((char *)c, sizeof c, "new%d", i);
        CHECK(put_file(v, P("\\Dir\\new%03d.txt", i), c, (size_t)len), "create new%03d", i);
    }
    /* More colliding names: their ~N take the numbers freed above, in the gaps left. */
    for (int i = N; i < N + 20; i++) {
        int len = snprintf((char *)c, sizeof c, "n%d", i);
        CHECK(put_file(v, P("\\Dir\\Colliding Name %d.text", i), c, (size_t)len), "create %d", i);
    }
    for (int i = 0; i < N + 20; i++) {
        int len = snprintf((char *)c, sizeof c, "n%d", i);
        if (i < N && i % 3 == 0) {
            EXPECT_ST(FatOpen(v, P("\\Dir\\Colliding Name %d.text", i), FILE_OPEN, 0, 0, &f, &info),
                      STATUS_OBJECT_NAME_NOT_FOUND);
            len = snprintf((char *)c, sizeof c, "new%d", i);
            CHECK(check_file(v, P("\\Dir\\NEW%03d.TXT", i), c, (size_t)len), "read new%03d", i);
            continue;
        }
        CHECK(check_file(v, P("\\Dir\\colliding name %d.TEXT", i), c, (size_t)len), "read %d", i);
    }
    int n;
    CHECK(count_dir(v, P("\\Dir"), NULL, &n) && n == N + 20, "listing: %d entries", n);
    /* The walk memo: the same path through renamed, deleted and re-made directories. */
    OK(FatOpen(v, P("\\Long Directory One"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    OK(FatOpen(v, P("\\Long Directory One\\Sub"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    CHECK(put_file(v, P("\\Long Directory One\\Sub\\a.txt"), (const unsigned char *)"one", 3), "put");
    CHECK(check_file(v, P("\\Long Directory One\\Sub\\a.txt"), (const unsigned char *)"one", 3), "read");
    OK(FatOpen(v, P("\\Long Directory One\\Sub"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    OK(FatRename(d, P("\\Long Directory One\\Other"), FALSE));
    FatClose(d);
    EXPECT_ST(FatOpen(v, P("\\Long Directory One\\Sub\\a.txt"), FILE_OPEN, 0, 0, &f, &info),
              STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK(check_file(v, P("\\Long Directory One\\Other\\a.txt"), (const unsigned char *)"one", 3), "read moved");
    OK(FatOpen(v, P("\\Long Directory One\\Other\\a.txt"), FILE_OPEN, 0, 0, &f, &info));
    OK(FatDelete(f));
    FatClose(f);
    OK(FatOpen(v, P("\\Long Directory One\\Other"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    OK(FatDelete(d));
    FatClose(d);
    OK(FatOpen(v, P("\\Long Directory One"), FILE_OPEN, FILE_DIRECTORY_FILE, 0, &d, &info));
    OK(FatDelete(d));
    FatClose(d);
    OK(FatFlushVolume(v));                  /* the clusters come free: the next directory may take them */
    /* Same short name (LONGDI~1), same slot, likely the same cluster: only the long name differs. */
    OK(FatOpen(v, P("\\Long Directory Two"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    OK(FatOpen(v, P("\\Long Directory Two\\Other"), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &d, &info));
    FatClose(d);
    EXPECT_ST(FatOpen(v, P("\\Long Directory One\\Other\\a.txt"), FILE_OPEN, 0, 0, &f, &info),
              STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_ST(FatOpen(v, P("\\Long Directory Two\\Other\\a.txt"), FILE_OPEN, 0, 0, &f, &info),
              STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(put_file(v, P("\\Long Directory Two\\Other\\b.txt"), (const unsigned char *)"two", 3), "put two");
    CHECK(check_file(v, P("\\LONG DIRECTORY TWO\\other\\B.TXT"), (const unsigned char *)"two", 3), "read two");
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("h.img"), "fsck");
    c[0] = 'n'; int len = snprintf((char *)c, sizeof c, "n%d", N + 5);
    CHECK(check_mtools("h.img", "/Dir/Colliding Name 65.text", c, (size_t)len), "mtools");
    CHECK(check_mtools("h.img", "/Dir/new003.txt", (const unsigned char *)"new3", 4), "mtools");
    CHECK(check_mtools("h.img", "/Long Directory Two/Other/b.txt", (const unsigned char *)"two", 3), "mtools");
    CHECK(sh("mdir -i '%s' ::/Dir | grep -c 'Colliding Name' | grep -qx %d", path_of("h.img"), N + 20 - N / 3) == 0,
          "mdir does not list %d colliding names", N + 20 - N / 3);
}

/* Files that grow in turns get interleaved chains; the leading run a file control block maps
 * without the FAT must end where the chain stops being contiguous, through growth, truncation
 * and extension. */
static void t_fragmented_growth(void)
{
    CHECK(mkimage("g.img", 32, 40000, "-s 1"), "mkfs");
    PFAT_VOLUME v = mount_image("g.img");
    CHECK(v, "mount");
    enum { STEP = 700, STEPS = 12 };
    static unsigned char a[STEP * STEPS], b[STEP * STEPS];
    fill(a, sizeof a, 11);
    fill(b, sizeof b, 12);
    PFAT_FILE fa, fb;
    ULONG_PTR info;
    ULONG w;
    OK(FatOpen(v, P("\\a.bin"), FILE_CREATE, 0, 0, &fa, &info));
    OK(FatOpen(v, P("\\b.bin"), FILE_CREATE, 0, 0, &fb, &info));
    OK(FatWrite(fa, 0, a, 3000, &w));               /* a leading run of 6 clusters */
    for (int i = 0; i < STEPS; i++) {
        OK(FatWrite(fb, (ULONGLONG)i * STEP, b + i * STEP, STEP, &w));
        if (i >= 4) OK(FatWrite(fa, (ULONGLONG)i * STEP, a + i * STEP, STEP, &w));
    }
    ULONG r;
    static unsigned char buf[STEP * STEPS];
    OK(FatRead(fa, 0, buf, sizeof buf, &r));
    CHECK(r == sizeof a && memcmp(buf, a, sizeof a) == 0, "a reads back (%u bytes)", r);
    OK(FatSetEndOfFile(fa, 2000));                 /* inside the leading run */
    OK(FatSetEndOfFile(fa, 5000));                 /* zeroes from 2000 on */
    memset(a + 2000, 0, 3000);
    OK(FatWrite(fa, 5000, a + 5000, sizeof a - 5000, &w));
    OK(FatRead(fa, 0, buf, sizeof buf, &r));
    CHECK(r == sizeof a && memcmp(buf, a, sizeof a) == 0, "a reads back after truncation");
    FatClose(fa);
    FatClose(fb);
    CHECK(check_file(v, P("\\a.bin"), a, sizeof a), "a reopened");
    CHECK(check_file(v, P("\\b.bin"), b, sizeof b), "b reopened");
    CHECK(unmount(v), "dismount");
    CHECK(fsck_clean("g.img"), "fsck");
    CHECK(check_mtools("g.img", "/a.bin", a, sizeof a), "mtools a");
    CHECK(check_mtools("g.img", "/b.bin", b, sizeof b), "mtools b");
}

/* Allocation failures at every step of a small workload: errors, never crashes or leaks. */
static void t_alloc_failures(void)
{
    CHECK(mkimage("a.img", 32, 34000, NULL), "mkfs");
    for (long k = 0; k < 60; k++) {
        if (!dev_open(path_of("a.img"), 0)) break;
        g_alloc_fail_at = k;
        PFAT_VOLUME v;
        if (FatMount(&g_bdev, &v) == STATUS_SUCCESS) {
            PFAT_FILE f;
            ULONG_PTR info;
            ULONG n;
            if (FatOpen(v, P("\\Some Long Name %ld.txt", k), FILE_OPEN_IF, 0, 0, &f, &info) == STATUS_SUCCESS) {
                FatWrite(f, 0, "abc", 3, &n);
                FatClose(f);
            }
            if (FatOpen(v, P("\\Dir%ld", k), FILE_CREATE, FILE_DIRECTORY_FILE, 0, &f, &info) == STATUS_SUCCESS)
                FatClose(f);
            g_alloc_fail_at = -1;
            CHECK(FatDismount(v) == STATUS_SUCCESS, "dismount");
        }
        g_alloc_fail_at = -1;
        dev_close();
        CHECK(g_live == 0, "leak after failing allocation %ld", k);
    }
    CHECK(fsck_clean("a.img"), "fsck");
}

/* ---- Runner --------------------------------------------------------------------------------- */

static void run_case(const char *name, void (*fn)(void))
{
    g_case_failed = 0;
    g_reason[0] = 0;
    long live = g_live;
    fn();
    if (g_dev.fd > 0) dev_close();
    if (!g_case_failed && g_live != live) failf(0, "%ld pool blocks leaked", g_live - live);
    if (!g_case_failed && g_bad_tag) failf(0, "%ld frees with the wrong tag", g_bad_tag);
    if (g_case_failed) { printf("FAIL fat.%s: %s\n", name, g_reason); g_failed++; }
    else { printf("PASS fat.%s\n", name); g_passed++; }
    g_live = live;
    fflush(stdout);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc) g_dir = argv[++i];
        else if (!strcmp(argv[i], "-v")) g_verbose = 1;
        else { fprintf(stderr, "usage: %s [--dir DIR] [-v]\n", argv[0]); return 2; }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    sh("mkdir -p '%s'", g_dir);
    if (sh("command -v mkfs.fat >/dev/null && command -v fsck.fat >/dev/null && command -v mcopy") != 0) {
        printf("FAIL fat.tools: mkfs.fat, fsck.fat and mtools are needed\nunit fat: 0 passed, 1 failed\n");
        return 1;
    }
    run_case("mount_query", t_mount_query);
    run_case("read_mtools_files", t_read_mtools);
    run_case("write_then_mtools_and_fsck", t_write_mtools);
    run_case("dispositions_and_errors", t_dispositions);
    run_case("shared_fcb", t_shared_fcb);
    run_case("truncate_extend_holes", t_truncate_extend);
    run_case("delete", t_delete);
    run_case("rename", t_rename);
    run_case("1000_files", t_many_files);
    run_case("lookup_long_short_case", t_lookup);
    run_case("short_name_bytes", t_short_name_bytes);
    run_case("lookup_hints_and_walk_memo", t_lookup_hints);
    run_case("fragmented_growth", t_fragmented_growth);
    run_case("16mib_file", t_big_file);
    run_case("wildcards", t_wildcards);
    run_case("times_and_attributes", t_times);
    run_case("fat16_disk_full_and_root", t_fat16_disk_full);
    run_case("fat16_tree", t_fat16_tree);
    run_case("write_order", t_write_order);
    run_case("corrupt_bpb", t_corrupt_bpb);
    run_case("corrupt_chains_and_entries", t_corrupt_chains);
    run_case("allocation_failures", t_alloc_failures);
    run_case("fuzz_3000", t_fuzz);
    printf("unit fat: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
