/*
 * module.c - modules: GetModuleHandle, GetModuleFileName, LoadLibrary(Ex), FreeLibrary,
 * GetProcAddress, DisableThreadLibraryCalls, all over ntdll's loader (Ldr*), which keeps the
 * module list in PEB.Ldr.
 */
#include "k32p.h"

HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName)
{
    if (lpModuleName == NULL) return NtCurrentPeb()->ImageBaseAddress;
    UNICODE_STRING name;
    PVOID base = NULL;
    RtlInitUnicodeString(&name, lpModuleName);
    NTSTATUS status = LdrGetDllHandle(NULL, NULL, &name, &base);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return base;
}

HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName)
{
    if (lpModuleName == NULL) return NtCurrentPeb()->ImageBaseAddress;
    UNICODE_STRING name;
    if (!BaseAnsiToUnicode(lpModuleName, &name)) return NULL;
    HMODULE module = GetModuleHandleW(name.Buffer);
    RtlFreeUnicodeString(&name);
    return module;
}

/* The loader entry of a module (NULL: the EXE), or NULL. */
static PLDR_DATA_TABLE_ENTRY BaseFindModule(HMODULE Module)
{
    PVOID base = Module ? (PVOID)Module : NtCurrentPeb()->ImageBaseAddress;
    PPEB_LDR_DATA ldr = NtCurrentPeb()->Ldr;
    for (PLIST_ENTRY e = ldr->InLoadOrderModuleList.Flink; e != &ldr->InLoadOrderModuleList; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY entry = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if (entry->DllBase == base) return entry;
    }
    return NULL;
}

/* The full DOS path of a module, truncated to nSize characters with a NUL when it does not fit
 * (then nSize is returned and the error is ERROR_INSUFFICIENT_BUFFER, as Windows XP SP3+). */
DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize)
{
    WCHAR path[MAX_PATH];
    DWORD len = 0;
    if (lpFilename == NULL && nSize != 0) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    /* Copied under the loader lock, so an unload cannot free the entry midway. */
    PRTL_CRITICAL_SECTION lock = NtCurrentPeb()->LoaderLock;
    if (lock) RtlEnterCriticalSection(lock);
    PLDR_DATA_TABLE_ENTRY entry = BaseFindModule(hModule);
    if (entry != NULL) {
        len = entry->FullDllName.Length / sizeof(WCHAR);
        if (len >= MAX_PATH) len = MAX_PATH - 1;
        RtlCopyMemory(path, entry->FullDllName.Buffer, len * sizeof(WCHAR));
    }
    if (lock) RtlLeaveCriticalSection(lock);
    if (entry == NULL) { SetLastError(ERROR_MOD_NOT_FOUND); return 0; }
    if (nSize == 0) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
    if (len >= nSize) {
        RtlCopyMemory(lpFilename, path, (nSize - 1) * sizeof(WCHAR));
        lpFilename[nSize - 1] = 0;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return nSize;
    }
    RtlCopyMemory(lpFilename, path, len * sizeof(WCHAR));
    lpFilename[len] = 0;
    return len;
}

DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize)
{
    WCHAR path[MAX_PATH];
    if (lpFilename == NULL && nSize != 0) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    DWORD len = GetModuleFileNameW(hModule, path, MAX_PATH);
    if (len == 0) return 0;
    if (nSize == 0) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
    if (len >= nSize) {
        BaseUnicodeToAnsiN(path, nSize - 1, lpFilename, nSize);
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return nSize;
    }
    return BaseUnicodeToAnsiN(path, len, lpFilename, nSize);
}

HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    if (lpLibFileName == NULL || hFile != NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    UNICODE_STRING name;
    PVOID base = NULL;
    RtlInitUnicodeString(&name, lpLibFileName);
    NTSTATUS status = LdrLoadDll(NULL, NULL, &name, &base);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return base;
}

HMODULE WINAPI LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    if (lpLibFileName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    UNICODE_STRING name;
    if (!BaseAnsiToUnicode(lpLibFileName, &name)) return NULL;
    HMODULE module = LoadLibraryExW(name.Buffer, hFile, dwFlags);
    RtlFreeUnicodeString(&name);
    return module;
}

HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName) { return LoadLibraryExW(lpLibFileName, NULL, 0); }
HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName) { return LoadLibraryExA(lpLibFileName, NULL, 0); }

BOOL WINAPI FreeLibrary(HMODULE hLibModule)
{
    NTSTATUS status = LdrUnloadDll(hLibModule);
    return BaseNtSuccess(status);
}

FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    PVOID base = hModule ? (PVOID)hModule : NtCurrentPeb()->ImageBaseAddress;
    PVOID proc = NULL;
    NTSTATUS status;
    /* A "name" below 64 KiB is an ordinal (MAKEINTRESOURCE style). */
    if ((ULONG_PTR)lpProcName >> 16 == 0) {
        status = LdrGetProcedureAddress(base, NULL, (ULONG)(ULONG_PTR)lpProcName, &proc);
    } else {
        ANSI_STRING name;
        RtlInitAnsiString(&name, lpProcName);
        status = LdrGetProcedureAddress(base, &name, 0, &proc);
    }
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return (FARPROC)proc;
}

BOOL WINAPI DisableThreadLibraryCalls(HMODULE hLibModule)
{
    NTSTATUS status = LdrDisableThreadCalloutsForDll(hLibModule);
    return BaseNtSuccess(status);
}
