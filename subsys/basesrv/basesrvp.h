/*
 * basesrvp.h - private to basesrv.dll: the Win32 process list and the API routines over it.
 */
#ifndef BASESRVP_H
#define BASESRVP_H

#include "csrsrv.h"

extern const CSR_SERVER_SERVICES *BaseServices;

NTSTATUS NTAPI BaseNewProcess(PCSR_PROCESS Process);
NTSTATUS NTAPI BaseClientConnect(PCSR_PROCESS Process, PVOID ConnectionInfo, PULONG Length);
VOID NTAPI BaseDisconnect(PCSR_PROCESS Process);
NTSTATUS NTAPI BaseSrvCreateProcess(PCSR_API_CALL Call);
NTSTATUS NTAPI BaseSrvCreateThread(PCSR_API_CALL Call);
NTSTATUS NTAPI BaseSrvExitProcess(PCSR_API_CALL Call);
NTSTATUS NTAPI BaseSrvGetProcessList(PCSR_API_CALL Call);

#endif
