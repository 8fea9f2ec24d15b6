/*
 * handle_test.c - host unit tests of the handle table mechanics (kernel/ob/obhtab.c), built
 * with the host compiler under ASan/UBSan. obhtab.c is compiled unchanged; this file supplies
 * the pool (malloc with per-tag accounting, checking each free's tag) and checks: handle values
 * are multiples of 4 from 4, a freed value is the next one handed out, growth keeps every
 * entry, lookups reject free, zero and out-of-range handles and ignore the low two bits,
 * allocation at a given value, and that the table's memory all comes back.
 *
 * Build and run from the repository root:
 *   gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
 *       -fno-sanitize-recover=all -DNT_HOST -Ikernel/include -Ikernel/ob \
 *       kernel/ob/obhtab.c tests/unit/handle_test.c -o build/unit/handle_test && build/unit/handle_test
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obp.h"
#include "ntstatus.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=1"; }

static long TstOutstanding;          /* live blocks */
static int Failures;

typedef struct { ULONG Tag; size_t Size; long long Align; } HOST_BLOCK;

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    (void)PoolType;
    HOST_BLOCK *b = malloc(sizeof(HOST_BLOCK) + NumberOfBytes);
    if (!b) return NULL;
    b->Tag = Tag;
    b->Size = NumberOfBytes;
    memset(b + 1, 0xCD, NumberOfBytes);        /* the table must not rely on zeroed memory */
    TstOutstanding++;
    return b + 1;
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    HOST_BLOCK *b = (HOST_BLOCK *)P - 1;
    if (b->Tag != Tag) { printf("FAIL: free with tag %08x, allocated with %08x\n", Tag, b->Tag); Failures++; }
    TstOutstanding--;
    free(b);
}

#define EXPECT(c, ...) do { if (!(c)) { printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); \
                                        printf("\n"); Failures++; return; } } while (0)

static int Objects[1000];             /* anything non-NULL serves as an "object" */

static void TestValuesAndReuse(void)
{
    PHANDLE_TABLE t = ObpAllocateHandleTable(0);
    HANDLE h[3], r;
    EXPECT(t != NULL, "allocate");
    for (int i = 0; i < 3; i++)
        EXPECT(ObpAllocateHandle(t, &Objects[i], 0x1F0000 | i, OBJ_INHERIT, &h[i]) == STATUS_SUCCESS, "alloc %d", i);
    EXPECT(h[0] == (HANDLE)4 && h[1] == (HANDLE)8 && h[2] == (HANDLE)12, "values %p %p %p", h[0], h[1], h[2]);
    EXPECT(t->HandleCount == 3, "count");
    PHANDLE_TABLE_ENTRY e = ObpLookupHandle(t, (HANDLE)9);          /* low bits ignored */
    EXPECT(e && e->Object == &Objects[1] && e->GrantedAccess == (0x1F0000 | 1) && e->Attributes == OBJ_INHERIT, "lookup");
    ObpFreeHandle(t, h[1]);
    EXPECT(ObpLookupHandle(t, h[1]) == NULL, "freed handle still found");
    EXPECT(ObpAllocateHandle(t, &Objects[9], 1, 0, &r) == STATUS_SUCCESS && r == (HANDLE)8, "8 not reused: %p", r);
    ObpFreeHandle(t, h[0]);
    ObpFreeHandle(t, h[2]);
    EXPECT(ObpAllocateHandle(t, &Objects[9], 1, 0, &r) == STATUS_SUCCESS && r == (HANDLE)12, "LIFO reuse: %p", r);
    EXPECT(ObpLookupHandle(t, NULL) == NULL && ObpLookupHandle(t, (HANDLE)4) == NULL, "free or zero handle found");
    EXPECT(ObpLookupHandle(t, (HANDLE)0x7FFFFFFC) == NULL, "out of range found");
    ObpFreeHandle(t, (HANDLE)8);
    ObpFreeHandle(t, (HANDLE)12);
    EXPECT(t->HandleCount == 0, "count not 0");
    ObpFreeHandleTable(t);
}

