/*
 * except_x86.S - the parts of x86 exception handling that need exact control of the stack and
 * registers: KiUserExceptionDispatcher (where the kernel resumes a thread that faulted),
 * RtlCaptureContext, RtlRaiseException and RtlUnwind (both must record their caller's registers
 * before any C code changes them), and RtlpExecuteHandler (calls one SEH handler under a guard
 * frame of its own). GNU as, AT&T syntax, i686-w64-mingw32; stdcall symbols are _Name@N.
 */
#include "ntexcept.h"

/* Exports. ntdll is linked with --kill-at, so "Name@N" is exported as "Name". */
    .section .drectve
    .ascii " -export:\"KiUserExceptionDispatcher@8\""
    .ascii " -export:\"RtlCaptureContext@4\""
    .ascii " -export:\"RtlRaiseException@4\""
    .ascii " -export:\"RtlUnwind@16\""

    .text

.macro FUNCTION name
    .globl \name
    .def \name; .scl 2; .type 32; .endef
    .p2align 4
\name:
.endm

/*
 * In a routine entered by "call" that has done
 *     pushl %ebp; movl %esp, %ebp; subl $CONTEXT_SIZE, %esp
 * and not yet touched EBX, ESI or EDI: fills the CONTEXT at (%esp) with the state the routine's
 * caller will have once the routine returns with "ret $argbytes" - its EBP, its return address as
 * EIP, ESP above the arguments. Clobbers EAX.
 */
.macro CAPTURE_CALLER argbytes
    pushl %esp
    call _RtlCaptureContext@4
    movl 0(%ebp), %eax
    movl %eax, CONTEXT_OFS_EBP(%esp)
    movl 4(%ebp), %eax
    movl %eax, CONTEXT_OFS_EIP(%esp)
    leal (8 + \argbytes)(%ebp), %eax
    movl %eax, CONTEXT_OFS_ESP(%esp)
.endm

/*
 * VOID NTAPI RtlCaptureContext(PCONTEXT Context)
 * The caller's registers as they will be after this returns: EIP = the return address, ESP above
 * the argument; CONTEXT_FULL. Every register but the flags is left as it was.
 */
FUNCTION _RtlCaptureContext@4
    pushl %ebx
    movl 8(%esp), %ebx
    movl %eax, CONTEXT_OFS_EAX(%ebx)
    movl %ecx, CONTEXT_OFS_ECX(%ebx)
    movl %edx, CONTEXT_OFS_EDX(%ebx)
    movl (%esp), %eax                       /* the caller's EBX, saved above */
    movl %eax, CONTEXT_OFS_EBX(%ebx)
    movl %esi, CONTEXT_OFS_ESI(%ebx)
    movl %edi, CONTEXT_OFS_EDI(%ebx)
    movl %ebp, CONTEXT_OFS_EBP(%ebx)
    movl 4(%esp), %eax
    movl %eax, CONTEXT_OFS_EIP(%ebx)
    leal 12(%esp), %eax                     /* above EBX, the return address and the argument */
    movl %eax, CONTEXT_OFS_ESP(%ebx)
    pushfl                                  /* nothing above has changed the flags */
    popl CONTEXT_OFS_EFLAGS(%ebx)
    xorl %eax, %eax
    movw %cs, %ax
    movl %eax, CONTEXT_OFS_SEGCS(%ebx)
    movw %ss, %ax
    movl %eax, CONTEXT_OFS_SEGSS(%ebx)
    movw %ds, %ax
    movl %eax, CONTEXT_OFS_SEGDS(%ebx)
    movw %es, %ax
    movl %eax, CONTEXT_OFS_SEGES(%ebx)
    movw %fs, %ax
    movl %eax, CONTEXT_OFS_SEGFS(%ebx)
    movw %gs, %ax
    movl %eax, CONTEXT_OFS_SEGGS(%ebx)
    movl $CONTEXT_FULL_FLAGS, CONTEXT_OFS_FLAGS(%ebx)
    movl CONTEXT_OFS_EAX(%ebx), %eax
    popl %ebx
    ret $4

/*
 * VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD Record)
 * Record->ExceptionAddress = our return address; the kernel dispatches the record with the
 * caller's context (NtRaiseException, first chance). A handler that continues execution resumes
 * the caller just after its call. NtRaiseException comes back only if it failed.
 */
