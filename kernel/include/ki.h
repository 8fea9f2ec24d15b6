/*
 * ki.h - kernel internals shared by the files of kernel/ke: the segment layout (NT's KGDT_*
 * selectors), the processor control region (KPCR) and the trap frame the trap stubs build.
 */
#ifndef KI_H
#define KI_H

#include "ke.h"
#include "arc.h"

/* GDT selectors, in NT's layout. */
#define KGDT_NULL     0x00
#define KGDT_R0_CODE  0x08
#define KGDT_R0_DATA  0x10
#define KGDT_R3_CODE  0x18
#define KGDT_R3_DATA  0x20
#define KGDT_TSS      0x28
#define KGDT_R0_PCR   0x30
#define KGDT_R3_TEB   0x38
#define KGDT_DF_TSS   0x50
#define KGDT_COUNT    12
#define RPL_MASK      3

#define PRIMARY_VECTOR_BASE 0x30   /* IRQ 0..15 arrive on vectors 0x30..0x3F, as on NT */

/* The hardware task state segment (only SS0/ESP0 and the I/O map base matter, plus the full
 * register image for the double-fault task). */
typedef struct _KTSS {
    USHORT Backlink, R0;
    ULONG Esp0; USHORT Ss0, R1;
    ULONG NotUsed1[4];
    ULONG CR3, Eip, EFlags, Eax, Ecx, Edx, Ebx, Esp, Ebp, Esi, Edi;
    USHORT Es, R2, Cs, R3, Ss, R4, Ds, R5, Fs, R6, Gs, R7, LDT, R8;
    USHORT Flags, IoMapBase;
} KTSS, *PKTSS;
C_ASSERT(sizeof(KTSS) == 104);

/* The trap frame, as trapstub.asm lays it out on the kernel stack. */
typedef struct _KTRAP_FRAME {
    ULONG SegGs, SegFs, SegEs, SegDs;
    ULONG Edi, Esi, Ebp, TempEsp, Ebx, Edx, Ecx, Eax;   /* pushad order */
    ULONG TrapNumber, ErrCode;
    ULONG Eip, SegCs, EFlags;
    ULONG HardwareEsp, HardwareSegSs;                   /* only when entered from user mode */
} KTRAP_FRAME, *PKTRAP_FRAME;

typedef struct _KPRCB {
    USHORT MinorVersion, MajorVersion;
    PVOID CurrentThread;      /* KPCR + 0x124, where NT keeps it */
    PVOID NextThread;
    PVOID IdleThread;
} KPRCB, *PKPRCB;

/* The processor control region: kernel-mode FS points here (KGDT_R0_PCR). Field offsets follow
 * NT x86, so fs:[0x1C] is the PCR itself, fs:[0x20] the PRCB and fs:[0x124] the current thread. */
typedef struct _KPCR {
    PVOID ExceptionList;      /* 0x00 */
    PVOID StackBase;          /* 0x04 */
    PVOID StackLimit;         /* 0x08 */
    ULONG NtTibRest[4];       /* 0x0C */
    struct _KPCR *SelfPcr;    /* 0x1C */
    PKPRCB Prcb;              /* 0x20 */
    KIRQL Irql;               /* 0x24 */
    UCHAR Pad0[3];
    ULONG IRR, IrrActive, IDR;/* 0x28 */
    PVOID KdVersionBlock;     /* 0x34 */
    PVOID IDT;                /* 0x38 */
    PVOID GDT;                /* 0x3C */
    PKTSS TSS;                /* 0x40 */
    USHORT MajorVersion;      /* 0x44 */
    USHORT MinorVersion;      /* 0x46 */
    UCHAR DispatchPending;    /* 0x48: a thread switch or timer expiry waits for IRQL < DISPATCH */
    UCHAR QuantumEnd;         /* 0x49: the running thread's quantum ran out */
    UCHAR Pad2[2];
    ULONG Pad1[53];           /* up to 0x120 */
    KPRCB PrcbData;           /* 0x120 */
} KPCR, *PKPCR;
C_ASSERT(FIELD_OFFSET(KPCR, SelfPcr) == 0x1C);
C_ASSERT(FIELD_OFFSET(KPCR, Irql) == 0x24);
C_ASSERT(FIELD_OFFSET(KPCR, GDT) == 0x3C);
C_ASSERT(FIELD_OFFSET(KPCR, DispatchPending) == 0x48);
C_ASSERT(FIELD_OFFSET(KPCR, PrcbData) == 0x120);
C_ASSERT(FIELD_OFFSET(KPCR, PrcbData.CurrentThread) == 0x124);

