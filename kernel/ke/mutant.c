/*
 * mutant.c - mutants (mutexes): owned by one thread, acquired recursively by its owner
 * (SignalState goes 1, 0, -1, ...), released only by the owner, and abandoned - handed to the next
 * waiter with STATUS_ABANDONED_WAIT_0 - when the owner ends while holding it.
 */
#include "ki.h"
#include "ntstatus.h"

VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner)
{
    Mutant->Header.Type = MutantObject;
    Mutant->Header.Size = sizeof(KMUTANT) / sizeof(ULONG);
    InitializeListHead(&Mutant->Header.WaitListHead);
    Mutant->Abandoned = FALSE;
    Mutant->ApcDisable = 0;
    if (InitialOwner) {
        PKTHREAD t = KeGetCurrentThread();
        Mutant->Header.SignalState = 0;
        Mutant->OwnerThread = t;
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        InsertTailList(&t->MutantListHead, &Mutant->MutantListEntry);
        KeLowerIrql(old);
    } else {
        Mutant->Header.SignalState = 1;
        Mutant->OwnerThread = NULL;
    }
}

/* Abandoned = TRUE is the owner's death: the mutant becomes free and marked abandoned. */
NTSTATUS KeReleaseMutant(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandoned, BOOLEAN Wait,
                         PLONG PreviousCount)
{
    UNREFERENCED_PARAMETER(Wait);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    LONG previous = Mutant->Header.SignalState;
    if (!Abandoned && Mutant->OwnerThread != KeGetCurrentThread()) {
        KeLowerIrql(old);
        return STATUS_MUTANT_NOT_OWNED;
    }
    if (Abandoned) {
        Mutant->Header.SignalState = 1;
        Mutant->Abandoned = TRUE;
    } else {
        Mutant->Header.SignalState++;
    }
    if (Mutant->Header.SignalState == 1 && Mutant->OwnerThread) {
        RemoveEntryList(&Mutant->MutantListEntry);
        Mutant->OwnerThread = NULL;
        KiWaitTest(Mutant, Increment);
    }
    KeLowerIrql(old);
    if (PreviousCount) *PreviousCount = previous;
    return STATUS_SUCCESS;
}
