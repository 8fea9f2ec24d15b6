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

KIRQL KeGetCurrentIrql(VOID);
VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql);
VOID KeLowerIrql(KIRQL NewIrql);

/* Clock: ticks since boot (KeTickCount) and the tick length in 100 ns units, as NT keeps them. */
extern volatile ULONG KeTickCount;
#define KE_CLOCK_HZ 100
#define KeQueryTimeIncrement() (10000000u / KE_CLOCK_HZ)

/* Looks up the kernel symbol containing Address; returns its name and sets *Offset. */
PCSTR KeLookupSymbol(ULONG_PTR Address, PULONG_PTR Offset);

#endif
