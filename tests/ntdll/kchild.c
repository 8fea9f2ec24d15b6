/*
 * kchild.c - the child that t_kernel.c starts to end in a chosen way: its command line's last
 * word picks it. The parent checks the exit status it got from the kernel.
 *   exit      returns 0x600D (the entry's return value ends the process)
 *   badstack  points ESP at unmapped memory and faults: the kernel cannot give ntdll the
 *             exception, so the process ends with STATUS_ACCESS_VIOLATION
 *   int3      an unhandled breakpoint: STATUS_BREAKPOINT
 *   divide    an unhandled divide error: STATUS_INTEGER_DIVIDE_BY_ZERO
 */
#include "ntndk.h"

static PCWSTR LastWord(PCUNICODE_STRING s)
{
    ULONG n = s->Length / sizeof(WCHAR);
    while (n && s->Buffer[n - 1] != L' ') n--;
    return s->Buffer + n;
}

static BOOLEAN Is(PCWSTR a, PCWSTR b)
{
    while (*a && *a == *b) { a++; b++; }
    return *a == 0 && (*b == 0 || *b == L' ');
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS p = Peb->ProcessParameters;
    PCWSTR mode = LastWord(&p->CommandLine);
    if (Is(L"badstack", mode))
        __asm__ volatile("movl $0x00001000, %%esp\n\tmovl $0, (%%eax)" : : "a"(0) : "memory");
    if (Is(L"int3", mode)) __asm__ volatile("int3");
    if (Is(L"divide", mode)) {
        volatile ULONG zero = 0;
        return 10 / zero;
    }
    return 0x600D;
}
