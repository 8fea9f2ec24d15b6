/* rtl.h - run-time library routines the kernel uses: memory, strings, formatting, CRC. */
#ifndef RTL_H
#define RTL_H

#include "ntdef.h"

typedef __builtin_va_list va_list;
#define va_start(v, l) __builtin_va_start(v, l)
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, t) __builtin_va_arg(v, t)

#define RtlCopyMemory(d, s, n) __builtin_memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n) __builtin_memmove((d), (s), (n))
#define RtlFillMemory(d, n, c) __builtin_memset((d), (c), (n))
#define RtlZeroMemory(d, n) __builtin_memset((d), 0, (n))
SIZE_T RtlCompareMemory(const void *A, const void *B, SIZE_T Length);

SIZE_T RtlStringLength(PCSTR S);
LONG RtlCompareStringN(PCSTR A, PCSTR B, SIZE_T N);
VOID RtlStringCopy(PCHAR Dest, SIZE_T DestSize, PCSTR Src);
ULONG RtlStringToUlong(PCSTR S, ULONG Base, PCSTR *End);

/* printf-style formatting: %d %i %u %x %X %p %s %c %%, with width, '0' and '-' flags, 'l'/'ll'. */
LONG RtlFormatV(PCHAR Buffer, SIZE_T Size, PCSTR Format, va_list Args);
LONG RtlFormat(PCHAR Buffer, SIZE_T Size, PCSTR Format, ...) __attribute__((format(printf, 3, 4)));

ULONG RtlComputeCrc32(ULONG InitialCrc, const void *Buffer, SIZE_T Length);

#endif
