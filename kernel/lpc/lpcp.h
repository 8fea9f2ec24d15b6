/*
 * lpcp.h - LPC internals: ports and messages.
 *
 * A server creates a named connection port. A client's NtConnectPort makes a client
 * communication port and sends a connection request to the connection port; the server receives
 * it, accepts it (NtAcceptConnectPort makes the server communication port, linked to the client's)
 * and completes it (NtCompleteConnectPort wakes the client). Messages a client sends go to the
 * connection port's queue, where the server's receive loop takes them with the context it gave
 * that client at accept; messages the server sends to a client go to the client port's own
 * queue. A request's sender sleeps on its thread's LpcReplyEvent, chained on the server port it
 * talks to, until a reply with its message id and client id arrives, or the port goes away.
 *
 * All port and message state changes under LpcpLock (DISPATCH_LEVEL, one processor); user
 * memory is copied only outside it.
 */
#ifndef LPCP_H
#define LPCP_H

#include "ke.h"
#include "ex.h"
#include "ob.h"
#include "ps.h"
#include "svc.h"
#include "rtl.h"
#include "kd.h"
#include "ntstatus.h"
#include "lpc.h"
#include "mm.h"

#define LPCP_TAG             POOL_TAG('L', 'p', 'c', 'M')

#define LPCP_CONNECTION_PORT 1     /* named; the server receives here */
#define LPCP_SERVER_PORT     2     /* the server's end of one connection */
#define LPCP_CLIENT_PORT     3     /* the client's end */

typedef struct _LPCP_PORT {
    ULONG Kind;
    struct _LPCP_PORT *ConnectionPort;    /* server and client ports: the server's (referenced) */
    struct _LPCP_PORT *ConnectedPort;     /* the other end of a connection; NULL once it is gone */
    KSEMAPHORE Semaphore;                 /* counts the messages in Queue */
    LIST_ENTRY Queue;                     /* LPCP_MESSAGEs waiting to be received at this port */
    LIST_ENTRY ReplyChain;                /* server port: client threads waiting for its replies */
    PVOID PortContext;                    /* server port: reported with each message received */
    ULONG MaxMessageLength;               /* header included */
    ULONG MaxConnectionInfoLength;
    BOOLEAN Closed;                       /* no handle left: nothing more is delivered */
    struct _LPCP_MESSAGE *ConnectMessage; /* server port between accept and complete: the request
                                             that goes back to the client with the answer */
    PEPROCESS OwnerProcess;               /* client and server ports: whose views these are (referenced) */
    PVOID MappedViews[2];                 /* shared-section views in the owner, unmapped with the port */
} LPCP_PORT, *PLPCP_PORT;

/* The shared sections of a connection (connection requests only): the client's, mapped in both
 * processes, and the server's, likewise. */
typedef struct _LPCP_VIEWS {
    SIZE_T ClientViewSize;
    PVOID ClientViewBase, ClientViewRemoteBase;     /* in the client, in the server */
    SIZE_T ServerViewSize;
    PVOID ServerViewBase, ServerViewRemoteBase;     /* in the server, in the client */
} LPCP_VIEWS;

typedef struct _LPCP_MESSAGE {
    LIST_ENTRY Entry;                     /* in a port's Queue, or LpcpPendingConnections */
    PETHREAD ConnectingThread;            /* connection requests: the client (referenced) */
    PLPCP_PORT ClientPort;                /* connection requests: the client's new port (referenced) */
    PVOID PortContext;                    /* what the receiver is told (its server port's context) */
    PSECTION_OBJECT ClientSection;        /* connection requests: the client's section (referenced) */
    LARGE_INTEGER ClientSectionOffset;
    LPCP_VIEWS Views;
    PORT_MESSAGE Request;                 /* followed by the data */
} LPCP_MESSAGE, *PLPCP_MESSAGE;

/* Room for the largest data: a message's (PORT_MAXIMUM_MESSAGE_LENGTH less the header) or a
 * connection request's (PORT_MAXIMUM_CONNECTION_INFO). */
#define LPCP_MAX_DATA      PORT_MAXIMUM_CONNECTION_INFO
#define LPCP_MESSAGE_BYTES (sizeof(LPCP_MESSAGE) + LPCP_MAX_DATA)

extern POBJECT_TYPE LpcPortObjectType;
extern LIST_ENTRY LpcpPendingConnections;

/* lpcport.c */
KIRQL LpcpAcquireLock(VOID);
VOID LpcpReleaseLock(KIRQL Old);
NTSTATUS LpcpReferencePort(HANDLE Handle, KPROCESSOR_MODE Mode, PLPCP_PORT *Port);
NTSTATUS LpcpCreatePortObject(KPROCESSOR_MODE Mode, POBJECT_ATTRIBUTES ObjectAttributes, ULONG Kind,
                              PLPCP_PORT *Port);

/* lpcmsg.c */
VOID LpcpInitializeMessages(VOID);
PLPCP_MESSAGE LpcpAllocateMessage(VOID);
VOID LpcpFreeMessage(PLPCP_MESSAGE Message);
ULONG LpcpNextMessageId(VOID);
NTSTATUS LpcpCaptureMessage(KPROCESSOR_MODE Mode, PPORT_MESSAGE User, ULONG MaxLength, PLPCP_MESSAGE Message);
NTSTATUS LpcpCopyMessageOut(KPROCESSOR_MODE Mode, PPORT_MESSAGE User, const LPCP_MESSAGE *Message);
PLPCP_PORT LpcpReceivePort(PLPCP_PORT Port);
VOID LpcpQueueMessage(PLPCP_PORT Port, PLPCP_MESSAGE Message);   /* under the lock */
VOID LpcpWakeWaiter(PETHREAD Thread, NTSTATUS Status, PLPCP_MESSAGE Reply);   /* under the lock */
/* Under the lock: the port has no handle left. Wakes whoever waits on it, unlinks the other end,
 * moves the messages that must be freed to FreeList (freed by the caller, outside the lock). */
VOID LpcpDisconnect(PLPCP_PORT Port, PLIST_ENTRY FreeList);
VOID LpcpFreeMessages(PLIST_ENTRY FreeList);

/* lpcview.c: shared-section views of a connection. */
NTSTATUS LpcpMapClientView(PLPCP_PORT Client, KPROCESSOR_MODE Mode, PPORT_VIEW ClientView, PLPCP_MESSAGE Request);
NTSTATUS LpcpMapServerViews(PLPCP_PORT Server, KPROCESSOR_MODE Mode, PLPCP_MESSAGE Request, PPORT_VIEW ServerView,
                            PREMOTE_PORT_VIEW ClientView);
VOID LpcpUnmapViews(PLPCP_PORT Port);

/* lpcsend.c: the current thread waits for the reply to MessageId, chained on ChainPort (the port
 * whose owner will answer; NULL for a connection request). Arm under the lock, then wait. */
VOID LpcpArmReplyWait(PETHREAD Thread, ULONG MessageId, PLPCP_PORT ChainPort);
NTSTATUS LpcpWaitForReply(KPROCESSOR_MODE Mode, PLPCP_MESSAGE *Reply);
NTSTATUS LpcpReceive(PLPCP_PORT Port, KPROCESSOR_MODE Mode, PVOID *PortContext, PPORT_MESSAGE Message,
                     PCSHORT Type);

#endif
