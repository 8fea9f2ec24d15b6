/*
 * ldrexit.c - the start and end of threads and processes in user mode: RtlUserThreadStart (the
 * initial EIP of every thread RtlCreateUserThread or the kernel makes), RtlExitUserThread and
 * RtlExitUserProcess, and the loader's part of them: DLL_THREAD_DETACH (LdrShutdownThread) and
 * DLL_PROCESS_DETACH in reverse initialization order (LdrShutdownProcess).
 */
#include "ldrp.h"

/* Entered with EAX = StartAddress and EBX = Parameter (NT 6 x86), no return address: calls
 * ULONG NTAPI StartAddress(Parameter) and ends the thread with its result. Naked: the contract is
 * in registers, not a C frame. */
__attribute__((naked)) VOID NTAPI RtlUserThreadStart(VOID)
{
    __asm__ volatile(
        "xorl %ebp, %ebp\n\t"                      /* the end of every stack walk */
        "pushl %ebx\n\t"
        "calll *%eax\n\t"                          /* stdcall: pops the parameter */
        "pushl %eax\n\t"
        "calll _RtlExitUserThread@4\n\t"
        "int3\n\t");
}

VOID NTAPI LdrShutdownThread(VOID)
{
    PPEB peb = NtCurrentPeb();
    if (peb->Ldr == NULL) return;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    LdrpThreadDetach();
    LdrpFreeTls();
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

VOID NTAPI LdrShutdownProcess(VOID)
{
    PPEB peb = NtCurrentPeb();
    if (peb->Ldr == NULL || LdrpShutdownInProgress) return;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    LdrpShutdownInProgress = TRUE;
    if (LdrpImageEntry && (LdrpImageEntry->Flags & LDRP_PROCESS_ATTACH_CALLED)) {
        LdrpImageEntry->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallTlsCallbacks(LdrpImageEntry, DLL_PROCESS_DETACH);
    }
    PLIST_ENTRY head = &LdrpData.InInitializationOrderModuleList;
    for (PLIST_ENTRY e = head->Blink; e != head; e = e->Blink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (!(m->Flags & LDRP_PROCESS_ATTACH_CALLED)) continue;
        m->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallTlsCallbacks(m, DLL_PROCESS_DETACH);
        LdrpCallInitRoutine(m, DLL_PROCESS_DETACH, (PVOID)1);   /* non-NULL: the process is ending */
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

VOID NTAPI RtlExitUserProcess(NTSTATUS ExitStatus)
{
    LdrShutdownProcess();
    NtTerminateProcess(NtCurrentProcess(), ExitStatus);
    for (;;) NtTerminateThread(NtCurrentThread(), ExitStatus);   /* not reached */
}

VOID NTAPI RtlExitUserThread(NTSTATUS ExitStatus)
{
    ULONG last = 0;
    NTSTATUS status = NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &last, sizeof(last), NULL);
    if (NT_SUCCESS(status) && last) RtlExitUserProcess(ExitStatus);
    LdrShutdownThread();
    for (;;) NtTerminateThread(NtCurrentThread(), ExitStatus);
}
