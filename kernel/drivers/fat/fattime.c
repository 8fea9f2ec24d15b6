/*
 * fattime.c - NT time (100 ns units since 1601-01-01 UTC) to and from FAT's packed date and
 * time (local time, which on NanoNT is UTC): date = (year - 1980) << 9 | month << 5 | day,
 * time = hour << 11 | minute << 5 | seconds / 2, plus a creation "tenth" byte of 10 ms units
 * (0..199) that carries the odd second and the hundredths.
 */
#include "fatp.h"

#define FAT_TICKS_PER_SECOND 10000000LL
#define FAT_SECONDS_PER_DAY  86400LL
#define FAT_DAYS_1601_TO_1980 138426LL      /* 379 years, 91 of them leap */

static BOOLEAN FatpLeap(ULONG Year)
{
    return (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0;
}

static ULONG FatpMonthDays(ULONG Year, ULONG Month)
{
    static const UCHAR days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return Month == 2 && FatpLeap(Year) ? 29 : days[Month - 1];
}

/* Days from 1980-01-01 to January 1st of Year, by counting leap days rather than looping over
 * the years: every create and write stamps a time. */
static ULONG FatpDaysBeforeYear(ULONG Year)
{
    ULONG y = Year - 1, leaps = y / 4 - y / 100 + y / 400 - (1979 / 4 - 1979 / 100 + 1979 / 400);
    return (Year - 1980) * 365 + leaps;
}

/* Days from January 1st to the first of Month. */
static ULONG FatpDaysBeforeMonth(ULONG Year, ULONG Month)
{
    static const USHORT before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    return before[Month - 1] + (Month > 2 && FatpLeap(Year) ? 1 : 0);
}

/* Times outside FAT's range (1980-01-01 .. 2107-12-31 23:59:58) are clamped to its ends. */
VOID FatpNtTimeToFat(LONGLONG NtTime, PUSHORT Date, PUSHORT Time, PUCHAR Tenth)
{
    LONGLONG ticks = NtTime - FAT_DAYS_1601_TO_1980 * FAT_SECONDS_PER_DAY * FAT_TICKS_PER_SECOND;
    if (ticks < 0) ticks = 0;
    LONGLONG seconds = ticks / FAT_TICKS_PER_SECOND;
    ULONG centis = (ULONG)((ticks % FAT_TICKS_PER_SECOND) / 100000);
    LONGLONG days = seconds / FAT_SECONDS_PER_DAY;
    ULONG rest = (ULONG)(seconds % FAT_SECONDS_PER_DAY);
    if (days >= FatpDaysBeforeYear(2108)) {     /* past the end: the last representable moment */
        *Date = (USHORT)(127 << 9 | 12 << 5 | 31);
        *Time = (USHORT)(23 << 11 | 59 << 5 | 29);
        if (Tenth) *Tenth = 199;
        return;
    }
    /* days / 365 can only overshoot the year (by the leap days passed), never undershoot. */
    ULONG day = (ULONG)days, year = 1980 + day / 365, month = 1;
    while (FatpDaysBeforeYear(year) > day) year--;
    day -= FatpDaysBeforeYear(year);
    while (month < 12 && FatpDaysBeforeMonth(year, month + 1) <= day) month++;
    day -= FatpDaysBeforeMonth(year, month);
    *Date = (USHORT)((year - 1980) << 9 | month << 5 | (day + 1));
    *Time = (USHORT)((rest / 3600) << 11 | (rest / 60 % 60) << 5 | (rest % 60) / 2);
    if (Tenth) *Tenth = (UCHAR)((rest % 2) * 100 + centis);
}

/* A zero or invalid date gives 0 ("no time"); fields out of range are clamped. */
LONGLONG FatpFatTimeToNt(USHORT Date, USHORT Time, UCHAR Tenth)
{
    ULONG year = 1980 + (Date >> 9), month = (Date >> 5) & 15, day = Date & 31;
    if (Date == 0 || month < 1 || month > 12 || day < 1) return 0;
    if (day > FatpMonthDays(year, month)) day = FatpMonthDays(year, month);
    LONGLONG days = FAT_DAYS_1601_TO_1980 + FatpDaysBeforeYear(year) + FatpDaysBeforeMonth(year, month) + day - 1;
    ULONG hour = Time >> 11, minute = (Time >> 5) & 63, second = (Time & 31) * 2;
    if (hour > 23) hour = 23;
    if (minute > 59) minute = 59;
    if (second > 58) second = 58;
    if (Tenth > 199) Tenth = 0;
    LONGLONG seconds = days * FAT_SECONDS_PER_DAY + hour * 3600 + minute * 60 + second + Tenth / 100;
    return seconds * FAT_TICKS_PER_SECOND + (LONGLONG)(Tenth % 100) * 100000;
}

/* Converts now, reusing the last conversion while now falls in the same two-second step of FAT
 * time (the date and time are the same there; only the tenth differs): every create and write
 * stamps times, and the full conversion divides 64-bit numbers. */
static VOID FatpStampNow(PFAT_VOLUME Vol, LONGLONG Now, PUSHORT Date, PUSHORT Time, PUCHAR Tenth)
{
    const LONGLONG step = 2 * FAT_TICKS_PER_SECOND;
    const LONGLONG base = FAT_DAYS_1601_TO_1980 * FAT_SECONDS_PER_DAY * FAT_TICKS_PER_SECOND;
    const LONGLONG span = (LONGLONG)FatpDaysBeforeYear(2108) * FAT_SECONDS_PER_DAY * FAT_TICKS_PER_SECOND;
    if (Vol->StampStart != 0 && Now >= Vol->StampStart && Now - Vol->StampStart < step) {
        *Date = Vol->StampDate;
        *Time = Vol->StampTime;
        *Tenth = (UCHAR)((ULONG)(Now - Vol->StampStart) / 100000);
        return;
    }
    FatpNtTimeToFat(Now, Date, Time, Tenth);
    Vol->StampStart = 0;
    if (Now > base && Now - base < span) {                 /* not clamped: the step is exact */
        Vol->StampStart = Now - (Now - base) % step;
        Vol->StampDate = *Date;
        Vol->StampTime = *Time;
    }
}

/* Sets the chosen times of an entry to now. */
VOID FatpStampTimes(PFAT_VOLUME Vol, FAT_DIRENT *Dirent, BOOLEAN Create, BOOLEAN Write, BOOLEAN Access)
{
    LARGE_INTEGER now;
    now.QuadPart = 0;
    if (Vol->Device.QuerySystemTime) Vol->Device.QuerySystemTime(&now);
    USHORT date, time;
    UCHAR tenth;
    FatpStampNow(Vol, now.QuadPart, &date, &time, &tenth);
    if (Create) { Dirent->CrtDate = date; Dirent->CrtTime = time; Dirent->CrtTimeTenth = tenth; }
    if (Write) { Dirent->WrtDate = date; Dirent->WrtTime = time; }
    if (Access) Dirent->LstAccDate = date;
}
