/* math.c - <math.h> on the x87 FPU: the transcendental functions use its instructions (fsin,
 * fpatan, fyl2x, f2xm1, fscale, fprem), which work in 80-bit precision, so one rounding to
 * double at the end gives results as good as a program can tell. Domain errors set errno EDOM
 * and return NaN; overflow to infinity sets ERANGE. (MinGW links its own sqrt, pow, floor, ...
 * into programs; these serve programs and DLLs that import them.) */
#include "crtp.h"

typedef union { unsigned long long u; double d; } BITS;
static double Nan(void) { BITS v = { 0x7FF8000000000000ULL }; return v.d; }
static double Inf(void) { BITS v = { 0x7FF0000000000000ULL }; return v.d; }
static int IsNan(double x) { return x != x; }

static double Domain(void)
{
    errno = EDOM;
    return Nan();
}

CRTAPI double fabs(double x) { return x < 0 ? -x : x == 0 ? 0.0 : x; }

CRTAPI double sqrt(double x)
{
    if (x < 0)
        return Domain();
    long double r;
    __asm__("fsqrt" : "=t"(r) : "0"((long double)x));
    return (double)r;
}

/* fsin/fcos/fptan take |x| < 2^63: beyond, the argument is reduced by 2*pi with fprem1. */
static long double Reduce(long double x)
{
    if (x > -9.2e18L && x < 9.2e18L)
        return x;
    static const long double twopi = 6.283185307179586476925286766559L;
    unsigned short status;
    do
        __asm__("fprem1; fnstsw %1" : "+t"(x), "=a"(status) : "u"(twopi));
    while (status & 0x400);
    return x;
}

CRTAPI double sin(double x)
{
    long double r = Reduce(x);
    __asm__("fsin" : "+t"(r));
    return (double)r;
}

CRTAPI double cos(double x)
{
    long double r = Reduce(x);
    __asm__("fcos" : "+t"(r));
    return (double)r;
}

CRTAPI double tan(double x)
{
    long double r = Reduce(x), one;
    __asm__("fptan" : "=t"(one), "=u"(r) : "0"(r));  /* fptan pushes 1.0 above tan(x) */
    return (double)r;
}

/* atan(y/x) in the right quadrant. */
static long double Atan2(long double y, long double x)
{
    long double r;
    __asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
    return r;
}

CRTAPI double atan2(double y, double x) { return (double)Atan2(y, x); }
CRTAPI double atan(double x) { return (double)Atan2(x, 1.0L); }

CRTAPI double asin(double x)
{
    if (x < -1 || x > 1)
        return Domain();
    long double c;
    __asm__("fsqrt" : "=t"(c) : "0"(1.0L - (long double)x * x));
    return (double)Atan2(x, c);
}

CRTAPI double acos(double x)
{
    if (x < -1 || x > 1)
        return Domain();
    long double s;
    __asm__("fsqrt" : "=t"(s) : "0"(1.0L - (long double)x * x));
    return (double)Atan2(s, x);
}

