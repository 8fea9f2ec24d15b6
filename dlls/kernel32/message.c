/*
 * message.c - FormatMessageA/W: the system's message table (English texts of the Win32 errors
 * NanoNT produces, as Windows words them), messages from a string, and the insert syntax
 * (%1..%99 with an optional !printf-format!, %n, %0, %%, %., %!, %r, %t, %space). Arguments come
 * from an array (FORMAT_MESSAGE_ARGUMENT_ARRAY) or a va_list, both pointer-sized slots on x86.
 * FORMAT_MESSAGE_FROM_HMODULE (message resources) is not supported.
 */
#include "k32p.h"

typedef struct _BASE_MESSAGE { DWORD Id; const char *Text; } BASE_MESSAGE;

static const BASE_MESSAGE BaseMessages[] = {
    { 0, "The operation completed successfully." },
    { 1, "Incorrect function." },
    { 2, "The system cannot find the file specified." },
    { 3, "The system cannot find the path specified." },
    { 4, "The system cannot open the file." },
    { 5, "Access is denied." },
    { 6, "The handle is invalid." },
    { 8, "Not enough storage is available to process this command." },
    { 12, "The access code is invalid." },
    { 13, "The data is invalid." },
    { 14, "Not enough storage is available to complete this operation." },
    { 15, "The system cannot find the drive specified." },
    { 17, "The system cannot move the file to a different disk drive." },
    { 18, "There are no more files." },
    { 19, "The media is write protected." },
    { 21, "The device is not ready." },
    { 31, "A device attached to the system is not functioning." },
    { 32, "The process cannot access the file because it is being used by another process." },
    { 33, "The process cannot access the file because another process has locked a portion of the file." },
    { 38, "Reached the end of the file." },
    { 50, "The request is not supported." },
    { 80, "The file exists." },
    { 87, "The parameter is incorrect." },
    { 109, "The pipe has been ended." },
    { 112, "There is not enough space on the disk." },
    { 120, "This function is not supported on this system." },
    { 122, "The data area passed to a system call is too small." },
    { 123, "The filename, directory name, or volume label syntax is incorrect." },
    { 126, "The specified module could not be found." },
    { 127, "The specified procedure could not be found." },
    { 131, "An attempt was made to move the file pointer before the beginning of the file." },
    { 145, "The directory is not empty." },
    { 161, "The specified path is invalid." },
    { 170, "The requested resource is in use." },
    { 183, "Cannot create a file when that file already exists." },
    { 193, "%1 is not a valid Win32 application." },
    { 203, "The system could not find the environment option that was entered." },
    { 206, "The filename or extension is too long." },
    { 232, "The pipe is being closed." },
    { 234, "More data is available." },
    { 258, "The wait operation timed out." },
    { 259, "No more data is available." },
    { 267, "The directory name is invalid." },
    { 288, "Attempt to release mutex not owned by caller." },
    { 298, "Too many posts were made to a semaphore." },
    { 299, "Only part of a ReadProcessMemory or WriteProcessMemory request was completed." },
    { 317, "The system cannot find message text for message number 0x%1 in the message file for %2." },
    { 487, "Attempt to access invalid address." },
    { 995, "The I/O operation has been aborted because of either a thread exit or an application request." },
    { 997, "Overlapped I/O operation is in progress." },
    { 998, "Invalid access to memory location." },
    { 1004, "Invalid flags." },
    { 1113, "No mapping for the Unicode character exists in the target multi-byte code page." },
    { 1114, "A dynamic link library (DLL) initialization routine failed." },
    { 1168, "Element not found." },
    { 1392, "The file or directory is corrupted and unreadable." },
    { 1450, "Insufficient system resources exist to complete the requested service." },
    { 1455, "The paging file is too small for this operation to complete." },
    { 1460, "This operation returned because the timeout period expired." },
    { 1784, "The supplied user buffer is not valid for the requested operation." },
};

/* The output being built: grows on the process heap. */
typedef struct _BASE_OUT {
    LPWSTR Text;
    DWORD Length, Capacity;
    BOOL Failed;
} BASE_OUT;

static VOID BaseOutChar(BASE_OUT *o, WCHAR c)
{
    if (o->Failed) return;
    if (o->Length + 1 >= o->Capacity) {
        DWORD cap = o->Capacity ? o->Capacity * 2 : 128;
        LPWSTR t = o->Text ? RtlReAllocateHeap(RtlProcessHeap(), 0, o->Text, cap * sizeof(WCHAR))
                           : RtlAllocateHeap(RtlProcessHeap(), 0, cap * sizeof(WCHAR));
        if (t == NULL) { o->Failed = TRUE; return; }
        o->Text = t;
        o->Capacity = cap;
    }
    o->Text[o->Length++] = c;
}

