/*
 * irql.c - interrupt request levels. One processor, so IRQL is a byte in the KPCR: code at
 * DISPATCH_LEVEL or above is not preempted; HIGH_LEVEL also masks interrupts. Device interrupts
 * run at CLOCK_LEVEL with interrupts off (interrupt gates), so nothing below needs the PIC masks.
 */
#include "ki.h"
#include "x86.h"

KIRQL KeGetCurrentIrql(VOID)
{
    KIRQL irql;
    __asm__ volatile("movb %%fs:0x24, %0" : "=q"(irql));
    return irql;
}

VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (NewIrql < old) KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, old, NewIrql, 0, 0);
    if (NewIrql == HIGH_LEVEL) _disable();
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    *OldIrql = old;
}

VOID KeLowerIrql(KIRQL NewIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (NewIrql > old) KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, old, NewIrql, 0);
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    if (old == HIGH_LEVEL && NewIrql < HIGH_LEVEL) _enable();
}
