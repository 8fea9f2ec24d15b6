; kernel/ke/trapstub.asm - the entry stubs of all 256 interrupt vectors and the common trap path.
;
; Every stub pushes an error code (a zero when the CPU pushes none) and its vector number, then
; KiTrapCommon saves the registers into a KTRAP_FRAME (see ki.h), loads the kernel's data
; segments and FS = KPCR, and calls KiTrapDispatch(TrapFrame). The return path restores the frame
; and irets, so a handler may change the frame to change where execution resumes.

bits 32

KGDT_R0_DATA    equ 0x10
KGDT_R0_PCR     equ 0x30
TF_SEGCS        equ 60                      ; FIELD_OFFSET(KTRAP_FRAME, SegCs), checked in usermode.c

extern KiTrapDispatch
global KiTrapStubTable
global KiTrapExit
global KiExitToUserMode
extern KiUserReturn

; Vectors for which the CPU pushes an error code.
%define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text

%assign vec 0
%rep 256
KiTrapStub %+ vec:
%if HAS_ERRCODE(vec)
%else
    push    0
%endif
    push    vec
    jmp     KiTrapCommon
%assign vec vec + 1
%endrep

KiTrapCommon:
    pushad
    push    ds
    push    es
    push    fs
    push    gs
    mov     ax, KGDT_R0_DATA
    mov     ds, ax
    mov     es, ax
    mov     ax, KGDT_R0_PCR
    mov     fs, ax
    cld
    push    esp                             ; PKTRAP_FRAME
    call    KiTrapDispatch
    add     esp, 4
KiTrapExit:
    test    dword [esp + TF_SEGCS], 3       ; back to user mode?
    jz      .restore
    cli
    call    KiUserReturn                    ; work that must happen before user mode runs again
    cli
.restore:
    pop     gs
    pop     fs
    pop     es
    pop     ds
    popad
    add     esp, 8                          ; vector and error code
    iretd

; VOID KiExitToUserMode(PKTRAP_FRAME TrapFrame) - enters user mode through the trap exit path, for a
; new thread whose first trap frame was built by KeInitializeUserContext.
KiExitToUserMode:
    cli
    mov     esp, [esp + 4]
    jmp     KiTrapExit

section .rodata
align 4
KiTrapStubTable:
%assign vec 0
%rep 256
    dd      KiTrapStub %+ vec
%assign vec vec + 1
%endrep
