; kernel/ke/stack.asm - small pieces that must be assembly: running a routine on a new stack, and
; the entry of the double-fault task (it starts with a fresh stack from its own TSS).

bits 32

global KiCallOnStack
global KiDoubleFaultEntry
extern KiDoubleFaultHandler

section .text

; VOID KiCallOnStack(PVOID StackTop, VOID (*Routine)(VOID)) - never returns.
KiCallOnStack:
    mov     eax, [esp + 4]
    mov     ecx, [esp + 8]
    mov     esp, eax
    xor     ebp, ebp                        ; stack traces end here
    call    ecx
.hang:
    cli
    hlt
    jmp     .hang

KiDoubleFaultEntry:
    xor     ebp, ebp
    call    KiDoubleFaultHandler
    jmp     KiDoubleFaultEntry
