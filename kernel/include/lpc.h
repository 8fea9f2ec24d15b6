/* lpc.h - local procedure calls (kernel/lpc): ports and messages between processes. The
 * services and PORT_MESSAGE are in ntnative.h / ntapi.h; this is what the rest of the kernel
 * calls. */
#ifndef LPC_H
#define LPC_H

#include "ntdef.h"

struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *LpcPortObjectType;
BOOLEAN LpcInitSystem(VOID);           /* phase 0: the Port object type */
ULONG LpcOutstandingMessages(VOID);    /* messages allocated and not yet freed (leak checks) */

/* Kernel-mode callers use the Zw forms. */
#include "ntnative.h"
NTSTATUS NTAPI ZwCreatePort(PHANDLE, POBJECT_ATTRIBUTES, ULONG, ULONG, ULONG);
NTSTATUS NTAPI ZwConnectPort(PHANDLE, PUNICODE_STRING, PVOID, PPORT_VIEW, PREMOTE_PORT_VIEW, PULONG, PVOID, PULONG);
NTSTATUS NTAPI ZwAcceptConnectPort(PHANDLE, PVOID, PPORT_MESSAGE, BOOLEAN, PPORT_VIEW, PREMOTE_PORT_VIEW);
NTSTATUS NTAPI ZwCompleteConnectPort(HANDLE);
NTSTATUS NTAPI ZwRequestPort(HANDLE, PPORT_MESSAGE);
NTSTATUS NTAPI ZwRequestWaitReplyPort(HANDLE, PPORT_MESSAGE, PPORT_MESSAGE);
NTSTATUS NTAPI ZwReplyPort(HANDLE, PPORT_MESSAGE);
NTSTATUS NTAPI ZwReplyWaitReceivePort(HANDLE, PVOID *, PPORT_MESSAGE, PPORT_MESSAGE);

#endif
