/*
 * time.c - system time and the performance counter.
 *
 * The system time is NT's: 100 ns units since 1601-01-01 00:00 UTC. The CMOS clock is read once
 * at boot (hal/rtc.c) and converted to KeBootTime; after that the time is
 * KeBootTime + KeTickCount * KeQueryTimeIncrement(), so it advances in clock ticks (10 ms) and
 * never goes backwards. The performance counter is the processor's time-stamp counter (rdtsc);
 * its frequency is measured once, on the first request, against KE_CALIBRATION_TICKS clock ticks.
 */
#include "ki.h"
#include "svc.h"
#include "kd.h"
#include "x86.h"
#include "ntstatus.h"

#define TICKS_PER_MILLISECOND 10000ull
#define TICKS_PER_DAY (86400ull * 1000 * TICKS_PER_MILLISECOND)
#define DAYS_PER_400_YEARS 146097u
#define KE_CALIBRATION_TICKS 5

LARGE_INTEGER KeBootTime;
static ULONGLONG KiTscFrequency;      /* 0 until measured */

static const USHORT KiDaysBeforeMonth[2][13] = {
    { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 },
    { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366 },
};

static BOOLEAN KiIsLeapYear(ULONG Year)
{
    return Year % 4 == 0 && (Year % 100 != 0 || Year % 400 == 0);
}

/* Days from 1601-01-01 to January 1st of Year. 1601 starts a 400-year Gregorian cycle, so the
 * leap years before Year are simply n/4 - n/100 + n/400 with n = Year - 1601. */
static ULONG KiDaysBeforeYear(ULONG Year)
{
    ULONG n = Year - 1601;
    return n * 365 + n / 4 - n / 100 + n / 400;
}

BOOLEAN RtlTimeFieldsToTime(const TIME_FIELDS *f, PLARGE_INTEGER Time)
{
    if (f->Year < 1601 || f->Month < 1 || f->Month > 12 || f->Day < 1 || f->Hour < 0 ||
        f->Hour > 23 || f->Minute < 0 || f->Minute > 59 || f->Second < 0 || f->Second > 59 ||
        f->Milliseconds < 0 || f->Milliseconds > 999)
        return FALSE;
    const USHORT *before = KiDaysBeforeMonth[KiIsLeapYear(f->Year)];
    if (f->Day > before[f->Month] - before[f->Month - 1]) return FALSE;
    ULONGLONG days = KiDaysBeforeYear(f->Year) + before[f->Month - 1] + f->Day - 1;
    ULONGLONG seconds = days * 86400 + f->Hour * 3600u + f->Minute * 60u + f->Second;
    Time->QuadPart = (LONGLONG)((seconds * 1000 + f->Milliseconds) * TICKS_PER_MILLISECOND);
    return TRUE;
}

VOID RtlTimeToTimeFields(const LARGE_INTEGER *Time, PTIME_FIELDS f)
{
    ULONGLONG t = (ULONGLONG)Time->QuadPart;
    ULONG days = (ULONG)(t / TICKS_PER_DAY);
    ULONG ms = (ULONG)((t % TICKS_PER_DAY) / TICKS_PER_MILLISECOND);

    f->Weekday = (SHORT)((days + 1) % 7);                   /* 1601-01-01 was a Monday */
    ULONG year = 1601 + days / DAYS_PER_400_YEARS * 400;
    while (KiDaysBeforeYear(year + 1) <= days) year++;      /* at most 400 steps */
    ULONG dayOfYear = days - KiDaysBeforeYear(year);
    const USHORT *before = KiDaysBeforeMonth[KiIsLeapYear(year)];
    ULONG month = 1;
    while (before[month] <= dayOfYear) month++;

    f->Year = (SHORT)year;
    f->Month = (SHORT)month;
    f->Day = (SHORT)(dayOfYear - before[month - 1] + 1);
    f->Hour = (SHORT)(ms / 3600000);
    f->Minute = (SHORT)(ms / 60000 % 60);
    f->Second = (SHORT)(ms / 1000 % 60);
    f->Milliseconds = (SHORT)(ms % 1000);
}

VOID KiInitializeSystemTime(VOID)
{
    TIME_FIELDS now;
    LARGE_INTEGER t;
    if (!HalQueryRealTimeClock(&now) || !RtlTimeFieldsToTime(&now, &t)) {
        DbgPrint("KE: the real-time clock holds no valid date; system time starts at 2001-01-01\n");
        TIME_FIELDS fallback = { 2001, 1, 1, 0, 0, 0, 0, 0 };
        RtlTimeFieldsToTime(&fallback, &t);
    }
    KeBootTime.QuadPart = t.QuadPart - (LONGLONG)KeTickCount * KeQueryTimeIncrement();
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = KeBootTime.QuadPart + (LONGLONG)KeTickCount * KeQueryTimeIncrement();
}

/* TSC ticks over KE_CALIBRATION_TICKS clock ticks, timed from one tick edge to another. Needs the
 * clock interrupt, so 0 when interrupts are off. */
static ULONGLONG KiMeasureTscFrequency(void)
{
    if (!(__readeflags() & EFLAGS_IF)) return 0;
    ULONG edge = KeTickCount;
    while (KeTickCount == edge) __halt();
    ULONGLONG t0 = __rdtsc();
    edge = KeTickCount;
    while (KeTickCount - edge < KE_CALIBRATION_TICKS) __halt();
    ULONGLONG t1 = __rdtsc();
    return (t1 - t0) * KE_CLOCK_HZ / KE_CALIBRATION_TICKS;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER counter;
    if (PerformanceFrequency) {
        if (KiTscFrequency == 0) KiTscFrequency = KiMeasureTscFrequency();
        PerformanceFrequency->QuadPart = (LONGLONG)KiTscFrequency;
    }
    counter.QuadPart = (LONGLONG)__rdtsc();
    return counter;
}

/* A service's result goes to its caller's memory: probed and fault-tolerant for user callers. */
static NTSTATUS KiStoreLargeInteger(PLARGE_INTEGER Destination, LARGE_INTEGER Value)
{
    if (ExGetPreviousMode() == KernelMode) {
        *Destination = Value;
        return STATUS_SUCCESS;
    }
    NTSTATUS status = ProbeForWrite(Destination, sizeof(*Destination), sizeof(ULONG));
    if (!NT_SUCCESS(status)) return status;
    return KiCopyMemoryWithFixup(Destination, &Value, sizeof(Value));
}

NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime)
{
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    return KiStoreLargeInteger(SystemTime, now);
}

NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter,
                                   PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER frequency;
    LARGE_INTEGER counter = KeQueryPerformanceCounter(PerformanceFrequency ? &frequency : NULL);
    if (PerformanceFrequency && frequency.QuadPart == 0) return STATUS_UNSUCCESSFUL;
    NTSTATUS status = KiStoreLargeInteger(PerformanceCounter, counter);
    if (NT_SUCCESS(status) && PerformanceFrequency)
        status = KiStoreLargeInteger(PerformanceFrequency, frequency);
    return status;
}