/* y * log2(x) */
static long double YLog2X(long double y, long double x)
{
    long double r;
    __asm__("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
    return r;
}

/* 2^t: f2xm1 on the fraction (|f| <= 0.5), fscale by the integer. */
static long double Exp2(long double t)
{
    if (t > 20000)
        return Inf();
    if (t < -20000)
        return 0;
    long double i, f, r;
    __asm__("frndint" : "=t"(i) : "0"(t));
    f = t - i;
    __asm__("f2xm1" : "=t"(r) : "0"(f));
    r += 1.0L;
    __asm__("fscale" : "=t"(r) : "0"(r), "u"(i));
    return r;
}

static double Finish(long double r)
{
    double d = (double)r;
    if (d == Inf() || d == -Inf())
        errno = ERANGE;
    return d;
}

CRTAPI double log(double x)
{
    if (IsNan(x)) return x;
    if (x < 0) return Domain();
    if (x == 0) { errno = ERANGE; return -Inf(); }
    return (double)YLog2X(0.693147180559945309417232121458L, x);
}

CRTAPI double log10(double x)
{
    if (IsNan(x)) return x;
    if (x < 0) return Domain();
    if (x == 0) { errno = ERANGE; return -Inf(); }
    return (double)YLog2X(0.301029995663981195213738894724L, x);
}

CRTAPI double exp(double x)
{
    if (IsNan(x)) return x;
    return Finish(Exp2((long double)x * 1.44269504088896340735992468100L));
}

static int IsInteger(double y) { return y == (double)(long long)y || y >= 9e15 || y <= -9e15; }

CRTAPI double pow(double x, double y)
{
    if (y == 0) return 1.0;
    if (IsNan(x) || IsNan(y)) return x + y;
    if (x == 0) {
        if (y > 0) return 0.0;
        errno = ERANGE;
        return Inf();
    }
    int negative = 0;
    if (x < 0) {
        if (!IsInteger(y))
            return Domain();
        negative = (y > -9e15 && y < 9e15) && ((long long)y & 1);
        x = -x;
    }
    long double r = Exp2(YLog2X(y, x));
    return Finish(negative ? -r : r);
}

CRTAPI double floor(double x)
{
    if (IsNan(x) || x == 0 || x >= 4503599627370496.0 || x <= -4503599627370496.0)
        return x;                         /* NaN, zeros and big values are already integers */
    double t = (double)(long long)x;
    return t > x ? t - 1 : t;
}

CRTAPI double ceil(double x)
{
    if (IsNan(x) || x == 0 || x >= 4503599627370496.0 || x <= -4503599627370496.0)
        return x;
    double t = (double)(long long)x;
    return t < x ? t + 1 : t;
}

CRTAPI double fmod(double x, double y)
{
    if (y == 0 || IsNan(x) || IsNan(y))
        return Domain();
    long double r = x;
    unsigned short status;
    do
        __asm__("fprem; fnstsw %1" : "+t"(r), "=a"(status) : "u"((long double)y));
    while (status & 0x400);
    return (double)r;
}

#define LOG2_E 1.44269504088896340735992468100L

CRTAPI double sinh(double x)
{
    long double e = Exp2((long double)x * LOG2_E);
    return Finish((e - 1 / e) / 2);
}

CRTAPI double cosh(double x)
{
    long double e = Exp2((long double)x * LOG2_E);
    return Finish((e + 1 / e) / 2);
}
CRTAPI double tanh(double x)
{
    if (x > 40) return 1.0;
    if (x < -40) return -1.0;
    long double e = Exp2(2 * (long double)x * 1.44269504088896340735992468100L);
    return (double)((e - 1) / (e + 1));
}

CRTAPI double ldexp(double x, int n)
{
    long double r;
    __asm__("fscale" : "=t"(r) : "0"((long double)x), "u"((long double)n));
    return Finish(r);
}

/* x = m * 2^e with 0.5 <= |m| < 1 */
CRTAPI double frexp(double x, int *e)
{
    union { double d; unsigned long long u; } v = { x };
    int exponent = (int)((v.u >> 52) & 0x7FF);
    *e = 0;
    if (x == 0 || exponent == 0x7FF)
        return x;
    if (exponent == 0) {                  /* subnormal: normalise first */
        v.d = x * 18014398509481984.0;    /* 2^54 */
        exponent = (int)((v.u >> 52) & 0x7FF) - 54;
    }
    *e = exponent - 1022;
    v.u = (v.u & ~(0x7FFULL << 52)) | (1022ULL << 52);
    return v.d;
}

CRTAPI double modf(double x, double *Integer)
{
    double t = x >= 4503599627370496.0 || x <= -4503599627370496.0 || IsNan(x) ? x : (double)(long long)x;
    *Integer = t;
    return IsNan(x) ? x : x - t;
}

CRTAPI double _hypot(double x, double y) { return sqrt(x * x + y * y); }
CRTAPI int _isnan(double x) { return IsNan(x); }
CRTAPI int _finite(double x) { return !IsNan(x) && x != Inf() && x != -Inf(); }
CRTAPI double _copysign(double x, double y) { return (y < 0 || (y == 0 && 1 / y < 0)) ? -fabs(x) : fabs(x); }
CRTAPI double _chgsign(double x) { return -x; }
CRTAPI double _logb(double x) { int e; frexp(x, &e); return e - 1; }
CRTAPI double _scalb(double x, long n) { return ldexp(x, (int)n); }
