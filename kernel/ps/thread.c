/*
 * thread.c - creating threads: the ETHREAD object, its kernel stack and client id, and for a user
 * thread the TEB in its process and a first trap frame holding the caller's CONTEXT, so that the
 * thread's first run "returns" into user mode at CONTEXT.Eip - or, in a process with ntdll, at
 * ntdll's LdrInitializeThunk with that CONTEXT on the thread's stack (ntdll/README.md), which
 * initializes the process or the thread and then continues into the CONTEXT. NtCreateThread is the service;
 * PsCreateSystemThread (psinit.c) makes kernel-only threads the same way.
 */
#include "psp.h"

/* Every segment and flag user mode may not choose for itself is forced (NT sanitises the same). */
#define PSP_USER_EFLAGS 0x00000CD5u          /* CF PF AF ZF SF TF DF OF: arithmetic and direction */

static VOID PspSystemThreadStartup(PVOID Context)
{
    PETHREAD t = Context;
    t->StartAddress(t->StartParameter);
    PspExitThread(STATUS_SUCCESS);
}

static VOID PspUserThreadStartup(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeEnterUserMode();
}

static VOID PspSetUserContext(PETHREAD Thread, const CONTEXT *c)
{
    KeInitializeUserContext(&Thread->Tcb, c->Eip, c->Esp, c->Eax);
    PKTRAP_FRAME tf = KeGetUserTrapFrame(&Thread->Tcb);
    tf->Ebx = c->Ebx; tf->Ecx = c->Ecx; tf->Edx = c->Edx;
    tf->Esi = c->Esi; tf->Edi = c->Edi; tf->Ebp = c->Ebp;
    tf->EFlags = (c->EFlags & PSP_USER_EFLAGS) | EFLAGS_IF | 0x2;
}

/* Enters LdrInitializeThunk(Context, NtdllBase) as if called: the CONTEXT is copied below the
 * thread's initial ESP, then a zero return address and the two arguments. */
static NTSTATUS PspStartInLoader(PETHREAD Thread, const CONTEXT *c)
{
    ULONG ctx = (c->Esp - sizeof(CONTEXT)) & ~3u;
    ULONG frame[3] = { 0, ctx, (ULONG)PspSystemDllImageBase() };
    ULONG sp = ctx - sizeof(frame);
    PEPROCESS p = Thread->ThreadsProcess;
    BOOLEAN attach = KeGetCurrentAddressSpaceProcess() != &p->Pcb;
    NTSTATUS status = STATUS_INVALID_PARAMETER;      /* a stack pointer outside user space */
    if (c->Esp <= MM_USER_PROBE_ADDRESS && sp < ctx) {
        if (attach) KeAttachProcess(&p->Pcb);
        status = KeCopyToUser((PVOID)ctx, c, sizeof(CONTEXT));
        if (NT_SUCCESS(status)) status = KeCopyToUser((PVOID)sp, frame, sizeof(frame));
        if (attach) KeDetachProcess();
    }
    if (!NT_SUCCESS(status)) return status;
    PKTRAP_FRAME tf = KeGetUserTrapFrame(&Thread->Tcb);
    tf->Eip = (ULONG)KeLdrInitializeThunk;
    tf->HardwareEsp = sp;
    return STATUS_SUCCESS;
}

/* The TEB: a zeroed page in the thread's process, filled while attached to it. */
static NTSTATUS PspCreateTeb(PETHREAD Thread, const INITIAL_TEB *InitialTeb)
{
    PEPROCESS p = Thread->ThreadsProcess;
    PTEB teb;
    NTSTATUS status = PspAllocateUserPage(p, sizeof(TEB), (PVOID *)&teb);
    if (!NT_SUCCESS(status)) return status;
    BOOLEAN attach = KeGetCurrentAddressSpaceProcess() != &p->Pcb;
    if (attach) KeAttachProcess(&p->Pcb);
    teb->NtTib.ExceptionList = (PVOID)-1;
    teb->NtTib.StackBase = InitialTeb ? InitialTeb->StackBase : NULL;
    teb->NtTib.StackLimit = InitialTeb ? InitialTeb->StackLimit : NULL;
    teb->DeallocationStack = InitialTeb ? InitialTeb->StackAllocationBase : NULL;
    teb->NtTib.Self = &teb->NtTib;
    teb->ClientId.UniqueProcess = Thread->Cid.UniqueProcess;
    teb->ClientId.UniqueThread = Thread->Cid.UniqueThread;
    teb->ProcessEnvironmentBlock = p->Peb;
    if (attach) KeDetachProcess();
    Thread->Tcb.Teb = teb;
    return STATUS_SUCCESS;
}

/* Links the thread into its process, unless the process is already on its way out. */
static NTSTATUS PspLinkThread(PETHREAD t)
{
    PEPROCESS p = t->ThreadsProcess;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    NTSTATUS status = STATUS_PROCESS_IS_TERMINATING;
    if (!p->Exiting) {
        InsertTailList(&p->ThreadListHead, &t->ThreadListEntry);
        t->InProcessList = TRUE;
        p->ActiveThreads++;
        status = STATUS_SUCCESS;
    }
    KeLowerIrql(old);
    return status;
}

static VOID PspUnlinkThread(PETHREAD t)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    RemoveEntryList(&t->ThreadListEntry);
    t->InProcessList = FALSE;
    t->ThreadsProcess->ActiveThreads--;
    KeLowerIrql(old);
}

