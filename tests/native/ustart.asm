; tests/native/ustart.asm - the test program's entry, and a raw system call for the fuzz mode.
; The kernel starts it with EAX = mode, EBX = parameter and a stack; UtMain's result becomes the
; process's exit status.

bits 32
extern UtMain
extern NtTerminateProcess
global UtStart
global UtRawSystemCall

section .text.start
UtStart:
    push    ebx
    push    eax
    call    UtMain
    push    eax                             ; ExitStatus
    push    -1                              ; NtCurrentProcess()
    call    NtTerminateProcess
.never:
    jmp     .never

section .text
; ULONG UtRawSystemCall(ULONG Number, const ULONG *Arguments)
UtRawSystemCall:
    mov     eax, [esp + 4]
    mov     edx, [esp + 8]
    int     0x2E
    ret
