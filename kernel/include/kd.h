/* kd.h - the kernel debugger's print channel: DbgPrint writes to COM1. */
#ifndef KD_H
#define KD_H

#include "ntdef.h"

ULONG DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));
/* Formats like DbgPrint and writes to the screen and COM1 (console-style output). */
VOID KdDisplay(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));

#endif
