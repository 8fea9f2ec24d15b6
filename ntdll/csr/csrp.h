/*
 * csrp.h - private to ntdll/csr: the process's one connection to csrss (its port and its port
 * memory, the 64 KiB section shared with csrss) and the allocator of capture buffers in it.
 */
#ifndef CSRP_H
#define CSRP_H

#include "ntndk.h"
#include "ntcsr.h"

extern HANDLE CsrpPortHandle;               /* NULL until connected */
extern PCHAR CsrpPortMemory;                /* our address of the port memory */
extern SIZE_T CsrpPortMemorySize;
extern LONG_PTR CsrpPortMemoryDelta;        /* csrss's address - ours, of the same byte */
extern HANDLE CsrpServerProcessId;

/* Capture buffers are carved from the port memory in units of this size. */
#define CSRP_UNIT 256u

VOID CsrpInitializeCaptureHeap(PVOID Base, SIZE_T Size);

#endif
