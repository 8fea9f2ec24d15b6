/*
 * bugcheck.c - KeBugCheckEx, the one way the kernel stops on an internal error: the stop code by
 * its NT name, its four parameters and a symbolic stack trace, on the screen (white on blue) and
 * on COM1; then the processor halts.
 */
#include "ki.h"
#include "hal.h"
#include "kd.h"
#include "mm.h"
#include "x86.h"

static const struct { ULONG Code; PCSTR Name; } KiBugCheckNames[] = {
    { IRQL_NOT_GREATER_OR_EQUAL, "IRQL_NOT_GREATER_OR_EQUAL" },
    { IRQL_NOT_LESS_OR_EQUAL, "IRQL_NOT_LESS_OR_EQUAL" },
    { BAD_POOL_HEADER, "BAD_POOL_HEADER" },
    { MEMORY_MANAGEMENT, "MEMORY_MANAGEMENT" },
    { KMODE_EXCEPTION_NOT_HANDLED, "KMODE_EXCEPTION_NOT_HANDLED" },
    { PHASE0_INITIALIZATION_FAILED, "PHASE0_INITIALIZATION_FAILED" },
    { PHASE1_INITIALIZATION_FAILED, "PHASE1_INITIALIZATION_FAILED" },
    { NO_MORE_SYSTEM_PTES, "NO_MORE_SYSTEM_PTES" },
    { MUST_SUCCEED_POOL_EMPTY, "MUST_SUCCEED_POOL_EMPTY" },
    { PFN_LIST_CORRUPT, "PFN_LIST_CORRUPT" },
    { PAGE_FAULT_IN_NONPAGED_AREA, "PAGE_FAULT_IN_NONPAGED_AREA" },
    { INSTALL_MORE_MEMORY, "INSTALL_MORE_MEMORY" },
    { UNEXPECTED_KERNEL_MODE_TRAP, "UNEXPECTED_KERNEL_MODE_TRAP" },
    { KERNEL_MODE_EXCEPTION_NOT_HANDLED, "KERNEL_MODE_EXCEPTION_NOT_HANDLED" },
    { ATTEMPTED_WRITE_TO_READONLY_MEMORY, "ATTEMPTED_WRITE_TO_READONLY_MEMORY" },
    { BAD_POOL_CALLER, "BAD_POOL_CALLER" },
    { DRIVER_IRQL_NOT_LESS_OR_EQUAL, "DRIVER_IRQL_NOT_LESS_OR_EQUAL" },
    { MANUALLY_INITIATED_CRASH, "MANUALLY_INITIATED_CRASH" },
    { KERNEL_SELF_TEST_FAILED, "KERNEL_SELF_TEST_FAILED" },
};

static volatile ULONG KiBugCheckActive;

static PCSTR KiBugCheckName(ULONG Code)
{
    for (ULONG i = 0; i < ARRAYSIZE(KiBugCheckNames); i++)
        if (KiBugCheckNames[i].Code == Code) return KiBugCheckNames[i].Name;
    return "UNKNOWN_BUGCHECK_CODE";
}

static void KiPrintFrame(ULONG Index, ULONG_PTR Eip)
{
    ULONG_PTR offset;
    PCSTR name = KeLookupSymbol(Eip, &offset);
    if (name) KdDisplay("  #%-2u %08lx %s+0x%lx\n", Index, (unsigned long)Eip, name, (unsigned long)offset);
    else KdDisplay("  #%-2u %08lx ?\n", Index, (unsigned long)Eip);
}

/* Follows the EBP chain (the kernel is built with frame pointers) while frames look sane. */
static void KiPrintStackTrace(ULONG_PTR Eip, ULONG_PTR Ebp)
{
    ULONG index = 0;
    KdDisplay("Stack trace:\n");
    KiPrintFrame(index++, Eip);
    while (Ebp != 0 && index < 20 && (Ebp & 3) == 0 && MmIsAddressValid((PVOID)Ebp) &&
           MmIsAddressValid((PVOID)(Ebp + 4))) {
        ULONG_PTR ret = ((PULONG_PTR)Ebp)[1], next = ((PULONG_PTR)Ebp)[0];
        if (ret == 0) break;
        KiPrintFrame(index++, ret);
        if (next <= Ebp) break;
        Ebp = next;
    }
}

/* The common path: Eip/Ebp say where the stack trace starts. */
__attribute__((noreturn)) static void KiBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                                                 ULONG_PTR P4, PKTRAP_FRAME TrapFrame,
                                                 ULONG_PTR Eip, ULONG_PTR Ebp)
{
    _disable();
    if (KiBugCheckActive++) {
        static const char msg[] = "\n*** STOP: nested bug check while reporting one\n*** System halted.\n";
        HalSerialWrite(msg, sizeof(msg) - 1);
        HalReturnToFirmware(HalHaltRoutine, 0);
    }
    HalSetDisplayColors(0x1F);
    HalClearDisplay();
    KdDisplay("\n*** STOP: 0x%08lX (0x%08lX,0x%08lX,0x%08lX,0x%08lX)\n*** %s\n\n",
              (unsigned long)Code, (unsigned long)P1, (unsigned long)P2, (unsigned long)P3,
              (unsigned long)P4, KiBugCheckName(Code));
    if (TrapFrame)
        KdDisplay("Trap frame: trap %lu eip %08lx esp %08lx ebp %08lx eflags %08lx\n",
                  (unsigned long)TrapFrame->TrapNumber, (unsigned long)TrapFrame->Eip,
                  (unsigned long)TrapFrame->TempEsp, (unsigned long)TrapFrame->Ebp,
                  (unsigned long)TrapFrame->EFlags);
    KiPrintStackTrace(Eip, Ebp);
    KdDisplay("\n*** System halted.\n");
    HalReturnToFirmware(HalHaltRoutine, Code);
}

VOID KiBugCheckWithTrapFrame(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                             PKTRAP_FRAME TrapFrame)
{
    KiBugCheck(Code, P1, P2, P3, P4, TrapFrame, TrapFrame->Eip, TrapFrame->Ebp);
}

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    /* The trace starts at our caller; this frame is KeBugCheckEx itself. */
    PULONG_PTR ebp = (PULONG_PTR)__readebp();
    KiBugCheck(Code, P1, P2, P3, P4, NULL, ebp[1], ebp[0]);
}

VOID KeBugCheck(ULONG Code)
{
    KeBugCheckEx(Code, 0, 0, 0, 0);
}
