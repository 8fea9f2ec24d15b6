/*
 * csrssp.h - private to csrss.exe: its parts (start-up, server DLLs, client processes, the API
 * dispatcher and the server loop) and what they share.
 */
#ifndef CSRSSP_H
#define CSRSSP_H

#include "csrsrv.h"

extern HANDLE CsrApiPort;                                /* \Windows\ApiPort */
extern CSR_SERVER_DLL CsrServerDlls[CSR_SERVER_DLL_MAX]; /* by index; ApiTable NULL = none */
extern const CSR_SERVER_SERVICES CsrServices;

/* srvdll.c */
NTSTATUS CsrInitializeServerDlls(VOID);

/* process.c */
VOID CsrHandleConnectionRequest(PCSR_API_MESSAGE Message);
VOID CsrHandleProcessGone(PVOID PortContext);
PCSR_PROCESS CsrValidateContext(PVOID PortContext);
PCSR_PROCESS NTAPI CsrFindProcess(HANDLE UniqueProcess);

/* api.c */
BOOLEAN CsrDispatchRequest(PCSR_API_CALL Call);       /* TRUE: reply now with Call->Message */
BOOLEAN NTAPI CsrValidateMessageBuffer(PCSR_API_CALL Call, PVOID Buffer, ULONG Count, ULONG ElementSize);
NTSTATUS NTAPI CsrReply(PCSR_PROCESS Process, PCSR_API_MESSAGE Message, NTSTATUS Status);

/* server.c */
NTSTATUS CsrServeRequests(VOID);

#endif
