/* time.c - <time.h>: the calendar time from kernel32's system time (seconds since 1970, UTC),
 * clock (milliseconds since the runtime started), broken-down time, mktime, asctime/ctime and
 * strftime in the C locale. There are no time zones yet: local time is UTC. */
#include "crtp.h"

struct tm {
    int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};

#define EPOCH_IN_FILETIME 116444736000000000ULL   /* 1970-01-01 in 100 ns units since 1601 */
static DWORD StartTick;

void CrtTimeInit(void) { StartTick = GetTickCount(); }

CRTAPI long long _time64(long long *Out)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    unsigned long long t = ((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    long long seconds = (long long)((t - EPOCH_IN_FILETIME) / 10000000ULL);
    if (Out)
        *Out = seconds;
    return seconds;
}

CRTAPI long _time32(long *Out)
{
    long t = (long)_time64(NULL);
    if (Out)
        *Out = t;
    return t;
}

CRTAPI long time(long *Out) { return _time32(Out); }

CRTAPI long clock(void) { return (long)(GetTickCount() - StartTick); }   /* CLOCKS_PER_SEC 1000 */

CRTAPI double _difftime64(long long a, long long b) { return (double)(a - b); }
CRTAPI double _difftime32(long a, long b) { return (double)a - (double)b; }
CRTAPI double difftime(long a, long b) { return (double)a - (double)b; }

/* Days since 1970-01-01 to a civil date, counting in 400-year eras of 146097 days that start
 * on March 1st (so the leap day ends the year). */
static void CivilFromDays(long long Days, int *Year, int *Month, int *Day)
{
    Days += 719468;                        /* from 0000-03-01 */
    long long era = (Days >= 0 ? Days : Days - 146096) / 146097;
    unsigned doe = (unsigned)(Days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *Day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *Month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *Year = (int)(yoe + era * 400 + (*Month <= 2));
}

static long long DaysFromCivil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}


static struct tm *Breakdown(long long t, struct tm *tm)
{
    if (t < 0) {
        errno = EINVAL;
        return NULL;                       /* MSVCRT refuses times before 1970 */
    }
    long long days = t / 86400;
    int secs = (int)(t % 86400), y, m, d;
    CivilFromDays(days, &y, &m, &d);
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = secs / 3600;
    tm->tm_min = secs / 60 % 60;
    tm->tm_sec = secs % 60;
    tm->tm_wday = (int)((days + 4) % 7);   /* 1970-01-01 was a Thursday */
    tm->tm_yday = (int)(days - DaysFromCivil(y, 1, 1));
    tm->tm_isdst = 0;
    return tm;
}

/* One static struct per thread in MSVCRT; one per process here. */
static struct tm Static;
CRTAPI struct tm *_gmtime64(const long long *t) { return Breakdown(*t, &Static); }
CRTAPI struct tm *_gmtime32(const long *t) { return Breakdown(*t, &Static); }
CRTAPI struct tm *gmtime(const long *t) { return Breakdown(*t, &Static); }
CRTAPI struct tm *_localtime64(const long long *t) { return Breakdown(*t, &Static); }
CRTAPI struct tm *_localtime32(const long *t) { return Breakdown(*t, &Static); }
CRTAPI struct tm *localtime(const long *t) { return Breakdown(*t, &Static); }

/* Normalises the fields (a month of 13 is next January, ...) and returns the time. */
CRTAPI long long _mktime64(struct tm *tm)
{
    long long month = tm->tm_mon, year = tm->tm_year + 1900LL + month / 12;
    month %= 12;
    if (month < 0) {
        month += 12;
        year--;
    }
    long long t = (DaysFromCivil(year, (int)month + 1, 1) + tm->tm_mday - 1) * 86400LL +
                  tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
    if (t < 0 || !Breakdown(t, tm))
        return -1;
    return t;
}
CRTAPI long _mktime32(struct tm *tm) { return (long)_mktime64(tm); }
CRTAPI long mktime(struct tm *tm) { return (long)_mktime64(tm); }
CRTAPI long long _mkgmtime64(struct tm *tm) { return _mktime64(tm); }
CRTAPI long _mkgmtime(struct tm *tm) { return (long)_mktime64(tm); }
CRTAPI void _tzset(void) { }

static const char *const DayName[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday" };
static const char *const MonthName[] = { "January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December" };

typedef struct { char *Out; size_t Size, Used; } TEXT;

static void Add(TEXT *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, t->Used++)
        if (t->Used < t->Size)
            t->Out[t->Used] = s[i];
}

static void AddNumber(TEXT *t, int v, int Width)
{
    char digits[12];
    int n = 0;
    unsigned u = v < 0 ? 0 : (unsigned)v;
    do
        digits[sizeof(digits) - 1 - n++] = (char)('0' + u % 10);
    while ((u /= 10) || n < Width);
    Add(t, digits + sizeof(digits) - n, n);
}

static void Convert(TEXT *t, char c, const struct tm *tm);

static void AddFormat(TEXT *t, const char *Format, const struct tm *tm)
{
    for (const char *p = Format; *p; p++) {
        if (*p != '%' || !p[1]) {
            Add(t, p, 1);
            continue;
        }
        if (*++p == '#' && p[1])
            p++;                          /* MSVCRT's alternate form: same output here */
        Convert(t, *p, tm);
    }
}

static void Convert(TEXT *t, char c, const struct tm *tm)
{
    int wday = tm->tm_wday >= 0 && tm->tm_wday < 7 ? tm->tm_wday : 0;
    int mon = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;
    switch (c) {
    case 'a': Add(t, DayName[wday], 3); break;
    case 'A': Add(t, DayName[wday], strlen(DayName[wday])); break;
    case 'b': case 'h': Add(t, MonthName[mon], 3); break;
    case 'B': Add(t, MonthName[mon], strlen(MonthName[mon])); break;
    case 'c': AddFormat(t, "%m/%d/%y %H:%M:%S", tm); break;
    case 'd': AddNumber(t, tm->tm_mday, 2); break;
    case 'H': AddNumber(t, tm->tm_hour, 2); break;
    case 'I': AddNumber(t, tm->tm_hour % 12 ? tm->tm_hour % 12 : 12, 2); break;
    case 'j': AddNumber(t, tm->tm_yday + 1, 3); break;
    case 'm': AddNumber(t, tm->tm_mon + 1, 2); break;
    case 'M': AddNumber(t, tm->tm_min, 2); break;
    case 'p': Add(t, tm->tm_hour < 12 ? "AM" : "PM", 2); break;
    case 'S': AddNumber(t, tm->tm_sec, 2); break;
    case 'U': AddNumber(t, (tm->tm_yday + 7 - tm->tm_wday) / 7, 2); break;
    case 'W': AddNumber(t, (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7, 2); break;
    case 'w': AddNumber(t, tm->tm_wday, 1); break;
    case 'x': AddFormat(t, "%m/%d/%y", tm); break;
    case 'X': AddFormat(t, "%H:%M:%S", tm); break;
    case 'y': AddNumber(t, (tm->tm_year + 1900) % 100, 2); break;
    case 'Y': AddNumber(t, tm->tm_year + 1900, 1); break;
    case 'z': case 'Z': Add(t, "UTC", 3); break;
    case '%': Add(t, "%", 1); break;
    default: break;
    }
}

/* The length written without the terminator, or 0 when it does not fit. */
CRTAPI size_t strftime(char *Out, size_t Size, const char *Format, const struct tm *tm)
{
    TEXT t = { Out, Size, 0 };
    AddFormat(&t, Format, tm);
    if (t.Used >= Size) {
        if (Size)
            Out[0] = 0;
        return 0;
    }
    Out[t.Used] = 0;
    return t.Used;
}

/* "Wed Jan 02 02:03:55 1980\n" */
CRTAPI char *asctime(const struct tm *tm)
{
    static char text[32];
    TEXT t = { text, sizeof(text) - 1, 0 };
    AddFormat(&t, "%a %b %d %H:%M:%S %Y\n", tm);
    text[t.Used < sizeof(text) - 1 ? t.Used : sizeof(text) - 1] = 0;
    return text;
}

CRTAPI char *_ctime64(const long long *t)
{
    struct tm *tm = _localtime64(t);
    return tm ? asctime(tm) : NULL;
}
CRTAPI char *_ctime32(const long *t) { long long t64 = *t; return _ctime64(&t64); }
CRTAPI char *ctime(const long *t) { long long t64 = *t; return _ctime64(&t64); }
