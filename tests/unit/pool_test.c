/*
 * pool_test.c - host unit tests of the executive pool allocator (kernel/ex/pool.c).
 *
 * pool.c is compiled unchanged for the host and linked with a small fake environment:
 *  - KeBugCheckEx records the stop code and parameters and longjmps back to the test that expected
 *    it (an unexpected bug check fails the running test case);
 *  - KeGetCurrentIrql / KeRaiseIrql / KeRaiseIrqlToDpcLevel / KeLowerIrql are a plain variable
 *    (KeRaiseIrql to a lower or KeLowerIrql to a higher level is reported as an error);
 *  - MiPoolMapPages / MiPoolUnmapPages work on a 64 MiB PROT_NONE range per pool (one mmap with a
 *    guard page before, between and after the two ranges, so that the addresses just outside a
 *    pool belong to no pool): map = mprotect read/write + zero, unmap = mprotect PROT_NONE (+
 *    MADV_DONTNEED, to give the memory back). The fake also checks the pool's
 *    requests (inside a pool range, page aligned, not mapping a page twice, not unmapping a page
 *    that is not mapped, called with the pool lock held, i.e. at DISPATCH_LEVEL) and can be told
 *    to fail, to simulate running out of memory.
 * Every test case starts from freshly initialised pools and tag table; after a bug check the
 * pools are re-initialised at once, since their state may be inconsistent.
 *
 * The test keeps its own model of what it did: the live blocks with a fill pattern each, an
 * ownership bitmap (8-byte granules) that catches two live blocks overlapping, and the expected
 * per-tag and per-pool counters. Expected block sizes mirror pool.c's size classes (header
 * included); change k_class below if the classes change.
 *
 * Usage: pool_test [--strict] [-v]
 *   --strict  also runs hardening cases that the current pool.c is not required to pass.
 *   -v        prints a line of detail for some cases.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#undef NULL                /* ntdef.h defines its own (same value); clang warns on a redefinition */
#include "ntdef.h"
#include "ke.h"
#include "mm.h"
#include "ex.h"

/* Leak checking is irrelevant here (pool.c never calls malloc) and LeakSanitizer fails in some
 * sandboxes that forbid ptrace. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0:allow_user_segv_handler=1"; }

#define REGION_BYTES ((size_t)MM_POOL_BYTES)
#define REGION_PAGES (MM_POOL_BYTES / PAGE_SIZE)
#define HDR 8u                     /* sizeof(POOL_HEADER) */
#define SMALL_MAX (PAGE_SIZE - HDR)

#define BPC_FREE_ALREADY_FREED   0x07
#define BPC_ALLOC_BAD_IRQL       0x08
#define BPC_FREE_BAD_IRQL        0x09
#define BPC_FREE_WRONG_TAG       0x0A
#define BPC_FREE_USER_ADDRESS    0x40
#define BPC_FREE_NONPAGED_UNALLOC 0x41
#define BPC_FREE_NOT_IN_POOL     0x42
#define BPC_FREE_INVALID_ADDRESS 0x46
#define BPC_FREE_PAGED_UNALLOC   0x48
#define BPH_FREE_LIST_CORRUPT    0x03
#define BPH_NEXT_BLOCK_CORRUPT   0x05
#define BPH_HEADER_CORRUPT       0x20

/* Block sizes (header included) of pool.c's small size classes. */
static const unsigned k_class[] = {
    16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 680, 1024, 1360, 2048, 4096,
};
#define NCLASS (sizeof(k_class) / sizeof(k_class[0]))

/* ============================================================================================
 * Test bookkeeping
 */
static const char *g_case;
static int g_case_failed;
static char g_reason[768];
static int g_passed, g_failed, g_verbose;

static void fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_at(int line, const char *fmt, ...)
{
    if (!g_case_failed) {
        int n = line ? snprintf(g_reason, sizeof g_reason, "line %d: ", line) : 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(g_reason + n, sizeof g_reason - (size_t)n, fmt, ap);
        va_end(ap);
    }
    g_case_failed = 1;
}

/* CHECK in test functions (void), REQ in helpers (return 0 on failure, 1 on success). */
#define CHECK(cond, ...) do { if (!(cond)) { fail_at(__LINE__, __VA_ARGS__); return; } } while (0)
#define REQ(cond, ...) do { if (!(cond)) { fail_at(__LINE__, __VA_ARGS__); return 0; } } while (0)
#define TRY(helper) do { if (!(helper)) return; } while (0)

/* Appends context to the recorded failure reason. */
static void fail_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail_context(const char *fmt, ...)
{
    size_t n = strlen(g_reason);
    if (n + 4 >= sizeof g_reason) return;
    g_reason[n++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_reason + n, sizeof g_reason - n, fmt, ap);
    va_end(ap);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    if (!g_verbose) return;
    va_list ap;
    va_start(ap, fmt);
    printf("  note %s: ", g_case);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static const char *tagstr(ULONG tag)
{
    static char buf[8][16];
    static int k;
    char *b = buf[k++ & 7];
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)(tag >> (8 * i));
        b[i] = (c >= 0x20 && c < 0x7F) ? (char)c : '.';
    }
    snprintf(b + 4, 12, "/%08X", tag);
    return b;
}

/* ============================================================================================
 * Fake environment: bug checks, IRQL, page mapping
 */
static struct {
    ULONG code;
    ULONG_PTR p[4];
} g_bc;
static volatile int g_expect_active;   /* a bug check (or fault) is being waited for */
static sigjmp_buf g_expect_jb;
static sigjmp_buf g_case_jb;
static volatile int g_in_case;
static volatile ULONG_PTR g_fault_addr;

