/*
 * ntdef.h - the basic NT types (UCHAR, ULONG, NTSTATUS, LIST_ENTRY, ...) used by every layer.
 * Written so that it also compiles on the host, where components such as the pool are unit-tested.
 */
#ifndef NTDEF_H
#define NTDEF_H

typedef void VOID, *PVOID;
typedef char CHAR, *PCHAR;
typedef const char *PCSTR;
typedef unsigned char UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef short SHORT;
typedef unsigned short USHORT, *PUSHORT, WCHAR, *PWCHAR;
typedef int LONG, *PLONG;
typedef unsigned int ULONG, *PULONG;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG, *PULONGLONG;
typedef __INTPTR_TYPE__ LONG_PTR;
typedef __UINTPTR_TYPE__ ULONG_PTR, *PULONG_PTR;
typedef ULONG_PTR SIZE_T, *PSIZE_T;
typedef LONG NTSTATUS;
typedef UCHAR KIRQL, *PKIRQL;

/* System services and the Win32 API are stdcall, as on NT. (Host unit tests, on x86-64, have
 * no stdcall: NT_HOST leaves it out.) */
#ifdef NT_HOST
#define NTAPI
#define __cdecl
#else
#define NTAPI __attribute__((stdcall))
#endif

/* NTSYSAPI marks the routines ntdll exports: its build defines it as dllexport; everywhere else
 * (the kernel, programs that import them) it is empty. */
#ifndef NTSYSAPI
#define NTSYSAPI
#endif

#define TRUE 1
#define FALSE 0
#define NULL ((void *)0)

#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD_OFFSET(t, f) ((LONG)__builtin_offsetof(t, f))
#define CONTAINING_RECORD(p, t, f) ((t *)((PCHAR)(p) - FIELD_OFFSET(t, f)))
#define UNREFERENCED_PARAMETER(p) ((void)(p))
#define C_ASSERT(e) _Static_assert(e, #e)
/* A check of an NT x86 structure layout: void where pointers are not 4 bytes (64-bit host unit
 * tests compile the same headers). */
#define X86_C_ASSERT(e) C_ASSERT(sizeof(void *) != 4 || (e))

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12
#define BYTES_TO_PAGES(n) (((n) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define ROUND_TO_PAGES(n) (((n) + PAGE_SIZE - 1) & ~(ULONG_PTR)(PAGE_SIZE - 1))
#define PAGE_ALIGN(p) ((PVOID)((ULONG_PTR)(p) & ~(ULONG_PTR)(PAGE_SIZE - 1)))

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink, *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef union _LARGE_INTEGER {
    struct { ULONG LowPart; LONG HighPart; } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

static inline void InitializeListHead(PLIST_ENTRY h) { h->Flink = h->Blink = h; }
static inline BOOLEAN IsListEmpty(const LIST_ENTRY *h) { return h->Flink == h; }
static inline void InsertTailList(PLIST_ENTRY h, PLIST_ENTRY e)
{
    e->Flink = h; e->Blink = h->Blink; h->Blink->Flink = e; h->Blink = e;
}
static inline void InsertHeadList(PLIST_ENTRY h, PLIST_ENTRY e)
{
    e->Blink = h; e->Flink = h->Flink; h->Flink->Blink = e; h->Flink = e;
}
static inline void RemoveEntryList(PLIST_ENTRY e)
{
    e->Blink->Flink = e->Flink; e->Flink->Blink = e->Blink;
}
static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY h)
{
    PLIST_ENTRY e = h->Flink;
    RemoveEntryList(e);
    return e;
}

#endif
