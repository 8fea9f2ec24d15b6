/*
 * startup.c - KiSystemStartup, where the kernel begins in C, and the order of phase 0
 * initialisation: segments and traps first (so that any fault is reported), the loader block,
 * memory, a kernel stack with a guard page, the pool, then the clock and interrupts. The banner
 * reports what was found; phase 1 (a system thread) brings up the I/O system and C:, finds ntdll,
 * runs the boot tests named on the command line (which power off when done) and otherwise starts
 * smss, the first user-mode process; the boot thread becomes the idle thread.
 */
#include "ki.h"
#include "hal.h"
#include "kd.h"
#include "mm.h"
#include "ex.h"
#include "rtl.h"
#include "x86.h"
#include "multiboot.h"
#include "ob.h"
#include "svc.h"
#include "ps.h"
#include "ob.h"
#include "io.h"
#include "lpc.h"

#define NANONT_VERSION "0.1.0"
#define KERNEL_STACK_PAGES 4

VOID KiBuildLoaderBlock(ULONG MbiPhysical);
__attribute__((noreturn)) VOID KiCallOnStack(PVOID StackTop, VOID (*Routine)(VOID));
ULONGLONG KiBannerTimeStamp;    /* TSC at the banner: instructions since reset under -icount */

static void KiPrintBanner(void)
{
    PLOADER_PARAMETER_BLOCK lb = &KeLoaderBlock;
    POOL_USAGE np, pp;
    ExQueryPoolUsage(NonPagedPool, &np);
    ExQueryPoolUsage(PagedPool, &pp);

    KdDisplay("NanoNT %s (x86 uniprocessor, built " __DATE__ ")\n", NANONT_VERSION);
    KdDisplay("Boot loader: %s\n", lb->BootLoaderName[0] ? lb->BootLoaderName : "unknown");
    KdDisplay("Command line: %s\n", lb->CommandLine);
    KdDisplay("Memory: %lu KiB usable, %lu pages available\n",
              (unsigned long)MmNumberOfPhysicalPages * 4, (unsigned long)MmAvailablePages);
    KdDisplay("Pool: nonpaged %lu pages, %lu bytes in use; paged %lu pages, %lu bytes in use\n",
              (unsigned long)np.PagesInUse, (unsigned long)np.BytesInUse,
              (unsigned long)pp.PagesInUse, (unsigned long)pp.BytesInUse);
    for (ULONG i = 0; i < lb->ModuleCount; i++) {
        PBOOT_MODULE m = &lb->Modules[i];
        /* The CRC proves the kernel reads the module's bytes; a disk image is not worth the time. */
        if (m->VirtualStart && m->Size <= 1024 * 1024)
            KdDisplay("Module %lu: %s, %lu bytes at %08lx, crc32 %08lx\n", (unsigned long)i, m->Name,
                      (unsigned long)m->Size, (unsigned long)m->PhysicalStart,
                      (unsigned long)RtlComputeCrc32(0, m->VirtualStart, m->Size));
        else
            KdDisplay("Module %lu: %s, %lu bytes at %08lx\n", (unsigned long)i, m->Name, (unsigned long)m->Size,
                      (unsigned long)m->PhysicalStart);
    }
    KiBannerTimeStamp = __rdtsc();
    KdDisplay("NanoNT: ready (tsc %llu)\n", KiBannerTimeStamp);
}

/* Phase 1, in a system thread: what needs the whole executive. */
static VOID KiPhase1Initialization(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KiPrintBanner();
    IoInitSystemPhase1();                /* built-in drivers, the system volume (C:) */
    PsInitializeSystemDll();             /* ntdll, from C: */
    KiRunBootTests();                    /* returns unless the command line asked for a test */
    PsRunInitialProcess();               /* smss; the system ends when it does */
}

/* Phase 0, continued on the kernel stack made by MmCreateKernelStack. */
static VOID KiInitializeKernel(VOID)
{
    HANDLE phase1;
    ExInitializePool();
    HalInitializePic();                  /* every IRQ masked */
    KeLowerIrql(DISPATCH_LEVEL);         /* from HIGH_LEVEL: interrupts on, no IRQ unmasked yet */
    KiInitializeScheduler(KiPcr.StackBase, KERNEL_STACK_PAGES);
    KeLowerIrql(PASSIVE_LEVEL);          /* the boot thread is a thread: it may use paged pool */
    if (!ObInitSystem()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 2, 0, 0, 0);
    if (!ExInitializeObjectTypes()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 4, 0, 0, 0);
    if (!MmInitializeSectionObjectType()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 7, 0, 0, 0);
    if (!LpcInitSystem()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 9, 0, 0, 0);
    KiInitializeSystemServices();
    if (!PsInitSystem()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 5, 0, 0, 0);
    if (!IoInitSystem()) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 8, 0, 0, 0);
    KiInitializeClock();
    if (!NT_SUCCESS(PsCreateSystemThread(&phase1, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                         KiPhase1Initialization, NULL)))
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 6, 0, 0, 0);
    ObCloseHandle(phase1, KernelMode);
    KiIdleLoop();                        /* the boot thread is the idle thread from here on */
}

VOID KiSystemStartup(ULONG Magic, ULONG MbiPhysical)
{
    HalInitializeSerial();
    KiInitializeGdt();
    KiInitializeIdt();
    HalInitializeDisplay();
    if (Magic != MULTIBOOT_BOOTLOADER_MAGIC)
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, Magic, MbiPhysical, 0, 0);
    KiBuildLoaderBlock(MbiPhysical);
    MmInitSystem(&KeLoaderBlock);
    KiDoubleFaultTss.CR3 = __readcr3();

    PVOID stack = MmCreateKernelStack(KERNEL_STACK_PAGES);
    if (stack == NULL) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 1, 0, 0, 0);
    KiPcr.StackBase = stack;
    KiPcr.StackLimit = (PCHAR)stack - KERNEL_STACK_PAGES * PAGE_SIZE;
    KiSetTssStack((ULONG)stack);
    KiCallOnStack(stack, KiInitializeKernel);
}
