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
#include "svc.h"
#include "ps.h"

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

BOOLEAN (*KiUserPageFaultHook)(PKTRAP_FRAME TrapFrame, NTSTATUS Status, ULONG Address);

/* A user-mode instruction that faulted with #GP: a privileged one, or a bad access? */
static NTSTATUS KiClassifyUserGp(PKTRAP_FRAME Tf)
{
    UCHAR op[2] = { 0, 0 };
    if (!NT_SUCCESS(KeCopyFromUser(op, (PVOID)Tf->Eip, 2))) return STATUS_ACCESS_VIOLATION;
    switch (op[0]) {
    case 0xFA: case 0xFB: case 0xF4:                       /* cli, sti, hlt */
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:            /* in, out with an immediate port */
    case 0xEC: case 0xED: case 0xEE: case 0xEF:            /* in, out with the port in DX */
    case 0x6C: case 0x6D: case 0x6E: case 0x6F:            /* ins, outs */
        return STATUS_PRIVILEGED_INSTRUCTION;
    case 0x0F:                                             /* lgdt/lidt/mov crN/drN/wrmsr/... */
        if (op[1] == 0x00 || op[1] == 0x01 || (op[1] >= 0x20 && op[1] <= 0x23) || op[1] == 0x30 ||
            op[1] == 0x32 || op[1] == 0x06 || op[1] == 0x08 || op[1] == 0x09)
            return STATUS_PRIVILEGED_INSTRUCTION;
        break;
    }
    return STATUS_ACCESS_VIOLATION;
}

/* An exception in user mode goes to the process's ntdll (except.c); in a process without one,
 * or when nobody handles it, the process ends with the exception code, as on NT. */
static void KiUserFault(PKTRAP_FRAME Tf, NTSTATUS Code, ULONG Address, BOOLEAN Write)
{
    KiRaiseUserFault(Tf, Code, Address, Write);
}

static void KiPageFault(PKTRAP_FRAME Tf)
{
    ULONG address = __readcr2();
    BOOLEAN write = (Tf->ErrCode & 2) != 0;
    ULONG mode = (Tf->SegCs & RPL_MASK) ? UserMode : KernelMode;
    KIRQL irql = KeGetCurrentIrql();

    NTSTATUS status = STATUS_ACCESS_VIOLATION;
    if (irql < DISPATCH_LEVEL) {                 /* Mm first; a user-copy fixup only if it fails */
        status = MmAccessFault(write, (PVOID)address, mode);
        if (NT_SUCCESS(status)) return;
    }
    if (mode == KernelMode) {
        if (irql >= DISPATCH_LEVEL)
            KiBugCheckWithTrapFrame(IRQL_NOT_LESS_OR_EQUAL, address, irql, write, Tf->Eip, Tf);
        if (KiFixupKernelFault(Tf)) return;    /* a user-memory copy: it returns an error */
        if ((Tf->ErrCode & 1) && write && address >= KSEG0_BASE)
            KiBugCheckWithTrapFrame(ATTEMPTED_WRITE_TO_READONLY_MEMORY, address, 0, 0, 0, Tf);
        KiBugCheckWithTrapFrame(PAGE_FAULT_IN_NONPAGED_AREA, address, write, Tf->Eip, 0, Tf);
    }
    /* A self-test that runs bare ring-3 code outside any process may take the fault (retry it, or
     * move EIP) through this hook. */
    if (KiUserPageFaultHook && KiUserPageFaultHook(Tf, status, address)) return;
    KiUserFault(Tf, status, address, write);
}

static void KiException(PKTRAP_FRAME Tf)
{
    ULONG vector = Tf->TrapNumber;
    NTSTATUS code = KiExceptionCode[vector];
    if (vector == 14) { KiPageFault(Tf); return; }
    if (Tf->SegCs & RPL_MASK) {
        if (vector == 13) code = KiClassifyUserGp(Tf);
        KiUserFault(Tf, code ? code : STATUS_ACCESS_VIOLATION, vector == 13 ? 0xFFFFFFFFu : 0, FALSE);
        return;
    }
    if (KiFixupKernelFault(Tf)) return;        /* kernel mode only: a user-memory copy failed */
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
    if (old < DISPATCH_LEVEL && pcr->DispatchPending) KiCheckForDispatch();   /* may switch threads */
}

VOID KiTrapDispatch(PKTRAP_FRAME Tf)
{
    ULONG vector = Tf->TrapNumber;
    if (vector < 32) KiException(Tf);
    else if (vector == KI_DEBUG_SERVICE_VECTOR) KiDebugService(Tf);
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
