/*
 * pe_test.c - host unit tests of the PE image parser (kernel/rtl/peimage.c, peaccess.c), under
 * AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 * Usage: pe_test DIR [-v]
 * DIR (build/unit/pe, made by tests/unit/Makefile) holds images cross-compiled from tests/unit/pe
 * with i686-w64-mingw32-gcc: pedll.dll (exports by name, NONAME, forwarders by name and by
 * ordinal, a relocated pointer, TLS with a callback) and peexe.exe (imports pedll by name and by
 * ordinal, kernel32 and msvcrt through the CRT); and DIR/bad, the broken corpus tools/mkbadpe.py
 * derives from them, with its MANIFEST of the stage and status each file must fail with.
 * Header fields are checked against i686-w64-mingw32-objdump -p, an independent reader.
 * The fuzz cases run PeFuzzLoop (pe_fuzz.c) over both images with fixed seeds
 * (PE_FUZZ_ITERATIONS overrides the iteration count).
 * Prints PASS/FAIL per case and "unit pe: N passed, M failed".
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#undef NULL                /* ntdef.h defines its own (same value) */
#include "pe.h"
#include "pe_fuzz.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

/* ============================================================================================
 * Bookkeeping
 */
static const char *g_dir;
static const char *g_case;
static int g_case_failed, g_passed, g_failed, g_verbose;
static char g_reason[600];

static void fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_at(int line, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (g_case_failed) return;
    g_case_failed = 1;
    n = snprintf(g_reason, sizeof g_reason, "line %d: ", line);
    va_start(ap, fmt);
    vsnprintf(g_reason + n, sizeof g_reason - (size_t)n, fmt, ap);
    va_end(ap);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;

    if (!g_verbose) return;
    printf("  note %s: ", g_case);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#define CHECK(c) do { if (!(c)) { fail_at(__LINE__, "%s", #c); return; } } while (0)
#define CHECK_EQ(a, b) do { unsigned long long a_ = (a), b_ = (b); if (a_ != b_) { \
    fail_at(__LINE__, "%s = 0x%llX, expected 0x%llX", #a, a_, b_); return; } } while (0)
#define CHECK_STATUS(e, s) do { NTSTATUS st_ = (e); if (st_ != (NTSTATUS)(s)) { \
    fail_at(__LINE__, "%s = 0x%08X, expected 0x%08X", #e, (unsigned)st_, (unsigned)(s)); return; } \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    g_case = name;
    g_case_failed = 0;
    fn();
    if (g_case_failed) { printf("FAIL %s: %s\n", name, g_reason); g_failed++; }
    else { printf("PASS %s\n", name); g_passed++; }
    fflush(stdout);
}

/* ============================================================================================
 * The test images
 */
typedef struct {
    const char *Name;
    uint8_t *File;
    size_t FileSize;
    RTL_IMAGE_INFO Info;        /* file form */
    uint8_t *Map;               /* mapped form (pristine: tests copy it before changing it) */
    RTL_IMAGE_INFO MapInfo;
} TEST_IMAGE;

static TEST_IMAGE g_dll = { .Name = "pedll.dll" }, g_exe = { .Name = "peexe.exe" };

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static int load_image(TEST_IMAGE *t)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", g_dir, t->Name);
    t->File = read_file(path, &t->FileSize);
    if (t->File == NULL) { printf("cannot read %s\n", path); return 0; }
    if (RtlValidateImageFile(t->File, t->FileSize, &t->Info) != STATUS_SUCCESS) return 0;
    t->Map = malloc(t->Info.SizeOfImage);
    if (RtlMapImageFile(&t->Info, t->Map, t->Info.SizeOfImage) != STATUS_SUCCESS) return 0;
    return RtlValidateMappedImage(t->Map, t->Info.SizeOfImage, &t->MapInfo) == STATUS_SUCCESS;
}

/* A private copy of an image's mapped form, validated. */
static uint8_t *copy_mapped(const TEST_IMAGE *t, PRTL_IMAGE_INFO Info)
{
    uint8_t *m = malloc(t->Info.SizeOfImage);
    memcpy(m, t->Map, t->Info.SizeOfImage);
    if (RtlValidateMappedImage(m, t->Info.SizeOfImage, Info) != STATUS_SUCCESS) { free(m); return NULL; }
    return m;
}

/* ============================================================================================
 * Headers against objdump
 */
typedef struct { char Key[40]; unsigned long long Value; } DUMP_FIELD;

static int objdump_fields(const TEST_IMAGE *t, DUMP_FIELD *out, int max)
{
    char cmd[600], line[512];
    FILE *p;
    int n = 0;

    snprintf(cmd, sizeof cmd, "i686-w64-mingw32-objdump -p '%s/%s' 2>/dev/null", g_dir, t->Name);
    p = popen(cmd, "r");
    if (p == NULL) return 0;
    while (fgets(line, sizeof line, p) && n < max) {
        char key[40];
        unsigned long long v;
        unsigned idx;
        if (sscanf(line, "Entry %u %llx %*x", &idx, &v) == 2) {
            snprintf(out[n].Key, sizeof out[n].Key, "Entry%u", idx);
            out[n++].Value = v;
        } else if (sscanf(line, "Characteristics 0x%llx", &v) == 1) {
            snprintf(out[n].Key, sizeof out[n].Key, "Characteristics");
            out[n++].Value = v;
        } else if (sscanf(line, "%39s %llx", key, &v) == 2 && line[0] != '\t') {
            snprintf(out[n].Key, sizeof out[n].Key, "%s", key);
            out[n++].Value = v;
        }
    }
    pclose(p);
    return n;
}

static int dump_get(const DUMP_FIELD *f, int n, const char *key, unsigned long long *v)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].Key, key) == 0) { *v = f[i].Value; return 1; }
    return 0;
}

