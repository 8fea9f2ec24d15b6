/*
 * rtl_test.c - host unit test of ntdll's run-time library (ntdll/rtl: heap.c, critsect.c,
 * error.c, bitmap.c, rtlstr.c, path.c, with kernel/rtl/unicode.c), compiled from the real
 * sources with -DNT_HOST under ASan/UBSan.
 *
 * The test supplies what those sources get from NanoNT: the current TEB/PEB (one TEB per host
 * thread), NtAllocateVirtualMemory/NtFreeVirtualMemory over mmap (reserve = PROT_NONE, commit =
 * read/write, so touching uncommitted heap memory faults as it would on NT), events over
 * pthreads for the critical sections, and NtOpenFile over a fixed list of directories.
 *
 *   rtl_test [--seed N] [--ops N]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>

#include "ntndk.h"
#include "rtl_statuses.h"          /* generated from ntstatus.h by the Makefile */

BOOLEAN RtlpStatusMapIsSorted(VOID);

static int Checks, Failures, Passed, Failed;

/* One case: PASS if none of its checks failed. */
#define RUN(name, body) do {                                                      \
        int before = Failures;                                                    \
        body;                                                                     \
        if (Failures == before) { Passed++; printf("PASS rtl.%s\n", #name); }     \
        else { Failed++; printf("FAIL rtl.%s: %d checks failed\n", #name, Failures - before); } \
    } while (0)

#define CHECK(cond) do {                                                          \
        Checks++;                                                                 \
        if (!(cond)) {                                                            \
            Failures++;                                                           \
            fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                         \
    } while (0)

/* xorshift: reproducible runs from --seed. */
static unsigned long long RandomState = 88172645463325252ull;
static unsigned Random(void)
{
    RandomState ^= RandomState << 13;
    RandomState ^= RandomState >> 7;
    RandomState ^= RandomState << 17;
    return (unsigned)(RandomState >> 11);
}

/* ---- The TEB and PEB ---------------------------------------------------------------------- */

static PEB HostPeb;
static RTL_USER_PROCESS_PARAMETERS HostParams;
static WCHAR HostCurDir[260];
static __thread TEB *ThreadTeb;
static long NextThreadId = 4;

PTEB RtlpHostCurrentTeb(VOID)
{
    if (!ThreadTeb) {
        ThreadTeb = calloc(1, sizeof(TEB));
        ThreadTeb->ProcessEnvironmentBlock = &HostPeb;
        ThreadTeb->ClientId.UniqueThread = (PVOID)__atomic_fetch_add(&NextThreadId, 4, __ATOMIC_RELAXED);
    }
    return ThreadTeb;
}

static void FreeThreadTeb(void)
{
    free(ThreadTeb);
    ThreadTeb = NULL;
}

static void SetHostCurrentDirectory(const char *Path)
{
    size_t n = strlen(Path);
    for (size_t i = 0; i <= n; i++) HostCurDir[i] = (UCHAR)Path[i];
    HostParams.CurrentDirectory.DosPath.Buffer = HostCurDir;
    HostParams.CurrentDirectory.DosPath.Length = (USHORT)(n * 2);
    HostParams.CurrentDirectory.DosPath.MaximumLength = sizeof(HostCurDir);
}

/* ---- Virtual memory ----------------------------------------------------------------------- */

typedef struct { char *Base; size_t Size; } REGION;
static REGION Regions[4096];
static int RegionCount;
static size_t ReservedBytes, ReserveLimit = (size_t)1 << 34;
static pthread_mutex_t VmLock = PTHREAD_MUTEX_INITIALIZER;

static REGION *FindRegion(char *p)
{
    for (int i = 0; i < RegionCount; i++)
        if (p >= Regions[i].Base && p < Regions[i].Base + Regions[i].Size) return &Regions[i];
    return NULL;
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    (void)ProcessHandle; (void)ZeroBits; (void)Protect;
    NTSTATUS status = STATUS_SUCCESS;
    size_t size = (*RegionSize + 4095) & ~(size_t)4095;
    pthread_mutex_lock(&VmLock);
    if (AllocationType & MEM_RESERVE) {
        if (*BaseAddress || ReservedBytes + size > ReserveLimit || RegionCount == 4096) {
            status = STATUS_NO_MEMORY;
            goto out;
        }
        char *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) { status = STATUS_NO_MEMORY; goto out; }
        Regions[RegionCount++] = (REGION){ p, size };
        ReservedBytes += size;
        *BaseAddress = p;
    }
    if (AllocationType & MEM_COMMIT) {
        char *start = (char *)((ULONG_PTR)*BaseAddress & ~(ULONG_PTR)4095);
        char *end = (char *)(((ULONG_PTR)*BaseAddress + *RegionSize + 4095) & ~(ULONG_PTR)4095);
        REGION *r = FindRegion(start);
        if (!r || end > r->Base + r->Size) { status = STATUS_CONFLICTING_ADDRESSES; goto out; }
        mprotect(start, (size_t)(end - start), PROT_READ | PROT_WRITE);
        *BaseAddress = start;
        size = (size_t)(end - start);
    }
    *RegionSize = size;
out:
    pthread_mutex_unlock(&VmLock);
    return status;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    (void)ProcessHandle;
    NTSTATUS status = STATUS_FREE_VM_NOT_AT_BASE;
    pthread_mutex_lock(&VmLock);
    for (int i = 0; i < RegionCount; i++) {
        if (Regions[i].Base != *BaseAddress) continue;
        if (FreeType != MEM_RELEASE || *RegionSize != 0) { status = STATUS_INVALID_PARAMETER; break; }
        munmap(Regions[i].Base, Regions[i].Size);
        ReservedBytes -= Regions[i].Size;
        *RegionSize = Regions[i].Size;
        Regions[i] = Regions[--RegionCount];
        status = STATUS_SUCCESS;
        break;
    }
    pthread_mutex_unlock(&VmLock);
    return status;
}

/* ---- Events and files --------------------------------------------------------------------- */

#define EVENT_MAGIC 0x45564E54u
#define FILE_MAGIC  0x46494C45u
typedef struct {
    unsigned Magic;
    pthread_mutex_t Mutex;
    pthread_cond_t Cond;
    int Signaled, Synchronization;
} HOST_EVENT;
static int EventsCreated, HandlesOpen;

NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             EVENT_TYPE EventType, BOOLEAN InitialState)
{
    (void)DesiredAccess; (void)ObjectAttributes;
    HOST_EVENT *e = calloc(1, sizeof(*e));
    e->Magic = EVENT_MAGIC;
    pthread_mutex_init(&e->Mutex, NULL);
    pthread_cond_init(&e->Cond, NULL);
    e->Signaled = InitialState;
    e->Synchronization = EventType == SynchronizationEvent;
    __atomic_add_fetch(&EventsCreated, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&HandlesOpen, 1, __ATOMIC_RELAXED);
    *EventHandle = e;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    HOST_EVENT *e = EventHandle;
    if (!e || e->Magic != EVENT_MAGIC) return STATUS_INVALID_HANDLE;
    pthread_mutex_lock(&e->Mutex);
    if (PreviousState) *PreviousState = e->Signaled;
    e->Signaled = 1;
    pthread_cond_signal(&e->Cond);
    pthread_mutex_unlock(&e->Mutex);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    HOST_EVENT *e = Handle;
    (void)Alertable; (void)Timeout;
    if (!e || e->Magic != EVENT_MAGIC) return STATUS_INVALID_HANDLE;
    pthread_mutex_lock(&e->Mutex);
    while (!e->Signaled) pthread_cond_wait(&e->Cond, &e->Mutex);
    if (e->Synchronization) e->Signaled = 0;
    pthread_mutex_unlock(&e->Mutex);
    return STATUS_WAIT_0;
}

NTSTATUS NTAPI NtYieldExecution(VOID)
{
    sched_yield();
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtClose(HANDLE Handle)
{
    unsigned *magic = Handle;
    if (!magic || (*magic != EVENT_MAGIC && *magic != FILE_MAGIC)) return STATUS_INVALID_HANDLE;
    if (*magic == EVENT_MAGIC) {
        HOST_EVENT *e = Handle;
        pthread_mutex_destroy(&e->Mutex);
        pthread_cond_destroy(&e->Cond);
    }
    *magic = 0;
    free(Handle);
    __atomic_sub_fetch(&HandlesOpen, 1, __ATOMIC_RELAXED);
    return STATUS_SUCCESS;
}

/* The directories that "exist". */
static const char *const HostDirectories[] = { "\\??\\C:\\", "\\??\\C:\\Tests", "\\??\\C:\\Windows",
                                               "\\??\\C:\\Windows\\System32" };
static char LastOpenedName[600];

static void ToAscii(char *Out, size_t Size, const WCHAR *In, size_t Chars)
{
    size_t i = 0;
    for (; i < Chars && i + 1 < Size; i++) Out[i] = (char)In[i];
    Out[i] = 0;
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    (void)DesiredAccess; (void)ShareAccess;
    ToAscii(LastOpenedName, sizeof(LastOpenedName), ObjectAttributes->ObjectName->Buffer,
            ObjectAttributes->ObjectName->Length / 2);
    if (!(OpenOptions & FILE_DIRECTORY_FILE)) return STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < ARRAYSIZE(HostDirectories); i++) {
        if (strcasecmp(LastOpenedName, HostDirectories[i]) != 0) continue;
        unsigned *h = malloc(sizeof(unsigned));
        *h = FILE_MAGIC;
        __atomic_add_fetch(&HandlesOpen, 1, __ATOMIC_RELAXED);
        *FileHandle = h;
        IoStatusBlock->Status = STATUS_SUCCESS;
        IoStatusBlock->Information = FILE_OPENED;
        return STATUS_SUCCESS;
    }
    return strstr(LastOpenedName, "Missing\\") ? STATUS_OBJECT_PATH_NOT_FOUND : STATUS_OBJECT_NAME_NOT_FOUND;
}

/* ---- Helpers ------------------------------------------------------------------------------ */

/* A NUL-terminated UTF-16 copy of an ASCII string (static rotating buffers). */
static PWSTR W(const char *s)
{
    static WCHAR buffers[8][600];
    static int next;
    PWSTR w = buffers[next++ % 8];
    size_t i = 0;
    for (; s[i]; i++) w[i] = (UCHAR)s[i];
    w[i] = 0;
    return w;
}

static int WEq(PCWSTR w, const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (w[i] != (UCHAR)s[i]) return 0;
    return w[i] == 0;
}

static int UEq(PCUNICODE_STRING u, const char *s)
{
    size_t n = strlen(s);
    if (u->Length != n * 2) return 0;
    for (size_t i = 0; i < n; i++)
        if (u->Buffer[i] != (UCHAR)s[i]) return 0;
    return 1;
}

/* ---- Heap --------------------------------------------------------------------------------- */

static unsigned char Pattern(unsigned Seed, size_t i)
{
    return (unsigned char)((Seed * 2654435761u) >> 24 ^ (unsigned)(i * 31u));
}

static void Fill(void *p, size_t n, unsigned Seed)
{
    for (size_t i = 0; i < n; i++) ((unsigned char *)p)[i] = Pattern(Seed, i);
}

static int Intact(const void *p, size_t n, unsigned Seed)
{
    for (size_t i = 0; i < n; i++)
        if (((const unsigned char *)p)[i] != Pattern(Seed, i)) return 0;
    return 1;
}

static void TestHeapBasics(void)
{
    int regions = RegionCount;
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    CHECK(heap != NULL);
    for (size_t size = 0; size < 300; size++) {
        unsigned char *p = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, size);
        CHECK(p != NULL && ((ULONG_PTR)p & 7) == 0);
        CHECK(RtlSizeHeap(heap, 0, p) == size);
        int zero = 1;
        for (size_t i = 0; i < size; i++) zero &= p[i] == 0;
        CHECK(zero);
        Fill(p, size, (unsigned)size);
        CHECK(RtlFreeHeap(heap, 0, p));
    }
    CHECK(RtlFreeHeap(heap, 0, NULL));
    CHECK(RtlValidateHeap(heap, 0, NULL));

    /* Freed neighbours coalesce: three adjacent blocks freed make room for one of their sum. */
    char *a = RtlAllocateHeap(heap, 0, 1000), *b = RtlAllocateHeap(heap, 0, 1000), *c = RtlAllocateHeap(heap, 0, 1000);
    char *guard = RtlAllocateHeap(heap, 0, 16);
    CHECK(b == a + 1016 && c == b + 1016);
    CHECK(RtlFreeHeap(heap, 0, a) && RtlFreeHeap(heap, 0, c) && RtlFreeHeap(heap, 0, b));
    char *big = RtlAllocateHeap(heap, 0, 3000);
    CHECK(big == a);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    RtlFreeHeap(heap, 0, big);
    RtlFreeHeap(heap, 0, guard);

    CHECK(RtlDestroyHeap(heap) == NULL);
    CHECK(RegionCount == regions);
}

