/*
 * except.c - exceptions that leave the kernel for user mode, and the services that come back:
 * a CPU fault in user mode (or NtRaiseException) is dispatched NT's way, by copying a CONTEXT and
 * an EXCEPTION_RECORD onto the user stack and resuming at ntdll's KiUserExceptionDispatcher;
 * ntdll ends the dispatch with NtContinue (handled) or NtRaiseException(FirstChance = FALSE)
 * (not handled: the process ends with the exception code). Also the conversion between a
 * CONTEXT and the trap frame, shared with Get/SetContextThread, and the debug print service
 * (int 0x2D) behind user-mode DbgPrint.
 */
#include "ki.h"
#include "kd.h"
#include "ntstatus.h"
#include "svc.h"
#include "ps.h"
#include "rtl.h"
#include "x86.h"

#define KI_USER_EFLAGS 0x00000CD5u     /* CF PF AF ZF SF TF DF OF: what user mode may set */
#define BREAKPOINT_PRINT 1

PVOID KeUserExceptionDispatcher;        /* ntdll!KiUserExceptionDispatcher, found by Ps at boot */
PVOID KeLdrInitializeThunk;             /* ntdll!LdrInitializeThunk, likewise */

VOID KeContextFromTrapFrame(PKTRAP_FRAME Tf, PCONTEXT C)
{
    ULONG flags = C->ContextFlags;
    if ((flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        C->Ebp = Tf->Ebp; C->Eip = Tf->Eip; C->SegCs = Tf->SegCs & 0xFFFF;
        C->EFlags = Tf->EFlags; C->Esp = Tf->HardwareEsp; C->SegSs = Tf->HardwareSegSs & 0xFFFF;
    }
    if ((flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        C->Edi = Tf->Edi; C->Esi = Tf->Esi; C->Ebx = Tf->Ebx; C->Edx = Tf->Edx; C->Ecx = Tf->Ecx;
        C->Eax = Tf->Eax;
    }
    if ((flags & CONTEXT_SEGMENTS) == CONTEXT_SEGMENTS) {
        C->SegGs = Tf->SegGs & 0xFFFF; C->SegFs = Tf->SegFs & 0xFFFF;
        C->SegEs = Tf->SegEs & 0xFFFF; C->SegDs = Tf->SegDs & 0xFFFF;
    }
}

/* Only what user mode may choose is taken: segments stay the user ones (NT sanitises the
 * same), IOPL and IF are not the caller's. */
VOID KeContextToTrapFrame(const CONTEXT *C, PKTRAP_FRAME Tf)
{
    ULONG flags = C->ContextFlags;
    if ((flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        Tf->Ebp = C->Ebp; Tf->Eip = C->Eip; Tf->HardwareEsp = C->Esp;
        Tf->EFlags = (C->EFlags & KI_USER_EFLAGS) | EFLAGS_IF | 0x2;
    }
    if ((flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        Tf->Edi = C->Edi; Tf->Esi = C->Esi; Tf->Ebx = C->Ebx; Tf->Edx = C->Edx; Tf->Ecx = C->Ecx;
        Tf->Eax = C->Eax;
    }
}

static BOOLEAN KiProcessHasDispatcher(VOID)
{
    return KeUserExceptionDispatcher != NULL && KeGetCurrentThread()->Process->SystemDllMapped;
}

/* Ends the current process because nobody handled Record; one line goes to the debug log. */
static __attribute__((noreturn)) VOID KiUnhandledUserException(const EXCEPTION_RECORD *Record)
{
    PKTHREAD t = KeGetCurrentThread();
    DbgPrint("KE: unhandled exception %08lx at %08lx (address %08lx) in thread %lu: ending its process\n",
             (unsigned long)Record->ExceptionCode, (unsigned long)(ULONG_PTR)Record->ExceptionAddress,
             (unsigned long)(Record->NumberParameters >= 2 ? Record->ExceptionInformation[1] : 0),
             (unsigned long)t->UniqueThread);
    _enable();
    ZwTerminateProcess(NtCurrentProcess(), Record->ExceptionCode);
    ZwTerminateThread(NtCurrentThread(), Record->ExceptionCode);   /* the process was already ending */
    for (;;) { }
}

/* Copies Context and Record below Context->Esp and points the trap frame at ntdll's dispatcher,
 * with ESP at [PEXCEPTION_RECORD][PCONTEXT]. FALSE if the user stack cannot take them. */
static BOOLEAN KiCopyExceptionToUser(PKTRAP_FRAME Tf, const EXCEPTION_RECORD *Record, const CONTEXT *Context)
{
    ULONG ctx = (Context->Esp - sizeof(CONTEXT)) & ~3u;
    ULONG rec = ctx - sizeof(EXCEPTION_RECORD);
    ULONG args[2] = { rec, ctx };
    ULONG sp = rec - sizeof(args);
    if (Context->Esp > MM_USER_PROBE_ADDRESS || sp >= ctx ||
        !NT_SUCCESS(KeCopyToUser((PVOID)ctx, Context, sizeof(CONTEXT))) ||
        !NT_SUCCESS(KeCopyToUser((PVOID)rec, Record, sizeof(EXCEPTION_RECORD))) ||
        !NT_SUCCESS(KeCopyToUser((PVOID)sp, args, sizeof(args))))
        return FALSE;
    Tf->HardwareEsp = sp;
    Tf->Eip = (ULONG)KeUserExceptionDispatcher;
    Tf->EFlags &= ~0x100u;                         /* no single-step into the dispatcher */
    return TRUE;
}

/* A first-chance exception for user mode: to ntdll if the process has it, else the end. */
VOID KiDispatchUserException(PKTRAP_FRAME Tf, PEXCEPTION_RECORD Record)
{
    if (KiProcessHasDispatcher()) {
        CONTEXT c;
        RtlZeroMemory(&c, sizeof(c));
        c.ContextFlags = CONTEXT_FULL;
        KeContextFromTrapFrame(Tf, &c);
        _enable();                                  /* the copies may take page faults */
        if (KiCopyExceptionToUser(Tf, Record, &c)) return;
    }
    KiUnhandledUserException(Record);
}

/* Builds the record for a CPU exception taken in user mode and dispatches it. */
VOID KiRaiseUserFault(PKTRAP_FRAME Tf, NTSTATUS Code, ULONG Address, BOOLEAN Write)
{
    EXCEPTION_RECORD r;
    RtlZeroMemory(&r, sizeof(r));
    r.ExceptionCode = Code;
    r.ExceptionAddress = (PVOID)Tf->Eip;
    if (Code == STATUS_ACCESS_VIOLATION) {
        r.NumberParameters = 2;
        r.ExceptionInformation[0] = Write;
        r.ExceptionInformation[1] = Address;
    } else if (Code == STATUS_BREAKPOINT) {
        Tf->Eip--;                                   /* NT reports the int3 itself */
        r.ExceptionAddress = (PVOID)Tf->Eip;
        r.NumberParameters = 1;                      /* BREAKPOINT_BREAK */
    }
    KiDispatchUserException(Tf, &r);
}

NTSTATUS NTAPI NtContinue(PCONTEXT Context, BOOLEAN TestAlert)
{
    CONTEXT c;
    if (ExGetPreviousMode() != UserMode) return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(KeCopyFromUser(&c, Context, sizeof(c)))) return STATUS_ACCESS_VIOLATION;
    PKTRAP_FRAME tf = KeGetUserTrapFrame(KeGetCurrentThread());
    KeContextToTrapFrame(&c, tf);
    if (TestAlert) KeTestAlertThread();              /* the next user APC, as the dispatcher asks */
    return (NTSTATUS)tf->Eax;                        /* the dispatcher stores it back into EAX */
}

NTSTATUS NTAPI NtRaiseException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT Context, BOOLEAN FirstChance)
{
    EXCEPTION_RECORD r;
    CONTEXT c;
    if (ExGetPreviousMode() != UserMode) return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(KeCopyFromUser(&r, ExceptionRecord, sizeof(r))) ||
        !NT_SUCCESS(KeCopyFromUser(&c, Context, sizeof(c))))
        return STATUS_ACCESS_VIOLATION;
    if (r.NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS) return STATUS_INVALID_PARAMETER;
    if (!FirstChance) KiUnhandledUserException(&r);  /* the second chance: no debugger to ask */
    PKTRAP_FRAME tf = KeGetUserTrapFrame(KeGetCurrentThread());
    KeContextToTrapFrame(&c, tf);
    c.ContextFlags = CONTEXT_FULL;
    KeContextFromTrapFrame(tf, &c);                  /* what was taken, as the handler will see it */
    if (!KiProcessHasDispatcher() || !KiCopyExceptionToUser(tf, &r, &c)) KiUnhandledUserException(&r);
    return (NTSTATUS)tf->Eax;
}

/* int 0x2D from user mode: EAX = service, ECX = text, EDX = length. Only printing is served;
 * the text is copied under the fault fixup, so a bad pointer prints nothing. */
VOID KiDebugService(PKTRAP_FRAME Tf)
{
    char text[513];
    ULONG length = Tf->Edx < sizeof(text) - 1 ? Tf->Edx : sizeof(text) - 1;
    if (Tf->Eax != BREAKPOINT_PRINT) return;
    _enable();
    if ((Tf->SegCs & RPL_MASK) ? !NT_SUCCESS(KeCopyFromUser(text, (PVOID)Tf->Ecx, length))
                               : (RtlCopyMemory(text, (PVOID)Tf->Ecx, length), FALSE))
        return;
    text[length] = 0;
    DbgPrint("%s", text);
}
