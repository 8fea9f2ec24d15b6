/*
 * rtlstr.c - the string routines ntdll adds to the shared kernel/rtl/unicode.c: 8-bit counted
 * strings (STRING/ANSI_STRING), ANSI <-> UTF-16 conversion, case-mapped copies, strings
 * allocated from the process heap, and integer <-> string conversion.
 *
 * The ANSI (and OEM) code page is Windows-1252: bytes 0x00-0x7F and 0xA0-0xFF are the same
 * Unicode code points, 0x80-0x9F are 1252's letters and punctuation (the five bytes 1252 leaves
 * undefined map to U+0081.. as Windows maps them). A UTF-16 character 1252 cannot represent
 * becomes '?'. One byte is always one character, so sizes convert exactly (bytes * 2).
 */
#include "ntndk.h"

#define RTLP_MAX_USTRING_BYTES 0xFFFEu

/* Unicode of bytes 0x80-0x9F in Windows-1252. */
static const WCHAR RtlpCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static inline WCHAR RtlpAnsiToUnicodeChar(UCHAR c)
{
    return (c >= 0x80 && c < 0xA0) ? RtlpCp1252High[c - 0x80] : c;
}

static CHAR RtlpUnicodeToAnsiChar(WCHAR c)
{
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return (CHAR)c;
    for (ULONG i = 0; i < ARRAYSIZE(RtlpCp1252High); i++)
        if (RtlpCp1252High[i] == c) return (CHAR)(0x80 + i);
    return '?';
}

/* ---- Conversions of raw buffers ----------------------------------------------------------- */

NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                      PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                      ULONG BytesInMultiByteString)
{
    ULONG n = MaxBytesInUnicodeString / sizeof(WCHAR);
    if (n > BytesInMultiByteString) n = BytesInMultiByteString;
    for (ULONG i = 0; i < n; i++) UnicodeString[i] = RtlpAnsiToUnicodeChar((UCHAR)MultiByteString[i]);
    if (BytesInUnicodeString) *BytesInUnicodeString = n * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                         ULONG BytesInMultiByteString)
{
    (void)MultiByteString;
    *BytesInUnicodeString = BytesInMultiByteString * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                      PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                      ULONG BytesInUnicodeString)
{
    ULONG n = BytesInUnicodeString / sizeof(WCHAR);
    if (n > MaxBytesInMultiByteString) n = MaxBytesInMultiByteString;
    for (ULONG i = 0; i < n; i++) MultiByteString[i] = RtlpUnicodeToAnsiChar(UnicodeString[i]);
    if (BytesInMultiByteString) *BytesInMultiByteString = n;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                         ULONG BytesInUnicodeString)
{
    (void)UnicodeString;
    *BytesInMultiByteString = BytesInUnicodeString / sizeof(WCHAR);
    return STATUS_SUCCESS;
}

/* ---- 8-bit counted strings ---------------------------------------------------------------- */

VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString)
{
    USHORT n = 0;
    if (SourceString)
        while (SourceString[n] && n < 0xFFFE) n++;
    DestinationString->Length = n;
    DestinationString->MaximumLength = SourceString ? (USHORT)(n + 1) : 0;
    DestinationString->Buffer = (PCHAR)SourceString;
}

VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
    RtlInitString(DestinationString, SourceString);
}

CHAR NTAPI RtlUpperChar(CHAR Character)
{
    UCHAR c = (UCHAR)Character;
    if (c >= 'a' && c <= 'z') return (CHAR)(c - ('a' - 'A'));
    if (c < 0x80) return (CHAR)c;
    /* Beyond ASCII: through Unicode, keeping the byte if its capital has no 1252 byte. */
    CHAR upper = RtlpUnicodeToAnsiChar(RtlUpcaseUnicodeChar(RtlpAnsiToUnicodeChar(c)));
    return upper == '?' ? (CHAR)c : upper;
}

LONG NTAPI RtlCompareString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive)
{
    USHORT n = String1->Length < String2->Length ? String1->Length : String2->Length;
    for (USHORT i = 0; i < n; i++) {
        CHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlUpperChar(a);
            b = RtlUpperChar(b);
        }
        if (a != b) return (LONG)(UCHAR)a - (LONG)(UCHAR)b;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

BOOLEAN NTAPI RtlEqualString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive)
{
    return String1->Length == String2->Length && RtlCompareString(String1, String2, CaseInSensitive) == 0;
}

