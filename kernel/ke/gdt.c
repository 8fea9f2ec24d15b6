/*
 * gdt.c - the global descriptor table in NT's layout (KGDT_* in ki.h), the task state segments
 * and the processor control region (KPCR) that kernel-mode FS points at.
 *
 * Segments are flat; they exist for privilege levels, the TSS (the kernel stack for traps from
 * user mode), the double-fault task (a known-good stack when the kernel stack itself is bad) and
 * FS: the KPCR in kernel mode, the TEB in user mode.
 */
#include "ki.h"
#include "x86.h"
#include "rtl.h"

typedef struct __attribute__((packed)) _KGDTENTRY {
    USHORT LimitLow, BaseLow;
    UCHAR BaseMid, Access, Granularity, BaseHigh;
} KGDTENTRY;

typedef struct __attribute__((packed)) { USHORT Limit; ULONG Base; } KDESCRIPTOR;

static KGDTENTRY KiGdt[KGDT_COUNT] __attribute__((aligned(8)));
KPCR KiPcr __attribute__((aligned(4096)));
KTSS KiTss, KiDoubleFaultTss;
static UCHAR KiDoubleFaultStack[8192] __attribute__((aligned(16)));

extern void KiDoubleFaultEntry(void);

#define ACC_PRESENT 0x80
#define ACC_CODE    0x9A      /* present, DPL 0, code, readable */
#define ACC_DATA    0x92      /* present, DPL 0, data, writable */
#define ACC_TSS     0x89      /* present, DPL 0, available 32-bit TSS */
#define ACC_DPL3    0x60

static void KiSetGdtEntry(ULONG Selector, ULONG Base, ULONG Limit, UCHAR Access, BOOLEAN PageGranular)
{
    KGDTENTRY *e = &KiGdt[Selector >> 3];
    if (PageGranular) Limit >>= 12;
    e->LimitLow = (USHORT)Limit;
    e->BaseLow = (USHORT)Base;
    e->BaseMid = (UCHAR)(Base >> 16);
    e->Access = Access;
    e->Granularity = (UCHAR)(((Limit >> 16) & 0x0F) | (PageGranular ? 0xC0 : 0x40));
    e->BaseHigh = (UCHAR)(Base >> 24);
}

/* The double-fault task starts from scratch: its own stack, the kernel's segments and CR3. */
static void KiInitializeDoubleFaultTss(void)
{
    KTSS *t = &KiDoubleFaultTss;
    RtlZeroMemory(t, sizeof(*t));
    t->Esp0 = t->Esp = (ULONG)(KiDoubleFaultStack + sizeof(KiDoubleFaultStack));
    t->Ss0 = t->Ss = t->Ds = t->Es = t->Gs = KGDT_R0_DATA;
    t->Fs = KGDT_R0_PCR;
    t->Cs = KGDT_R0_CODE;
    t->Eip = (ULONG)KiDoubleFaultEntry;
    t->EFlags = 0x2;
    t->CR3 = __readcr3();
    t->IoMapBase = sizeof(KTSS);
}

/* User-mode FS (KGDT_R3_TEB) addresses the running thread's TEB; reloaded on each return to user. */
VOID KiSetTebBase(ULONG Base)
{
    KGDTENTRY *e = &KiGdt[KGDT_R3_TEB >> 3];
    e->BaseLow = (USHORT)Base;
    e->BaseMid = (UCHAR)(Base >> 16);
    e->BaseHigh = (UCHAR)(Base >> 24);
}

VOID KiSetTssStack(ULONG Esp0)
{
    KiTss.Esp0 = Esp0;
}

VOID KiInitializeGdt(VOID)
{
    RtlZeroMemory(&KiTss, sizeof(KiTss));
    KiTss.Ss0 = KGDT_R0_DATA;
    KiTss.IoMapBase = sizeof(KTSS);     /* no I/O permission map: user mode gets no ports */
    KiInitializeDoubleFaultTss();

    RtlZeroMemory(&KiPcr, sizeof(KiPcr));
    KiPcr.SelfPcr = &KiPcr;
    KiPcr.Prcb = &KiPcr.PrcbData;
    KiPcr.Irql = HIGH_LEVEL;            /* interrupts stay off until the clock is set up */
    KiPcr.GDT = KiGdt;
    KiPcr.TSS = &KiTss;
    KiPcr.MajorVersion = KiPcr.PrcbData.MajorVersion = 1;
    KiPcr.MinorVersion = KiPcr.PrcbData.MinorVersion = 1;

    KiSetGdtEntry(KGDT_R0_CODE, 0, 0xFFFFFFFF, ACC_CODE, TRUE);
    KiSetGdtEntry(KGDT_R0_DATA, 0, 0xFFFFFFFF, ACC_DATA, TRUE);
    KiSetGdtEntry(KGDT_R3_CODE, 0, 0xFFFFFFFF, ACC_CODE | ACC_DPL3, TRUE);
    KiSetGdtEntry(KGDT_R3_DATA, 0, 0xFFFFFFFF, ACC_DATA | ACC_DPL3, TRUE);
    KiSetGdtEntry(KGDT_TSS, (ULONG)&KiTss, sizeof(KTSS) - 1, ACC_TSS, FALSE);
    KiSetGdtEntry(KGDT_R0_PCR, (ULONG)&KiPcr, sizeof(KPCR) - 1, ACC_DATA, FALSE);
    KiSetGdtEntry(KGDT_R3_TEB, 0, 0xFFF, ACC_DATA | ACC_DPL3, FALSE);   /* based on the TEB later */
    KiSetGdtEntry(KGDT_DF_TSS, (ULONG)&KiDoubleFaultTss, sizeof(KTSS) - 1, ACC_TSS, FALSE);

    KDESCRIPTOR d = { sizeof(KiGdt) - 1, (ULONG)KiGdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%ss\n\t"
        "mov %%ax, %%gs\n\t"
        "mov %3, %%ax\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %4, %%ax\n\t"
        "ltr %%ax"
        : : "m"(d), "i"(KGDT_R0_CODE), "i"(KGDT_R0_DATA), "i"(KGDT_R0_PCR), "i"(KGDT_TSS)
        : "eax", "memory");
}
