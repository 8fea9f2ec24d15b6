/*
 * usermode.c - crossing into user mode. A new user thread's kernel stack gets a trap frame at its
 * top, as if it had trapped in from user mode; its first run leaves through the ordinary trap exit
 * path (KiExitToUserMode). Every return to user mode first runs KiUserReturn, where work queued
 * for the thread happens: kernel APCs (I/O completions), termination, which must not strike a
 * thread in the middle of kernel code (NT delivers it as a kernel APC at the same point), then a
 * user APC if one is due (apc.c).
 */
#include "ki.h"
#include "x86.h"

C_ASSERT(FIELD_OFFSET(KTRAP_FRAME, SegCs) == 60);       /* trapstub.asm: TF_SEGCS */

extern void KiExitToUserMode(PKTRAP_FRAME TrapFrame) __attribute__((noreturn));

PKTRAP_FRAME KeGetUserTrapFrame(PKTHREAD Thread)
{
    return (PKTRAP_FRAME)((PCHAR)Thread->InitialStack - sizeof(KTRAP_FRAME));
}

VOID KeInitializeUserContext(PKTHREAD Thread, ULONG Eip, ULONG Esp, ULONG Eax)
{
    PKTRAP_FRAME tf = KeGetUserTrapFrame(Thread);
    __builtin_memset(tf, 0, sizeof(*tf));
    tf->SegDs = tf->SegEs = tf->SegGs = KGDT_R3_DATA | 3;
    tf->SegFs = KGDT_R3_TEB | 3;
    tf->SegCs = KGDT_R3_CODE | 3;
    tf->HardwareSegSs = KGDT_R3_DATA | 3;
    tf->Eip = Eip;
    tf->HardwareEsp = Esp;
    tf->Eax = Eax;
    tf->EFlags = EFLAGS_IF | 0x2;
    KiBuildInitialSwitchFrame(Thread, (PULONG)tf);      /* the first switch-in starts below it */
}

VOID KeEnterUserMode(VOID)
{
    KiExitToUserMode(KeGetUserTrapFrame(KeGetCurrentThread()));
}

VOID KeSetUserReturnRoutine(PKTHREAD Thread, VOID (*Routine)(PVOID), PVOID Context)
{
    Thread->UserReturnContext = Context;
    Thread->UserReturnRoutine = Routine;
}

/* Called with interrupts off by KiTrapExit when the frame returns to user mode. */
VOID KiUserReturn(VOID)
{
    PKTHREAD t = KeGetCurrentThread();
    if (t->KernelApcPending) {
        _enable();
        KiDeliverKernelApcs();
        _disable();
    }
    while (t->UserReturnRoutine) {
        VOID (*routine)(PVOID) = t->UserReturnRoutine;
        t->UserReturnRoutine = NULL;
        _enable();
        routine(t->UserReturnContext);
        _disable();
    }
    if (t->UserApcPending) {
        _enable();
        KiDeliverUserApc(KeGetUserTrapFrame(t));
        _disable();
    }
}