static void TestHeapBadFrees(void)
{
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    PVOID other = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    int local;
    char *p = RtlAllocateHeap(heap, 0, 100), *q = RtlAllocateHeap(heap, 0, 100);
    char *bigp = RtlAllocateHeap(heap, 0, 600 * 1024);
    Fill(q, 100, 7);
    CHECK(p && q && bigp);
    CHECK(!RtlFreeHeap(heap, 0, &local));                 /* not a heap pointer */
    CHECK(!RtlFreeHeap(heap, 0, p + 8));                  /* inside a block */
    CHECK(!RtlFreeHeap(heap, 0, p + 1));                  /* misaligned */
    CHECK(!RtlFreeHeap(other, 0, p));                     /* another heap's block */
    CHECK(!RtlFreeHeap(heap, 0, bigp + 4096));            /* inside a big block */
    CHECK(RtlSizeHeap(heap, 0, p + 8) == (SIZE_T)-1);
    CHECK(RtlFreeHeap(heap, 0, p));
    CHECK(!RtlFreeHeap(heap, 0, p));                      /* double free */
    CHECK(RtlSizeHeap(heap, 0, p) == (SIZE_T)-1);
    CHECK(RtlReAllocateHeap(heap, 0, p, 50) == NULL);
    CHECK(RtlSizeHeap(heap, 0, bigp) == 600 * 1024);
    CHECK(RtlFreeHeap(heap, 0, bigp));
    CHECK(!RtlFreeHeap(heap, 0, bigp));                   /* double free of a big block */
    /* A smashed header is refused, not followed. */
    char *r = RtlAllocateHeap(heap, 0, 64);
    ((ULONG *)r)[-4] ^= 0x40;                             /* its Size field */
    CHECK(!RtlFreeHeap(heap, 0, r));
    ((ULONG *)r)[-4] ^= 0x40;
    CHECK(RtlFreeHeap(heap, 0, r));
    CHECK(Intact(q, 100, 7));
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RtlDestroyHeap(other) == NULL && RtlDestroyHeap(heap) == NULL);
}

