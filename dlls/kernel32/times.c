/*
 * times.c - GetProcessTimes and GetThreadTimes: when a process or thread was made and ended
 * (system time; an exit time of 0 while it runs) and how long it ran in kernel and user mode,
 * which the kernel counts in clock ticks (ProcessTimes / ThreadTimes of NtQueryInformation*).
 */
#include "k32p.h"

/* The query's answer into the caller's four FILETIMEs (all required). */
static BOOL BaseTimesOut(NTSTATUS Status, const KERNEL_USER_TIMES *Times, LPFILETIME Out[4])
{
    const LARGE_INTEGER *from[4] = { &Times->CreateTime, &Times->ExitTime, &Times->KernelTime, &Times->UserTime };
    if (!BaseNtSuccess(Status)) return FALSE;
    for (int i = 0; i < 4; i++) {
        Out[i]->dwLowDateTime = from[i]->u.LowPart;
        Out[i]->dwHighDateTime = (DWORD)from[i]->u.HighPart;
    }
    return TRUE;
}

static BOOL BaseTimesWanted(LPFILETIME Out[4])
{
    for (int i = 0; i < 4; i++)
        if (Out[i] == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    return TRUE;
}

BOOL WINAPI GetProcessTimes(HANDLE hProcess, LPFILETIME lpCreationTime, LPFILETIME lpExitTime,
                            LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
{
    LPFILETIME out[4] = { lpCreationTime, lpExitTime, lpKernelTime, lpUserTime };
    KERNEL_USER_TIMES times;
    return BaseTimesWanted(out) &&
           BaseTimesOut(NtQueryInformationProcess(hProcess, ProcessTimes, &times, sizeof(times), NULL), &times, out);
}

BOOL WINAPI GetThreadTimes(HANDLE hThread, LPFILETIME lpCreationTime, LPFILETIME lpExitTime,
                           LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
{
    LPFILETIME out[4] = { lpCreationTime, lpExitTime, lpKernelTime, lpUserTime };
    KERNEL_USER_TIMES times;
    return BaseTimesWanted(out) &&
           BaseTimesOut(NtQueryInformationThread(hThread, ThreadTimes, &times, sizeof(times), NULL), &times, out);
}
