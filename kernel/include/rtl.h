/* rtl.h - run-time library routines the kernel uses: memory, strings, formatting, CRC. */
#ifndef RTL_H
#define RTL_H

#include "ntdef.h"

typedef __builtin_va_list va_list;
#define va_start(v, l) __builtin_va_start(v, l)
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, t) __builtin_va_arg(v, t)

/* The C library's four (memory.c); GCC calls them even in freestanding code. ntdll exports them,
 * as NT's does. */
#ifndef NT_HOST
NTSYSAPI void *memcpy(void *d, const void *s, SIZE_T n);
NTSYSAPI void *memmove(void *d, const void *s, SIZE_T n);
NTSYSAPI void *memset(void *d, int c, SIZE_T n);
NTSYSAPI int memcmp(const void *a, const void *b, SIZE_T n);
#endif

#define RtlCopyMemory(d, s, n) __builtin_memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n) __builtin_memmove((d), (s), (n))
#define RtlFillMemory(d, n, c) __builtin_memset((d), (c), (n))
#define RtlZeroMemory(d, n) __builtin_memset((d), 0, (n))
NTSYSAPI SIZE_T NTAPI RtlCompareMemory(const void *A, const void *B, SIZE_T Length);

SIZE_T RtlStringLength(PCSTR S);
LONG RtlCompareStringN(PCSTR A, PCSTR B, SIZE_T N);
VOID RtlStringCopy(PCHAR Dest, SIZE_T DestSize, PCSTR Src);
ULONG RtlStringToUlong(PCSTR S, ULONG Base, PCSTR *End);

/* printf-style formatting: %d %i %u %x %X %p %s %c %%, with width, '0' and '-' flags, 'l'/'ll'. */
LONG RtlFormatV(PCHAR Buffer, SIZE_T Size, PCSTR Format, va_list Args);
LONG RtlFormat(PCHAR Buffer, SIZE_T Size, PCSTR Format, ...) __attribute__((format(printf, 3, 4)));

ULONG RtlComputeCrc32(ULONG InitialCrc, const void *Buffer, SIZE_T Length);

/* Counted UTF-16 strings (UNICODE_STRING, ntobj.h). Case-insensitive comparisons upcase ASCII
 * and Latin-1 (and a few Latin Extended-A pairs), the range NT's object names use in practice. */
#include "ntobj.h"
NTSYSAPI VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR Source);
NTSYSAPI WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR Source);
NTSYSAPI LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                             BOOLEAN CaseInSensitive);
NTSYSAPI BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                              BOOLEAN CaseInSensitive);
NTSYSAPI BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                               BOOLEAN CaseInSensitive);
NTSYSAPI VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);
/* Sets Destination to the UTF-16 form of an ASCII string, in Buffer of BufferBytes bytes
 * (truncated to fit); handy for kernel callers and tests that have only char strings. */
VOID RtlInitUnicodeStringFromAscii(PUNICODE_STRING Destination, PWSTR Buffer, ULONG BufferBytes,
                                   PCSTR Source);

#endif
