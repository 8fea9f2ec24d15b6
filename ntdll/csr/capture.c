/*
 * capture.c - capture buffers: blocks of the port memory (the section shared with csrss) that
 * carry an API's variable-length data. The allocator is a bitmap of 256-byte units over the
 * whole 64 KiB under one lock: a buffer takes header + pointer offsets + data, rounded up to
 * whole units; when no run of free units is long enough the allocation fails (NULL).
 */
#include "csrp.h"

#define CSRP_MAX_UNITS (CSR_PORT_MEMORY_SIZE / CSRP_UNIT)

static RTL_CRITICAL_SECTION CsrpCaptureLock = RTL_CRITICAL_SECTION_INIT;
static RTL_BITMAP CsrpCaptureMap;
static ULONG CsrpCaptureBits[CSRP_MAX_UNITS / 32];

VOID CsrpInitializeCaptureHeap(PVOID Base, SIZE_T Size)
{
    ULONG units = (ULONG)(Size / CSRP_UNIT);
    if (units > CSRP_MAX_UNITS) units = CSRP_MAX_UNITS;
    UNREFERENCED_PARAMETER(Base);
    RtlInitializeBitMap(&CsrpCaptureMap, CsrpCaptureBits, units);
    RtlClearAllBits(&CsrpCaptureMap);
}

#define CSRP_HEADER_SIZE(pointers) \
    ((ULONG)FIELD_OFFSET(CSR_CAPTURE_BUFFER, PointerOffsetsArray) + (pointers) * (ULONG)sizeof(ULONG_PTR))

PCSR_CAPTURE_BUFFER NTAPI CsrAllocateCaptureBuffer(ULONG PointerCount, ULONG Size)
{
    if (CsrpPortHandle == NULL || PointerCount > CSR_MAX_CAPTURE_POINTERS || Size > CSR_PORT_MEMORY_SIZE)
        return NULL;
    ULONG header = CSRP_HEADER_SIZE(PointerCount);
    ULONG total = header + ((Size + 3) & ~3u);
    ULONG units = (total + CSRP_UNIT - 1) / CSRP_UNIT;
    RtlEnterCriticalSection(&CsrpCaptureLock);
    ULONG first = RtlFindClearBitsAndSet(&CsrpCaptureMap, units, 0);
    RtlLeaveCriticalSection(&CsrpCaptureLock);
    if (first == RTL_BITMAP_NOT_FOUND) return NULL;
    PCSR_CAPTURE_BUFFER capture = (PCSR_CAPTURE_BUFFER)(CsrpPortMemory + first * CSRP_UNIT);
    capture->Size = units * CSRP_UNIT;
    capture->MaximumPointerCount = PointerCount;
    capture->PointerCount = 0;
    capture->BufferEnd = (PCHAR)capture + header;
    return capture;
}

VOID NTAPI CsrFreeCaptureBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer)
{
    ULONG_PTR offset = (ULONG_PTR)CaptureBuffer - (ULONG_PTR)CsrpPortMemory;
    if (CaptureBuffer == NULL || CsrpPortMemory == NULL || offset >= CsrpPortMemorySize || offset % CSRP_UNIT)
        return;                                  /* not one of ours */
    ULONG first = (ULONG)(offset / CSRP_UNIT), units = CaptureBuffer->Size / CSRP_UNIT;
    if (units == 0 || first + units > CsrpCaptureMap.SizeOfBitMap) return;
    RtlEnterCriticalSection(&CsrpCaptureLock);
    RtlClearBits(&CsrpCaptureMap, first, units);
    RtlLeaveCriticalSection(&CsrpCaptureLock);
}

ULONG NTAPI CsrAllocateMessagePointer(PCSR_CAPTURE_BUFFER CaptureBuffer, ULONG Length, PVOID *MessagePointer)
{
    ULONG rounded = (Length + 3) & ~3u;
    if (CaptureBuffer == NULL) { *MessagePointer = NULL; return 0; }
    PCHAR end = (PCHAR)CaptureBuffer + CaptureBuffer->Size;
    if (CaptureBuffer->PointerCount >= CaptureBuffer->MaximumPointerCount || rounded < Length ||
        rounded > (ULONG)(end - CaptureBuffer->BufferEnd)) {
        *MessagePointer = NULL;
        return 0;
    }
    *MessagePointer = CaptureBuffer->BufferEnd;
    /* The field's own address: CsrClientCallServer turns it into an offset in the message. */
    CaptureBuffer->PointerOffsetsArray[CaptureBuffer->PointerCount++] = (ULONG_PTR)MessagePointer;
    CaptureBuffer->BufferEnd += rounded;
    return rounded;
}

VOID NTAPI CsrCaptureMessageBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer, PVOID Buffer, ULONG Length,
                                   PVOID *CapturedBuffer)
{
    if (CsrAllocateMessagePointer(CaptureBuffer, Length, CapturedBuffer) && Buffer)
        RtlCopyMemory(*CapturedBuffer, Buffer, Length);
}
