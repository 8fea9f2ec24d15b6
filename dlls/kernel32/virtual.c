/*
 * virtual.c - VirtualAlloc/Free/Protect/Query: the Win32 face of the Mm services on the current
 * process's address space.
 */
#include "k32p.h"

LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect)
{
    PVOID base = lpAddress;
    SIZE_T size = dwSize;
    if (dwSize == 0) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    NTSTATUS status = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, flAllocationType, flProtect);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return base;
}

BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    /* MEM_RELEASE frees the whole reservation: a size is a caller error. */
    if ((dwFreeType & MEM_RELEASE) && dwSize != 0) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    PVOID base = lpAddress;
    SIZE_T size = dwSize;
    NTSTATUS status = NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, dwFreeType);
    return BaseNtSuccess(status);
}

BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect, PDWORD lpflOldProtect)
{
    if (lpflOldProtect == NULL) { SetLastError(ERROR_NOACCESS); return FALSE; }
    PVOID base = lpAddress;
    SIZE_T size = dwSize;
    ULONG old = 0;
    NTSTATUS status = NtProtectVirtualMemory(NtCurrentProcess(), &base, &size, flNewProtect, &old);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    *lpflOldProtect = old;
    return TRUE;
}

SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength)
{
    SIZE_T got = 0;
    NTSTATUS status = NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)lpAddress, MemoryBasicInformation,
                                           lpBuffer, dwLength, &got);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return 0; }
    return got;
}
