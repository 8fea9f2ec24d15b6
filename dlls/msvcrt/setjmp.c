/* setjmp.c - non-local jumps with MSVCRT's jmp_buf (_JUMP_BUFFER: Ebp, Ebx, Edi, Esi, Esp, Eip,
 * Registration, TryLevel, Cookie, UnwindFunc, UnwindData[6]), which MinGW's <setjmp.h> reaches
 * as _setjmp3(buf, 0) and longjmp. longjmp puts back the SEH registration that was current at
 * setjmp, dropping the frames of the functions it leaves (their handlers are not called). */
#include "crtp.h"

#ifdef __ELF__                          /* the host build of the unit tests: no TEB in fs */
#define SYM(name) #name
#define SAVE_SEH "    xorl %eax, %eax\n"
#define LOAD_SEH ""
#else
#define SYM(name) "_" #name
#define SAVE_SEH "    movl %fs:0, %eax\n"
#define LOAD_SEH "    movl %ecx, %fs:0\n"
#endif

/* int _setjmp3(jmp_buf, int count, ...) and int _setjmp(jmp_buf) */
__asm__(
    ".text\n"
    ".globl " SYM(_setjmp3) "\n"
    ".globl " SYM(_setjmp) "\n"
    SYM(_setjmp3) ":\n"
    SYM(_setjmp) ":\n"
    "    movl 4(%esp), %edx\n"          /* the buffer */
    "    movl %ebp, 0(%edx)\n"
    "    movl %ebx, 4(%edx)\n"
    "    movl %edi, 8(%edx)\n"
    "    movl %esi, 12(%edx)\n"
    "    leal 4(%esp), %eax\n"          /* the caller's stack once we have returned */
    "    movl %eax, 16(%edx)\n"
    "    movl 0(%esp), %eax\n"          /* where to come back */
    "    movl %eax, 20(%edx)\n"
    SAVE_SEH                            /* the SEH chain at this point */
    "    movl %eax, 24(%edx)\n"
    "    movl $-1, 28(%edx)\n"
    "    movl $0x56433230, 32(%edx)\n"  /* 'VC20': the buffer has the extended layout */
    "    movl $0, 36(%edx)\n"
    "    xorl %eax, %eax\n"
    "    ret\n"
    /* void longjmp(jmp_buf, int value): setjmp returns value (1 when value is 0) */
    ".globl " SYM(longjmp) "\n"
    SYM(longjmp) ":\n"
    "    movl 4(%esp), %edx\n"
    "    movl 8(%esp), %eax\n"
    "    testl %eax, %eax\n"
    "    jnz 1f\n"
    "    incl %eax\n"
    "1:  movl 24(%edx), %ecx\n"
    LOAD_SEH
    "    movl 0(%edx), %ebp\n"
    "    movl 4(%edx), %ebx\n"
    "    movl 8(%edx), %edi\n"
    "    movl 12(%edx), %esi\n"
    "    movl 16(%edx), %esp\n"
    "    jmp *20(%edx)\n"
#ifndef __ELF__
    ".section .drectve\n"
    ".ascii \" -export:_setjmp3 -export:_setjmp -export:longjmp\"\n"
    ".text\n"
#endif
);
