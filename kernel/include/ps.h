/*
 * ps.h - processes and threads (Ps): the executive's EPROCESS and ETHREAD around the kernel's
 * KPROCESS and KTHREAD, their object types, client ids, and the process and thread services.
 *
 * Design choice: processes are created the NT 5.x way, with NtCreateProcessEx (an address space,
 * a handle table, a PEB) and NtCreateThread (a TEB and an initial context supplied by the
 * caller), not with Vista's NtCreateUserProcess. The creator builds the child's stack and
 * parameters itself through the ordinary virtual memory services, so the kernel stays small and
 * every step of CreateProcess is visible from user mode, in kernel32, where a reader can step
 * through it.
 */
#ifndef PS_H
#define PS_H

#include "ntdef.h"
#include "ntobj.h"
#include "ke.h"


typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

struct _HANDLE_TABLE;

typedef struct _EPROCESS {
    KPROCESS Pcb;                         /* first: the process object is waitable */
    ULONG UniqueProcessId;
    ULONG InheritedFromUniqueProcessId;
    struct _HANDLE_TABLE *ObjectTable;
    PVOID Peb;                            /* user address of the PEB */
    NTSTATUS ExitStatus;                  /* STATUS_PENDING while it runs */
    LIST_ENTRY ActiveProcessLinks;        /* PsActiveProcessHead */
    LIST_ENTRY ThreadListHead;            /* ETHREADs */
    ULONG ActiveThreads;
    BOOLEAN Exiting;
    CHAR ImageFileName[16];
} EPROCESS, *PEPROCESS;

typedef struct _ETHREAD {
    KTHREAD Tcb;                          /* first: the thread object is waitable */
    CLIENT_ID Cid;
    PEPROCESS ThreadsProcess;
    LIST_ENTRY ThreadListEntry;           /* in the process's ThreadListHead */
    NTSTATUS ExitStatus;                  /* STATUS_PENDING while it runs */
    BOOLEAN Terminating;
    BOOLEAN SystemThread;                 /* runs only in kernel mode; cannot be killed from outside */
    BOOLEAN InProcessList;
    PKSTART_ROUTINE StartAddress;         /* system threads: the routine and its argument */
    PVOID StartParameter;
    LIST_ENTRY ReaperLink;
} ETHREAD, *PETHREAD;

#define PROCESS_TERMINATE           0x0001u
#define PROCESS_CREATE_THREAD       0x0002u
#define PROCESS_VM_OPERATION        0x0008u
#define PROCESS_VM_READ             0x0010u
#define PROCESS_VM_WRITE            0x0020u
#define PROCESS_DUP_HANDLE          0x0040u
#define PROCESS_CREATE_PROCESS      0x0080u
#define PROCESS_SET_INFORMATION     0x0200u
#define PROCESS_QUERY_INFORMATION   0x0400u
#define PROCESS_SUSPEND_RESUME      0x0800u
#define PROCESS_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0FFFu)
#define THREAD_TERMINATE            0x0001u
#define THREAD_SUSPEND_RESUME       0x0002u
#define THREAD_GET_CONTEXT          0x0008u
#define THREAD_SET_CONTEXT          0x0010u
#define THREAD_SET_INFORMATION      0x0020u
#define THREAD_QUERY_INFORMATION    0x0040u
#define THREAD_ALL_ACCESS           (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x03FFu)

/* x86 CONTEXT, laid out as Windows lays it out (716 bytes). */
#define CONTEXT_i386                0x00010000u
#define CONTEXT_CONTROL             (CONTEXT_i386 | 0x01u)   /* ebp eip cs eflags esp ss */
#define CONTEXT_INTEGER             (CONTEXT_i386 | 0x02u)   /* edi esi ebx edx ecx eax */
#define CONTEXT_SEGMENTS            (CONTEXT_i386 | 0x04u)   /* ds es fs gs */
#define CONTEXT_FULL                (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS)
typedef struct _CONTEXT {
    ULONG ContextFlags;
    ULONG Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
    UCHAR FloatSave[112];
    ULONG SegGs, SegFs, SegEs, SegDs;
    ULONG Edi, Esi, Ebx, Edx, Ecx, Eax;
    ULONG Ebp, Eip, SegCs, EFlags, Esp, SegSs;
    UCHAR ExtendedRegisters[512];
} CONTEXT, *PCONTEXT;
C_ASSERT(sizeof(CONTEXT) == 716);
C_ASSERT(FIELD_OFFSET(CONTEXT, Eip) == 0xB8);

typedef struct _INITIAL_TEB {
    PVOID OldStackBase, OldStackLimit;
    PVOID StackBase, StackLimit, StackAllocationBase;
} INITIAL_TEB, *PINITIAL_TEB;

typedef enum _PROCESSINFOCLASS { ProcessBasicInformation = 0 } PROCESSINFOCLASS;
typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    KPRIORITY BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;

typedef enum _THREADINFOCLASS { ThreadBasicInformation = 0 } THREADINFOCLASS;
typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    KPRIORITY Priority;
    KPRIORITY BasePriority;
} THREAD_BASIC_INFORMATION;

struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *PsProcessType, *PsThreadType;
extern PEPROCESS PsInitialSystemProcess;

BOOLEAN PsInitSystem(VOID);
PEPROCESS PsGetCurrentProcess(VOID);
PETHREAD PsGetCurrentThread(VOID);
NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext);
NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process);   /* referenced */
NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread);        /* referenced */
ULONG PsActiveProcessCount(VOID);

NTSTATUS NTAPI NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess,
                               BOOLEAN InheritObjectTable, HANDLE SectionHandle, HANDLE DebugPort,
                               HANDLE ExceptionPort);
NTSTATUS NTAPI NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess, ULONG Flags,
                                 HANDLE SectionHandle, HANDLE DebugPort, HANDLE ExceptionPort, ULONG JobMemberLevel);
NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
                              PCONTEXT ThreadContext, PINITIAL_TEB InitialTeb, BOOLEAN CreateSuspended);
NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId);
NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtSuspendThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSTATUS NTAPI NtGetContextThread(HANDLE ThreadHandle, PCONTEXT Context);
NTSTATUS NTAPI NtSetContextThread(HANDLE ThreadHandle, PCONTEXT Context);
NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS InformationClass,
                                         PVOID Information, ULONG Length, PULONG ReturnLength);
NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS InformationClass,
                                        PVOID Information, ULONG Length, PULONG ReturnLength);

/* Kernel-mode callers use the Zw forms (the dispatcher, PreviousMode = KernelMode). */
NTSTATUS NTAPI ZwCreateProcessEx(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, HANDLE, ULONG, HANDLE, HANDLE, HANDLE, ULONG);
NTSTATUS NTAPI ZwCreateThread(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, HANDLE, PCLIENT_ID, PCONTEXT, PINITIAL_TEB, BOOLEAN);
NTSTATUS NTAPI ZwOpenProcess(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
NTSTATUS NTAPI ZwOpenThread(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
NTSTATUS NTAPI ZwTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI ZwTerminateThread(HANDLE, NTSTATUS);
NTSTATUS NTAPI ZwSuspendThread(HANDLE, PULONG);
NTSTATUS NTAPI ZwResumeThread(HANDLE, PULONG);
NTSTATUS NTAPI ZwGetContextThread(HANDLE, PCONTEXT);
NTSTATUS NTAPI ZwSetContextThread(HANDLE, PCONTEXT);
NTSTATUS NTAPI ZwQueryInformationProcess(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG);
NTSTATUS NTAPI ZwQueryInformationThread(HANDLE, THREADINFOCLASS, PVOID, ULONG, PULONG);

#endif
