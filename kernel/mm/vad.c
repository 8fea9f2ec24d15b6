/*
 * vad.c - virtual address descriptors: one MMVAD per reserved range of the user half (private
 * allocation or mapped view), kept in an address-ordered list. NT uses a balanced tree; a
 * process here has tens of VADs, where a list is as fast and plainly correct.
 */
#include "mi.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"

#define VAD_OF(e) CONTAINING_RECORD(e, MMVAD, VadLinks)
#define VAD_START(v) MI_VA((v)->StartingVpn)
#define VAD_END(v) (MI_VA((v)->EndingVpn) + PAGE_SIZE - 1)

PMMVAD MiLocateVad(PMM_ADDRESS_SPACE As, ULONG_PTR Va)
{
    ULONG_PTR vpn = MI_VPN(Va);
    for (PLIST_ENTRY e = As->VadListHead.Flink; e != &As->VadListHead; e = e->Flink) {
        PMMVAD vad = VAD_OF(e);
        if (vpn < vad->StartingVpn) break;
        if (vpn <= vad->EndingVpn) return vad;
    }
    return NULL;
}

PMMVAD MiFirstConflictingVad(PMM_ADDRESS_SPACE As, ULONG_PTR Start, ULONG_PTR End)
{
    for (PLIST_ENTRY e = As->VadListHead.Flink; e != &As->VadListHead; e = e->Flink) {
        PMMVAD vad = VAD_OF(e);
        if (VAD_START(vad) > End) break;
        if (VAD_END(vad) >= Start) return vad;
    }
    return NULL;
}

ULONG_PTR MiZeroBitsToHighest(ULONG_PTR ZeroBits)
{
    ULONG_PTR highest = ZeroBits ? (0xFFFFFFFFu >> ZeroBits) : MM_HIGHEST_VAD_ADDRESS;
    return highest < MM_HIGHEST_VAD_ADDRESS ? highest : MM_HIGHEST_VAD_ADDRESS;
}

#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

/* Lowest gap first: the first aligned start whose Size bytes end before the next VAD. */
static NTSTATUS MiFindBottomUp(PMM_ADDRESS_SPACE As, SIZE_T Size, ULONG_PTR Alignment,
                               ULONG_PTR Highest, PULONG_PTR Base)
{
    ULONG_PTR cursor = MM_LOWEST_USER_ADDRESS;
    for (PLIST_ENTRY e = As->VadListHead.Flink;; e = e->Flink) {
        ULONG_PTR start = ALIGN_UP(cursor, Alignment);
        if (start + Size - 1 > Highest || start < cursor) return STATUS_NO_MEMORY;
        if (e == &As->VadListHead || start + Size - 1 < VAD_START(VAD_OF(e))) {
            *Base = start;
            return STATUS_SUCCESS;
        }
        if (VAD_END(VAD_OF(e)) + 1 > cursor) cursor = VAD_END(VAD_OF(e)) + 1;
    }
}

/* Highest gap first (MEM_TOP_DOWN): walk the list backwards from Highest. */
static NTSTATUS MiFindTopDown(PMM_ADDRESS_SPACE As, SIZE_T Size, ULONG_PTR Alignment,
                              ULONG_PTR Highest, PULONG_PTR Base)
{
    ULONG_PTR limit = Highest;                   /* the gap under consideration ends here */
    for (PLIST_ENTRY e = As->VadListHead.Blink;; e = e->Blink) {
        ULONG_PTR floor = e == &As->VadListHead ? MM_LOWEST_USER_ADDRESS : VAD_END(VAD_OF(e)) + 1;
        if (e != &As->VadListHead && VAD_START(VAD_OF(e)) > limit) continue;   /* above the range */
        if (limit >= floor && limit - floor + 1 >= Size) {
            ULONG_PTR start = ALIGN_DOWN(limit - Size + 1, Alignment);
            if (start >= floor) {
                *Base = start;
                return STATUS_SUCCESS;
            }
        }
        if (e == &As->VadListHead || VAD_START(VAD_OF(e)) <= MM_LOWEST_USER_ADDRESS) return STATUS_NO_MEMORY;
        limit = VAD_START(VAD_OF(e)) - 1;
    }
}

NTSTATUS MiFindEmptyRange(PMM_ADDRESS_SPACE As, SIZE_T Size, ULONG_PTR Alignment,
                          ULONG_PTR Highest, BOOLEAN TopDown, PULONG_PTR Base)
{
    if (Size == 0 || Size > Highest - MM_LOWEST_USER_ADDRESS + 1) return STATUS_NO_MEMORY;
    return TopDown ? MiFindTopDown(As, Size, Alignment, Highest, Base)
                   : MiFindBottomUp(As, Size, Alignment, Highest, Base);
}

PMMVAD MiAllocateVad(ULONG_PTR Start, ULONG_PTR End, ULONG Type, ULONG AllocationProtect)
{
    PMMVAD vad = ExAllocatePoolWithTag(NonPagedPool, sizeof(MMVAD), TAG_MM_VAD);
    if (vad == NULL) return NULL;
    RtlZeroMemory(vad, sizeof(*vad));
    vad->StartingVpn = MI_VPN(Start);
    vad->EndingVpn = MI_VPN(End);
    vad->Type = Type;
    vad->AllocationProtect = AllocationProtect;
    return vad;
}

VOID MiInsertVad(PMM_ADDRESS_SPACE As, PMMVAD Vad)
{
    PLIST_ENTRY e = As->VadListHead.Flink;
    while (e != &As->VadListHead && VAD_OF(e)->StartingVpn < Vad->StartingVpn) e = e->Flink;
    InsertTailList(e, &Vad->VadLinks);           /* i.e. just before e */
}

VOID MiRemoveVad(PMMVAD Vad)
{
    RemoveEntryList(&Vad->VadLinks);
}

VOID MiFreeVad(PMMVAD Vad)
{
    ExFreePoolWithTag(Vad, TAG_MM_VAD);
}
