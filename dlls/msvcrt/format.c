/* format.c - the printf engine: CrtFormat turns a format and its arguments into characters sent
 * to a sink (a stream, a buffer, a counter). MSVCRT's rules: length modifiers h, l, ll, L, I, I32,
 * I64 (and w, j, z, t); %p is eight upper-case hex digits; %e has a three-digit exponent; %S in a
 * narrow format is a wide string; %n is refused (it writes nothing and is skipped). Floating
 * point goes through the x87's 80-bit long double, exact for ordinary values. */
#include "crtp.h"

typedef struct {
    int Left, Plus, Space, Alt, Zero;
    int Width, Precision;     /* Precision -1: not given */
    int Upper;
} SPEC;

static void Put(CRT_SINK *s, const char *Text, size_t Length)
{
    if (Length) {
        s->Put(s, Text, Length);
        s->Count += Length;
    }
}

static void Pad(CRT_SINK *s, char c, int Count)
{
    char run[16];
    memset(run, c, sizeof(run));
    while (Count > 0) {
        int n = Count < (int)sizeof(run) ? Count : (int)sizeof(run);
        Put(s, run, n);
        Count -= n;
    }
}

/* Lays out [prefix][zeros][body] in the field: spaces left or right, or '0' padding after the
 * prefix when the zero flag applies. */
static void Field(CRT_SINK *s, const SPEC *sp, const char *Prefix, int Zeros, const char *Body,
                  int BodyLength, int ZeroPad)
{
    int prefix = (int)strlen(Prefix);
    int length = prefix + Zeros + BodyLength;
    int fill = sp->Width > length ? sp->Width - length : 0;
    if (!sp->Left && !ZeroPad)
        Pad(s, ' ', fill);
    Put(s, Prefix, prefix);
    if (!sp->Left && ZeroPad)
        Pad(s, '0', fill);
    Pad(s, '0', Zeros);
    Put(s, Body, BodyLength);
    if (sp->Left)
        Pad(s, ' ', fill);
}

static void Integer(CRT_SINK *s, const SPEC *sp, unsigned long long Value, int Negative,
                    int Base, int Signed)
{
    char digits[24];
    const char *set = sp->Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    unsigned long long v = Value;
    while (v) {
        digits[sizeof(digits) - 1 - n++] = set[v % Base];
        v /= Base;
    }
    if (n == 0 && sp->Precision != 0)
        digits[sizeof(digits) - 1 - n++] = '0';
    int zeros = sp->Precision > n ? sp->Precision - n : 0;
    const char *prefix = "";
    if (Signed)
        prefix = Negative ? "-" : sp->Plus ? "+" : sp->Space ? " " : "";
    else if (sp->Alt && Base == 16 && Value)
        prefix = sp->Upper ? "0X" : "0x";
    else if (sp->Alt && Base == 8 && zeros == 0 && (n == 0 || digits[sizeof(digits) - n] != '0'))
        zeros = 1;
    Field(s, sp, prefix, zeros, digits + sizeof(digits) - n, n, sp->Zero && !sp->Left && sp->Precision < 0);
}

/* ---- floating point ---------------------------------------------------------------------- */

/* 10^n for 0 <= n < 5000, by squaring: each factor is exact or correctly rounded. */
static long double Power10(int n)
{
    static const long double squares[] = { 1e1L, 1e2L, 1e4L, 1e8L, 1e16L, 1e32L, 1e64L, 1e128L,
                                           1e256L, 1e512L, 1e1024L, 1e2048L, 1e4096L };
    long double p = 1.0L;
    for (int i = 0; n && i < 13; i++, n >>= 1)
        if (n & 1)
            p *= squares[i];
    return p;
}

/* v > 0 scaled into [1, 10); *Exp10 receives the power of ten taken out. The 64-bit mantissa
 * keeps the error far below what a double can show. */
static long double Normalize(long double v, int *Exp10)
{
    int exp10 = 0;
    while (v >= 1e4096L) { v /= 1e4096L; exp10 += 4096; }
    while (v < 1e-4000L) { v *= 1e4000L; exp10 -= 4000; }
    int e = 0;
    if (v >= 10.0L) {
        while (Power10(e + 1) <= v) e++;
        v /= Power10(e);
    } else if (v < 1.0L) {
        while (v * Power10(e) < 1.0L) e++;
        v *= Power10(e);
        e = -e;
    }
    *Exp10 = exp10 + e;
    return v;
}

