; kernel/ke/sysentry.asm - KiSystemService, the int 0x2E system service dispatcher.
;
; Entry: EAX = service number (bits 12-13 the table, bits 0-11 the service), EDX = the caller's
; arguments. It saves a KTRAP_FRAME exactly as trapstub.asm does (so KiTrapExit unwinds it),
; records PreviousMode from the caller's CS, picks the service from KeServiceDescriptorTable,
; copies the table's argument bytes from EDX onto this stack (under a probe for user callers and
; always under the exception table, so a bad pointer gives STATUS_ACCESS_VIOLATION), calls the
; service with interrupts as the caller had them, and returns its NTSTATUS in the caller's EAX.

bits 32

KGDT_R0_DATA    equ 0x10
KGDT_R0_PCR     equ 0x30
EFLAGS_IF       equ 0x200
USER_MODE       equ 1
MM_USER_PROBE_ADDRESS         equ 0x7FFF0000
STATUS_ACCESS_VIOLATION       equ 0xC0000005
STATUS_INVALID_SYSTEM_SERVICE equ 0xC000001C

; KTRAP_FRAME offsets (ki.h)
TF_EAX          equ 0x2C
TF_SEGCS        equ 0x3C
TF_EFLAGS       equ 0x40

; KSERVICE_TABLE_DESCRIPTOR offsets (svc.h)
SD_BASE         equ 0
SD_COUNT        equ 4
SD_LIMIT        equ 8
SD_NUMBER       equ 12
SD_SIZE         equ 16
NUMBER_SERVICE_TABLES equ 2

extern KeServiceDescriptorTable
extern KiPreviousMode
extern KiTrapExit
global KiSystemService
global KiSystemServiceCopyStart
global KiSystemServiceCopyEnd
global KiSystemServiceAccessViolation

section .text

KiSystemService:
    push    0                               ; error code
    push    0x2E                            ; trap number
    pushad
    push    ds
    push    es
    push    fs
    push    gs
    mov     cx, KGDT_R0_DATA                ; EAX and EDX still hold the caller's request
    mov     ds, cx
    mov     es, cx
    mov     cx, KGDT_R0_PCR
    mov     fs, cx
    cld
    mov     ebx, esp                        ; EBX = trap frame, kept across the service call

    ; PreviousMode: the old value is saved just below the frame, for nested Zw calls.
    movzx   ecx, byte [KiPreviousMode]
    push    ecx
    xor     ecx, ecx
    test    dword [ebx + TF_SEGCS], 3
    setnz   cl
    mov     [KiPreviousMode], cl

    ; A service may block or take long: interrupts on, unless the (kernel) caller had them off.
    test    dword [ebx + TF_EFLAGS], EFLAGS_IF
    jz      .decode
    sti

.decode:
    mov     edi, eax
    shr     edi, 12
    and     edi, 3
    cmp     edi, NUMBER_SERVICE_TABLES
    jae     KiServiceInvalid
    shl     edi, 4                          ; * SD_SIZE
    add     edi, KeServiceDescriptorTable
    and     eax, 0xFFF
    cmp     eax, [edi + SD_LIMIT]           ; an empty table has Limit 0
    jae     KiServiceInvalid
    mov     ecx, [edi + SD_COUNT]
    test    ecx, ecx
    jz      .arguments
    inc     dword [ecx + eax * 4]

.arguments:
    mov     esi, [edi + SD_NUMBER]
    movzx   ecx, byte [esi + eax]           ; ECX = argument bytes
    mov     esi, [edi + SD_BASE]
    mov     eax, [esi + eax * 4]            ; EAX = the service routine
    cmp     byte [KiPreviousMode], USER_MODE
    jne     .copy
    lea     esi, [edx + ecx]                ; user arguments must end below the probe address
    cmp     esi, edx
    jb      KiSystemServiceAccessViolation  ; wrapped
    cmp     esi, MM_USER_PROBE_ADDRESS
    ja      KiSystemServiceAccessViolation
.copy:
    sub     esp, ecx
    mov     edi, esp
    mov     esi, edx
    shr     ecx, 2
KiSystemServiceCopyStart:                   ; a fault here resumes at ...AccessViolation
    rep movsd
KiSystemServiceCopyEnd:
    call    eax                             ; cdecl or stdcall: ESP is reset from EBX below

KiServiceExit:                              ; EAX = status
    cli
    mov     ecx, [ebx - 4]
    mov     [KiPreviousMode], cl
    mov     [ebx + TF_EAX], eax
    mov     esp, ebx
    jmp     KiTrapExit

KiServiceInvalid:
    mov     eax, STATUS_INVALID_SYSTEM_SERVICE
    jmp     KiServiceExit

KiSystemServiceAccessViolation:             ; the argument copy faulted (see fixup.c)
    mov     eax, STATUS_ACCESS_VIOLATION
    jmp     KiServiceExit
