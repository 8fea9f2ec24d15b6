/*
 * wait.c - waiting: WaitForSingleObject(Ex), WaitForMultipleObjects(Ex), Sleep, SleepEx and
 * SwitchToThread over NtWaitFor*, NtDelayExecution and NtYieldExecution. Alertable waits return
 * WAIT_IO_COMPLETION when user APCs ran (STATUS_USER_APC); the wait statuses are the WAIT_*
 * values themselves.
 */
#include "k32p.h"

PLARGE_INTEGER BaseFormatTimeOut(PLARGE_INTEGER Timeout, DWORD Milliseconds)
{
    if (Milliseconds == INFINITE) return NULL;
    Timeout->QuadPart = -(LONGLONG)Milliseconds * 10000;    /* negative = relative, 100 ns units */
    return Timeout;
}

/* Pseudo standard handles name the real ones here, as Windows lets one wait on them. */
static HANDLE BaseTranslateWaitHandle(HANDLE Handle)
{
    if (Handle == (HANDLE)(LONG_PTR)(LONG)STD_INPUT_HANDLE || Handle == (HANDLE)(LONG_PTR)(LONG)STD_OUTPUT_HANDLE ||
        Handle == (HANDLE)(LONG_PTR)(LONG)STD_ERROR_HANDLE)
        return GetStdHandle((DWORD)(ULONG_PTR)Handle);
    return Handle;
}

static DWORD BaseWaitResult(NTSTATUS Status)
{
    if (NT_SUCCESS(Status) && Status != STATUS_PENDING) return (DWORD)Status;   /* WAIT_* */
    BaseSetLastNtError(Status);
    return WAIT_FAILED;
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
{
    LARGE_INTEGER timeout;
    HANDLE h = BaseTranslateWaitHandle(hHandle);
    if (BaseIsConsoleHandle(h)) { SetLastError(ERROR_INVALID_HANDLE); return WAIT_FAILED; }
    NTSTATUS status;
    do {
        status = NtWaitForSingleObject(h, (BOOLEAN)(bAlertable != 0), BaseFormatTimeOut(&timeout, dwMilliseconds));
    } while (status == STATUS_ALERTED && bAlertable);       /* an alert without an APC: wait again */
    return BaseWaitResult(status);
}

DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return WaitForSingleObjectEx(hHandle, dwMilliseconds, FALSE);
}

DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll, DWORD dwMilliseconds,
                                      BOOL bAlertable)
{
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER timeout;
    if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || lpHandles == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    for (DWORD i = 0; i < nCount; i++) handles[i] = BaseTranslateWaitHandle(lpHandles[i]);
    NTSTATUS status;
    do {
        status = NtWaitForMultipleObjects(nCount, handles, bWaitAll ? WaitAll : WaitAny, (BOOLEAN)(bAlertable != 0),
                                          BaseFormatTimeOut(&timeout, dwMilliseconds));
    } while (status == STATUS_ALERTED && bAlertable);
    return BaseWaitResult(status);
}

DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll, DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    LARGE_INTEGER timeout;
    if (dwMilliseconds == 0 && !bAlertable) { NtYieldExecution(); return 0; }
    PLARGE_INTEGER t = BaseFormatTimeOut(&timeout, dwMilliseconds);
    LARGE_INTEGER forever;
    if (t == NULL) { forever.QuadPart = (LONGLONG)0x8000000000000000ull; t = &forever; }   /* the longest delay */
    NTSTATUS status;
    do {
        status = NtDelayExecution((BOOLEAN)(bAlertable != 0), t);
    } while (status == STATUS_ALERTED && bAlertable);
    return status == STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
}

VOID WINAPI Sleep(DWORD dwMilliseconds) { SleepEx(dwMilliseconds, FALSE); }

BOOL WINAPI SwitchToThread(VOID)
{
    /* STATUS_NO_YIELD_PERFORMED (a success code) means nothing else was ready. */
    return NtYieldExecution() == STATUS_SUCCESS;
}