static void check_against_objdump(const TEST_IMAGE *t)
{
    DUMP_FIELD f[128];
    int n = objdump_fields(t, f, 128);
    unsigned long long v;
    const RTL_IMAGE_INFO *I = &t->Info;
    static const struct { const char *Key; size_t Offset; int Short; } map[] = {
        { "ImageBase", offsetof(RTL_IMAGE_INFO, ImageBase), 0 },
        { "SizeOfImage", offsetof(RTL_IMAGE_INFO, SizeOfImage), 0 },
        { "SizeOfHeaders", offsetof(RTL_IMAGE_INFO, SizeOfHeaders), 0 },
        { "AddressOfEntryPoint", offsetof(RTL_IMAGE_INFO, EntryPoint), 0 },
        { "SectionAlignment", offsetof(RTL_IMAGE_INFO, SectionAlignment), 0 },
        { "FileAlignment", offsetof(RTL_IMAGE_INFO, FileAlignment), 0 },
        { "SizeOfStackReserve", offsetof(RTL_IMAGE_INFO, SizeOfStackReserve), 0 },
        { "SizeOfStackCommit", offsetof(RTL_IMAGE_INFO, SizeOfStackCommit), 0 },
        { "SizeOfHeapReserve", offsetof(RTL_IMAGE_INFO, SizeOfHeapReserve), 0 },
        { "CheckSum", offsetof(RTL_IMAGE_INFO, CheckSum), 0 },
        { "NumberOfRvaAndSizes", offsetof(RTL_IMAGE_INFO, NumberOfRvaAndSizes), 0 },
        { "Subsystem", offsetof(RTL_IMAGE_INFO, Subsystem), 1 },
        { "DllCharacteristics", offsetof(RTL_IMAGE_INFO, DllCharacteristics), 1 },
        { "Characteristics", offsetof(RTL_IMAGE_INFO, Characteristics), 1 },
        { "MajorSubsystemVersion", offsetof(RTL_IMAGE_INFO, MajorSubsystemVersion), 1 },
    };

    CHECK(n > 20);
    for (size_t i = 0; i < ARRAYSIZE(map); i++) {
        const uint8_t *p = (const uint8_t *)I + map[i].Offset;
        unsigned long long mine = map[i].Short ? *(const USHORT *)p : *(const ULONG *)p;
        if (!dump_get(f, n, map[i].Key, &v)) { fail_at(__LINE__, "objdump has no %s", map[i].Key); return; }
        if (strcmp(map[i].Key, "MajorSubsystemVersion") == 0) {
            /* objdump prints this one in decimal */
            char buf[32]; snprintf(buf, sizeof buf, "%llx", v); v = strtoull(buf, NULL, 10);
        }
        if (mine != v) { fail_at(__LINE__, "%s = 0x%llX, objdump says 0x%llX", map[i].Key, mine, v); return; }
    }
    for (int d = 0; d < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; d++) {
        char key[24];
        snprintf(key, sizeof key, "Entry%d", d);
        if (dump_get(f, n, key, &v) && d != IMAGE_DIRECTORY_ENTRY_SECURITY)
            CHECK_EQ(I->Directory[d].VirtualAddress, v);
    }
    CHECK_EQ(I->Machine, IMAGE_FILE_MACHINE_I386);
}

static void t_dll_headers(void)
{
    check_against_objdump(&g_dll);
    CHECK(g_dll.Info.IsDll);
    CHECK(!g_dll.Info.RelocsStripped);
    CHECK(g_dll.Info.DllCharacteristics & IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE);
    CHECK_EQ(g_dll.Info.Subsystem, IMAGE_SUBSYSTEM_WINDOWS_CUI);
    CHECK(g_dll.Info.Directory[IMAGE_DIRECTORY_ENTRY_EXPORT].Size != 0);
    CHECK(g_dll.Info.Directory[IMAGE_DIRECTORY_ENTRY_IMPORT].Size != 0);
    CHECK(g_dll.Info.Directory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size != 0);
    CHECK(g_dll.Info.Directory[IMAGE_DIRECTORY_ENTRY_TLS].Size != 0);
    CHECK_EQ(g_dll.Info.NtHeadersOffset, *(const uint32_t *)(g_dll.File + 0x3C));
    CHECK_EQ(g_dll.Info.SectionTableOffset, g_dll.Info.NtHeadersOffset + 24 + 224);
    CHECK((const uint8_t *)g_dll.Info.SectionTable == g_dll.File + g_dll.Info.SectionTableOffset);
}

