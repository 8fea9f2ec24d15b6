/*
 * except.c - exception dispatch: RtlDispatchException offers an exception first to the vectored
 * handlers (except_vectored.c), then to each SEH frame on the fs:[0] chain, newest first, and
 * interprets their answers; also RtlRaiseStatus and the checks on frames shared with the unwind
 * (except_unwind.c). The entry from the kernel (KiUserExceptionDispatcher), the context capture,
 * RtlRaiseException and the guarded handler call are assembly (except_x86.S).
 */
#include "ntndk.h"

/* The stack the frames must be on. The TEB's limits are normally right; if the thread is
 * outside them (a thread whose creator gave no INITIAL_TEB), the region around ESP is used. */
VOID RtlpGetStackLimits(PULONG_PTR Low, PULONG_PTR High)
{
    PTEB teb = NtCurrentTeb();
    ULONG_PTR esp = (ULONG_PTR)__builtin_frame_address(0);
    *Low = (ULONG_PTR)teb->NtTib.StackLimit;
    *High = (ULONG_PTR)teb->NtTib.StackBase;
    if (esp >= *Low && esp < *High) return;
    MEMORY_BASIC_INFORMATION mbi;
    if (NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)esp, MemoryBasicInformation, &mbi,
                                        sizeof(mbi), NULL))) {
        *Low = (ULONG_PTR)mbi.AllocationBase;
        *High = (ULONG_PTR)mbi.BaseAddress + mbi.RegionSize;
    } else {
        *Low = esp;                                  /* at least the frames above us */
        *High = (ULONG_PTR)-1;
    }
}

BOOLEAN RtlpIsValidFrame(PVOID Frame, ULONG_PTR Low, ULONG_PTR High)
{
    ULONG_PTR f = (ULONG_PTR)Frame;
    return (f & 3) == 0 && f >= Low && f < High && High - f >= sizeof(EXCEPTION_REGISTRATION_RECORD);
}

VOID RtlpRaiseNested(NTSTATUS Code, PEXCEPTION_RECORD Inner)
{
    EXCEPTION_RECORD r;
    RtlZeroMemory(&r, sizeof(r));
    r.ExceptionCode = Code;
    r.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    r.ExceptionRecord = Inner;
    RtlRaiseException(&r);
    /* Only a broken kernel gets here: a non-continuable exception cannot be continued. */
    NtTerminateProcess(NtCurrentProcess(), Code);
    for (;;) { }
}

VOID NTAPI RtlRaiseStatus(NTSTATUS Status)
{
    RtlpRaiseNested(Status, NULL);
}

/* The guard around a handler during dispatch: an exception raised while that handler runs
 * reaches this frame and tells the dispatcher which frame it was (a nested exception). */
EXCEPTION_DISPOSITION __cdecl RtlpNestedExceptionGuard(PEXCEPTION_RECORD Record, PVOID EstablisherFrame,
                                                       PCONTEXT Context, PVOID DispatcherContext)
{
    if (Record->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    *(PVOID *)DispatcherContext = ((PRTLP_GUARD_FRAME)EstablisherFrame)->Frame;
    return ExceptionNestedException;
}

/* One frame's handler, and what its answer means. Returns TRUE when the search is over
 * (*Handled says how), FALSE to go on to the next frame. */
static BOOLEAN RtlpOfferToFrame(PEXCEPTION_RECORD Record, PCONTEXT Context,
                                PEXCEPTION_REGISTRATION_RECORD Frame, PVOID *NestedFrame, BOOLEAN *Handled)
{
    PVOID dispatcherContext = NULL;
    EXCEPTION_DISPOSITION d = RtlpExecuteHandler(Record, Frame, Context, &dispatcherContext, Frame->Handler,
                                                 RtlpNestedExceptionGuard);
    if (*NestedFrame == Frame) {
        /* Past the frame whose handler was running when this exception was raised. */
        Record->ExceptionFlags &= ~EXCEPTION_NESTED_CALL;
        *NestedFrame = NULL;
    }
    switch (d) {
    case ExceptionContinueExecution:
        if (Record->ExceptionFlags & EXCEPTION_NONCONTINUABLE)
            RtlpRaiseNested(STATUS_NONCONTINUABLE_EXCEPTION, Record);
        *Handled = TRUE;
        return TRUE;
    case ExceptionContinueSearch:
        if (Record->ExceptionFlags & EXCEPTION_STACK_INVALID) {
            *Handled = FALSE;
            return TRUE;
        }
        return FALSE;
    case ExceptionNestedException:
        /* Frames up to the busy one see EXCEPTION_NESTED_CALL; keep the oldest busy frame. */
        Record->ExceptionFlags |= EXCEPTION_NESTED_CALL;
        if ((ULONG_PTR)dispatcherContext > (ULONG_PTR)*NestedFrame) *NestedFrame = dispatcherContext;
        return FALSE;
    default:
        RtlpRaiseNested(STATUS_INVALID_DISPOSITION, Record);
    }
}

BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context)
{
    if (RtlpCallVectoredHandlers(ExceptionRecord, Context)) return TRUE;

    ULONG_PTR low, high;
    RtlpGetStackLimits(&low, &high);
    PVOID nestedFrame = NULL;
    for (PEXCEPTION_REGISTRATION_RECORD frame = RtlpGetExceptionList(); frame != EXCEPTION_CHAIN_END;
         frame = frame->Next) {
        if (!RtlpIsValidFrame(frame, low, high)) {
            ExceptionRecord->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            return FALSE;
        }
        BOOLEAN handled;
        if (RtlpOfferToFrame(ExceptionRecord, Context, frame, &nestedFrame, &handled)) return handled;
    }
    return FALSE;
}
