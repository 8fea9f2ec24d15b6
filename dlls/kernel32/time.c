/*
 * time.c - clocks and calendar: GetTickCount (KUSER_SHARED_DATA), system time (NtQuerySystemTime,
 * 100 ns units since 1601-01-01 UTC), FILETIME <-> SYSTEMTIME in the proleptic Gregorian
 * calendar, the performance counter. NanoNT keeps no time zone: local time is UTC and
 * GetTimeZoneInformation says TIME_ZONE_ID_UNKNOWN with a zero bias.
 */
#include "k32p.h"

#define BASE_SHARED_DATA 0x7FFE0000u
#define TICKS_PER_MS 10000ull
#define TICKS_PER_DAY (86400ull * 10000000ull)

DWORD WINAPI GetTickCount(VOID)
{
    volatile ULONG *shared = (volatile ULONG *)BASE_SHARED_DATA;
    /* TickCountLowDeprecated (0x000) times TickCountMultiplier (0x004), in 2^-24 ms. */
    return (DWORD)(((ULONGLONG)shared[0] * shared[1]) >> 24);
}

VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    LARGE_INTEGER now;
    NtQuerySystemTime(&now);
    lpSystemTimeAsFileTime->dwLowDateTime = now.u.LowPart;
    lpSystemTimeAsFileTime->dwHighDateTime = (DWORD)now.u.HighPart;
}

static BOOL BaseIsLeap(ULONG Year) { return (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0; }
static const WORD BaseMonthDays[2][12] = {
    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
};

BOOL WINAPI FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime)
{
    if (lpFileTime == NULL || lpSystemTime == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    ULONGLONG t = ((ULONGLONG)lpFileTime->dwHighDateTime << 32) | lpFileTime->dwLowDateTime;
    if (t >> 63) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    ULONGLONG days = t / TICKS_PER_DAY, rest = t % TICKS_PER_DAY;
    lpSystemTime->wDayOfWeek = (WORD)((days + 1) % 7);      /* 1601-01-01 was a Monday */
    ULONG year = 1601;
    for (;;) {
        ULONG len = BaseIsLeap(year) ? 366 : 365;
        if (days < len) break;
        days -= len;
        year++;
    }
    ULONG month = 0;
    const WORD *md = BaseMonthDays[BaseIsLeap(year)];
    while (days >= md[month]) days -= md[month++];
    lpSystemTime->wYear = (WORD)year;
    lpSystemTime->wMonth = (WORD)(month + 1);
    lpSystemTime->wDay = (WORD)(days + 1);
    ULONGLONG ms = rest / TICKS_PER_MS;
    lpSystemTime->wHour = (WORD)(ms / 3600000);
    lpSystemTime->wMinute = (WORD)(ms / 60000 % 60);
    lpSystemTime->wSecond = (WORD)(ms / 1000 % 60);
    lpSystemTime->wMilliseconds = (WORD)(ms % 1000);
    return TRUE;
}

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *lpSystemTime, LPFILETIME lpFileTime)
{
    if (lpSystemTime == NULL || lpFileTime == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    const SYSTEMTIME *s = lpSystemTime;
    if (s->wYear < 1601 || s->wYear > 30827 || s->wMonth < 1 || s->wMonth > 12 || s->wDay < 1 ||
        s->wDay > BaseMonthDays[BaseIsLeap(s->wYear)][s->wMonth - 1] || s->wHour > 23 || s->wMinute > 59 ||
        s->wSecond > 59 || s->wMilliseconds > 999) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONGLONG days = 0;
    for (ULONG y = 1601; y < s->wYear; y++) days += BaseIsLeap(y) ? 366 : 365;
    for (ULONG m = 1; m < s->wMonth; m++) days += BaseMonthDays[BaseIsLeap(s->wYear)][m - 1];
    days += s->wDay - 1;
    ULONGLONG ms = (((ULONGLONG)s->wHour * 60 + s->wMinute) * 60 + s->wSecond) * 1000 + s->wMilliseconds;
    ULONGLONG t = days * TICKS_PER_DAY + ms * TICKS_PER_MS;
    lpFileTime->dwLowDateTime = (DWORD)t;
    lpFileTime->dwHighDateTime = (DWORD)(t >> 32);
    return TRUE;
}

VOID WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    FileTimeToSystemTime(&ft, lpSystemTime);
}

VOID WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime) { GetSystemTime(lpSystemTime); }

BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *lpFileTime, LPFILETIME lpLocalFileTime)
{
    if (lpFileTime == NULL || lpLocalFileTime == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    *lpLocalFileTime = *lpFileTime;
    return TRUE;
}

BOOL WINAPI LocalFileTimeToFileTime(const FILETIME *lpLocalFileTime, LPFILETIME lpFileTime)
{
    return FileTimeToLocalFileTime(lpLocalFileTime, lpFileTime);
}

LONG WINAPI CompareFileTime(const FILETIME *lpFileTime1, const FILETIME *lpFileTime2)
{
    ULONGLONG a = ((ULONGLONG)lpFileTime1->dwHighDateTime << 32) | lpFileTime1->dwLowDateTime;
    ULONGLONG b = ((ULONGLONG)lpFileTime2->dwHighDateTime << 32) | lpFileTime2->dwLowDateTime;
    return a < b ? -1 : a > b ? 1 : 0;
}

DWORD WINAPI GetTimeZoneInformation(LPTIME_ZONE_INFORMATION lpTimeZoneInformation)
{
    if (lpTimeZoneInformation == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return TIME_ZONE_ID_INVALID; }
    RtlZeroMemory(lpTimeZoneInformation, sizeof(*lpTimeZoneInformation));
    RtlCopyMemory(lpTimeZoneInformation->StandardName, u"UTC", 8);
    RtlCopyMemory(lpTimeZoneInformation->DaylightName, u"UTC", 8);
    return TIME_ZONE_ID_UNKNOWN;
}

BOOL WINAPI QueryPerformanceCounter(PLARGE_INTEGER lpPerformanceCount)
{
    NTSTATUS status = NtQueryPerformanceCounter(lpPerformanceCount, NULL);
    return BaseNtSuccess(status);
}

BOOL WINAPI QueryPerformanceFrequency(PLARGE_INTEGER lpFrequency)
{
    LARGE_INTEGER counter;
    NTSTATUS status = NtQueryPerformanceCounter(&counter, lpFrequency);
    return BaseNtSuccess(status);
}
