/*
 * except_vectored.c - vectored exception handlers: a process-wide list, consulted before any SEH
 * frame (RtlDispatchException). The list lock is a critical section, so a handler may itself
 * fault (the same thread re-enters) or add and remove handlers; an entry removed while a dispatch
 * is walking the list is only marked, and freed when no dispatch is running any more.
 */
#include "ntndk.h"

typedef struct _RTLP_VECTORED_HANDLER {
    LIST_ENTRY Links;
    PVECTORED_EXCEPTION_HANDLER Handler;
    BOOLEAN Removed;
} RTLP_VECTORED_HANDLER, *PRTLP_VECTORED_HANDLER;

static RTL_CRITICAL_SECTION RtlpVehLock = RTL_CRITICAL_SECTION_INIT;
static LIST_ENTRY RtlpVehList = { &RtlpVehList, &RtlpVehList };
static ULONG RtlpVehWalkers;              /* dispatches walking the list now (lock held) */
static BOOLEAN RtlpVehHasRemoved;         /* some entry is marked and waits to be freed */

PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler)
{
    PRTLP_VECTORED_HANDLER entry = RtlAllocateHeap(RtlProcessHeap(), 0, sizeof(*entry));
    if (entry == NULL) return NULL;
    entry->Handler = Handler;
    entry->Removed = FALSE;
    RtlEnterCriticalSection(&RtlpVehLock);
    if (First) InsertHeadList(&RtlpVehList, &entry->Links);
    else InsertTailList(&RtlpVehList, &entry->Links);
    RtlLeaveCriticalSection(&RtlpVehLock);
    return entry;
}

/* Frees the marked entries; only when no walk is in progress (lock held). */
static VOID RtlpVehSweep(VOID)
{
    PLIST_ENTRY e = RtlpVehList.Flink;
    while (e != &RtlpVehList) {
        PRTLP_VECTORED_HANDLER entry = CONTAINING_RECORD(e, RTLP_VECTORED_HANDLER, Links);
        e = e->Flink;
        if (entry->Removed) {
            RemoveEntryList(&entry->Links);
            RtlFreeHeap(RtlProcessHeap(), 0, entry);
        }
    }
    RtlpVehHasRemoved = FALSE;
}

ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle)
{
    ULONG found = 0;
    RtlEnterCriticalSection(&RtlpVehLock);
    for (PLIST_ENTRY e = RtlpVehList.Flink; e != &RtlpVehList; e = e->Flink) {
        PRTLP_VECTORED_HANDLER entry = CONTAINING_RECORD(e, RTLP_VECTORED_HANDLER, Links);
        if (entry != Handle || entry->Removed) continue;
        entry->Removed = TRUE;
        RtlpVehHasRemoved = TRUE;
        found = 1;
        break;
    }
    if (RtlpVehHasRemoved && RtlpVehWalkers == 0) RtlpVehSweep();
    RtlLeaveCriticalSection(&RtlpVehLock);
    return found;
}

BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context)
{
    /* Nothing registered: skip the lock (it may not be usable yet this early in a process). */
    if (IsListEmpty(&RtlpVehList)) return FALSE;
    EXCEPTION_POINTERS pointers = { ExceptionRecord, Context };
    BOOLEAN handled = FALSE;
    RtlEnterCriticalSection(&RtlpVehLock);
    RtlpVehWalkers++;
    for (PLIST_ENTRY e = RtlpVehList.Flink; e != &RtlpVehList && !handled; e = e->Flink) {
        PRTLP_VECTORED_HANDLER entry = CONTAINING_RECORD(e, RTLP_VECTORED_HANDLER, Links);
        if (!entry->Removed && entry->Handler(&pointers) == EXCEPTION_CONTINUE_EXECUTION) handled = TRUE;
    }
    if (--RtlpVehWalkers == 0 && RtlpVehHasRemoved) RtlpVehSweep();
    RtlLeaveCriticalSection(&RtlpVehLock);
    return handled;
}
