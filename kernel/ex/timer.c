/* timer.c - timer objects: NtCreateTimer, NtOpenTimer, NtSetTimer, NtCancelTimer, NtQueryTimer
 * over the kernel's KTIMER. Timer APC routines need APCs, which NanoNT does not have yet:
 * NtSetTimer refuses one with STATUS_NOT_SUPPORTED rather than silently never calling it. */
#include "exp.h"

static VOID ExpInitTimer(PVOID Body, PVOID Context)
{
    KeInitializeTimer(Body, *(TIMER_TYPE *)Context);
}

NTSTATUS NTAPI NtCreateTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, TIMER_TYPE TimerType)
{
    if (TimerType != NotificationTimer && TimerType != SynchronizationTimer) return STATUS_INVALID_PARAMETER_4;
    return ExCreateObjectWithHandle(ExTimerObjectType, sizeof(KTIMER), TimerHandle, DesiredAccess, ObjectAttributes,
                           ExpInitTimer, &TimerType);
}

NTSTATUS NTAPI NtOpenTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExOpenObjectByName(ExTimerObjectType, TimerHandle, DesiredAccess, ObjectAttributes);
}

NTSTATUS NTAPI NtSetTimer(HANDLE TimerHandle, PLARGE_INTEGER DueTime, PTIMER_APC_ROUTINE TimerApcRoutine,
                          PVOID TimerContext, BOOLEAN ResumeTimer, LONG Period, PBOOLEAN PreviousState)
{
    UNREFERENCED_PARAMETER(TimerContext);
    UNREFERENCED_PARAMETER(ResumeTimer);
    LARGE_INTEGER due;
    PKTIMER timer;
    if (Period < 0) return STATUS_INVALID_PARAMETER_6;
    if (TimerApcRoutine) return STATUS_NOT_SUPPORTED;
    NTSTATUS status = ExCopyIn(ExGetPreviousMode(), &due, DueTime, sizeof(due));
    if (!NT_SUCCESS(status)) return status;
    status = ExpReferenceObject(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, (PVOID *)&timer);
    if (!NT_SUCCESS(status)) return status;
    BOOLEAN previous = KeReadStateObject(timer) != 0;
    KeSetTimer(timer, due, Period);
    ObDereferenceObject(timer);
    return ExpReturnValue(PreviousState, &previous, sizeof(previous));
}

NTSTATUS NTAPI NtCancelTimer(HANDLE TimerHandle, PBOOLEAN CurrentState)
{
    PKTIMER timer;
    NTSTATUS status = ExpReferenceObject(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, (PVOID *)&timer);
    if (!NT_SUCCESS(status)) return status;
    KeCancelTimer(timer);
    BOOLEAN state = KeReadStateObject(timer) != 0;
    ObDereferenceObject(timer);
    return ExpReturnValue(CurrentState, &state, sizeof(state));
}

NTSTATUS NTAPI NtQueryTimer(HANDLE TimerHandle, TIMER_INFORMATION_CLASS InformationClass,
                            PVOID Information, ULONG Length, PULONG ReturnLength)
{
    PKTIMER timer;
    NTSTATUS status = ExpReferenceObject(TimerHandle, TIMER_QUERY_STATE, ExTimerObjectType, (PVOID *)&timer);
    if (!NT_SUCCESS(status)) return status;
    TIMER_BASIC_INFORMATION info = { .TimerState = KeReadStateObject(timer) != 0 };
    ULONGLONG now = KeQueryInterruptTime(), due = timer->DueTick * KeQueryTimeIncrement();
    info.RemainingTime.QuadPart = timer->Header.Inserted && due > now ? (LONGLONG)(due - now) : 0;
    ObDereferenceObject(timer);
    return ExpQueryBasic(InformationClass, Information, Length, ReturnLength, &info, sizeof(info));
}
