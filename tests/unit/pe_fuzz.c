/*
 * pe_fuzz.c - the fuzz target of the PE image parser (kernel/rtl/peimage.c, peaccess.c).
 *
 * PeFuzzOne() runs one input through everything a loader would do: validate the file, map it,
 * re-validate the mapped form (which must then succeed: a validated file always maps to a valid
 * image), walk sections, relocate, walk imports, exports and TLS, before and after relocation.
 * It must never crash or trip a sanitizer, whatever the input.
 *
 * Three ways to drive it:
 *  - libFuzzer (clang, -DPE_FUZZ_LIBFUZZER): `make -C tests/unit pe-fuzz`, then
 *    build/unit/pe_fuzz -max_len=65536 DIR, DIR a corpus directory seeded with copies of
 *    build/unit/pe/pedll.dll and peexe.exe;
 *  - a standalone random-mutation loop (-DPE_FUZZ_MAIN, any compiler):
 *    pe_fuzz_loop ITERATIONS SEED FILE...;
 *  - PeFuzzLoop() from pe_test.c, which runs a bounded number of mutations with a fixed seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#undef NULL
#include "pe.h"
#include "pe_fuzz.h"

#define FUZZ_MAX_IMAGE (16u << 20)      /* larger SizeOfImage values are not mapped */
#define FUZZ_MAX_WALK  4096u            /* entries walked per table */

static volatile ULONG g_sink;           /* keeps results observable */
static const uint8_t *g_input;          /* the input being run, saved when an invariant breaks */
static size_t g_input_size;

/* On a broken invariant: report, save the input to $PE_FUZZ_DUMP if set, and abort. */
static void FuzzCheck(int Condition, const char *What)
{
    const char *dump = getenv("PE_FUZZ_DUMP");
    FILE *f;

    if (Condition) return;
    fprintf(stderr, "pe_fuzz: invariant violated: %s\n", What);
    if (dump != NULL && (f = fopen(dump, "wb")) != NULL) {
        fwrite(g_input, 1, g_input_size, f);
        fclose(f);
        fprintf(stderr, "pe_fuzz: input (%zu bytes) saved to %s\n", g_input_size, dump);
    }
    abort();
}

static void FuzzSections(const RTL_IMAGE_INFO *Info)
{
    IMAGE_SECTION_HEADER S;
    ULONG i, Offset, Rva, Index;

    for (i = 0; RtlImageSection(Info, i, &S) == STATUS_SUCCESS; i++) {
        if (NT_SUCCESS(RtlImageRvaToFileOffset(Info, S.VirtualAddress, 4, &Offset))) {
            FuzzCheck(Offset <= Info->Size - 4 || Info->Mapped, "RVA maps outside the file");
            if (NT_SUCCESS(RtlImageFileOffsetToRva(Info, Offset, 4, &Rva))) g_sink += Rva;
        }
        if (NT_SUCCESS(RtlImageRvaToSection(Info, S.VirtualAddress + S.SizeOfRawData / 2, &Index)))
            FuzzCheck(Index < Info->NumberOfSections, "section index out of range");
    }
}

static void FuzzImports(const RTL_IMAGE_INFO *Info)
{
    RTL_IMAGE_IMPORT Import;
    RTL_IMAGE_THUNK Thunk;
    ULONG i, j;

    for (i = 0; i < FUZZ_MAX_WALK && NT_SUCCESS(RtlImageImport(Info, i, &Import)); i++) {
        g_sink += (ULONG)strlen(Import.DllName);
        for (j = 0; j < FUZZ_MAX_WALK && NT_SUCCESS(RtlImageImportThunk(Info, &Import, j, &Thunk)); j++)
            g_sink += Thunk.ByOrdinal ? Thunk.Ordinal : (ULONG)strlen(Thunk.Name) + Thunk.Hint;
    }
}

