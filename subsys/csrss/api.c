/*
 * api.c - one request: the capture buffer checked against the client's port memory, the API
 * routine found by server index and API number, its status put in the reply. Every value the
 * client controls is checked here or by the routine (ValidateMessageBuffer); a malformed
 * request gets an error status, never a fault in csrss.
 */
#include "csrssp.h"

#define CSR_CAPTURE_HEADER(pointers) \
    ((ULONG)FIELD_OFFSET(CSR_CAPTURE_BUFFER, PointerOffsetsArray) + (pointers) * (ULONG)sizeof(ULONG_PTR))

/* A recorded pointer field: inside the message's arguments, aligned, and pointing (if not
 * NULL) into the capture buffer's data. */
static BOOLEAN CsrCheckPointerField(PCSR_API_MESSAGE Message, ULONG_PTR Offset, ULONG_PTR Data, ULONG_PTR End)
{
    if (Offset < (ULONG_PTR)FIELD_OFFSET(CSR_API_MESSAGE, Data) || Offset > sizeof(*Message) - sizeof(PVOID) ||
        Offset % sizeof(PVOID))
        return FALSE;
    ULONG_PTR value = *(ULONG_PTR *)((PCHAR)Message + Offset);
    return value == 0 || (value >= Data && value < End);
}

/* The capture buffer (csrss's address, as the client sent it) must lie inside the client's
 * port memory, its header must be sane and each recorded field point inside it. The header is
 * read once: the client can change its port memory under us at any time. */
static BOOLEAN CsrCheckCaptureBuffer(PCSR_API_CALL Call)
{
    PCSR_PROCESS process = Call->Process;
    ULONG_PTR base = (ULONG_PTR)process->ViewBase, capture = (ULONG_PTR)Call->Message.CaptureBuffer;
    ULONG_PTR offset = capture - base;
    if (base == 0 || capture < base || offset >= process->ViewSize || capture % sizeof(ULONG_PTR) ||
        process->ViewSize - offset < CSR_CAPTURE_HEADER(0))
        return FALSE;
    volatile CSR_CAPTURE_BUFFER *shared = (volatile CSR_CAPTURE_BUFFER *)capture;
    ULONG size = shared->Size, count = shared->PointerCount;
    if (size < CSR_CAPTURE_HEADER(0) || size > process->ViewSize - offset || count > CSR_MAX_CAPTURE_POINTERS ||
        CSR_CAPTURE_HEADER(count) > size)
        return FALSE;
    for (ULONG i = 0; i < count; i++)
        if (!CsrCheckPointerField(&Call->Message, shared->PointerOffsetsArray[i], capture + CSR_CAPTURE_HEADER(count),
                                  capture + size))
            return FALSE;
    Call->CaptureBase = (PCHAR)capture;
    Call->CaptureSize = size;
    return TRUE;
}

BOOLEAN NTAPI CsrValidateMessageBuffer(PCSR_API_CALL Call, PVOID Buffer, ULONG Count, ULONG ElementSize)
{
    if (Count == 0) return TRUE;
    ULONGLONG bytes = (ULONGLONG)Count * ElementSize;
    ULONG_PTR start = (ULONG_PTR)Buffer - (ULONG_PTR)Call->CaptureBase;
    return Call->CaptureBase != NULL && Buffer != NULL && (ULONG_PTR)Buffer >= (ULONG_PTR)Call->CaptureBase &&
           start < Call->CaptureSize && bytes <= Call->CaptureSize - start;
}

NTSTATUS NTAPI CsrReply(PCSR_PROCESS Process, PCSR_API_MESSAGE Message, NTSTATUS Status)
{
    if (Process == NULL || Message == NULL) return STATUS_INVALID_PARAMETER;
    Message->ReturnValue = Status;
    return NtReplyPort(Process->ClientPort, &Message->Header);
}

/* The routine for an API number, or NULL. */
static PCSR_API_ROUTINE CsrLookupApi(ULONG ApiNumber)
{
    ULONG server = CSR_API_NUMBER_TO_SERVER_ID(ApiNumber), api = CSR_API_NUMBER_TO_API_ID(ApiNumber);
    if (server >= CSR_SERVER_DLL_MAX) return NULL;
    PCSR_SERVER_DLL dll = &CsrServerDlls[server];
    if (dll->ApiTable == NULL || api >= dll->ApiCount) return NULL;
    return dll->ApiTable[api];
}

BOOLEAN CsrDispatchRequest(PCSR_API_CALL Call)
{
    PCSR_API_MESSAGE m = &Call->Message;
    NTSTATUS status;
    Call->CaptureBase = NULL;
    Call->CaptureSize = 0;
    Call->ReplyPending = FALSE;
    PCSR_API_ROUTINE routine = NULL;
    const CSHORT fixed = (CSHORT)(FIELD_OFFSET(CSR_API_MESSAGE, Data) - sizeof(PORT_MESSAGE));
    if (m->Header.u1.s1.DataLength < fixed) {
        status = STATUS_INVALID_PARAMETER;       /* not even our fixed fields: */
        m->Header.u1.s1.DataLength = fixed;      /* the reply has them, to carry the status */
        m->Header.u1.s1.TotalLength = (CSHORT)(fixed + sizeof(PORT_MESSAGE));
    } else if ((routine = CsrLookupApi(m->ApiNumber)) == NULL)
        status = STATUS_ILLEGAL_FUNCTION;
    else if (m->CaptureBuffer && !CsrCheckCaptureBuffer(Call))
        status = STATUS_INVALID_PARAMETER;
    else
        status = routine(Call);
    if (Call->ReplyPending) return FALSE;
    m->ReturnValue = status;
    return TRUE;
}
