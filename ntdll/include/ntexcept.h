/*
 * ntexcept.h - user-mode structured exception handling (x86 NT): the SEH registration record that
 * lives on the stack and is chained from fs:[0], the handler signature and its dispositions, the
 * vectored handlers, and ntdll's dispatch, unwind and raise routines (ntdll/rtl/except*).
 *
 * The CONTEXT field offsets at the end are also read by the assembly (rtl/except_x86.S), which
 * includes this header with __ASSEMBLER__ defined; the C side checks them against ntapi.h.
 */
#ifndef NTEXCEPT_H
#define NTEXCEPT_H

/* ---- For the assembly as well as C ----------------------------------------------------------- */
#define CONTEXT_OFS_FLAGS   0x00
#define CONTEXT_OFS_SEGGS   0x8C
#define CONTEXT_OFS_SEGFS   0x90
#define CONTEXT_OFS_SEGES   0x94
#define CONTEXT_OFS_SEGDS   0x98
#define CONTEXT_OFS_EDI     0x9C
#define CONTEXT_OFS_ESI     0xA0
#define CONTEXT_OFS_EBX     0xA4
#define CONTEXT_OFS_EDX     0xA8
#define CONTEXT_OFS_ECX     0xAC
#define CONTEXT_OFS_EAX     0xB0
#define CONTEXT_OFS_EBP     0xB4
#define CONTEXT_OFS_EIP     0xB8
#define CONTEXT_OFS_SEGCS   0xBC
#define CONTEXT_OFS_EFLAGS  0xC0
#define CONTEXT_OFS_ESP     0xC4
#define CONTEXT_OFS_SEGSS   0xC8
#define CONTEXT_SIZE        0x2CC
#define CONTEXT_FULL_FLAGS  0x00010007     /* CONTEXT_FULL, as a plain number */
#define EXCEPTION_RECORD_SIZE 0x50
#define EXCEPTION_RECORD_OFS_ADDRESS 0x0C

#ifndef __ASSEMBLER__

#include "ntdef.h"
#include "ntstatus.h"
#include "ntapi.h"

X86_C_ASSERT(FIELD_OFFSET(CONTEXT, SegGs) == CONTEXT_OFS_SEGGS);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Edi) == CONTEXT_OFS_EDI);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Eax) == CONTEXT_OFS_EAX);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Ebp) == CONTEXT_OFS_EBP);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Eip) == CONTEXT_OFS_EIP);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, EFlags) == CONTEXT_OFS_EFLAGS);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Esp) == CONTEXT_OFS_ESP);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, SegSs) == CONTEXT_OFS_SEGSS);
X86_C_ASSERT(sizeof(CONTEXT) == CONTEXT_SIZE);
X86_C_ASSERT(CONTEXT_FULL == CONTEXT_FULL_FLAGS);
X86_C_ASSERT(sizeof(EXCEPTION_RECORD) == EXCEPTION_RECORD_SIZE);
X86_C_ASSERT(FIELD_OFFSET(EXCEPTION_RECORD, ExceptionAddress) == EXCEPTION_RECORD_OFS_ADDRESS);

/* What a frame-based handler tells the dispatcher. */
typedef enum _EXCEPTION_DISPOSITION {
    ExceptionContinueExecution = 0,     /* resume at the (possibly changed) context */
    ExceptionContinueSearch = 1,        /* not mine: try the next frame */
    ExceptionNestedException = 2,       /* internal: raised inside another handler */
    ExceptionCollidedUnwind = 3         /* internal: an unwind ran into another unwind */
} EXCEPTION_DISPOSITION;

/* A frame-based handler: called for each exception (and each unwind) that passes its frame.
 * EstablisherFrame is the registration record; DispatcherContext is for the dispatcher's own
 * frames only. cdecl, as NT's. */
typedef EXCEPTION_DISPOSITION __cdecl EXCEPTION_ROUTINE(PEXCEPTION_RECORD ExceptionRecord,
                                                        PVOID EstablisherFrame, PCONTEXT ContextRecord,
                                                        PVOID DispatcherContext);
typedef EXCEPTION_ROUTINE *PEXCEPTION_ROUTINE;

/* One SEH frame, on the stack of the code it protects; fs:[0] (TEB.NtTib.ExceptionList) is the
 * newest, each Next an older one, and EXCEPTION_CHAIN_END ends the chain. */
typedef struct _EXCEPTION_REGISTRATION_RECORD {
    struct _EXCEPTION_REGISTRATION_RECORD *Next;
    PEXCEPTION_ROUTINE Handler;
} EXCEPTION_REGISTRATION_RECORD, *PEXCEPTION_REGISTRATION_RECORD;
#define EXCEPTION_CHAIN_END ((PEXCEPTION_REGISTRATION_RECORD)(LONG_PTR)-1)