static void FuzzExports(const RTL_IMAGE_INFO *Info)
{
    RTL_IMAGE_EXPORTS Exports;
    RTL_IMAGE_EXPORT Export, Again;
    ULONG DllLength, Ordinal, i;
    PCSTR Name, Target;

    if (!NT_SUCCESS(RtlImageExports(Info, &Exports))) return;
    for (i = 0; i < FUZZ_MAX_WALK && i < Exports.NumberOfNames; i++) {
        if (!NT_SUCCESS(RtlImageExportName(Info, &Exports, i, &Name, &Export))) continue;
        if (Export.Forwarder != NULL)
            FuzzCheck(NT_SUCCESS(RtlSplitForwarder(Export.Forwarder, &DllLength, &Target, &Ordinal)),
                      "forwarder returned unsplittable");
        if (NT_SUCCESS(RtlImageExportByName(Info, &Exports, Name, (USHORT)i, &Again)))
            g_sink += Again.Rva;
        RtlImageExportByName(Info, &Exports, Name, 0xFFFF, &Again);
    }
    for (i = 0; i < FUZZ_MAX_WALK && i < Exports.NumberOfFunctions; i++)
        if (NT_SUCCESS(RtlImageExportByOrdinal(Info, &Exports, Exports.Base + i, &Export)))
            FuzzCheck(Export.Forwarder != NULL || Export.Rva < Info->SizeOfImage, "export outside");
    RtlImageExportByName(Info, &Exports, "AddOne", 0, &Export);
    RtlImageExportByOrdinal(Info, &Exports, 0xFFFFFFFF, &Export);
}

static void FuzzTls(const RTL_IMAGE_INFO *Info)
{
    RTL_IMAGE_TLS Tls;
    ULONG i, Rva;

    if (!NT_SUCCESS(RtlImageTls(Info, &Tls))) return;
    FuzzCheck(Tls.RawDataRva + (ULONGLONG)Tls.RawDataSize <= Info->SizeOfImage, "TLS data outside");
    for (i = 0; i < FUZZ_MAX_WALK && NT_SUCCESS(RtlImageTlsCallback(Info, &Tls, i, &Rva)); i++)
        FuzzCheck(Rva < Info->SizeOfImage, "TLS callback outside");
}

static void FuzzMapped(PUCHAR Image, SIZE_T Size)
{
    RTL_IMAGE_INFO Info;

    if (!NT_SUCCESS(RtlValidateMappedImage(Image, Size, &Info))) return;
    FuzzSections(&Info);
    FuzzImports(&Info);
    FuzzExports(&Info);
    FuzzTls(&Info);
}

int PeFuzzOne(const uint8_t *Data, size_t Size)
{
    RTL_IMAGE_INFO Info, MappedInfo;
    PUCHAR Image;
    NTSTATUS Status;

    g_input = Data;
    g_input_size = Size;
    if (!NT_SUCCESS(RtlValidateImageFile(Data, Size, &Info))) return 0;
    FuzzSections(&Info);
    if (Info.SizeOfImage > FUZZ_MAX_IMAGE) return 1;

    Image = malloc(Info.SizeOfImage);
    FuzzCheck(Image != NULL, "out of memory");
    FuzzCheck(RtlMapImageFile(&Info, Image, Info.SizeOfImage) == STATUS_SUCCESS, "map failed");
    Status = RtlValidateMappedImage(Image, Info.SizeOfImage, &MappedInfo);
    FuzzCheck(Status == STATUS_SUCCESS, "a validated file mapped to an invalid image");
    FuzzMapped(Image, Info.SizeOfImage);
    if (NT_SUCCESS(RtlRelocateImage(Image, Info.SizeOfImage, 0x10000000)))
        FuzzMapped(Image, Info.SizeOfImage);
    RtlRelocateImage(Image, Info.SizeOfImage, Info.ImageBase);
    free(Image);
    return 1;
}

/* ============================================================================================
 * The mutation loop (xorshift64*, deterministic for a given seed)
 */
