/*
 * ldrcall.c - calling into modules: DllMain (the image entry point of a DLL) and the TLS
 * callbacks of a module's TLS directory, for process and thread attach and detach. Order: at
 * attach, the initialization order list front to back (dependencies first), a module's TLS
 * callbacks before its DllMain, the EXE's TLS callbacks last; at detach the reverse.
 */
#include "ldrp.h"

BOOLEAN LdrpCallInitRoutine(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason, PVOID Context)
{
    if (Module->EntryPoint == NULL || !(Module->Flags & LDRP_IMAGE_DLL)) return TRUE;
    PDLL_INIT_ROUTINE init = (PDLL_INIT_ROUTINE)Module->EntryPoint;
    /* BOOLEAN: only AL counts, whether the DLL declared BOOL or BOOLEAN (as on NT). */
    return init(Module->DllBase, Reason, Context) != 0;
}

VOID LdrpCallTlsCallbacks(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason)
{
    RTL_IMAGE_INFO info;
    RTL_IMAGE_TLS tls;
    ULONG rva;
    if (Module->TlsIndex == 0xFFFF) return;        /* no TLS directory (or TLS not set up) */
    if (!NT_SUCCESS(LdrpImageInfo(Module, &info)) || !NT_SUCCESS(RtlImageTls(&info, &tls))) return;
    /* Re-read each time: a callback may add the next one (the array is the image's own). */
    for (ULONG i = 0; NT_SUCCESS(RtlImageTlsCallback(&info, &tls, i, &rva)); i++) {
        PIMAGE_TLS_CALLBACK callback = (PIMAGE_TLS_CALLBACK)((PUCHAR)Module->DllBase + rva);
        callback(Module->DllBase, Reason, NULL);
    }
}

/* The first module on the initialization order list not yet processed, or NULL. */
static PLDR_DATA_TABLE_ENTRY LdrpNextToInitialize(VOID)
{
    PLIST_ENTRY head = &LdrpData.InInitializationOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (!(m->Flags & LDRP_ENTRY_PROCESSED)) return m;
    }
    return NULL;
}

NTSTATUS LdrpRunInitializers(PVOID Context, PLDR_DATA_TABLE_ENTRY *Failed)
{
    PLDR_DATA_TABLE_ENTRY m;
    /* Rescanned from the head after every call: a DllMain may load or unload modules. */
    while ((m = LdrpNextToInitialize()) != NULL) {
        m->Flags |= LDRP_ENTRY_PROCESSED;
        LdrpCallTlsCallbacks(m, DLL_PROCESS_ATTACH);
        if (!LdrpCallInitRoutine(m, DLL_PROCESS_ATTACH, Context)) {
            CHAR name[LDRP_MAX_NAME_CHARS];
            DbgPrint("LDR: %s: DllMain failed DLL_PROCESS_ATTACH\n",
                     LdrpPrintable(&m->FullDllName, name, sizeof(name)));
            *Failed = m;
            return STATUS_DLL_INIT_FAILED;
        }
        m->Flags |= LDRP_PROCESS_ATTACH_CALLED;
    }
    return STATUS_SUCCESS;
}

static BOOLEAN LdrpWantsThreadCalls(PLDR_DATA_TABLE_ENTRY Module)
{
    return (Module->Flags & LDRP_PROCESS_ATTACH_CALLED) && !(Module->Flags & LDRP_DONT_CALL_FOR_THREADS);
}

VOID LdrpThreadAttach(VOID)
{
    PLIST_ENTRY head = &LdrpData.InInitializationOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (!LdrpWantsThreadCalls(m)) continue;
        LdrpCallTlsCallbacks(m, DLL_THREAD_ATTACH);
        LdrpCallInitRoutine(m, DLL_THREAD_ATTACH, NULL);
    }
    if (LdrpImageEntry) LdrpCallTlsCallbacks(LdrpImageEntry, DLL_THREAD_ATTACH);
}

VOID LdrpThreadDetach(VOID)
{
    if (LdrpImageEntry) LdrpCallTlsCallbacks(LdrpImageEntry, DLL_THREAD_DETACH);
    PLIST_ENTRY head = &LdrpData.InInitializationOrderModuleList;
    for (PLIST_ENTRY e = head->Blink; e != head; e = e->Blink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (!LdrpWantsThreadCalls(m)) continue;
        LdrpCallTlsCallbacks(m, DLL_THREAD_DETACH);
        LdrpCallInitRoutine(m, DLL_THREAD_DETACH, NULL);
    }
}