static void t_exe_headers(void)
{
    check_against_objdump(&g_exe);
    CHECK(!g_exe.Info.IsDll);
    CHECK(g_exe.Info.EntryPoint != 0);
    CHECK_EQ(g_exe.Info.ImageBase, 0x400000);
}

/* ============================================================================================
 * Sections and RVA <-> file offset
 */
static void t_sections(void)
{
    const RTL_IMAGE_INFO *I = &g_dll.Info;
    IMAGE_SECTION_HEADER s, prev;
    ULONG i, off, rva, idx, n = 0, bss = 0;

    for (i = 0; RtlImageSection(I, i, &s) == STATUS_SUCCESS; i++, n++) {
        if (i > 0) CHECK(s.VirtualAddress > prev.VirtualAddress);
        CHECK_STATUS(RtlImageRvaToSection(I, s.VirtualAddress, &idx), STATUS_SUCCESS);
        CHECK_EQ(idx, i);
        if (s.SizeOfRawData == 0) {
            /* .bss: in the image, not in the file */
            CHECK_STATUS(RtlImageRvaToFileOffset(I, s.VirtualAddress, 1, &off), STATUS_NOT_FOUND);
            bss++;
        } else {
            CHECK_STATUS(RtlImageRvaToFileOffset(I, s.VirtualAddress + 3, 4, &off), STATUS_SUCCESS);
            CHECK_EQ(off, s.PointerToRawData + 3);
            CHECK_STATUS(RtlImageFileOffsetToRva(I, off, 4, &rva), STATUS_SUCCESS);
            CHECK_EQ(rva, s.VirtualAddress + 3);
            CHECK(memcmp(g_dll.Map + s.VirtualAddress, g_dll.File + s.PointerToRawData,
                         s.SizeOfRawData < s.Misc.VirtualSize ? s.SizeOfRawData : s.Misc.VirtualSize) == 0);
        }
        prev = s;
    }
    CHECK_EQ(n, I->NumberOfSections);
    CHECK(n >= 8 && bss == 1);
    CHECK_STATUS(RtlImageSection(I, n, &s), STATUS_NO_MORE_ENTRIES);
    RtlImageSection(I, 0, &s);
    CHECK(memcmp(s.Name, ".text", 6) == 0);
    /* headers map to themselves; past the image or across a section end maps nowhere */
    CHECK_STATUS(RtlImageRvaToFileOffset(I, 0x3C, 4, &off), STATUS_SUCCESS);
    CHECK_EQ(off, 0x3C);
    CHECK_STATUS(RtlImageRvaToFileOffset(I, I->SizeOfImage, 1, &off), STATUS_NOT_FOUND);
    CHECK_STATUS(RtlImageRvaToFileOffset(I, 0xFFFFFFFF, 4, &off), STATUS_NOT_FOUND);
    CHECK_STATUS(RtlImageRvaToFileOffset(I, s.VirtualAddress, 0xFFFFFFFF, &off), STATUS_NOT_FOUND);
    CHECK_STATUS(RtlImageRvaToSection(I, 0x10, &idx), STATUS_NOT_FOUND);
    CHECK_STATUS(RtlImageFileOffsetToRva(I, (ULONG)g_dll.FileSize, 1, &rva), STATUS_NOT_FOUND);
    CHECK_STATUS(RtlImageFileOffsetToRva(I, 0xFFFFFFFE, 4, &rva), STATUS_NOT_FOUND);
}

