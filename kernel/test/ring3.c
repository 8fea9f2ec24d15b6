/*
 * ring3.c - the ring-3 program the kernel's user-mode self-tests share (svctest.c, obusertest.c),
 * and the way into it and back: TstEnterUserMode irets to the program on a user page, which makes
 * a batch of system calls and then calls TstUserExitService (put in service table 1 by the test),
 * which returns from TstEnterUserMode.
 */
#include "ntdef.h"
#include "boottest.h"

ULONG TstKernelEsp;

/* The ring-3 program (copied to a user page): for each request {EAX, EDX, result} at EBX, ECX of
 * them, int 0x2E and store EAX; then the EAX after the last request, the exit service. */
__asm__(
    ".intel_syntax noprefix\n"
    ".text\n"
    ".globl TstUserCode, TstUserCodeEnd, TstEnterUserMode, TstUserExitService\n"
    "TstUserCode:\n"
    "1:  mov eax, [ebx]\n"
    "    mov edx, [ebx + 4]\n"
    "    int 0x2E\n"
    "    mov [ebx + 8], eax\n"
    "    add ebx, 12\n"
    "    dec ecx\n"
    "    jnz 1b\n"
    "    mov eax, [ebx]\n"
    "    int 0x2E\n"
    "2:  jmp 2b\n"
    "TstUserCodeEnd:\n"
    /* NTSTATUS TstEnterUserMode(ULONG Eip, ULONG Esp, ULONG Ebx, ULONG Ecx): irets to ring 3 with
     * interrupts off (so no clock tick, and no thread switch, happens while the test stack is
     * borrowed); returns when the program calls TstUserExitService. */
    "TstEnterUserMode:\n"
    "    push ebp\n"
    "    push ebx\n"
    "    push esi\n"
    "    push edi\n"
    "    pushfd\n"
    "    cli\n"
    "    mov [TstKernelEsp], esp\n"
    "    mov eax, [esp + 24]\n"
    "    mov edx, [esp + 28]\n"
    "    mov ebx, [esp + 32]\n"
    "    mov ecx, [esp + 36]\n"
    "    mov si, 0x23\n"                /* KGDT_R3_DATA | 3: user data for the program */
    "    mov ds, si\n"
    "    mov es, si\n"
    "    push 0x23\n"                   /* SS */
    "    push edx\n"                    /* ESP */
    "    push 0x002\n"                  /* EFLAGS: IF clear */
    "    push 0x1B\n"                   /* CS = KGDT_R3_CODE | 3 */
    "    push eax\n"                    /* EIP */
    "    iretd\n"
    /* A table-1 service: abandons the dispatcher's frame and returns from TstEnterUserMode. */
    "TstUserExitService:\n"
    "    mov esp, [TstKernelEsp]\n"
    "    mov byte ptr [KiPreviousMode], 0\n"
    "    mov ax, 0x10\n"                /* GS was nulled on the way to ring 3 */
    "    mov gs, ax\n"
    "    popfd\n"
    "    pop edi\n"
    "    pop esi\n"
    "    pop ebx\n"
    "    pop ebp\n"
    "    xor eax, eax\n"
    "    ret\n"
    ".att_syntax prefix\n");
