/*
 * unicode.c - counted UTF-16 strings (UNICODE_STRING): initialising, comparing with or without
 * case, prefixes, copying and appending. Lengths are in bytes, as on NT; nothing here allocates.
 * Upcasing covers ASCII, Latin-1 and Latin Extended-A, which is enough for object names.
 */
#include "rtl.h"
#include "ntstatus.h"

VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING Destination, PCWSTR Source)
{
    USHORT n = 0;
    if (Source)
        while (Source[n / sizeof(WCHAR)] && n < 0xFFFC) n += sizeof(WCHAR);
    Destination->Length = n;
    Destination->MaximumLength = Source ? (USHORT)(n + sizeof(WCHAR)) : 0;
    Destination->Buffer = (PWSTR)Source;
}

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR c)
{
    if (c < 'a') return c;
    if (c <= 'z') return (WCHAR)(c - ('a' - 'A'));
    if (c < 0xE0) return c == 0xB5 ? 0x39C : c;                 /* micro sign -> Greek MU */
    if (c <= 0xFE) return c == 0xF7 ? c : (WCHAR)(c - 0x20);    /* a-grave..thorn, not divide */
    if (c == 0xFF) return 0x178;                                /* y-diaeresis */
    if (c == 0x131) return 'I';                                 /* dotless i */
    /* Latin Extended-A: pairs of capital (even or odd) and small letter. */
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (WCHAR)(c & ~1u);
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c : (WCHAR)(c - 1);
    return c;
}

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR c)
{
    if (c >= 'A' && c <= 'Z') return (WCHAR)(c + ('a' - 'A'));
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return (WCHAR)(c + 0x20);
    if (c == 0x178) return 0xFF;
    if (c == 0x130) return 'i';                                 /* I with dot above */
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (WCHAR)(c | 1u);
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? (WCHAR)(c + 1) : c;
    return c;
}

static inline WCHAR RtlpFold(WCHAR c, BOOLEAN CaseInSensitive)
{
    return CaseInSensitive ? RtlUpcaseUnicodeChar(c) : c;
}

LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                             BOOLEAN CaseInSensitive)
{
    ULONG n1 = String1->Length / sizeof(WCHAR), n2 = String2->Length / sizeof(WCHAR);
    ULONG n = n1 < n2 ? n1 : n2;
    for (ULONG i = 0; i < n; i++) {
        WCHAR a = RtlpFold(String1->Buffer[i], CaseInSensitive);
        WCHAR b = RtlpFold(String2->Buffer[i], CaseInSensitive);
        if (a != b) return (LONG)a - (LONG)b;
    }
    return (LONG)n1 - (LONG)n2;
}

BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                              BOOLEAN CaseInSensitive)
{
    if (String1->Length != String2->Length) return FALSE;
    return RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}

/* TRUE if String1 is a prefix of String2. */
BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                               BOOLEAN CaseInSensitive)
{
    if (String1->Length > String2->Length) return FALSE;
    UNICODE_STRING head = { String1->Length, String1->Length, String2->Buffer };
    return RtlCompareUnicodeString(String1, &head, CaseInSensitive) == 0;
}

/* Copies as much as fits; NUL-terminates when there is room, as NT does. */
VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    if (SourceString == NULL) { DestinationString->Length = 0; return; }
    USHORT n = SourceString->Length;
    if (n > DestinationString->MaximumLength) n = DestinationString->MaximumLength & ~1u;
    RtlMoveMemory(DestinationString->Buffer, SourceString->Buffer, n);
    DestinationString->Length = n;
    if (n + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[n / sizeof(WCHAR)] = 0;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    ULONG total = (ULONG)Destination->Length + Source->Length;
    if (total > Destination->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    RtlMoveMemory((PUCHAR)Destination->Buffer + Destination->Length, Source->Buffer, Source->Length);
    Destination->Length = (USHORT)total;
    if (total + sizeof(WCHAR) <= Destination->MaximumLength)
        Destination->Buffer[total / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

VOID RtlInitUnicodeStringFromAscii(PUNICODE_STRING Destination, PWSTR Buffer, ULONG BufferBytes,
                                   PCSTR Source)
{
    ULONG max = BufferBytes / sizeof(WCHAR), n = 0;
    if (max > 0x7FFE) max = 0x7FFE;
    while (Source[n] && n + 1 < max) { Buffer[n] = (UCHAR)Source[n]; n++; }
    if (max) Buffer[n] = 0;
    Destination->Buffer = Buffer;
    Destination->Length = (USHORT)(n * sizeof(WCHAR));
    Destination->MaximumLength = (USHORT)(max * sizeof(WCHAR));
}
