/* float.c - the floating-point environment of <float.h> on the x87: _control87/_controlfp
 * (MSVCRT's abstract bits translated to and from the control word), _clearfp, _statusfp,
 * _fpreset, and the classification helpers _fpclass. */
#include "crtp.h"

/* MSVCRT's bits: exception masks, rounding, precision. */
#define EM_INEXACT 0x00000001
#define EM_UNDERFLOW 0x00000002
#define EM_OVERFLOW 0x00000004
#define EM_ZERODIVIDE 0x00000008
#define EM_INVALID 0x00000010
#define EM_DENORMAL 0x00080000
#define RC_MASK 0x00000300
#define PC_MASK 0x00030000

/* x87 control word: masks in bits 0-5 (IM DM ZM OM UM PM), precision 8-9, rounding 10-11. */
static const struct { unsigned Crt, X87; } Masks[] = {
    { EM_INVALID, 0x01 }, { EM_DENORMAL, 0x02 }, { EM_ZERODIVIDE, 0x04 },
    { EM_OVERFLOW, 0x08 }, { EM_UNDERFLOW, 0x10 }, { EM_INEXACT, 0x20 },
};

static unsigned FromX87(unsigned short cw)
{
    unsigned v = 0;
    for (unsigned i = 0; i < sizeof(Masks) / sizeof(Masks[0]); i++)
        if (cw & Masks[i].X87)
            v |= Masks[i].Crt;
    /* rounding: x87 00 near, 01 down, 10 up, 11 chop; MSVCRT 0x000, 0x100, 0x200, 0x300 */
    v |= ((cw >> 10) & 3) << 8;
    /* precision: x87 00 single, 10 double, 11 extended; MSVCRT 0x20000, 0x10000, 0x00000 */
    switch ((cw >> 8) & 3) {
    case 0: v |= 0x20000; break;
    case 2: v |= 0x10000; break;
    default: break;
    }
    return v;
}

static unsigned short ToX87(unsigned v, unsigned short cw)
{
    cw &= ~0x0F3F;
    for (unsigned i = 0; i < sizeof(Masks) / sizeof(Masks[0]); i++)
        if (v & Masks[i].Crt)
            cw |= Masks[i].X87;
    cw |= ((v >> 8) & 3) << 10;
    switch (v & PC_MASK) {
    case 0x20000: break;
    case 0x10000: cw |= 2 << 8; break;
    default: cw |= 3 << 8; break;
    }
    return cw;
}

CRTAPI unsigned int _control87(unsigned int New, unsigned int Mask)
{
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    unsigned current = FromX87(cw);
    if (Mask) {
        current = (current & ~Mask) | (New & Mask);
        cw = ToX87(current, cw);
        __asm__ volatile("fldcw %0" : : "m"(cw));
    }
    return current;
}

/* _controlfp never unmasks denormal exceptions (as MSVCRT documents). */
CRTAPI unsigned int _controlfp(unsigned int New, unsigned int Mask)
{
    return _control87(New, Mask & ~EM_DENORMAL);
}

static unsigned StatusFromX87(unsigned short sw)
{
    unsigned v = 0;
    if (sw & 0x01) v |= 0x10;   /* _SW_INVALID */
    if (sw & 0x02) v |= 0x80000; /* _SW_DENORMAL */
    if (sw & 0x04) v |= 0x08;   /* _SW_ZERODIVIDE */
    if (sw & 0x08) v |= 0x04;   /* _SW_OVERFLOW */
    if (sw & 0x10) v |= 0x02;   /* _SW_UNDERFLOW */
    if (sw & 0x20) v |= 0x01;   /* _SW_INEXACT */
    return v;
}

CRTAPI unsigned int _statusfp(void)
{
    unsigned short sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    return StatusFromX87(sw);
}

CRTAPI unsigned int _clearfp(void)
{
    unsigned int status = _statusfp();
    __asm__ volatile("fnclex");
    return status;
}

/* Back to the state a thread starts with: all exceptions masked, 53-bit precision as Windows
 * sets it (the runtime's own long double work sets 64-bit precision locally where it needs). */
CRTAPI void _fpreset(void)
{
    unsigned short cw = 0x027F;
    __asm__ volatile("fninit; fldcw %0" : : "m"(cw));
}

CRTAPI int _fpclass(double x)
{
    union { double d; unsigned long long u; } v = { x };
    int negative = (int)(v.u >> 63);
    unsigned exponent = (unsigned)(v.u >> 52) & 0x7FF;
    unsigned long long mantissa = v.u & 0xFFFFFFFFFFFFFULL;
    if (exponent == 0x7FF)
        return !mantissa ? (negative ? 0x0004 : 0x0200) : (mantissa >> 51) ? 0x0002 : 0x0001;
    if (exponent == 0)
        return !mantissa ? (negative ? 0x0020 : 0x0040) : (negative ? 0x0010 : 0x0080);
    return negative ? 0x0008 : 0x0100;
}

/* The runtime's own conversions (printf's %f/%e/%g, strtod) count on the 64-bit mantissa of
 * long double: they switch the precision to extended for their duration, whatever the program
 * chose (Windows starts threads at 53 bits). */
unsigned short CrtFpuExtended(void)
{
    unsigned short old, cw;
    __asm__ volatile("fnstcw %0" : "=m"(old));
    cw = old | 0x0300;
    __asm__ volatile("fldcw %0" : : "m"(cw));
    return old;
}

void CrtFpuRestore(unsigned short Old)
{
    __asm__ volatile("fldcw %0" : : "m"(Old));
}
