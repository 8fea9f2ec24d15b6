/*
 * sync.c - events, mutexes and semaphores, named or not. Names live in \BaseNamedObjects
 * ("Global\" and "Local\" prefixes name the same directory: NanoNT has one session). Create* of
 * an existing name opens it and says ERROR_ALREADY_EXISTS (OBJ_OPENIF); a fresh object clears
 * the last error, as Windows does, so callers can tell the two apart.
 */
#include "k32p.h"

#define BASE_OBJECT_DIR u"\\BaseNamedObjects\\"
#define BASE_NAME_CHARS (MAX_PATH + 32)

BOOL BaseFormatObjectAttributes(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING NameString, PWSTR Buffer,
                                ULONG BufferChars, LPSECURITY_ATTRIBUTES Security, LPCWSTR Name)
{
    ULONG attributes = (Security && Security->bInheritHandle) ? OBJ_INHERIT : 0;
    if (Name == NULL) {
        InitializeObjectAttributes(Attributes, NULL, attributes, NULL, NULL);
        return TRUE;
    }
    if (RtlCompareMemory(Name, u"Global\\", 14) == 14) Name += 7;
    else if (RtlCompareMemory(Name, u"Local\\", 12) == 12) Name += 6;
    SIZE_T prefix = sizeof(BASE_OBJECT_DIR) / sizeof(WCHAR) - 1, len = BaseWideLength(Name);
    if (prefix + len + 1 > BufferChars) { SetLastError(ERROR_FILENAME_EXCED_RANGE); return FALSE; }
    RtlCopyMemory(Buffer, BASE_OBJECT_DIR, prefix * sizeof(WCHAR));
    RtlCopyMemory(Buffer + prefix, Name, (len + 1) * sizeof(WCHAR));
    RtlInitUnicodeString(NameString, Buffer);
    InitializeObjectAttributes(Attributes, NameString, attributes | OBJ_OPENIF, NULL, NULL);
    return TRUE;
}

/* The common ending of Create*: the handle, with the last error saying new or existing. */
static HANDLE BaseCreateResult(NTSTATUS Status, HANDLE Handle)
{
    if (!NT_SUCCESS(Status)) { BaseSetLastNtError(Status); return NULL; }
    SetLastError(Status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return Handle;
}

typedef NTSTATUS (NTAPI *BASE_OPEN_ROUTINE)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);

static HANDLE BaseOpenNamed(BASE_OPEN_ROUTINE Open, DWORD Access, BOOL Inherit, LPCWSTR Name)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, Inherit };
    HANDLE handle = NULL;
    if (Name == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, &sa, Name)) return NULL;
    oa.Attributes &= ~OBJ_OPENIF;
    NTSTATUS status = Open(&handle, Access, &oa);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return handle;
}

/* Runs a W function on the UTF-16 form of an ANSI name. */
#define BASE_WITH_WIDE_NAME(Name, Call)                                    \
    do {                                                                   \
        UNICODE_STRING wide_;                                              \
        if (!BaseAnsiToUnicode((Name), &wide_)) return NULL;               \
        LPCWSTR wname = wide_.Buffer;                                      \
        HANDLE result_ = (Call);                                           \
        DWORD error_ = GetLastError();                                     \
        RtlFreeUnicodeString(&wide_);                                      \
        SetLastError(error_);                                              \
        return result_;                                                    \
    } while (0)

/* ---- Events ---- */

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset, BOOL bInitialState,
                           LPCWSTR lpName)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE handle = NULL;
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, lpEventAttributes, lpName)) return NULL;
    NTSTATUS status = NtCreateEvent(&handle, EVENT_ALL_ACCESS, &oa,
                                    bManualReset ? NotificationEvent : SynchronizationEvent,
                                    (BOOLEAN)(bInitialState != 0));
    return BaseCreateResult(status, handle);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset, BOOL bInitialState,
                           LPCSTR lpName)
{
    BASE_WITH_WIDE_NAME(lpName, CreateEventW(lpEventAttributes, bManualReset, bInitialState, wname));
}

HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return BaseOpenNamed(NtOpenEvent, dwDesiredAccess, bInheritHandle, lpName);
}

HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    BASE_WITH_WIDE_NAME(lpName, OpenEventW(dwDesiredAccess, bInheritHandle, wname));
}

static BOOL BaseStatusToBool(NTSTATUS Status)
{
    return BaseNtSuccess(Status);
}

BOOL WINAPI SetEvent(HANDLE hEvent) { return BaseStatusToBool(NtSetEvent(hEvent, NULL)); }
BOOL WINAPI ResetEvent(HANDLE hEvent) { return BaseStatusToBool(NtClearEvent(hEvent)); }
BOOL WINAPI PulseEvent(HANDLE hEvent) { return BaseStatusToBool(NtPulseEvent(hEvent, NULL)); }

/* ---- Mutexes (NT mutants) ---- */

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCWSTR lpName)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE handle = NULL;
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, lpMutexAttributes, lpName)) return NULL;
    NTSTATUS status = NtCreateMutant(&handle, MUTANT_ALL_ACCESS, &oa, (BOOLEAN)(bInitialOwner != 0));
    return BaseCreateResult(status, handle);
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCSTR lpName)
{
    BASE_WITH_WIDE_NAME(lpName, CreateMutexW(lpMutexAttributes, bInitialOwner, wname));
}

HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return BaseOpenNamed(NtOpenMutant, dwDesiredAccess, bInheritHandle, lpName);
}

HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    BASE_WITH_WIDE_NAME(lpName, OpenMutexW(dwDesiredAccess, bInheritHandle, wname));
}

BOOL WINAPI ReleaseMutex(HANDLE hMutex) { return BaseStatusToBool(NtReleaseMutant(hMutex, NULL)); }

/* ---- Semaphores ---- */

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount, LONG lMaximumCount,
                               LPCWSTR lpName)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE handle = NULL;
    if (lMaximumCount <= 0 || lInitialCount < 0 || lInitialCount > lMaximumCount) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, lpSemaphoreAttributes, lpName)) return NULL;
    NTSTATUS status = NtCreateSemaphore(&handle, SEMAPHORE_ALL_ACCESS, &oa, lInitialCount, lMaximumCount);
    return BaseCreateResult(status, handle);
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount, LONG lMaximumCount,
                               LPCSTR lpName)
{
    BASE_WITH_WIDE_NAME(lpName, CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount, wname));
}

HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return BaseOpenNamed(NtOpenSemaphore, dwDesiredAccess, bInheritHandle, lpName);
}

HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    BASE_WITH_WIDE_NAME(lpName, OpenSemaphoreW(dwDesiredAccess, bInheritHandle, wname));
}

BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
{
    return BaseStatusToBool(NtReleaseSemaphore(hSemaphore, lReleaseCount, lpPreviousCount));
}
