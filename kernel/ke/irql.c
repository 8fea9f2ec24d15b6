/*
 * irql.c - interrupt request levels. One processor, so IRQL is a byte in the KPCR: code at
 * DISPATCH_LEVEL or above is not preempted; HIGH_LEVEL also masks interrupts. Device interrupts
 * run at CLOCK_LEVEL with interrupts off (interrupt gates), so nothing below needs the PIC masks.
 * Raising and lowering are inline (ke.h); this file holds what happens when they are misused.
 */
#include "ki.h"

VOID KiBadIrqlTransition(KIRQL Current, KIRQL Requested)
{
    if (Requested < Current) KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, Current, Requested, 0, 0);
    KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, Current, Requested, 0);
}
