/*
 * handle.c - handles: CloseHandle, DuplicateHandle, Get/SetHandleInformation, and the standard
 * handles (GetStdHandle/SetStdHandle), which live in the process parameters as on NT. Console
 * pseudo-handles are handled by console.c, never passed to the kernel.
 */
#include "k32p.h"

/* STD_*_HANDLE values passed where a handle is expected name the standard handle. */
static HANDLE BaseTranslateStdHandle(HANDLE h)
{
    DWORD v = (DWORD)(ULONG_PTR)h;
    if (v == STD_INPUT_HANDLE || v == STD_OUTPUT_HANDLE || v == STD_ERROR_HANDLE) return GetStdHandle(v);
    return h;
}

BOOL WINAPI CloseHandle(HANDLE hObject)
{
    HANDLE h = BaseTranslateStdHandle(hObject);
    if (BaseIsConsoleHandle(h)) return BaseConsoleClose(h);
    NTSTATUS status = NtClose(h);
    return BaseNtSuccess(status);
}

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle, HANDLE hTargetProcessHandle,
                            LPHANDLE lpTargetHandle, DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    HANDLE source = BaseTranslateStdHandle(hSourceHandle);
    if (BaseIsConsoleHandle(source)) {
        HANDLE dummy;
        return BaseConsoleDuplicate(source, lpTargetHandle ? lpTargetHandle : &dummy, dwDesiredAccess,
                                    bInheritHandle, dwOptions);
    }
    NTSTATUS status = NtDuplicateObject(hSourceProcessHandle, source, hTargetProcessHandle, lpTargetHandle,
                                        dwDesiredAccess, bInheritHandle ? OBJ_INHERIT : 0, dwOptions);
    return BaseNtSuccess(status);
}

BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    OBJECT_HANDLE_FLAG_INFORMATION info;
    HANDLE h = BaseTranslateStdHandle(hObject);
    if (lpdwFlags == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (BaseIsConsoleHandle(h)) { *lpdwFlags = 0; return BaseConsoleClose(h); }
    NTSTATUS status = NtQueryObject(h, ObjectHandleFlagInformation, &info, sizeof(info), NULL);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    *lpdwFlags = (info.Inherit ? HANDLE_FLAG_INHERIT : 0) | (info.ProtectFromClose ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
    return TRUE;
}

BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    OBJECT_HANDLE_FLAG_INFORMATION info;
    HANDLE h = BaseTranslateStdHandle(hObject);
    if (BaseIsConsoleHandle(h)) return BaseConsoleClose(h);
    NTSTATUS status = NtQueryObject(h, ObjectHandleFlagInformation, &info, sizeof(info), NULL);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    if (dwMask & HANDLE_FLAG_INHERIT) info.Inherit = (dwFlags & HANDLE_FLAG_INHERIT) != 0;
    if (dwMask & HANDLE_FLAG_PROTECT_FROM_CLOSE) info.ProtectFromClose = (dwFlags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
    status = NtSetInformationObject(h, ObjectHandleFlagInformation, &info, sizeof(info));
    return BaseNtSuccess(status);
}

HANDLE WINAPI GetStdHandle(DWORD nStdHandle)
{
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    switch (nStdHandle) {
    case STD_INPUT_HANDLE: return params->StandardInput;
    case STD_OUTPUT_HANDLE: return params->StandardOutput;
    case STD_ERROR_HANDLE: return params->StandardError;
    default: SetLastError(ERROR_INVALID_HANDLE); return INVALID_HANDLE_VALUE;
    }
}

BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle)
{
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    switch (nStdHandle) {
    case STD_INPUT_HANDLE: params->StandardInput = hHandle; return TRUE;
    case STD_OUTPUT_HANDLE: params->StandardOutput = hHandle; return TRUE;
    case STD_ERROR_HANDLE: params->StandardError = hHandle; return TRUE;
    default: SetLastError(ERROR_INVALID_HANDLE); return FALSE;
    }
}