static void t_map(void)
{
    RTL_IMAGE_INFO m = g_dll.MapInfo;
    uint8_t *small = malloc(g_dll.Info.SizeOfImage - 1);

    CHECK(m.Mapped && !g_dll.Info.Mapped);
    CHECK_EQ(m.SizeOfImage, g_dll.Info.SizeOfImage);
    CHECK_EQ(m.EntryPoint, g_dll.Info.EntryPoint);
    CHECK_EQ(m.ImageBase, g_dll.Info.ImageBase);
    CHECK(memcmp(m.Directory, g_dll.Info.Directory, sizeof m.Directory) == 0);
    CHECK(memcmp(g_dll.Map, g_dll.File, g_dll.Info.SizeOfHeaders) == 0);
    CHECK_STATUS(RtlMapImageFile(&g_dll.Info, small, g_dll.Info.SizeOfImage - 1), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(RtlMapImageFile(&g_dll.MapInfo, small, g_dll.Info.SizeOfImage - 1), STATUS_INVALID_PARAMETER);
    /* a view smaller than SizeOfImage is refused */
    CHECK_STATUS(RtlValidateMappedImage(g_dll.Map, g_dll.Info.SizeOfImage - 1, &m), STATUS_INVALID_IMAGE_FORMAT);
    free(small);
}

static void t_bad_arguments(void)
{
    RTL_IMAGE_INFO I;
    RTL_IMAGE_IMPORT imp;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_TLS tls;

    CHECK_STATUS(RtlValidateImageFile(NULL, 100, &I), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlValidateImageFile(g_dll.File, g_dll.FileSize, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlValidateImageFile(g_dll.File, 0, &I), STATUS_INVALID_IMAGE_NOT_MZ);
    /* the loader accessors want the mapped form */
    CHECK_STATUS(RtlImageImport(&g_dll.Info, 0, &imp), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlImageExports(&g_dll.Info, &ex), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlImageTls(&g_dll.Info, &tls), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlRelocateImage(g_dll.File, g_dll.FileSize, 0x10000000), STATUS_INVALID_IMAGE_FORMAT);
}

/* Every proper prefix of a good file is refused, and no read leaves it (ASan watches). */
static void t_truncations(void)
{
    const TEST_IMAGE *imgs[] = { &g_dll, &g_exe };
    RTL_IMAGE_INFO I;

    for (int k = 0; k < 2; k++) {
        const TEST_IMAGE *t = imgs[k];
        for (size_t n = 0; n < t->FileSize; n++) {
            uint8_t *cut = malloc(n ? n : 1);
            memcpy(cut, t->File, n);
            NTSTATUS s = RtlValidateImageFile(cut, n, &I);
            free(cut);
            if (NT_SUCCESS(s)) { fail_at(__LINE__, "%s cut to %zu bytes validated", t->Name, n); return; }
        }
    }
}

/* A DLL may have no entry point; an EXE (corpus: exe_entry_zero) may not. */
static void t_dll_without_entry(void)
{
    uint8_t *f = malloc(g_dll.FileSize);
    RTL_IMAGE_INFO I;

    memcpy(f, g_dll.File, g_dll.FileSize);
    memset(f + g_dll.Info.NtHeadersOffset + 24 + FIELD_OFFSET(IMAGE_OPTIONAL_HEADER32, AddressOfEntryPoint), 0, 4);
    CHECK_STATUS(RtlValidateImageFile(f, g_dll.FileSize, &I), STATUS_SUCCESS);
    CHECK_EQ(I.EntryPoint, 0);
    free(f);
}

/* ============================================================================================
 * Relocation
 */
static ULONG export_rva(const RTL_IMAGE_INFO *I, const char *name)
{
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e;

    if (RtlImageExports(I, &ex) != STATUS_SUCCESS) return 0;
    if (RtlImageExportByName(I, &ex, name, 0, &e) != STATUS_SUCCESS) return 0;
    return e.Rva;
}

static ULONG rd32(const uint8_t *p) { ULONG v; memcpy(&v, p, 4); return v; }

static void t_relocate(void)
{
    RTL_IMAGE_INFO I;
    uint8_t *m = copy_mapped(&g_dll, &I);
    const ULONG NewBase = 0x10000000, OldBase = g_dll.Info.ImageBase;
    ULONG value = export_rva(&I, "Value"), ptr = export_rva(&I, "PtrToValue");
    size_t n = g_dll.Info.SizeOfImage, diff = 0;

    CHECK(m != NULL && value != 0 && ptr != 0);
    CHECK_EQ(rd32(m + ptr), OldBase + value);
    CHECK_STATUS(RtlRelocateImage(m, n, NewBase), STATUS_SUCCESS);
    CHECK_EQ(rd32(m + ptr), NewBase + value);
    CHECK_STATUS(RtlValidateMappedImage(m, n, &I), STATUS_SUCCESS);
    CHECK_EQ(I.ImageBase, NewBase);
    /* the DLL has many fixups: count the ULONGs that moved */
    for (size_t i = 0; i + 4 <= n; i += 4) diff += rd32(m + i) != rd32(g_dll.Map + i);
    note("%zu aligned words changed", diff);
    CHECK(diff >= 10);
    /* and back: byte-identical to the freshly mapped image */
    CHECK_STATUS(RtlRelocateImage(m, n, OldBase), STATUS_SUCCESS);
    CHECK(memcmp(m, g_dll.Map, n) == 0);
    /* to the same base: nothing to do */
    CHECK_STATUS(RtlRelocateImage(m, n, OldBase), STATUS_SUCCESS);
    CHECK(memcmp(m, g_dll.Map, n) == 0);
    /* a base that would put the image's end above 4 GiB */
    CHECK_STATUS(RtlRelocateImage(m, n, 0x100000000ull - n + 0x1000), STATUS_INVALID_PARAMETER_3);
    CHECK(memcmp(m, g_dll.Map, n) == 0);
    free(m);
}

static void t_relocate_exe(void)
{
    RTL_IMAGE_INFO I;
    uint8_t *m = copy_mapped(&g_exe, &I);
    size_t n = g_exe.Info.SizeOfImage;

    CHECK(m != NULL);
    CHECK(I.Directory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size != 0);
    CHECK_STATUS(RtlRelocateImage(m, n, 0x00800000), STATUS_SUCCESS);
    CHECK_STATUS(RtlRelocateImage(m, n, 0x00400000), STATUS_SUCCESS);
    CHECK(memcmp(m, g_exe.Map, n) == 0);
    free(m);
}

/* ============================================================================================
 * Exports
 */
static void t_exports(void)
{
    const RTL_IMAGE_INFO *I = &g_dll.MapInfo;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e, e2;

    CHECK_STATUS(RtlImageExports(I, &ex), STATUS_SUCCESS);
    CHECK(ex.DllName && strcmp(ex.DllName, "pedll.dll") == 0);
    CHECK_EQ(ex.Base, 1);
    CHECK_EQ(ex.NumberOfFunctions, 9);
    CHECK_EQ(ex.NumberOfNames, 7);
    /* by name, with a right, a wrong and an absurd hint */
    CHECK_STATUS(RtlImageExportByName(I, &ex, "AddOne", 0, &e), STATUS_SUCCESS);
    CHECK_EQ(e.Ordinal, 1);
    CHECK(e.Forwarder == NULL && e.Rva != 0);
    CHECK_STATUS(RtlImageExportByName(I, &ex, "AddOne", 5, &e2), STATUS_SUCCESS);
    CHECK_EQ(e2.Rva, e.Rva);
    CHECK_STATUS(RtlImageExportByName(I, &ex, "AddOne", 0xFFFF, &e2), STATUS_SUCCESS);
    CHECK_EQ(e2.Rva, e.Rva);
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 1, &e2), STATUS_SUCCESS);
    CHECK_EQ(e2.Rva, e.Rva);
    {
        ULONG ri;
        IMAGE_SECTION_HEADER s;
        CHECK_STATUS(RtlImageRvaToSection(I, e.Rva, &ri), STATUS_SUCCESS);
        RtlImageSection(I, ri, &s);
        CHECK(s.Characteristics & IMAGE_SCN_CNT_CODE);
    }
    CHECK_STATUS(RtlImageExportByName(I, &ex, "Zeta", 3, &e), STATUS_SUCCESS);
    CHECK_EQ(e.Ordinal, 6);
    CHECK_STATUS(RtlImageExportByName(I, &ex, "Value", 0, &e), STATUS_SUCCESS);
    CHECK_EQ(e.Ordinal, 3);
    /* absent names: before, between and after the sorted names, prefixes and extensions */
    static const char *absent[] = { "", "A", "AddOn", "AddOneX", "addone", "Nope", "Twice2", "Zz",
                                    "\xff", "OrdinalOnly" };
    for (size_t i = 0; i < ARRAYSIZE(absent); i++)
        for (USHORT h = 0; h < 9; h += 4)
            CHECK_STATUS(RtlImageExportByName(I, &ex, absent[i], h, &e), STATUS_PROCEDURE_NOT_FOUND);
    /* the NONAME export: only by ordinal */
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 5, &e), STATUS_SUCCESS);
    CHECK(e.Rva != 0 && e.Forwarder == NULL && e.Ordinal == 5);
    /* ordinal 8 is a gap in the table; 0, 10 and huge are outside it */
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 8, &e), STATUS_ORDINAL_NOT_FOUND);
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 0, &e), STATUS_ORDINAL_NOT_FOUND);
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 10, &e), STATUS_ORDINAL_NOT_FOUND);
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 0xFFFFFFFF, &e), STATUS_ORDINAL_NOT_FOUND);
}

