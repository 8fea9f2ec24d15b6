/*
 * ldrapi.c - the loader's run-time interface: LdrLoadDll, LdrUnloadDll, LdrGetDllHandle,
 * LdrGetProcedureAddress, LdrFindEntryForAddress, LdrDisableThreadCalloutsForDll. Each checks what the caller passed, then works under the loader lock
 * (PEB.LoaderLock, recursive: a DllMain may call back in).
 */
#include "ldrp.h"

#define LDRP_MAX_EXPORT_NAME 512u

static BOOLEAN LdrpIsValidName(PCUNICODE_STRING Name)
{
    return Name && Name->Length && Name->Buffer && !(Name->Length & 1) &&
           Name->Length <= Name->MaximumLength && Name->Length / sizeof(WCHAR) < LDRP_MAX_PATH_CHARS;
}

/* Modules a load just added (imports, forwarder targets) get DLL_PROCESS_ATTACH; if one refuses,
 * Module's load is undone (Module NULL: nothing to undo). */
static NTSTATUS LdrpInitializeNewModules(PLDR_DATA_TABLE_ENTRY Module)
{
    PLDR_DATA_TABLE_ENTRY failed = NULL;
    if (!LdrpData.Initialized) return STATUS_SUCCESS;   /* process start runs them itself */
    NTSTATUS status = LdrpRunInitializers(NULL, &failed);
    if (!NT_SUCCESS(status) && Module) LdrpDereference(Module);
    return status;
}

NTSTATUS NTAPI LdrLoadDll(PWSTR SearchPath, PULONG Flags, PUNICODE_STRING DllName, PVOID *BaseAddress)
{
    PLDR_DATA_TABLE_ENTRY m;
    if (!LdrpIsValidName(DllName)) return STATUS_INVALID_PARAMETER;
    if (BaseAddress == NULL) return STATUS_INVALID_PARAMETER;
    *BaseAddress = NULL;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    NTSTATUS status = LdrpLoadModule(SearchPath, DllName, &m);
    if (NT_SUCCESS(status)) status = LdrpInitializeNewModules(m);
    if (NT_SUCCESS(status)) *BaseAddress = m->DllBase;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return status;
}

NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress)
{
    NTSTATUS status = STATUS_SUCCESS;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLDR_DATA_TABLE_ENTRY m = BaseAddress ? LdrpFindByBase(BaseAddress) : NULL;
    if (m == NULL || (m->Flags & LDRP_UNLOAD_IN_PROGRESS)) status = STATUS_DLL_NOT_FOUND;
    else LdrpDereference(m);
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return status;
}

NTSTATUS NTAPI LdrGetDllHandle(PWSTR Path, PULONG Characteristics, PUNICODE_STRING DllName, PVOID *DllHandle)
{
    WCHAR buffer[LDRP_MAX_NAME_CHARS];
    UNICODE_STRING base;
    if (!LdrpIsValidName(DllName) || DllHandle == NULL) return STATUS_INVALID_PARAMETER;
    *DllHandle = NULL;
    if (!LdrpMakeBaseName(DllName, &base, buffer, ARRAYSIZE(buffer))) return STATUS_DLL_NOT_FOUND;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLDR_DATA_TABLE_ENTRY m = LdrpFindByBaseName(&base);
    if (m && !(m->Flags & LDRP_UNLOAD_IN_PROGRESS)) *DllHandle = m->DllBase;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return *DllHandle ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal, PVOID *ProcedureAddress)
{
    CHAR name[LDRP_MAX_EXPORT_NAME];
    if (ProcedureAddress == NULL) return STATUS_INVALID_PARAMETER;
    *ProcedureAddress = NULL;
    if (Name) {
        /* An ANSI_STRING need not be NUL-terminated: the lookup gets a terminated copy. */
        if (Name->Length == 0 || Name->Buffer == NULL || Name->Length >= sizeof(name))
            return STATUS_INVALID_PARAMETER;
        RtlCopyMemory(name, Name->Buffer, Name->Length);
        name[Name->Length] = 0;
        if (RtlStringLength(name) != Name->Length) return STATUS_PROCEDURE_NOT_FOUND;
    } else if (Ordinal == 0 || Ordinal > 0xFFFF) {
        return STATUS_ORDINAL_NOT_FOUND;
    }
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PVOID address = NULL;
    NTSTATUS status = STATUS_DLL_NOT_FOUND;
    PLDR_DATA_TABLE_ENTRY m = LdrpFindByBase(BaseAddress);
    if (m) status = LdrpGetProcedure(m, Name ? name : NULL, 0, Ordinal, &address, 0);
    if (NT_SUCCESS(status)) status = LdrpInitializeNewModules(NULL);   /* forwarders' targets */
    if (NT_SUCCESS(status)) *ProcedureAddress = address;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return status;
}

NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *TableEntry)
{
    NTSTATUS status = STATUS_NO_MORE_ENTRIES;
    if (TableEntry == NULL) return STATUS_INVALID_PARAMETER;
    *TableEntry = NULL;
    if (NtCurrentPeb()->Ldr == NULL) return status;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLIST_ENTRY head = &LdrpData.InLoadOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if ((ULONG_PTR)Address - (ULONG_PTR)m->DllBase < m->SizeOfImage) {
            *TableEntry = m;
            status = STATUS_SUCCESS;
            break;
        }
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return status;
}

NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLDR_DATA_TABLE_ENTRY m = LdrpFindByBase(BaseAddress);
    if (m) m->Flags |= LDRP_DONT_CALL_FOR_THREADS;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}
