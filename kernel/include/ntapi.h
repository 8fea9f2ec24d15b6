/*
 * ntapi.h - the native API's types and constants that user mode shares with the kernel: page
 * protections and memory/section types (Mm), event/mutant/semaphore/timer rights and
 * information classes (Ex), client ids, process and thread rights, CONTEXT and INITIAL_TEB (Ps).
 * One copy: the kernel headers include it, and so does ntdll (ntdll/include/ntndk.h).
 */
#ifndef NTAPI_H
#define NTAPI_H

#include "ntdef.h"
#include "ntobj.h"

typedef signed char SCHAR;
typedef CHAR KPROCESSOR_MODE;
typedef LONG KPRIORITY;

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _TIMER_TYPE { NotificationTimer, SynchronizationTimer } TIMER_TYPE;
typedef enum _WAIT_TYPE { WaitAll, WaitAny } WAIT_TYPE;

/* ---- Mm ---- */
/* Win32 page protections (winnt.h values). x86 without PAE has no NX: execute implies read. */
#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100
#define PAGE_NOCACHE           0x200

#define MEM_COMMIT       0x00001000
#define MEM_RESERVE      0x00002000
#define MEM_DECOMMIT     0x00004000
#define MEM_RELEASE      0x00008000
#define MEM_FREE         0x00010000
#define MEM_PRIVATE      0x00020000
#define MEM_MAPPED       0x00040000
#define MEM_TOP_DOWN     0x00100000
#define MEM_IMAGE        0x01000000

#define SEC_FILE         0x00800000
#define SEC_IMAGE        0x01000000
#define SEC_RESERVE      0x04000000
#define SEC_COMMIT       0x08000000

typedef enum _SECTION_INHERIT { ViewShare = 1, ViewUnmap = 2 } SECTION_INHERIT;

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

typedef enum _SECTION_INFORMATION_CLASS {
    SectionBasicInformation = 0,
    SectionImageInformation = 1
} SECTION_INFORMATION_CLASS;

typedef struct _SECTION_BASIC_INFORMATION {
    PVOID BaseAddress;              /* based sections only: NULL here */
    ULONG AllocationAttributes;     /* SEC_* */
    LARGE_INTEGER MaximumSize;
} SECTION_BASIC_INFORMATION, *PSECTION_BASIC_INFORMATION;

typedef struct _SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;          /* ImageBase + AddressOfEntryPoint */
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;        /* SizeOfStackReserve */
    SIZE_T CommittedStackSize;      /* SizeOfStackCommit */
    ULONG SubSystemType;
    union {
        struct { USHORT SubSystemMinorVersion, SubSystemMajorVersion; };
        ULONG SubSystemVersion;
    };
    ULONG GpValue;
    USHORT ImageCharacteristics;    /* IMAGE_FILE_* */
    USHORT DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags;
    ULONG ImageFileSize;
    ULONG CheckSum;
} SECTION_IMAGE_INFORMATION, *PSECTION_IMAGE_INFORMATION;
C_ASSERT(sizeof(PVOID) != 4 || sizeof(SECTION_IMAGE_INFORMATION) == 0x30);   /* x86 layouts */
X86_C_ASSERT(sizeof(SECTION_BASIC_INFORMATION) == 16);

typedef enum _MEMORY_INFORMATION_CLASS { MemoryBasicInformation = 0 } MEMORY_INFORMATION_CLASS;

#define SECTION_QUERY           0x0001u
#define SECTION_MAP_WRITE       0x0002u
#define SECTION_MAP_READ        0x0004u
#define SECTION_MAP_EXECUTE     0x0008u
#define SECTION_EXTEND_SIZE     0x0010u
#define SECTION_ALL_ACCESS      (STANDARD_RIGHTS_REQUIRED | 0x001Fu)

/* ---- Ex ---- */
typedef enum _SHUTDOWN_ACTION { ShutdownNoReboot, ShutdownReboot, ShutdownPowerOff } SHUTDOWN_ACTION;

#define EVENT_QUERY_STATE       0x0001u
#define EVENT_MODIFY_STATE      0x0002u
#define EVENT_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0003u)
#define MUTANT_QUERY_STATE      0x0001u
#define MUTANT_ALL_ACCESS       (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)
#define SEMAPHORE_QUERY_STATE   0x0001u
#define SEMAPHORE_MODIFY_STATE  0x0002u
#define SEMAPHORE_ALL_ACCESS    (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0003u)
#define TIMER_QUERY_STATE       0x0001u
#define TIMER_MODIFY_STATE      0x0002u
#define TIMER_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0003u)

typedef enum _EVENT_INFORMATION_CLASS { EventBasicInformation } EVENT_INFORMATION_CLASS;
typedef struct _EVENT_BASIC_INFORMATION { EVENT_TYPE EventType; LONG EventState; } EVENT_BASIC_INFORMATION;
typedef enum _MUTANT_INFORMATION_CLASS { MutantBasicInformation } MUTANT_INFORMATION_CLASS;
typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount; BOOLEAN OwnedByCaller; BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION;
typedef enum _SEMAPHORE_INFORMATION_CLASS { SemaphoreBasicInformation } SEMAPHORE_INFORMATION_CLASS;
typedef struct _SEMAPHORE_BASIC_INFORMATION { LONG CurrentCount; LONG MaximumCount; } SEMAPHORE_BASIC_INFORMATION;
typedef enum _TIMER_INFORMATION_CLASS { TimerBasicInformation } TIMER_INFORMATION_CLASS;
typedef struct _TIMER_BASIC_INFORMATION { LARGE_INTEGER RemainingTime; BOOLEAN TimerState; } TIMER_BASIC_INFORMATION;
typedef VOID (NTAPI *PTIMER_APC_ROUTINE)(PVOID Context, ULONG LowValue, LONG HighValue);

