/*
 * except_unwind.c - RtlUnwind's work: every SEH frame newer than the target is called once more
 * with EXCEPTION_UNWINDING (so it can clean up) and taken off the fs:[0] chain; then the thread
 * resumes at the target with the context RtlUnwind captured of its caller (except_x86.S). An
 * unwind that meets another unwind still running (a handler that unwinds while being unwound)
 * skips the frames the older one already owns (a collided unwind).
 */
#include "ntndk.h"

/* The guard around a handler during an unwind: a second unwind passing it learns which frame
 * the first one was working on and carries on from there. */
EXCEPTION_DISPOSITION __cdecl RtlpCollidedUnwindGuard(PEXCEPTION_RECORD Record, PVOID EstablisherFrame,
                                                      PCONTEXT Context, PVOID DispatcherContext)
{
    if (!(Record->ExceptionFlags & EXCEPTION_UNWIND)) return ExceptionContinueSearch;
    *(PVOID *)DispatcherContext = ((PRTLP_GUARD_FRAME)EstablisherFrame)->Frame;
    return ExceptionCollidedUnwind;
}

/* Ends the unwind at the target: resume there (or, if that fails, say why). */
static __attribute__((noreturn)) VOID RtlpResume(PCONTEXT Context)
{
    NTSTATUS status = NtContinue(Context, FALSE);
    RtlRaiseStatus(status);
}

/* Calls Frame's handler for the unwind; returns the frame to unlink (Frame itself, or the one a
 * colliding unwind was at). */
static PEXCEPTION_REGISTRATION_RECORD RtlpUnwindFrame(PEXCEPTION_RECORD Record, PCONTEXT Context,
                                                     PEXCEPTION_REGISTRATION_RECORD Frame)
{
    PVOID dispatcherContext = NULL;
    EXCEPTION_DISPOSITION d = RtlpExecuteHandler(Record, Frame, Context, &dispatcherContext, Frame->Handler,
                                                 RtlpCollidedUnwindGuard);
    switch (d) {
    case ExceptionContinueSearch:
        return Frame;
    case ExceptionCollidedUnwind:
        return dispatcherContext;
    default:
        RtlpRaiseNested(STATUS_INVALID_DISPOSITION, Record);
    }
}

static VOID RtlpInitUnwindRecord(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    RtlZeroMemory(Record, sizeof(*Record));
    Record->ExceptionCode = STATUS_UNWIND;
    Record->ExceptionAddress = (PVOID)Context->Eip;
}

VOID NTAPI RtlpUnwindWithContext(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                                 PVOID ReturnValue, PCONTEXT Context)
{
    EXCEPTION_RECORD local;
    if (ExceptionRecord == NULL) {
        RtlpInitUnwindRecord(&local, Context);
        ExceptionRecord = &local;
    }
    ExceptionRecord->ExceptionFlags |= EXCEPTION_UNWINDING;
    if (TargetFrame == NULL) ExceptionRecord->ExceptionFlags |= EXCEPTION_EXIT_UNWIND;
    if (TargetIp != NULL) Context->Eip = (ULONG)TargetIp;
    Context->Eax = (ULONG)ReturnValue;

    ULONG_PTR low, high;
    RtlpGetStackLimits(&low, &high);
    PEXCEPTION_REGISTRATION_RECORD frame = RtlpGetExceptionList();
    while (frame != EXCEPTION_CHAIN_END) {
        if (frame == TargetFrame) RtlpResume(Context);
        /* A target below the newest live frame has already been left: it cannot be reached. */
        if (TargetFrame != NULL && (ULONG_PTR)TargetFrame < (ULONG_PTR)frame)
            RtlpRaiseNested(STATUS_INVALID_UNWIND_TARGET, ExceptionRecord);
        if (!RtlpIsValidFrame(frame, low, high)) RtlpRaiseNested(STATUS_BAD_STACK, ExceptionRecord);
        frame = RtlpUnwindFrame(ExceptionRecord, Context, frame)->Next;
        RtlpSetExceptionList(frame);
    }
    /* The whole chain is gone: an unwind to the chain's end resumes; an exit unwind (or a target
     * that was never found) ends as an unhandled exception. */
    if (TargetFrame == EXCEPTION_CHAIN_END) RtlpResume(Context);
    NTSTATUS status = NtRaiseException(ExceptionRecord, Context, FALSE);
    RtlRaiseStatus(status);
}
