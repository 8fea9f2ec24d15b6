/*
 * ldrload.c - loading a module graph and reference counting. A module is loaded once: later
 * loads of the same base name (case-insensitive) only raise its LoadCount. A new module is
 * mapped, put on the load and memory order lists, its imports bound (each imported DLL loaded in
 * turn, depth first), and only then put on the initialization order list - so a DLL's
 * dependencies come before it there, the order DllMain runs in. Each module remembers the
 * modules it holds a reference on; when its own count reaches zero it is detached, drops those
 * references, and is unmapped.
 */
#include "ldrp.h"

BOOLEAN LdrpHasDependency(PLDR_DATA_TABLE_ENTRY From, PLDR_DATA_TABLE_ENTRY To)
{
    for (PLDRP_DEPENDENCY d = From->Dependencies; d; d = d->Next)
        if (d->Module == To) return TRUE;
    return FALSE;
}

NTSTATUS LdrpAddDependency(PLDR_DATA_TABLE_ENTRY From, PLDR_DATA_TABLE_ENTRY To)
{
    PLDRP_DEPENDENCY d = LdrpAlloc(sizeof(*d));
    if (d == NULL) return STATUS_NO_MEMORY;
    d->Module = To;
    d->Next = From->Dependencies;
    From->Dependencies = d;
    return STATUS_SUCCESS;
}

/* A module found already loaded: one more reference (pinned ones are never counted). */
static VOID LdrpReference(PLDR_DATA_TABLE_ENTRY Module)
{
    if (Module->LoadCount < LDRP_PINNED_LOAD_COUNT - 1) Module->LoadCount++;   /* saturates below pinned */
}

/* A freshly mapped image: its entry, on the lists, imports bound. */
static NTSTATUS LdrpAddModule(PVOID Base, const RTL_IMAGE_INFO *Info, BOOLEAN Relocated, PCUNICODE_STRING DosPath,
                              PLDR_DATA_TABLE_ENTRY *Module)
{
    NTSTATUS status;
    PLDR_DATA_TABLE_ENTRY m = LdrpCreateEntry(Base, Info, DosPath);
    if (m == NULL) {
        NtUnmapViewOfSection(NtCurrentProcess(), Base);
        return STATUS_NO_MEMORY;
    }
    if (LdrpInProcessInit) m->Flags |= LDRP_STATIC_LINK;
    if (Relocated) m->Flags |= LDRP_IMAGE_NOT_AT_BASE;
    m->Flags |= LDRP_LOAD_IN_PROGRESS;
    LdrpInsertEntry(m);
    status = LdrpBindImports(m);
    /* At process start every static module's TLS is set up at once, once all are mapped. */
    if (NT_SUCCESS(status) && !LdrpInProcessInit) status = LdrpAssignTls(m);
    m->Flags &= ~LDRP_LOAD_IN_PROGRESS;
    if (!NT_SUCCESS(status)) {
        LdrpDereference(m);                        /* unmaps it and releases what it bound */
        return status;
    }
    InsertTailList(&LdrpData.InInitializationOrderModuleList, &m->InInitializationOrderLinks);
    *Module = m;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpLoadModule(PCWSTR SearchPath, PCUNICODE_STRING Name, PLDR_DATA_TABLE_ENTRY *Module)
{
    WCHAR baseBuffer[LDRP_MAX_NAME_CHARS], pathBuffer[LDRP_MAX_PATH_CHARS];
    UNICODE_STRING baseName, dosPath = { 0, sizeof(pathBuffer), pathBuffer };
    PVOID base;
    SIZE_T viewSize;
    RTL_IMAGE_INFO info;
    if (!LdrpMakeBaseName(Name, &baseName, baseBuffer, ARRAYSIZE(baseBuffer))) return STATUS_DLL_NOT_FOUND;
    PLDR_DATA_TABLE_ENTRY m = LdrpFindByBaseName(&baseName);
    if (m) {
        LdrpReference(m);
        *Module = m;
        return STATUS_SUCCESS;
    }
    NTSTATUS status = LdrpMapDll(SearchPath, Name, &base, &viewSize, &dosPath, &info);
    if (!NT_SUCCESS(status)) return status;
    return LdrpAddModule(base, &info, status == STATUS_IMAGE_NOT_AT_BASE, &dosPath, Module);
}

/* DLL_PROCESS_DETACH for a module going away (only if it was attached, and not during process
 * exit, which detaches everything itself). */
static VOID LdrpDetach(PLDR_DATA_TABLE_ENTRY Module)
{
    if (!(Module->Flags & LDRP_PROCESS_ATTACH_CALLED) || LdrpShutdownInProgress) return;
    Module->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
    LdrpCallTlsCallbacks(Module, DLL_PROCESS_DETACH);
    LdrpCallInitRoutine(Module, DLL_PROCESS_DETACH, NULL);
}

VOID LdrpDereference(PLDR_DATA_TABLE_ENTRY Module)
{
    if (Module->LoadCount == LDRP_PINNED_LOAD_COUNT || Module->LoadCount == 0) return;
    if (--Module->LoadCount != 0) return;
    Module->Flags |= LDRP_UNLOAD_IN_PROGRESS;
    /* The module first (its DllMain may still use its dependencies), then what it held. */
    LdrpDetach(Module);
    LdrpReleaseTls(Module);
    for (PLDRP_DEPENDENCY d = Module->Dependencies; d; d = d->Next) LdrpDereference(d->Module);
    LdrpRemoveEntry(Module);
    NtUnmapViewOfSection(NtCurrentProcess(), Module->DllBase);
    LdrpFreeEntry(Module);
}