static void TestHeapReAlloc(void)
{
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    char *a = RtlAllocateHeap(heap, 0, 100), *b = RtlAllocateHeap(heap, 0, 400), *c = RtlAllocateHeap(heap, 0, 16);
    Fill(a, 100, 1);
    CHECK(RtlFreeHeap(heap, 0, b));
    /* Grows into the free neighbour where it is. */
    CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 300) == a);
    CHECK(RtlSizeHeap(heap, 0, a) == 300 && Intact(a, 100, 1));
    /* Too big for the neighbour: in place fails and leaves the block alone. */
    CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 5000) == NULL);
    CHECK(RtlSizeHeap(heap, 0, a) == 300 && Intact(a, 100, 1));
    /* Shrinks in place. */
    CHECK(RtlReAllocateHeap(heap, 0, a, 40) == a && RtlSizeHeap(heap, 0, a) == 40 && Intact(a, 40, 1));
    /* Moves, keeping the contents, zeroing the new part when asked. */
    char *m = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, a, 5000);
    CHECK(m && m != a && Intact(m, 40, 1) && m[40] == 0 && m[4999] == 0);
    CHECK(!RtlFreeHeap(heap, 0, a));                      /* the old block went back */
    /* Into a big block and back. */
    char *big = RtlReAllocateHeap(heap, 0, m, 700 * 1024);
    CHECK(big && Intact(big, 40, 1) && RtlSizeHeap(heap, 0, big) == 700 * 1024);
    CHECK(RtlReAllocateHeap(heap, 0, big, 650 * 1024) == big);     /* big, shrunk in place */
    char *small = RtlReAllocateHeap(heap, 0, big, 64);
    CHECK(small && Intact(small, 40, 1) && RtlSizeHeap(heap, 0, small) == 64);
    CHECK(RtlReAllocateHeap(heap, 0, NULL, 10) == NULL);
    CHECK(RtlFreeHeap(heap, 0, small) && RtlFreeHeap(heap, 0, c));
    CHECK(RtlValidateHeap(heap, 0, NULL));
    RtlDestroyHeap(heap);
}

/* Random allocations, reallocations and frees; every block carries a pattern that is checked
 * whenever it is touched again, and the heap is walked now and then. */
static void TestHeapStress(int Operations)
{
    enum { SLOTS = 3000 };
    static char *ptr[SLOTS];
    static size_t len[SLOTS];
    static unsigned seed[SLOTS];
    int regions = RegionCount, bad = 0, failed = 0;
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 64 * 1024, 4096, NULL, NULL);
    for (int op = 0; op < Operations; op++) {
        int i = (int)(Random() % SLOTS);
        unsigned r = Random() % 1000;
        size_t size = r < 700 ? Random() % 256 : r < 980 ? Random() % 8192 : r < 997 ? Random() % 200000
                                                                                   : 512 * 1024 + Random() % 600000;
        if (ptr[i] && !Intact(ptr[i], len[i], seed[i])) bad++;
        if (ptr[i] && RtlSizeHeap(heap, 0, ptr[i]) != len[i]) bad++;
        if (!ptr[i] || Random() % 4 == 0) {
            if (ptr[i] && !RtlFreeHeap(heap, 0, ptr[i])) bad++;
            ptr[i] = RtlAllocateHeap(heap, 0, size);
        } else if (Random() % 2) {
            char *p = RtlReAllocateHeap(heap, 0, ptr[i], size);
            if (p) {
                ptr[i] = p;
                if (!Intact(p, len[i] < size ? len[i] : size, seed[i])) bad++;
            } else {
                failed++;
                continue;
            }
        } else {
            if (!RtlFreeHeap(heap, 0, ptr[i])) bad++;
            ptr[i] = NULL;
            continue;
        }
        if (!ptr[i]) { failed++; continue; }
        if ((ULONG_PTR)ptr[i] & 7) bad++;
        len[i] = size;
        seed[i] = Random();
        Fill(ptr[i], size, seed[i]);
        if (op % 5000 == 0 && !RtlValidateHeap(heap, 0, NULL)) bad++;
    }
    for (int i = 0; i < SLOTS; i++) {
        if (ptr[i] && (!Intact(ptr[i], len[i], seed[i]) || !RtlFreeHeap(heap, 0, ptr[i]))) bad++;
        ptr[i] = NULL;
    }
    CHECK(bad == 0);
    CHECK(failed == 0);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RegionCount == regions + 1);                    /* emptied segments went back */
    CHECK(RtlDestroyHeap(heap) == NULL);
    CHECK(RegionCount == regions);
    printf("heap stress: %d operations, %d corruptions, %d failed allocations\n", Operations, bad, failed);
}

