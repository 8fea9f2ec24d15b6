/*
 * lpcport.c - the Port object type (\ObjectTypes\Port), NtCreatePort, and what happens when a
 * port's last handle closes: the other end learns it (LPC_PORT_CLOSED to a server whose client
 * went away), and every thread waiting on the port is woken with STATUS_PORT_DISCONNECTED, so
 * nobody stays blocked on a port that is gone.
 */
#include "lpcp.h"

POBJECT_TYPE LpcPortObjectType;
LIST_ENTRY LpcpPendingConnections = { &LpcpPendingConnections, &LpcpPendingConnections };

KIRQL LpcpAcquireLock(VOID)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    return old;
}

VOID LpcpReleaseLock(KIRQL Old)
{
    KeLowerIrql(Old);
}

NTSTATUS LpcpReferencePort(HANDLE Handle, KPROCESSOR_MODE Mode, PLPCP_PORT *Port)
{
    return ObReferenceObjectByHandle(Handle, 0, LpcPortObjectType, Mode, (PVOID *)Port, NULL);
}

NTSTATUS LpcpCreatePortObject(KPROCESSOR_MODE Mode, POBJECT_ATTRIBUTES ObjectAttributes, ULONG Kind,
                              PLPCP_PORT *Port)
{
    PLPCP_PORT p;
    NTSTATUS status = ObCreateObject(Mode, LpcPortObjectType, ObjectAttributes, Mode, NULL, sizeof(LPCP_PORT), 0, 0,
                                     (PVOID *)&p);
    if (!NT_SUCCESS(status)) return status;
    RtlZeroMemory(p, sizeof(*p));
    p->Kind = Kind;
    KeInitializeSemaphore(&p->Semaphore, 0, 0x7FFFFFFF);
    InitializeListHead(&p->Queue);
    InitializeListHead(&p->ReplyChain);
    *Port = p;
    return STATUS_SUCCESS;
}

/* The last handle is going: from now on the port delivers nothing. */
static VOID LpcpClosePort(PVOID Process, PVOID Object, ACCESS_MASK GrantedAccess, ULONG ProcessHandleCount,
                          ULONG SystemHandleCount)
{
    if (SystemHandleCount != 1) return;
    LIST_ENTRY free;
    InitializeListHead(&free);
    KIRQL old = LpcpAcquireLock();
    LpcpDisconnect(Object, &free);
    LpcpReleaseLock(old);
    LpcpFreeMessages(&free);
}

/* The last reference: a port that never had a handle (a failed connection) disconnects here. */
static VOID LpcpDeletePort(PVOID Object)
{
    PLPCP_PORT p = Object;
    LIST_ENTRY free;
    InitializeListHead(&free);
    KIRQL old = LpcpAcquireLock();
    LpcpDisconnect(p, &free);
    while (!IsListEmpty(&p->Queue)) {
        PLIST_ENTRY e = p->Queue.Flink;
        RemoveEntryList(e);
        InsertTailList(&free, e);
    }
    LpcpReleaseLock(old);
    LpcpFreeMessages(&free);
    LpcpUnmapViews(p);
    if (p->ConnectionPort) ObDereferenceObject(p->ConnectionPort);
}

BOOLEAN LpcInitSystem(VOID)
{
    LpcpInitializeMessages();
    return ExCreateObjectType(u"Port", 0, 0, 0, PORT_ALL_ACCESS, LpcpDeletePort, TRUE, &LpcPortObjectType) &&
           ((LpcPortObjectType->TypeInfo.CloseProcedure = LpcpClosePort), TRUE);
}

NTSTATUS NTAPI NtCreatePort(PHANDLE PortHandle, POBJECT_ATTRIBUTES ObjectAttributes, ULONG MaxConnectionInfoLength,
                            ULONG MaxMessageLength, ULONG MaxPoolUsage)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PLPCP_PORT port;
    HANDLE h;
    UNREFERENCED_PARAMETER(MaxPoolUsage);
    if (MaxConnectionInfoLength > PORT_MAXIMUM_CONNECTION_INFO) return STATUS_INVALID_PARAMETER_3;
    if (MaxMessageLength > PORT_MAXIMUM_MESSAGE_LENGTH) return STATUS_INVALID_PARAMETER_4;
    if (mode == UserMode && !NT_SUCCESS(ProbeForWrite(PortHandle, sizeof(HANDLE), sizeof(ULONG))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = LpcpCreatePortObject(mode, ObjectAttributes, LPCP_CONNECTION_PORT, &port);
    if (!NT_SUCCESS(status)) return status;
    port->MaxMessageLength = MaxMessageLength ? MaxMessageLength : PORT_MAXIMUM_MESSAGE_LENGTH;
    port->MaxConnectionInfoLength = MaxConnectionInfoLength;
    status = ObInsertObject(port, NULL, PORT_ALL_ACCESS, 0, NULL, &h);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, PortHandle, h, status);
}
