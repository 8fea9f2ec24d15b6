/*
 * ctrl.c - Ctrl+C and Ctrl+Break. consrv starts a thread in every process of the console at
 * BaseCtrlRoutine (the address each process gave when it attached) with the event as argument.
 * The thread calls the process's handlers, the last registered first, until one returns TRUE;
 * if none does, the default handler ends the process with STATUS_CONTROL_C_EXIT, as on Windows.
 * SetConsoleCtrlHandler(NULL, TRUE) makes the process ignore Ctrl+C (not Ctrl+Break); the flag
 * lives in RTL_USER_PROCESS_PARAMETERS.ConsoleFlags, so children inherit it, and a process made
 * with CREATE_NEW_PROCESS_GROUP starts with it set. GenerateConsoleCtrlEvent asks consrv for an
 * event: to every process of the console (group 0) or to the process whose id is the group id
 * (process groups of more than their root are not kept).
 */
#include "k32p.h"
#include "ntcsr.h"

#define BASE_MAX_CTRL_HANDLERS 32

static PHANDLER_ROUTINE BaseCtrlHandlers[BASE_MAX_CTRL_HANDLERS];   /* [BaseCtrlHandlerCount] */
static ULONG BaseCtrlHandlerCount;
static RTL_CRITICAL_SECTION BaseCtrlLock;

VOID BaseInitializeCtrl(VOID)
{
    RtlInitializeCriticalSection(&BaseCtrlLock);
}

DWORD WINAPI BaseCtrlRoutine(LPVOID Parameter)
{
    DWORD event = (DWORD)(ULONG_PTR)Parameter;
    PHANDLER_ROUTINE handlers[BASE_MAX_CTRL_HANDLERS];
    if (event == CTRL_C_EVENT && (BaseParams()->ConsoleFlags & BASE_CONSOLE_IGNORE_CTRL_C)) ExitThread(0);
    RtlEnterCriticalSection(&BaseCtrlLock);
    ULONG count = BaseCtrlHandlerCount;
    RtlCopyMemory(handlers, BaseCtrlHandlers, count * sizeof(handlers[0]));
    RtlLeaveCriticalSection(&BaseCtrlLock);
    while (count-- > 0)
        if (handlers[count](event)) ExitThread(0);
    ExitProcess((UINT)STATUS_CONTROL_C_EXIT);
}

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)
{
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    if (HandlerRoutine == NULL) {
        if (Add) params->ConsoleFlags |= BASE_CONSOLE_IGNORE_CTRL_C;
        else params->ConsoleFlags &= ~BASE_CONSOLE_IGNORE_CTRL_C;
        return TRUE;
    }
    BOOL ok = FALSE;
    RtlEnterCriticalSection(&BaseCtrlLock);
    if (Add && BaseCtrlHandlerCount < BASE_MAX_CTRL_HANDLERS) {
        BaseCtrlHandlers[BaseCtrlHandlerCount++] = HandlerRoutine;
        ok = TRUE;
    }
    /* Removing takes the most recent registration of the routine, keeping the order. */
    for (ULONG i = BaseCtrlHandlerCount; !Add && i-- > 0;) {
        if (BaseCtrlHandlers[i] != HandlerRoutine) continue;
        RtlMoveMemory(&BaseCtrlHandlers[i], &BaseCtrlHandlers[i + 1],
                      (BaseCtrlHandlerCount - i - 1) * sizeof(BaseCtrlHandlers[0]));
        BaseCtrlHandlerCount--;
        ok = TRUE;
        break;
    }
    RtlLeaveCriticalSection(&BaseCtrlLock);
    if (!ok) SetLastError(Add ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
    return ok;
}

BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)
{
    if (dwCtrlEvent != CTRL_C_EVENT && dwCtrlEvent != CTRL_BREAK_EVENT) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    CSR_API_MESSAGE m;
    RtlZeroMemory(&m, sizeof(m));
    m.Data.CtrlEvent.CtrlEvent = dwCtrlEvent;
    m.Data.CtrlEvent.ProcessGroupId = dwProcessGroupId;
    return BaseNtSuccess(BaseConsoleCall(&m, NULL, ConsolepGenerateCtrlEvent, CSR_API_ARGUMENT_SIZE(CONSOLE_CTRL_EVENT_MSG)));
}