static void TestHeapLimits(void)
{
    /* Not growable: fills up and says NULL, stays usable. */
    PVOID heap = RtlCreateHeap(0, NULL, 64 * 1024, 8192, NULL, NULL);
    int n = 0;
    void *last = NULL;
    while (n < 10000 && (last = RtlAllocateHeap(heap, 0, 1000)) != NULL) n++;
    CHECK(n > 50 && n < 70 && last == NULL);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    RtlDestroyHeap(heap);

    /* Growable, the system out of memory: NULL, not a crash. */
    heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    ReserveLimit = ReservedBytes + 3 * 1024 * 1024;
    n = 0;
    while (n < 100000 && RtlAllocateHeap(heap, 0, 10000)) n++;
    CHECK(n > 100 && n < 100000);
    CHECK(RtlAllocateHeap(heap, 0, 2 * 1024 * 1024) == NULL);
    ReserveLimit = (size_t)1 << 34;
    CHECK(RtlAllocateHeap(heap, 0, 2 * 1024 * 1024) != NULL);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    RtlDestroyHeap(heap);

    /* The caller's memory. */
    static ULONGLONG memory[8192];
    heap = RtlCreateHeap(HEAP_NO_SERIALIZE, memory, sizeof(memory), 0, NULL, NULL);
    CHECK(heap != NULL);
    void *p = RtlAllocateHeap(heap, 0, 1000);
    CHECK((char *)p > (char *)memory && (char *)p < (char *)memory + sizeof(memory));
    CHECK(RtlAllocateHeap(heap, 0, 100000) == NULL);
    CHECK(RtlFreeHeap(heap, 0, p));
    CHECK(RtlDestroyHeap(heap) == NULL);

    CHECK(RtlAllocateHeap(HostPeb.ProcessHeap, 0, (SIZE_T)-16) == NULL);
}

static void TestProcessHeaps(void)
{
    PVOID heaps[16];
    ULONG before = RtlGetProcessHeaps(16, heaps);
    CHECK(before >= 1 && heaps[0] == HostPeb.ProcessHeap);
    PVOID h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    CHECK(RtlGetProcessHeaps(16, heaps) == before + 1 && heaps[before] == h);
    RtlDestroyHeap(h);
    CHECK(RtlGetProcessHeaps(16, heaps) == before);
}

/* Several threads allocating and freeing in one heap at once. */
static PVOID SharedHeap;
static int SharedBad;
static void *HeapThread(void *arg)
{
    unsigned s = (unsigned)(ULONG_PTR)arg;
    char *mine[64] = { 0 };
    for (int i = 0; i < 20000; i++) {
        int k = (int)((s = s * 1103515245u + 12345u) >> 16) % 64;
        if (mine[k]) {
            if (!Intact(mine[k], 48, (unsigned)k) || !RtlFreeHeap(SharedHeap, 0, mine[k]))
                __atomic_add_fetch(&SharedBad, 1, __ATOMIC_RELAXED);
            mine[k] = NULL;
        } else {
            mine[k] = RtlAllocateHeap(SharedHeap, 0, 48 + (s >> 20) % 200);
            if (mine[k]) Fill(mine[k], 48, (unsigned)k);
            else __atomic_add_fetch(&SharedBad, 1, __ATOMIC_RELAXED);
        }
    }
    for (int k = 0; k < 64; k++) if (mine[k]) RtlFreeHeap(SharedHeap, 0, mine[k]);
    FreeThreadTeb();
    return NULL;
}

static void TestHeapThreads(void)
{
    pthread_t t[4];
    SharedHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, HeapThread, (void *)(ULONG_PTR)(i + 1));
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK(SharedBad == 0);
    CHECK(RtlValidateHeap(SharedHeap, 0, NULL));
    CHECK(RtlDestroyHeap(SharedHeap) == NULL);
}

/* ---- Critical sections -------------------------------------------------------------------- */

static RTL_CRITICAL_SECTION Cs;
static volatile long Counter;
static int TryEnterFromOther;

static void *TryThread(void *arg)
{
    (void)arg;
    TryEnterFromOther = RtlTryEnterCriticalSection(&Cs);
    FreeThreadTeb();
    return NULL;
}

static void *CounterThread(void *arg)
{
    long n = (long)(ULONG_PTR)arg;
    for (long i = 0; i < n; i++) {
        RtlEnterCriticalSection(&Cs);
        if (i % 3 == 0) RtlEnterCriticalSection(&Cs);   /* recursion under contention */
        long v = Counter;
        if (i % 64 == 0) sched_yield();                  /* invite contention inside */
        Counter = v + 1;
        if (i % 3 == 0) RtlLeaveCriticalSection(&Cs);
        RtlLeaveCriticalSection(&Cs);
    }
    FreeThreadTeb();
    return NULL;
}

static void TestCriticalSections(void)
{
    pthread_t t[4];
    CHECK(sizeof(RTL_CRITICAL_SECTION) == 4 * sizeof(PVOID) + 2 * sizeof(LONG));
    CHECK(RtlInitializeCriticalSection(&Cs) == STATUS_SUCCESS);
    CHECK(Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL && Cs.LockSemaphore == NULL);
    RtlEnterCriticalSection(&Cs);
    RtlEnterCriticalSection(&Cs);
    CHECK(RtlTryEnterCriticalSection(&Cs));
    CHECK(Cs.RecursionCount == 3 && Cs.LockCount == 2);
    CHECK(Cs.OwningThread == NtCurrentTeb()->ClientId.UniqueThread);
    CHECK(RtlIsCriticalSectionLockedByThread(&Cs));
    pthread_create(&t[0], NULL, TryThread, NULL);
    pthread_join(t[0], NULL);
    CHECK(!TryEnterFromOther);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    RtlLeaveCriticalSection(&Cs);
    CHECK(Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL);
    CHECK(!RtlIsCriticalSectionLockedByThread(&Cs));
    pthread_create(&t[0], NULL, TryThread, NULL);
    pthread_join(t[0], NULL);
    CHECK(TryEnterFromOther);                            /* and that thread never left it: */
    CHECK(Cs.LockCount == 0);
    RtlInitializeCriticalSection(&Cs);

    const long each = 50000;
    int events = EventsCreated, handles = HandlesOpen;
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, CounterThread, (void *)(ULONG_PTR)each);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK(Counter == 4 * each);
    CHECK(Cs.LockCount == -1 && Cs.RecursionCount == 0 && Cs.OwningThread == NULL);
    /* Created lazily: racing creators may each make one, but one is kept and the rest closed. */
    CHECK(HandlesOpen - handles == (Cs.LockSemaphore ? 1 : 0));
    printf("critical sections: counter %ld (expected %ld), event %s (%d created, %d kept)\n", Counter, 4 * each,
           Cs.LockSemaphore ? "created on contention" : "never needed", EventsCreated - events, HandlesOpen - handles);
    CHECK(RtlDeleteCriticalSection(&Cs) == STATUS_SUCCESS);

    static RTL_CRITICAL_SECTION Static = RTL_CRITICAL_SECTION_INIT;
    RtlEnterCriticalSection(&Static);
    CHECK(Static.RecursionCount == 1);
    RtlLeaveCriticalSection(&Static);
    RtlAcquirePebLock();
    CHECK(HostPeb.FastPebLock != NULL);
    RtlReleasePebLock();
}

/* ---- Status mapping ----------------------------------------------------------------------- */

