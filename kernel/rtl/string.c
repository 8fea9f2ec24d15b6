/* string.c - the few NUL-terminated string helpers the kernel needs. */
#include "rtl.h"

SIZE_T RtlStringLength(PCSTR S)
{
    SIZE_T n = 0;
    while (S[n]) n++;
    return n;
}

LONG RtlCompareStringN(PCSTR A, PCSTR B, SIZE_T N)
{
    for (SIZE_T i = 0; i < N; i++) {
        if (A[i] != B[i]) return (UCHAR)A[i] < (UCHAR)B[i] ? -1 : 1;
        if (A[i] == 0) return 0;
    }
    return 0;
}

VOID RtlStringCopy(PCHAR Dest, SIZE_T DestSize, PCSTR Src)
{
    SIZE_T i = 0;
    if (DestSize == 0) return;
    for (; i + 1 < DestSize && Src[i]; i++) Dest[i] = Src[i];
    Dest[i] = 0;
}

ULONG RtlStringToUlong(PCSTR S, ULONG Base, PCSTR *End)
{
    ULONG v = 0;
    if (Base == 0) {
        Base = 10;
        if (S[0] == '0' && (S[1] == 'x' || S[1] == 'X')) { Base = 16; S += 2; }
    }
    for (;; S++) {
        ULONG d;
        if (*S >= '0' && *S <= '9') d = (ULONG)(*S - '0');
        else if (*S >= 'a' && *S <= 'f') d = (ULONG)(*S - 'a' + 10);
        else if (*S >= 'A' && *S <= 'F') d = (ULONG)(*S - 'A' + 10);
        else break;
        if (d >= Base) break;
        v = v * Base + d;
    }
    if (End) *End = S;
    return v;
}
