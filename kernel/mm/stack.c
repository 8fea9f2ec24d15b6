/*
 * stack.c - kernel stacks. Each takes a 64 KiB slot of the stack region: the stack's pages at the
 * top of the slot and unmapped pages below, so running off the end faults at once (and, because
 * the fault cannot push its frame, becomes a double fault handled on its own TSS).
 */
#include "mi.h"
#include "ke.h"

#define STACK_SLOT_PAGES 16
#define STACK_SLOTS ((MM_KERNEL_STACK_END - MM_KERNEL_STACK_START) / (STACK_SLOT_PAGES * PAGE_SIZE))

static BOOLEAN MiStackSlotUsed[STACK_SLOTS];

PVOID MmCreateKernelStack(ULONG Pages)
{
    if (Pages == 0 || Pages >= STACK_SLOT_PAGES) return NULL;
    for (ULONG s = 0; s < STACK_SLOTS; s++) {
        if (MiStackSlotUsed[s]) continue;
        PCHAR top = (PCHAR)(MM_KERNEL_STACK_START + (s + 1) * STACK_SLOT_PAGES * PAGE_SIZE);
        if (!MiPoolMapPages(top - Pages * PAGE_SIZE, Pages)) return NULL;
        MiStackSlotUsed[s] = TRUE;
        return top;
    }
    return NULL;
}

VOID MmDeleteKernelStack(PVOID StackTop, ULONG Pages)
{
    ULONG s = ((ULONG_PTR)StackTop - MM_KERNEL_STACK_START) / (STACK_SLOT_PAGES * PAGE_SIZE) - 1;
    MiPoolUnmapPages((PCHAR)StackTop - Pages * PAGE_SIZE, Pages);
    MiStackSlotUsed[s] = FALSE;
}
