/*
 * trap.c - what happens after a trap stub has saved the trap frame: CPU exceptions become NT
 * exception codes (and, in kernel mode, a bug check); IRQs go to their service routine.
 *
 * An exception the kernel does not expect is fatal, as on NT: a page fault the memory manager
 * cannot resolve is PAGE_FAULT_IN_NONPAGED_AREA (or IRQL_NOT_LESS_OR_EQUAL at raised IRQL), other
 * faults KMODE_EXCEPTION_NOT_HANDLED with the exception code, and traps that mean the machine
 * state is broken UNEXPECTED_KERNEL_MODE_TRAP with the trap number.
 */
#include "ki.h"
#include "hal.h"
#include "kd.h"
#include "mm.h"
#include "x86.h"
#include "ntstatus.h"

static PKSERVICE_ROUTINE KiIsrTable[16];

VOID KiConnectInterrupt(ULONG Irq, PKSERVICE_ROUTINE Routine)
{
    KiIsrTable[Irq & 15] = Routine;
    HalEnableIrq(Irq);
}

/* NT exception code for each CPU exception vector; 0 = a trap that is always fatal. */
static const NTSTATUS KiExceptionCode[32] = {
    [0] = STATUS_INTEGER_DIVIDE_BY_ZERO, [1] = STATUS_SINGLE_STEP,
    [3] = STATUS_BREAKPOINT,             [4] = STATUS_INTEGER_OVERFLOW,
    [5] = STATUS_ARRAY_BOUNDS_EXCEEDED,  [6] = STATUS_ILLEGAL_INSTRUCTION,
    [13] = STATUS_ACCESS_VIOLATION,      [14] = STATUS_ACCESS_VIOLATION,
    [16] = STATUS_FLOAT_INVALID_OPERATION, [17] = STATUS_DATATYPE_MISALIGNMENT,
    [19] = STATUS_FLOAT_MULTIPLE_TRAPS,
};

static void KiPageFault(PKTRAP_FRAME Tf)
{
    ULONG address = __readcr2();
    BOOLEAN write = (Tf->ErrCode & 2) != 0;
    ULONG mode = (Tf->SegCs & RPL_MASK) ? UserMode : KernelMode;
    KIRQL irql = KeGetCurrentIrql();

    if (irql < DISPATCH_LEVEL && NT_SUCCESS(MmAccessFault(write, (PVOID)address, mode)))
        return;
    if (mode == KernelMode) {
        if (irql >= DISPATCH_LEVEL)
            KiBugCheckWithTrapFrame(IRQL_NOT_LESS_OR_EQUAL, address, irql, write, Tf->Eip, Tf);
        if ((Tf->ErrCode & 1) && write && address >= KSEG0_BASE)
            KiBugCheckWithTrapFrame(ATTEMPTED_WRITE_TO_READONLY_MEMORY, address, 0, 0, 0, Tf);
        KiBugCheckWithTrapFrame(PAGE_FAULT_IN_NONPAGED_AREA, address, write, Tf->Eip, 0, Tf);
    }
    /* No user mode exists yet: processes (and ending them on a fault) come with the executive. */
    KiBugCheckWithTrapFrame(KMODE_EXCEPTION_NOT_HANDLED, STATUS_ACCESS_VIOLATION, Tf->Eip, write, address, Tf);
}

static void KiException(PKTRAP_FRAME Tf)
{
    ULONG vector = Tf->TrapNumber;
    NTSTATUS code = KiExceptionCode[vector];
    if (vector == 14) { KiPageFault(Tf); return; }
    if (code == 0) KiBugCheckWithTrapFrame(UNEXPECTED_KERNEL_MODE_TRAP, vector, Tf->ErrCode, Tf->Eip, 0, Tf);
    /* Parameters as NT gives them for 0x1E: code, address, and for an access violation
     * (from a general protection fault) 0 and -1, "unknown address". */
    ULONG_PTR p3 = 0, p4 = 0;
    if (vector == 13) p4 = (ULONG_PTR)-1;
    KiBugCheckWithTrapFrame(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)code, Tf->Eip, p3, p4, Tf);
}

static void KiInterrupt(PKTRAP_FRAME Tf)
{
    ULONG irq = Tf->TrapNumber - PRIMARY_VECTOR_BASE;
    if (!HalBeginInterrupt(irq)) return;               /* spurious */
    PKPCR pcr = KeGetPcr();
    KIRQL old = pcr->Irql;
    pcr->Irql = CLOCK_LEVEL;                           /* device IRQLs are all above DISPATCH */
    if (KiIsrTable[irq]) KiIsrTable[irq](Tf);
    else DbgPrint("KE: interrupt on IRQ %u with no service routine\n", irq);
    HalEndInterrupt(irq);
    pcr->Irql = old;
}

VOID KiTrapDispatch(PKTRAP_FRAME Tf)
{
    ULONG vector = Tf->TrapNumber;
    if (vector < 32) KiException(Tf);
    else if (vector >= PRIMARY_VECTOR_BASE && vector < PRIMARY_VECTOR_BASE + 16) KiInterrupt(Tf);
    else DbgPrint("KE: unexpected interrupt 0x%02x at %08x, ignored\n", vector, Tf->Eip);
}

/* Runs as the double-fault task: the faulting state was saved into KiTss by the task switch. */
VOID KiDoubleFaultHandler(VOID)
{
    KTRAP_FRAME tf = {0};
    tf.Eip = KiTss.Eip;
    tf.Ebp = KiTss.Ebp;
    tf.TempEsp = KiTss.Esp;
    tf.SegCs = KiTss.Cs;
    tf.EFlags = KiTss.EFlags;
    tf.TrapNumber = 8;
    KiBugCheckWithTrapFrame(UNEXPECTED_KERNEL_MODE_TRAP, 8, KiTss.Esp, KiTss.Eip, 0, &tf);
}