extern KPCR KiPcr;
extern KTSS KiTss, KiDoubleFaultTss;

static inline PKPCR KeGetPcr(VOID)
{
    PKPCR p; __asm__ volatile("movl %%fs:0x1C, %0" : "=r"(p)); return p;
}

VOID KiInitializeGdt(VOID);
VOID KiInitializeIdt(VOID);
VOID KiSetTssStack(ULONG Esp0);
VOID KiSetTebBase(ULONG Base);
VOID KiTrapDispatch(PKTRAP_FRAME TrapFrame);
VOID KiDoubleFaultHandler(VOID);
VOID KiInitializeClock(VOID);
VOID KiRunBootTests(VOID);

/* Interrupt service routines for IRQ lines, connected by HAL and drivers. */
typedef VOID (*PKSERVICE_ROUTINE)(PKTRAP_FRAME TrapFrame);
VOID KiConnectInterrupt(ULONG Irq, PKSERVICE_ROUTINE Routine);

/* Bug check with an explicit trap frame, so the stack trace starts where the trap happened. */
__attribute__((noreturn)) VOID KiBugCheckWithTrapFrame(ULONG Code, ULONG_PTR P1, ULONG_PTR P2,
                                                       ULONG_PTR P3, ULONG_PTR P4,
                                                       PKTRAP_FRAME TrapFrame);

/* Scheduler internals (sched.c, wait.c, timer.c). All run at DISPATCH_LEVEL: on one processor
 * that is the dispatcher lock. */
#define KI_THREAD_QUANTUM 6            /* two clock ticks, as NT workstation */
#define KI_CLOCK_QUANTUM_DECREMENT 3

extern volatile ULONGLONG KiTickCount64;
extern KTHREAD KiIdleThread;

VOID KiInitializeScheduler(PVOID InitialStackTop, ULONG StackPages);
__attribute__((noreturn)) VOID KiIdleLoop(VOID);
VOID KiReadyThread(PKTHREAD Thread);
VOID KiRemoveReadyThread(PKTHREAD Thread);
VOID KiBuildInitialSwitchFrame(PKTHREAD Thread, PULONG Top);
VOID KiInitializeBootThread(PKTHREAD Thread, PVOID StackTop, ULONG StackPages, PKPROCESS Process);
VOID KiSwapContext(PKTHREAD Old, PKTHREAD New);
VOID KiSwapThread(VOID);                         /* current thread already waiting or requeued */
VOID KiDispatchInterrupt(VOID);
VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS WaitStatus, KPRIORITY Increment);
VOID KiWaitTest(PVOID Object, KPRIORITY Increment);
BOOLEAN KiTimerDue(VOID);                        /* called from the clock interrupt */
VOID KiExpireTimers(VOID);
BOOLEAN KiInsertTimer(PKTIMER Timer, ULONGLONG DueTick, LONG PeriodMs);
BOOLEAN KiRemoveTimer(PKTIMER Timer);
ULONGLONG KiTimeoutToTicks(LARGE_INTEGER Timeout); /* relative or absolute -> due tick */
VOID KiClockTick(VOID);

/* User-mode exceptions (except.c). */
#define KI_DEBUG_SERVICE_VECTOR 0x2D      /* int 0x2D: DbgPrint from user mode */
VOID KiRaiseUserFault(PKTRAP_FRAME Tf, NTSTATUS Code, ULONG Address, BOOLEAN Write);
VOID KiDebugService(PKTRAP_FRAME Tf);
BOOLEAN KiTestUserApc(PKTHREAD Thread);          /* apc.c, at DISPATCH_LEVEL */
VOID KiDeliverUserApc(PKTRAP_FRAME Tf);
BOOLEAN KiTestKernelApc(PKTHREAD Thread, KPROCESSOR_MODE WaitMode);   /* apc.c, at DISPATCH_LEVEL */
VOID KiDeliverKernelApcs(VOID);                                      /* apc.c, at PASSIVE_LEVEL */                          /* quantum accounting, from the clock ISR */

/* The process whose address space the thread runs in: its own, or the one it attached to. */
static inline PKPROCESS KiAddressSpaceOf(PKTHREAD Thread)
{
    return Thread->AttachedProcess ? Thread->AttachedProcess : Thread->Process;
}

static inline VOID KiSetIrql(KIRQL Irql)         /* no checks, no dispatch: scheduler only */
{
    __asm__ volatile("movb %0, %%fs:0x24" : : "q"(Irql) : "memory");
}

#endif
