/*
 * sysinfo.c - system facts a program asks for: the 64-bit tick count, the native system
 * information (x86 on x86: the same as GetSystemInfo), processor features (CPUID, executed here in
 * user mode, so the answer is the CPU the program really runs on) and the computer name (fixed:
 * NanoNT has no registry to keep another).
 */
#include "k32p.h"

#define BASE_SHARED_DATA 0x7FFE0000u
#define BASE_COMPUTER_NAME u"NANONT"
#define BASE_COMPUTER_NAME_CHARS 6u

ULONGLONG WINAPI GetTickCount64(VOID)
{
    volatile ULONG *shared = (volatile ULONG *)BASE_SHARED_DATA;
    /* The clock GetTickCount reads (TickCountLowDeprecated times TickCountMultiplier, in 2^-24 ms),
     * without truncating to 32 bits. */
    return ((ULONGLONG)shared[0] * shared[1]) >> 24;
}

VOID WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo) { GetSystemInfo(lpSystemInfo); }

static VOID BaseCpuid(ULONG Leaf, ULONG *Ecx, ULONG *Edx)
{
    ULONG a = Leaf, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    (void)b;
    *Ecx = c;
    *Edx = d;
}

BOOL WINAPI IsProcessorFeaturePresent(DWORD ProcessorFeature)
{
    ULONG ecx, edx;
    BaseCpuid(1, &ecx, &edx);   /* every CPU NanoNT boots on (i586+) has CPUID leaf 1 */
    switch (ProcessorFeature) {
    case PF_COMPARE_EXCHANGE_DOUBLE: return (edx >> 8) & 1;        /* CX8 */
    case PF_MMX_INSTRUCTIONS_AVAILABLE: return (edx >> 23) & 1;
    case PF_XMMI_INSTRUCTIONS_AVAILABLE: return (edx >> 25) & 1;   /* SSE */
    case PF_RDTSC_INSTRUCTION_AVAILABLE: return (edx >> 4) & 1;    /* TSC */
    case PF_XMMI64_INSTRUCTIONS_AVAILABLE: return (edx >> 26) & 1; /* SSE2 */
    case PF_SSE3_INSTRUCTIONS_AVAILABLE: return ecx & 1;
    default: return FALSE;   /* no FP errata, no FP emulation, no NX (no PAE paging), the rest unknown */
    }
}

BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize)
{
    if (nSize == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (lpBuffer == NULL || *nSize <= BASE_COMPUTER_NAME_CHARS) {
        /* Windows says how much it needs, NUL included. */
        *nSize = BASE_COMPUTER_NAME_CHARS + 1;
        SetLastError(ERROR_BUFFER_OVERFLOW);
        return FALSE;
    }
    RtlCopyMemory(lpBuffer, BASE_COMPUTER_NAME, (BASE_COMPUTER_NAME_CHARS + 1) * sizeof(WCHAR));
    *nSize = BASE_COMPUTER_NAME_CHARS;
    return TRUE;
}

BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize)
{
    WCHAR wide[BASE_COMPUTER_NAME_CHARS + 1];
    DWORD chars = BASE_COMPUTER_NAME_CHARS + 1;
    if (nSize == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (lpBuffer == NULL || *nSize <= BASE_COMPUTER_NAME_CHARS) {
        *nSize = BASE_COMPUTER_NAME_CHARS + 1;
        SetLastError(ERROR_BUFFER_OVERFLOW);
        return FALSE;
    }
    GetComputerNameW(wide, &chars);
    *nSize = BaseUnicodeToAnsiN(wide, chars, lpBuffer, *nSize);
    return TRUE;
}