/* The Count (1..) first significant decimal digits of v > 0, rounded, in Digits; returns the
 * decimal exponent of the first digit (one more than v's own when rounding carries, as 9.96 to
 * two digits is 10). Beyond 18 digits the rest are zeros. */
static int Digits(long double v, int Count, char *Digits)
{
    int exp10;
    v = Normalize(v, &exp10);
    int n = Count > 18 ? 18 : Count;
    unsigned long long m = (unsigned long long)(v * Power10(n - 1) + 0.5L);
    unsigned long long limit = 1;
    for (int i = 0; i < n; i++)
        limit *= 10;
    if (m >= limit) {           /* 9.99.. rounded up to 10.0.. */
        m /= 10;
        exp10++;
    }
    for (int i = n - 1; i >= 0; i--) {
        Digits[i] = (char)('0' + m % 10);
        m /= 10;
    }
    for (int i = n; i < Count; i++)
        Digits[i] = '0';
    return exp10;
}

#define FLOAT_DIGITS 520     /* the longest body: DBL_MAX in %.200f, 309 + 1 + 200 */

static void Special(CRT_SINK *s, const SPEC *sp, const char *Sign, int NaN)
{
    const char *text = NaN ? (sp->Upper ? "NAN" : "nan") : (sp->Upper ? "INF" : "inf");
    Field(s, sp, Sign, 0, text, 3, 0);
}

/* %e: d.ddd e±ddd */
static int FormatE(char *Out, long double v, int Precision, int Alt, int Upper)
{
    char digits[FLOAT_DIGITS];
    int count = Precision + 1 > FLOAT_DIGITS - 8 ? FLOAT_DIGITS - 8 : Precision + 1;
    int exp10 = v == 0.0L ? (memset(digits, '0', count), 0) : Digits(v, count, digits);
    int n = 0;
    Out[n++] = digits[0];
    if (count > 1 || Alt)
        Out[n++] = '.';
    memcpy(Out + n, digits + 1, count - 1);
    n += count - 1;
    Out[n++] = Upper ? 'E' : 'e';
    Out[n++] = exp10 < 0 ? '-' : '+';
    int a = exp10 < 0 ? -exp10 : exp10;
    if (a >= 1000)
        Out[n++] = (char)('0' + a / 1000 % 10);
    Out[n++] = (char)('0' + a / 100 % 10);
    Out[n++] = (char)('0' + a / 10 % 10);
    Out[n++] = (char)('0' + a % 10);
    return n;
}

/* %f: ddd.ddd */
static int FormatF(char *Out, long double v, int Precision, int Alt)
{
    char digits[FLOAT_DIGITS];
    int n = 0, exp10 = 0, count = 0;
    if (Precision > 200)
        Precision = 200;                   /* digits past the 18th are zeros anyway */
    if (v != 0.0L) {
        /* First where the leading digit is, then as many digits as reach the precision. */
        Normalize(v, &exp10);
        count = exp10 + 1 + Precision;
        if (count > 0) {
            exp10 = Digits(v, count, digits);
            if (exp10 + 1 + Precision > count)   /* rounding carried into a new digit */
                digits[count++] = '0';
        } else if (count == 0 && v * Power10(Precision) >= 0.5L) {
            digits[0] = '1';                     /* rounds up to one unit in the last place */
            exp10 = -Precision;
            count = 1;
        } else {
            count = 0;
        }
    }
    /* integer part */
    if (count == 0 || exp10 < 0)
        Out[n++] = '0';
    else
        for (int i = 0; i <= exp10; i++)
            Out[n++] = i < count ? digits[i] : '0';
    if (Precision > 0 || Alt)
        Out[n++] = '.';
    for (int i = 1; i <= Precision; i++) {
        int at = exp10 + i;                /* index of the digit worth 10^-i */
        Out[n++] = count > 0 && at >= 0 && at < count ? digits[at] : '0';
    }
    return n;
}

