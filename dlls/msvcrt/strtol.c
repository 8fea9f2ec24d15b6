/* strtol.c - numbers from text: strtol/strtoul/_strtoi64/_strtoui64 (base 0 finds 0x and 0
 * prefixes; out of range gives the limit and ERANGE), atoi/atol/_atoi64, and the reverse,
 * _itoa/_ltoa/_ultoa/_i64toa. */
#include "crtp.h"

static int DigitValue(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* The magnitude in 64 bits, saturating at Limit (then *Overflow); *End after the last digit, or
 * at the start when there were none. */
static unsigned long long Parse(const char *s, char **End, int Base, int *Negative,
                                unsigned long long Limit, int *Overflow)
{
    const char *p = s;
    unsigned long long v = 0;
    int any = 0;
    *Negative = 0;
    *Overflow = 0;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *Negative = *p++ == '-';
    if ((Base == 0 || Base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && DigitValue(p[2]) < 16) {
        p += 2;
        Base = 16;
    } else if (Base == 0) {
        Base = p[0] == '0' ? 8 : 10;
    }
    if (Base < 2 || Base > 36) {
        errno = EINVAL;
        if (End) *End = (char *)s;
        return 0;
    }
    for (int d; (d = DigitValue((unsigned char)*p)) < Base; p++) {
        any = 1;
        if (v > (Limit - d) / Base) {
            *Overflow = 1;
            v = Limit;
        } else if (!*Overflow) {
            v = v * Base + d;
        }
    }
    if (End)
        *End = (char *)(any ? p : s);
    return v;
}

CRTAPI long strtol(const char *s, char **End, int Base)
{
    int negative, overflow;
    unsigned long long v = Parse(s, End, Base, &negative, 0xFFFFFFFFULL, &overflow);
    if (!overflow && (negative ? v > 0x80000000ULL : v > 0x7FFFFFFFULL))
        overflow = 1;
    if (overflow) {
        errno = ERANGE;
        return negative ? LONG_MIN : LONG_MAX;
    }
    return negative ? (long)(0 - v) : (long)v;
}

/* A '-' negates in unsigned arithmetic, as C says. */
CRTAPI unsigned long strtoul(const char *s, char **End, int Base)
{
    int negative, overflow;
    unsigned long long v = Parse(s, End, Base, &negative, 0xFFFFFFFFULL, &overflow);
    if (overflow) {
        errno = ERANGE;
        return ULONG_MAX;
    }
    return negative ? (unsigned long)(0 - v) : (unsigned long)v;
}

CRTAPI long long _strtoi64(const char *s, char **End, int Base)
{
    int negative, overflow;
    unsigned long long v = Parse(s, End, Base, &negative, ~0ULL, &overflow);
    if (!overflow && (negative ? v > (1ULL << 63) : v > (1ULL << 63) - 1))
        overflow = 1;
    if (overflow) {
        errno = ERANGE;
        return negative ? (long long)(1ULL << 63) : (long long)((1ULL << 63) - 1);
    }
    return negative ? (long long)(0 - v) : (long long)v;
}

CRTAPI unsigned long long _strtoui64(const char *s, char **End, int Base)
{
    int negative, overflow;
    unsigned long long v = Parse(s, End, Base, &negative, ~0ULL, &overflow);
    if (overflow) {
        errno = ERANGE;
        return ~0ULL;
    }
    return negative ? 0 - v : v;
}

CRTAPI long long strtoll(const char *s, char **End, int Base) { return _strtoi64(s, End, Base); }
CRTAPI unsigned long long strtoull(const char *s, char **End, int Base) { return _strtoui64(s, End, Base); }
CRTAPI long long strtoimax(const char *s, char **End, int Base) { return _strtoi64(s, End, Base); }

/* atoi: no error reporting; overflow wraps as MSVCRT's does not promise anything. */
CRTAPI long long _atoi64(const char *s)
{
    int negative, overflow;
    unsigned long long v = Parse(s, NULL, 10, &negative, ~0ULL, &overflow);
    return negative ? (long long)(0 - v) : (long long)v;
}
CRTAPI int atoi(const char *s) { return (int)_atoi64(s); }
CRTAPI long atol(const char *s) { return (long)_atoi64(s); }
CRTAPI long long atoll(const char *s) { return _atoi64(s); }

static char *ToText(unsigned long long v, int Negative, char *Out, int Base)
{
    char digits[66];
    int n = 0;
    if (Base < 2 || Base > 36) {
        *Out = 0;
        return Out;
    }
    do {
        digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % Base];
        v /= Base;
    } while (v);
    char *p = Out;
    if (Negative)
        *p++ = '-';
    while (n)
        *p++ = digits[--n];
    *p = 0;
    return Out;
}

/* Only base 10 shows a sign; other bases print the two's complement bits. */
CRTAPI char *_itoa(int v, char *Out, int Base)
{
    return Base == 10 && v < 0 ? ToText(0ULL - (long long)v, 1, Out, 10) : ToText((unsigned)v, 0, Out, Base);
}
CRTAPI char *_ltoa(long v, char *Out, int Base) { return _itoa((int)v, Out, Base); }
CRTAPI char *_ultoa(unsigned long v, char *Out, int Base) { return ToText(v, 0, Out, Base); }
CRTAPI char *_i64toa(long long v, char *Out, int Base)
{
    return Base == 10 && v < 0 ? ToText(0ULL - (unsigned long long)v, 1, Out, 10)
                               : ToText((unsigned long long)v, 0, Out, Base);
}
CRTAPI char *_ui64toa(unsigned long long v, char *Out, int Base) { return ToText(v, 0, Out, Base); }
