/*
 * shared.c - KUSER_SHARED_DATA: one page of RAM, written by the kernel through its KSEG0 alias
 * and mapped read-only at 0x7FFE0000 in every user address space, so user mode reads the tick
 * count and the time without a system call. The 64 KiB from 0x7FFE0000 are reserved for it.
 *
 * Field offsets are those of Windows XP SP2 (x86); only the fields NanoNT fills are named.
 * KSYSTEM_TIME is written High2Time, LowPart, High1Time: a reader takes High1Time, LowPart,
 * High2Time and retries while the two high parts differ.
 */
#include "mi.h"
#include "ke.h"
#include "rtl.h"
#include "svc.h"
#include "ntstatus.h"

typedef struct _KSYSTEM_TIME {
    ULONG LowPart;
    LONG High1Time;
    LONG High2Time;
} KSYSTEM_TIME;

typedef struct _KUSER_SHARED_DATA {
    ULONG TickCountLowDeprecated;          /* 0x000 */
    ULONG TickCountMultiplier;             /* 0x004: ms = (ticks * this) >> 24 */
    KSYSTEM_TIME InterruptTime;            /* 0x008: 100 ns since boot */
    KSYSTEM_TIME SystemTime;               /* 0x014: 100 ns since 1601, UTC */
    KSYSTEM_TIME TimeZoneBias;             /* 0x020 */
    USHORT ImageNumberLow, ImageNumberHigh;/* 0x02C */
    WCHAR NtSystemRoot[260];               /* 0x030 */
    UCHAR Reserved0[0x264 - 0x238];
    ULONG NtProductType;                   /* 0x264: 1 = NtProductWinNt */
    BOOLEAN ProductTypeIsValid;            /* 0x268 */
    UCHAR Pad0[3];
    ULONG NtMajorVersion;                  /* 0x26C */
    ULONG NtMinorVersion;                  /* 0x270 */
    UCHAR Reserved1[0x2E8 - 0x274];
    ULONG NumberOfPhysicalPages;           /* 0x2E8 */
    UCHAR Reserved2[0x320 - 0x2EC];
    KSYSTEM_TIME TickCount;                /* 0x320 */
} KUSER_SHARED_DATA, *PKUSER_SHARED_DATA;
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, InterruptTime) == 0x08);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, SystemTime) == 0x14);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, NtSystemRoot) == 0x30);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, NtProductType) == 0x264);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, NtMajorVersion) == 0x26C);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, NumberOfPhysicalPages) == 0x2E8);
C_ASSERT(FIELD_OFFSET(KUSER_SHARED_DATA, TickCount) == 0x320);

PFN_NUMBER MiSharedUserDataPfn;

PVOID MmGetSharedUserDataKernelAddress(VOID)
{
    return MiSharedUserDataPfn ? MiPfnToKseg0(MiSharedUserDataPfn) : NULL;
}

static VOID MiWriteSystemTime(volatile KSYSTEM_TIME *Time, ULONGLONG Value)
{
    Time->High2Time = (LONG)(Value >> 32);
    Time->LowPart = (ULONG)Value;
    Time->High1Time = (LONG)(Value >> 32);
}

VOID MmUpdateUserSharedData(ULONG TickCount, ULONGLONG InterruptTime, ULONGLONG SystemTime)
{
    volatile PKUSER_SHARED_DATA d = MmGetSharedUserDataKernelAddress();
    if (d == NULL) return;
    d->TickCountLowDeprecated = TickCount;
    MiWriteSystemTime(&d->InterruptTime, InterruptTime);
    MiWriteSystemTime(&d->SystemTime, SystemTime);
    MiWriteSystemTime(&d->TickCount, TickCount);
}

VOID MmUpdateSharedUserData(VOID)
{
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    MmUpdateUserSharedData(KeTickCount, KeQueryInterruptTime(), (ULONGLONG)now.QuadPart);
}

/* Boot: the page and its constant fields. The commit limit is set here too: the RAM free now. */
VOID MiInitializeSharedUserData(VOID)
{
    static const char root[] = "C:\\WINDOWS";
    MiSharedUserDataPfn = MmAllocatePhysicalPage();
    if (MiSharedUserDataPfn == 0) KeBugCheckEx(INSTALL_MORE_MEMORY, 0, 0, 0, 0);
    PKUSER_SHARED_DATA d = MiPfnToKseg0(MiSharedUserDataPfn);
    d->TickCountMultiplier = (ULONG)(((ULONGLONG)KeQueryTimeIncrement() << 24) / 10000);
    for (ULONG i = 0; root[i]; i++) d->NtSystemRoot[i] = (WCHAR)root[i];
    d->NtProductType = 1;
    d->ProductTypeIsValid = TRUE;
    d->NtMajorVersion = 5;
    d->NtMinorVersion = 1;
    d->NumberOfPhysicalPages = MmNumberOfPhysicalPages;
    MmTotalCommitLimit = MmAvailablePages;
}

/* Each new address space: a reserved 64 KiB whose first page is the shared one, read-only. */
NTSTATUS MiMapSharedUserData(PMM_ADDRESS_SPACE As)
{
    PMMVAD vad = MiAllocateVad(MM_SHARED_USER_DATA_VA, MM_HIGHEST_VAD_ADDRESS, MEM_PRIVATE, PAGE_READONLY);
    if (vad == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    vad->Flags = MI_VAD_NO_CHANGE;
    PMMPTE pte = MiLocatePte(As, MM_SHARED_USER_DATA_VA, TRUE);
    if (pte == NULL) {
        MiFreeVad(vad);
        return STATUS_NO_MEMORY;
    }
    MiWritePte(As, MM_SHARED_USER_DATA_VA, pte, MiMakeValidPte(MiSharedUserDataPfn, MM_READONLY));
    MiInsertVad(As, vad);
    return STATUS_SUCCESS;
}
