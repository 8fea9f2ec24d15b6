/*
 * except.c - Win32 exceptions: RaiseException (RtlRaiseException with the caller's code and
 * arguments), the top-level filter (SetUnhandledExceptionFilter stores it; UnhandledExceptionFilter
 * calls it, else reports the exception on the debug log and lets the process die), and the
 * vectored handler exports (ntdll's).
 */
#include "k32p.h"

static LPTOP_LEVEL_EXCEPTION_FILTER BaseTopLevelFilter;

LPTOP_LEVEL_EXCEPTION_FILTER WINAPI SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER lpFilter)
{
    return __atomic_exchange_n(&BaseTopLevelFilter, lpFilter, __ATOMIC_SEQ_CST);
}

LONG WINAPI UnhandledExceptionFilter(PEXCEPTION_POINTERS ExceptionInfo)
{
    LPTOP_LEVEL_EXCEPTION_FILTER filter = BaseTopLevelFilter;
    if (filter != NULL) {
        LONG verdict = filter(ExceptionInfo);
        if (verdict != EXCEPTION_CONTINUE_SEARCH) return verdict;
    }
    if (ExceptionInfo && ExceptionInfo->ExceptionRecord)
        DbgPrint("kernel32: unhandled exception 0x%08lx at %p\n",
                 (unsigned long)ExceptionInfo->ExceptionRecord->ExceptionCode,
                 ExceptionInfo->ExceptionRecord->ExceptionAddress);
    /* Nobody took it: the caller's handler runs, which ends the process with the code. */
    return EXCEPTION_EXECUTE_HANDLER;
}

VOID WINAPI RaiseException(DWORD dwExceptionCode, DWORD dwExceptionFlags, DWORD nNumberOfArguments,
                           const ULONG_PTR *lpArguments)
{
    EXCEPTION_RECORD record;
    RtlZeroMemory(&record, sizeof(record));
    record.ExceptionCode = (NTSTATUS)dwExceptionCode;
    record.ExceptionFlags = dwExceptionFlags & EXCEPTION_NONCONTINUABLE;
    record.ExceptionAddress = (PVOID)RaiseException;
    if (lpArguments != NULL) {
        if (nNumberOfArguments > EXCEPTION_MAXIMUM_PARAMETERS) nNumberOfArguments = EXCEPTION_MAXIMUM_PARAMETERS;
        record.NumberParameters = nNumberOfArguments;
        for (DWORD i = 0; i < nNumberOfArguments; i++) record.ExceptionInformation[i] = lpArguments[i];
    }
    RtlRaiseException(&record);
}

PVOID WINAPI AddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler)
{
    return RtlAddVectoredExceptionHandler(First, Handler);
}

ULONG WINAPI RemoveVectoredExceptionHandler(PVOID Handle) { return RtlRemoveVectoredExceptionHandler(Handle); }
