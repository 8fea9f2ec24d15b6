/* event.c - event objects: NtCreateEvent, NtOpenEvent, NtSetEvent, NtResetEvent, NtPulseEvent,
 * NtClearEvent, NtQueryEvent over the kernel's KEVENT. */
#include "exp.h"

typedef struct { EVENT_TYPE Type; BOOLEAN State; } EXP_EVENT_INIT;

static VOID ExpInitEvent(PVOID Body, PVOID Context)
{
    EXP_EVENT_INIT *init = Context;
    KeInitializeEvent(Body, init->Type, init->State);
}

NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType, BOOLEAN InitialState)
{
    if (EventType != NotificationEvent && EventType != SynchronizationEvent) return STATUS_INVALID_PARAMETER;
    EXP_EVENT_INIT init = { EventType, InitialState };
    return ExCreateObjectWithHandle(ExEventObjectType, sizeof(KEVENT), EventHandle, DesiredAccess, ObjectAttributes,
                           ExpInitEvent, &init);
}

NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExOpenObjectByName(ExEventObjectType, EventHandle, DesiredAccess, ObjectAttributes);
}

typedef enum { EXP_SET, EXP_RESET, EXP_PULSE } EXP_EVENT_OP;

static NTSTATUS ExpEventOperation(HANDLE EventHandle, EXP_EVENT_OP Op, PLONG PreviousState)
{
    PKEVENT event;
    NTSTATUS status = ExpReferenceObject(EventHandle, EVENT_MODIFY_STATE, ExEventObjectType, (PVOID *)&event);
    if (!NT_SUCCESS(status)) return status;
    LONG previous = Op == EXP_SET ? KeSetEvent(event, EVENT_INCREMENT, FALSE)
                  : Op == EXP_RESET ? KeResetEvent(event) : KePulseEvent(event, EVENT_INCREMENT, FALSE);
    ObDereferenceObject(event);
    return ExpReturnValue(PreviousState, &previous, sizeof(previous));
}

NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpEventOperation(EventHandle, EXP_SET, PreviousState);
}

NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpEventOperation(EventHandle, EXP_RESET, PreviousState);
}

NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpEventOperation(EventHandle, EXP_PULSE, PreviousState);
}

NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle)
{
    return ExpEventOperation(EventHandle, EXP_RESET, NULL);
}

NTSTATUS NTAPI NtQueryEvent(HANDLE EventHandle, EVENT_INFORMATION_CLASS InformationClass,
                            PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PKEVENT event;
    NTSTATUS status = ExpReferenceObject(EventHandle, EVENT_QUERY_STATE, ExEventObjectType, (PVOID *)&event);
    if (!NT_SUCCESS(status)) return status;
    EVENT_BASIC_INFORMATION info = {
        event->Header.Type == EventNotificationObject ? NotificationEvent : SynchronizationEvent,
        KeReadStateObject(event),
    };
    ObDereferenceObject(event);
    return ExpQueryBasic(InformationClass, Information, Length, ReturnLength, &info, sizeof(info));
}
