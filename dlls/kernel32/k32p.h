/*
 * k32p.h - kernel32's private header: every kernel32 source includes it first. It turns the
 * declarations of win32.h into exports (KERNEL32_BUILD) and declares the helpers the files share:
 * NTSTATUS -> last error, timeouts, ANSI <-> Unicode conversion of caller strings, the console
 * handle convention and the process-start state DllMain sets up.
 */
#ifndef K32P_H
#define K32P_H

#define KERNEL32_BUILD
#include "win32.h"

/* ---- Errors (misc.c) ---- */
/* Sets the thread's last error from Status (RtlNtStatusToDosError) and returns that error. */
DWORD BaseSetLastNtError(NTSTATUS Status);
/* A Win32 BOOL from an NTSTATUS: TRUE on success, else FALSE with the last error set from it. */
BOOL BaseNtSuccess(NTSTATUS Status);

/* ---- Waits (wait.c) ---- */
/* A relative NT timeout for Milliseconds; NULL (wait forever) for INFINITE. */
PLARGE_INTEGER BaseFormatTimeOut(PLARGE_INTEGER Timeout, DWORD Milliseconds);

/* ---- Strings (strconv.c) ---- */
/* A heap-allocated UTF-16 copy of an ANSI (code page 1252) string: FALSE (last error set) when
 * out of memory or the string is too long. Free with RtlFreeUnicodeString. A NULL Source gives an
 * empty string with a NULL Buffer. */
BOOL BaseAnsiToUnicode(LPCSTR Source, PUNICODE_STRING Dest);
/* Converts a UTF-16 string of Chars characters to ANSI in Buffer (Size bytes); returns the chars
 * written without the NUL, which is added when it fits. */
DWORD BaseUnicodeToAnsiN(LPCWSTR Source, DWORD Chars, LPSTR Buffer, DWORD Size);
/* For the A functions that return a string in a caller's buffer: converts the first Chars
 * characters of Wide to ANSI into Buffer of Size chars, the Win32 way: if it fits (with a NUL)
 * the length without the NUL, else the size needed including the NUL. */
DWORD BaseCopyWideResultToAnsi(LPCWSTR Wide, DWORD Chars, LPSTR Buffer, DWORD Size);
SIZE_T BaseWideLength(LPCWSTR s);

/* ---- Paths (path.c) ---- */
/* The NT path of a DOS name, allocated (RtlFreeUnicodeString). FALSE with the last error set
 * (ERROR_PATH_NOT_FOUND for a bad name, as CreateFile reports). */
BOOL BaseDosToNtPath(LPCWSTR DosName, PUNICODE_STRING NtName);

/* ---- Named objects (sync.c) ---- */
/* Object attributes for a Win32 object name under \BaseNamedObjects (NULL Name: unnamed).
 * Buffer must hold the full name; returns FALSE with ERROR_FILENAME_EXCED_RANGE if too long. */
BOOL BaseFormatObjectAttributes(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING NameString, PWSTR Buffer,
                                ULONG BufferChars, LPSECURITY_ATTRIBUTES Security, LPCWSTR Name);

/* ---- Consoles (console.c) ---- */
/* Console handles are not NT handles: like Windows, they are small values with the low two bits
 * set (3, 7, 11, ...) that consrv interprets. */
#define BaseIsConsoleHandle(h) ((((ULONG_PTR)(h)) & 3) == 3 && (ULONG_PTR)(h) != (ULONG_PTR)-1)
BOOL BaseConsoleWrite(HANDLE Console, LPCVOID Buffer, DWORD Bytes, BOOL Unicode, LPDWORD Written);
BOOL BaseConsoleRead(HANDLE Console, LPVOID Buffer, DWORD Chars, BOOL Unicode, LPDWORD Read);
BOOL BaseConsoleClose(HANDLE Console);
HANDLE BaseConsoleOpen(LPCWSTR Name, DWORD Access, BOOL Inherit);
BOOL BaseConsoleDuplicate(HANDLE Console, LPHANDLE Target, DWORD Access, BOOL Inherit, DWORD Options);
/* ConsoleHandle values in the process parameters besides a console id. */
#define BASE_CONSOLE_DETACHED ((HANDLE)(LONG_PTR)-1)   /* DETACHED_PROCESS: no console */
#define BASE_CONSOLE_IGNORE_CTRL_C 0x00000001u         /* RTL_USER_PROCESS_PARAMETERS.ConsoleFlags */
#define BASE_CONSOLE_NEW      ((HANDLE)(LONG_PTR)-2)   /* CREATE_NEW_CONSOLE: a fresh one */
/* Process start: attach to the parent's console or allocate one; FALSE if csrss refuses. */
BOOL BaseConsoleInitialize(PRTL_USER_PROCESS_PARAMETERS Params, BOOL IsConsoleApp);

/* ---- Process start (dllmain.c) ---- */
extern HMODULE BaseDllHandle;
extern BOOL BaseRunningInServer;
/* Returns the process parameters (normalized). */
#define BaseParams() ((PRTL_USER_PROCESS_PARAMETERS)NtCurrentPeb()->ProcessParameters)

/* ---- csrss (csr.c) ---- */
/* TRUE when the base server connection exists (csrss was there at start). */
extern BOOL BaseCsrConnected;
/* A request that went pending on File without OVERLAPPED: waits for Event (or the file) and gives
 * the final status from Iosb; any other Status as it is (fileio.c). */
NTSTATUS BaseFinishIo(NTSTATUS Status, HANDLE File, HANDLE Event, PIO_STATUS_BLOCK Iosb);
/* One consrv API call (console.c): STATUS_INVALID_HANDLE when the process has no csrss link. */
struct _CSR_API_MESSAGE;
struct _CSR_CAPTURE_BUFFER;
NTSTATUS BaseConsoleCall(struct _CSR_API_MESSAGE *Message, struct _CSR_CAPTURE_BUFFER *Capture, ULONG Api, ULONG Size);
VOID BaseCsrNotifyProcessCreated(HANDLE Process, HANDLE Thread, DWORD ProcessId, DWORD ThreadId, DWORD Flags);
VOID BaseCsrNotifyExitProcess(UINT ExitCode);
VOID BaseCsrNotifyThreadCreated(HANDLE Thread, const CLIENT_ID *ClientId);   /* CreateThread */

/* ---- Process-start steps DllMain runs, in this order ---- */
VOID BaseInitializeTls(VOID);            /* tls.c: PEB.TlsBitmap */
VOID BaseInitializeEnvironment(VOID);    /* env.c: the ANSI command line */
VOID BaseInitializeCtrl(VOID);           /* ctrl.c: the handler list's lock */
DWORD WINAPI BaseCtrlRoutine(LPVOID Parameter);   /* ctrl.c: where consrv's Ctrl+C threads start */
BOOL BaseCsrConnect(VOID);               /* csr.c: FALSE if csrss is not there */

#endif
