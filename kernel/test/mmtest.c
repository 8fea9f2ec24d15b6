/*
 * mmtest.c - self-tests of user address spaces: creation and deletion, reserve/commit/decommit/
 * release with NT's rounding and errors, protections, MEMORY_BASIC_INFORMATION, demand zero,
 * guard pages, sections shared between two processes and write-copy views, copies between
 * processes, KUSER_SHARED_DATA, ring-3 code faulting on demand-zero and guard pages, and 200
 * create/delete cycles whose pages, pool and commit charge must return to their baseline.
 *
 * Each test makes its own KPROCESS (KeInitializeProcess + MmCreateAddressSpace) and attaches the
 * test thread to it; user memory is touched with KeCopyToUser/KeCopyFromUser, or directly, which
 * makes kernel-mode faults that MmAccessFault must resolve.
 */
#include "ki.h"
#include "mm.h"
#include "ex.h"
#include "kd.h"
#include "rtl.h"
#include "svc.h"
#include "x86.h"
#include "ntstatus.h"
#include "boottest.h"
#include "../mm/mi.h"


static PKPROCESS TstCreateProcess(void)
{
    PKPROCESS p = ExAllocatePoolWithTag(NonPagedPool, sizeof(KPROCESS), TAG_MTST);
    if (p == NULL) return NULL;
    RtlZeroMemory(p, sizeof(*p));
    KeInitializeProcess(p, 8, 0);
    if (!NT_SUCCESS(MmCreateAddressSpace(p))) {
        ExFreePoolWithTag(p, TAG_MTST);
        return NULL;
    }
    return p;
}

static void TstDeleteProcess(PKPROCESS p)
{
    if (p == NULL) return;
    MmDeleteAddressSpace(p);
    ExFreePoolWithTag(p, TAG_MTST);
}

static NTSTATUS Alloc(ULONG_PTR Base, SIZE_T Size, ULONG Type, ULONG Protect, ULONG_PTR *OutBase, SIZE_T *OutSize)
{
    PVOID b = (PVOID)Base;
    SIZE_T s = Size;
    NTSTATUS status = MmAllocateVirtualMemory(&b, 0, &s, Type, Protect);
    if (OutBase) *OutBase = (ULONG_PTR)b;
    if (OutSize) *OutSize = s;
    return status;
}

static NTSTATUS Free(ULONG_PTR Base, SIZE_T Size, ULONG Type, ULONG_PTR *OutBase, SIZE_T *OutSize)
{
    PVOID b = (PVOID)Base;
    SIZE_T s = Size;
    NTSTATUS status = MmFreeVirtualMemory(&b, &s, Type);
    if (OutBase) *OutBase = (ULONG_PTR)b;
    if (OutSize) *OutSize = s;
    return status;
}

static NTSTATUS Protect(ULONG_PTR Base, SIZE_T Size, ULONG NewProtect, ULONG *Old)
{
    PVOID b = (PVOID)Base;
    SIZE_T s = Size;
    ULONG old = 0xDEAD;
    NTSTATUS status = MmProtectVirtualMemory(&b, &s, NewProtect, &old);
    if (Old) *Old = old;
    return status;
}

static BOOLEAN Query(ULONG_PTR Va, ULONG_PTR Base, ULONG_PTR AllocBase, ULONG AllocProtect, SIZE_T Size,
                     ULONG State, ULONG Prot, ULONG Type)
{
    MEMORY_BASIC_INFORMATION m;
    if (!NT_SUCCESS(MmQueryVirtualMemory((PVOID)Va, &m))) return FALSE;
    if ((ULONG_PTR)m.BaseAddress == Base && (ULONG_PTR)m.AllocationBase == AllocBase &&
        m.AllocationProtect == AllocProtect && m.RegionSize == Size && m.State == State &&
        m.Protect == Prot && m.Type == Type)
        return TRUE;
    DbgPrint("  query %08lx: base %08lx alloc %08lx/%lx size %lx state %lx prot %lx type %lx\n",
             (unsigned long)Va, (unsigned long)m.BaseAddress, (unsigned long)m.AllocationBase,
             (unsigned long)m.AllocationProtect, (unsigned long)m.RegionSize, (unsigned long)m.State,
             (unsigned long)m.Protect, (unsigned long)m.Type);
    return FALSE;
}

static ULONG Peek(ULONG_PTR Va, NTSTATUS *Status)
{
    ULONG v = 0xFFFFFFFF;
    *Status = KeCopyFromUser(&v, (PVOID)Va, sizeof(v));
    return v;
}

static NTSTATUS Poke(ULONG_PTR Va, ULONG Value)
{
    return KeCopyToUser((PVOID)Va, &Value, sizeof(Value));
}

/* ---- Address spaces ----------------------------------------------------------------------- */

static PCSTR TestAddressSpace(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    CHECK(MmAllocateVirtualMemory(&(PVOID){0}, 0, &(SIZE_T){PAGE_SIZE}, MEM_COMMIT, PAGE_READWRITE) ==
          STATUS_INVALID_PARAMETER, "the system process has user virtual memory");
    CHECK(MmAccessFault(FALSE, (PVOID)0x00400000, KernelMode) == STATUS_ACCESS_VIOLATION, "system fault resolved");
    PKPROCESS p = TstCreateProcess();
    CHECK(p && p->AddressSpace && p->DirectoryTableBase, "address space not created");
    KeAttachProcess(p);
    PCSTR why = NULL;
    NTSTATUS st;
    if ((__readcr3() & ~0xFFFu) != p->DirectoryTableBase) why = "attach did not load the directory";
    else if ((*MiGetPteAddress(PDE_BASE) & ~0xFFFu) != p->DirectoryTableBase) why = "self-map PDE 0x300 is not the directory";
    else if (!MmIsAddressValid((PVOID)0x80100000) || !MmIsAddressValid((PVOID)MM_NONPAGED_POOL_START))
        why = "kernel half missing";
    else if (MmIsAddressValid((PVOID)0x00400000)) why = "user half not empty";
    else if (Peek(0x7FFE0004, &st) != 0x0A000000 || st != STATUS_SUCCESS) why = "TickCountMultiplier wrong";
    else {
        MmUpdateUserSharedData(1234, 5678, 0x0123456789ABCDEFull);
        if (Peek(0x7FFE0320, &st) != 1234 || Peek(0x7FFE0000, &st) != 1234) why = "TickCount not shared";
        else if (Peek(0x7FFE0014, &st) != 0x89ABCDEF || Peek(0x7FFE0018, &st) != 0x01234567 ||
                 Peek(0x7FFE001C, &st) != 0x01234567) why = "SystemTime wrong";
        else if (Peek(0x7FFE0008, &st) != 5678 || Peek(0x7FFE026C, &st) != 5) why = "InterruptTime or version wrong";
        else if (Poke(0x7FFE0000, 1) != STATUS_ACCESS_VIOLATION) why = "KUSER_SHARED_DATA writable";
        else if (!Query(0x7FFE0000, 0x7FFE0000, 0x7FFE0000, PAGE_READONLY, PAGE_SIZE, MEM_COMMIT, PAGE_READONLY, MEM_PRIVATE) ||
                 !Query(0x7FFE1000, 0x7FFE1000, 0x7FFE0000, PAGE_READONLY, 0xF000, MEM_RESERVE, 0, MEM_PRIVATE))
            why = "KUSER_SHARED_DATA query";
        else if (Free(0x7FFE0000, 0, MEM_RELEASE, NULL, NULL) != STATUS_UNABLE_TO_FREE_VM ||
                 Protect(0x7FFE0000, 1, PAGE_READWRITE, NULL) != STATUS_INVALID_PAGE_PROTECTION)
            why = "KUSER_SHARED_DATA changeable";
        else if (!Query(0, 0, 0, 0, MM_SHARED_USER_DATA_VA, MEM_FREE, PAGE_NOACCESS, 0) ||
                 !Query(0x12345, 0x12000, 0, 0, MM_SHARED_USER_DATA_VA - 0x12000, MEM_FREE, PAGE_NOACCESS, 0))
            why = "free query";
        else if (MmQueryVirtualMemory((PVOID)0x7FFF0000, &(MEMORY_BASIC_INFORMATION){0}) != STATUS_INVALID_PARAMETER_2)
            why = "query above user space";
        MmUpdateSharedUserData();
    }
    KeDetachProcess();
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "pages, pool or commit not back to baseline");
    return NULL;
}

