/* psp.h - internals shared by the files of kernel/ps. */
#ifndef PSP_H
#define PSP_H

#include "ps.h"
#include "ob.h"
#include "ex.h"
#include "mm.h"
#include "ki.h"
#include "kd.h"
#include "svc.h"
#include "rtl.h"
#include "pebteb.h"
#include "io.h"
#include "ntstatus.h"
#include "x86.h"

#define PSP_PROCESS_TAG  POOL_TAG('P', 'r', 'o', 'c')
#define PSP_CID_TAG      POOL_TAG('P', 's', 'C', 'i')
#define PSP_STACK_PAGES  3                    /* kernel stack of every thread */

extern LIST_ENTRY PspActiveProcessHead;

/* Client ids: one table for processes and threads, ids are multiples of 4 (cid.c). */
ULONG PspCreateCid(PVOID Object);
VOID PspDeleteCid(ULONG Id);
PVOID PspLookupCid(ULONG Id, POBJECT_TYPE Type);   /* referenced, or NULL */

NTSTATUS PspCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         PEPROCESS Process, PCLIENT_ID ClientId, const CONTEXT *UserContext,
                         const INITIAL_TEB *InitialTeb, PKSTART_ROUTINE StartRoutine, PVOID StartContext,
                         BOOLEAN CreateSuspended);
__attribute__((noreturn)) VOID PspExitThread(NTSTATUS ExitStatus);
VOID PspTerminateThreadByPointer(PETHREAD Thread, NTSTATUS ExitStatus);
VOID PspDeleteProcess(PVOID Object);
VOID PspDeleteThread(PVOID Object);
VOID PspInitializeReaper(VOID);

/* The system DLL (sysdll.c) and the initial process (initial.c). */
NTSTATUS PspCreateImageSection(PCWSTR Path, PHANDLE Section);
NTSTATUS PspMapSystemDll(PEPROCESS Process);
PVOID PspSystemDllImageBase(VOID);
extern PVOID PspRtlUserThreadStart;

/* Allocates and frees zeroed memory in Process's user space, attaching if need be. */
NTSTATUS PspAllocateUserPage(PEPROCESS Process, SIZE_T Size, PVOID *Address);

static inline PEPROCESS PspProcessOf(PKPROCESS Pcb) { return CONTAINING_RECORD(Pcb, EPROCESS, Pcb); }

#endif
