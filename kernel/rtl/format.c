/*
 * format.c - RtlFormatV, the printf-style formatter behind DbgPrint: %d %i %u %x %X %p %s %c %%
 * with '-', '0' flags, a width, and the 'l' / 'll' length modifiers. Output is always terminated
 * and never overruns Size; the return value is the length the full output would have had.
 */
#include "rtl.h"

typedef struct { PCHAR Buf; SIZE_T Size, Len; } FMT_OUT;

static void Put(FMT_OUT *o, char c)
{
    if (o->Len + 1 < o->Size) o->Buf[o->Len] = c;
    o->Len++;
}

static void PutField(FMT_OUT *o, PCSTR s, SIZE_T n, ULONG width, BOOLEAN left, char pad)
{
    SIZE_T fill = width > n ? width - n : 0;
    if (!left) while (fill--) Put(o, pad);
    for (SIZE_T i = 0; i < n; i++) Put(o, s[i]);
    if (left) while (fill--) Put(o, ' ');
}

static void PutNumber(FMT_OUT *o, ULONGLONG v, BOOLEAN negative, ULONG base, BOOLEAN upper,
                      ULONG width, BOOLEAN left, char pad)
{
    char tmp[24];
    PCSTR digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    ULONG n = 0;
    do { tmp[sizeof(tmp) - 1 - n++] = digits[v % base]; v /= base; } while (v);
    if (negative) {
        if (pad == '0') { Put(o, '-'); if (width) width--; }
        else tmp[sizeof(tmp) - 1 - n++] = '-';
    }
    PutField(o, tmp + sizeof(tmp) - n, n, width, left, pad);
}

LONG RtlFormatV(PCHAR Buffer, SIZE_T Size, PCSTR f, va_list ap)
{
    FMT_OUT o = { Buffer, Size, 0 };
    for (; *f; f++) {
        if (*f != '%') { Put(&o, *f); continue; }
        BOOLEAN left = FALSE;
        char pad = ' ';
        ULONG width = 0, longs = 0;
        for (f++; *f == '-' || *f == '0'; f++) { if (*f == '-') left = TRUE; else pad = '0'; }
        while (*f >= '0' && *f <= '9') width = width * 10 + (ULONG)(*f++ - '0');
        while (*f == 'l') { longs++; f++; }
        if (left) pad = ' ';
        switch (*f) {
        case 'd': case 'i': {
            LONGLONG v = longs >= 2 ? va_arg(ap, LONGLONG) : longs ? va_arg(ap, long) : va_arg(ap, int);
            PutNumber(&o, v < 0 ? (ULONGLONG)-v : (ULONGLONG)v, v < 0, 10, FALSE, width, left, pad);
            break;
        }
        case 'u': case 'x': case 'X': {
            ULONGLONG v = longs >= 2 ? va_arg(ap, ULONGLONG)
                        : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            PutNumber(&o, v, FALSE, *f == 'u' ? 10 : 16, *f == 'X', width, left, pad);
            break;
        }
        case 'p':
            PutNumber(&o, (ULONG_PTR)va_arg(ap, void *), FALSE, 16, FALSE, 8, FALSE, '0');
            break;
        case 's': {
            PCSTR s = va_arg(ap, PCSTR);
            if (!s) s = "(null)";
            PutField(&o, s, RtlStringLength(s), width, left, ' ');
            break;
        }
        case 'c': { char c = (char)va_arg(ap, int); PutField(&o, &c, 1, width, left, ' '); break; }
        case '%': Put(&o, '%'); break;
        case 0: f--; break;
        default: Put(&o, '%'); Put(&o, *f); break;
        }
    }
    if (Size) Buffer[o.Len < Size ? o.Len : Size - 1] = 0;
    return (LONG)o.Len;
}

LONG RtlFormat(PCHAR Buffer, SIZE_T Size, PCSTR Format, ...)
{
    va_list ap;
    va_start(ap, Format);
    LONG n = RtlFormatV(Buffer, Size, Format, ap);
    va_end(ap);
    return n;
}
