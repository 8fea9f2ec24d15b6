/* ldrchild.c - t_ldr's helper, run as two processes at once: each maps ldrshr.dll, adds one to
 * its shared counter (seen by t_ldr and the other copy), waits for t_ldr's go event, and ends
 * with 0 if its own copy of the DLL's private data was untouched by t_ldr's write. */
#include "dll/ldrtest.h"

#define CHILD_BAD_PRIVATE 0x10
#define CHILD_BAD_BASE    0x20
#define CHILD_NO_EVENT    0x40

static NTSTATUS WaitForGo(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\BaseNamedObjects\\NanoNTLdrTestGo");
    OBJECT_ATTRIBUTES oa;
    HANDLE event;
    LARGE_INTEGER timeout = { .QuadPart = -30 * 10000000ll };
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS status = NtOpenEvent(&event, SYNCHRONIZE, &oa);
    if (!NT_SUCCESS(status)) return status;
    status = NtWaitForSingleObject(event, FALSE, &timeout);
    NtClose(event);
    return status;
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    NTSTATUS result = 0;
    UNICODE_STRING dll = RTL_CONSTANT_STRING(u"ldrshr.dll");
    PVOID base = NULL;
    if (!NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &dll, &base)) || (ULONG_PTR)base != LDRSHR_BASE)
        result |= CHILD_BAD_BASE;
    LdrShrAddShared(1);
    if (WaitForGo() != STATUS_SUCCESS) result |= CHILD_NO_EVENT;
    if (LdrShrGetPrivate() != LDRSHR_PRIVATE_INITIAL) result |= CHILD_BAD_PRIVATE;
    return result;
}
