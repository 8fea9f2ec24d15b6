/* ke.h - the kernel (Ke) interface: IRQL, bug checks, the clock, the processor control region. */
#ifndef KE_H
#define KE_H

#include "ntdef.h"
#include "bugcodes.h"

#define PASSIVE_LEVEL  0
#define APC_LEVEL      1
#define DISPATCH_LEVEL 2
#define CLOCK_LEVEL    28
#define HIGH_LEVEL     31

#define KernelMode 0
#define UserMode   1

__attribute__((noreturn)) VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2,
                                            ULONG_PTR P3, ULONG_PTR P4);
__attribute__((noreturn)) VOID KeBugCheck(ULONG BugCheckCode);

/* IRQL is a byte in the KPCR (fs:[0x24]); one processor, so raising it to DISPATCH_LEVEL is the
 * lock of the pool and, later, of the dispatcher. Inline, because every lock goes through it.
 * Host unit tests (NT_HOST) supply their own versions. */
#ifdef NT_HOST
KIRQL KeGetCurrentIrql(VOID);
VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql);
VOID KeLowerIrql(KIRQL NewIrql);
KIRQL KeRaiseIrqlToDpcLevel(VOID);
#else
__attribute__((noreturn)) VOID KiBadIrqlTransition(KIRQL Current, KIRQL Requested);

static inline KIRQL KeGetCurrentIrql(VOID)
{
    KIRQL irql;
    __asm__ volatile("movb %%fs:0x24, %0" : "=q"(irql));
    return irql;
}

static inline VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (__builtin_expect(NewIrql < old, 0)) KiBadIrqlTransition(old, NewIrql);
    if (NewIrql == HIGH_LEVEL) __asm__ volatile("cli" ::: "memory");
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    *OldIrql = old;
}

/* Raises to DISPATCH_LEVEL and returns the previous IRQL; the caller checks that it was not
 * above DISPATCH_LEVEL (NT's rule for this routine). */
static inline KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    KIRQL old = KeGetCurrentIrql();
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"((KIRQL)DISPATCH_LEVEL) : "memory");
    return old;
}

static inline VOID KeLowerIrql(KIRQL NewIrql)
{
    KIRQL old = KeGetCurrentIrql();
    if (__builtin_expect(NewIrql > old, 0)) KiBadIrqlTransition(old, NewIrql);
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(NewIrql) : "memory");
    if (old == HIGH_LEVEL && NewIrql < HIGH_LEVEL) __asm__ volatile("sti" ::: "memory");
}
#endif

/* Clock: ticks since boot (KeTickCount) and the tick length in 100 ns units, as NT keeps them. */
extern volatile ULONG KeTickCount;
#define KE_CLOCK_HZ 100
#define KeQueryTimeIncrement() (10000000u / KE_CLOCK_HZ)

/* Looks up the kernel symbol containing Address; returns its name and sets *Offset. */
PCSTR KeLookupSymbol(ULONG_PTR Address, PULONG_PTR Offset);

#endif