static uint64_t FuzzRandom(uint64_t *State)
{
    uint64_t x = *State;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *State = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static const uint32_t k_interesting[] = {
    0, 1, 2, 4, 7, 8, 0x10, 0x7F, 0x80, 0xFF, 0x100, 0x200, 0x1000, 0x10000, 0x7FFF, 0x8000, 0xFFFF,
    0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFF0, 0xFFFFF000, 0x80000005,
};

/* Picks an offset: half of the time in the headers, where most structure lives. */
static size_t FuzzOffset(uint64_t *State, size_t Size)
{
    size_t Limit = (FuzzRandom(State) & 1) && Size > 0x400 ? 0x400 : Size;
    return (size_t)(FuzzRandom(State) % Limit);
}

static void FuzzMutate(uint8_t *Buf, size_t Size, uint64_t *State)
{
    unsigned n = 1 + (unsigned)(FuzzRandom(State) % 6), i;

    for (i = 0; i < n && Size >= 4; i++) {
        size_t Off = FuzzOffset(State, Size - 3);
        uint32_t v = k_interesting[FuzzRandom(State) % (sizeof k_interesting / sizeof *k_interesting)];
        switch (FuzzRandom(State) % 6) {
        case 0: Buf[Off] = (uint8_t)FuzzRandom(State); break;
        case 1: Buf[Off] ^= (uint8_t)(1u << (FuzzRandom(State) % 8)); break;
        case 2: memcpy(Buf + Off, &v, 4); break;
        case 3: { uint16_t s = (uint16_t)v; memcpy(Buf + Off, &s, 2); break; }
        case 4: { uint32_t w; memcpy(&w, Buf + Off, 4); w += (uint32_t)(FuzzRandom(State) % 33) - 16;
                  memcpy(Buf + Off, &w, 4); break; }
        default: { uint32_t w; memcpy(&w, Buf + Off, 4); w += (uint32_t)FuzzRandom(State) & 0xF000;
                   memcpy(Buf + Off, &w, 4); break; }
        }
    }
}

unsigned PeFuzzLoop(const uint8_t *Seed, size_t SeedSize, uint64_t RngSeed, unsigned Iterations)
{
    uint64_t State = RngSeed | 1;
    unsigned Valid = 0, i;

    for (i = 0; i < Iterations; i++) {
        size_t Size = SeedSize;
        uint8_t *Buf;
        if (FuzzRandom(&State) % 16 == 0) Size = (size_t)(FuzzRandom(&State) % (SeedSize + 1));
        /* An exact-size copy, so that AddressSanitizer sees any read past the end. */
        Buf = malloc(Size ? Size : 1);
        FuzzCheck(Buf != NULL, "out of memory");
        memcpy(Buf, Seed, Size);
        FuzzMutate(Buf, Size, &State);
        Valid += (unsigned)PeFuzzOne(Buf, Size);
        free(Buf);
    }
    return Valid;
}

#ifdef PE_FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);
int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size)
{
    PeFuzzOne(Data, Size);
    return 0;
}
#endif

#ifdef PE_FUZZ_MAIN
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

int main(int argc, char **argv)
{
    unsigned Iterations, Valid;
    uint64_t Seed;
    int i;

    if (argc < 4) {
        fprintf(stderr, "usage: %s ITERATIONS SEED FILE...\n", argv[0]);
        return 2;
    }
    Iterations = (unsigned)strtoul(argv[1], NULL, 0);
    Seed = strtoull(argv[2], NULL, 0);
    for (i = 3; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        static uint8_t Buf[8 << 20];
        size_t n;
        if (f == NULL) { perror(argv[i]); return 2; }
        n = fread(Buf, 1, sizeof Buf, f);
        fclose(f);
        Valid = PeFuzzLoop(Buf, n, Seed + (uint64_t)i, Iterations);
        printf("%s: %u iterations, %u mutants validated\n", argv[i], Iterations, Valid);
    }
    return 0;
}
#endif
