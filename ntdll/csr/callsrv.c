/*
 * callsrv.c - CsrClientCallServer: one request to csrss and its reply. The message's pointer
 * fields recorded in the capture buffer, and the CaptureBuffer field itself, are turned into
 * csrss's addresses of the same bytes (our address + the port memory's delta) for the trip and
 * back to ours afterwards; the recorded fields travel as offsets from the message's start, which
 * is what csrss checks them against.
 */
#include "csrp.h"

/* Field addresses -> offsets in Message, and the fields' values -> csrss's addresses. FALSE
 * (nothing changed) if a recorded field is not inside the message. */
static BOOLEAN CsrpToServer(PCSR_API_MESSAGE Message, PCSR_CAPTURE_BUFFER Capture)
{
    ULONG count = Capture->PointerCount;
    if (count > Capture->MaximumPointerCount || count > CSR_MAX_CAPTURE_POINTERS) return FALSE;
    for (ULONG i = 0; i < count; i++) {
        ULONG_PTR offset = Capture->PointerOffsetsArray[i] - (ULONG_PTR)Message;
        if (offset < (ULONG_PTR)FIELD_OFFSET(CSR_API_MESSAGE, Data) || offset > sizeof(*Message) - sizeof(PVOID))
            return FALSE;
    }
    for (ULONG i = 0; i < count; i++) {
        PVOID *field = (PVOID *)Capture->PointerOffsetsArray[i];
        if (*field) *field = (PCHAR)*field + CsrpPortMemoryDelta;
        Capture->PointerOffsetsArray[i] -= (ULONG_PTR)Message;
    }
    Message->CaptureBuffer = (PCSR_CAPTURE_BUFFER)((PCHAR)Capture + CsrpPortMemoryDelta);
    return TRUE;
}

static VOID CsrpFromServer(PCSR_API_MESSAGE Message, PCSR_CAPTURE_BUFFER Capture)
{
    for (ULONG i = 0; i < Capture->PointerCount; i++) {
        Capture->PointerOffsetsArray[i] += (ULONG_PTR)Message;
        PVOID *field = (PVOID *)Capture->PointerOffsetsArray[i];
        if (*field) *field = (PCHAR)*field - CsrpPortMemoryDelta;
    }
    Message->CaptureBuffer = Capture;
}

NTSTATUS NTAPI CsrClientCallServer(PCSR_API_MESSAGE ApiMessage, PCSR_CAPTURE_BUFFER CaptureBuffer, ULONG ApiNumber,
                                   ULONG ArgumentSize)
{
    NTSTATUS status;
    if (ArgumentSize > sizeof(ApiMessage->Data)) {
        status = STATUS_INVALID_PARAMETER;
    } else if (CsrpPortHandle == NULL) {
        status = STATUS_INVALID_PORT_HANDLE;
    } else {
        ULONG dataLength = FIELD_OFFSET(CSR_API_MESSAGE, Data) + ArgumentSize - sizeof(PORT_MESSAGE);
        ApiMessage->Header.u1.s1.DataLength = (CSHORT)dataLength;
        ApiMessage->Header.u1.s1.TotalLength = (CSHORT)(dataLength + sizeof(PORT_MESSAGE));
        ApiMessage->Header.u2.ZeroInit = 0;
        ApiMessage->ApiNumber = ApiNumber;
        ApiMessage->ReturnValue = STATUS_SUCCESS;
        ApiMessage->CaptureBuffer = NULL;
        if (CaptureBuffer && !CsrpToServer(ApiMessage, CaptureBuffer)) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            status = NtRequestWaitReplyPort(CsrpPortHandle, &ApiMessage->Header, &ApiMessage->Header);
            if (CaptureBuffer) CsrpFromServer(ApiMessage, CaptureBuffer);
            if (NT_SUCCESS(status)) status = ApiMessage->ReturnValue;
        }
    }
    ApiMessage->ReturnValue = status;
    return status;
}