/* ntstatus.h's statuses NT leaves unmapped (ERROR_MR_MID_NOT_FOUND). */
static const char *const Unmapped[] = {
    "STATUS_REPARSE", "STATUS_UNWIND", "STATUS_BAD_STACK", "STATUS_INVALID_UNWIND_TARGET",
    "STATUS_THREAD_NOT_IN_PROCESS", "STATUS_MUTANT_LIMIT_EXCEEDED", "STATUS_IMAGE_SUBSYSTEM_NOT_PRESENT",
    "STATUS_HEAP_CORRUPTION", "STATUS_INVALID_PORT_ATTRIBUTES", "STATUS_PORT_MESSAGE_TOO_LONG",
    "STATUS_REPLY_MESSAGE_MISMATCH", "STATUS_KERNEL_APC",
};

static void TestStatusMapping(void)
{
    static const struct { NTSTATUS Status; ULONG Error; } spot[] = {
        { STATUS_SUCCESS, 0 }, { STATUS_OBJECT_NAME_NOT_FOUND, 2 }, { STATUS_OBJECT_PATH_NOT_FOUND, 3 },
        { STATUS_ACCESS_DENIED, 5 }, { STATUS_INVALID_HANDLE, 6 }, { STATUS_OBJECT_NAME_COLLISION, 183 },
        { STATUS_SHARING_VIOLATION, 32 }, { STATUS_NO_MEMORY, 8 }, { STATUS_INVALID_PARAMETER, 87 },
        { STATUS_END_OF_FILE, 38 }, { STATUS_DELETE_PENDING, 5 }, { STATUS_DIRECTORY_NOT_EMPTY, 145 },
        { STATUS_NOT_A_DIRECTORY, 267 }, { STATUS_FILE_IS_A_DIRECTORY, 5 }, { STATUS_PENDING, 997 },
        { STATUS_TIMEOUT, 1460 }, { STATUS_NO_SUCH_FILE, 2 }, { STATUS_BUFFER_OVERFLOW, 234 },
        { STATUS_NO_MORE_FILES, 18 }, { STATUS_ACCESS_VIOLATION, 998 }, { STATUS_BUFFER_TOO_SMALL, 122 },
        { STATUS_INVALID_IMAGE_FORMAT, 193 }, { STATUS_DLL_NOT_FOUND, 126 }, { STATUS_PROCEDURE_NOT_FOUND, 127 },
        { STATUS_BREAKPOINT, 0x80000003u }, { STATUS_INVALID_PARAMETER_3, 87 }, { STATUS_NOT_IMPLEMENTED, 1 },
        { STATUS_UNSUCCESSFUL, 31 }, { STATUS_DISK_FULL, 112 }, { STATUS_NAME_TOO_LONG, 206 },
        { STATUS_OBJECT_NAME_INVALID, 123 }, { STATUS_INSUFFICIENT_RESOURCES, 1450 },
        { (NTSTATUS)0xC0070005, 5 }, { (NTSTATUS)0x80070002, 2 }, { (NTSTATUS)0xD0000022, 5 },
        { (NTSTATUS)0xE0001234, 0xE0001234u }, { (NTSTATUS)0xC0001234, 317 }, { (NTSTATUS)0x00001234, 317 },
    };
    CHECK(RtlpStatusMapIsSorted());
    for (size_t i = 0; i < ARRAYSIZE(spot); i++) {
        ULONG e = RtlNtStatusToDosError(spot[i].Status);
        if (e != spot[i].Error) fprintf(stderr, "status %08x -> %u, expected %u\n", (unsigned)spot[i].Status, e, spot[i].Error);
        CHECK(e == spot[i].Error);
    }
    RtlNtStatusToDosError(STATUS_ACCESS_DENIED);
    CHECK(RtlGetLastNtStatus() == STATUS_ACCESS_DENIED);
    CHECK(RtlNtStatusToDosErrorNoTeb(STATUS_NO_MEMORY) == 8 && RtlGetLastNtStatus() == STATUS_ACCESS_DENIED);
    RtlSetLastWin32Error(1234);
    CHECK(RtlGetLastWin32Error() == 1234 && NtCurrentTeb()->LastErrorValue == 1234);
    RtlSetLastWin32ErrorAndNtStatusFromNtStatus(STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK(RtlGetLastWin32Error() == 3 && RtlGetLastNtStatus() == STATUS_OBJECT_PATH_NOT_FOUND);

    /* Every status ntstatus.h defines has its mapping, but for those NT leaves unmapped. */
    int unmapped = 0;
    for (size_t i = 0; i < ARRAYSIZE(AllStatuses); i++) {
        BOOLEAN expected = FALSE;
        for (size_t k = 0; k < ARRAYSIZE(Unmapped); k++) expected |= strcmp(AllStatuses[i].Name, Unmapped[k]) == 0;
        ULONG e = RtlNtStatusToDosErrorNoTeb(AllStatuses[i].Status);
        if ((e == ERROR_MR_MID_NOT_FOUND) != expected) {
            fprintf(stderr, "%s (%08x) -> %u\n", AllStatuses[i].Name, (unsigned)AllStatuses[i].Status, e);
            unmapped++;
        }
    }
    CHECK(unmapped == 0);
    printf("status mapping: %zu statuses of ntstatus.h checked, %d wrong\n", ARRAYSIZE(AllStatuses), unmapped);
}

/* ---- Bit maps ----------------------------------------------------------------------------- */

/* The reference: first run of n bits equal to v from hint to the end, then from 0. */
static ULONG RefFind(const unsigned char *bits, ULONG size, ULONG n, ULONG hint, int v)
{
    if (n == 0) return 0;
    if (n > size) return RTL_BITMAP_NOT_FOUND;
    if (hint >= size) hint = 0;
    for (int pass = 0; pass < 2; pass++) {
        ULONG from = pass ? 0 : hint, to = pass ? hint : size;
        for (ULONG s = from; s < to && s + n <= size; s++) {
            ULONG k = 0;
            while (k < n && bits[s + k] == v) k++;
            if (k == n) return s;
        }
        if (!hint) break;
    }
    return RTL_BITMAP_NOT_FOUND;
}

static void TestBitmaps(void)
{
    static ULONG buffer[9];
    static unsigned char ref[9 * 32];
    RTL_BITMAP bm;
    int bad = 0;
    for (ULONG size = 1; size <= 9 * 32; size += 1 + size / 3) {
        RtlInitializeBitMap(&bm, buffer, size);
        RtlSetAllBits(&bm);
        CHECK(RtlNumberOfSetBits(&bm) == size && RtlNumberOfClearBits(&bm) == 0);
        RtlClearAllBits(&bm);
        CHECK(RtlNumberOfSetBits(&bm) == 0 && RtlAreBitsClear(&bm, 0, size));
        memset(ref, 0, sizeof(ref));
        for (int op = 0; op < 3000; op++) {
            ULONG start = Random() % size, n = Random() % (size - start + 1);
            ULONG hint = Random() % (size + 3), want = 1 + Random() % 12;
            switch (Random() % 6) {
            case 0: RtlSetBits(&bm, start, n); memset(ref + start, 1, n); break;
            case 1: RtlClearBits(&bm, start, n); memset(ref + start, 0, n); break;
            case 2: {
                ULONG got = RtlFindClearBitsAndSet(&bm, want, hint), exp = RefFind(ref, size, want, hint, 0);
                bad += got != exp;
                if (exp != RTL_BITMAP_NOT_FOUND) memset(ref + exp, 1, want);
                break;
            }
            case 3:
                bad += RtlFindSetBits(&bm, want, hint) != RefFind(ref, size, want, hint, 1);
                bad += RtlFindClearBits(&bm, want, hint) != RefFind(ref, size, want, hint, 0);
                break;
            case 4: {
                int allSet = n > 0, allClear = n > 0;
                for (ULONG k = 0; k < n; k++) { allSet &= ref[start + k]; allClear &= !ref[start + k]; }
                bad += RtlAreBitsSet(&bm, start, n) != allSet;
                bad += RtlAreBitsClear(&bm, start, n) != allClear;
                break;
            }
            default: {
                ULONG count = 0;
                for (ULONG k = 0; k < size; k++) count += ref[k];
                bad += RtlNumberOfSetBits(&bm) != count || RtlNumberOfClearBits(&bm) != size - count;
                bad += RtlTestBit(&bm, start) != ref[start];
                break;
            }
            }
        }
    }
    CHECK(bad == 0);
    RtlInitializeBitMap(&bm, buffer, 64);
    RtlClearAllBits(&bm);
    RtlSetBit(&bm, 63);
    CHECK(RtlTestBit(&bm, 63) && buffer[1] == 0x80000000u && !RtlTestBit(&bm, 64));
    CHECK(RtlFindSetBits(&bm, 1, 0) == 63 && RtlFindClearBits(&bm, 64, 0) == RTL_BITMAP_NOT_FOUND);
    CHECK(RtlFindClearBits(&bm, 63, 5) == 0);           /* wraps to the start */
    CHECK(RtlFindSetBitsAndClear(&bm, 1, 0) == 63 && RtlNumberOfSetBits(&bm) == 0);
    CHECK(!RtlAreBitsClear(&bm, 60, 10));               /* past the end */
    printf("bit maps: %d mismatches against the reference\n", bad);
}

/* ---- Strings ------------------------------------------------------------------------------ */

static void TestStrings(void)
{
    ANSI_STRING a, a2;
    UNICODE_STRING u, u2;
    WCHAR wbuf[32];
    char cbuf[32];

    RtlInitAnsiString(&a, "Hello\x80\xE9");
    CHECK(a.Length == 7 && a.MaximumLength == 8);
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, TRUE) == STATUS_SUCCESS);
    CHECK(u.Length == 14 && u.Buffer[5] == 0x20AC && u.Buffer[6] == 0xE9 && u.Buffer[7] == 0);
    CHECK(RtlUnicodeStringToAnsiString(&a2, &u, TRUE) == STATUS_SUCCESS);
    CHECK(a2.Length == 7 && memcmp(a2.Buffer, "Hello\x80\xE9", 8) == 0);
    RtlFreeAnsiString(&a2);
    CHECK(a2.Buffer == NULL);
    u.Buffer[0] = 0x4E2D;                                 /* not in 1252 */
    u2 = (UNICODE_STRING){ 0, sizeof(wbuf), wbuf };
    CHECK(RtlUpcaseUnicodeString(&u2, &u, FALSE) == STATUS_SUCCESS && u2.Buffer[1] == 'E' && u2.Buffer[6] == 0xC9);
    CHECK(RtlDowncaseUnicodeString(&u2, &u2, FALSE) == STATUS_SUCCESS && u2.Buffer[1] == 'e' && u2.Buffer[6] == 0xE9);
    a2 = (ANSI_STRING){ 0, sizeof(cbuf), cbuf };
    CHECK(RtlUnicodeStringToAnsiString(&a2, &u, FALSE) == STATUS_SUCCESS && cbuf[0] == '?' && cbuf[7] == 0);
    a2.MaximumLength = 4;
    CHECK(RtlUnicodeStringToAnsiString(&a2, &u, FALSE) == STATUS_BUFFER_OVERFLOW && a2.Length == 3);
    RtlFreeUnicodeString(&u);
    CHECK(u.Buffer == NULL && u.Length == 0);

    CHECK(RtlCreateUnicodeStringFromAsciiz(&u, "abc") && UEq(&u, "abc") && u.MaximumLength == 8);
    CHECK(RtlUpcaseUnicodeString(&u2, &u, TRUE) == STATUS_SUCCESS && UEq(&u2, "ABC"));
    RtlFreeUnicodeString(&u2);
    RtlFreeUnicodeString(&u);
    CHECK(RtlCreateUnicodeString(&u, W("C:\\x")) && UEq(&u, "C:\\x") && u.Buffer[4] == 0);
    RtlFreeUnicodeString(&u);

    u = (UNICODE_STRING){ 0, 12, wbuf };
    CHECK(RtlAppendUnicodeToString(&u, W("abc")) == STATUS_SUCCESS && UEq(&u, "abc"));
    CHECK(RtlAppendUnicodeToString(&u, W("de")) == STATUS_SUCCESS && UEq(&u, "abcde"));
    CHECK(RtlAppendUnicodeToString(&u, W("f")) == STATUS_SUCCESS && UEq(&u, "abcdef"));
    CHECK(RtlAppendUnicodeToString(&u, W("g")) == STATUS_BUFFER_TOO_SMALL && UEq(&u, "abcdef"));

    STRING s1, s2;
    RtlInitString(&s1, "Hello");
    RtlInitString(&s2, "hELLO");
    CHECK(RtlCompareString(&s1, &s2, FALSE) < 0 && RtlCompareString(&s1, &s2, TRUE) == 0);
    CHECK(RtlEqualString(&s1, &s2, TRUE) && !RtlEqualString(&s1, &s2, FALSE));
    RtlInitString(&s2, "Hell");
    CHECK(RtlCompareString(&s1, &s2, FALSE) > 0 && !RtlEqualString(&s1, &s2, TRUE));
    CHECK(RtlUpperChar('q') == 'Q' && RtlUpperChar((CHAR)0xE9) == (CHAR)0xC9 && RtlUpperChar('1') == '1');

    u = (UNICODE_STRING){ 0, sizeof(wbuf), wbuf };
    CHECK(RtlIntegerToUnicodeString(1234567890, 10, &u) == STATUS_SUCCESS && UEq(&u, "1234567890"));
    CHECK(RtlIntegerToUnicodeString(0xBEEF, 16, &u) == STATUS_SUCCESS && UEq(&u, "BEEF"));
    CHECK(RtlIntegerToUnicodeString(5, 2, &u) == STATUS_SUCCESS && UEq(&u, "101"));
    CHECK(RtlIntegerToUnicodeString(0, 0, &u) == STATUS_SUCCESS && UEq(&u, "0"));
    CHECK(RtlIntegerToUnicodeString(1, 7, &u) == STATUS_INVALID_PARAMETER);
    u.MaximumLength = 6;
    CHECK(RtlIntegerToUnicodeString(1234, 10, &u) == STATUS_BUFFER_OVERFLOW);
    wbuf[3] = 0x1234;
    CHECK(RtlIntegerToUnicodeString(123, 10, &u) == STATUS_SUCCESS && UEq(&u, "123") && wbuf[3] == 0x1234);
    CHECK(RtlIntegerToUnicodeString(12, 10, &u) == STATUS_SUCCESS && UEq(&u, "12") && wbuf[2] == 0);

    static const struct { const char *Text; ULONG Base; ULONG Value; } ints[] = {
        { "123", 0, 123 }, { "  -42", 10, (ULONG)-42 }, { "+7", 0, 7 }, { "0x1F", 0, 31 }, { "0b101", 0, 5 },
        { "0o17", 0, 15 }, { "ff", 16, 255 }, { "12abc", 10, 12 }, { "", 10, 0 }, { "4294967295", 10, 0xFFFFFFFFu },
    };
    for (size_t i = 0; i < ARRAYSIZE(ints); i++) {
        ULONG v = 99;
        RtlInitUnicodeString(&u, W(ints[i].Text));
        CHECK(RtlUnicodeStringToInteger(&u, ints[i].Base, &v) == STATUS_SUCCESS && v == ints[i].Value);
    }
    ULONG v;
    CHECK(RtlUnicodeStringToInteger(&u, 3, &v) == STATUS_INVALID_PARAMETER);

    ULONG bytes;
    CHECK(RtlMultiByteToUnicodeN(wbuf, 6, &bytes, "abcdef", 6) == STATUS_SUCCESS && bytes == 6 && wbuf[2] == 'c');
    CHECK(RtlUnicodeToMultiByteN(cbuf, 2, &bytes, W("xyz"), 6) == STATUS_SUCCESS && bytes == 2 && cbuf[1] == 'y');
    CHECK(RtlUnicodeToMultiByteSize(&bytes, W("xyz"), 6) == STATUS_SUCCESS && bytes == 3);
    CHECK(RtlMultiByteToUnicodeSize(&bytes, "xyz", 3) == STATUS_SUCCESS && bytes == 6);
    RtlInitAnsiString(&a, "abc");
    CHECK(RtlAnsiStringToUnicodeSize(&a) == 8);
    u = (UNICODE_STRING){ 0, 4, wbuf };
    CHECK(RtlAnsiStringToUnicodeString(&u, &a, FALSE) == STATUS_BUFFER_OVERFLOW);
}