/* The newest frame (fs:[0]) and setting it: how code links and unlinks its own frames. */
static inline PEXCEPTION_REGISTRATION_RECORD RtlpGetExceptionList(VOID)
{
    PEXCEPTION_REGISTRATION_RECORD head;
    __asm__ volatile("movl %%fs:0, %0" : "=r"(head));
    return head;
}

static inline VOID RtlpSetExceptionList(PEXCEPTION_REGISTRATION_RECORD Head)
{
    __asm__ volatile("movl %0, %%fs:0" : : "r"(Head) : "memory");
}

/* Vectored handlers: called before any frame, process-wide, in list order. */
typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_CONTINUE_SEARCH    0
#define EXCEPTION_EXECUTE_HANDLER    1
typedef LONG (NTAPI *PVECTORED_EXCEPTION_HANDLER)(PEXCEPTION_POINTERS ExceptionInfo);

/* The entry the kernel resumes a faulting thread at: ESP -> [PEXCEPTION_RECORD][PCONTEXT], no
 * return address. Not called from C; declared for its address. */
NTSYSAPI VOID NTAPI KiUserExceptionDispatcher(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context);

/* Offers the exception to the vectored handlers, then to each frame; TRUE = one of them said
 * "continue execution" (Context holds where), FALSE = nobody handled it. */
NTSYSAPI BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context);

/* Calls the handlers of every frame newer than TargetFrame with EXCEPTION_UNWINDING and removes
 * them, then resumes the caller at TargetIp (NULL: RtlUnwind's return address) with
 * EAX = ReturnValue and ESP as after RtlUnwind returns. TargetFrame NULL = exit unwind: every
 * frame, then the exception is re-raised as unhandled (the process ends with its code).
 * ExceptionRecord NULL = a STATUS_UNWIND record. */
NTSYSAPI VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                              PVOID ReturnValue);

/* Raise a software exception: dispatched as a fault would be; if a handler continues, the caller
 * returns from RtlRaiseException normally. ExceptionAddress is set to the caller. */
NTSYSAPI VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);
/* Raise a non-continuable exception with code Status and no parameters; never returns. */
NTSYSAPI VOID NTAPI RtlRaiseStatus(NTSTATUS Status) __attribute__((noreturn));
/* The caller's registers as they will be when RtlCaptureContext has returned (CONTEXT_FULL). */
NTSYSAPI VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord);

/* First != 0 puts the handler before the others. Returns a handle for Remove, NULL if no memory
 * (the process heap must exist: the loader makes it before anything runs). */
NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler);
/* 1 if Handle was registered (and is now gone), 0 otherwise. */
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);

/* ---- ntdll-internal (rtl/except*): not exported --------------------------------------------- */

/* Runs Handler(Record, Frame, Context, DispatcherContext) (cdecl) under a guard frame of its own
 * whose handler is GuardHandler and whose third word is Frame: an exception raised inside the
 * handler finds the guard and learns which frame was busy (nested exception / collided unwind). */
EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                               PVOID DispatcherContext, PEXCEPTION_ROUTINE Handler,
                                               PEXCEPTION_ROUTINE GuardHandler);
typedef struct _RTLP_GUARD_FRAME {
    EXCEPTION_REGISTRATION_RECORD Registration;
    PVOID Frame;                        /* the frame whose handler the guard protects */
} RTLP_GUARD_FRAME, *PRTLP_GUARD_FRAME;

/* RtlUnwind's body: Context is RtlUnwind's caller as it will be after the return (except_x86.S). */
VOID NTAPI RtlpUnwindWithContext(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord,
                                 PVOID ReturnValue, PCONTEXT Context);
/* The vectored handlers' verdict: TRUE = one of them continued execution. */
BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context);
/* The current thread's stack, [*Low, *High), for checking SEH frames. */
VOID RtlpGetStackLimits(PULONG_PTR Low, PULONG_PTR High);
/* A frame is believable if it lies wholly inside the stack and is 4-byte aligned. */
BOOLEAN RtlpIsValidFrame(PVOID Frame, ULONG_PTR Low, ULONG_PTR High);
/* Raises Code, non-continuable, with Inner as its ExceptionRecord; does not return. */
VOID RtlpRaiseNested(NTSTATUS Code, PEXCEPTION_RECORD Inner) __attribute__((noreturn));

#endif /* !__ASSEMBLER__ */
#endif
