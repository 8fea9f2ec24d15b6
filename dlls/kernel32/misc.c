/*
 * misc.c - the last error, version and system information, debugging aids (IsDebuggerPresent,
 * DebugBreak, OutputDebugString), Beep, SetErrorMode and the well-known directories.
 */
#include "k32p.h"

DWORD BaseSetLastNtError(NTSTATUS Status)
{
    DWORD error = RtlNtStatusToDosError(Status);
    RtlSetLastWin32Error(error);
    return error;
}

BOOL BaseNtSuccess(NTSTATUS Status)
{
    if (NT_SUCCESS(Status)) return TRUE;
    BaseSetLastNtError(Status);
    return FALSE;
}

DWORD WINAPI GetLastError(VOID) { return NtCurrentTeb()->LastErrorValue; }
VOID WINAPI SetLastError(DWORD dwErrCode) { NtCurrentTeb()->LastErrorValue = dwErrCode; }

/* NanoNT presents itself as Windows XP (5.1.2600), the version its structures follow. */
#define BASE_MAJOR 5u
#define BASE_MINOR 1u
#define BASE_BUILD 2600u

DWORD WINAPI GetVersion(VOID)
{
    /* Low word: major, minor; high word: build; bit 31 clear = NT platform. */
    return BASE_MAJOR | (BASE_MINOR << 8) | (BASE_BUILD << 16);
}

static BOOL BaseFillVersion(DWORD Size, DWORD SizeEx, LPOSVERSIONINFOA Info)
{
    if (Info->dwOSVersionInfoSize != Size && Info->dwOSVersionInfoSize != SizeEx) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    Info->dwMajorVersion = BASE_MAJOR;
    Info->dwMinorVersion = BASE_MINOR;
    Info->dwBuildNumber = BASE_BUILD;
    Info->dwPlatformId = VER_PLATFORM_WIN32_NT;
    return TRUE;
}

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation)
{
    if (lpVersionInformation == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseFillVersion(sizeof(OSVERSIONINFOA), sizeof(OSVERSIONINFOEXA), lpVersionInformation)) return FALSE;
    lpVersionInformation->szCSDVersion[0] = 0;
    if (lpVersionInformation->dwOSVersionInfoSize == sizeof(OSVERSIONINFOEXA)) {
        LPOSVERSIONINFOEXA ex = (LPOSVERSIONINFOEXA)lpVersionInformation;
        ex->wServicePackMajor = ex->wServicePackMinor = ex->wSuiteMask = 0;
        ex->wProductType = 1;               /* VER_NT_WORKSTATION */
        ex->wReserved = 0;
    }
    return TRUE;
}

BOOL WINAPI GetVersionExW(LPOSVERSIONINFOW lpVersionInformation)
{
    if (lpVersionInformation == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseFillVersion(sizeof(OSVERSIONINFOW), sizeof(OSVERSIONINFOEXW), (LPOSVERSIONINFOA)lpVersionInformation))
        return FALSE;
    lpVersionInformation->szCSDVersion[0] = 0;
    if (lpVersionInformation->dwOSVersionInfoSize == sizeof(OSVERSIONINFOEXW)) {
        LPOSVERSIONINFOEXW ex = (LPOSVERSIONINFOEXW)lpVersionInformation;
        ex->wServicePackMajor = ex->wServicePackMinor = ex->wSuiteMask = 0;
        ex->wProductType = 1;
        ex->wReserved = 0;
    }
    return TRUE;
}

VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    if (lpSystemInfo == NULL) return;
    RtlZeroMemory(lpSystemInfo, sizeof(*lpSystemInfo));
    lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_INTEL;
    lpSystemInfo->dwPageSize = PAGE_SIZE;
    lpSystemInfo->lpMinimumApplicationAddress = (LPVOID)0x00010000;
    lpSystemInfo->lpMaximumApplicationAddress = (LPVOID)0x7FFEFFFF;
    lpSystemInfo->dwActiveProcessorMask = 1;
    lpSystemInfo->dwNumberOfProcessors = 1;
    lpSystemInfo->dwProcessorType = PROCESSOR_INTEL_PENTIUM;
    lpSystemInfo->dwAllocationGranularity = 0x10000;
    lpSystemInfo->wProcessorLevel = 6;
    lpSystemInfo->wProcessorRevision = 0;
}

BOOL WINAPI IsDebuggerPresent(VOID) { return NtCurrentPeb()->BeingDebugged != 0; }
VOID WINAPI DebugBreak(VOID) { DbgBreakPoint(); }

VOID WINAPI OutputDebugStringA(LPCSTR lpOutputString)
{
    if (lpOutputString != NULL) DbgPrint("%s", lpOutputString);
}

VOID WINAPI OutputDebugStringW(LPCWSTR lpOutputString)
{
    if (lpOutputString == NULL) return;
    CHAR chunk[128];
    SIZE_T len = BaseWideLength(lpOutputString);
    for (SIZE_T done = 0; done < len;) {
        DWORD n = (DWORD)(len - done < sizeof(chunk) - 1 ? len - done : sizeof(chunk) - 1);
        BaseUnicodeToAnsiN(lpOutputString + done, n, chunk, sizeof(chunk));
        DbgPrint("%s", chunk);
        done += n;
    }
}

/* No sound hardware is driven: report success as Windows does without a speaker. */
BOOL WINAPI Beep(DWORD dwFreq, DWORD dwDuration) { return TRUE; }

static UINT BaseErrorMode;
UINT WINAPI SetErrorMode(UINT uMode)
{
    UINT old = BaseErrorMode;
    BaseErrorMode = uMode;
    return old;
}

/* The directories return their length without the NUL when they fit, else the size needed. */
static DWORD BaseCopyFixedW(LPCWSTR Text, LPWSTR Buffer, DWORD Size)
{
    DWORD len = (DWORD)BaseWideLength(Text);
    if (Buffer == NULL || Size <= len) return len + 1;
    RtlCopyMemory(Buffer, Text, (len + 1) * sizeof(WCHAR));
    return len;
}

UINT WINAPI GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize) { return BaseCopyFixedW(u"C:\\Windows\\System32", lpBuffer, uSize); }
UINT WINAPI GetWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize) { return BaseCopyFixedW(u"C:\\Windows", lpBuffer, uSize); }
UINT WINAPI GetSystemDirectoryA(LPSTR lpBuffer, UINT uSize) { return BaseCopyWideResultToAnsi(u"C:\\Windows\\System32", 19, lpBuffer, uSize); }
UINT WINAPI GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize) { return BaseCopyWideResultToAnsi(u"C:\\Windows", 10, lpBuffer, uSize); }

/* TMP, then TEMP, else the Windows directory, always with a trailing backslash. */
DWORD WINAPI GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    WCHAR path[MAX_PATH + 1];
    DWORD n = GetEnvironmentVariableW(u"TMP", path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) n = GetEnvironmentVariableW(u"TEMP", path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) { RtlCopyMemory(path, u"C:\\Windows", 22); n = 10; }
    if (path[n - 1] != u'\\') { path[n++] = u'\\'; }
    path[n] = 0;
    return BaseCopyFixedW(path, lpBuffer, nBufferLength);
}

DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer)
{
    WCHAR path[MAX_PATH + 2];
    DWORD n = GetTempPathW(MAX_PATH + 2, path);
    if (n == 0 || n > MAX_PATH + 1) return 0;
    return BaseCopyWideResultToAnsi(path, n, lpBuffer, nBufferLength);
}
