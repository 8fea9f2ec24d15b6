/*
 * ldrtls.c - static (implicit) TLS: the IMAGE_TLS_DIRECTORY of a module. Each module that has one
 * gets an index, written to its AddressOfIndex; every thread has TEB.ThreadLocalStoragePointer, an
 * array with one block per index, each a copy of the module's template (StartAddressOfRawData..
 * EndAddressOfRawData) followed by SizeOfZeroFill zero bytes. Compiled code reaches its variables
 * as fs:[0x2C][index] + offset.
 *
 * The modules of process start get indexes in load order before any thread runs. A module loaded
 * later (LdrLoadDll) gets a free index too, and every living thread a block for it: the loader
 * keeps a record of each thread's array, and when an array must grow, gives the thread a new one
 * and keeps the old until the thread exits (the thread may be reading it at that moment). At
 * unload, the index's blocks are freed and the index can be reused. Everything here runs under
 * the loader lock.
 */
#include "ldrp.h"

typedef struct _LDRP_TLS_ENTRY {
    PLDR_DATA_TABLE_ENTRY Module;       /* NULL: a free index */
    ULONG RawDataRva, RawDataSize, ZeroFill;
} LDRP_TLS_ENTRY, *PLDRP_TLS_ENTRY;

/* An array replaced while its thread may still read it: freed when that thread ends. */
typedef struct _LDRP_RETIRED_ARRAY {
    struct _LDRP_RETIRED_ARRAY *Next;
    PVOID *Array;
} LDRP_RETIRED_ARRAY, *PLDRP_RETIRED_ARRAY;

typedef struct _LDRP_THREAD_TLS {
    LIST_ENTRY Links;
    PTEB Teb;
    PVOID *Array;                       /* = Teb->ThreadLocalStoragePointer */
    ULONG Slots;                        /* entries of Array */
    PLDRP_RETIRED_ARRAY Retired;
} LDRP_THREAD_TLS, *PLDRP_THREAD_TLS;

static PLDRP_TLS_ENTRY LdrpTlsEntries;
static ULONG LdrpTlsSlots;              /* entries of LdrpTlsEntries: the highest index + 1 */
static LIST_ENTRY LdrpTlsThreads = { &LdrpTlsThreads, &LdrpTlsThreads };

static BOOLEAN LdrpReadTls(PLDR_DATA_TABLE_ENTRY Module, PRTL_IMAGE_TLS Tls)
{
    RTL_IMAGE_INFO info;
    return NT_SUCCESS(LdrpImageInfo(Module, &info)) && NT_SUCCESS(RtlImageTls(&info, Tls));
}

/* *AddressOfIndex = Index; the page may be read-only (.rdata), so it is made writable. */
static NTSTATUS LdrpWriteTlsIndex(PLDR_DATA_TABLE_ENTRY Module, ULONG IndexRva, ULONG Index)
{
    ULONG old;
    PUCHAR slot = (PUCHAR)Module->DllBase + IndexRva;
    NTSTATUS status = LdrpUnprotect(slot, sizeof(ULONG), &old);
    if (!NT_SUCCESS(status)) return status;
    RtlCopyMemory(slot, &Index, sizeof(Index));
    LdrpReprotect(slot, sizeof(ULONG), old);
    return STATUS_SUCCESS;
}

/* A new block for Index: the template, then zeros. */
static PVOID LdrpNewBlock(ULONG Index)
{
    PLDRP_TLS_ENTRY t = &LdrpTlsEntries[Index];
    PUCHAR block = LdrpAlloc(t->RawDataSize + t->ZeroFill + 1);   /* zeroed: the fill is done */
    if (block) RtlCopyMemory(block, (PUCHAR)t->Module->DllBase + t->RawDataRva, t->RawDataSize);
    return block;
}

/* Points Thread's TEB at its array. Another thread's TEB is written through the memory
 * manager, so a TEB that is gone (a thread ended without LdrShutdownThread) costs no fault. */
