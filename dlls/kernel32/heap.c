/*
 * heap.c - the Heap* functions over ntdll's Rtl heaps, and the Local/Global allocators, which
 * here hand out fixed blocks of the process heap (a handle is the block's address, as for
 * LMEM_FIXED on Windows; LMEM_MOVEABLE is honoured as fixed).
 */
#include "k32p.h"

HANDLE WINAPI GetProcessHeap(VOID) { return RtlProcessHeap(); }

HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize)
{
    /* A maximum of 0 means "growable"; otherwise the heap is reserved at that size. */
    ULONG flags = (flOptions & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS)) |
                  (dwMaximumSize == 0 ? HEAP_GROWABLE : 0);
    if (dwMaximumSize != 0 && dwInitialSize > dwMaximumSize) dwMaximumSize = dwInitialSize;
    HANDLE heap = RtlCreateHeap(flags, NULL, dwMaximumSize, dwInitialSize, NULL, NULL);
    if (heap == NULL) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return heap;
}

BOOL WINAPI HeapDestroy(HANDLE hHeap)
{
    if (hHeap == NULL || hHeap == RtlProcessHeap()) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    if (RtlDestroyHeap(hHeap) != NULL) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    return TRUE;
}

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    return RtlAllocateHeap(hHeap, dwFlags, dwBytes);
}

LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    if (lpMem == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    LPVOID p = RtlReAllocateHeap(hHeap, dwFlags, lpMem, dwBytes);
    if (p == NULL) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    if (lpMem == NULL) return TRUE;
    if (!RtlFreeHeap(hHeap, dwFlags, lpMem)) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    return TRUE;
}

SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    SIZE_T size = RtlSizeHeap(hHeap, dwFlags, (PVOID)lpMem);
    if (size == (SIZE_T)-1) SetLastError(ERROR_INVALID_PARAMETER);
    return size;
}

BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    return RtlValidateHeap(hHeap, dwFlags, (PVOID)lpMem);
}

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    HLOCAL p = RtlAllocateHeap(RtlProcessHeap(), (uFlags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0,
                               uBytes ? uBytes : 1);
    if (p == NULL) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    if (hMem == NULL) return NULL;
    if (!RtlFreeHeap(RtlProcessHeap(), 0, hMem)) { SetLastError(ERROR_INVALID_HANDLE); return hMem; }
    return NULL;
}

HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags)
{
    /* Fixed blocks may only move when the caller allows it (LMEM_MOVEABLE). */
    ULONG flags = ((uFlags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0) |
                  ((uFlags & LMEM_MOVEABLE) ? 0 : HEAP_REALLOC_IN_PLACE_ONLY);
    HLOCAL p = RtlReAllocateHeap(RtlProcessHeap(), flags, hMem, uBytes ? uBytes : 1);
    if (p == NULL) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes) { return LocalAlloc(uFlags, dwBytes); }
HGLOBAL WINAPI GlobalFree(HGLOBAL hMem) { return LocalFree(hMem); }
