/* strtod.c - decimal text to double: strtod/atof. Up to 19 significant digits are gathered in a
 * 64-bit integer and scaled by the power of ten in the x87's 80-bit precision, then rounded once
 * to double: exact for ordinary input. Also "inf", "infinity", "nan". Out of range: ERANGE and
 * HUGE_VAL or 0. */
#include "crtp.h"

static long double Scale(long double v, int Exp10)
{
    static const long double squares[] = { 1e1L, 1e2L, 1e4L, 1e8L, 1e16L, 1e32L, 1e64L, 1e128L,
                                           1e256L, 1e512L, 1e1024L, 1e2048L, 1e4096L };
    int negative = Exp10 < 0;
    unsigned n = negative ? -Exp10 : Exp10;
    long double p = 1.0L;
    if (n > 9000)
        n = 9000;
    for (int i = 0; n && i < 13; i++, n >>= 1)
        if (n & 1)
            p *= squares[i];
    return negative ? v / p : v * p;
}

static int Match(const char *p, const char *Word)
{
    int n = 0;
    while (Word[n] && tolower((unsigned char)p[n]) == Word[n])
        n++;
    return Word[n] ? 0 : n;
}

CRTAPI double strtod(const char *s, char **End)
{
    const char *p = s;
    int negative = 0, n;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    union { unsigned long long u; double d; } special;
    if ((n = Match(p, "inf"))) {
        int more = Match(p, "infinity");
        if (End) *End = (char *)p + (more ? more : n);
        special.u = 0x7FF0000000000000ULL;
        return negative ? -special.d : special.d;
    }
    if ((n = Match(p, "nan"))) {
        if (End) *End = (char *)p + n;
        special.u = 0x7FF8000000000000ULL;
        return negative ? -special.d : special.d;
    }
    unsigned long long mantissa = 0;
    int digits = 0, exp10 = 0, any = 0;
    for (; isdigit((unsigned char)*p); p++, any = 1) {
        if (digits < 19) {
            mantissa = mantissa * 10 + (*p - '0');
            digits += mantissa != 0;
        } else {
            exp10++;
        }
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, any = 1) {
            if (digits < 19) {
                mantissa = mantissa * 10 + (*p - '0');
                digits += mantissa != 0;
                exp10--;
            }
        }
    }
    if (!any) {
        if (End) *End = (char *)s;
        return 0.0;
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int eneg = 0, e = 0;
        if (*q == '+' || *q == '-')
            eneg = *q++ == '-';
        if (isdigit((unsigned char)*q)) {
            for (; isdigit((unsigned char)*q); q++)
                if (e < 100000)
                    e = e * 10 + (*q - '0');
            exp10 += eneg ? -e : e;
            p = q;
        }
    }
    if (End)
        *End = (char *)p;
    unsigned short fpu = CrtFpuExtended();
    long double v = mantissa ? Scale((long double)mantissa, exp10) : 0.0L;
    CrtFpuRestore(fpu);
    if (v > 1.7976931348623157e308L) {
        errno = ERANGE;
        special.u = 0x7FF0000000000000ULL;
        return negative ? -special.d : special.d;
    }
    if (mantissa && v < 2.2250738585072014e-308L) {
        errno = ERANGE;             /* underflow: denormal or zero */
    }
    double d = (double)v;
    return negative ? -d : d;
}

CRTAPI double atof(const char *s) { return strtod(s, NULL); }
CRTAPI float strtof(const char *s, char **End) { return (float)strtod(s, End); }
