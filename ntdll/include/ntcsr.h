/*
 * ntcsr.h - ntdll's client side of the Win32 subsystem (ntdll/csr/): connecting to csrss,
 * calling its APIs and the capture buffers for their variable-length data. NT's names and
 * prototypes; the wire format is subsys/include/csrmsg.h. kernel32 is the main caller.
 *
 *   CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, &byServer);
 *   CSR_API_MESSAGE m;  m.Data.ExitProcess.ExitCode = 3;
 *   CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepExitProcess),
 *                       sizeof(BASE_EXIT_PROCESS_MSG));
 *   status = m.ReturnValue;        (also CsrClientCallServer's result)
 *
 * Capture buffers: CsrAllocateCaptureBuffer(pointers, bytes) takes a block of the process's
 * 64 KiB port memory (allocated in 256-byte units; at most the whole 64 KiB less the units in
 * use, so callers should send big data in chunks of a few KiB); CsrCaptureMessageBuffer copies
 * data into it and points a message field at the copy; CsrAllocateMessagePointer points a field
 * at room for the server to fill; CsrFreeCaptureBuffer gives the block back. Thread-safe.
 */
#ifndef NTCSR_H
#define NTCSR_H

#include "ntdef.h"
#include "ntapi.h"
#include "csrmsg.h"

/* Connects the process to csrss (the first call: creates the port memory and connects to
 * ObjectDirectory\ApiPort; ObjectDirectory NULL = \Windows), then, if ConnectionInformation is
 * given, hands it to server DLL ServerDllIndex (a CsrpClientConnect call; the DLL may write
 * back, *ConnectionInformationLength says how much). *CalledByServer (optional) is TRUE in
 * csrss itself, where nothing is sent. */
NTSYSAPI NTSTATUS NTAPI CsrClientConnectToServer(PWSTR ObjectDirectory, ULONG ServerDllIndex,
                                                 PVOID ConnectionInformation,
                                                 PULONG ConnectionInformationLength,
                                                 PBOOLEAN CalledByServer);

/* Sends ApiMessage (a whole CSR_API_MESSAGE; ArgumentSize bytes of Data are the arguments) with
 * CaptureBuffer (or NULL) and waits for the reply, which overwrites ApiMessage. Returns the
 * server's status (ApiMessage->ReturnValue), or the LPC error if the call failed
 * (STATUS_PORT_DISCONNECTED: csrss is gone; STATUS_INVALID_PORT_HANDLE: never connected). */
NTSYSAPI NTSTATUS NTAPI CsrClientCallServer(PCSR_API_MESSAGE ApiMessage, PCSR_CAPTURE_BUFFER CaptureBuffer,
                                            ULONG ApiNumber, ULONG ArgumentSize);

/* A capture buffer for PointerCount message pointers and Size bytes of data; NULL when the port
 * memory is full or the process is not connected. */
NTSYSAPI PCSR_CAPTURE_BUFFER NTAPI CsrAllocateCaptureBuffer(ULONG PointerCount, ULONG Size);
NTSYSAPI VOID NTAPI CsrFreeCaptureBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer);

/* Takes Length bytes (rounded up to 4) of the buffer, points *MessagePointer (a field of the
 * message that will be sent with this buffer) at them and records the field. Returns the bytes
 * taken, 0 if there is no room (then *MessagePointer is NULL). */
NTSYSAPI ULONG NTAPI CsrAllocateMessagePointer(PCSR_CAPTURE_BUFFER CaptureBuffer, ULONG Length,
                                               PVOID *MessagePointer);
/* The same, then copies Length bytes from Buffer there. */
NTSYSAPI VOID NTAPI CsrCaptureMessageBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer, PVOID Buffer, ULONG Length,
                                            PVOID *CapturedBuffer);

/* csrss's process id (0 before the first connection). */
NTSYSAPI HANDLE NTAPI CsrGetProcessId(VOID);

#endif