static VOID BaseOutNumber(BASE_OUT *o, ULONG Value, ULONG Base, BOOL Signed, BOOL Upper)
{
    char digits[16];
    int n = 0;
    if (Signed && (LONG)Value < 0) { BaseOutChar(o, u'-'); Value = (ULONG)(-(LONG)Value); }
    do { ULONG d = Value % Base; digits[n++] = (char)(d < 10 ? '0' + d : (Upper ? 'A' : 'a') + d - 10); Value /= Base; } while (Value);
    while (n) BaseOutChar(o, (WCHAR)(BYTE)digits[--n]);
}

/* One insert: Arg formatted by Spec (between the '!'s; "s" when absent). */
static VOID BaseOutInsert(BASE_OUT *o, ULONG_PTR Arg, const WCHAR *Spec, SIZE_T SpecLen, BOOL Ansi)
{
    WCHAR conv = SpecLen ? Spec[SpecLen - 1] : u's';
    BOOL wide = !Ansi;
    for (SIZE_T i = 0; i + 1 < SpecLen; i++) {
        if (Spec[i] == u'h') wide = FALSE;
        if (Spec[i] == u'l' || Spec[i] == u'w') wide = TRUE;
    }
    switch (conv) {
    case u'd': case u'i': BaseOutNumber(o, (ULONG)Arg, 10, TRUE, FALSE); break;
    case u'u': BaseOutNumber(o, (ULONG)Arg, 10, FALSE, FALSE); break;
    case u'x': BaseOutNumber(o, (ULONG)Arg, 16, FALSE, FALSE); break;
    case u'X': BaseOutNumber(o, (ULONG)Arg, 16, FALSE, TRUE); break;
    case u'c': BaseOutChar(o, wide ? (WCHAR)Arg : (WCHAR)(BYTE)Arg); break;
    default:
        if (Arg == 0) break;
        if (wide) for (LPCWSTR s = (LPCWSTR)Arg; *s; s++) BaseOutChar(o, *s);
        else for (LPCSTR s = (LPCSTR)Arg; *s; s++) {
            WCHAR w;
            ULONG n;
            RtlMultiByteToUnicodeN(&w, sizeof(w), &n, s, 1);
            BaseOutChar(o, w);
        }
    }
}

