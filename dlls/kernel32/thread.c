/*
 * thread.c - threads: CreateThread (RtlCreateUserThread: the start routine is called by ntdll's
 * RtlUserThreadStart, whose stdcall ULONG(PVOID) signature is LPTHREAD_START_ROUTINE's, and its
 * result ends the thread) behind kernel32's outermost exception frame, ExitThread, TerminateThread, exit codes, ids, suspend/resume,
 * priorities (accepted and kept at normal: NanoNT's scheduler has one user priority) and
 * QueueUserAPC.
 */
#include "k32p.h"

/* Makes a fresh handle inheritable when the caller's SECURITY_ATTRIBUTES say so. */
static VOID BaseApplyInherit(HANDLE Handle, LPSECURITY_ATTRIBUTES Security)
{
    if (Security == NULL || !Security->bInheritHandle) return;
    OBJECT_HANDLE_FLAG_INFORMATION info = { TRUE, FALSE };
    NtSetInformationObject(Handle, ObjectHandleFlagInformation, &info, sizeof(info));
}

/* What a new thread must call, handed over through the heap. */
typedef struct _BASE_THREAD_START {
    LPTHREAD_START_ROUTINE Start;
    LPVOID Parameter;
} BASE_THREAD_START, *PBASE_THREAD_START;

/* The outermost frame of every CreateThread thread: an exception no frame of the program took
 * goes to UnhandledExceptionFilter (and so to SetUnhandledExceptionFilter's filter), and if that
 * says "handle it", the process ends with the exception code, as Windows' thread start does. */
static EXCEPTION_DISPOSITION __cdecl BaseThreadFrameHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                           PVOID Dispatcher)
{
    if (Record->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    EXCEPTION_POINTERS pointers = { Record, Context };
    LONG verdict = UnhandledExceptionFilter(&pointers);
    if (verdict == EXCEPTION_CONTINUE_EXECUTION) return ExceptionContinueExecution;
    if (verdict == EXCEPTION_CONTINUE_SEARCH) return ExceptionContinueSearch;
    ExitProcess((UINT)Record->ExceptionCode);
}

static DWORD WINAPI BaseThreadStartup(LPVOID Block)
{
    BASE_THREAD_START start = *(PBASE_THREAD_START)Block;
    RtlFreeHeap(RtlProcessHeap(), 0, Block);
    EXCEPTION_REGISTRATION_RECORD frame = { RtlpGetExceptionList(), BaseThreadFrameHandler };
    RtlpSetExceptionList(&frame);
    DWORD result = start.Start(start.Parameter);
    RtlpSetExceptionList(frame.Next);
    return result;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter, DWORD dwCreationFlags,
                           LPDWORD lpThreadId)
{
    if (lpStartAddress == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    if (dwCreationFlags & ~(CREATE_SUSPENDED | STACK_SIZE_PARAM_IS_A_RESERVATION)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    SIZE_T reserve = 0, commit = 0;
    if (dwCreationFlags & STACK_SIZE_PARAM_IS_A_RESERVATION) reserve = dwStackSize;
    else commit = dwStackSize;
    if (commit > reserve && reserve != 0) reserve = commit;
    if (commit != 0 && reserve == 0 && commit > 256 * 1024) reserve = ROUND_TO_PAGES(commit) + PAGE_SIZE;
    PBASE_THREAD_START block = RtlAllocateHeap(RtlProcessHeap(), 0, sizeof(BASE_THREAD_START));
    if (block == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return NULL; }
    block->Start = lpStartAddress;
    block->Parameter = lpParameter;
    HANDLE thread = NULL;
    CLIENT_ID cid;
    /* Created suspended, announced to csrss, then started: NT's order. */
    NTSTATUS status = RtlCreateUserThread(NtCurrentProcess(), NULL, TRUE, 0, reserve, commit,
                                          (PUSER_THREAD_START_ROUTINE)BaseThreadStartup, block, &thread, &cid);
    if (!NT_SUCCESS(status)) {
        RtlFreeHeap(RtlProcessHeap(), 0, block);
        BaseSetLastNtError(status);
        return NULL;
    }
    BaseCsrNotifyThreadCreated(thread, &cid);
    if (!(dwCreationFlags & CREATE_SUSPENDED)) NtResumeThread(thread, NULL);
    BaseApplyInherit(thread, lpThreadAttributes);
    if (lpThreadId != NULL) *lpThreadId = (DWORD)(ULONG_PTR)cid.UniqueThread;
    return thread;
}

VOID WINAPI ExitThread(DWORD dwExitCode) { RtlExitUserThread((NTSTATUS)dwExitCode); }

BOOL WINAPI TerminateThread(HANDLE hThread, DWORD dwExitCode)
{
    if (hThread == NULL) { SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
    NTSTATUS status = NtTerminateThread(hThread, (NTSTATUS)dwExitCode);
    return BaseNtSuccess(status);
}

static BOOL BaseThreadInfo(HANDLE Thread, THREAD_BASIC_INFORMATION *Info)
{
    NTSTATUS status = NtQueryInformationThread(Thread, ThreadBasicInformation, Info, sizeof(*Info), NULL);
    return BaseNtSuccess(status);
}

BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    THREAD_BASIC_INFORMATION info;
    if (lpExitCode == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseThreadInfo(hThread, &info)) return FALSE;
    *lpExitCode = (DWORD)info.ExitStatus;        /* STATUS_PENDING (259) = STILL_ACTIVE */
    return TRUE;
}

HANDLE WINAPI GetCurrentThread(VOID) { return NtCurrentThread(); }
DWORD WINAPI GetCurrentThreadId(VOID) { return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueThread; }

DWORD WINAPI GetThreadId(HANDLE Thread)
{
    THREAD_BASIC_INFORMATION info;
    if (!BaseThreadInfo(Thread, &info)) return 0;
    return (DWORD)(ULONG_PTR)info.ClientId.UniqueThread;
}

DWORD WINAPI ResumeThread(HANDLE hThread)
{
    ULONG previous = 0;
    NTSTATUS status = NtResumeThread(hThread, &previous);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return (DWORD)-1; }
    return previous;
}

DWORD WINAPI SuspendThread(HANDLE hThread)
{
    ULONG previous = 0;
    NTSTATUS status = NtSuspendThread(hThread, &previous);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return (DWORD)-1; }
    return previous;
}

int WINAPI GetThreadPriority(HANDLE hThread)
{
    THREAD_BASIC_INFORMATION info;
    if (!BaseThreadInfo(hThread, &info)) return THREAD_PRIORITY_ERROR_RETURN;
    return THREAD_PRIORITY_NORMAL;
}

BOOL WINAPI SetThreadPriority(HANDLE hThread, int nPriority)
{
    THREAD_BASIC_INFORMATION info;
    if (nPriority < -15 || nPriority > 15) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    return BaseThreadInfo(hThread, &info);
}

/* The APC runs as NormalRoutine(NormalContext, Argument1, Argument2): a small stdcall
 * trampoline gives the Win32 routine its one ULONG_PTR. */
static VOID NTAPI BaseUserApcTrampoline(PVOID Routine, PVOID Data, PVOID Unused)
{
    ((PAPCFUNC)Routine)((ULONG_PTR)Data);
}

DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData)
{
    if (pfnAPC == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return 0; }
    NTSTATUS status = NtQueueApcThread(hThread, (PVOID)BaseUserApcTrampoline, (PVOID)pfnAPC, (PVOID)dwData, NULL);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return 0; }
    return 1;
}