/* Everything but the start: the object, its stack, its id, its TEB and first frame. */
static NTSTATUS PspBuildThread(PETHREAD t, PEPROCESS Process, const CONTEXT *UserContext,
                               const INITIAL_TEB *InitialTeb, PKSTART_ROUTINE StartRoutine, PVOID StartContext)
{
    RtlZeroMemory(t, sizeof(*t));
    t->ExitStatus = STATUS_PENDING;
    KeQuerySystemTime(&t->CreateTime);
    t->ThreadsProcess = Process;
    ObReferenceObject(Process);
    t->SystemThread = UserContext == NULL;
    t->StartAddress = StartRoutine;
    t->StartParameter = StartContext;
    KeInitializeEvent(&t->LpcReplyEvent, SynchronizationEvent, FALSE);
    InitializeListHead(&t->LpcReplyChain);
    InitializeListHead(&t->IrpList);
    NTSTATUS status = KeInitializeThread(&t->Tcb, PSP_STACK_PAGES,
                                         UserContext ? PspUserThreadStartup : PspSystemThreadStartup, t,
                                         &Process->Pcb);
    if (!NT_SUCCESS(status)) return status;
    t->Cid.UniqueProcess = (HANDLE)(ULONG_PTR)Process->UniqueProcessId;
    t->Cid.UniqueThread = (HANDLE)(ULONG_PTR)PspCreateCid(t);
    if (t->Cid.UniqueThread == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    if (UserContext) {
        status = PspCreateTeb(t, InitialTeb);
        if (!NT_SUCCESS(status)) return status;
        PspSetUserContext(t, UserContext);
        if (Process->Pcb.SystemDllMapped) status = PspStartInLoader(t, UserContext);
        if (!NT_SUCCESS(status)) return status;
    }
    return PspLinkThread(t);
}

NTSTATUS PspCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         PEPROCESS Process, PCLIENT_ID ClientId, const CONTEXT *UserContext,
                         const INITIAL_TEB *InitialTeb, PKSTART_ROUTINE StartRoutine, PVOID StartContext,
                         BOOLEAN CreateSuspended)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    PETHREAD t;
    HANDLE h;
    NTSTATUS status = ObCreateObject(mode, PsThreadType, ObjectAttributes, mode, NULL, sizeof(ETHREAD), 0, 0,
                                     (PVOID *)&t);
    if (!NT_SUCCESS(status)) return status;
    status = PspBuildThread(t, Process, UserContext, InitialTeb, StartRoutine, StartContext);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(t);                      /* PspDeleteThread undoes what was done */
        return status;
    }
    ObReferenceObject(t);                            /* the running thread's own reference */
    status = ObInsertObject(t, NULL, DesiredAccess, 0, NULL, &h);
    if (!NT_SUCCESS(status)) {
        PspUnlinkThread(t);
        ObDereferenceObject(t);                      /* never ran: goes at once */
        return status;
    }
    CLIENT_ID cid = t->Cid;
    if (CreateSuspended) KeSuspendThread(&t->Tcb);
    KeReadyThread(&t->Tcb);
    if (ClientId) ExCopyOut(mode, ClientId, &cid, sizeof(cid));   /* probed by the caller */
    return ExReturnHandle(mode, ThreadHandle, h, STATUS_SUCCESS);
}

NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
                              PCONTEXT ThreadContext, PINITIAL_TEB InitialTeb, BOOLEAN CreateSuspended)
{
    KPROCESSOR_MODE mode = ExGetPreviousMode();
    CONTEXT context;
    INITIAL_TEB initialTeb;
    PEPROCESS process;
    if (ThreadContext == NULL) return STATUS_INVALID_PARAMETER;
    if (mode == UserMode &&
        (!NT_SUCCESS(ProbeForWrite(ThreadHandle, sizeof(HANDLE), sizeof(ULONG))) ||
         (ClientId && !NT_SUCCESS(ProbeForWrite(ClientId, sizeof(CLIENT_ID), sizeof(ULONG))))))
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ExCopyIn(mode, &context, ThreadContext, sizeof(context));
    if (NT_SUCCESS(status) && InitialTeb) status = ExCopyIn(mode, &initialTeb, InitialTeb, sizeof(initialTeb));
    if (!NT_SUCCESS(status)) return status;
    status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_CREATE_THREAD, PsProcessType, mode,
                                       (PVOID *)&process, NULL);
    if (!NT_SUCCESS(status)) return status;
    if (process == PsInitialSystemProcess) status = STATUS_ACCESS_DENIED;   /* no user threads there */
    else status = PspCreateThread(ThreadHandle, DesiredAccess, ObjectAttributes, process, ClientId, &context,
                                  InitialTeb ? &initialTeb : NULL, NULL, NULL, CreateSuspended);
    ObDereferenceObject(process);
    return status;
}

VOID PspDeleteThread(PVOID Object)
{
    PETHREAD t = Object;
    if (t->InProcessList) PspUnlinkThread(t);
    if (t->Tcb.InitialStack) KeDeleteThread(&t->Tcb);
    if (t->Cid.UniqueThread) PspDeleteCid((ULONG)(ULONG_PTR)t->Cid.UniqueThread);
    if (t->ThreadsProcess) ObDereferenceObject(t->ThreadsProcess);
}
