/*
 * strconv.c - kernel32's internal string helpers: ANSI (code page 1252) <-> UTF-16 conversion
 * of caller strings for the A entry points, and the Win32 "return the length, or the size
 * needed" convention for strings handed back.
 */
#include "k32p.h"

SIZE_T BaseWideLength(LPCWSTR s)
{
    SIZE_T n = 0;
    while (s[n]) n++;
    return n;
}

BOOL BaseAnsiToUnicode(LPCSTR Source, PUNICODE_STRING Dest)
{
    Dest->Length = Dest->MaximumLength = 0;
    Dest->Buffer = NULL;
    if (Source == NULL) return TRUE;
    ANSI_STRING ansi;
    SIZE_T len = 0;
    while (Source[len]) len++;
    if (len >= 0x7FFF) { SetLastError(ERROR_FILENAME_EXCED_RANGE); return FALSE; }
    RtlInitAnsiString(&ansi, Source);
    NTSTATUS status = RtlAnsiStringToUnicodeString(Dest, &ansi, TRUE);
    return BaseNtSuccess(status);
}

DWORD BaseUnicodeToAnsiN(LPCWSTR Source, DWORD Chars, LPSTR Buffer, DWORD Size)
{
    if (Size == 0) return 0;
    ULONG written = 0;
    ULONG max = Size - 1 < Chars ? Size - 1 : Chars;
    RtlUnicodeToMultiByteN(Buffer, max, &written, Source, Chars * sizeof(WCHAR));
    Buffer[written] = 0;
    return written;
}

DWORD BaseCopyWideResultToAnsi(LPCWSTR Wide, DWORD Chars, LPSTR Buffer, DWORD Size)
{
    /* Code page 1252 is one byte per character, so the ANSI length is the UTF-16 length. */
    if (Buffer == NULL || Size <= Chars) return Chars + 1;
    return BaseUnicodeToAnsiN(Wide, Chars, Buffer, Size);
}
