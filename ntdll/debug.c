/*
 * debug.c - DbgPrint and DbgBreakPoint: ntdll's way to the kernel debugger. DbgPrint formats
 * into a buffer on the stack and hands it to the kernel's debug service (int 0x2D, EAX = 1
 * BREAKPOINT_PRINT, ECX = the text, EDX = its length), which writes it to the debug log (COM1).
 */
#include "ntndk.h"

#define BREAKPOINT_PRINT 1

static VOID DbgpService(ULONG Service, PCSTR Text, ULONG Length)
{
    __asm__ volatile("int $0x2d" : : "a"(Service), "c"(Text), "d"(Length) : "memory");
}

ULONG DbgPrint(PCSTR Format, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, Format);
    LONG n = RtlFormatV(buffer, sizeof(buffer), Format, args);
    va_end(args);
    if (n < 0) return (ULONG)STATUS_INVALID_PARAMETER;
    if ((ULONG)n >= sizeof(buffer)) n = sizeof(buffer) - 1;   /* truncated, as NT truncates at 512 */
    DbgpService(BREAKPOINT_PRINT, buffer, (ULONG)n);
    return STATUS_SUCCESS;
}

VOID NTAPI DbgBreakPoint(VOID)
{
    __asm__ volatile("int3");
}
