/*
 * idt.c - the interrupt descriptor table: every one of the 256 vectors has a stub (trapstub.asm), so
 * no exception or stray interrupt can reach an empty gate. Vector 8 (double fault) is a task gate
 * to the double-fault TSS, as on NT, so a blown kernel stack still ends in a readable bug check.
 * Vector 0x2E, the system service call, is the one gate user mode may raise (sysentry.asm).
 */
#include "ki.h"
#include "svc.h"

typedef struct __attribute__((packed)) _KIDTENTRY {
    USHORT OffsetLow, Selector;
    UCHAR Reserved, Access;
    USHORT OffsetHigh;
} KIDTENTRY;

static KIDTENTRY KiIdt[256] __attribute__((aligned(8)));
extern const ULONG KiTrapStubTable[256];

#define IDT_INTERRUPT_GATE 0x8E   /* present, DPL 0, 32-bit interrupt gate (IF cleared on entry) */
#define IDT_TASK_GATE      0x85
#define IDT_USER_INTERRUPT_GATE 0xEE   /* the same, DPL 3: user mode may raise it with int */
#define SYSTEM_SERVICE_VECTOR   0x2E

static void KiSetIdtEntry(ULONG Vector, ULONG Handler, USHORT Selector, UCHAR Access)
{
    KiIdt[Vector].OffsetLow = (USHORT)Handler;
    KiIdt[Vector].OffsetHigh = (USHORT)(Handler >> 16);
    KiIdt[Vector].Selector = Selector;
    KiIdt[Vector].Reserved = 0;
    KiIdt[Vector].Access = Access;
}

VOID KiInitializeIdt(VOID)
{
    for (ULONG v = 0; v < 256; v++)
        KiSetIdtEntry(v, KiTrapStubTable[v], KGDT_R0_CODE, IDT_INTERRUPT_GATE);
    KiSetIdtEntry(8, 0, KGDT_DF_TSS, IDT_TASK_GATE);
    KiSetIdtEntry(SYSTEM_SERVICE_VECTOR, (ULONG)KiSystemService, KGDT_R0_CODE, IDT_USER_INTERRUPT_GATE);
    /* int3 and into may be raised by user mode too (debuggers, overflow checks), as on NT. */
    KiSetIdtEntry(3, KiTrapStubTable[3], KGDT_R0_CODE, IDT_USER_INTERRUPT_GATE);
    KiSetIdtEntry(4, KiTrapStubTable[4], KGDT_R0_CODE, IDT_USER_INTERRUPT_GATE);
    KiSetIdtEntry(KI_DEBUG_SERVICE_VECTOR, KiTrapStubTable[KI_DEBUG_SERVICE_VECTOR], KGDT_R0_CODE,
                  IDT_USER_INTERRUPT_GATE);   /* DbgPrint from user mode */

    struct __attribute__((packed)) { USHORT Limit; ULONG Base; } d = { sizeof(KiIdt) - 1, (ULONG)KiIdt };
    __asm__ volatile("lidt %0" : : "m"(d));
    KiPcr.IDT = KiIdt;
}
