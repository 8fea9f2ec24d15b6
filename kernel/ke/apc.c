/*
 * apc.c - user-mode asynchronous procedure calls. A user APC is a call queued to a thread, run in
 * that thread's user mode the next time it is alertable: when it waits alertably (the wait ends
 * with STATUS_USER_APC), calls NtTestAlert, or resumes a context with NtContinue(TestAlert). The
 * kernel then copies the thread's CONTEXT and the call's four words onto its user stack and
 * resumes it at ntdll's KiUserApcDispatcher, ESP -> [NormalRoutine][NormalContext][Argument1]
 * [Argument2][CONTEXT] (NT x86's frame); the dispatcher calls NormalRoutine(NormalContext,
 * Argument1, Argument2) and returns through NtContinue(CONTEXT, TRUE), which delivers the next.
 * (Kernel-mode APCs, NT's other kind, are not built: NanoNT's I/O completes in the caller's
 * context, and termination has its own return-to-user hook.)
 */
#include "ki.h"
#include "svc.h"
#include "ps.h"
#include "rtl.h"
#include "ntstatus.h"

PVOID KeUserApcDispatcher;              /* ntdll!KiUserApcDispatcher, found by Ps at boot */

VOID KeInitializeApc(PKAPC Apc, PKTHREAD Thread, PKKERNEL_ROUTINE KernelRoutine, PKRUNDOWN_ROUTINE RundownRoutine,
                     PVOID NormalRoutine, PVOID NormalContext)
{
    RtlZeroMemory(Apc, sizeof(*Apc));
    Apc->Thread = Thread;
    Apc->KernelRoutine = KernelRoutine;
    Apc->RundownRoutine = RundownRoutine;
    Apc->NormalRoutine = NormalRoutine;
    Apc->NormalContext = NormalContext;
}

/* Queues a user APC; an alertable user-mode wait of the thread ends with STATUS_USER_APC.
 * FALSE if the thread is already on its way out (the caller still owns the APC). */
BOOLEAN KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2, KPRIORITY Increment)
{
    PKTHREAD t = Apc->Thread;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN ok = !Apc->Inserted && t->State != Terminated && !t->ApcQueueLocked;
    if (ok) {
        Apc->SystemArgument1 = SystemArgument1;
        Apc->SystemArgument2 = SystemArgument2;
        Apc->Inserted = TRUE;
        InsertTailList(&t->UserApcListHead, &Apc->ApcListEntry);
        if (t->State == Waiting && t->WaitMode == UserMode && t->Alertable && t->WaitBlockList) {
            t->UserApcPending = TRUE;
            KiUnwaitThread(t, STATUS_USER_APC, Increment);
        }
    }
    KeLowerIrql(old);
    return ok;
}

/* Called at DISPATCH_LEVEL by an alertable user-mode wait before it blocks: TRUE (and the
 * delivery armed) if an APC is already there. */
BOOLEAN KiTestUserApc(PKTHREAD Thread)
{
    if (IsListEmpty(&Thread->UserApcListHead)) return FALSE;
    Thread->UserApcPending = TRUE;
    return TRUE;
}

/* NtTestAlert's work: arm delivery on the way out if anything is queued. */
VOID KeTestAlertThread(VOID)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KiTestUserApc(KeGetCurrentThread());
    KeLowerIrql(old);
}

static PKAPC KiRemoveUserApc(PKTHREAD Thread)
{
    KIRQL old;
    PKAPC apc = NULL;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Thread->UserApcPending = FALSE;
    if (!IsListEmpty(&Thread->UserApcListHead)) {
        apc = CONTAINING_RECORD(Thread->UserApcListHead.Flink, KAPC, ApcListEntry);
        RemoveEntryList(&apc->ApcListEntry);
        apc->Inserted = FALSE;
    }
    KeLowerIrql(old);
    return apc;
}

/* On the way back to user mode with delivery armed: one APC, through ntdll's dispatcher. If the
 * user stack cannot take the frame, the APC is dropped and the thread returns as it was. */
VOID KiDeliverUserApc(PKTRAP_FRAME Tf)
{
    PKTHREAD t = KeGetCurrentThread();
    PKAPC apc = KiRemoveUserApc(t);
    if (apc == NULL) return;
    PVOID routine = apc->NormalRoutine, context = apc->NormalContext;
    PVOID arg1 = apc->SystemArgument1, arg2 = apc->SystemArgument2;
    apc->KernelRoutine(apc, &routine, &context, &arg1, &arg2);    /* frees the APC */
    if (routine == NULL || KeUserApcDispatcher == NULL || !t->Process->SystemDllMapped) return;

    CONTEXT c;
    RtlZeroMemory(&c, sizeof(c));
    c.ContextFlags = CONTEXT_FULL;
    KeContextFromTrapFrame(Tf, &c);
    ULONG ctx = (c.Esp - sizeof(CONTEXT)) & ~3u;
    ULONG frame[4] = { (ULONG)routine, (ULONG)context, (ULONG)arg1, (ULONG)arg2 };
    ULONG sp = ctx - sizeof(frame);
    if (c.Esp > MM_USER_PROBE_ADDRESS || sp >= ctx ||
        !NT_SUCCESS(KeCopyToUser((PVOID)ctx, &c, sizeof(c))) ||
        !NT_SUCCESS(KeCopyToUser((PVOID)sp, frame, sizeof(frame))))
        return;
    Tf->HardwareEsp = sp;
    Tf->Eip = (ULONG)KeUserApcDispatcher;
}

/* The thread is ending: what is still queued is run down (freed), never delivered. */
VOID KeRundownApcQueues(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Thread->ApcQueueLocked = TRUE;
    KeLowerIrql(old);
    for (PKAPC apc; (apc = KiRemoveUserApc(Thread)) != NULL;) apc->RundownRoutine(apc);
}
