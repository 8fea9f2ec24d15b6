/*
 * idt.c - the interrupt descriptor table: every one of the 256 vectors has a stub (trapstub.asm), so
 * no exception or stray interrupt can reach an empty gate. Vector 8 (double fault) is a task gate
 * to the double-fault TSS, as on NT, so a blown kernel stack still ends in a readable bug check.
 */
#include "ki.h"

typedef struct __attribute__((packed)) _KIDTENTRY {
    USHORT OffsetLow, Selector;
    UCHAR Reserved, Access;
    USHORT OffsetHigh;
} KIDTENTRY;

static KIDTENTRY KiIdt[256] __attribute__((aligned(8)));
extern const ULONG KiTrapStubTable[256];

#define IDT_INTERRUPT_GATE 0x8E   /* present, DPL 0, 32-bit interrupt gate (IF cleared on entry) */
#define IDT_TASK_GATE      0x85

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

    struct __attribute__((packed)) { USHORT Limit; ULONG Base; } d = { sizeof(KiIdt) - 1, (ULONG)KiIdt };
    __asm__ volatile("lidt %0" : : "m"(d));
    KiPcr.IDT = KiIdt;
}
