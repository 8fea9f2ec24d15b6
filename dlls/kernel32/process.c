/*
 * process.c - the running process and others by handle: exit (ExitProcess tells csrss, then
 * ntdll's RtlExitUserProcess runs DLL_PROCESS_DETACH and terminates), TerminateProcess, exit
 * codes, ids, OpenProcess, GetStartupInfo (from the process parameters) and priority classes
 * (NanoNT has one: NORMAL_PRIORITY_CLASS).
 */
#include "k32p.h"

VOID WINAPI ExitProcess(UINT uExitCode)
{
    BaseCsrNotifyExitProcess(uExitCode);
    RtlExitUserProcess((NTSTATUS)uExitCode);
}

BOOL WINAPI TerminateProcess(HANDLE hProcess, UINT uExitCode)
{
    if (hProcess == NULL) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    NTSTATUS status = NtTerminateProcess(hProcess, (NTSTATUS)uExitCode);
    return BaseNtSuccess(status);
}

static BOOL BaseProcessInfo(HANDLE Process, PROCESS_BASIC_INFORMATION *Info)
{
    NTSTATUS status = NtQueryInformationProcess(Process, ProcessBasicInformation, Info, sizeof(*Info), NULL);
    return BaseNtSuccess(status);
}

BOOL WINAPI GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)
{
    PROCESS_BASIC_INFORMATION info;
    if (lpExitCode == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseProcessInfo(hProcess, &info)) return FALSE;
    *lpExitCode = (DWORD)info.ExitStatus;       /* STATUS_PENDING (259) = STILL_ACTIVE */
    return TRUE;
}

HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)
{
    OBJECT_ATTRIBUTES oa;
    CLIENT_ID cid = { (HANDLE)(ULONG_PTR)dwProcessId, NULL };
    HANDLE handle = NULL;
    if (dwProcessId == 0) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    InitializeObjectAttributes(&oa, NULL, bInheritHandle ? OBJ_INHERIT : 0, NULL, NULL);
    NTSTATUS status = NtOpenProcess(&handle, dwDesiredAccess, &oa, &cid);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return handle;
}

HANDLE WINAPI GetCurrentProcess(VOID) { return NtCurrentProcess(); }
DWORD WINAPI GetCurrentProcessId(VOID) { return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess; }

DWORD WINAPI GetProcessId(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION info;
    if (!BaseProcessInfo(Process, &info)) return 0;
    return (DWORD)info.UniqueProcessId;
}

DWORD WINAPI GetPriorityClass(HANDLE hProcess)
{
    PROCESS_BASIC_INFORMATION info;
    if (!BaseProcessInfo(hProcess, &info)) return 0;
    return NORMAL_PRIORITY_CLASS;
}

BOOL WINAPI SetPriorityClass(HANDLE hProcess, DWORD dwPriorityClass)
{
    PROCESS_BASIC_INFORMATION info;
    if (dwPriorityClass & ~(IDLE_PRIORITY_CLASS | NORMAL_PRIORITY_CLASS | HIGH_PRIORITY_CLASS | REALTIME_PRIORITY_CLASS |
                            0x4000u | 0x8000u)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return BaseProcessInfo(hProcess, &info);
}

/* ---- Start-up information ---- */

VOID WINAPI GetStartupInfoW(LPSTARTUPINFOW lpStartupInfo)
{
    PRTL_USER_PROCESS_PARAMETERS p = BaseParams();
    if (lpStartupInfo == NULL) return;
    RtlZeroMemory(lpStartupInfo, sizeof(*lpStartupInfo));
    lpStartupInfo->cb = sizeof(*lpStartupInfo);
    lpStartupInfo->lpDesktop = p->DesktopInfo.Buffer;
    lpStartupInfo->lpTitle = p->WindowTitle.Buffer;
    lpStartupInfo->dwX = p->StartingX;
    lpStartupInfo->dwY = p->StartingY;
    lpStartupInfo->dwXSize = p->CountX;
    lpStartupInfo->dwYSize = p->CountY;
    lpStartupInfo->dwXCountChars = p->CountCharsX;
    lpStartupInfo->dwYCountChars = p->CountCharsY;
    lpStartupInfo->dwFillAttribute = p->FillAttribute;
    lpStartupInfo->dwFlags = p->WindowFlags;
    lpStartupInfo->wShowWindow = (WORD)p->ShowWindowFlags;
    /* The C run-time's inherited file table travels here (cbReserved2/lpReserved2). */
    lpStartupInfo->cbReserved2 = p->RuntimeData.Length;
    lpStartupInfo->lpReserved2 = p->RuntimeData.Length ? (LPBYTE)p->RuntimeData.Buffer : NULL;
    lpStartupInfo->hStdInput = p->StandardInput;
    lpStartupInfo->hStdOutput = p->StandardOutput;
    lpStartupInfo->hStdError = p->StandardError;
}

/* ANSI copies of the two strings, made once. */
static LPSTR BaseStartupDesktopA, BaseStartupTitleA;

static LPSTR BaseAnsiCopy(PUNICODE_STRING s)
{
    if (s->Buffer == NULL) return NULL;
    DWORD chars = s->Length / sizeof(WCHAR);
    LPSTR copy = RtlAllocateHeap(RtlProcessHeap(), 0, chars + 1);
    if (copy) BaseUnicodeToAnsiN(s->Buffer, chars, copy, chars + 1);
    return copy;
}

VOID WINAPI GetStartupInfoA(LPSTARTUPINFOA lpStartupInfo)
{
    STARTUPINFOW w;
    if (lpStartupInfo == NULL) return;
    GetStartupInfoW(&w);
    RtlAcquirePebLock();
    if (BaseStartupDesktopA == NULL) BaseStartupDesktopA = BaseAnsiCopy(&BaseParams()->DesktopInfo);
    if (BaseStartupTitleA == NULL) BaseStartupTitleA = BaseAnsiCopy(&BaseParams()->WindowTitle);
    RtlReleasePebLock();
    RtlCopyMemory(lpStartupInfo, &w, sizeof(w));       /* same layout; the strings are replaced */
    lpStartupInfo->lpReserved = NULL;
    lpStartupInfo->lpDesktop = BaseStartupDesktopA;
    lpStartupInfo->lpTitle = BaseStartupTitleA;
}