/* ---- Reserve and commit ------------------------------------------------------------------- */

static PCSTR TstReserveCommit(void)
{
    ULONG_PTR b, b2;
    SIZE_T s;
    CHECK(Alloc(0x00401234, 0x1000, MEM_RESERVE, PAGE_READWRITE, &b, &s) == STATUS_SUCCESS &&
          b == 0x00400000 && s == 0x3000, "reserve not rounded to 64 KiB / page");
    CHECK(Alloc(0x00400000, 0x1000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_CONFLICTING_ADDRESSES, "double reserve");
    CHECK(Alloc(0x003F0000, 0x20000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_CONFLICTING_ADDRESSES, "overlap");
    CHECK(Query(0x00400000, 0x00400000, 0x00400000, PAGE_READWRITE, 0x3000, MEM_RESERVE, 0, MEM_PRIVATE), "reserved query");
    CHECK(Alloc(0x00401010, 0x10, MEM_COMMIT, PAGE_READONLY, &b, &s) == STATUS_SUCCESS && b == 0x00401000 && s == 0x1000,
          "commit not page-rounded");
    CHECK(Query(0x00400000, 0x00400000, 0x00400000, PAGE_READWRITE, 0x1000, MEM_RESERVE, 0, MEM_PRIVATE) &&
          Query(0x00401FFF, 0x00401000, 0x00400000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_READONLY, MEM_PRIVATE) &&
          Query(0x00402000, 0x00402000, 0x00400000, PAGE_READWRITE, 0x1000, MEM_RESERVE, 0, MEM_PRIVATE),
          "query of reserve/commit/reserve runs");
    CHECK(Alloc(0x00500000, 0x1000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_CONFLICTING_ADDRESSES, "commit unreserved");
    CHECK(Alloc(0x00402000, 0x2000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_CONFLICTING_ADDRESSES, "commit past reserve");
    /* Committing again changes the protection, as NT does. */
    CHECK(Alloc(0x00401000, 0x1000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS &&
          Query(0x00401000, 0x00401000, 0x00400000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE),
          "recommit");
    CHECK(Alloc(0, 0x1800, MEM_COMMIT, PAGE_READWRITE, &b, &s) == STATUS_SUCCESS && s == 0x2000 &&
          (b & 0xFFFF) == 0 && b >= MM_LOWEST_USER_ADDRESS, "commit with base 0 did not reserve too");
    CHECK(Alloc(0, 0x1000, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE, &b2, &s) == STATUS_SUCCESS &&
          b2 == 0x7FFD0000, "top-down not just under KUSER_SHARED_DATA");
    PVOID zb = NULL;
    s = 0x1000;
    CHECK(MmAllocateVirtualMemory(&zb, 12, &s, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE) == STATUS_SUCCESS &&
          (ULONG_PTR)zb + s - 1 <= 0x000FFFFF, "ZeroBits ignored");
    CHECK(MmAllocateVirtualMemory(&zb, 22, &s, MEM_RESERVE, PAGE_READWRITE) == STATUS_INVALID_PARAMETER_3, "ZeroBits 22");
    /* Errors, parameter by parameter. */
    CHECK(Alloc(0, 0x1000, 0, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_5, "type 0");
    CHECK(Alloc(0, 0x1000, MEM_DECOMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_5, "type decommit");
    CHECK(Alloc(0, 0x1000, MEM_TOP_DOWN, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_5, "type top-down only");
    CHECK(Alloc(0, 0x1000, MEM_COMMIT, 0, NULL, NULL) == STATUS_INVALID_PAGE_PROTECTION, "protect 0");
    CHECK(Alloc(0, 0x1000, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PAGE_PROTECTION, "two protections");
    CHECK(Alloc(0, 0x1000, MEM_COMMIT, PAGE_NOACCESS | PAGE_GUARD, NULL, NULL) == STATUS_INVALID_PAGE_PROTECTION, "noaccess|guard");
    CHECK(Alloc(0, 0x1000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE, NULL, NULL) == STATUS_INVALID_PAGE_PROTECTION, "guard|nocache");
    CHECK(Alloc(0, 0x1000, MEM_COMMIT, PAGE_WRITECOPY, NULL, NULL) == STATUS_INVALID_PAGE_PROTECTION, "private write-copy");
    CHECK(Alloc(0, 0, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_4, "size 0");
    CHECK(Alloc(0x80000000, 0x1000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_2, "kernel base");
    CHECK(Alloc(0x1000, 0x1000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_2, "base in NULL guard");
    CHECK(Alloc(0x7FFD0000, 0x30000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_INVALID_PARAMETER_4, "size past user space");
    CHECK(Alloc(0, 0x7FF00000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_NO_MEMORY, "no room reported wrongly");
    /* A reservation costs no commit; committing past the limit fails and charges nothing. */
    ULONG committed = MmTotalCommittedPages;
    CHECK(Alloc(0x10000000, 0x40000000, MEM_RESERVE, PAGE_READWRITE, &b, &s) == STATUS_SUCCESS, "1 GiB reserve");
    CHECK(MmTotalCommittedPages == committed, "reserve charged commit");
    CHECK(Alloc(0x10000000, 0x40000000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_COMMITMENT_LIMIT, "commit limit");
    CHECK(MmTotalCommittedPages == committed, "failed commit kept its charge");
    CHECK(Alloc(0x10000000, 0x10000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS &&
          MmTotalCommittedPages == committed + 16, "commit charge not 16 pages");
    CHECK(Free(0x10000000, 0, MEM_RELEASE, NULL, NULL) == STATUS_SUCCESS && MmTotalCommittedPages == committed,
          "release did not return the charge");
    return NULL;
}

static PCSTR TestReserveCommit(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS p = TstCreateProcess();
    CHECK(p, "no process");
    KeAttachProcess(p);
    PCSTR why = TstReserveCommit();
    KeDetachProcess();
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

/* ---- Decommit and release ----------------------------------------------------------------- */

static PCSTR TstFree(void)
{
    ULONG_PTR b;
    SIZE_T s;
    ULONG committed = MmTotalCommittedPages;
    CHECK(Alloc(0x00600000, 0x40000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS, "alloc");
    CHECK(Poke(0x00601000, 7) == STATUS_SUCCESS && Poke(0x00602000, 8) == STATUS_SUCCESS, "touch");
    CHECK(Free(0x00601000, 0, MEM_RELEASE, NULL, NULL) == STATUS_FREE_VM_NOT_AT_BASE, "release not at base");
    CHECK(Free(0x00600000, 0, 0, NULL, NULL) == STATUS_INVALID_PARAMETER_4, "free type 0");
    CHECK(Free(0x00600000, 0, MEM_DECOMMIT | MEM_RELEASE, NULL, NULL) == STATUS_INVALID_PARAMETER_4, "both types");
    CHECK(Free(0x00900000, 0, MEM_RELEASE, NULL, NULL) == STATUS_MEMORY_NOT_ALLOCATED, "free of nothing");
    CHECK(Free(0x80000000, 0, MEM_RELEASE, NULL, NULL) == STATUS_INVALID_PARAMETER_2, "kernel free");
    CHECK(Free(0x7FFE0000, 0x20000, MEM_RELEASE, NULL, NULL) == STATUS_INVALID_PARAMETER_3, "size past user space");
    CHECK(Free(0x0063F000, 0x2000, MEM_DECOMMIT, NULL, NULL) == STATUS_UNABLE_TO_FREE_VM, "decommit past end");
    CHECK(Free(0x00601800, 0x1000, MEM_DECOMMIT, &b, &s) == STATUS_SUCCESS && b == 0x00601000 && s == 0x2000,
          "decommit not rounded");
    CHECK(MmTotalCommittedPages == committed + 0x40 - 2, "decommit did not return 2 pages of charge");
    CHECK(Query(0x00601000, 0x00601000, 0x00600000, PAGE_READWRITE, 0x2000, MEM_RESERVE, 0, MEM_PRIVATE), "decommitted query");
    NTSTATUS st;
    CHECK(Peek(0x00601000, &st) && st == STATUS_ACCESS_VIOLATION, "decommitted page readable");
    CHECK(Alloc(0x00601000, 0x1000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS &&
          Peek(0x00601000, &st) == 0 && st == STATUS_SUCCESS, "recommitted page not zero");
    /* Release the middle: the reservation splits in two. */
    CHECK(Free(0x00610000, 0x10000, MEM_RELEASE, NULL, NULL) == STATUS_SUCCESS, "release middle");
    CHECK(Query(0x00610000, 0x00610000, 0, 0, 0x10000, MEM_FREE, PAGE_NOACCESS, 0), "hole not free");
    CHECK(Query(0x00620000, 0x00620000, 0x00620000, PAGE_READWRITE, 0x20000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE),
          "upper part not its own allocation");
    CHECK(Free(0x00620000, 0, MEM_RELEASE, &b, &s) == STATUS_SUCCESS && b == 0x00620000 && s == 0x20000, "release upper");
    CHECK(Free(0x00600000, 0, MEM_RELEASE, &b, &s) == STATUS_SUCCESS && b == 0x00600000 && s == 0x10000, "release lower");
    CHECK(Query(0x00600000, 0x00600000, 0, 0, MM_SHARED_USER_DATA_VA - 0x00600000, MEM_FREE, PAGE_NOACCESS, 0), "not free");
    CHECK(MmTotalCommittedPages == committed, "charge not returned");
    return NULL;
}

static PCSTR TestFree(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS p = TstCreateProcess();
    CHECK(p, "no process");
    KeAttachProcess(p);
    PCSTR why = TstFree();
    KeDetachProcess();
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

/* ---- Protection --------------------------------------------------------------------------- */

static PCSTR TstProtect(void)
{
    ULONG old;
    NTSTATUS st;
    CHECK(Alloc(0x00700000, 0x4000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS, "alloc");
    CHECK(Alloc(0x00710000, 0x4000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) == STATUS_SUCCESS, "reserve");
    CHECK(Poke(0x00700000, 0xAB) == STATUS_SUCCESS, "write");
    CHECK(Protect(0x00700010, 0x10, PAGE_READONLY, &old) == STATUS_SUCCESS && old == PAGE_READWRITE, "to read-only");
    CHECK(Poke(0x00700000, 1) == STATUS_ACCESS_VIOLATION, "read-only page written");
    CHECK(Peek(0x00700000, &st) == 0xAB && st == STATUS_SUCCESS, "read-only page lost its data");
    CHECK(MmAccessFault(TRUE, (PVOID)0x00700000, UserMode) == STATUS_ACCESS_VIOLATION, "write fault resolved");
    CHECK(Query(0x00700000, 0x00700000, 0x00700000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_READONLY, MEM_PRIVATE) &&
          Query(0x00701000, 0x00701000, 0x00700000, PAGE_READWRITE, 0x3000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE),
          "runs after protect");
    CHECK(Protect(0x00701000, 0x1000, PAGE_NOACCESS, &old) == STATUS_SUCCESS && old == PAGE_READWRITE, "to no-access");
    CHECK(Peek(0x00701000, &st) && st == STATUS_ACCESS_VIOLATION, "no-access page readable");
    CHECK(Query(0x00701000, 0x00701000, 0x00700000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_NOACCESS, MEM_PRIVATE), "no-access query");
    CHECK(Protect(0x00700000, 0x2000, PAGE_EXECUTE_READ, &old) == STATUS_SUCCESS && old == PAGE_READONLY, "old of a range");
    CHECK(Peek(0x00700000, &st) == 0xAB && Poke(0x00700000, 1) == STATUS_ACCESS_VIOLATION, "execute-read");
    CHECK(Query(0x00700000, 0x00700000, 0x00700000, PAGE_READWRITE, 0x2000, MEM_COMMIT, PAGE_EXECUTE_READ, MEM_PRIVATE),
          "execute-read query");
    CHECK(Protect(0x00700000, 0x1000, PAGE_EXECUTE_READWRITE, NULL) == STATUS_SUCCESS && Poke(0x00700000, 2) == STATUS_SUCCESS,
          "execute-read-write");
    CHECK(Protect(0x00702000, 0x1000, PAGE_READWRITE | PAGE_NOCACHE, &old) == STATUS_SUCCESS && old == PAGE_READWRITE, "nocache");
    CHECK(Poke(0x00702000, 3) == STATUS_SUCCESS && (*MiGetPteAddress(0x00702000) & MI_PTE_CACHE_DISABLE), "nocache not in PTE");
    CHECK(Query(0x00702000, 0x00702000, 0x00700000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE, MEM_PRIVATE),
          "nocache query");
    CHECK(Protect(0x00703000, 0x1000, PAGE_EXECUTE, &old) == STATUS_SUCCESS &&
          Query(0x00703000, 0x00703000, 0x00700000, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_EXECUTE, MEM_PRIVATE), "execute");
    /* Errors. */
    CHECK(Protect(0x00710000, 0x1000, PAGE_READONLY, NULL) == STATUS_NOT_COMMITTED, "reserved page reprotected");
    CHECK(Protect(0x00703000, 0x2000, PAGE_READONLY, NULL) == STATUS_CONFLICTING_ADDRESSES, "range past the VAD");
    CHECK(Protect(0x00800000, 0x1000, PAGE_READONLY, NULL) == STATUS_CONFLICTING_ADDRESSES, "unreserved");
    CHECK(Protect(0x00700000, 0x1000, PAGE_WRITECOPY, NULL) == STATUS_INVALID_PAGE_PROTECTION, "private write-copy");
    CHECK(Protect(0x00700000, 0x1000, 0x3, NULL) == STATUS_INVALID_PAGE_PROTECTION, "two protections");
    CHECK(Protect(0x00700000, 0, PAGE_READONLY, NULL) == STATUS_INVALID_PARAMETER_3, "size 0");
    CHECK(Protect(0x80000000, 0x1000, PAGE_READONLY, NULL) == STATUS_INVALID_PARAMETER_2, "kernel address");
    return NULL;
}

static PCSTR TestProtect(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS p = TstCreateProcess();
    CHECK(p, "no process");
    KeAttachProcess(p);
    PCSTR why = TstProtect();
    KeDetachProcess();
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

/* ---- Demand zero and guard pages ---------------------------------------------------------- */

static PCSTR TstDemandZeroAndGuard(void)
{
    ULONG_PTR b;
    NTSTATUS st;
    CHECK(Alloc(0, 16 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &b, NULL) == STATUS_SUCCESS, "alloc");
    ULONG before = MmAvailablePages;
    CHECK(!MmIsAddressValid((PVOID)b), "committed page resident before its first touch");
    /* Direct kernel-mode touches: each faults, and MmAccessFault supplies a zeroed page. */
    for (ULONG i = 0; i < 16; i++) {
        volatile ULONG *p = (volatile ULONG *)(b + i * PAGE_SIZE + 8);
        if (*p != 0) return "demand-zero page not zero";
        *p = 0xC0DE0000 + i;
    }
    CHECK(before - MmAvailablePages >= 16 && before - MmAvailablePages <= 17, "not one frame per touched page");
    for (ULONG i = 0; i < 16; i++)
        if (Peek(b + i * PAGE_SIZE + 8, &st) != 0xC0DE0000 + i) return "page data lost";
    /* The self-map and the KSEG0 walk agree on the PTE. */
    CHECK(*MiGetPteAddress(b) == MiReadPte(MiGetCurrentAddressSpace(), b) && (*MiGetPteAddress(b) & PTE_VALID),
          "self-map disagrees with the page table");

    CHECK(Alloc(0, 2 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD, &b, NULL) == STATUS_SUCCESS, "guard alloc");
    CHECK(Query(b, b, b, PAGE_READWRITE | PAGE_GUARD, 0x2000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD, MEM_PRIVATE), "guard query");
    CHECK(Peek(b, &st) && st == STATUS_ACCESS_VIOLATION, "first touch of a guard page succeeded");
    CHECK(Query(b, b, b, PAGE_READWRITE | PAGE_GUARD, 0x1000, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE), "guard not cleared");
    CHECK(Peek(b, &st) == 0 && st == STATUS_SUCCESS, "second touch of a guard page failed");
    CHECK(MmAccessFault(FALSE, (PVOID)(b + PAGE_SIZE), KernelMode) == STATUS_GUARD_PAGE_VIOLATION, "guard status");
    CHECK(MmAccessFault(FALSE, (PVOID)(b + PAGE_SIZE), KernelMode) == STATUS_SUCCESS, "guard after clearing");
    /* A resident page made a guard page keeps its data behind the alarm. */
    CHECK(Poke(b, 0x5151) == STATUS_SUCCESS && Protect(b, 1, PAGE_READWRITE | PAGE_GUARD, NULL) == STATUS_SUCCESS, "re-guard");
    CHECK(Peek(b, &st) && st == STATUS_ACCESS_VIOLATION && Peek(b, &st) == 0x5151, "resident guard page");
    /* Faults that must stay faults. */
    CHECK(MmAccessFault(FALSE, (PVOID)0x8000, UserMode) == STATUS_ACCESS_VIOLATION, "NULL page");
    CHECK(MmAccessFault(FALSE, (PVOID)0x30000000, UserMode) == STATUS_ACCESS_VIOLATION, "free page");
    CHECK(MmAccessFault(FALSE, (PVOID)0xD0000000, KernelMode) == STATUS_ACCESS_VIOLATION, "kernel address");
    return NULL;
}

static PCSTR TestDemandZeroAndGuard(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS p = TstCreateProcess();
    CHECK(p, "no process");
    KeAttachProcess(p);
    PCSTR why = TstDemandZeroAndGuard();
    KeDetachProcess();
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

/* ---- Sections ----------------------------------------------------------------------------- */

static NTSTATUS Map(PSECTION_OBJECT s, PKPROCESS p, ULONG_PTR *Base, LONGLONG Offset, SIZE_T *Size, ULONG Protect)
{
    PVOID b = (PVOID)*Base;
    LARGE_INTEGER off = { .QuadPart = Offset };
    NTSTATUS st = MmMapViewOfSection(s, p, &b, 0, 0, &off, Size, ViewShare, 0, Protect);
    *Base = (ULONG_PTR)b;
    return st;
}

static PCSTR TstSectionErrors(PSECTION_OBJECT s, PKPROCESS a)
{
    PSECTION_OBJECT bad;
    LARGE_INTEGER size = { .QuadPart = 0x3000 }, zero = { .QuadPart = 0 }, huge = { .QuadPart = 0x100000000ll };
    CHECK(MmCreateSection(&bad, zero, PAGE_READWRITE, SEC_COMMIT) == STATUS_INVALID_PARAMETER_4, "size 0");
    CHECK(MmCreateSection(&bad, huge, PAGE_READWRITE, SEC_COMMIT) == STATUS_SECTION_TOO_BIG, "4 GiB");
    CHECK(MmCreateSection(&bad, size, PAGE_READWRITE, SEC_COMMIT | SEC_RESERVE) == STATUS_INVALID_PARAMETER_6, "both");
    CHECK(MmCreateSection(&bad, size, PAGE_READWRITE, 0) == STATUS_INVALID_PARAMETER_6, "neither");
    CHECK(MmCreateSection(&bad, size, PAGE_NOACCESS, SEC_COMMIT) == STATUS_INVALID_PAGE_PROTECTION, "no-access");
    CHECK(MmCreateSection(&bad, size, PAGE_READWRITE | PAGE_GUARD, SEC_COMMIT) == STATUS_INVALID_PAGE_PROTECTION, "guard");
    ULONG_PTR b = 0;
    SIZE_T vs = 0x4000;
    CHECK(Map(s, a, &b, 0, &vs, PAGE_READWRITE) == STATUS_INVALID_VIEW_SIZE, "view larger than the section");
    vs = 0;
    CHECK(Map(s, a, &b, 0x3000, &vs, PAGE_READWRITE) == STATUS_INVALID_VIEW_SIZE, "offset at the end");
    b = 0x00401000;
    CHECK(Map(s, a, &b, 0, &vs, PAGE_READWRITE) == STATUS_MAPPED_ALIGNMENT, "unaligned base");
    b = 0x7FFE0000;
    CHECK(Map(s, a, &b, 0, &vs, PAGE_READWRITE) == STATUS_CONFLICTING_ADDRESSES, "base on KUSER_SHARED_DATA");
    b = 0;
    CHECK(Map(s, a, &b, 0, &vs, PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE) == STATUS_INVALID_PAGE_PROTECTION, "bad protect");
    PVOID pb = NULL;
    CHECK(MmMapViewOfSection(s, a, &pb, 0, 0, NULL, &vs, 0, 0, PAGE_READWRITE) == STATUS_INVALID_PARAMETER_8, "inherit 0");
    CHECK(MmMapViewOfSection(s, a, &pb, 0, 0, NULL, &vs, ViewShare, MEM_COMMIT, PAGE_READWRITE) == STATUS_INVALID_PARAMETER_9,
          "MEM_COMMIT");
    CHECK(MmMapViewOfSection(s, a, &pb, 22, 0, NULL, &vs, ViewShare, 0, PAGE_READWRITE) == STATUS_INVALID_PARAMETER_4, "zero bits");
    CHECK(MmMapViewOfSection(s, &KiSystemProcess, &pb, 0, 0, NULL, &vs, ViewShare, 0, PAGE_READWRITE) ==
          STATUS_INVALID_PARAMETER_2, "mapped into the system process");
    PSECTION_OBJECT ro;
    CHECK(MmCreateSection(&ro, size, PAGE_READONLY, SEC_COMMIT) == STATUS_SUCCESS, "read-only section");
    vs = 0;
    NTSTATUS st1 = Map(ro, a, &b, 0, &vs, PAGE_READWRITE);
    b = 0;
    NTSTATUS st2 = Map(ro, a, &b, 0, &vs, PAGE_WRITECOPY);
    if (NT_SUCCESS(st2)) st2 = MmUnmapViewOfSection(a, (PVOID)(b + 0x1234));
    MmDereferenceSection(ro);
    CHECK(st1 == STATUS_SECTION_PROTECTION, "read-write view of a read-only section");
    CHECK(st2 == STATUS_SUCCESS, "write-copy view of a read-only section refused (or unmap by inner address)");
    CHECK(MmUnmapViewOfSection(a, (PVOID)0x00400000) == STATUS_NOT_MAPPED_VIEW, "unmap of nothing");
    return NULL;
}

static PCSTR TstSharing(PSECTION_OBJECT s, PKPROCESS a, PKPROCESS b)
{
    ULONG_PTR va = 0, vb = 0, vc = 0;
    SIZE_T sa = 0, sb = 0, sc = 0x1000;
    NTSTATUS st;
    CHECK(Map(s, a, &va, 0, &sa, PAGE_READWRITE) == STATUS_SUCCESS && sa == 0x3000, "map in A");
    CHECK(Map(s, b, &vb, 0, &sb, PAGE_READWRITE) == STATUS_SUCCESS, "map in B");
    CHECK(Map(s, b, &vc, 0x1000, &sc, PAGE_WRITECOPY) == STATUS_SUCCESS && sc == 0x2000, "write-copy map in B");
    KeAttachProcess(a);
    PCSTR why = NULL;
    ULONG paA = 0;
    if (!Query(va, va, va, PAGE_READWRITE, 0x3000, MEM_COMMIT, PAGE_READWRITE, MEM_MAPPED)) why = "view query in A";
    else if (Poke(va + 0x1000, 0x11111111) != STATUS_SUCCESS || Poke(va, 0x22222222) != STATUS_SUCCESS) why = "write in A";
    else if (Free(va, 0, MEM_RELEASE, NULL, NULL) != STATUS_UNABLE_TO_DELETE_SECTION) why = "view freed as private memory";
    else paA = MmGetPhysicalAddress((PVOID)(va + 0x1000));
    KeDetachProcess();
    CHECK(why == NULL, why);
    KeAttachProcess(b);
    if (Peek(vb + 0x1000, &st) != 0x11111111 || Peek(vc, &st) != 0x22222222 || Peek(vc + 0x1000, &st) != 0x11111111)
        why = "B does not see A's writes";
    else if (MmGetPhysicalAddress((PVOID)(vb + 0x1000)) != paA) why = "views do not share the physical page";
    else if (!Query(vc, vc, vc, PAGE_WRITECOPY, 0x2000, MEM_COMMIT, PAGE_WRITECOPY, MEM_MAPPED)) why = "write-copy query";
    else if (Poke(vc + 0x1000, 0x33333333) != STATUS_SUCCESS) why = "write through write-copy view";
    else if (Peek(vb + 0x1000, &st) != 0x11111111) why = "write-copy write reached the section";
    else if (MmGetPhysicalAddress((PVOID)(vc + 0x1000)) == paA) why = "no private copy made";
    else if (!Query(vc, vc, vc, PAGE_WRITECOPY, 0x1000, MEM_COMMIT, PAGE_WRITECOPY, MEM_MAPPED) ||
             !Query(vc + 0x1000, vc + 0x1000, vc, PAGE_WRITECOPY, 0x1000, MEM_COMMIT, PAGE_READWRITE, MEM_MAPPED))
        why = "copied page not reported read-write";
    else if (Poke(vb + 0x2000, 0x44444444) != STATUS_SUCCESS) why = "write in B";
    KeDetachProcess();
    CHECK(why == NULL, why);
    KeAttachProcess(a);
    if (Peek(va + 0x2000, &st) != 0x44444444 || Peek(va + 0x1000, &st) != 0x11111111) why = "A does not see B's writes";
    else if (Poke(va + 0x1000, 0x55555555) != STATUS_SUCCESS || Poke(va, 0x66666666) != STATUS_SUCCESS) why = "write 2 in A";
    KeDetachProcess();
    CHECK(why == NULL, why);
    KeAttachProcess(b);
    if (Peek(vc + 0x1000, &st) != 0x33333333) why = "private copy changed by the section";
    else if (Peek(vb + 0x1000, &st) != 0x55555555) why = "shared view missed A's write";
    else if (Protect(vc, 0x1000, PAGE_READONLY, NULL) != STATUS_SUCCESS || Poke(vc, 1) != STATUS_ACCESS_VIOLATION)
        why = "read-only view page written";
    else if (Protect(vb, 0x1000, PAGE_EXECUTE_READWRITE, NULL) != STATUS_SECTION_PROTECTION) why = "execute on a RW section";
    KeDetachProcess();
    CHECK(why == NULL, why);
    /* Views keep the segment alive after the section object goes. */
    CHECK(MmUnmapViewOfSection(a, (PVOID)va) == STATUS_SUCCESS, "unmap A");
    CHECK(MmUnmapViewOfSection(a, (PVOID)va) == STATUS_NOT_MAPPED_VIEW, "unmap A twice");
    return NULL;
}

static PCSTR TstReserveSection(PKPROCESS a, PKPROCESS b)
{
    PSECTION_OBJECT s;
    LARGE_INTEGER size = { .QuadPart = 0x20000 };
    CHECK(MmCreateSection(&s, size, PAGE_READWRITE, SEC_RESERVE) == STATUS_SUCCESS, "SEC_RESERVE section");
    ULONG_PTR va = 0, vb = 0;
    SIZE_T sa = 0, sb = 0;
    NTSTATUS st;
    PCSTR why = NULL;
    PVOID pva = NULL;
    sa = 0;
    st = MmMapViewOfSection(s, a, &pva, 0, 0x1800, NULL, &sa, ViewUnmap, MEM_TOP_DOWN, PAGE_READWRITE);
    va = (ULONG_PTR)pva;
    if (st != STATUS_SUCCESS || va != 0x7FFC0000) why = "top-down view";
    else if (Map(s, b, &vb, 0, &sb, PAGE_READWRITE) != STATUS_SUCCESS) why = "map in B";
    MmDereferenceSection(s);            /* the views hold the segment now */
    CHECK(why == NULL, why);
    KeAttachProcess(a);
    if (!Query(va, va, va, PAGE_READWRITE, 0x2000, MEM_COMMIT, PAGE_READWRITE, MEM_MAPPED) ||
        !Query(va + 0x2000, va + 0x2000, va, PAGE_READWRITE, 0x1E000, MEM_RESERVE, 0, MEM_MAPPED))
        why = "CommitSize not committed";
    else if ((Peek(va + 0x2000, &st), st != STATUS_ACCESS_VIOLATION)) why = "reserved view page readable";
    else if (Alloc(va + 0x4000, 0x1000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS) why = "commit in view";
    else if (Poke(va + 0x4000, 0x77) != STATUS_SUCCESS) why = "write committed view page";
    KeDetachProcess();
    CHECK(why == NULL, why);
    KeAttachProcess(b);
    if (!Query(vb + 0x4000, vb + 0x4000, vb, PAGE_READWRITE, 0x1000, MEM_COMMIT, PAGE_READWRITE, MEM_MAPPED) ||
        Peek(vb + 0x4000, &st) != 0x77)
        why = "commit not shared by the other view";
    KeDetachProcess();
    CHECK(why == NULL, why);
    CHECK(MmUnmapViewOfSection(a, (PVOID)va) == STATUS_SUCCESS && MmUnmapViewOfSection(b, (PVOID)vb) == STATUS_SUCCESS,
          "unmap");
    return NULL;
}

static PCSTR TestSections(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PSECTION_OBJECT s;
    LARGE_INTEGER size = { .QuadPart = 0x2800 };
    CHECK(MmCreateSection(&s, size, PAGE_READWRITE, SEC_COMMIT) == STATUS_SUCCESS, "create");
    CHECK(s->Segment->TotalPages == 3 && MmTotalCommittedPages == base.Committed + 3, "SEC_COMMIT charge");
    PKPROCESS a = TstCreateProcess(), b = TstCreateProcess();
    PCSTR why = a && b ? NULL : "no processes";
    if (!why) why = TstSectionErrors(s, a);
    if (!why) why = TstSharing(s, a, b);
    MmDereferenceSection(s);
    if (!why) why = TstReserveSection(a, b);
    TstDeleteProcess(a);     /* B still has views: deleting it must unmap them */
    TstDeleteProcess(b);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "section pages, pool or charge not back to baseline");
    return NULL;
}

/* ---- Copies between processes ------------------------------------------------------------- */

static PCSTR TestCopyVirtualMemory(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS a = TstCreateProcess(), b = TstCreateProcess();
    CHECK(a && b, "no processes");
    PCSTR why = NULL;
    ULONG_PTR xa = 0x00400000, xb = 0x00500000;
    KeAttachProcess(a);
    if (Alloc(xa, 0x2000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS ||
        Alloc(xa, 0x1000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS)
        why = "alloc in A";
    KeDetachProcess();
    KeAttachProcess(b);
    if (Alloc(xb, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS) why = "alloc in B";
    KeDetachProcess();
    static UCHAR buf[0x2000];
    SIZE_T n = 0;
    for (ULONG i = 0; i < sizeof(buf); i++) buf[i] = (UCHAR)i;
    if (!why && (MmWriteVirtualMemory(a, (PVOID)(xa + 0x10), buf, 0x100, &n) != STATUS_SUCCESS || n != 0x100))
        why = "write into A";
    RtlZeroMemory(buf, sizeof(buf));
    if (!why && (MmReadVirtualMemory(a, (PVOID)(xa + 0x10), buf, 0x100, &n) != STATUS_SUCCESS || buf[0x7F] != 0x7F))
        why = "read from A";
    if (!why && (MmReadVirtualMemory(a, (PVOID)(xa + 0x800), buf, 0x1000, &n) != STATUS_PARTIAL_COPY || n != 0x800))
        why = "partial read not STATUS_PARTIAL_COPY with the bytes up to the bad page";
    if (!why && (MmReadVirtualMemory(a, (PVOID)(xa + 0x1000), buf, 0x10, &n) != STATUS_PARTIAL_COPY || n != 0))
        why = "read of a reserved page";
    if (!why && MmReadVirtualMemory(a, (PVOID)0x7FFEFFF0, buf, 0x100, &n) != STATUS_PARTIAL_COPY)
        why = "read past user space";
    if (!why && (MmCopyVirtualMemory(a, (PVOID)(xa + 0x10), b, (PVOID)(xb + 0xFF0), 0x100, &n) != STATUS_SUCCESS || n != 0x100))
        why = "copy A to B across a page";
    RtlZeroMemory(buf, sizeof(buf));
    if (!why && (MmReadVirtualMemory(b, (PVOID)(xb + 0xFF0), buf, 0x100, &n) != STATUS_SUCCESS || buf[0x20] != 0x20))
        why = "copied data wrong";
    /* From an attached thread: the copy comes back to the space it started in. */
    KeAttachProcess(b);
    if (!why && (MmReadVirtualMemory(a, (PVOID)(xa + 0x10), buf, 4, &n) != STATUS_SUCCESS ||
                 KeGetCurrentAddressSpaceProcess() != b))
        why = "attached copy";
    KeDetachProcess();
    TstDeleteProcess(a);
    TstDeleteProcess(b);
    CHECK(why == NULL, why);
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

/* ---- 200 address spaces ------------------------------------------------------------------- */

static PCSTR TestCreateDeleteCycles(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    LARGE_INTEGER size = { .QuadPart = 0x3000 };
    for (ULONG i = 0; i < 200; i++) {
        PKPROCESS p = TstCreateProcess();
        CHECK(p, "address space not created");
        PSECTION_OBJECT s;
        CHECK(MmCreateSection(&s, size, PAGE_READWRITE, SEC_COMMIT) == STATUS_SUCCESS, "section");
        ULONG_PTR v = 0, w = 0;
        SIZE_T vs = 0, ws = 0;
        NTSTATUS st1 = Map(s, p, &v, 0, &vs, PAGE_READWRITE), st2 = Map(s, p, &w, 0, &ws, PAGE_WRITECOPY);
        MmDereferenceSection(s);
        CHECK(NT_SUCCESS(st1) && NT_SUCCESS(st2), "map");
        KeAttachProcess(p);
        ULONG_PTR b = 0;
        NTSTATUS st = Alloc(0x20000000 + i * 0x10000, 0x8000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL);
        if (NT_SUCCESS(st)) st = Poke(b + 0x7000, i);
        if (NT_SUCCESS(st)) st = Poke(b, i);
        if (NT_SUCCESS(st)) st = Poke(v + 0x1000, i);
        if (NT_SUCCESS(st)) st = Poke(w + 0x2000, i);
        KeDetachProcess();
        TstDeleteProcess(p);
        CHECK(NT_SUCCESS(st), "touching memory failed");
    }
    CHECK(TstAtBaseline(&base), "200 cycles leaked pages, pool or commit");
    return NULL;
}

/* ---- Ring 3 ------------------------------------------------------------------------------- */

/* The ring-3 program, copied to a user code page. EBX = results (8 dwords), ECX = a committed
 * demand-zero page, EDX = a guard page, ESP = top of a stack whose third page is a guard page.
 * ESI is the recovery address the fault hook resumes at after an access violation. */
__asm__(
    ".intel_syntax noprefix\n"
    ".text\n"
    "TstMmUserCode:\n"
    "    call TstMmUserPic\n"
    "TstMmUserPic:\n"
    "    pop esi\n"
    "    lea esi, [esi + (TstMmUserRecover - TstMmUserPic)]\n"
    "    mov eax, [ecx]\n"                     /* demand zero: reads 0 */
    "    mov [ebx], eax\n"
    "    mov dword ptr [ecx + 8], 0x600DF00D\n"
    "    mov eax, [ecx + 8]\n"
    "    mov [ebx + 4], eax\n"
    "    mov eax, [edx]\n"                     /* guard: faults once (hook retries), then 0 */
    "    mov [ebx + 8], eax\n"
    "    mov dword ptr [edx], 0x5AFE\n"
    "    mov eax, dword ptr [0x7FFE0004]\n"    /* KUSER_SHARED_DATA.TickCountMultiplier */
    "    mov [ebx + 12], eax\n"
    "    sub esp, 0x2800\n"                    /* into the stack's guard page */
    "    mov dword ptr [esp], 0x57AC\n"
    "    mov eax, [esp]\n"
    "    add esp, 0x2800\n"
    "    mov [ebx + 16], eax\n"
    "    mov dword ptr [0x7FFE0000], 1\n"      /* read-only: access violation -> recover */
    "    mov dword ptr [ebx + 20], 0xBAD\n"
    "TstMmUserRecover:\n"
    "    mov [ebx + 24], eax\n"                /* the status the hook left in EAX */
    "    mov eax, 0x1001\n"                    /* table 1, service 1: back to the test */
    "    int 0x2E\n"
    "1:  jmp 1b\n"
    "TstMmUserCodeEnd:\n"
    /* VOID TstMmEnterUserMode(ULONG Eip, ULONG Esp, ULONG Ebx, ULONG Ecx, ULONG Edx): the thread's
     * InitialStack and TSS.Esp0 move just below this frame, so traps from ring 3 (and thread
     * switches while there) land under it; ring 3 runs with interrupts on. */
    "TstMmEnterUserMode:\n"
    "    push ebp\n"
    "    push ebx\n"
    "    push esi\n"
    "    push edi\n"
    "    pushfd\n"
    "    cli\n"
    "    mov [TstMmKernelEsp], esp\n"
    "    lea eax, [esp - 16]\n"
    "    mov ecx, [TstMmThread]\n"
    "    mov [ecx + 16], eax\n"                /* KTHREAD.InitialStack */
    "    mov [KiTss + 4], eax\n"               /* KTSS.Esp0 */
    "    mov eax, [esp + 24]\n"
    "    mov edi, [esp + 28]\n"
    "    mov ebx, [esp + 32]\n"
    "    mov ecx, [esp + 36]\n"
    "    mov edx, [esp + 40]\n"
    "    mov si, 0x23\n"
    "    mov ds, si\n"
    "    mov es, si\n"
    "    push 0x23\n"                          /* SS */
    "    push edi\n"                           /* ESP */
    "    push 0x202\n"                         /* EFLAGS: IF */
    "    push 0x1B\n"                          /* CS */
    "    push eax\n"                           /* EIP */
    "    iretd\n"
    "TstMmUserExitService:\n"
    "    mov esp, [TstMmKernelEsp]\n"
    "    mov byte ptr [KiPreviousMode], 0\n"
    "    mov ax, 0x10\n"
    "    mov gs, ax\n"
    "    popfd\n"
    "    pop edi\n"
    "    pop esi\n"
    "    pop ebx\n"
    "    pop ebp\n"
    "    ret\n"
    ".att_syntax prefix\n");

extern const UCHAR TstMmUserCode[], TstMmUserCodeEnd[];
VOID TstMmEnterUserMode(ULONG Eip, ULONG Esp, ULONG Ebx, ULONG Ecx, ULONG Edx);
NTSTATUS TstMmUserExitService(VOID);
ULONG TstMmKernelEsp;
PKTHREAD TstMmThread;
C_ASSERT(FIELD_OFFSET(KTHREAD, InitialStack) == 16);
C_ASSERT(FIELD_OFFSET(KTSS, Esp0) == 4);

extern BOOLEAN (*KiUserPageFaultHook)(PKTRAP_FRAME TrapFrame, NTSTATUS Status, ULONG Address);
static ULONG TstMmGuardFaults, TstMmViolations;

/* Stands in for exception dispatch: a guard page is retried (the guard is gone), an access
 * violation resumes at the program's recovery address with the status in EAX. */
static BOOLEAN TstMmUserFault(PKTRAP_FRAME Tf, NTSTATUS Status, ULONG Address)
{
    UNREFERENCED_PARAMETER(Address);
    if (Status == STATUS_GUARD_PAGE_VIOLATION) {
        TstMmGuardFaults++;
        return TRUE;
    }
    TstMmViolations++;
    Tf->Eip = Tf->Esi;
    Tf->Eax = (ULONG)Status;
    return TRUE;
}

static ULONG_PTR TstMmUserTable[] = { (ULONG_PTR)TstMmUserFault, (ULONG_PTR)TstMmUserExitService };
static UCHAR TstMmUserArguments[] = { 0, 0 };

typedef struct { PCSTR Why; ULONG Results[8]; ULONG PagesTouched; } TST_RING3;

static VOID TstRing3Thread(PVOID Context)
{
    TST_RING3 *r = Context;
    ULONG_PTR code = 0, data = 0, stack = 0x00300000, guard;
    r->Why = "allocation";
    if (Alloc(0, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &code, NULL) != STATUS_SUCCESS ||
        Alloc(0, 3 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &data, NULL) != STATUS_SUCCESS ||
        Alloc(stack, 0x10000, MEM_RESERVE, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS ||
        Alloc(stack + 0xE000, 0x2000, MEM_COMMIT, PAGE_READWRITE, NULL, NULL) != STATUS_SUCCESS ||
        Alloc(stack + 0xD000, 0x1000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD, NULL, NULL) != STATUS_SUCCESS)
        return;
    guard = data + 2 * PAGE_SIZE;
    ULONG old;
    r->Why = "code page";
    if (KeCopyToUser((PVOID)code, TstMmUserCode, TstMmUserCodeEnd - TstMmUserCode) != STATUS_SUCCESS ||
        Protect(code, PAGE_SIZE, PAGE_EXECUTE_READ, &old) != STATUS_SUCCESS ||
        Protect(guard, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD, &old) != STATUS_SUCCESS)
        return;
    ULONG before = MmAvailablePages;
    TstMmThread = KeGetCurrentThread();
    PVOID savedStack = TstMmThread->InitialStack;
    TstMmEnterUserMode(code, stack + 0x10000, data, data + PAGE_SIZE, guard);
    KIRQL irql;
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    TstMmThread->InitialStack = savedStack;
    KiSetTssStack((ULONG)savedStack);
    KeLowerIrql(irql);
    r->PagesTouched = before - MmAvailablePages;
    r->Why = "results";
    if (KeCopyFromUser(r->Results, (PVOID)data, sizeof(r->Results)) != STATUS_SUCCESS) return;
    r->Why = NULL;
}

static PCSTR TestRing3(void)
{
    TST_BASELINE base;
    TstTakeBaseline(&base);
    PKPROCESS p = TstCreateProcess();
    CHECK(p, "no process");
    PKTHREAD t = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), TAG_MTST);
    static TST_RING3 r;
    RtlZeroMemory(&r, sizeof(r));
    r.Why = "thread did not run";
    PCSTR why = NULL;
    if (!KeAddSystemServiceTable(TstMmUserTable, NULL, ARRAYSIZE(TstMmUserTable), TstMmUserArguments, 1))
        why = "service table 1 busy";
    else if (!t || !NT_SUCCESS(KeInitializeThread(t, 2, TstRing3Thread, &r, p)))
        why = "thread not created";
    if (!why) {
        TstMmGuardFaults = TstMmViolations = 0;
        KiUserPageFaultHook = TstMmUserFault;
        KeReadyThread(t);
        KeWaitForSingleObject(t, Executive, KernelMode, FALSE, NULL);
        KiUserPageFaultHook = NULL;
        KeDeleteThread(t);
        KiRemoveSystemServiceTable(1);
        why = r.Why;
    }
    if (t) ExFreePoolWithTag(t, TAG_MTST);
    TstDeleteProcess(p);
    CHECK(why == NULL, why);
    CHECK(r.Results[0] == 0, "demand-zero page not zero in ring 3");
    CHECK(r.Results[1] == 0x600DF00D, "ring-3 write lost");
    CHECK(r.Results[2] == 0 && TstMmGuardFaults == 2, "guard pages did not fault exactly once each");
    CHECK(r.Results[3] == 0x0A000000, "KUSER_SHARED_DATA not readable from ring 3");
    CHECK(r.Results[4] == 0x57AC, "stack guard page");
    CHECK(r.Results[5] == 0 && r.Results[6] == (ULONG)STATUS_ACCESS_VIOLATION && TstMmViolations == 1,
          "write to KUSER_SHARED_DATA not an access violation");
    CHECK(r.PagesTouched >= 4, "ring 3 touched no new pages");
    CHECK(TstAtBaseline(&base), "not back to baseline");
    return NULL;
}

SELFTEST("mm.vm.address_space", TestAddressSpace);
SELFTEST("mm.vm.reserve_commit", TestReserveCommit);
SELFTEST("mm.vm.free", TestFree);
SELFTEST("mm.vm.protect", TestProtect);
SELFTEST("mm.vm.demand_zero_guard", TestDemandZeroAndGuard);
SELFTEST("mm.vm.copy_process_memory", TestCopyVirtualMemory);
SELFTEST("mm.vm.user_mode", TestRing3);
SELFTEST("mm.vm.zz_create_delete_200", TestCreateDeleteCycles);
SELFTEST("mm.section.views", TestSections);