/* ---- Paths -------------------------------------------------------------------------------- */

static void TestPaths(void)
{
    static const struct { const char *Path; RTL_PATH_TYPE Type; } types[] = {
        { "\\\\server\\share", RtlPathTypeUncAbsolute }, { "C:\\x", RtlPathTypeDriveAbsolute },
        { "c:/x", RtlPathTypeDriveAbsolute }, { "C:x", RtlPathTypeDriveRelative }, { "C:", RtlPathTypeDriveRelative },
        { "\\x", RtlPathTypeRooted }, { "/x", RtlPathTypeRooted }, { "x\\y", RtlPathTypeRelative },
        { "", RtlPathTypeRelative }, { "\\\\.\\COM1", RtlPathTypeLocalDevice }, { "\\\\?\\C:\\x", RtlPathTypeLocalDevice },
        { "\\\\.", RtlPathTypeRootLocalDevice }, { "\\\\?", RtlPathTypeRootLocalDevice }, { "//server/x", RtlPathTypeUncAbsolute },
    };
    for (size_t i = 0; i < ARRAYSIZE(types); i++) CHECK(RtlDetermineDosPathNameType_U(W(types[i].Path)) == types[i].Type);
    CHECK(RtlDetermineDosPathNameType_U(NULL) == RtlPathTypeUnknown);

    SetHostCurrentDirectory("C:\\Tests\\");
    static const struct { const char *In, *Out, *File; } full[] = {
        { "a.exe", "C:\\Tests\\a.exe", "a.exe" },
        { ".\\sub\\..\\b.txt", "C:\\Tests\\b.txt", "b.txt" },
        { "..", "C:\\", NULL },
        { "..\\..\\..\\x", "C:\\x", "x" },
        { ".", "C:\\Tests", "Tests" },
        { "sub/dir/", "C:\\Tests\\sub\\dir\\", NULL },
        { "\\Windows\\System32\\ntdll.dll", "C:\\Windows\\System32\\ntdll.dll", "ntdll.dll" },
        { "d:\\a\\\\b\\.\\c", "D:\\a\\b\\c", "c" },
        { "C:", "C:\\Tests", "Tests" },
        { "C:foo", "C:\\Tests\\foo", "foo" },
        { "E:foo", "E:\\foo", "foo" },
        { "C:\\", "C:\\", NULL },
        { "C:\\dir\\file. ", "C:\\dir\\file", "file" },
        { "\\\\server\\share\\x\\..\\y", "\\\\server\\share\\y", "y" },
        { "\\\\server\\share\\..\\..", "\\\\server\\share\\", NULL },
        { "\\\\.\\COM1", "\\\\.\\COM1", "COM1" },
        { "\\\\?\\C:\\a\\..\\b", "\\\\?\\C:\\a\\..\\b", "b" },
        { "nul", "\\\\.\\nul", "nul" },                       /* DOS devices, wherever named */
        { "C:\\dir\\COM3.log", "\\\\.\\COM3", "COM3" },
        { "Con  .txt", "\\\\.\\Con", "Con" },
        { "nullx", "C:\\Tests\\nullx", "nullx" },
        { "COM0", "C:\\Tests\\COM0", "COM0" },
    };
    WCHAR buf[300];
    for (size_t i = 0; i < ARRAYSIZE(full); i++) {
        PWSTR file = (PWSTR)1;
        ULONG n = RtlGetFullPathName_U(W(full[i].In), sizeof(buf), buf, &file);
        int ok = n == strlen(full[i].Out) * 2 && WEq(buf, full[i].Out) &&
                 (full[i].File ? file && WEq(file, full[i].File) : file == NULL);
        if (!ok) {
            char got[300];
            ToAscii(got, sizeof(got), buf, n / 2);
            fprintf(stderr, "full path of '%s': '%s' (%u bytes)\n", full[i].In, got, n);
        }
        CHECK(ok);
    }
    CHECK(RtlGetFullPathName_U(W(""), sizeof(buf), buf, NULL) == 0);
    CHECK(RtlGetFullPathName_U(W("a.exe"), 10, buf, NULL) == (strlen("C:\\Tests\\a.exe") + 1) * 2);

    static const struct { const char *In, *Out; } nt[] = {
        { "C:\\Windows\\System32\\ntdll.dll", "\\??\\C:\\Windows\\System32\\ntdll.dll" },
        { "x.txt", "\\??\\C:\\Tests\\x.txt" },
        { "\\\\.\\PhysicalDrive0", "\\??\\PhysicalDrive0" },
        { "\\\\?\\C:\\a\\..\\b", "\\??\\C:\\a\\..\\b" },
        { "\\\\srv\\share\\f", "\\??\\UNC\\srv\\share\\f" },
        { "C:/", "\\??\\C:\\" },
        { "C:\\Tests\\nul.txt", "\\??\\nul" },
        { "lpt9", "\\??\\lpt9" },
    };
    for (size_t i = 0; i < ARRAYSIZE(nt); i++) {
        UNICODE_STRING name;
        PWSTR file;
        RTL_RELATIVE_NAME_U rel;
        memset(&rel, 0xCC, sizeof(rel));
        BOOLEAN ok = RtlDosPathNameToNtPathName_U(W(nt[i].In), &name, &file, &rel);
        CHECK(ok && UEq(&name, nt[i].Out) && name.Buffer[name.Length / 2] == 0);
        CHECK(rel.RelativeName.Length == 0 && rel.ContainingDirectory == NULL);
        if (ok) {
            if (i == 0) CHECK(file && WEq(file, "ntdll.dll"));
            RtlFreeUnicodeString(&name);
        }
    }
    /* RtlIsDosDeviceName_U: offset << 16 | length, in bytes. */
    CHECK(RtlIsDosDeviceName_U(W("C:\\a\\aux.c")) == ((5 * 2) << 16 | 3 * 2));
    CHECK(RtlIsDosDeviceName_U(W("prn")) == 3 * 2);
    CHECK(RtlIsDosDeviceName_U(W("\\\\.\\nul")) == 0 && RtlIsDosDeviceName_U(W("\\\\srv\\sh\\nul")) == 0);
    CHECK(RtlIsDosDeviceName_U(W("COM")) == 0 && RtlIsDosDeviceName_U(W("LPT10")) == 0 && RtlIsDosDeviceName_U(W("")) == 0);
    UNICODE_STRING name;
    CHECK(!RtlDosPathNameToNtPathName_U(W(""), &name, NULL, NULL));
    CHECK(RtlDosPathNameToNtPathName_U_WithStatus(NULL, &name, NULL, NULL) == STATUS_OBJECT_NAME_INVALID);

    /* The current directory. */
    CHECK(RtlGetCurrentDirectory_U(sizeof(buf), buf) == 16 && WEq(buf, "C:\\Tests"));
    CHECK(RtlGetCurrentDirectory_U(4, buf) == 18);
    UNICODE_STRING dir;
    int handles = HandlesOpen;
    RtlInitUnicodeString(&dir, W("..\\Windows/System32"));
    CHECK(RtlSetCurrentDirectory_U(&dir) == STATUS_SUCCESS);
    CHECK(strcmp(LastOpenedName, "\\??\\C:\\Windows\\System32") == 0);
    CHECK(UEq(&HostParams.CurrentDirectory.DosPath, "C:\\Windows\\System32\\"));
    CHECK(HostParams.CurrentDirectory.Handle != NULL && HandlesOpen == handles + 1);
    CHECK(RtlGetFullPathName_U(W("ntdll.dll"), sizeof(buf), buf, NULL) && WEq(buf, "C:\\Windows\\System32\\ntdll.dll"));
    RtlInitUnicodeString(&dir, W("C:\\Missing\\Dir"));
    CHECK(RtlSetCurrentDirectory_U(&dir) == STATUS_OBJECT_PATH_NOT_FOUND);
    RtlInitUnicodeString(&dir, W("NoSuchDir"));
    CHECK(RtlSetCurrentDirectory_U(&dir) == STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(UEq(&HostParams.CurrentDirectory.DosPath, "C:\\Windows\\System32\\"));
    RtlInitUnicodeString(&dir, W("\\"));
    CHECK(RtlSetCurrentDirectory_U(&dir) == STATUS_SUCCESS && strcmp(LastOpenedName, "\\??\\C:\\") == 0);
    CHECK(UEq(&HostParams.CurrentDirectory.DosPath, "C:\\") && HandlesOpen == handles + 1);
    CHECK(RtlGetCurrentDirectory_U(sizeof(buf), buf) == 6 && WEq(buf, "C:\\"));
    /* A directory longer than the creator's buffer moves to one from the heap. */
    HostParams.CurrentDirectory.DosPath.MaximumLength = 8;
    RtlInitUnicodeString(&dir, W("C:\\Tests"));
    CHECK(RtlSetCurrentDirectory_U(&dir) == STATUS_SUCCESS && UEq(&HostParams.CurrentDirectory.DosPath, "C:\\Tests\\"));
    CHECK(HostParams.CurrentDirectory.DosPath.Buffer != HostCurDir);
    NtClose(HostParams.CurrentDirectory.Handle);
    HostParams.CurrentDirectory.Handle = NULL;
    RtlFreeHeap(HostPeb.ProcessHeap, 0, HostParams.CurrentDirectory.DosPath.Buffer);
    SetHostCurrentDirectory("C:\\Tests\\");
}

int main(int argc, char **argv)
{
    int ops = 200000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seed")) RandomState = strtoull(argv[i + 1], NULL, 0) | 1;
        else if (!strcmp(argv[i], "--ops")) ops = atoi(argv[i + 1]);
    }
    HostPeb.ProcessParameters = &HostParams;
    SetHostCurrentDirectory("C:\\Tests\\");
    RUN(initialize, {
        RtlpInitializeRtl();
        CHECK(HostPeb.ProcessHeap != NULL && HostPeb.FastPebLock != NULL && HostPeb.NumberOfHeaps == 1);
    });

    RUN(heap_basics, TestHeapBasics());
    RUN(heap_bad_frees, TestHeapBadFrees());
    RUN(heap_realloc, TestHeapReAlloc());
    RUN(heap_stress, TestHeapStress(ops));
    RUN(heap_limits, TestHeapLimits());
    RUN(heap_process_list, TestProcessHeaps());
    RUN(heap_threads, TestHeapThreads());
    RUN(critical_sections, TestCriticalSections());
    RUN(status_mapping, TestStatusMapping());
    RUN(bitmaps, TestBitmaps());
    RUN(strings, TestStrings());
    RUN(paths, TestPaths());
    RUN(process_heap_destroy, {
        CHECK(RtlValidateHeap(HostPeb.ProcessHeap, 0, NULL));
        CHECK(RtlDestroyHeap(HostPeb.ProcessHeap) == NULL);
        CHECK(RegionCount == 0);
    });
    FreeThreadTeb();
    printf("(%d checks)\n", Checks);
    printf("unit rtl: %d passed, %d failed\n", Passed, Failed);
    return Failed != 0;
}