VOID KeBugCheckEx(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4)
{
    g_bc.code = code;
    g_bc.p[0] = p1; g_bc.p[1] = p2; g_bc.p[2] = p3; g_bc.p[3] = p4;
    if (g_expect_active) {
        g_expect_active = 0;
        siglongjmp(g_expect_jb, 1);
    }
    if (g_in_case) {
        fail_at(0, "unexpected bug check 0x%X (0x%lX, 0x%lX, 0x%lX, 0x%lX)", code,
                (unsigned long)p1, (unsigned long)p2, (unsigned long)p3, (unsigned long)p4);
        siglongjmp(g_case_jb, 1);
    }
    fprintf(stderr, "bug check 0x%X outside a test case\n", code);
    abort();
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    g_fault_addr = (ULONG_PTR)si->si_addr;
    if (g_expect_active) {
        g_expect_active = 0;
        siglongjmp(g_expect_jb, 2);
    }
    if (g_in_case) {
        fail_at(0, "%s at address %p (the pool touched memory it does not own)",
                sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", si->si_addr);
        siglongjmp(g_case_jb, 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static KIRQL g_irql;
static char g_env_error[512];

static void env_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void env_error(const char *fmt, ...)
{
    if (g_env_error[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_env_error, sizeof g_env_error, fmt, ap);
    va_end(ap);
}

KIRQL KeGetCurrentIrql(VOID) { return g_irql; }

VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    if (NewIrql < g_irql) env_error("KeRaiseIrql(%u) at IRQL %u", NewIrql, g_irql);
    *OldIrql = g_irql;
    g_irql = NewIrql;
}

/* NT's rule: the caller checks that the previous IRQL was not above DISPATCH_LEVEL. */
KIRQL KeRaiseIrqlToDpcLevel(VOID);
KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    KIRQL old = g_irql;
    g_irql = DISPATCH_LEVEL;
    return old;
}

VOID KeLowerIrql(KIRQL NewIrql)
{
    if (NewIrql > g_irql) env_error("KeLowerIrql(%u) at IRQL %u", NewIrql, g_irql);
    g_irql = NewIrql;
}

static unsigned char *g_region[POOL_TYPE_COUNT];
static unsigned char g_mapped[POOL_TYPE_COUNT][REGION_PAGES];
static ULONG g_mapped_count[POOL_TYPE_COUNT];
static int g_map_fail;                 /* knob: every MiPoolMapPages fails */
static unsigned long g_map_calls, g_unmap_calls;

static int region_of(ULONG_PTR va)
{
    for (int r = 0; r < POOL_TYPE_COUNT; r++)
        if (va - (ULONG_PTR)g_region[r] < REGION_BYTES) return r;
    return -1;
}

static int check_map_request(const char *what, PVOID Va, ULONG Pages, int *r, ULONG *first)
{
    ULONG_PTR va = (ULONG_PTR)Va;
    *r = region_of(va);
    if (*r < 0 || (va & (PAGE_SIZE - 1)) || Pages == 0) {
        env_error("%s(%p, %u): not a page of a pool region", what, Va, Pages);
        return 0;
    }
    *first = (ULONG)((va - (ULONG_PTR)g_region[*r]) >> PAGE_SHIFT);
    if (*first + (ULONG_PTR)Pages > REGION_PAGES) {
        env_error("%s(%p, %u): runs past the end of the pool region", what, Va, Pages);
        return 0;
    }
    if (g_irql < DISPATCH_LEVEL)
        env_error("%s called at IRQL %u: the pool lock (DISPATCH_LEVEL) is not held", what, g_irql);
    return 1;
}

BOOLEAN MiPoolMapPages(PVOID Va, ULONG Pages)
{
    int r;
    ULONG first;
    g_map_calls++;
    if (!check_map_request("MiPoolMapPages", Va, Pages, &r, &first)) return FALSE;
    for (ULONG i = 0; i < Pages; i++)
        if (g_mapped[r][first + i]) {
            env_error("MiPoolMapPages(%p, %u): page %u is already mapped", Va, Pages, i);
            return FALSE;
        }
    if (g_map_fail) return FALSE;
    if (mprotect(Va, (size_t)Pages << PAGE_SHIFT, PROT_READ | PROT_WRITE) != 0) {
        perror("mprotect");
        abort();
    }
    memset(Va, 0, (size_t)Pages << PAGE_SHIFT);
    for (ULONG i = 0; i < Pages; i++) g_mapped[r][first + i] = 1;
    g_mapped_count[r] += Pages;
    return TRUE;
}

VOID MiPoolUnmapPages(PVOID Va, ULONG Pages)
{
    int r;
    ULONG first;
    g_unmap_calls++;
    if (!check_map_request("MiPoolUnmapPages", Va, Pages, &r, &first)) return;
    for (ULONG i = 0; i < Pages; i++)
        if (!g_mapped[r][first + i]) {
            env_error("MiPoolUnmapPages(%p, %u): page %u is not mapped", Va, Pages, i);
            return;
        }
    if (mprotect(Va, (size_t)Pages << PAGE_SHIFT, PROT_NONE) != 0) {
        perror("mprotect");
        abort();
    }
    madvise(Va, (size_t)Pages << PAGE_SHIFT, MADV_DONTNEED);
    for (ULONG i = 0; i < Pages; i++) g_mapped[r][first + i] = 0;
    g_mapped_count[r] -= Pages;
}

/* ============================================================================================
 * The test's model: live blocks, ownership bitmap, expected counters
 */
struct blk {
    unsigned char *p;
    SIZE_T n;
    ULONG tag;
    POOL_TYPE type;
    uint64_t seed;
};

#define OWN_WORDS (REGION_BYTES / 8 / 64)
static uint64_t g_own[POOL_TYPE_COUNT][OWN_WORDS];   /* one bit per 8-byte granule */

#define SHADOW_TAGS 4096
static struct shadow_tag {
    int used;
    ULONG tag;
    ULONG allocs[POOL_TYPE_COUNT], frees[POOL_TYPE_COUNT];
    SIZE_T bytes[POOL_TYPE_COUNT];
} g_stags[SHADOW_TAGS];
static struct {
    ULONG allocs, frees;
    SIZE_T bytes;
} g_susage[POOL_TYPE_COUNT];
static uint64_t g_seed_counter;

static struct shadow_tag *stag(ULONG tag)
{
    ULONG i = (tag * 2654435761u) & (SHADOW_TAGS - 1);
    for (ULONG probes = 0; probes < SHADOW_TAGS; probes++, i = (i + 1) & (SHADOW_TAGS - 1)) {
        if (!g_stags[i].used) {
            g_stags[i].used = 1;
            g_stags[i].tag = tag;
            return &g_stags[i];
        }
        if (g_stags[i].tag == tag) return &g_stags[i];
    }
    fprintf(stderr, "shadow tag table full\n");
    abort();
}

static struct shadow_tag *stag_find(ULONG tag)
{
    ULONG i = (tag * 2654435761u) & (SHADOW_TAGS - 1);
    for (ULONG probes = 0; probes < SHADOW_TAGS && g_stags[i].used; probes++, i = (i + 1) & (SHADOW_TAGS - 1))
        if (g_stags[i].tag == tag) return &g_stags[i];
    return NULL;
}

static void reset_pools_sized(ULONG pages_nonpaged, ULONG pages_paged)
{
    for (int r = 0; r < POOL_TYPE_COUNT; r++) {
        if (mprotect(g_region[r], REGION_BYTES, PROT_NONE) != 0) { perror("mprotect"); abort(); }
        madvise(g_region[r], REGION_BYTES, MADV_DONTNEED);
        g_mapped_count[r] = 0;
    }
    memset(g_mapped, 0, sizeof g_mapped);
    memset(g_own, 0, sizeof g_own);
    memset(g_stags, 0, sizeof g_stags);
    memset(g_susage, 0, sizeof g_susage);
    g_irql = PASSIVE_LEVEL;
    g_map_fail = 0;
    g_expect_active = 0;
    ExInitializePoolTracking();
    ExInitializePoolDescriptor(NonPagedPool, g_region[NonPagedPool], pages_nonpaged);
    ExInitializePoolDescriptor(PagedPool, g_region[PagedPool], pages_paged);
}

static void reset_pools(void) { reset_pools_sized(REGION_PAGES, REGION_PAGES); }

static int is_big(POOL_TYPE type, SIZE_T n) { return n > SMALL_MAX || (type & NonPagedPoolCacheAligned); }

/* Bytes charged for a request: class size (header included) or whole pages. */
static SIZE_T block_bytes(POOL_TYPE type, SIZE_T n)
{
    if (is_big(type, n)) return ROUND_TO_PAGES(n ? n : 1);
    for (unsigned c = 0; c < NCLASS; c++)
        if (k_class[c] >= n + HDR) return k_class[c];
    abort();
}

static inline uint64_t pat_word(uint64_t seed, size_t i)
{
    uint64_t x = seed + (uint64_t)i * 0x9E3779B97F4A7C15ull;
    x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27; x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static void fill(unsigned char *p, SIZE_T n, uint64_t seed)
{
    SIZE_T i = 0;
    for (; i + 8 <= n; i += 8) { uint64_t w = pat_word(seed, i / 8); memcpy(p + i, &w, 8); }
    if (i < n) { uint64_t w = pat_word(seed, i / 8); memcpy(p + i, &w, n - i); }
}

/* Returns the offset of the first byte that differs from the pattern, or (SIZE_T)-1. */
static SIZE_T pattern_mismatch(const unsigned char *p, SIZE_T n, uint64_t seed)
{
    SIZE_T i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = pat_word(seed, i / 8);
        if (memcmp(p + i, &w, 8) != 0) break;
    }
    for (; i < n; i++) {
        uint64_t w = pat_word(seed, i / 8);
        if (p[i] != ((unsigned char *)&w)[i % 8]) return i;
    }
    return (SIZE_T)-1;
}

/* The granules a live block owns: its header (small blocks) and its body. */
static void own_span(const struct blk *b, int *r, size_t *g0, size_t *g1)
{
    ULONG_PTR start = (ULONG_PTR)b->p - (is_big(b->type, b->n) ? 0 : HDR);
    ULONG_PTR end = (ULONG_PTR)b->p + (b->n ? ((b->n + 7) & ~(SIZE_T)7) : (is_big(b->type, b->n) ? 8 : 0));
    *r = region_of(start);
    *g0 = (start - (ULONG_PTR)g_region[*r]) / 8;
    *g1 = (end - (ULONG_PTR)g_region[*r]) / 8;
}

static int own_mark(const struct blk *b, int set)
{
    int r;
    size_t g0, g1;
    own_span(b, &r, &g0, &g1);
    for (size_t g = g0; g < g1; g++) {
        uint64_t bit = 1ull << (g & 63);
        if (set) {
            REQ(!(g_own[r][g / 64] & bit),
                "block %p (%lu bytes) overlaps a live block at granule offset 0x%lx of the pool",
                b->p, (unsigned long)b->n, (unsigned long)(g * 8));
            g_own[r][g / 64] |= bit;
        } else {
            g_own[r][g / 64] &= ~bit;
        }
    }
    return 1;
}

static int check_irql(KIRQL want, const char *what)
{
    REQ(g_irql == want, "%s left IRQL %u, expected %u", what, g_irql, want);
    REQ(!g_env_error[0], "environment: %s", g_env_error);
    return 1;
}

/* Allocates and checks everything that can be checked about the new block, then fills it. */
static int blk_alloc_irql(struct blk *b, POOL_TYPE type, SIZE_T n, ULONG tag, int use_exallocatepool,
                          KIRQL irql)
{
    ULONG base = POOL_BASE_TYPE(type);
    g_irql = irql;
    PVOID p = use_exallocatepool ? ExAllocatePool(type, n) : ExAllocatePoolWithTag(type, n, tag);
    if (use_exallocatepool) tag = POOL_TAG('N', 'o', 'n', 'e');
    if (!check_irql(irql, "ExAllocatePoolWithTag")) return 0;
    REQ(p != NULL, "ExAllocatePoolWithTag(type %d, %lu, %s) returned NULL", type, (unsigned long)n,
        tagstr(tag));
    ULONG_PTR va = (ULONG_PTR)p;
    REQ(region_of(va) == (int)base, "block %p of type %d is not in the %s pool region", p, type,
        base ? "paged" : "nonpaged");
    REQ((va & 7) == 0, "block %p (%lu bytes) is not 8-byte aligned", p, (unsigned long)n);
    SIZE_T bb = block_bytes(type, n);
    SIZE_T qs = ExQueryPoolBlockSize(p);
    if (is_big(type, n)) {
        REQ((va & (PAGE_SIZE - 1)) == 0, "big block %p (%lu bytes, type %d) is not page aligned", p,
            (unsigned long)n, type);
        REQ(qs == bb, "ExQueryPoolBlockSize(%p) = %lu for a %lu-byte big block, expected %lu", p,
            (unsigned long)qs, (unsigned long)n, (unsigned long)bb);
        ULONG first = (ULONG)((va - (ULONG_PTR)g_region[base]) >> PAGE_SHIFT);
        for (ULONG i = 0; i < bb / PAGE_SIZE; i++)
            REQ(g_mapped[base][first + i], "page %u of big block %p is not mapped", i, p);
    } else {
        REQ(qs == bb - HDR, "ExQueryPoolBlockSize(%p) = %lu for a %lu-byte block, expected %lu", p,
            (unsigned long)qs, (unsigned long)n, (unsigned long)(bb - HDR));
        REQ(((va - HDR) & ~(ULONG_PTR)(PAGE_SIZE - 1)) == ((va + bb - HDR - 1) & ~(ULONG_PTR)(PAGE_SIZE - 1)),
            "small block %p (%lu bytes) crosses a page boundary", p, (unsigned long)n);
        REQ(g_mapped[base][(va - HDR - (ULONG_PTR)g_region[base]) >> PAGE_SHIFT],
            "page of small block %p is not mapped", p);
    }
    REQ(qs >= n, "ExQueryPoolBlockSize(%p) = %lu < requested %lu", p, (unsigned long)qs,
        (unsigned long)n);

    b->p = p;
    b->n = n;
    b->tag = tag;
    b->type = type;
    b->seed = ++g_seed_counter * 0x2545F4914F6CDD1Dull;
    if (!own_mark(b, 1)) return 0;
    fill(b->p, n, b->seed);

    struct shadow_tag *t = stag(tag);
    t->allocs[base]++;
    t->bytes[base] += bb;
    g_susage[base].allocs++;
    g_susage[base].bytes += bb;
    return 1;
}

static int blk_alloc(struct blk *b, POOL_TYPE type, SIZE_T n, ULONG tag)
{
    return blk_alloc_irql(b, type, n, tag, 0, PASSIVE_LEVEL);
}

static int blk_verify(const struct blk *b)
{
    SIZE_T off = pattern_mismatch(b->p, b->n, b->seed);
    REQ(off == (SIZE_T)-1, "block %p (%lu bytes, %s) was overwritten at offset %lu", b->p,
        (unsigned long)b->n, tagstr(b->tag), (unsigned long)off);
    return 1;
}

enum { FREE_WITH_TAG, FREE_NO_TAG };

static int blk_free_irql(struct blk *b, int how, KIRQL irql)
{
    ULONG base = POOL_BASE_TYPE(b->type);
    if (!blk_verify(b)) return 0;
    own_mark(b, 0);
    g_irql = irql;
    if (how == FREE_WITH_TAG) ExFreePoolWithTag(b->p, b->tag);
    else ExFreePool(b->p);
    if (!check_irql(irql, "ExFreePoolWithTag")) return 0;
    SIZE_T bb = block_bytes(b->type, b->n);
    struct shadow_tag *t = stag(b->tag);
    t->frees[base]++;
    t->bytes[base] -= bb;
    g_susage[base].frees++;
    g_susage[base].bytes -= bb;
    if (is_big(b->type, b->n)) {
        ULONG first = (ULONG)(((ULONG_PTR)b->p - (ULONG_PTR)g_region[base]) >> PAGE_SHIFT);
        for (ULONG i = 0; i < bb / PAGE_SIZE; i++)
            REQ(!g_mapped[base][first + i], "page %u of freed big block %p is still mapped", i, b->p);
    }
    b->p = NULL;
    return 1;
}

static int blk_free(struct blk *b) { return blk_free_irql(b, FREE_WITH_TAG, PASSIVE_LEVEL); }

/* Compares the pool's counters with the model: every tag row (tags missing from the table must
 * add up to the 'Ovfl' row), the pool usage, and PagesInUse against the pages actually mapped. */
#define ENUM_MAX 2048
static POOL_TRACKER_ENTRY g_enum[ENUM_MAX];

static int check_accounting(void)
{
    ULONG ovfl_tag = POOL_TAG('O', 'v', 'f', 'l');
    ULONG n = ExEnumeratePoolTags(g_enum, ENUM_MAX);
    REQ(n < ENUM_MAX, "ExEnumeratePoolTags returned %u rows", n);
    struct shadow_tag ovfl = {0};
    int have_ovfl_row = 0;
    POOL_TRACKER_ENTRY *ovfl_row = NULL;
    for (ULONG i = 0; i < n; i++) {
        if (g_enum[i].Tag == ovfl_tag) { ovfl_row = &g_enum[i]; have_ovfl_row++; }
    }
    REQ(have_ovfl_row <= 1, "ExEnumeratePoolTags lists %d 'Ovfl' rows", have_ovfl_row);

    ULONG shadow_tags = 0;
    for (ULONG s = 0; s < SHADOW_TAGS; s++) {
        struct shadow_tag *t = &g_stags[s];
        if (!t->used) continue;
        shadow_tags++;
        POOL_TRACKER_ENTRY e;
        memset(&e, 0xCC, sizeof e);
        BOOLEAN found = ExQueryPoolTag(t->tag, &e);
        if (!found) {
            REQ(e.Tag == t->tag && e.Pool[0].Allocs == 0 && e.Pool[1].Allocs == 0 &&
                e.Pool[0].Bytes == 0 && e.Pool[1].Bytes == 0,
                "ExQueryPoolTag(%s) returned FALSE but did not clear the entry", tagstr(t->tag));
            for (int k = 0; k < POOL_TYPE_COUNT; k++) {
                ovfl.allocs[k] += t->allocs[k];
                ovfl.frees[k] += t->frees[k];
                ovfl.bytes[k] += t->bytes[k];
            }
            continue;
        }
        REQ(e.Tag == t->tag, "ExQueryPoolTag(%s) returned the row of %s", tagstr(t->tag), tagstr(e.Tag));
        for (int k = 0; k < POOL_TYPE_COUNT; k++)
            REQ(e.Pool[k].Allocs == t->allocs[k] && e.Pool[k].Frees == t->frees[k] &&
                e.Pool[k].Bytes == t->bytes[k],
                "tag %s pool %d: allocs/frees/bytes %u/%u/%lu, expected %u/%u/%lu", tagstr(t->tag), k,
                e.Pool[k].Allocs, e.Pool[k].Frees, (unsigned long)e.Pool[k].Bytes, t->allocs[k],
                t->frees[k], (unsigned long)t->bytes[k]);
        /* The enumeration must show the same row. */
        ULONG j = 0;
        while (j < n && g_enum[j].Tag != t->tag) j++;
        REQ(j < n, "tag %s has a row but ExEnumeratePoolTags does not list it", tagstr(t->tag));
        REQ(memcmp(&g_enum[j], &e, sizeof e) == 0,
            "ExEnumeratePoolTags and ExQueryPoolTag disagree on tag %s", tagstr(t->tag));
    }
    if (ovfl.allocs[0] || ovfl.allocs[1]) {
        REQ(ovfl_row != NULL, "%u+%u allocations of tags missing from the table, but no 'Ovfl' row",
            ovfl.allocs[0], ovfl.allocs[1]);
    }
    if (ovfl_row) {
        for (int k = 0; k < POOL_TYPE_COUNT; k++)
            REQ(ovfl_row->Pool[k].Allocs == ovfl.allocs[k] && ovfl_row->Pool[k].Frees == ovfl.frees[k] &&
                ovfl_row->Pool[k].Bytes == ovfl.bytes[k],
                "'Ovfl' row pool %d: allocs/frees/bytes %u/%u/%lu, expected %u/%u/%lu", k,
                ovfl_row->Pool[k].Allocs, ovfl_row->Pool[k].Frees,
                (unsigned long)ovfl_row->Pool[k].Bytes, ovfl.allocs[k], ovfl.frees[k],
                (unsigned long)ovfl.bytes[k]);
    }
    /* Every listed row belongs to a tag the test used. */
    for (ULONG i = 0; i < n; i++) {
        if (&g_enum[i] == ovfl_row) continue;
        REQ(stag_find(g_enum[i].Tag) != NULL, "ExEnumeratePoolTags lists tag %s that was never used",
            tagstr(g_enum[i].Tag));
    }
    for (int k = 0; k < POOL_TYPE_COUNT; k++) {
        POOL_USAGE u;
        ExQueryPoolUsage((POOL_TYPE)k, &u);
        REQ(u.Allocs == g_susage[k].allocs && u.Frees == g_susage[k].frees &&
            u.BytesInUse == g_susage[k].bytes,
            "pool %d usage allocs/frees/bytes %u/%u/%lu, expected %u/%u/%lu", k, u.Allocs, u.Frees,
            (unsigned long)u.BytesInUse, g_susage[k].allocs, g_susage[k].frees,
            (unsigned long)g_susage[k].bytes);
        REQ(u.PagesInUse == g_mapped_count[k], "pool %d PagesInUse %u but %u pages are mapped", k,
            u.PagesInUse, g_mapped_count[k]);
    }
    return 1;
}

/* After everything was freed: nothing outstanding anywhere. */
static int check_baseline(void)
{
    if (!check_accounting()) return 0;
    ULONG n = ExEnumeratePoolTags(g_enum, ENUM_MAX);
    for (ULONG i = 0; i < n; i++)
        for (int k = 0; k < POOL_TYPE_COUNT; k++)
            REQ(g_enum[i].Pool[k].Bytes == 0 && g_enum[i].Pool[k].Allocs == g_enum[i].Pool[k].Frees,
                "after freeing everything tag %s pool %d still has allocs/frees/bytes %u/%u/%lu",
                tagstr(g_enum[i].Tag), k, g_enum[i].Pool[k].Allocs, g_enum[i].Pool[k].Frees,
                (unsigned long)g_enum[i].Pool[k].Bytes);
    for (int k = 0; k < POOL_TYPE_COUNT; k++) {
        POOL_USAGE u;
        ExQueryPoolUsage((POOL_TYPE)k, &u);
        REQ(u.BytesInUse == 0 && u.Allocs == u.Frees,
            "after freeing everything pool %d has BytesInUse %lu, allocs %u, frees %u", k,
            (unsigned long)u.BytesInUse, u.Allocs, u.Frees);
    }
    return 1;
}

/* ============================================================================================
 * Expecting a bug check
 */
enum { OP_ALLOC, OP_FREE_TAG, OP_FREE };
struct op {
    int kind;
    POOL_TYPE type;
    SIZE_T n;
    ULONG tag;
    PVOID p;
    PVOID result;
};

static void op_run(struct op *o)
{
    switch (o->kind) {
    case OP_ALLOC: o->result = ExAllocatePoolWithTag(o->type, o->n, o->tag); break;
    case OP_FREE_TAG: ExFreePoolWithTag(o->p, o->tag); break;
    case OP_FREE: ExFreePool(o->p); break;
    }
}

/* Runs the operation; 0 = it returned, 1 = it bug checked (g_bc), 2 = it faulted. */
static int op_try(struct op *o)
{
    o->result = NULL;
    switch (sigsetjmp(g_expect_jb, 1)) {
    case 0:
        g_expect_active = 1;
        op_run(o);
        g_expect_active = 0;
        return 0;
    case 1:
        return 1;      /* KeBugCheckEx */
    default:
        return 2;      /* SIGSEGV / SIGBUS */
    }
}

static const char *op_str(const struct op *o)
{
    static char buf[128];
    switch (o->kind) {
    case OP_ALLOC:
        snprintf(buf, sizeof buf, "ExAllocatePoolWithTag(type %d, %lu, %s)", o->type,
                 (unsigned long)o->n, tagstr(o->tag));
        break;
    case OP_FREE_TAG: snprintf(buf, sizeof buf, "ExFreePoolWithTag(%p, %s)", o->p, tagstr(o->tag)); break;
    default: snprintf(buf, sizeof buf, "ExFreePool(%p)", o->p); break;
    }
    return buf;
}

/* Runs o expecting bug check `code` with parameter 1 in p1s[0..np); then re-initialises the
 * pools (the test's model too). g_bc keeps the parameters for further checks. */
static int expect_bc_any(struct op o, ULONG code, const ULONG_PTR *p1s, int np)
{
    memset(&g_bc, 0, sizeof g_bc);
    g_fault_addr = 0;
    int rc = op_try(&o);
    reset_pools();
    char want[64];
    int w = snprintf(want, sizeof want, "0x%X/", code);
    for (int i = 0; i < np; i++)
        w += snprintf(want + w, sizeof want - (size_t)w, "%s0x%lX", i ? "|" : "", (unsigned long)p1s[i]);
    REQ(rc != 0, "%s: expected bug check %s, but it returned (result %p)", op_str(&o), want, o.result);
    REQ(rc != 2, "%s: expected bug check %s, but it faulted at %p", op_str(&o), want, (void *)g_fault_addr);
    int ok = g_bc.code == code;
    int p1ok = 0;
    for (int i = 0; i < np; i++) p1ok |= g_bc.p[0] == p1s[i];
    REQ(ok && p1ok, "%s: expected bug check %s, got 0x%X (0x%lX, 0x%lX, 0x%lX, 0x%lX)", op_str(&o),
        want, g_bc.code, (unsigned long)g_bc.p[0], (unsigned long)g_bc.p[1], (unsigned long)g_bc.p[2],
        (unsigned long)g_bc.p[3]);
    return 1;
}

static int expect_bc(struct op o, ULONG code, ULONG_PTR p1) { return expect_bc_any(o, code, &p1, 1); }

static int expect_free_bc(PVOID p, ULONG tag, ULONG code, ULONG_PTR p1)
{
    return expect_bc((struct op){ .kind = tag ? OP_FREE_TAG : OP_FREE, .p = p, .tag = tag }, code, p1);
}

static int expect_alloc_bc(POOL_TYPE type, SIZE_T n, ULONG tag, ULONG code, ULONG_PTR p1)
{
    return expect_bc((struct op){ .kind = OP_ALLOC, .type = type, .n = n, .tag = tag }, code, p1);
}

#define BCP(i) ((unsigned long)g_bc.p[(i) - 1])
#define CHECK_BCP(i, want) \
    CHECK(g_bc.p[(i) - 1] == (ULONG_PTR)(want), "bug check parameter %d is 0x%lX, expected 0x%lX (%s)", \
          i, BCP(i), (unsigned long)(ULONG_PTR)(want), #want)

static ULONG unalloc_code(POOL_TYPE t) { return t == PagedPool ? BPC_FREE_PAGED_UNALLOC : BPC_FREE_NONPAGED_UNALLOC; }

#define TAG_A POOL_TAG('T', 's', 't', 'A')
#define TAG_B POOL_TAG('T', 's', 't', 'B')
#define TAG_GOOD POOL_TAG('G', 'o', 'o', 'd')
#define TAG_BAD POOL_TAG('B', 'a', 'd', '!')
#define TAG_NONE POOL_TAG('N', 'o', 'n', 'e')
#define TAG_OVFL POOL_TAG('O', 'v', 'f', 'l')

/* ============================================================================================
 * Allocation patterns
 */
#define SIZES_MAX 5000
static struct blk g_blks[16384];

static void t_sizes_all(POOL_TYPE type)
{
    static const ULONG tags[4] = { POOL_TAG('S', 'z', '0', ' '), POOL_TAG('S', 'z', '1', ' '),
                                   POOL_TAG('S', 'z', '2', ' '), POOL_TAG('S', 'z', '3', ' ') };
    ULONG count = SIZES_MAX + 1;
    for (ULONG s = 0; s < count; s++)
        TRY(blk_alloc(&g_blks[s], type, s, tags[s & 3]));
    TRY(check_accounting());
    /* Free every third block, alternately with and without the tag; the others must be intact. */
    for (ULONG s = 1; s < count; s += 3)
        TRY(blk_free_irql(&g_blks[s], (s & 1) ? FREE_NO_TAG : FREE_WITH_TAG, PASSIVE_LEVEL));
    for (ULONG s = 0; s < count; s++)
        if (g_blks[s].p) TRY(blk_verify(&g_blks[s]));
    TRY(check_accounting());
    /* Allocate them again (in reverse order, so the reused blocks land on other sizes). */
    for (ULONG s = count; s-- > 0;)
        if (!g_blks[s].p) TRY(blk_alloc(&g_blks[s], type, s, tags[(s + 1) & 3]));
    for (ULONG s = 0; s < count; s++) TRY(blk_verify(&g_blks[s]));
    TRY(check_accounting());
    for (ULONG s = 0; s < count; s++) TRY(blk_free(&g_blks[s]));
    TRY(check_baseline());
}

static void t_sizes_interleaved(POOL_TYPE unused)
{
    /* Both pools at once, sizes in a scrambled order, with frees mixed in. */
    (void)unused;
    ULONG n = 0;
    for (ULONG k = 0; k < 2 * (SIZES_MAX + 1); k++) {
        ULONG s = (k * 7919u) % (SIZES_MAX + 1);
        POOL_TYPE t = (k & 1) ? PagedPool : NonPagedPool;
        TRY(blk_alloc(&g_blks[n], t, s, POOL_TAG('I', 'l', 'v', (char)('0' + (s % 10)))));
        n++;
        if (k % 5 == 4) {          /* free one of the earlier blocks */
            ULONG victim = (k * 31u) % n;
            if (g_blks[victim].p) TRY(blk_free(&g_blks[victim]));
        }
    }
    for (ULONG i = 0; i < n; i++)
        if (g_blks[i].p) TRY(blk_verify(&g_blks[i]));
    TRY(check_accounting());
    for (ULONG i = 0; i < n; i++)
        if (g_blks[i].p) TRY(blk_free(&g_blks[i]));
    TRY(check_baseline());
}

static void t_cache_aligned(POOL_TYPE unused)
{
    (void)unused;
    static const POOL_TYPE types[] = { NonPagedPoolCacheAligned, PagedPoolCacheAligned,
                                       NonPagedPoolMustSucceed };
    ULONG n = 0;
    for (unsigned t = 0; t < 3; t++)
        for (SIZE_T s = 0; s <= 9000; s += (s < 64 ? 1 : 37))
            TRY(blk_alloc(&g_blks[n++], types[t], s, POOL_TAG('C', 'a', 'l', (char)('0' + t))));
    for (ULONG i = 0; i < n; i++) TRY(blk_verify(&g_blks[i]));
    TRY(check_accounting());
    for (ULONG i = 0; i < n; i++) TRY(blk_free(&g_blks[i]));
    TRY(check_baseline());
}

static void t_small_blocks_reused(POOL_TYPE type)
{
    POOL_USAGE u0, u1;
    for (ULONG i = 0; i < 2000; i++) TRY(blk_alloc(&g_blks[i], type, 100 + (i % 20), TAG_A));
    ExQueryPoolUsage(type, &u0);
    for (ULONG i = 0; i < 2000; i++) TRY(blk_free(&g_blks[i]));
    unsigned long maps = g_map_calls;
    for (ULONG i = 0; i < 2000; i++) TRY(blk_alloc(&g_blks[i], type, 100 + (i % 20), TAG_B));
    ExQueryPoolUsage(type, &u1);
    CHECK(u1.PagesInUse == u0.PagesInUse && g_map_calls == maps,
          "reallocating 2000 freed small blocks mapped %lu more pages (PagesInUse %u -> %u)",
          g_map_calls - maps, u0.PagesInUse, u1.PagesInUse);
    for (ULONG i = 0; i < 2000; i++) TRY(blk_free(&g_blks[i]));
    TRY(check_baseline());
}

static void t_big_blocks_unmapped(POOL_TYPE type)
{
    struct blk b[8];
    for (int i = 0; i < 8; i++) TRY(blk_alloc(&b[i], type, 4089 + (SIZE_T)i * 5000, TAG_A));
    TRY(check_accounting());
    for (int i = 0; i < 8; i++) TRY(blk_free(&b[i]));   /* blk_free checks the pages are unmapped */
    CHECK(g_mapped_count[type] == 0, "%u pages still mapped after freeing all big blocks",
          g_mapped_count[type]);
    TRY(check_baseline());
}

static void t_freed_pages_reused_late(POOL_TYPE type)
{
    /* Freed page ranges are not handed out again at once (next fit): a stale pointer to a freed
     * big block then faults or fails the checks instead of reaching a new owner. */
    unsigned char *seen[200];
    for (int i = 0; i < 200; i++) {
        struct blk b;
        TRY(blk_alloc(&b, type, 3 * PAGE_SIZE - (SIZE_T)i, TAG_A));
        seen[i] = b.p;
        for (int j = 0; j < i; j++)
            CHECK(seen[j] != b.p, "allocation %d got the pages of allocation %d (%p), freed just before",
                  i, j, b.p);
        TRY(blk_free(&b));
    }
    TRY(check_baseline());
}

static void t_query_block_size(POOL_TYPE type)
{
    int local;
    struct blk b;
    CHECK(ExQueryPoolBlockSize(NULL) == 0, "ExQueryPoolBlockSize(NULL) != 0");
    CHECK(ExQueryPoolBlockSize(&local) == 0, "ExQueryPoolBlockSize(stack address) != 0");
    CHECK(ExQueryPoolBlockSize(g_region[type] + 1000 * PAGE_SIZE) == 0,
          "ExQueryPoolBlockSize(unused pool page) != 0");
    TRY(blk_alloc(&b, type, 3 * PAGE_SIZE, TAG_A));
    CHECK(ExQueryPoolBlockSize(b.p + PAGE_SIZE) == 0, "ExQueryPoolBlockSize(second page of a big block) != 0");
    unsigned char *p = b.p;
    TRY(blk_free(&b));
    CHECK(ExQueryPoolBlockSize(p) == 0, "ExQueryPoolBlockSize(freed big block) != 0");
}

/* --------------------------------------------------------------------------------------------
 * Randomized workload against the model
 */
static uint64_t g_rng;
static uint64_t rnd(void)
{
    g_rng ^= g_rng >> 12; g_rng ^= g_rng << 25; g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1Dull;
}

#define RW_OPS 200000
#define RW_CAP 3000
#define RW_TAGS 48

static int verify_all_live(ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        if (!blk_verify(&g_blks[i])) return 0;
    return 1;
}

static void t_random_workload(POOL_TYPE unused)
{
    (void)unused;
    ULONG tags[RW_TAGS];
    for (int i = 0; i < RW_TAGS; i++)
        tags[i] = POOL_TAG('R', 'w', "0123456789abcdef"[i / 16], "0123456789abcdef"[i % 16]);
    g_rng = 0x9E3779B97F4A7C15ull;
    ULONG live = 0, peak = 0;
    unsigned long allocs = 0, frees = 0;
    for (ULONG op = 0; op < RW_OPS; op++) {
        if (live == 0 || (live < RW_CAP && rnd() % 100 < 52)) {
            uint64_t r = rnd() % 100;
            POOL_TYPE type = r < 45 ? NonPagedPool : r < 90 ? PagedPool : r < 94 ? NonPagedPoolCacheAligned
                           : r < 97 ? PagedPoolCacheAligned : NonPagedPoolMustSucceed;
            SIZE_T n;
            r = rnd() % 100;
            if (r < 55) n = rnd() % 129;
            else if (r < 80) n = rnd() % 1025;
            else if (r < 92) n = rnd() % (SMALL_MAX + 1);
            else if (r < 96) n = k_class[rnd() % NCLASS] - HDR + (SIZE_T)(rnd() % 2);   /* class edges */
            else n = SMALL_MAX + 1 + rnd() % (5 * PAGE_SIZE);
            int none = rnd() % 100 < 4;
            KIRQL irql = (KIRQL)(rnd() % (POOL_BASE_TYPE(type) == PagedPool ? 2 : 3));
            TRY(blk_alloc_irql(&g_blks[live], type, n, tags[rnd() % RW_TAGS], none, irql));
            live++;
            allocs++;
            if (live > peak) peak = live;
        } else {
            ULONG i = (ULONG)(rnd() % live);
            KIRQL irql = (KIRQL)(rnd() % (POOL_BASE_TYPE(g_blks[i].type) == PagedPool ? 2 : 3));
            TRY(blk_free_irql(&g_blks[i], rnd() % 3 == 0 ? FREE_NO_TAG : FREE_WITH_TAG, irql));
            g_blks[i] = g_blks[--live];
            frees++;
        }
        if (op % 20000 == 19999) {
            if (!verify_all_live(live)) return;
            TRY(check_accounting());
        }
    }
    TRY(verify_all_live(live));
    TRY(check_accounting());
    while (live) TRY(blk_free(&g_blks[--live]));
    TRY(check_baseline());
    POOL_USAGE u0, u1;
    ExQueryPoolUsage(NonPagedPool, &u0);
    ExQueryPoolUsage(PagedPool, &u1);
    note("%lu allocs, %lu frees, peak %u live blocks, pages left mapped (small pages) %u + %u", allocs,
         frees, peak, u0.PagesInUse, u1.PagesInUse);
}

/* ============================================================================================
 * Tag tracking
 */
static int expect_tag(ULONG tag, ULONG a0, ULONG f0, SIZE_T b0, ULONG a1, ULONG f1, SIZE_T b1)
{
    POOL_TRACKER_ENTRY e;
    BOOLEAN found = ExQueryPoolTag(tag, &e);
    REQ(found, "ExQueryPoolTag(%s) found no row", tagstr(tag));
    REQ(e.Tag == tag, "ExQueryPoolTag(%s) returned tag %s", tagstr(tag), tagstr(e.Tag));
    REQ(e.Pool[0].Allocs == a0 && e.Pool[0].Frees == f0 && e.Pool[0].Bytes == b0,
        "tag %s nonpaged allocs/frees/bytes %u/%u/%lu, expected %u/%u/%lu", tagstr(tag),
        e.Pool[0].Allocs, e.Pool[0].Frees, (unsigned long)e.Pool[0].Bytes, a0, f0, (unsigned long)b0);
    REQ(e.Pool[1].Allocs == a1 && e.Pool[1].Frees == f1 && e.Pool[1].Bytes == b1,
        "tag %s paged allocs/frees/bytes %u/%u/%lu, expected %u/%u/%lu", tagstr(tag),
        e.Pool[1].Allocs, e.Pool[1].Frees, (unsigned long)e.Pool[1].Bytes, a1, f1, (unsigned long)b1);
    return 1;
}

static void t_tag_counts(POOL_TYPE unused)
{
    (void)unused;
    struct blk a[10], b[3], c[5], d[2];
    /* Hand-computed sizes: 100 -> class 128, 10000 -> 3 pages, 1000 -> class 1024, 0 -> class 16. */
    for (int i = 0; i < 10; i++) TRY(blk_alloc(&a[i], NonPagedPool, 100, TAG_A));
    for (int i = 0; i < 3; i++) TRY(blk_alloc(&b[i], NonPagedPool, 10000, TAG_B));
    for (int i = 0; i < 5; i++) TRY(blk_alloc(&c[i], PagedPool, 1000, TAG_A));
    for (int i = 0; i < 2; i++) TRY(blk_alloc(&d[i], PagedPool, 0, TAG_B));
    TRY(expect_tag(TAG_A, 10, 0, 1280, 5, 0, 5120));
    TRY(expect_tag(TAG_B, 3, 0, 3 * 12288, 2, 0, 32));
    POOL_USAGE u;
    ExQueryPoolUsage(NonPagedPool, &u);
    CHECK(u.BytesInUse == 1280 + 3 * 12288 && u.Allocs == 13 && u.Frees == 0,
          "nonpaged usage bytes %lu allocs %u frees %u", (unsigned long)u.BytesInUse, u.Allocs, u.Frees);
    ExQueryPoolUsage(PagedPool, &u);
    CHECK(u.BytesInUse == 5120 + 32 && u.Allocs == 7 && u.Frees == 0,
          "paged usage bytes %lu allocs %u frees %u", (unsigned long)u.BytesInUse, u.Allocs, u.Frees);

    for (int i = 0; i < 4; i++) TRY(blk_free_irql(&a[i], i & 1 ? FREE_NO_TAG : FREE_WITH_TAG, PASSIVE_LEVEL));
    TRY(blk_free(&b[0]));
    TRY(blk_free(&d[1]));
    TRY(expect_tag(TAG_A, 10, 4, 768, 5, 0, 5120));
    TRY(expect_tag(TAG_B, 3, 1, 2 * 12288, 2, 1, 16));

    ULONG n = ExEnumeratePoolTags(g_enum, 16);
    CHECK(n == 2, "ExEnumeratePoolTags listed %u rows, expected 2 (TstA, TstB)", n);
    CHECK((g_enum[0].Tag == TAG_A && g_enum[1].Tag == TAG_B) || (g_enum[0].Tag == TAG_B && g_enum[1].Tag == TAG_A),
          "ExEnumeratePoolTags listed %s and %s", tagstr(g_enum[0].Tag), tagstr(g_enum[1].Tag));
    CHECK(ExEnumeratePoolTags(g_enum, 1) == 1, "ExEnumeratePoolTags(max 1) did not return 1");
    CHECK(ExEnumeratePoolTags(g_enum, 0) == 0, "ExEnumeratePoolTags(max 0) did not return 0");
    TRY(check_accounting());

    POOL_TRACKER_ENTRY e;
    memset(&e, 0xCC, sizeof e);
    ULONG nope = POOL_TAG('N', 'o', 'p', 'e');
    CHECK(!ExQueryPoolTag(nope, &e), "ExQueryPoolTag found a row for a tag never used");
    CHECK(e.Tag == nope && e.Pool[0].Allocs == 0 && e.Pool[0].Frees == 0 && e.Pool[0].Bytes == 0 &&
          e.Pool[1].Allocs == 0 && e.Pool[1].Frees == 0 && e.Pool[1].Bytes == 0,
          "ExQueryPoolTag of an unknown tag did not return a zero row with the tag");

    for (int i = 4; i < 10; i++) TRY(blk_free(&a[i]));
    for (int i = 1; i < 3; i++) TRY(blk_free(&b[i]));
    for (int i = 0; i < 5; i++) TRY(blk_free(&c[i]));
    TRY(blk_free(&d[0]));
    TRY(expect_tag(TAG_A, 10, 10, 0, 5, 5, 0));
    TRY(expect_tag(TAG_B, 3, 3, 0, 2, 2, 0));
    TRY(check_baseline());
}

static void t_allocate_pool_none_tag(POOL_TYPE type)
{
    struct blk b[3];
    for (int i = 0; i < 3; i++) TRY(blk_alloc_irql(&b[i], type, 40 + (SIZE_T)i * 3000, 0, 1, PASSIVE_LEVEL));
    TRY(check_accounting());
    POOL_TRACKER_ENTRY e;
    CHECK(ExQueryPoolTag(TAG_NONE, &e) && e.Pool[type].Allocs == 3,
          "ExAllocatePool allocations are not counted under 'None'");
    TRY(blk_free_irql(&b[0], FREE_WITH_TAG, PASSIVE_LEVEL));    /* ExFreePoolWithTag(p, 'None') */
    TRY(blk_free_irql(&b[1], FREE_NO_TAG, PASSIVE_LEVEL));
    TRY(check_accounting());
    TRY(expect_free_bc(b[2].p, TAG_A, BAD_POOL_CALLER, BPC_FREE_WRONG_TAG));
    CHECK_BCP(3, TAG_NONE);
    CHECK_BCP(4, TAG_A);
}

static void t_tag_zero(POOL_TYPE type)
{
    /* Tag 0 is a tag like any other for the tracking; freeing with tag 0 means "don't check". */
    struct blk b[2];
    TRY(blk_alloc(&b[0], type, 24, 0));
    TRY(blk_alloc(&b[1], type, 9000, 0));
    TRY(check_accounting());
    TRY(blk_free(&b[0]));
    TRY(blk_free(&b[1]));
    TRY(check_baseline());
}

#define MANY_TAGS 700
static ULONG many_tag(ULONG i)
{
    return POOL_TAG('M', 'a' + i % 26, 'a' + (i / 26) % 26, '0' + i / 676);
}

static void t_many_tags(POOL_TYPE unused)
{
    (void)unused;
    /* 700 distinct tags, each used once in each pool: the first 512 get rows, the other 188 must
     * land in the 'Ovfl' row, and the totals stay right. */
    for (ULONG i = 0; i < MANY_TAGS; i++) {
        TRY(blk_alloc(&g_blks[2 * i], NonPagedPool, 50, many_tag(i)));
        TRY(blk_alloc(&g_blks[2 * i + 1], PagedPool, 5000, many_tag(i)));
    }
    TRY(check_accounting());
    ULONG n = ExEnumeratePoolTags(g_enum, ENUM_MAX);
    CHECK(n == 513, "ExEnumeratePoolTags listed %u rows, expected 512 + 'Ovfl'", n);
    ULONG in_table = 0;
    SIZE_T sum_bytes[2] = {0, 0};
    ULONG sum_allocs[2] = {0, 0};
    POOL_TRACKER_ENTRY *ovfl = NULL;
    for (ULONG i = 0; i < n; i++) {
        if (g_enum[i].Tag == TAG_OVFL) ovfl = &g_enum[i];
        for (int k = 0; k < 2; k++) { sum_bytes[k] += g_enum[i].Pool[k].Bytes; sum_allocs[k] += g_enum[i].Pool[k].Allocs; }
    }
    CHECK(ovfl != NULL, "no 'Ovfl' row");
    CHECK(ovfl->Pool[0].Allocs == MANY_TAGS - 512 && ovfl->Pool[1].Allocs == MANY_TAGS - 512,
          "'Ovfl' row counts %u/%u allocations, expected %u each", ovfl->Pool[0].Allocs,
          ovfl->Pool[1].Allocs, MANY_TAGS - 512);
    CHECK(sum_allocs[0] == MANY_TAGS && sum_allocs[1] == MANY_TAGS, "rows add up to %u/%u allocations",
          sum_allocs[0], sum_allocs[1]);
    CHECK(sum_bytes[0] == MANY_TAGS * 64 && sum_bytes[1] == MANY_TAGS * 8192,
          "rows add up to %lu/%lu bytes", (unsigned long)sum_bytes[0], (unsigned long)sum_bytes[1]);
    for (ULONG i = 0; i < MANY_TAGS; i++) {
        POOL_TRACKER_ENTRY e;
        BOOLEAN found = ExQueryPoolTag(many_tag(i), &e);
        if (found) {
            in_table++;
            CHECK(e.Pool[0].Allocs == 1 && e.Pool[1].Allocs == 1 && e.Pool[0].Bytes == 64 &&
                  e.Pool[1].Bytes == 8192, "row of %s is wrong", tagstr(many_tag(i)));
        }
        CHECK(found == (i < 512), "tag #%u (%s) %s a row", i, tagstr(many_tag(i)),
              found ? "has" : "does not have");
    }
    CHECK(in_table == 512, "%u tags have rows, expected 512", in_table);
    CHECK(ExEnumeratePoolTags(g_enum, 10) == 10, "ExEnumeratePoolTags(max 10) did not return 10");
    CHECK(ExEnumeratePoolTags(g_enum, 512) == 512, "ExEnumeratePoolTags(max 512) did not return 512");

    for (ULONG i = 0; i < 2 * MANY_TAGS; i++)
        TRY(blk_free_irql(&g_blks[i], i % 3 ? FREE_WITH_TAG : FREE_NO_TAG, PASSIVE_LEVEL));
    TRY(check_baseline());
    n = ExEnumeratePoolTags(g_enum, ENUM_MAX);
    CHECK(n == 513, "after freeing: ExEnumeratePoolTags listed %u rows, expected 513", n);
    CHECK(g_enum[512].Tag == TAG_OVFL && g_enum[512].Pool[0].Frees == MANY_TAGS - 512 &&
          g_enum[512].Pool[1].Frees == MANY_TAGS - 512 && g_enum[512].Pool[0].Bytes == 0 &&
          g_enum[512].Pool[1].Bytes == 0, "'Ovfl' row after freeing is wrong");
}

/* ============================================================================================
 * Bad frees
 */
static void t_double_free_small(POOL_TYPE type)
{
    struct blk b;
    TRY(blk_alloc(&b, type, 64, TAG_A));
    unsigned char *p = b.p;
    TRY(blk_free(&b));
    TRY(expect_free_bc(p, TAG_A, BAD_POOL_CALLER, BPC_FREE_ALREADY_FREED));
    CHECK_BCP(4, p);
    /* Same with ExFreePool, and after other blocks of the class were freed on top of it. */
    struct blk o[3];
    TRY(blk_alloc(&b, type, 64, TAG_A));
    for (int i = 0; i < 3; i++) TRY(blk_alloc(&o[i], type, 60, TAG_B));
    p = b.p;
    TRY(blk_free(&b));
    for (int i = 0; i < 3; i++) TRY(blk_free(&o[i]));
    TRY(expect_free_bc(p, 0, BAD_POOL_CALLER, BPC_FREE_ALREADY_FREED));
    CHECK_BCP(4, p);
}

static void t_double_free_big(POOL_TYPE type)
{
    struct blk b;
    TRY(blk_alloc(&b, type, 10000, TAG_A));
    unsigned char *p = b.p;
    TRY(blk_free(&b));
    TRY(expect_free_bc(p, TAG_A, BAD_POOL_CALLER, unalloc_code(type)));
    CHECK_BCP(2, p);
    TRY(blk_alloc(&b, type, 4089, TAG_A));
    p = b.p;
    TRY(blk_free(&b));
    TRY(expect_free_bc(p, 0, BAD_POOL_CALLER, unalloc_code(type)));
    CHECK_BCP(2, p);
    /* A cache-aligned block is a big block too, even when small. */
    TRY(blk_alloc(&b, (POOL_TYPE)(type | NonPagedPoolCacheAligned), 32, TAG_A));
    p = b.p;
    TRY(blk_free(&b));
    TRY(expect_free_bc(p, TAG_A, BAD_POOL_CALLER, unalloc_code(type)));
}

static void t_free_middle_small(POOL_TYPE type)
{
    static const SIZE_T offs[] = { 8, 16, 1, 4, 7, 50, 96, 112 };
    for (unsigned i = 0; i < ARRAYSIZE(offs); i++) {
        struct blk b;
        TRY(blk_alloc(&b, type, 120, TAG_A));   /* class 128: body 120 */
        TRY(expect_free_bc(b.p + offs[i], TAG_A, BAD_POOL_CALLER, BPC_FREE_INVALID_ADDRESS));
        CHECK_BCP(2, b.p + offs[i]);
    }
    /* In a one-block-per-page class and in the smallest class. */
    struct blk b;
    TRY(blk_alloc(&b, type, SMALL_MAX, TAG_A));
    TRY(expect_free_bc(b.p + 2000, 0, BAD_POOL_CALLER, BPC_FREE_INVALID_ADDRESS));
    TRY(blk_alloc(&b, type, 8, TAG_A));
    TRY(expect_free_bc(b.p + 8, TAG_A, BAD_POOL_CALLER, BPC_FREE_INVALID_ADDRESS));
}

static void t_free_middle_big(POOL_TYPE type)
{
    static const SIZE_T offs[] = { PAGE_SIZE, 2 * PAGE_SIZE, 8, 100, PAGE_SIZE + 8, 3 * PAGE_SIZE - 8 };
    for (unsigned i = 0; i < ARRAYSIZE(offs); i++) {
        struct blk b;
        TRY(blk_alloc(&b, type, 3 * PAGE_SIZE, TAG_A));
        TRY(expect_free_bc(b.p + offs[i], i & 1 ? 0 : TAG_A, BAD_POOL_CALLER, BPC_FREE_INVALID_ADDRESS));
        CHECK_BCP(2, b.p + offs[i]);
    }
}

static void t_free_unallocated(POOL_TYPE type)
{
    unsigned char *base = g_region[type];
    const ULONG code = unalloc_code(type);
    /* Fresh pool: nothing allocated anywhere. */
    TRY(expect_free_bc(base, TAG_A, BAD_POOL_CALLER, code));
    CHECK_BCP(2, base);
    TRY(expect_free_bc(base + 24, 0, BAD_POOL_CALLER, code));
    TRY(expect_free_bc(base + REGION_BYTES - PAGE_SIZE, 0, BAD_POOL_CALLER, code));
    TRY(expect_free_bc(base + REGION_BYTES - 8, 0, BAD_POOL_CALLER, code));
    /* With blocks around. */
    struct blk b[4];
    for (int i = 0; i < 4; i++) TRY(blk_alloc(&b[i], type, i & 1 ? 9000 : 100, TAG_A));
    TRY(expect_free_bc(base + 1000 * PAGE_SIZE, TAG_A, BAD_POOL_CALLER, code));
    CHECK_BCP(2, base + 1000 * PAGE_SIZE);
    for (int i = 0; i < 4; i++) TRY(blk_alloc(&b[i], type, i & 1 ? 9000 : 100, TAG_A));
    TRY(expect_free_bc(base + 1000 * PAGE_SIZE + 0x48, TAG_A, BAD_POOL_CALLER, code));
    /* The second page of a freed big block. */
    TRY(blk_alloc(&b[0], type, 9000, TAG_A));
    unsigned char *p = b[0].p;
    TRY(blk_free(&b[0]));
    TRY(expect_free_bc(p + PAGE_SIZE, 0, BAD_POOL_CALLER, code));
}

static void t_free_outside_pools(POOL_TYPE unused)
{
    (void)unused;
    static const ULONG_PTR codes[] = { BPC_FREE_USER_ADDRESS, BPC_FREE_NOT_IN_POOL };
    int local = 0;
    unsigned char *heap = malloc(64);
    CHECK(heap != NULL, "malloc failed");
    PVOID ptrs[10];
    int n = 0;
    ptrs[n++] = &local;
    ptrs[n++] = heap;
    ptrs[n++] = (PVOID)&t_free_outside_pools;
    ptrs[n++] = (PVOID)(ULONG_PTR)0x1000;
    for (int r = 0; r < POOL_TYPE_COUNT; r++) {   /* the guard pages around each region */
        ptrs[n++] = g_region[r] + REGION_BYTES;
        ptrs[n++] = g_region[r] - 8;
    }
    for (int i = 0; i < n; i++) {
        int ok = expect_bc_any((struct op){ .kind = i & 1 ? OP_FREE : OP_FREE_TAG, .p = ptrs[i], .tag = TAG_A },
                               BAD_POOL_CALLER, codes, 2);
        if (!ok) { free(heap); return; }
        if (g_bc.p[1] != (ULONG_PTR)ptrs[i]) {
            free(heap);
            CHECK(0, "bug check parameter 2 is 0x%lX, expected the address %p", BCP(2), ptrs[i]);
        }
    }
    free(heap);
    /* NULL is below 0x80000000 on every machine: 0x40. */
    TRY(expect_free_bc(NULL, 0, BAD_POOL_CALLER, BPC_FREE_USER_ADDRESS));
}

static void t_wrong_tag(POOL_TYPE type, SIZE_T size)
{
    struct blk b;
    TRY(blk_alloc(&b, type, size, TAG_GOOD));
    TRY(expect_free_bc(b.p, TAG_BAD, BAD_POOL_CALLER, BPC_FREE_WRONG_TAG));
    CHECK_BCP(2, b.p);
    CHECK_BCP(3, TAG_GOOD);
    CHECK_BCP(4, TAG_BAD);
    /* The right tag and ExFreePool (tag 0: no check) work. */
    TRY(blk_alloc(&b, type, size, TAG_GOOD));
    TRY(blk_free_irql(&b, FREE_WITH_TAG, PASSIVE_LEVEL));
    TRY(blk_alloc(&b, type, size, TAG_GOOD));
    TRY(blk_free_irql(&b, FREE_NO_TAG, PASSIVE_LEVEL));
    TRY(check_baseline());
}
static void t_wrong_tag_small(POOL_TYPE type) { t_wrong_tag(type, 200); }
static void t_wrong_tag_big(POOL_TYPE type) { t_wrong_tag(type, 20000); }

static void t_exfreepool_skips_tag_check(POOL_TYPE type)
{
    struct blk b[4];
    for (int i = 0; i < 4; i++) TRY(blk_alloc(&b[i], type, i & 1 ? 7000 : 33, TAG_GOOD));
    for (int i = 0; i < 4; i++) TRY(blk_free_irql(&b[i], FREE_NO_TAG, PASSIVE_LEVEL));
    TRY(check_baseline());
    TRY(expect_tag(TAG_GOOD, type == NonPagedPool ? 4 : 0, type == NonPagedPool ? 4 : 0, 0,
                   type == PagedPool ? 4 : 0, type == PagedPool ? 4 : 0, 0));
}

/* ============================================================================================
 * Corruption
 */
static void t_header_overwritten(POOL_TYPE type)
{
    /* Every single-bit change of the size/type/check bytes of an allocated block's header. */
    for (unsigned bit = 0; bit < 32; bit++) {
        struct blk b;
        TRY(blk_alloc(&b, type, 40, TAG_A));
        b.p[-(int)HDR + (int)(bit / 8)] ^= (unsigned char)(1u << (bit % 8));
        if (!expect_free_bc(b.p, bit & 1 ? 0 : TAG_A, BAD_POOL_HEADER, BPH_HEADER_CORRUPT)) {
            fail_context("(header bit %u flipped)", bit);
            return;
        }
        CHECK_BCP(2, b.p - HDR);
    }
    /* Whole header wiped, in a few classes. */
    static const SIZE_T sizes[] = { 0, 24, 300, 1000, 2040, SMALL_MAX };
    for (unsigned i = 0; i < ARRAYSIZE(sizes); i++) {
        struct blk b;
        TRY(blk_alloc(&b, type, sizes[i], TAG_A));
        memset(b.p - HDR, 0x5A, 4);
        TRY(expect_free_bc(b.p, TAG_A, BAD_POOL_HEADER, BPH_HEADER_CORRUPT));
    }
}

/* Two neighbouring blocks of a class of `bytes`: allocates blocks until one follows another. */
static int adjacent_pair(POOL_TYPE type, SIZE_T body, struct blk *a, struct blk *b)
{
    struct blk t[8];
    for (int i = 0; i < 8; i++) {
        if (!blk_alloc(&t[i], type, body, TAG_A)) return 0;
        for (int j = 0; j < i; j++)
            if (t[i].p == t[j].p + body + HDR) { *a = t[j]; *b = t[i]; return 1; }
    }
    REQ(0, "no two adjacent blocks of %lu bytes among 8 allocations", (unsigned long)body);
    return 0;
}

static void t_overrun_into_next_header(POOL_TYPE type)
{
    static const SIZE_T bodies[] = { 8, 24, 120, 672, 2040 };   /* exact class bodies */
    for (unsigned i = 0; i < ARRAYSIZE(bodies); i++) {
        for (int neighbour_free = 0; neighbour_free < 2; neighbour_free++) {
            for (int bytes_over = 1; bytes_over <= 8; bytes_over += 7) {
                struct blk a, b;
                TRY(adjacent_pair(type, bodies[i], &a, &b));
                unsigned char *next = b.p;
                if (neighbour_free) TRY(blk_free(&b));
                memset(a.p + bodies[i], 0xEE, (size_t)bytes_over);   /* past the end of a */
                if (!expect_free_bc(a.p, TAG_A, BAD_POOL_HEADER, BPH_NEXT_BLOCK_CORRUPT)) {
                    fail_context("(body %lu, neighbour %s, %d bytes over)", (unsigned long)bodies[i],
                            neighbour_free ? "free" : "allocated", bytes_over);
                    return;
                }
                CHECK_BCP(2, a.p - HDR);
                CHECK_BCP(4, next - HDR);
            }
        }
    }
}

/* Frees a block, overwrites its body (the free-list link) with `link`, then allocates from the
 * class: the bad link must be caught with BAD_POOL_HEADER 3 by the next allocation (which hands out
 * the overwritten block itself and takes the link) or the one after (which would follow it). */
static int free_link_case(POOL_TYPE type, ULONG_PTR link_value, int link_is_offset_in_live_block,
                          int *allocations_needed)
{
    struct blk a, live;
    if (!blk_alloc(&live, type, 2 * PAGE_SIZE, TAG_B)) return 0;     /* a mapped page, pattern-filled */
    if (!blk_alloc(&a, type, 40, TAG_A)) return 0;
    unsigned char *p = a.p;
    if (!blk_free(&a)) return 0;
    ULONG_PTR v = link_is_offset_in_live_block ? (ULONG_PTR)live.p + link_value : link_value;
    memcpy(p, &v, sizeof v);
    struct op o = { .kind = OP_ALLOC, .type = type, .n = 40, .tag = TAG_A };
    memset(&g_bc, 0, sizeof g_bc);
    g_fault_addr = 0;
    int rc = op_try(&o);
    *allocations_needed = 1;
    if (rc == 0) {
        REQ(o.result != NULL, "allocation after the corruption returned NULL");
        *allocations_needed = 2;
        rc = op_try(&o);
    }
    reset_pools();
    REQ(rc != 0, "free-list link overwritten with 0x%lX: two allocations returned %p without a bug check",
        (unsigned long)v, o.result);
    REQ(rc != 2, "free-list link overwritten with 0x%lX: the pool followed it and faulted at %p",
        (unsigned long)v, (void *)g_fault_addr);
    REQ(g_bc.code == BAD_POOL_HEADER && g_bc.p[0] == BPH_FREE_LIST_CORRUPT,
        "free-list link overwritten with 0x%lX: expected bug check 0x19/0x3, got 0x%X (0x%lX, 0x%lX, 0x%lX, 0x%lX)",
        (unsigned long)v, g_bc.code, BCP(1), BCP(2), BCP(3), BCP(4));
    REQ(g_bc.p[1] == v, "bug check parameter 2 is 0x%lX, expected the bad link 0x%lX", BCP(2), (unsigned long)v);
    return 1;
}

static void t_free_body_overwritten(POOL_TYPE type)
{
    int needed[5];
    /* Not a pool address; an address in the other pool; a live block's body (no free header). */
    TRY(free_link_case(type, 0x4141414141414140ull, 0, &needed[0]));
    TRY(free_link_case(type, (ULONG_PTR)g_region[type ^ 1] + 0x1008, 0, &needed[1]));
    TRY(free_link_case(type, 0x100, 1, &needed[2]));
    TRY(free_link_case(type, PAGE_SIZE + 8, 1, &needed[3]));
    /* The header of a live block of the same class (a classic double insertion). */
    {
        struct blk a, live;
        TRY(blk_alloc(&a, type, 40, TAG_A));
        TRY(blk_alloc(&live, type, 40, TAG_B));
        unsigned char *p = a.p;
        TRY(blk_free(&a));
        ULONG_PTR v = (ULONG_PTR)(live.p - HDR);
        memcpy(p, &v, sizeof v);
        struct op o = { .kind = OP_ALLOC, .type = type, .n = 40, .tag = TAG_A };
        memset(&g_bc, 0, sizeof g_bc);
        int rc = op_try(&o);
        needed[4] = 1;
        if (rc == 0) { needed[4] = 2; rc = op_try(&o); }
        reset_pools();
        CHECK(rc == 1 && g_bc.code == BAD_POOL_HEADER && g_bc.p[0] == BPH_FREE_LIST_CORRUPT && g_bc.p[1] == v,
              "free-list link pointing at a live block's header: rc %d, bug check 0x%X (0x%lX, 0x%lX)", rc,
              g_bc.code, BCP(1), BCP(2));
    }
    note("allocations needed to detect: %d %d %d %d %d", needed[0], needed[1], needed[2], needed[3], needed[4]);
}

static void t_free_header_overwritten(POOL_TYPE type)
{
    /* The header of a block on the free list is damaged: caught when the block comes off the list. */
    for (int wipe = 0; wipe < 3; wipe++) {
        struct blk a;
        TRY(blk_alloc(&a, type, 100, TAG_A));
        unsigned char *p = a.p;
        TRY(blk_free(&a));
        if (wipe == 0) p[-8] ^= 0x01;
        else if (wipe == 1) p[-6] = 1;              /* marked allocated again */
        else memset(p - 8, 0, 4);
        TRY(expect_alloc_bc(type, 100, TAG_A, BAD_POOL_HEADER, BPH_FREE_LIST_CORRUPT));
        CHECK_BCP(2, p - HDR);
    }
}

/* ============================================================================================
 * IRQL rules
 */
static void t_irql_allowed(POOL_TYPE unused)
{
    (void)unused;
    struct blk b;
    for (KIRQL irql = PASSIVE_LEVEL; irql <= DISPATCH_LEVEL; irql++) {
        TRY(blk_alloc_irql(&b, NonPagedPool, 64, TAG_A, 0, irql));
        TRY(blk_free_irql(&b, FREE_WITH_TAG, irql));
        TRY(blk_alloc_irql(&b, NonPagedPool, 3 * PAGE_SIZE, TAG_A, 0, irql));
        TRY(blk_free_irql(&b, FREE_NO_TAG, irql));
    }
    for (KIRQL irql = PASSIVE_LEVEL; irql <= APC_LEVEL; irql++) {
        TRY(blk_alloc_irql(&b, PagedPool, 64, TAG_A, 0, irql));
        TRY(blk_free_irql(&b, FREE_WITH_TAG, irql));
        TRY(blk_alloc_irql(&b, PagedPool, 3 * PAGE_SIZE, TAG_A, 0, irql));
        TRY(blk_free_irql(&b, FREE_NO_TAG, irql));
    }
    TRY(check_baseline());
}

static void t_irql_alloc_paged_at_dispatch(POOL_TYPE unused)
{
    (void)unused;
    g_irql = DISPATCH_LEVEL;
    TRY(expect_alloc_bc(PagedPool, 100, TAG_A, BAD_POOL_CALLER, BPC_ALLOC_BAD_IRQL));
    CHECK_BCP(2, DISPATCH_LEVEL);
    CHECK_BCP(3, PagedPool);
    CHECK_BCP(4, 100);
    g_irql = DISPATCH_LEVEL;
    TRY(expect_alloc_bc(PagedPoolCacheAligned, 20000, TAG_A, BAD_POOL_CALLER, BPC_ALLOC_BAD_IRQL));
    CHECK_BCP(3, PagedPoolCacheAligned);
    CHECK_BCP(4, 20000);
    g_irql = CLOCK_LEVEL;
    TRY(expect_alloc_bc(PagedPool, 8, TAG_A, BAD_POOL_CALLER, BPC_ALLOC_BAD_IRQL));
    CHECK_BCP(2, CLOCK_LEVEL);
}

static void t_irql_alloc_nonpaged_above_dispatch(POOL_TYPE unused)
{
    (void)unused;
    g_irql = DISPATCH_LEVEL + 1;
    TRY(expect_alloc_bc(NonPagedPool, 100, TAG_A, BAD_POOL_CALLER, BPC_ALLOC_BAD_IRQL));
    CHECK_BCP(2, DISPATCH_LEVEL + 1);
    CHECK_BCP(3, NonPagedPool);
    g_irql = HIGH_LEVEL;
    TRY(expect_alloc_bc(NonPagedPoolMustSucceed, 9000, TAG_A, BAD_POOL_CALLER, BPC_ALLOC_BAD_IRQL));
    CHECK_BCP(2, HIGH_LEVEL);
    CHECK_BCP(4, 9000);
}

static void t_irql_free_paged_at_dispatch(POOL_TYPE unused)
{
    (void)unused;
    static const SIZE_T sizes[] = { 100, 9000 };
    for (int i = 0; i < 2; i++) {
        struct blk b;
        TRY(blk_alloc(&b, PagedPool, sizes[i], TAG_A));
        g_irql = DISPATCH_LEVEL;
        TRY(expect_free_bc(b.p, TAG_A, BAD_POOL_CALLER, BPC_FREE_BAD_IRQL));
        CHECK_BCP(2, DISPATCH_LEVEL);
        CHECK_BCP(3, PagedPool);
        CHECK_BCP(4, b.p);
    }
}

static void t_irql_free_nonpaged_above_dispatch(POOL_TYPE unused)
{
    (void)unused;
    static const SIZE_T sizes[] = { 100, 9000 };
    for (int i = 0; i < 2; i++) {
        struct blk b;
        TRY(blk_alloc(&b, NonPagedPool, sizes[i], TAG_A));
        g_irql = i ? HIGH_LEVEL : DISPATCH_LEVEL + 1;
        TRY(expect_free_bc(b.p, 0, BAD_POOL_CALLER, BPC_FREE_BAD_IRQL));
        CHECK_BCP(2, i ? HIGH_LEVEL : DISPATCH_LEVEL + 1);
        CHECK_BCP(3, NonPagedPool);
        CHECK_BCP(4, b.p);
    }
}

/* ============================================================================================
 * Running out of memory
 */
static int alloc_expect_null(POOL_TYPE type, SIZE_T n, KIRQL irql)
{
    g_irql = irql;
    PVOID p = ExAllocatePoolWithTag(type, n, TAG_A);
    if (!check_irql(irql, "failed ExAllocatePoolWithTag")) return 0;
    REQ(p == NULL, "ExAllocatePoolWithTag(type %d, %lu) returned %p, expected NULL", type, (unsigned long)n, p);
    g_irql = PASSIVE_LEVEL;
    return 1;
}

static void t_map_failure(POOL_TYPE type)
{
    g_map_fail = 1;
    TRY(alloc_expect_null(type, 100, PASSIVE_LEVEL));
    TRY(alloc_expect_null(type, SMALL_MAX, APC_LEVEL));
    TRY(alloc_expect_null(type, 10000, PASSIVE_LEVEL));
    TRY(alloc_expect_null((POOL_TYPE)(type | NonPagedPoolCacheAligned), 10, PASSIVE_LEVEL));
    TRY(check_accounting());       /* nothing counted for failed allocations */
    POOL_USAGE u;
    ExQueryPoolUsage(type, &u);
    CHECK(u.Allocs == 0 && u.PagesInUse == 0 && u.BytesInUse == 0, "failed allocations were counted");
    POOL_TRACKER_ENTRY e;
    ExQueryPoolTag(TAG_A, &e);
    CHECK(e.Pool[type].Allocs == 0 && e.Pool[type].Bytes == 0, "failed allocations were counted for the tag");
    /* Memory comes back: allocations work again. */
    g_map_fail = 0;
    struct blk b[4];
    TRY(blk_alloc(&b[0], type, 100, TAG_A));
    TRY(blk_alloc(&b[1], type, 10000, TAG_A));
    /* Blocks already on the class's free list need no new memory. */
    g_map_fail = 1;
    TRY(blk_alloc(&b[2], type, 100, TAG_A));
    TRY(alloc_expect_null(type, 10000, PASSIVE_LEVEL));
    TRY(alloc_expect_null(type, 1000, PASSIVE_LEVEL));
    g_map_fail = 0;
    for (int i = 0; i < 3; i++) TRY(blk_free(&b[i]));
    TRY(check_baseline());
}

static void t_must_succeed(POOL_TYPE unused)
{
    (void)unused;
    struct blk b;
    TRY(blk_alloc(&b, NonPagedPoolMustSucceed, 100, TAG_A));   /* an ordinary nonpaged block */
    TRY(blk_free(&b));
    g_map_fail = 1;
    TRY(expect_alloc_bc(NonPagedPoolMustSucceed, 1000, TAG_A, MUST_SUCCEED_POOL_EMPTY, 1000));
    g_map_fail = 1;
    TRY(expect_alloc_bc(NonPagedPoolMustSucceed, 20000, TAG_A, MUST_SUCCEED_POOL_EMPTY, 20000));
    /* Larger than the whole pool. */
    TRY(expect_alloc_bc(NonPagedPoolMustSucceed, REGION_BYTES, TAG_A, MUST_SUCCEED_POOL_EMPTY, REGION_BYTES));
}

static void t_pool_exhausted(POOL_TYPE type)
{
    reset_pools_sized(type == NonPagedPool ? 16 : REGION_PAGES, type == PagedPool ? 16 : REGION_PAGES);
    struct blk big, small;
    TRY(alloc_expect_null(type, 16 * PAGE_SIZE, PASSIVE_LEVEL));
    TRY(alloc_expect_null(type, (SIZE_T)-1, PASSIVE_LEVEL));
    TRY(alloc_expect_null(type, (SIZE_T)1 << 40, PASSIVE_LEVEL));
    TRY(blk_alloc(&big, type, 15 * PAGE_SIZE, TAG_A));
    TRY(alloc_expect_null(type, 2 * PAGE_SIZE, PASSIVE_LEVEL));
    TRY(blk_alloc(&small, type, 100, TAG_A));                  /* takes the 16th page */
    TRY(alloc_expect_null(type, 1000, PASSIVE_LEVEL));          /* another class needs a page */
    TRY(alloc_expect_null(type, 1, PASSIVE_LEVEL));             /* class 16 has no page either */
    if (type == NonPagedPool) {
        TRY(expect_alloc_bc(NonPagedPoolMustSucceed, 1000, TAG_A, MUST_SUCCEED_POOL_EMPTY, 1000));
        return;
    }
    TRY(blk_free(&big));
    TRY(blk_alloc(&big, type, 2 * PAGE_SIZE, TAG_A));
    TRY(blk_alloc(&small, type, 1000, TAG_B));
    TRY(check_accounting());
}

/* ============================================================================================
 * Hardening cases (--strict): not required by the current design; reported separately.
 */
static void t_strict_free_in_page_tail(POOL_TYPE type)
{
    /* Class 96 puts 42 blocks (4032 bytes) in a page; bytes 4032..4095 are in no block. A free of
     * a pointer there is a free of an address inside a pool page that is no block's start. */
    struct blk b;
    TRY(blk_alloc(&b, type, 88, TAG_A));
    unsigned char *page = (unsigned char *)PAGE_ALIGN(b.p);
    TRY(expect_free_bc(page + 4032 + HDR, TAG_A, BAD_POOL_CALLER, BPC_FREE_INVALID_ADDRESS));
}

static void t_strict_free_link_to_unmapped_page(POOL_TYPE type)
{
    int needed;
    /* The link points into the pool's own range, at a page that is not mapped (e.g. a freed big
     * block): the allocator should check the page before reading a header there. */
    TRY(free_link_case(type, (ULONG_PTR)g_region[type] + 5000 * PAGE_SIZE + 0x40, 0, &needed));
}

static void t_strict_free_link_to_forged_header(POOL_TYPE type)
{
    /* The link points at something that looks like a free header of the class but lies inside a
     * big allocation: the allocator should check that the page holds blocks of that class. */
    struct blk a, c, live;
    TRY(blk_alloc(&c, type, 40, TAG_A));             /* a genuine free header to copy */
    TRY(blk_alloc(&live, type, 2 * PAGE_SIZE, TAG_B));
    TRY(blk_alloc(&a, type, 40, TAG_A));
    unsigned char *p = a.p, *cp = c.p;
    TRY(blk_free(&c));
    unsigned char hdr[8];
    memcpy(hdr, cp - HDR, 8);
    TRY(blk_alloc(&c, type, 40, TAG_A));             /* take it back: it is not on the list now */
    TRY(blk_free(&a));
    unsigned char *forged = live.p + 256;
    memcpy(forged, hdr, 8);
    memset(forged + 8, 0, 8);                        /* its "link": end of list */
    ULONG_PTR v = (ULONG_PTR)forged;
    memcpy(p, &v, sizeof v);
    struct op o = { .kind = OP_ALLOC, .type = type, .n = 40, .tag = TAG_A };
    memset(&g_bc, 0, sizeof g_bc);
    int rc = op_try(&o);
    if (rc == 0) rc = op_try(&o);
    PVOID got = o.result;
    reset_pools();
    CHECK(rc == 1 && g_bc.code == BAD_POOL_HEADER && g_bc.p[0] == BPH_FREE_LIST_CORRUPT,
          "free-list link to a forged header inside a live big block: %s",
          rc == 0 ? (got == forged + HDR ? "the pool handed out memory inside the big block"
                                         : "no bug check") : "wrong bug check or fault");
}

/* ============================================================================================
 * Runner
 */
typedef void (*test_fn)(POOL_TYPE);

static void run_case(const char *name, test_fn fn, POOL_TYPE arg)
{
    g_case = name;
    g_case_failed = 0;
    g_reason[0] = 0;
    g_env_error[0] = 0;
    reset_pools();
    g_in_case = 1;
    if (sigsetjmp(g_case_jb, 1) == 0) fn(arg);
    g_in_case = 0;
    g_expect_active = 0;
    if (!g_case_failed && g_env_error[0]) fail_at(0, "environment: %s", g_env_error);
    if (g_case_failed) {
        printf("FAIL %s: %s\n", name, g_reason);
        g_failed++;
    } else {
        printf("PASS %s\n", name);
        g_passed++;
    }
    fflush(stdout);
    reset_pools();
}

#define RUN1(name, fn) run_case("pool." name, fn, NonPagedPool)
#define RUN2(name, fn) do { run_case("pool." name ".nonpaged", fn, NonPagedPool); \
                            run_case("pool." name ".paged", fn, PagedPool); } while (0)

int main(int argc, char **argv)
{
    int strict = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--strict")) strict = 1;
        else if (!strcmp(argv[i], "-v")) g_verbose = 1;
        else { fprintf(stderr, "usage: %s [--strict] [-v]\n", argv[0]); return 2; }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* One reservation: [guard page][nonpaged 64 MiB][guard page][paged 64 MiB][guard page], so
     * the addresses just outside each pool are in neither pool. */
    size_t total = 2 * REGION_BYTES + 3 * PAGE_SIZE;
    unsigned char *m = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 2; }
    g_region[NonPagedPool] = m + PAGE_SIZE;
    g_region[PagedPool] = m + REGION_BYTES + 2 * PAGE_SIZE;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    RUN2("sizes_all", t_sizes_all);
    RUN1("sizes_interleaved", t_sizes_interleaved);
    RUN1("cache_aligned", t_cache_aligned);
    RUN2("small_blocks_reused", t_small_blocks_reused);
    RUN2("big_blocks_unmapped", t_big_blocks_unmapped);
    RUN2("freed_pages_reused_late", t_freed_pages_reused_late);
    RUN2("query_block_size", t_query_block_size);
    RUN1("random_workload", t_random_workload);

    RUN1("tag_counts", t_tag_counts);
    RUN2("allocate_pool_none_tag", t_allocate_pool_none_tag);
    RUN2("tag_zero", t_tag_zero);
    RUN1("many_tags_overflow", t_many_tags);

    RUN2("double_free_small", t_double_free_small);
    RUN2("double_free_big", t_double_free_big);
    RUN2("free_middle_small", t_free_middle_small);
    RUN2("free_middle_big", t_free_middle_big);
    RUN2("free_unallocated", t_free_unallocated);
    RUN1("free_outside_pools", t_free_outside_pools);
    RUN2("wrong_tag_small", t_wrong_tag_small);
    RUN2("wrong_tag_big", t_wrong_tag_big);
    RUN2("exfreepool_skips_tag_check", t_exfreepool_skips_tag_check);

    RUN2("header_overwritten", t_header_overwritten);
    RUN2("overrun_into_next_header", t_overrun_into_next_header);
    RUN2("free_body_overwritten", t_free_body_overwritten);
    RUN2("free_header_overwritten", t_free_header_overwritten);

    RUN1("irql_allowed", t_irql_allowed);
    RUN1("irql_alloc_paged_at_dispatch", t_irql_alloc_paged_at_dispatch);
    RUN1("irql_alloc_nonpaged_above_dispatch", t_irql_alloc_nonpaged_above_dispatch);
    RUN1("irql_free_paged_at_dispatch", t_irql_free_paged_at_dispatch);
    RUN1("irql_free_nonpaged_above_dispatch", t_irql_free_nonpaged_above_dispatch);

    RUN2("map_failure", t_map_failure);
    RUN1("must_succeed", t_must_succeed);
    RUN2("pool_exhausted", t_pool_exhausted);

    if (strict) {
        RUN2("strict.free_in_page_tail", t_strict_free_in_page_tail);
        RUN2("strict.free_link_to_unmapped_page", t_strict_free_link_to_unmapped_page);
        RUN2("strict.free_link_to_forged_header", t_strict_free_link_to_forged_header);
    }

    printf("unit pool: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
