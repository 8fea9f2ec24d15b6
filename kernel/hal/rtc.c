/*
 * rtc.c - the CMOS real-time clock (MC146818 and its descendants): the date and time the machine
 * keeps while off, read once at boot to start the system time. The chip stores its registers in
 * BCD or binary and the hour in 12- or 24-hour form, as status register B says.
 */
#include "svc.h"
#include "x86.h"

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define RTC_SECONDS  0x00
#define RTC_MINUTES  0x02
#define RTC_HOURS    0x04
#define RTC_DAY      0x07
#define RTC_MONTH    0x08
#define RTC_YEAR     0x09
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B
#define RTC_CENTURY  0x32      /* where PC firmware (and QEMU) keeps the century */

#define STATUS_A_UPDATING 0x80
#define STATUS_B_24HOUR   0x02
#define STATUS_B_BINARY   0x04
#define HOUR_PM           0x80

typedef struct { UCHAR Second, Minute, Hour, Day, Month, Year, Century; } RTC_REGISTERS;

static UCHAR HalpReadCmos(UCHAR Register)
{
    __outbyte(CMOS_INDEX, Register);
    return __inbyte(CMOS_DATA);
}

static void HalpReadRtcRegisters(RTC_REGISTERS *r)
{
    while (HalpReadCmos(RTC_STATUS_A) & STATUS_A_UPDATING) ;   /* at most ~2 ms, once a second */
    r->Second = HalpReadCmos(RTC_SECONDS);
    r->Minute = HalpReadCmos(RTC_MINUTES);
    r->Hour = HalpReadCmos(RTC_HOURS);
    r->Day = HalpReadCmos(RTC_DAY);
    r->Month = HalpReadCmos(RTC_MONTH);
    r->Year = HalpReadCmos(RTC_YEAR);
    r->Century = HalpReadCmos(RTC_CENTURY);
}

static UCHAR HalpFromBcd(UCHAR v) { return (UCHAR)((v >> 4) * 10 + (v & 0x0F)); }

BOOLEAN HalQueryRealTimeClock(PTIME_FIELDS Time)
{
    /* An update can start between two reads: read until two passes agree. */
    RTC_REGISTERS a, b;
    HalpReadRtcRegisters(&b);
    do {
        a = b;
        HalpReadRtcRegisters(&b);
    } while (a.Second != b.Second || a.Minute != b.Minute || a.Hour != b.Hour || a.Day != b.Day ||
             a.Month != b.Month || a.Year != b.Year || a.Century != b.Century);

    UCHAR status = HalpReadCmos(RTC_STATUS_B);
    BOOLEAN pm = (b.Hour & HOUR_PM) != 0;
    b.Hour &= (UCHAR)~HOUR_PM;
    if (!(status & STATUS_B_BINARY)) {
        b.Second = HalpFromBcd(b.Second); b.Minute = HalpFromBcd(b.Minute);
        b.Hour = HalpFromBcd(b.Hour);     b.Day = HalpFromBcd(b.Day);
        b.Month = HalpFromBcd(b.Month);   b.Year = HalpFromBcd(b.Year);
        b.Century = HalpFromBcd(b.Century);
    }
    if (!(status & STATUS_B_24HOUR)) b.Hour = (UCHAR)(b.Hour % 12 + (pm ? 12 : 0));   /* 12 AM = 0 */
    if (b.Century < 19 || b.Century > 21) b.Century = b.Year < 80 ? 20 : 19;         /* no century byte */

    Time->Year = (SHORT)(b.Century * 100 + b.Year);
    Time->Month = b.Month;
    Time->Day = b.Day;
    Time->Hour = b.Hour;
    Time->Minute = b.Minute;
    Time->Second = b.Second;
    Time->Milliseconds = 0;
    Time->Weekday = 0;
    return b.Month >= 1 && b.Month <= 12 && b.Day >= 1 && b.Day <= 31 && b.Hour < 24 &&
           b.Minute < 60 && b.Second < 60;
}