static void t_forwarders(void)
{
    const RTL_IMAGE_INFO *I = &g_dll.MapInfo;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e;
    ULONG len, ord;
    PCSTR name;

    CHECK_STATUS(RtlImageExports(I, &ex), STATUS_SUCCESS);
    CHECK_STATUS(RtlImageExportByName(I, &ex, "Fwd", 0, &e), STATUS_SUCCESS);
    CHECK(e.Forwarder && strcmp(e.Forwarder, "kernel32.Sleep") == 0 && e.Rva == 0);
    CHECK_STATUS(RtlSplitForwarder(e.Forwarder, &len, &name, &ord), STATUS_SUCCESS);
    CHECK(len == 8 && name && strcmp(name, "Sleep") == 0 && ord == 0);
    CHECK_STATUS(RtlImageExportByOrdinal(I, &ex, 9, &e), STATUS_SUCCESS);
    CHECK(e.Forwarder && strcmp(e.Forwarder, "ntdll.#123") == 0);
    CHECK_STATUS(RtlSplitForwarder(e.Forwarder, &len, &name, &ord), STATUS_SUCCESS);
    CHECK(len == 5 && name == NULL && ord == 123);
    CHECK_STATUS(RtlImageExportByName(I, &ex, "FwdOrd", 0, &e), STATUS_SUCCESS);
    CHECK_EQ(e.Ordinal, 9);

    static const struct { const char *s; NTSTATUS st; ULONG len, ord; const char *name; } cases[] = {
        { "a.b", STATUS_SUCCESS, 1, 0, "b" },
        { "NTDLL.RtlAllocateHeap", STATUS_SUCCESS, 5, 0, "RtlAllocateHeap" },
        { "x.#0", STATUS_SUCCESS, 1, 0, NULL },
        { "x.#65535", STATUS_SUCCESS, 1, 65535, NULL },
        { "x.#65536", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "x.#99999999999", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "x.#", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "x.#1a", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { ".b", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "a.", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "ab", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
        { "", STATUS_INVALID_IMAGE_FORMAT, 0, 0, NULL },
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        len = ord = 77;
        name = "unset";
        CHECK_STATUS(RtlSplitForwarder(cases[i].s, &len, &name, &ord), cases[i].st);
        if (cases[i].st != STATUS_SUCCESS) continue;
        CHECK_EQ(len, cases[i].len);
        CHECK_EQ(ord, cases[i].ord);
        CHECK(cases[i].name ? name && strcmp(name, cases[i].name) == 0 : name == NULL);
    }
}

/* Walking the name table: sorted, and each name found by the binary search at its own place. */
static void t_export_walk(void)
{
    const RTL_IMAGE_INFO *I = &g_dll.MapInfo;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e, e2;
    PCSTR name, prev = NULL;
    ULONG i;

    CHECK_STATUS(RtlImageExports(I, &ex), STATUS_SUCCESS);
    for (i = 0; RtlImageExportName(I, &ex, i, &name, &e) == STATUS_SUCCESS; i++) {
        if (prev) CHECK(strcmp(prev, name) < 0);
        CHECK_STATUS(RtlImageExportByName(I, &ex, name, 0xFFFF, &e2), STATUS_SUCCESS);
        CHECK(e.Ordinal == e2.Ordinal && e.Rva == e2.Rva && e.Forwarder == e2.Forwarder);
        note("%s @%u rva %#x%s%s", name, e.Ordinal, e.Rva, e.Forwarder ? " -> " : "",
             e.Forwarder ? e.Forwarder : "");
        prev = name;
    }
    CHECK_EQ(i, 7);
    CHECK_STATUS(RtlImageExportName(I, &ex, 7, &name, &e), STATUS_NO_MORE_ENTRIES);
    /* the EXE exports nothing */
    CHECK_STATUS(RtlImageExports(&g_exe.MapInfo, &ex), STATUS_NOT_FOUND);
}

/* ============================================================================================
 * Imports
 */
static void t_exe_imports(void)
{
    const RTL_IMAGE_INFO *I = &g_exe.MapInfo;
    RTL_IMAGE_IMPORT imp;
    RTL_IMAGE_THUNK th;
    int seen_pedll = 0, seen_kernel32 = 0, seen_msvcrt = 0, by_ordinal = 0, by_name = 0;
    ULONG i, j, total = 0;

    for (i = 0; RtlImageImport(I, i, &imp) == STATUS_SUCCESS; i++) {
        CHECK(imp.IatRva != 0 && imp.LookupRva != imp.IatRva);
        for (j = 0; RtlImageImportThunk(I, &imp, j, &th) == STATUS_SUCCESS; j++, total++) {
            CHECK_EQ(th.IatRva, imp.IatRva + 4 * j);
            /* unbound: the IAT holds a copy of the lookup table until the loader writes it */
            CHECK_EQ(rd32(g_exe.Map + th.IatRva), rd32(g_exe.Map + imp.LookupRva + 4 * j));
            if (strcasecmp(imp.DllName, "pedll.dll") == 0) {
                if (th.ByOrdinal) { CHECK_EQ(th.Ordinal, 5); by_ordinal++; }
                else { CHECK(strcmp(th.Name, "AddOne") == 0 || strcmp(th.Name, "Value") == 0); by_name++; }
            } else {
                CHECK(!th.ByOrdinal && th.Name[0] != 0);
            }
        }
        CHECK_STATUS(RtlImageImportThunk(I, &imp, j, &th), STATUS_NO_MORE_ENTRIES);
        note("%s: %u thunks", imp.DllName, j);
        seen_pedll |= strcasecmp(imp.DllName, "pedll.dll") == 0;
        seen_kernel32 |= strcasecmp(imp.DllName, "kernel32.dll") == 0;
        seen_msvcrt |= strcasecmp(imp.DllName, "msvcrt.dll") == 0;
    }
    CHECK_STATUS(RtlImageImport(I, i, &imp), STATUS_NO_MORE_ENTRIES);
    CHECK(seen_pedll && seen_kernel32 && seen_msvcrt);
    CHECK(by_ordinal == 1 && by_name == 2);
    CHECK(total > 20);
}

/* Every by-name import of the EXE from pedll resolves against the DLL's exports. */
static void t_resolve_imports(void)
{
    RTL_IMAGE_IMPORT imp;
    RTL_IMAGE_THUNK th;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e;
    ULONG i, j, resolved = 0;

    CHECK_STATUS(RtlImageExports(&g_dll.MapInfo, &ex), STATUS_SUCCESS);
    for (i = 0; RtlImageImport(&g_exe.MapInfo, i, &imp) == STATUS_SUCCESS; i++) {
        if (strcasecmp(imp.DllName, ex.DllName) != 0) continue;
        for (j = 0; RtlImageImportThunk(&g_exe.MapInfo, &imp, j, &th) == STATUS_SUCCESS; j++) {
            NTSTATUS s = th.ByOrdinal ? RtlImageExportByOrdinal(&g_dll.MapInfo, &ex, th.Ordinal, &e)
                                      : RtlImageExportByName(&g_dll.MapInfo, &ex, th.Name, th.Hint, &e);
            CHECK_STATUS(s, STATUS_SUCCESS);
            CHECK(e.Rva != 0);
            resolved++;
        }
    }
    CHECK_EQ(resolved, 3);
}

static void t_dll_imports(void)
{
    RTL_IMAGE_IMPORT imp;
    int kernel32 = 0;

    for (ULONG i = 0; RtlImageImport(&g_dll.MapInfo, i, &imp) == STATUS_SUCCESS; i++)
        kernel32 |= strcasecmp(imp.DllName, "kernel32.dll") == 0;
    CHECK(kernel32);
}

/* ============================================================================================
 * TLS
 */
static void t_tls(void)
{
    RTL_IMAGE_INFO I;
    RTL_IMAGE_TLS tls, tls2;
    ULONG cb, cb2, idx;
    IMAGE_SECTION_HEADER s;
    uint8_t *m = copy_mapped(&g_dll, &I);

    CHECK(m != NULL);
    CHECK_STATUS(RtlImageTls(&I, &tls), STATUS_SUCCESS);
    CHECK(tls.NumberOfCallbacks >= 1);
    CHECK(tls.IndexRva != 0 && tls.IndexRva < I.SizeOfImage);
    note("TLS template %u bytes at %#x, %u callbacks", tls.RawDataSize, tls.RawDataRva,
         tls.NumberOfCallbacks);
    for (ULONG k = 0; k < tls.NumberOfCallbacks; k++) {
        CHECK_STATUS(RtlImageTlsCallback(&I, &tls, k, &cb), STATUS_SUCCESS);
        CHECK_STATUS(RtlImageRvaToSection(&I, cb, &idx), STATUS_SUCCESS);
        RtlImageSection(&I, idx, &s);
        CHECK(s.Characteristics & IMAGE_SCN_MEM_EXECUTE);
    }
    CHECK_STATUS(RtlImageTlsCallback(&I, &tls, tls.NumberOfCallbacks, &cb), STATUS_NO_MORE_ENTRIES);
    RtlImageTlsCallback(&I, &tls, 0, &cb);

    /* after relocation the VAs moved with ImageBase: the same RVAs come out */
    CHECK_STATUS(RtlRelocateImage(m, I.SizeOfImage, 0x20000000), STATUS_SUCCESS);
    CHECK_STATUS(RtlValidateMappedImage(m, I.SizeOfImage, &I), STATUS_SUCCESS);
    CHECK_STATUS(RtlImageTls(&I, &tls2), STATUS_SUCCESS);
    CHECK(tls2.Directory.AddressOfCallBacks == tls.Directory.AddressOfCallBacks - g_dll.Info.ImageBase + 0x20000000);
    CHECK(tls2.RawDataRva == tls.RawDataRva && tls2.IndexRva == tls.IndexRva &&
          tls2.CallbacksRva == tls.CallbacksRva && tls2.NumberOfCallbacks == tls.NumberOfCallbacks);
    CHECK_STATUS(RtlImageTlsCallback(&I, &tls2, 0, &cb2), STATUS_SUCCESS);
    CHECK_EQ(cb2, cb);
    free(m);
}

/* ============================================================================================
 * The broken corpus
 */
typedef struct { char Name[64]; char Stage[16]; unsigned Status; } CORPUS_ENTRY;
static CORPUS_ENTRY g_entry;

/* Runs the stages in order; returns the first failure (its stage in *Stage). */
static NTSTATUS run_stages(const uint8_t *f, size_t n, const char **Stage)
{
    RTL_IMAGE_INFO I, M;
    RTL_IMAGE_IMPORT imp;
    RTL_IMAGE_THUNK th;
    RTL_IMAGE_EXPORTS ex;
    RTL_IMAGE_EXPORT e;
    RTL_IMAGE_TLS tls;
    PCSTR name;
    NTSTATUS s;
    uint8_t *m, *before;
    ULONG i, j, cb;

    *Stage = "file";
    if (!NT_SUCCESS(s = RtlValidateImageFile(f, n, &I))) return s;
    m = malloc(I.SizeOfImage);
    before = malloc(I.SizeOfImage);
    *Stage = "map";
    if (NT_SUCCESS(s = RtlMapImageFile(&I, m, I.SizeOfImage)))
        s = RtlValidateMappedImage(m, I.SizeOfImage, &M);
    if (!NT_SUCCESS(s)) goto out;

    *Stage = "reloc";
    memcpy(before, m, I.SizeOfImage);
    s = RtlRelocateImage(m, I.SizeOfImage, 0x10000000);
    if (!NT_SUCCESS(s)) {
        /* a refused table leaves the image as it was */
        if (memcmp(before, m, I.SizeOfImage) != 0) { *Stage = "reloc-modified-image"; s = STATUS_SUCCESS; }
        goto out;
    }
    RtlValidateMappedImage(m, I.SizeOfImage, &M);

    *Stage = "import";
    for (i = 0; NT_SUCCESS(s = RtlImageImport(&M, i, &imp)); i++) {
        for (j = 0; NT_SUCCESS(s = RtlImageImportThunk(&M, &imp, j, &th)); j++)
            ;
        if (s != STATUS_NO_MORE_ENTRIES) goto out;
    }
    if (s != STATUS_NO_MORE_ENTRIES) goto out;

    *Stage = "export";
    s = RtlImageExports(&M, &ex);
    if (s == STATUS_SUCCESS) {
        for (i = 0; NT_SUCCESS(s = RtlImageExportName(&M, &ex, i, &name, &e)); i++)
            ;
        if (s != STATUS_NO_MORE_ENTRIES) goto out;
        for (i = 0; i < ex.NumberOfFunctions; i++) {
            s = RtlImageExportByOrdinal(&M, &ex, ex.Base + i, &e);
            if (!NT_SUCCESS(s) && s != STATUS_ORDINAL_NOT_FOUND) goto out;
        }
    } else if (s != STATUS_NOT_FOUND) {
        goto out;
    }

    *Stage = "tls";
    s = RtlImageTls(&M, &tls);
    if (s == STATUS_SUCCESS) {
        for (i = 0; NT_SUCCESS(s = RtlImageTlsCallback(&M, &tls, i, &cb)); i++)
            ;
        if (s != STATUS_NO_MORE_ENTRIES) goto out;
    } else if (s != STATUS_NOT_FOUND) {
        goto out;
    }
    *Stage = "none";
    s = STATUS_SUCCESS;
out:
    free(m);
    free(before);
    return s;
}

static void t_corpus_entry(void)
{
    char path[600];
    size_t n = 0;
    uint8_t *f;
    const char *stage;
    NTSTATUS s;

    snprintf(path, sizeof path, "%s/bad/%s.bin", g_dir, g_entry.Name);
    f = read_file(path, &n);
    CHECK(f != NULL);
    s = run_stages(f, n, &stage);
    free(f);
    if (s != (NTSTATUS)g_entry.Status || strcmp(stage, g_entry.Stage) != 0)
        fail_at(__LINE__, "stage %s status 0x%08X, expected stage %s status 0x%08X", stage,
                (unsigned)s, g_entry.Stage, g_entry.Status);
}

static void run_corpus(void)
{
    char path[600], line[256];
    FILE *mf;
    int count = 0;

    snprintf(path, sizeof path, "%s/bad/MANIFEST", g_dir);
    mf = fopen(path, "r");
    if (mf == NULL) {
        g_case = "corpus";
        printf("FAIL corpus: cannot open %s\n", path);
        g_failed++;
        return;
    }
    while (fgets(line, sizeof line, mf)) {
        char casename[96];
        if (sscanf(line, "%63s %15s %x", g_entry.Name, g_entry.Stage, &g_entry.Status) != 3) continue;
        snprintf(casename, sizeof casename, "bad.%s", g_entry.Name);
        run(casename, t_corpus_entry);
        count++;
    }
    fclose(mf);
    if (count < 50) { printf("FAIL corpus: only %d entries\n", count); g_failed++; }
}

/* ============================================================================================
 * Fuzzing (bounded)
 */
static unsigned fuzz_iterations(void)
{
    const char *e = getenv("PE_FUZZ_ITERATIONS");
    return e ? (unsigned)strtoul(e, NULL, 0) : 20000;
}

static void fuzz_image(const TEST_IMAGE *t, uint64_t seed)
{
    unsigned n = fuzz_iterations();
    unsigned valid = PeFuzzLoop(t->File, t->FileSize, seed, n);

    note("%u iterations, %u mutants validated", n, valid);
    /* most single mutations leave a valid image: the loop really reaches the accessors */
    CHECK(n < 100 || valid > n / 10);
}

static void t_fuzz_dll(void) { fuzz_image(&g_dll, 0x5045444CULL); }
static void t_fuzz_exe(void) { fuzz_image(&g_exe, 0x50455845ULL); }

static void t_fuzz_corpus(void)
{
    /* the broken files themselves, through every stage, as the fuzz body sees them */
    char path[600], line[256], name[64], stage[16];
    unsigned status;
    FILE *mf;

    snprintf(path, sizeof path, "%s/bad/MANIFEST", g_dir);
    mf = fopen(path, "r");
    CHECK(mf != NULL);
    while (fgets(line, sizeof line, mf)) {
        size_t n = 0;
        uint8_t *f;
        if (sscanf(line, "%63s %15s %x", name, stage, &status) != 3) continue;
        snprintf(path, sizeof path, "%s/bad/%s.bin", g_dir, name);
        f = read_file(path, &n);
        if (f) { PeFuzzOne(f, n); free(f); }
    }
    fclose(mf);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [-v]\n", argv[0]);
        return 2;
    }
    g_dir = argv[1];
    g_verbose = argc > 2 && strcmp(argv[2], "-v") == 0;

    if (!load_image(&g_dll) || !load_image(&g_exe)) {
        printf("FAIL load: the test images in %s do not validate\n", g_dir);
        printf("unit pe: 0 passed, 1 failed\n");
        return 1;
    }
    run("dll_headers", t_dll_headers);
    run("exe_headers", t_exe_headers);
    run("sections", t_sections);
    run("map", t_map);
    run("bad_arguments", t_bad_arguments);
    run("truncations", t_truncations);
    run("dll_without_entry", t_dll_without_entry);
    run("relocate", t_relocate);
    run("relocate_exe", t_relocate_exe);
    run("exports", t_exports);
    run("forwarders", t_forwarders);
    run("export_walk", t_export_walk);
    run("exe_imports", t_exe_imports);
    run("resolve_imports", t_resolve_imports);
    run("dll_imports", t_dll_imports);
    run("tls", t_tls);
    run_corpus();
    run("fuzz.corpus", t_fuzz_corpus);
    run("fuzz.dll", t_fuzz_dll);
    run("fuzz.exe", t_fuzz_exe);

    printf("unit pe: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