static VOID LdrpPublishArray(PLDRP_THREAD_TLS Thread)
{
    if (Thread->Teb == NtCurrentTeb()) {
        Thread->Teb->ThreadLocalStoragePointer = Thread->Array;
        return;
    }
    NtWriteVirtualMemory(NtCurrentProcess(), &Thread->Teb->ThreadLocalStoragePointer, &Thread->Array,
                         sizeof(Thread->Array), NULL);
}

/* Gives Thread a block for Index, growing its array to LdrpTlsSlots if needed. */
static NTSTATUS LdrpGiveBlock(PLDRP_THREAD_TLS Thread, ULONG Index)
{
    PVOID block = LdrpNewBlock(Index);
    if (block == NULL) return STATUS_NO_MEMORY;
    if (Index < Thread->Slots) {
        Thread->Array[Index] = block;
        return STATUS_SUCCESS;
    }
    PVOID *array = LdrpAlloc(LdrpTlsSlots * sizeof(PVOID));
    PLDRP_RETIRED_ARRAY retired = Thread->Array ? LdrpAlloc(sizeof(*retired)) : NULL;
    if (array == NULL || (Thread->Array && retired == NULL)) {
        LdrpFree(array);
        LdrpFree(block);
        return STATUS_NO_MEMORY;
    }
    if (Thread->Slots) RtlCopyMemory(array, Thread->Array, Thread->Slots * sizeof(PVOID));
    array[Index] = block;
    if (retired) {
        retired->Array = Thread->Array;
        retired->Next = Thread->Retired;
        Thread->Retired = retired;
    }
    Thread->Array = array;
    Thread->Slots = LdrpTlsSlots;
    LdrpPublishArray(Thread);
    return STATUS_SUCCESS;
}

/* A free index, the table grown by one if none is free. */
static NTSTATUS LdrpFindFreeIndex(PULONG Index)
{
    for (ULONG i = 0; i < LdrpTlsSlots; i++)
        if (LdrpTlsEntries[i].Module == NULL) {
            *Index = i;
            return STATUS_SUCCESS;
        }
    if (LdrpTlsSlots >= 0xFFFE) return STATUS_NO_MEMORY;          /* TlsIndex is a USHORT */
    PLDRP_TLS_ENTRY entries = LdrpAlloc((LdrpTlsSlots + 1) * sizeof(LDRP_TLS_ENTRY));
    if (entries == NULL) return STATUS_NO_MEMORY;
    if (LdrpTlsSlots) RtlCopyMemory(entries, LdrpTlsEntries, LdrpTlsSlots * sizeof(LDRP_TLS_ENTRY));
    LdrpFree(LdrpTlsEntries);
    LdrpTlsEntries = entries;
    *Index = LdrpTlsSlots++;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpAssignTls(PLDR_DATA_TABLE_ENTRY Module)
{
    RTL_IMAGE_TLS tls;
    ULONG index;
    if (!LdrpReadTls(Module, &tls)) return STATUS_SUCCESS;     /* no TLS directory */
    if (tls.Directory.SizeOfZeroFill > Module->SizeOfImage) return STATUS_INVALID_IMAGE_FORMAT;
    NTSTATUS status = LdrpFindFreeIndex(&index);
    if (NT_SUCCESS(status) && tls.IndexRva) status = LdrpWriteTlsIndex(Module, tls.IndexRva, index);
    if (!NT_SUCCESS(status)) return status;
    PLDRP_TLS_ENTRY t = &LdrpTlsEntries[index];
    t->Module = Module;
    t->RawDataRva = tls.RawDataRva;
    t->RawDataSize = tls.RawDataSize;
    t->ZeroFill = tls.Directory.SizeOfZeroFill;
    Module->TlsIndex = (USHORT)index;
    /* Threads already running (none at process start) get their block now. */
    for (PLIST_ENTRY e = LdrpTlsThreads.Flink; e != &LdrpTlsThreads && NT_SUCCESS(status); e = e->Flink)
        status = LdrpGiveBlock(CONTAINING_RECORD(e, LDRP_THREAD_TLS, Links), index);
    if (!NT_SUCCESS(status)) LdrpReleaseTls(Module);
    return status;
}

VOID LdrpReleaseTls(PLDR_DATA_TABLE_ENTRY Module)
{
    ULONG index = Module->TlsIndex;
    if (index == 0xFFFF || index >= LdrpTlsSlots) return;
    for (PLIST_ENTRY e = LdrpTlsThreads.Flink; e != &LdrpTlsThreads; e = e->Flink) {
        PLDRP_THREAD_TLS thread = CONTAINING_RECORD(e, LDRP_THREAD_TLS, Links);
        if (index >= thread->Slots) continue;
        PVOID block = thread->Array[index];
        thread->Array[index] = NULL;
        LdrpFree(block);
    }
    LdrpTlsEntries[index].Module = NULL;
    Module->TlsIndex = 0xFFFF;
}

NTSTATUS LdrpInitializeTls(VOID)
{
    PLIST_ENTRY head = &LdrpData.InLoadOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        NTSTATUS status = LdrpAssignTls(CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks));
        if (!NT_SUCCESS(status)) return status;
    }
    return STATUS_SUCCESS;
}

