/*
 * usercopy.c - checking and copying user memory: NT's ProbeForRead/ProbeForWrite (returning the
 * status instead of raising it) and KeCopyFromUser/KeCopyToUser, which probe and then copy with
 * KiCopyMemoryWithFixup, so an unmapped or read-only page inside a valid-looking range becomes
 * STATUS_ACCESS_VIOLATION rather than a bug check.
 *
 * KiCopyMemoryWithFixup is assembly, because the exception table (fixup.c) must know exactly
 * which instructions may fault: those between KiUserCopyStart and KiUserCopyEnd. A fault there
 * resumes at KiUserCopyFault, which returns STATUS_ACCESS_VIOLATION to the caller.
 */
#include "ke.h"
#include "svc.h"
#include "ntstatus.h"

/* NTSTATUS KiCopyMemoryWithFixup(PVOID Dst, const VOID *Src, SIZE_T Length) - cdecl */
__asm__(
    ".intel_syntax noprefix\n"
    ".text\n"
    ".globl KiCopyMemoryWithFixup, KiUserCopyStart, KiUserCopyEnd, KiUserCopyFault\n"
    "KiCopyMemoryWithFixup:\n"
    "    push esi\n"
    "    push edi\n"
    "    mov edi, [esp + 12]\n"
    "    mov esi, [esp + 16]\n"
    "    mov ecx, [esp + 20]\n"
    "    mov edx, ecx\n"
    "    shr ecx, 2\n"
    "    and edx, 3\n"
    "KiUserCopyStart:\n"
    "    rep movsd\n"                   /* dwords, then the 0-3 bytes left */
    "    mov ecx, edx\n"
    "    rep movsb\n"
    "KiUserCopyEnd:\n"
    "    xor eax, eax\n"                /* STATUS_SUCCESS */
    "KiUserCopyReturn:\n"
    "    pop edi\n"
    "    pop esi\n"
    "    ret\n"
    "KiUserCopyFault:\n"               /* resumed here by KiFixupKernelFault */
    "    mov eax, 0xC0000005\n"         /* STATUS_ACCESS_VIOLATION */
    "    jmp KiUserCopyReturn\n"
    ".att_syntax prefix\n");

/* The range must lie wholly below MM_USER_PROBE_ADDRESS without wrapping: then no part of it can
 * be kernel memory, whatever the user passed. Alignment is 1, 2, 4, 8 or 16, as on NT. */
static NTSTATUS KiProbe(ULONG_PTR Address, SIZE_T Length, ULONG Alignment)
{
    if (Length == 0) return STATUS_SUCCESS;
    if (Address & (Alignment - 1)) return STATUS_DATATYPE_MISALIGNMENT;
    ULONG_PTR end = Address + Length;
    if (end < Address || end > MM_USER_PROBE_ADDRESS) return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS ProbeForRead(const VOID *Address, SIZE_T Length, ULONG Alignment)
{
    return KiProbe((ULONG_PTR)Address, Length, Alignment);
}

/* NT also touches each page here to prove it writable; the copy's fixup gives the same answer
 * (a read-only page faults, with CR0.WP set) at the moment it matters. */
NTSTATUS ProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment)
{
    return KiProbe((ULONG_PTR)Address, Length, Alignment);
}

NTSTATUS KeCopyFromUser(PVOID Dst, const VOID *UserSrc, SIZE_T Length)
{
    NTSTATUS status = ProbeForRead(UserSrc, Length, 1);
    if (!NT_SUCCESS(status)) return status;
    return KiCopyMemoryWithFixup(Dst, UserSrc, Length);
}

NTSTATUS KeCopyToUser(PVOID UserDst, const VOID *Src, SIZE_T Length)
{
    NTSTATUS status = ProbeForWrite(UserDst, Length, 1);
    if (!NT_SUCCESS(status)) return status;
    return KiCopyMemoryWithFixup(UserDst, Src, Length);
}
