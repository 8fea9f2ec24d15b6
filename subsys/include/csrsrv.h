/*
 * csrsrv.h - the interface between csrss.exe and its server DLLs (basesrv.dll, consrv.dll).
 * csrss loads each DLL and calls its export CsrServerDllInitialization with a CSR_SERVER_DLL
 * whose Services it has filled; the DLL fills in its index, its API table and its hooks. Clients
 * never see this header (they use csrmsg.h).
 *
 * Threads: csrss serves requests with one thread, so API routines and the hooks run one at a
 * time; a server DLL that runs threads of its own (consrv's input thread) locks its own state,
 * and may finish a request it left pending (ReplyPending) with Services->Reply from any thread.
 */
#ifndef CSRSRV_H
#define CSRSRV_H

#include "ntndk.h"
#include "csrmsg.h"

/* A connected client process, from its LPC connection to its port's close. */
typedef struct _CSR_PROCESS {
    LIST_ENTRY Links;
    CLIENT_ID ClientId;                     /* UniqueProcess: its pid */
    HANDLE ProcessHandle;                   /* csrss's handle (PROCESS_ALL_ACCESS) */
    HANDLE ClientPort;                      /* the server end of its communication port */
    PVOID ViewBase;                         /* csrss's address of its port memory (or NULL) */
    SIZE_T ViewSize;
    PVOID ServerData[CSR_SERVER_DLL_MAX];   /* each server DLL's per-process state */
} CSR_PROCESS, *PCSR_PROCESS;

/* One request as an API routine sees it. Message is csrss's private copy (zero beyond what the
 * client sent); the routine writes its results into Message->Data. Pointer fields that the
 * client recorded in its capture buffer hold csrss's addresses of the data; a routine checks
 * each one it uses with Services->ValidateMessageBuffer before touching it. */
typedef struct _CSR_API_CALL {
    CSR_API_MESSAGE Message;
    PCSR_PROCESS Process;
    PCHAR CaptureBase;                      /* csrss's address of the capture buffer, or NULL */
    ULONG CaptureSize;
    BOOLEAN ReplyPending;                   /* set by a routine that will answer later */
} CSR_API_CALL, *PCSR_API_CALL;

typedef NTSTATUS (NTAPI *PCSR_API_ROUTINE)(PCSR_API_CALL Call);

/* What csrss offers its server DLLs. */
typedef struct _CSR_SERVER_SERVICES {
    /* TRUE if Count elements of ElementSize bytes at Buffer lie inside the call's capture buffer
     * (and Buffer is not NULL, unless Count is 0). */
    BOOLEAN (NTAPI *ValidateMessageBuffer)(PCSR_API_CALL Call, PVOID Buffer, ULONG Count, ULONG ElementSize);
    /* Answers a request left pending: Message (a copy of Call->Message, results filled in)
     * goes to Process with ReturnValue = Status. */
    NTSTATUS (NTAPI *Reply)(PCSR_PROCESS Process, PCSR_API_MESSAGE Message, NTSTATUS Status);
    /* csrss's process record for a pid, or NULL (only from csrss's server thread). */
    PCSR_PROCESS (NTAPI *FindProcess)(HANDLE UniqueProcess);
} CSR_SERVER_SERVICES, *PCSR_SERVER_SERVICES;

typedef struct _CSR_SERVER_DLL {
    ULONG Length;                           /* in: sizeof(CSR_SERVER_DLL) */
    const CSR_SERVER_SERVICES *Services;    /* in */
    ULONG ServerDllIndex;                   /* out: which high word of API numbers is ours */
    ULONG ApiCount;                         /* out */
    const PCSR_API_ROUTINE *ApiTable;       /* out: [ApiCount]; NULL entries are unknown APIs */
    const PCSTR *ApiNames;                  /* out, optional: for the debug log */
    /* Optional hooks: every new client (after its connection is accepted); its connection data
     * (CsrpClientConnect: *Length bytes in, the DLL sets *Length to what it wrote back, at most
     * the bytes it got); the client is gone (its port closed or it died). */
    NTSTATUS (NTAPI *NewProcess)(PCSR_PROCESS Process);
    NTSTATUS (NTAPI *ClientConnect)(PCSR_PROCESS Process, PVOID ConnectionInfo, PULONG Length);
    VOID (NTAPI *Disconnect)(PCSR_PROCESS Process);
} CSR_SERVER_DLL, *PCSR_SERVER_DLL;

/* The export every server DLL has. */
typedef NTSTATUS (NTAPI *PCSR_SERVER_DLL_INIT_ROUTINE)(PCSR_SERVER_DLL ServerDll);
#define CSR_SERVER_DLL_INIT_NAME "CsrServerDllInitialization"

#endif