static VOID LdrpDestroyThreadRecord(PLDRP_THREAD_TLS Thread)
{
    RemoveEntryList(&Thread->Links);
    for (ULONG i = 0; i < Thread->Slots; i++) LdrpFree(Thread->Array[i]);
    LdrpFree(Thread->Array);
    while (Thread->Retired) {
        PLDRP_RETIRED_ARRAY next = Thread->Retired->Next;
        LdrpFree(Thread->Retired->Array);
        LdrpFree(Thread->Retired);
        Thread->Retired = next;
    }
    LdrpFree(Thread);
}

static PLDRP_THREAD_TLS LdrpFindThreadRecord(PTEB Teb)
{
    for (PLIST_ENTRY e = LdrpTlsThreads.Flink; e != &LdrpTlsThreads; e = e->Flink) {
        PLDRP_THREAD_TLS thread = CONTAINING_RECORD(e, LDRP_THREAD_TLS, Links);
        if (thread->Teb == Teb) return thread;
    }
    return NULL;
}

NTSTATUS LdrpAllocateTls(VOID)
{
    PTEB teb = NtCurrentTeb();
    PLDRP_THREAD_TLS stale = LdrpFindThreadRecord(teb);
    /* A record for this TEB is left by a thread that ended without LdrShutdownThread. */
    if (stale) LdrpDestroyThreadRecord(stale);
    PLDRP_THREAD_TLS thread = LdrpAlloc(sizeof(*thread));
    if (thread == NULL) return STATUS_NO_MEMORY;
    thread->Teb = teb;
    if (LdrpTlsSlots) {
        thread->Array = LdrpAlloc(LdrpTlsSlots * sizeof(PVOID));
        if (thread->Array == NULL) {
            LdrpFree(thread);
            return STATUS_NO_MEMORY;
        }
        thread->Slots = LdrpTlsSlots;
    }
    InsertTailList(&LdrpTlsThreads, &thread->Links);
    for (ULONG i = 0; i < LdrpTlsSlots; i++) {
        if (LdrpTlsEntries[i].Module == NULL) continue;
        thread->Array[i] = LdrpNewBlock(i);
        if (thread->Array[i] == NULL) {
            LdrpDestroyThreadRecord(thread);
            return STATUS_NO_MEMORY;
        }
    }
    teb->ThreadLocalStoragePointer = thread->Array;
    return STATUS_SUCCESS;
}

VOID LdrpFreeTls(VOID)
{
    PTEB teb = NtCurrentTeb();
    PLDRP_THREAD_TLS thread = LdrpFindThreadRecord(teb);
    teb->ThreadLocalStoragePointer = NULL;
    if (thread) LdrpDestroyThreadRecord(thread);
}
