/*
 * dbgprint.c - DbgPrint, the kernel debugger's print: formatted text to COM1. KdDisplay is the
 * same formatting for console-style messages (banner, bug check) that also go to the screen.
 */
#include "kd.h"
#include "hal.h"
#include "rtl.h"

ULONG DbgPrint(PCSTR Format, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, Format);
    LONG n = RtlFormatV(buf, sizeof(buf), Format, ap);
    va_end(ap);
    HalSerialWrite(buf, (ULONG)RtlStringLength(buf));
    return n < 0 ? 0 : (ULONG)n;
}

VOID KdDisplay(PCSTR Format, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, Format);
    RtlFormatV(buf, sizeof(buf), Format, ap);
    va_end(ap);
    HalDisplayString(buf);
}
