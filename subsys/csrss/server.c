/*
 * server.c - csrss's server loop: one thread on \Windows\ApiPort with NtReplyWaitReceivePort,
 * answering the previous request and taking the next message. Connection requests make client
 * records, requests go to the dispatcher, closed ports end records. One thread keeps every API
 * routine and hook serialized; nothing here waits long (console reads that must wait are left
 * pending by consrv and answered from its input thread).
 */
#include "csrssp.h"

static CSR_API_CALL CsrCall;                     /* the message being served */
static CSR_API_MESSAGE CsrReplyMessage;          /* the answer sent with the next receive */

/* One received message; TRUE if CsrReplyMessage holds an answer to send. */
static BOOLEAN CsrHandleMessage(PVOID Context)
{
    PCSR_API_MESSAGE m = &CsrCall.Message;
    switch (m->Header.u2.s2.Type) {
    case LPC_CONNECTION_REQUEST:
        CsrHandleConnectionRequest(m);
        return FALSE;
    case LPC_PORT_CLOSED:
    case LPC_CLIENT_DIED:
        CsrHandleProcessGone(Context);
        return FALSE;
    case LPC_REQUEST:
        CsrCall.Process = CsrValidateContext(Context);
        if (CsrCall.Process == NULL) {           /* no record: should not happen, still answer */
            m->ReturnValue = STATUS_INVALID_PARAMETER;
        } else if (!CsrDispatchRequest(&CsrCall)) {
            return FALSE;                        /* answered later */
        }
        RtlCopyMemory(&CsrReplyMessage, m, sizeof(*m));
        return TRUE;
    default:                                     /* datagrams and the rest: nothing to answer */
        return FALSE;
    }
}

NTSTATUS CsrServeRequests(VOID)
{
    PPORT_MESSAGE reply = NULL;
    ULONG failures = 0;
    for (;;) {
        PVOID context = NULL;
        RtlZeroMemory(&CsrCall, sizeof(CsrCall));
        NTSTATUS status = NtReplyWaitReceivePort(CsrApiPort, &context, reply, &CsrCall.Message.Header);
        reply = NULL;
        if (!NT_SUCCESS(status)) {
            /* A reply to a client that died meanwhile fails; the receive is what matters. */
            DbgPrint("CSRSS: receive: status 0x%08lx\n", (unsigned long)status);
            if (++failures > 100) return status;
            continue;
        }
        failures = 0;
        if (CsrHandleMessage(context)) reply = &CsrReplyMessage.Header;
    }
}
