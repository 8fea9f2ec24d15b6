/*
 * event.c - events: a notification event stays signalled and releases every waiter; a
 * synchronization event releases one waiter and resets itself.
 */
#include "ki.h"

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Header.Type = Type == NotificationEvent ? EventNotificationObject : EventSynchronizationObject;
    Event->Header.Size = sizeof(KEVENT) / sizeof(ULONG);
    Event->Header.SignalState = State ? 1 : 0;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG KeSetEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    UNREFERENCED_PARAMETER(Wait);           /* NT's "a wait follows at once" hint: not needed */
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG previous = Event->Header.SignalState;
    if (previous == 0) {
        Event->Header.SignalState = 1;
        KiWaitTest(Event, Increment);
    }
    KeLowerIrql(old);
    return previous;
}

LONG KeResetEvent(PKEVENT Event)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG previous = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    KeLowerIrql(old);
    return previous;
}

VOID KeClearEvent(PKEVENT Event)
{
    Event->Header.SignalState = 0;
}

/* Releases whoever waits now (all, or one for a synchronization event) and leaves it reset. */
LONG KePulseEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    UNREFERENCED_PARAMETER(Wait);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG previous = Event->Header.SignalState;
    if (previous == 0) {
        Event->Header.SignalState = 1;
        KiWaitTest(Event, Increment);
    }
    Event->Header.SignalState = 0;
    KeLowerIrql(old);
    return previous;
}