static void TestGrowth(void)
{
    PHANDLE_TABLE t = ObpAllocateHandleTable(0);
    HANDLE h;
    EXPECT(t != NULL, "allocate");
    for (int i = 0; i < 1000; i++) {
        EXPECT(ObpAllocateHandle(t, &Objects[i], (ULONG)i, 0, &h) == STATUS_SUCCESS, "alloc %d", i);
        EXPECT(h == (HANDLE)(ULONG_PTR)(4 * (i + 1)), "value %d: %p", i, h);
    }
    EXPECT(t->TableSize >= 1001, "size %u", t->TableSize);
    for (int i = 0; i < 1000; i++) {
        PHANDLE_TABLE_ENTRY e = ObpLookupHandle(t, (HANDLE)(ULONG_PTR)(4 * (i + 1)));
        EXPECT(e && e->Object == &Objects[i] && e->GrantedAccess == (ULONG)i, "entry %d lost", i);
    }
    /* Free some in the middle, then fill the table past its size: the freed come first. */
    ObpFreeHandle(t, (HANDLE)40);
    ObpFreeHandle(t, (HANDLE)400);
    EXPECT(ObpAllocateHandle(t, &Objects[0], 0, 0, &h) == STATUS_SUCCESS && h == (HANDLE)400, "reuse 400: %p", h);
    EXPECT(ObpAllocateHandle(t, &Objects[0], 0, 0, &h) == STATUS_SUCCESS && h == (HANDLE)40, "reuse 40: %p", h);
    EXPECT(ObpAllocateHandle(t, &Objects[0], 0, 0, &h) == STATUS_SUCCESS && h == (HANDLE)4004, "next new: %p", h);
    for (ULONG i = 1; i < t->TableSize; i++)
        if (t->Table[i].Object) ObpFreeHandle(t, (HANDLE)(ULONG_PTR)(4 * i));
    EXPECT(t->HandleCount == 0, "count");
    ObpFreeHandleTable(t);
}

static void TestAllocateAt(void)
{
    PHANDLE_TABLE t = ObpAllocateHandleTable(0);
    HANDLE h;
    EXPECT(t != NULL, "allocate");
    EXPECT(ObpAllocateHandleAt(t, (HANDLE)8, &Objects[1], 3, OBJ_PROTECT_CLOSE) == STATUS_SUCCESS, "at 8");
    EXPECT(ObpAllocateHandleAt(t, (HANDLE)8, &Objects[2], 3, 0) == STATUS_INVALID_HANDLE, "8 twice");
    EXPECT(ObpAllocateHandleAt(t, NULL, &Objects[2], 3, 0) == STATUS_INVALID_HANDLE, "at 0");
    EXPECT(ObpAllocateHandleAt(t, (HANDLE)400, &Objects[3], 3, 0) == STATUS_SUCCESS, "at 400 (grows)");
    EXPECT(ObpAllocateHandle(t, &Objects[4], 0, 0, &h) == STATUS_SUCCESS && h == (HANDLE)4, "first free: %p", h);
    EXPECT(ObpAllocateHandle(t, &Objects[4], 0, 0, &h) == STATUS_SUCCESS && h == (HANDLE)12, "skips 8: %p", h);
    EXPECT(ObpLookupHandle(t, (HANDLE)8)->Attributes == OBJ_PROTECT_CLOSE, "attributes");
    EXPECT(ObpLookupHandle(t, (HANDLE)400)->Object == &Objects[3], "entry at 400");
    int n = 0;
    for (ULONG i = 1; i < t->TableSize; i++)
        if (t->Table[i].Object) { ObpFreeHandle(t, (HANDLE)(ULONG_PTR)(4 * i)); n++; }
    EXPECT(n == 4 && t->HandleCount == 0, "n %d", n);
    ObpFreeHandleTable(t);
}

/* One line per case, and the summary line tests/run.sh adds up. */
static int Passed;
static void Run(const char *Name, void (*Test)(void))
{
    int before = Failures;
    Test();
    if (Failures == before) { Passed++; printf("PASS handle.%s\n", Name); }
    else printf("FAIL handle.%s\n", Name);
}

int main(void)
{
    Run("values_and_reuse", TestValuesAndReuse);
    Run("growth", TestGrowth);
    Run("allocate_at", TestAllocateAt);
    if (TstOutstanding != 0) { printf("FAIL handle.leak: %ld blocks not freed\n", TstOutstanding); Failures++; }
    printf("unit handle: %d passed, %d failed\n", Passed, Failures);
    return Failures ? 1 : 0;
}
