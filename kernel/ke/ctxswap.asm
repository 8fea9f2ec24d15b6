; kernel/ke/ctxswap.asm - the thread switch, and where every new thread starts.
;
; KiSwapContext saves the callee-saved registers and EFLAGS of the old thread on its own kernel
; stack, stores ESP in Old->KernelStack, loads New->KernelStack and pops New's registers: from
; the caller's point of view the call returns when the old thread is next chosen to run. EFLAGS
; travels with the thread, so a thread switched out from an interrupt handler (IF clear) and one
; switched out from a wait (IF set) each resume as they were.

bits 32

KTHREAD_KERNEL_STACK equ 24             ; FIELD_OFFSET(KTHREAD, KernelStack), checked in thread.c

global KiSwapContext
global KiThreadStartupThunk
extern KiThreadStartup

section .text

; VOID KiSwapContext(PKTHREAD Old, PKTHREAD New)
KiSwapContext:
    push    ebp
    push    ebx
    push    esi
    push    edi
    pushfd
    mov     eax, [esp + 24]                 ; Old
    mov     edx, [esp + 28]                 ; New
    mov     [eax + KTHREAD_KERNEL_STACK], esp
    mov     esp, [edx + KTHREAD_KERNEL_STACK]
    popfd
    pop     edi
    pop     esi
    pop     ebx
    pop     ebp
    ret

; A new thread's first switch "returns" here (see KeInitializeThread).
KiThreadStartupThunk:
    xor     ebp, ebp                        ; stack traces end here
    call    KiThreadStartup
.never:
    jmp     .never