FUNCTION _RtlRaiseException@4
    pushl %ebp
    movl %esp, %ebp
    subl $CONTEXT_SIZE, %esp
    CAPTURE_CALLER 4
    movl 8(%ebp), %edx                      /* the record */
    movl 4(%ebp), %eax
    movl %eax, EXCEPTION_RECORD_OFS_ADDRESS(%edx)
    movl %esp, %eax                         /* the CONTEXT */
    pushl $1                                /* FirstChance */
    pushl %eax
    pushl %edx
    call _NtRaiseException@12
    pushl %eax
    call _RtlRaiseStatus@4                  /* does not return */

/*
 * VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD Record, PVOID ReturnValue)
 * Captures the caller (as after "ret $16") and lets the C part (except_unwind.c) unwind the
 * frames; that ends with NtContinue on the captured context, so this never really returns.
 */
FUNCTION _RtlUnwind@16
    pushl %ebp
    movl %esp, %ebp
    subl $CONTEXT_SIZE, %esp
    CAPTURE_CALLER 16
    movl %esp, %eax
    pushl %eax                              /* Context */
    pushl 20(%ebp)                          /* ReturnValue */
    pushl 16(%ebp)                          /* ExceptionRecord */
    pushl 12(%ebp)                          /* TargetIp */
    pushl 8(%ebp)                           /* TargetFrame */
    call _RtlpUnwindWithContext@20
    leave
    ret $16

/*
 * KiUserExceptionDispatcher: the kernel resumes a thread here after a user-mode exception, with
 * ESP -> [PEXCEPTION_RECORD][PCONTEXT] (no return address) and both structures above them.
 * Handled: continue at the (perhaps changed) context. Not handled: raise it again as second
 * chance, which ends the process. Neither service returns on success; if one fails, the failure
 * becomes an exception of its own.
 */
FUNCTION _KiUserExceptionDispatcher@8
    cld                                     /* C code expects DF clear; the faulting code may not have */
    movl 0(%esp), %esi                      /* the record */
    movl 4(%esp), %ebx                      /* the CONTEXT */
    pushl %ebx
    pushl %esi
    call _RtlDispatchException@8
    testb %al, %al
    jz 1f
    pushl $0                                /* TestAlert */
    pushl %ebx
    call _NtContinue@8
    pushl %eax
    call _RtlRaiseStatus@4                  /* does not return */
1:  pushl $0                                /* FirstChance = FALSE */
    pushl %ebx
    pushl %esi
    call _NtRaiseException@12
    /* The second chance could not be raised: raise why, non-continuable, chained to the original. */
    subl $EXCEPTION_RECORD_SIZE, %esp
    movl %eax, 0(%esp)                      /* ExceptionCode */
    movl $1, 4(%esp)                        /* ExceptionFlags = EXCEPTION_NONCONTINUABLE */
    movl %esi, 8(%esp)                      /* ExceptionRecord */
    movl $0, 16(%esp)                       /* NumberParameters */
    pushl %esp
    call _RtlRaiseException@4
2:  jmp 2b

/*
 * EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandler(Record, Frame, Context, DispatcherContext,
 *                                                Handler, GuardHandler)
 * Links a guard frame [Next][GuardHandler][Frame] at fs:[0], calls the cdecl
 * Handler(Record, Frame, Context, DispatcherContext), unlinks the guard. ESP is restored from EBP
 * (a handler wrongly declared stdcall pops its own arguments), as are EBX, ESI and EDI (a handler
 * written in assembly may not keep them).
 */
FUNCTION _RtlpExecuteHandler@24
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    pushl 12(%ebp)                          /* guard: the frame whose handler runs */
    pushl 28(%ebp)                          /* guard: its handler */
    pushl %fs:0                             /* guard: Next */
    movl %esp, %fs:0
    pushl 20(%ebp)                          /* DispatcherContext */
    pushl 16(%ebp)                          /* Context */
    pushl 12(%ebp)                          /* EstablisherFrame */
    pushl 8(%ebp)                           /* Record */
    movl 24(%ebp), %ecx
    call *%ecx
    leal -24(%ebp), %esp                    /* back to the guard frame */
    popl %fs:0                              /* unlink it */
    addl $8, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret $24