/* %g: %e or %f by the exponent, trailing zeros dropped unless '#'. */
static int FormatG(char *Out, long double v, int Precision, int Alt, int Upper)
{
    char digits[FLOAT_DIGITS];
    int p = Precision == 0 ? 1 : Precision > 200 ? 200 : Precision;
    int x = v == 0.0L ? 0 : Digits(v, p, digits);
    int n = (x < -4 || x >= p) ? FormatE(Out, v, p - 1, Alt, Upper) : FormatF(Out, v, p - 1 - x, Alt);
    if (Alt)
        return n;
    int e = 0;
    while (e < n && Out[e] != 'e' && Out[e] != 'E')
        e++;
    int end = e;
    if (memchr(Out, '.', e)) {
        while (end > 0 && Out[end - 1] == '0')
            end--;
        if (end > 0 && Out[end - 1] == '.')
            end--;
    }
    memmove(Out + end, Out + e, n - e);
    return end + (n - e);
}

static void Float(CRT_SINK *s, SPEC *sp, double Value, char Conversion)
{
    union { double d; unsigned long long u; } bits = { Value };
    int negative = (int)(bits.u >> 63);
    const char *sign = negative ? "-" : sp->Plus ? "+" : sp->Space ? " " : "";
    unsigned exponent = (unsigned)(bits.u >> 52) & 0x7FF;
    if (exponent == 0x7FF) {
        Special(s, sp, sign, (bits.u << 12) != 0);
        return;
    }
    long double v = negative ? -(long double)Value : (long double)Value;
    int precision = sp->Precision < 0 ? 6 : sp->Precision;
    char body[FLOAT_DIGITS + 16];
    int n;
    unsigned short fpu = CrtFpuExtended();
    if (Conversion == 'e')
        n = FormatE(body, v, precision > FLOAT_DIGITS - 8 ? FLOAT_DIGITS - 8 : precision, sp->Alt, sp->Upper);
    else if (Conversion == 'f')
        n = FormatF(body, v, precision, sp->Alt);
    else
        n = FormatG(body, v, precision, sp->Alt, sp->Upper);
    CrtFpuRestore(fpu);
    Field(s, sp, sign, 0, body, n, sp->Zero && !sp->Left);
}

/* ---- strings ------------------------------------------------------------------------------- */

static void String(CRT_SINK *s, const SPEC *sp, const char *Text)
{
    if (!Text)
        Text = "(null)";
    size_t n = sp->Precision >= 0 ? strnlen(Text, sp->Precision) : strlen(Text);
    Field(s, sp, "", 0, Text, (int)n, 0);
}

/* A wide string in a narrow format: each UTF-16 unit below 256 is that byte, others '?'. */
static void WideString(CRT_SINK *s, const SPEC *sp, const wchar_t_ *Text)
{
    static const wchar_t_ null[] = { '(', 'n', 'u', 'l', 'l', ')', 0 };
    if (!Text)
        Text = null;
    size_t n = 0;
    while (Text[n] && (sp->Precision < 0 || n < (size_t)sp->Precision))
        n++;
    int fill = sp->Width > (int)n ? sp->Width - (int)n : 0;
    if (!sp->Left)
        Pad(s, ' ', fill);
    for (size_t i = 0; i < n; i++) {
        char c = Text[i] < 256 ? (char)Text[i] : '?';
        Put(s, &c, 1);
    }
    if (sp->Left)
        Pad(s, ' ', fill);
}

/* ---- the format ------------------------------------------------------------------------------ */

enum { LEN_INT, LEN_SHORT, LEN_CHAR, LEN_LONG, LEN_LONGLONG, LEN_LONGDOUBLE, LEN_WIDE };

static const char *ParseFlags(const char *p, SPEC *sp)
{
    for (;; p++) {
        switch (*p) {
        case '-': sp->Left = 1; continue;
        case '+': sp->Plus = 1; continue;
        case ' ': sp->Space = 1; continue;
        case '#': sp->Alt = 1; continue;
        case '0': sp->Zero = 1; continue;
        }
        return p;
    }
}