/* ---- Heap-allocated strings --------------------------------------------------------------- */

static PVOID RtlpAllocateString(SIZE_T Bytes)
{
    return RtlAllocateHeap(RtlProcessHeap(), 0, Bytes);
}

VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    if (UnicodeString->Buffer) RtlFreeHeap(RtlProcessHeap(), 0, UnicodeString->Buffer);
    UnicodeString->Buffer = NULL;
    UnicodeString->Length = UnicodeString->MaximumLength = 0;
}

VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString)
{
    if (AnsiString->Buffer) RtlFreeHeap(RtlProcessHeap(), 0, AnsiString->Buffer);
    AnsiString->Buffer = NULL;
    AnsiString->Length = AnsiString->MaximumLength = 0;
}

ULONG NTAPI RtlAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return (AnsiString->Length + 1u) * sizeof(WCHAR);    /* with the NUL, as NT counts it */
}

ULONG NTAPI RtlUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    return UnicodeString->Length / sizeof(WCHAR) + 1u;
}

/* Makes Destination able to hold Bytes bytes plus a NUL of CharSize: allocates when asked,
 * else checks the caller's buffer. */
static NTSTATUS RtlpPrepareDestination(PUSHORT MaximumLength, PVOID *Buffer, ULONG Bytes, ULONG CharSize,
                                       BOOLEAN Allocate)
{
    if (Allocate) {
        if (Bytes > RTLP_MAX_USTRING_BYTES) return STATUS_INVALID_PARAMETER_2;
        *Buffer = RtlpAllocateString(Bytes + CharSize);
        if (!*Buffer) return STATUS_NO_MEMORY;
        /* Room for the NUL is counted only while MaximumLength can say so. */
        *MaximumLength = (USHORT)(Bytes + CharSize > 0xFFFFu ? Bytes : Bytes + CharSize);
        return STATUS_SUCCESS;
    }
    return Bytes > *MaximumLength ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                            BOOLEAN AllocateDestinationString)
{
    ULONG bytes = SourceString->Length * sizeof(WCHAR);
    if (bytes > RTLP_MAX_USTRING_BYTES) return STATUS_INVALID_PARAMETER_2;
    NTSTATUS status = RtlpPrepareDestination(&DestinationString->MaximumLength, (PVOID *)&DestinationString->Buffer,
                                             bytes, sizeof(WCHAR), AllocateDestinationString);
    if (!NT_SUCCESS(status)) return status;
    RtlMultiByteToUnicodeN(DestinationString->Buffer, bytes, NULL, SourceString->Buffer, SourceString->Length);
    DestinationString->Length = (USHORT)bytes;
    if (bytes + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[bytes / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
                                            BOOLEAN AllocateDestinationString)
{
    ULONG bytes = SourceString->Length / sizeof(WCHAR);
    NTSTATUS status = RtlpPrepareDestination(&DestinationString->MaximumLength, (PVOID *)&DestinationString->Buffer,
                                             bytes, 1, AllocateDestinationString);
    if (status == STATUS_BUFFER_OVERFLOW) {
        /* NT converts what fits and says so. */
        bytes = DestinationString->MaximumLength ? DestinationString->MaximumLength - 1u : 0;
    } else if (!NT_SUCCESS(status)) {
        return status;
    }
    RtlUnicodeToMultiByteN(DestinationString->Buffer, bytes, NULL, SourceString->Buffer, bytes * sizeof(WCHAR));
    DestinationString->Length = (USHORT)bytes;
    if (bytes < DestinationString->MaximumLength) DestinationString->Buffer[bytes] = 0;
    return status;
}

/* Destination = Source with every character through Map (upcase or downcase). */
static NTSTATUS RtlpMapUnicodeString(PUNICODE_STRING Destination, PCUNICODE_STRING Source, BOOLEAN Allocate,
                                     WCHAR (NTAPI *Map)(WCHAR))
{
    ULONG bytes = Source->Length;
    if (Allocate) {
        Destination->Buffer = RtlpAllocateString(bytes + sizeof(WCHAR));
        if (!Destination->Buffer) return STATUS_NO_MEMORY;
        Destination->MaximumLength = (USHORT)(bytes + sizeof(WCHAR) > RTLP_MAX_USTRING_BYTES ? bytes
                                              : bytes + sizeof(WCHAR));
    } else if (bytes > Destination->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (ULONG i = 0; i < bytes / sizeof(WCHAR); i++) Destination->Buffer[i] = Map(Source->Buffer[i]);
    Destination->Length = (USHORT)bytes;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                      BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(DestinationString, SourceString, AllocateDestinationString, RtlUpcaseUnicodeChar);
}

NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                        BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(DestinationString, SourceString, AllocateDestinationString, RtlDowncaseUnicodeChar);
}

NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source)
{
    UNICODE_STRING source;
    if (!Source) return STATUS_SUCCESS;
    RtlInitUnicodeString(&source, Source);
    return RtlAppendUnicodeStringToString(Destination, &source);
}

BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    UNICODE_STRING source;
    if (!SourceString) return FALSE;
    RtlInitUnicodeString(&source, SourceString);
    ULONG bytes = source.Length + sizeof(WCHAR);
    if (bytes > RTLP_MAX_USTRING_BYTES) return FALSE;
    DestinationString->Buffer = RtlpAllocateString(bytes);
    if (!DestinationString->Buffer) return FALSE;
    RtlCopyMemory(DestinationString->Buffer, SourceString, bytes);   /* the NUL too */
    DestinationString->Length = source.Length;
    DestinationString->MaximumLength = (USHORT)bytes;
    return TRUE;
}

BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString, PCSZ SourceString)
{
    ANSI_STRING ansi;
    RtlInitAnsiString(&ansi, SourceString);
    return NT_SUCCESS(RtlAnsiStringToUnicodeString(DestinationString, &ansi, TRUE));
}

/* ---- Integers ----------------------------------------------------------------------------- */

NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    WCHAR digits[33];
    ULONG n = 0;
    if (Base == 0) Base = 10;
    if (Base != 2 && Base != 8 && Base != 10 && Base != 16) return STATUS_INVALID_PARAMETER;
    do {
        ULONG d = Value % Base;
        digits[n++] = (WCHAR)(d < 10 ? u'0' + d : u'A' + d - 10);
        Value /= Base;
    } while (Value);
    ULONG bytes = n * sizeof(WCHAR);
    if (bytes > String->MaximumLength) return STATUS_BUFFER_OVERFLOW;
    for (ULONG i = 0; i < n; i++) String->Buffer[i] = digits[n - 1 - i];
    if (bytes + sizeof(WCHAR) <= String->MaximumLength) String->Buffer[n] = 0;   /* when it fits */
    String->Length = (USHORT)bytes;
    return STATUS_SUCCESS;
}

static inline LONG RtlpDigitValue(WCHAR c)
{
    if (c >= u'0' && c <= u'9') return c - u'0';
    if (c >= u'a' && c <= u'z') return c - u'a' + 10;
    if (c >= u'A' && c <= u'Z') return c - u'A' + 10;
    return 99;
}

/* NT's rules: leading white space, an optional sign, then with Base 0 a prefix "0x", "0o" or
 * "0b" picks the base (default 10); digits stop at the first character not valid in the base.
 * No digit at all still succeeds with 0. */
NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value)
{
    PCWSTR s = String->Buffer;
    ULONG n = String->Length / sizeof(WCHAR), i = 0, result = 0;
    BOOLEAN negative = FALSE;
    if (Base != 0 && Base != 2 && Base != 8 && Base != 10 && Base != 16) return STATUS_INVALID_PARAMETER;
    if (!Value) return STATUS_ACCESS_VIOLATION;
    while (i < n && s[i] <= u' ') i++;
    if (i < n && (s[i] == u'+' || s[i] == u'-')) negative = s[i++] == u'-';
    if (Base == 0) {
        Base = 10;
        if (i + 1 < n && s[i] == u'0') {
            WCHAR p = s[i + 1];
            if (p == u'x') Base = 16;
            else if (p == u'o') Base = 8;
            else if (p == u'b') Base = 2;
            if (Base != 10) i += 2;
        }
    }
    for (; i < n; i++) {
        LONG d = RtlpDigitValue(s[i]);
        if (d >= (LONG)Base) break;
        result = result * Base + (ULONG)d;
    }
    *Value = negative ? 0u - result : result;
    return STATUS_SUCCESS;
}
