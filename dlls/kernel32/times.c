/*
 * times.c - GetProcessTimes and GetThreadTimes: when a process or thread was made and ended
 * (system time; an exit time of 0 while it runs) and how long it ran in kernel and user mode,
 * which the kernel counts in clock ticks (ProcessTimes / ThreadTimes of NtQueryInformation*).
 */
#include "k32p.h"

static VOID BaseTimesOut(const KERNEL_USER_TIMES *Times, LPFILETIME Create, LPFILETIME Exit, LPFILETIME Kernel,
                         LPFILETIME User)
{
    const LARGE_INTEGER *from[4] = { &Times->CreateTime, &Times->ExitTime, &Times->KernelTime, &Times->UserTime };
    LPFILETIME to[4] = { Create, Exit, Kernel, User };
    for (int i = 0; i < 4; i++) {
        to[i]->dwLowDateTime = from[i]->u.LowPart;
        to[i]->dwHighDateTime = (DWORD)from[i]->u.HighPart;
    }
}

BOOL WINAPI GetProcessTimes(HANDLE hProcess, LPFILETIME lpCreationTime, LPFILETIME lpExitTime,
                            LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
{
    KERNEL_USER_TIMES times;
    if (!lpCreationTime || !lpExitTime || !lpKernelTime || !lpUserTime) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    NTSTATUS status = NtQueryInformationProcess(hProcess, ProcessTimes, &times, sizeof(times), NULL);
    if (!BaseNtSuccess(status)) return FALSE;
    BaseTimesOut(&times, lpCreationTime, lpExitTime, lpKernelTime, lpUserTime);
    return TRUE;
}

BOOL WINAPI GetThreadTimes(HANDLE hThread, LPFILETIME lpCreationTime, LPFILETIME lpExitTime,
                           LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
{
    KERNEL_USER_TIMES times;
    if (!lpCreationTime || !lpExitTime || !lpKernelTime || !lpUserTime) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    NTSTATUS status = NtQueryInformationThread(hThread, ThreadTimes, &times, sizeof(times), NULL);
    if (!BaseNtSuccess(status)) return FALSE;
    BaseTimesOut(&times, lpCreationTime, lpExitTime, lpKernelTime, lpUserTime);
    return TRUE;
}