/* ---- Ps ---- */
typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

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
X86_C_ASSERT(sizeof(CONTEXT) == 716);
X86_C_ASSERT(FIELD_OFFSET(CONTEXT, Eip) == 0xB8);

typedef struct _INITIAL_TEB {
    PVOID OldStackBase, OldStackLimit;
    PVOID StackBase, StackLimit, StackAllocationBase;
} INITIAL_TEB, *PINITIAL_TEB;

typedef enum _PROCESSINFOCLASS { ProcessBasicInformation = 0, ProcessTimes = 4 } PROCESSINFOCLASS;
/* ProcessTimes / ThreadTimes: 100 ns units; the times are absolute system times (0 while alive for
 * ExitTime), the durations clock ticks times the tick length. */
typedef struct _KERNEL_USER_TIMES {
    LARGE_INTEGER CreateTime, ExitTime, KernelTime, UserTime;
} KERNEL_USER_TIMES, *PKERNEL_USER_TIMES;
typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    KPRIORITY BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;

typedef enum _THREADINFOCLASS {
    ThreadBasicInformation = 0,
    ThreadTimes = 1,                /* KERNEL_USER_TIMES */
    ThreadAmILastThread = 12,       /* ULONG: 1 if the caller is its process's only thread */
} THREADINFOCLASS;
typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    KPRIORITY Priority;
    KPRIORITY BasePriority;
} THREAD_BASIC_INFORMATION;


/* ---- Exceptions (Ke raises them to user mode; ntdll dispatches them) ---- */
#define EXCEPTION_MAXIMUM_PARAMETERS 15
#define EXCEPTION_NONCONTINUABLE     0x01u   /* ExceptionFlags */
#define EXCEPTION_UNWINDING          0x02u
#define EXCEPTION_EXIT_UNWIND        0x04u
#define EXCEPTION_STACK_INVALID      0x08u
#define EXCEPTION_NESTED_CALL        0x10u
#define EXCEPTION_TARGET_UNWIND      0x20u
#define EXCEPTION_COLLIDED_UNWIND    0x40u
#define EXCEPTION_UNWIND             (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];   /* access violation: [0] 0 read,
                                                                       1 write, 8 execute; [1] address */
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;
X86_C_ASSERT(sizeof(EXCEPTION_RECORD) == 80);


/* ---- LPC (kernel/lpc) ---- */
#define PORT_MAXIMUM_MESSAGE_LENGTH  256u      /* header + data, the most a port may allow */
#define PORT_MAXIMUM_CONNECTION_INFO 256u      /* connection data, in and out */
#define PORT_CONNECT                 0x0001u
#define PORT_ALL_ACCESS              (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0001u)

/* PORT_MESSAGE.Type */
#define LPC_REQUEST             1
#define LPC_REPLY               2
#define LPC_DATAGRAM            3
#define LPC_LOST_REPLY          4
#define LPC_PORT_CLOSED         5
#define LPC_CLIENT_DIED         6
#define LPC_EXCEPTION           7
#define LPC_DEBUG_EVENT         8
#define LPC_ERROR_EVENT         9
#define LPC_CONNECTION_REQUEST  10

typedef short CSHORT, *PCSHORT;

/* Every LPC message starts with this header (24 bytes on x86); DataLength bytes follow it, and
 * TotalLength = sizeof(PORT_MESSAGE) + DataLength. The kernel fills Type, ClientId and
 * MessageId; a reply carries the MessageId and ClientId of the request it answers. */
typedef struct _PORT_MESSAGE {
    union { struct { CSHORT DataLength; CSHORT TotalLength; } s1; ULONG Length; } u1;
    union { struct { CSHORT Type; CSHORT DataInfoOffset; } s2; ULONG ZeroInit; } u2;
    CLIENT_ID ClientId;
    ULONG MessageId;
    union { SIZE_T ClientViewSize; ULONG CallbackId; };
} PORT_MESSAGE, *PPORT_MESSAGE;
X86_C_ASSERT(sizeof(PORT_MESSAGE) == 24);

/* Shared-memory views for messages too large for a port (not built yet: pass NULL). */
typedef struct _PORT_VIEW {
    ULONG Length; HANDLE SectionHandle; ULONG SectionOffset; SIZE_T ViewSize; PVOID ViewBase;
    PVOID ViewRemoteBase;
} PORT_VIEW, *PPORT_VIEW;
typedef struct _REMOTE_PORT_VIEW { ULONG Length; SIZE_T ViewSize; PVOID ViewBase; } REMOTE_PORT_VIEW, *PREMOTE_PORT_VIEW;

#endif
