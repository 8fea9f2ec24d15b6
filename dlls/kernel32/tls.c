/*
 * tls.c - dynamic thread-local storage: TlsAlloc hands out indexes from the PEB's TLS bitmap
 * (PEB.TlsBitmap over PEB.TlsBitmapBits, 64 slots), each thread's values live in its TEB's
 * TlsSlots. TlsFree clears the slot in every thread, as Windows does, so a reused index starts
 * at NULL; NanoNT does this for the calling thread and relies on new values being set before use
 * elsewhere (NT walks the thread list with NtSetInformationThread, which NanoNT lacks).
 */
#include "k32p.h"

#define BASE_TLS_SLOTS 64u
static RTL_BITMAP BaseTlsBitmap;

/* Called once at process start (DllMain): points the PEB at the bitmap over its own bits. */
VOID BaseInitializeTls(VOID)
{
    PPEB peb = NtCurrentPeb();
    if (peb->TlsBitmap != NULL) return;
    RtlInitializeBitMap(&BaseTlsBitmap, peb->TlsBitmapBits, BASE_TLS_SLOTS);
    peb->TlsBitmap = &BaseTlsBitmap;
}

DWORD WINAPI TlsAlloc(VOID)
{
    RtlAcquirePebLock();
    ULONG index = RtlFindClearBitsAndSet((PRTL_BITMAP)NtCurrentPeb()->TlsBitmap, 1, 0);
    RtlReleasePebLock();
    if (index == RTL_BITMAP_NOT_FOUND) { SetLastError(ERROR_NO_MORE_ITEMS); return TLS_OUT_OF_INDEXES; }
    NtCurrentTeb()->TlsSlots[index] = NULL;
    return index;
}

BOOL WINAPI TlsFree(DWORD dwTlsIndex)
{
    if (dwTlsIndex >= BASE_TLS_SLOTS) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    PRTL_BITMAP bitmap = NtCurrentPeb()->TlsBitmap;
    RtlAcquirePebLock();
    BOOL was = RtlTestBit(bitmap, dwTlsIndex);
    if (was) RtlClearBit(bitmap, dwTlsIndex);
    RtlReleasePebLock();
    if (!was) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    NtCurrentTeb()->TlsSlots[dwTlsIndex] = NULL;
    return TRUE;
}

LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex)
{
    if (dwTlsIndex >= BASE_TLS_SLOTS) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    /* Windows clears the last error on success so NULL values can be told from failures. */
    NtCurrentTeb()->LastErrorValue = ERROR_SUCCESS;
    return NtCurrentTeb()->TlsSlots[dwTlsIndex];
}

BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue)
{
    if (dwTlsIndex >= BASE_TLS_SLOTS) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    NtCurrentTeb()->TlsSlots[dwTlsIndex] = lpTlsValue;
    return TRUE;
}
