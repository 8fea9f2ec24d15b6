/*
 * timer.c - timers and timeouts. Due times are kept in clock ticks on one list in due order; the
 * clock interrupt only notices that the head is due, and the expiry (signal, wake waiters, re-arm
 * a periodic timer) runs at DISPATCH_LEVEL from KiDispatchInterrupt. Resolution is one tick
 * (10 ms); a due time is rounded up so a timeout never ends early.
 */
#include "ki.h"
#include "ntstatus.h"
#include "svc.h"

static LIST_ENTRY KiTimerList = { &KiTimerList, &KiTimerList };
volatile ULONGLONG KiTickCount64;

ULONGLONG KeQueryInterruptTime(VOID)
{
    return KiTickCount64 * KeQueryTimeIncrement();
}

/* Negative: relative, in 100 ns units. Positive: absolute system time (100 ns since 1601), as
 * NT has it; a time already past is due at once. */
ULONGLONG KiTimeoutToTicks(LARGE_INTEGER Timeout)
{
    ULONGLONG inc = KeQueryTimeIncrement();
    if (Timeout.QuadPart < 0) {
        ULONGLONG rel = (ULONGLONG)(-Timeout.QuadPart);
        return KiTickCount64 + (rel + inc - 1) / inc + 1;     /* +1: the current tick is partial */
    }
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    ULONGLONG abs = (ULONGLONG)Timeout.QuadPart, cur = (ULONGLONG)now.QuadPart;
    return abs <= cur ? KiTickCount64 : KiTickCount64 + (abs - cur + inc - 1) / inc + 1;
}

BOOLEAN KiRemoveTimer(PKTIMER Timer)
{
    if (!Timer->Header.Inserted) return FALSE;
    RemoveEntryList(&Timer->TimerListEntry);
    Timer->Header.Inserted = FALSE;
    return TRUE;
}

BOOLEAN KiInsertTimer(PKTIMER Timer, ULONGLONG DueTick, LONG PeriodMs)
{
    BOOLEAN was = KiRemoveTimer(Timer);
    Timer->DueTick = DueTick;
    Timer->Period = PeriodMs;
    PLIST_ENTRY e = KiTimerList.Flink;
    while (e != &KiTimerList && CONTAINING_RECORD(e, KTIMER, TimerListEntry)->DueTick <= DueTick)
        e = e->Flink;
    InsertTailList(e, &Timer->TimerListEntry);       /* before e: keeps the list in due order */
    Timer->Header.Inserted = TRUE;
    return was;
}

BOOLEAN KiTimerDue(VOID)
{
    return KiTimerList.Flink != &KiTimerList &&
           CONTAINING_RECORD(KiTimerList.Flink, KTIMER, TimerListEntry)->DueTick <= KiTickCount64;
}

VOID KiExpireTimers(VOID)
{
    while (KiTimerDue()) {
        PKTIMER t = CONTAINING_RECORD(KiTimerList.Flink, KTIMER, TimerListEntry);
        KiRemoveTimer(t);
        t->Header.SignalState = 1;
        KiWaitTest(t, IO_NO_INCREMENT);
        if (t->Period) {
            ULONGLONG ticks = ((ULONGLONG)t->Period * 10000 + KeQueryTimeIncrement() - 1) / KeQueryTimeIncrement();
            KiInsertTimer(t, t->DueTick + (ticks ? ticks : 1), t->Period);
        }
    }
}

VOID KeInitializeTimer(PKTIMER Timer, TIMER_TYPE Type)
{
    Timer->Header.Type = Type == NotificationTimer ? TimerNotificationObject : TimerSynchronizationObject;
    Timer->Header.Size = sizeof(KTIMER) / sizeof(ULONG);
    Timer->Header.SignalState = 0;
    Timer->Header.Inserted = FALSE;
    InitializeListHead(&Timer->Header.WaitListHead);
    Timer->Period = 0;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, LONG PeriodMs)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Timer->Header.SignalState = 0;           /* setting a timer resets it */
    BOOLEAN was = KiInsertTimer(Timer, KiTimeoutToTicks(DueTime), PeriodMs);
    KeLowerIrql(old);
    return was;
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN was = KiRemoveTimer(Timer);
    KeLowerIrql(old);
    return was;
}