static const char *ParseLength(const char *p, int *Length)
{
    *Length = LEN_INT;
    if (p[0] == 'h') {
        *Length = p[1] == 'h' ? LEN_CHAR : LEN_SHORT;
        return p + (p[1] == 'h' ? 2 : 1);
    }
    if (p[0] == 'l') {
        *Length = p[1] == 'l' ? LEN_LONGLONG : LEN_LONG;
        return p + (p[1] == 'l' ? 2 : 1);
    }
    if (p[0] == 'I' && p[1] == '6' && p[2] == '4') {
        *Length = LEN_LONGLONG;
        return p + 3;
    }
    if (p[0] == 'I' && p[1] == '3' && p[2] == '2')
        return p + 3;
    if (p[0] == 'I' || p[0] == 'z' || p[0] == 't')
        return p + 1;                      /* pointer-sized: 32 bits here */
    if (p[0] == 'j') {
        *Length = LEN_LONGLONG;
        return p + 1;
    }
    if (p[0] == 'L') {
        *Length = LEN_LONGDOUBLE;          /* MSVCRT's long double is double */
        return p + 1;
    }
    if (p[0] == 'w') {
        *Length = LEN_WIDE;
        return p + 1;
    }
    return p;
}

int CrtFormat(CRT_SINK *s, const char *Format, va_list Args)
{
    const char *p = Format;
    while (*p) {
        if (*p != '%') {
            const char *run = p;
            while (*p && *p != '%')
                p++;
            Put(s, run, p - run);
            continue;
        }
        SPEC sp = { 0 };
        sp.Precision = -1;
        p = ParseFlags(p + 1, &sp);
        if (*p == '*') {
            sp.Width = va_arg(Args, int);
            if (sp.Width < 0) {
                sp.Left = 1;
                sp.Width = -sp.Width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                sp.Width = sp.Width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            sp.Precision = 0;
            if (*p == '*') {
                sp.Precision = va_arg(Args, int);
                if (sp.Precision < 0)
                    sp.Precision = -1;
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    sp.Precision = sp.Precision * 10 + (*p++ - '0');
            }
        }
        int length;
        p = ParseLength(p, &length);
        char c = *p;
        if (!c)
            break;
        p++;
        sp.Upper = c == 'X' || c == 'E' || c == 'G' || c == 'F' || c == 'A';
        switch (c) {
        case 'd': case 'i': {
            long long v = length == LEN_LONGLONG ? va_arg(Args, long long) : va_arg(Args, int);
            if (length == LEN_SHORT) v = (short)v;
            if (length == LEN_CHAR) v = (signed char)v;
            unsigned long long magnitude = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            Integer(s, &sp, magnitude, v < 0, 10, 1);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v = length == LEN_LONGLONG ? va_arg(Args, unsigned long long)
                                                          : va_arg(Args, unsigned int);
            if (length == LEN_SHORT) v = (unsigned short)v;
            if (length == LEN_CHAR) v = (unsigned char)v;
            Integer(s, &sp, v, 0, c == 'u' ? 10 : c == 'o' ? 8 : 16, 0);
            break;
        }
        case 'p': {
            SPEC pointer = sp;
            pointer.Upper = 1;
            pointer.Precision = 8;
            pointer.Alt = 0;
            Integer(s, &pointer, (ULONG_PTR)va_arg(Args, void *), 0, 16, 0);
            break;
        }
        case 'c': case 'C': {
            /* In a narrow format %c is a char and %C a wide one; wprintf swaps them. */
            int wide = length == LEN_LONG || length == LEN_WIDE ||
                       (length != LEN_SHORT && ((c == 'C') != (s->Wide != 0)));
            int v = va_arg(Args, int);
            char ch = wide && (v & 0xFFFF) > 255 ? '?' : (char)v;
            Field(s, &sp, "", 0, &ch, 1, 0);
            break;
        }
        case 's': case 'S': {
            int wide = length == LEN_LONG || length == LEN_WIDE ||
                       (length != LEN_SHORT && ((c == 'S') != (s->Wide != 0)));
            if (wide)
                WideString(s, &sp, va_arg(Args, const wchar_t_ *));
            else
                String(s, &sp, va_arg(Args, const char *));
            break;
        }
        case 'e': case 'E': Float(s, &sp, va_arg(Args, double), 'e'); break;
        case 'f': case 'F': Float(s, &sp, va_arg(Args, double), 'f'); break;
        case 'g': case 'G': Float(s, &sp, va_arg(Args, double), 'g'); break;
        case 'a': case 'A': Float(s, &sp, va_arg(Args, double), 'e'); break;  /* no hex floats */
        case 'n':
            (void)va_arg(Args, void *);    /* refused: a classic format-string attack */
            break;
        case '%':
            Put(s, "%", 1);
            break;
        default:
            Put(s, p - 1, 1);              /* an unknown conversion prints itself */
            break;
        }
    }
    return s->Error ? -1 : (int)s->Count;
}
