/*
 * apc.c - asynchronous procedure calls: a call queued to a thread, run in that thread's context.
 *
 * A user APC runs in the thread's user mode the next time it is alertable: when it waits
 * alertably (the wait ends with STATUS_USER_APC), calls NtTestAlert, or resumes a context with
 * NtContinue(TestAlert). The kernel then copies the thread's CONTEXT and the call's four words
 * onto its user stack and resumes it at ntdll's KiUserApcDispatcher, ESP -> [NormalRoutine]
 * [NormalContext][Argument1][Argument2][CONTEXT] (NT x86's frame); the dispatcher calls
 * NormalRoutine(NormalContext, Argument1, Argument2) and returns through NtContinue(CONTEXT,
 * TRUE), which delivers the next.
 *
 * A kernel APC (NT's "special" kind: a KernelRoutine, no normal routine) runs in kernel mode in
 * the thread, in the thread's own address space: the I/O manager completes a request that went
 * pending this way, because the caller's buffer and IO_STATUS_BLOCK live in its process. NT runs
 * them whenever the thread is at PASSIVE_LEVEL; NanoNT's kernel code was written without them,
 * so it runs them only where no kernel lock can be held: on the way back to user mode, and in
 * waits entered on behalf of user mode (WaitMode == UserMode), not attached to another process;
 * a system thread, which only has them for its own asynchronous requests, in any wait. Such a
 * wait ends with STATUS_KERNEL_APC, runs them, and waits again (wait.c).
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
    Apc->ApcMode = NormalRoutine ? UserMode : KernelMode;
}

/* Can a kernel APC run now, in a wait of this mode? A system thread (no TEB) gets kernel APCs
 * only for asynchronous requests it issued itself, so its waits take them too. */
static BOOLEAN KiKernelApcDeliverable(PKTHREAD Thread, KPROCESSOR_MODE WaitMode)
{
    return (WaitMode == UserMode || Thread->Teb == NULL) && Thread->AttachedProcess == NULL;
}

static VOID KiInsertKernelApc(PKTHREAD t, PKAPC Apc, KPRIORITY Increment)
{
    InsertTailList(&t->KernelApcListHead, &Apc->ApcListEntry);
    t->KernelApcPending = TRUE;
    if (t->State == Waiting && t->WaitBlockList && t->WaitReason != Suspended &&
        KiKernelApcDeliverable(t, t->WaitMode))
        KiUnwaitThread(t, STATUS_KERNEL_APC, Increment);
}

/* Queues an APC. A user APC ends an alertable user-mode wait of the thread (STATUS_USER_APC); a
 * kernel APC ends any wait where it can run. FALSE if the thread is already on its way out (the
 * caller still owns the APC). Any IRQL up to DISPATCH_LEVEL. */
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
        if (Apc->ApcMode == KernelMode) {
            KiInsertKernelApc(t, Apc, Increment);
        } else {
            InsertTailList(&t->UserApcListHead, &Apc->ApcListEntry);
            if (t->State == Waiting && t->WaitMode == UserMode && t->Alertable && t->WaitBlockList) {
                t->UserApcPending = TRUE;
                KiUnwaitThread(t, STATUS_USER_APC, Increment);
            }
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

/* Called at DISPATCH_LEVEL by a wait before it blocks: TRUE if kernel APCs are queued and may
 * run in a wait of this mode (the wait then runs them first). */
BOOLEAN KiTestKernelApc(PKTHREAD Thread, KPROCESSOR_MODE WaitMode)
{
    return Thread->KernelApcPending && KiKernelApcDeliverable(Thread, WaitMode);
}

static PKAPC KiRemoveKernelApc(PKTHREAD Thread)
{
    KIRQL old;
    PKAPC apc = NULL;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (!IsListEmpty(&Thread->KernelApcListHead)) {
        apc = CONTAINING_RECORD(Thread->KernelApcListHead.Flink, KAPC, ApcListEntry);
        RemoveEntryList(&apc->ApcListEntry);
        apc->Inserted = FALSE;
    }
    Thread->KernelApcPending = !IsListEmpty(&Thread->KernelApcListHead);
    KeLowerIrql(old);
    return apc;
}

/* Runs the current thread's kernel APCs, oldest first, at PASSIVE_LEVEL. */
VOID KiDeliverKernelApcs(VOID)
{
    PKTHREAD t = KeGetCurrentThread();
    for (PKAPC apc; (apc = KiRemoveKernelApc(t)) != NULL;) {
        PVOID routine = NULL, context = apc->NormalContext;
        PVOID arg1 = apc->SystemArgument1, arg2 = apc->SystemArgument2;
        apc->KernelRoutine(apc, &routine, &context, &arg1, &arg2);
    }
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

/* The thread is ending: no more APCs. Kernel APCs still queued run now (the I/O manager has
 * waited for the thread's requests, so these are completions); user APCs are run down (freed),
 * never delivered. */
VOID KeRundownApcQueues(PKTHREAD Thread)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    Thread->ApcQueueLocked = TRUE;
    KeLowerIrql(old);
    KiDeliverKernelApcs();
    for (PKAPC apc; (apc = KiRemoveUserApc(Thread)) != NULL;) apc->RundownRoutine(apc);
}
