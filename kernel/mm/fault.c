/*
 * fault.c - MmAccessFault, the memory manager's side of a page fault. Every kernel page is
 * resident and user address spaces do not exist yet, so no fault can be resolved: the trap
 * handler reports it. Demand-zero, copy-on-write and guard pages arrive here with processes.
 */
#include "mi.h"
#include "ntstatus.h"

NTSTATUS MmAccessFault(BOOLEAN Write, PVOID Address, ULONG Mode)
{
    UNREFERENCED_PARAMETER(Write);
    UNREFERENCED_PARAMETER(Address);
    UNREFERENCED_PARAMETER(Mode);
    return STATUS_ACCESS_VIOLATION;
}