/* Expands Source into o. Returns FALSE (last error set) on a bad insert. */
static BOOL BaseExpand(BASE_OUT *o, LPCWSTR Source, DWORD Flags, const ULONG_PTR *Args, BOOL Ansi)
{
    for (LPCWSTR p = Source; *p;) {
        if (*p != u'%') {
            /* Windows turns bare line breaks of the source into CR LF. */
            if (*p == u'\n' && (p == Source || p[-1] != u'\r')) BaseOutChar(o, u'\r');
            BaseOutChar(o, *p++);
            continue;
        }
        p++;
        if (*p >= u'1' && *p <= u'9') {
            LPCWSTR start = p - 1;
            ULONG n = (ULONG)(*p++ - u'0');
            if (*p >= u'0' && *p <= u'9') n = n * 10 + (ULONG)(*p++ - u'0');
            const WCHAR *spec = NULL;
            SIZE_T specLen = 0;
            if (*p == u'!') {
                spec = ++p;
                while (*p && *p != u'!') p++;
                specLen = (SIZE_T)(p - spec);
                if (*p == u'!') p++;
            }
            if (Flags & FORMAT_MESSAGE_IGNORE_INSERTS) {
                for (LPCWSTR q = start; q < p; q++) BaseOutChar(o, *q);
            } else {
                if (Args == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
                BaseOutInsert(o, Args[n - 1], spec, specLen, Ansi);
            }
            continue;
        }
        switch (*p) {
        case 0: return TRUE;
        case u'0': return TRUE;                    /* end, without the trailing line break */
        case u'n': BaseOutChar(o, u'\r'); BaseOutChar(o, u'\n'); break;
        case u'r': BaseOutChar(o, u'\r'); break;
        case u't': BaseOutChar(o, u'\t'); break;
        default: BaseOutChar(o, *p); break;        /* %% %. %! %space: the character itself */
        }
        p++;
    }
    return TRUE;
}

/* The message text as UTF-16 (heap) for the flags; NULL with the last error set. */
static LPWSTR BaseMessageSource(DWORD Flags, LPCVOID Source, DWORD MessageId, BOOL Ansi)
{
    UNICODE_STRING text;
    if (Flags & FORMAT_MESSAGE_FROM_STRING) {
        if (Source == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
        if (Ansi) return BaseAnsiToUnicode(Source, &text) ? text.Buffer : NULL;
        SIZE_T len = BaseWideLength(Source);
        LPWSTR copy = RtlAllocateHeap(RtlProcessHeap(), 0, (len + 1) * sizeof(WCHAR));
        if (copy) RtlCopyMemory(copy, Source, (len + 1) * sizeof(WCHAR));
        else SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return copy;
    }
    if (Flags & FORMAT_MESSAGE_FROM_SYSTEM) {
        for (SIZE_T i = 0; i < ARRAYSIZE(BaseMessages); i++) {
            if (BaseMessages[i].Id != MessageId) continue;
            /* System messages end with a line break, as Windows' message table has them. */
            char line[160];
            SIZE_T n = 0;
            for (const char *s = BaseMessages[i].Text; *s && n < sizeof(line) - 3; s++) line[n++] = *s;
            line[n++] = '\r';
            line[n++] = '\n';
            line[n] = 0;
            return BaseAnsiToUnicode(line, &text) ? text.Buffer : NULL;
        }
    }
    SetLastError(ERROR_MR_MID_NOT_FOUND);
    return NULL;
}

/* The common body: the formatted message in o (heap), its length, or 0 with the last error. */
static DWORD BaseFormatMessage(DWORD Flags, LPCVOID Source, DWORD MessageId, va_list *Arguments, BOOL Ansi,
                               BASE_OUT *o)
{
    LPWSTR text = BaseMessageSource(Flags, Source, MessageId, Ansi);
    if (text == NULL) return 0;
    /* On x86 a va_list is a pointer to the stacked arguments: one slot per insert either way. */
    const ULONG_PTR *args = NULL;
    if (Arguments) args = (Flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) ? (const ULONG_PTR *)Arguments
                                                                   : *(const ULONG_PTR **)Arguments;
    BOOL ok = BaseExpand(o, text, Flags, args, Ansi);
    RtlFreeHeap(RtlProcessHeap(), 0, text);
    BaseOutChar(o, 0);
    if (!ok) return 0;
    if (o->Failed) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return 0; }
    return o->Length - 1;
}

DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                            LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    BASE_OUT o = { NULL, 0, 0, FALSE };
    if (lpBuffer == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    DWORD len = BaseFormatMessage(dwFlags, lpSource, dwMessageId, Arguments, FALSE, &o);
    DWORD result = 0;
    if (len != 0) {
        if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
            DWORD chars = len + 1 > nSize ? len + 1 : nSize;
            LPWSTR out = LocalAlloc(LMEM_FIXED, chars * sizeof(WCHAR));
            if (out) { RtlCopyMemory(out, o.Text, (len + 1) * sizeof(WCHAR)); *(LPWSTR *)lpBuffer = out; result = len; }
        } else if (len + 1 > nSize) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
        } else {
            RtlCopyMemory(lpBuffer, o.Text, (len + 1) * sizeof(WCHAR));
            result = len;
        }
    }
    if (o.Text) RtlFreeHeap(RtlProcessHeap(), 0, o.Text);
    return result;
}

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                            LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    BASE_OUT o = { NULL, 0, 0, FALSE };
    if (lpBuffer == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    DWORD len = BaseFormatMessage(dwFlags, lpSource, dwMessageId, Arguments, TRUE, &o);
    DWORD result = 0;
    if (len != 0) {
        /* Code page 1252: one byte per character. */
        if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
            DWORD bytes = len + 1 > nSize ? len + 1 : nSize;
            LPSTR out = LocalAlloc(LMEM_FIXED, bytes);
            if (out) { BaseUnicodeToAnsiN(o.Text, len, out, len + 1); *(LPSTR *)lpBuffer = out; result = len; }
        } else if (len + 1 > nSize) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
        } else {
            result = BaseUnicodeToAnsiN(o.Text, len, lpBuffer, nSize);
        }
    }
    if (o.Text) RtlFreeHeap(RtlProcessHeap(), 0, o.Text);
    return result;
}
