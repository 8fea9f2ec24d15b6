/*
 * create.c - CreateProcessA/W: find the image (the application name, or the command line's first
 * token, searched for as Windows does), build the child's process parameters (command line,
 * current directory, environment, standard handles, console), create it with
 * RtlCreateUserProcess, tell csrss (basesrv), and start its first thread unless
 * CREATE_SUSPENDED.
 */
#include "k32p.h"

#define BASE_PATH_CHARS (RTL_MAX_DOS_PATH_CHARS + 1)

/* TRUE if Path names an existing file that is not a directory. */
static BOOL BaseIsFile(LPCWSTR Path)
{
    DWORD a = GetFileAttributesW(Path);
    return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

/* Dir + "\" + Name (+ ".exe" when AddExe) into Out; FALSE if too long. */
static BOOL BaseJoin(LPCWSTR Dir, SIZE_T DirLen, LPCWSTR Name, SIZE_T NameLen, BOOL AddExe, LPWSTR Out)
{
    SIZE_T n = 0;
    if (DirLen + NameLen + 6 >= BASE_PATH_CHARS) return FALSE;
    RtlCopyMemory(Out, Dir, DirLen * sizeof(WCHAR));
    n = DirLen;
    if (n && Out[n - 1] != u'\\') Out[n++] = u'\\';
    RtlCopyMemory(Out + n, Name, NameLen * sizeof(WCHAR));
    n += NameLen;
    if (AddExe) { RtlCopyMemory(Out + n, u".exe", 8); n += 4; }
    Out[n] = 0;
    return TRUE;
}

/* Tries Dir\Name(.exe); on success the full path is in Found. */
static BOOL BaseTryDir(LPCWSTR Dir, SIZE_T DirLen, LPCWSTR Name, SIZE_T NameLen, BOOL AddExe, LPWSTR Found)
{
    WCHAR candidate[BASE_PATH_CHARS];
    if (!BaseJoin(Dir, DirLen, Name, NameLen, AddExe, candidate) || !BaseIsFile(candidate)) return FALSE;
    return GetFullPathNameW(candidate, BASE_PATH_CHARS, Found, NULL) != 0;
}

/* The search order of CreateProcess: the EXE's directory, the current directory, System32,
 * the Windows directory, then PATH. A name with a path part is only taken as it is. */
static BOOL BaseSearchImage(LPCWSTR Name, SIZE_T NameLen, LPWSTR Found)
{
    BOOL hasPath = FALSE, hasExt = FALSE;
    for (SIZE_T i = 0; i < NameLen; i++) {
        if (Name[i] == u'\\' || Name[i] == u'/' || Name[i] == u':') { hasPath = TRUE; hasExt = FALSE; }
        else if (Name[i] == u'.') hasExt = TRUE;
    }
    if (hasPath) return BaseTryDir(u"", 0, Name, NameLen, !hasExt, Found);
    WCHAR dir[BASE_PATH_CHARS];
    DWORD len = GetModuleFileNameW(NULL, dir, BASE_PATH_CHARS);
    while (len && dir[len - 1] != u'\\') len--;
    if (len && BaseTryDir(dir, len, Name, NameLen, !hasExt, Found)) return TRUE;
    len = GetCurrentDirectoryW(BASE_PATH_CHARS, dir);
    if (len && len < BASE_PATH_CHARS && BaseTryDir(dir, len, Name, NameLen, !hasExt, Found)) return TRUE;
    if (BaseTryDir(u"C:\\Windows\\System32", 19, Name, NameLen, !hasExt, Found)) return TRUE;
    if (BaseTryDir(u"C:\\Windows", 10, Name, NameLen, !hasExt, Found)) return TRUE;
    WCHAR path[2048];
    DWORD pathLen = GetEnvironmentVariableW(u"PATH", path, ARRAYSIZE(path));
    if (pathLen == 0 || pathLen >= ARRAYSIZE(path)) return FALSE;
    for (LPCWSTR p = path; *p;) {
        LPCWSTR end = p;
        while (*end && *end != u';') end++;
        if (end > p && BaseTryDir(p, (SIZE_T)(end - p), Name, NameLen, !hasExt, Found)) return TRUE;
        p = *end ? end + 1 : end;
    }
    return FALSE;
}

/* The image from the command line: a quoted first token, else the shortest prefix ending at a
 * blank that names a program ("C:\Program Files\x y" tries "C:\Program", then longer). */
static BOOL BaseImageFromCommandLine(LPCWSTR CommandLine, LPWSTR Found)
{
    if (CommandLine[0] == u'"') {
        LPCWSTR end = CommandLine + 1;
        while (*end && *end != u'"') end++;
        return BaseSearchImage(CommandLine + 1, (SIZE_T)(end - CommandLine - 1), Found);
    }
    LPCWSTR p = CommandLine;
    while (*p == u' ' || *p == u'\t') p++;
    LPCWSTR start = p;
    for (;;) {
        while (*p && *p != u' ' && *p != u'\t') p++;
        if (p > start && BaseSearchImage(start, (SIZE_T)(p - start), Found)) return TRUE;
        if (*p == 0) return FALSE;
        while (*p == u' ' || *p == u'\t') p++;
    }
}

/* An ANSI environment block ("A=1\0B=2\0\0") as UTF-16, from the heap. */
static LPWSTR BaseWideEnvironment(LPCSTR Env)
{
    SIZE_T bytes = 0;
    while (Env[bytes] || Env[bytes + 1]) bytes++;
    bytes += 2;
    LPWSTR wide = RtlAllocateHeap(RtlProcessHeap(), 0, bytes * sizeof(WCHAR));
    if (wide == NULL) return NULL;
    ULONG got = 0;
    RtlMultiByteToUnicodeN(wide, (ULONG)(bytes * sizeof(WCHAR)), &got, Env, (ULONG)bytes);
    return wide;
}

/* The child's standard handles and console: the STARTUPINFO's when STARTF_USESTDHANDLES, else
 * ours where the child can use them (console handles, or inherited handles). */
static VOID BaseSetChildConsole(PRTL_USER_PROCESS_PARAMETERS Child, DWORD Flags, BOOL Inherit,
                                const STARTUPINFOW *Startup)
{
    PRTL_USER_PROCESS_PARAMETERS own = BaseParams();
    BOOL ownConsole = !(Flags & (DETACHED_PROCESS | CREATE_NEW_CONSOLE));
    if (Flags & DETACHED_PROCESS) Child->ConsoleHandle = BASE_CONSOLE_DETACHED;
    else if (Flags & CREATE_NEW_CONSOLE) Child->ConsoleHandle = BASE_CONSOLE_NEW;
    else Child->ConsoleHandle = own->ConsoleHandle;
    /* Ignoring Ctrl+C is inherited; a new process group starts out ignoring it. */
    Child->ConsoleFlags = (own->ConsoleFlags & BASE_CONSOLE_IGNORE_CTRL_C) |
                          ((Flags & CREATE_NEW_PROCESS_GROUP) ? BASE_CONSOLE_IGNORE_CTRL_C : 0);
    if (Startup->dwFlags & STARTF_USESTDHANDLES) {
        Child->StandardInput = Startup->hStdInput;
        Child->StandardOutput = Startup->hStdOutput;
        Child->StandardError = Startup->hStdError;
        return;
    }
    if (!ownConsole) return;
    HANDLE *dst[3] = { &Child->StandardInput, &Child->StandardOutput, &Child->StandardError };
    HANDLE src[3] = { own->StandardInput, own->StandardOutput, own->StandardError };
    for (int i = 0; i < 3; i++)
        if (BaseIsConsoleHandle(src[i]) || Inherit) *dst[i] = src[i];
}

static VOID BaseSetChildWindow(PRTL_USER_PROCESS_PARAMETERS Child, const STARTUPINFOW *Startup)
{
    Child->StartingX = Startup->dwX;
    Child->StartingY = Startup->dwY;
    Child->CountX = Startup->dwXSize;
    Child->CountY = Startup->dwYSize;
    Child->CountCharsX = Startup->dwXCountChars;
    Child->CountCharsY = Startup->dwYCountChars;
    Child->FillAttribute = Startup->dwFillAttribute;
    Child->WindowFlags = Startup->dwFlags;
    Child->ShowWindowFlags = Startup->wShowWindow;
}

/* The current directory for the child, with its trailing backslash, checked to exist. */
static BOOL BaseChildDirectory(LPCWSTR Requested, LPWSTR Out)
{
    DWORD len = GetFullPathNameW(Requested, BASE_PATH_CHARS - 1, Out, NULL);
    if (len == 0 || len >= BASE_PATH_CHARS - 1) { SetLastError(ERROR_DIRECTORY); return FALSE; }
    DWORD a = GetFileAttributesW(Out);
    if (a == INVALID_FILE_ATTRIBUTES || !(a & FILE_ATTRIBUTE_DIRECTORY)) { SetLastError(ERROR_DIRECTORY); return FALSE; }
    if (Out[len - 1] != u'\\') { Out[len++] = u'\\'; Out[len] = 0; }
    return TRUE;
}

/* Everything CreateProcessW has found and built, freed in one place. */
typedef struct _BASE_CREATE {
    WCHAR Image[BASE_PATH_CHARS];
    WCHAR Directory[BASE_PATH_CHARS];
    UNICODE_STRING NtImage;
    LPWSTR WideEnvironment;               /* converted from ANSI; NULL if not */
    PVOID RuntimeData;                    /* the padded copy of lpReserved2 */
    PRTL_USER_PROCESS_PARAMETERS Params;
} BASE_CREATE;

static VOID BaseCreateCleanup(BASE_CREATE *c)
{
    if (c->NtImage.Buffer) RtlFreeUnicodeString(&c->NtImage);
    if (c->WideEnvironment) RtlFreeHeap(RtlProcessHeap(), 0, c->WideEnvironment);
    if (c->RuntimeData) RtlFreeHeap(RtlProcessHeap(), 0, c->RuntimeData);
    if (c->Params) RtlDestroyProcessParameters(c->Params);
    RtlFreeHeap(RtlProcessHeap(), 0, c);
}

static BOOL BaseBuildParams(BASE_CREATE *c, LPCWSTR CommandLine, LPVOID Environment, DWORD Flags,
                            LPCWSTR CurrentDirectory, const STARTUPINFOW *Startup, BOOL Inherit)
{
    UNICODE_STRING cmd, dir, title, desktop, *pdir = NULL;
    LPWSTR env = Environment;
    if (Environment && !(Flags & CREATE_UNICODE_ENVIRONMENT)) {
        env = c->WideEnvironment = BaseWideEnvironment(Environment);
        if (env == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    }
    if (CurrentDirectory) {
        if (!BaseChildDirectory(CurrentDirectory, c->Directory)) return FALSE;
        RtlInitUnicodeString(&dir, c->Directory);
        pdir = &dir;
    }
    RtlInitUnicodeString(&cmd, CommandLine);
    RtlInitUnicodeString(&title, Startup->lpTitle ? Startup->lpTitle : c->Image);
    RtlInitUnicodeString(&desktop, Startup->lpDesktop ? Startup->lpDesktop : u"");
    /* cbReserved2/lpReserved2: the C run-time's inherited file table, passed through. The
     * parameter block keeps whole UTF-16 units, so an odd size gets one zero byte of padding. */
    UNICODE_STRING runtime = { 0, 0, NULL };
    if (Startup->cbReserved2 && Startup->lpReserved2) {
        USHORT even = (USHORT)((Startup->cbReserved2 + 1u) & ~1u);
        c->RuntimeData = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, even);
        if (c->RuntimeData == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
        RtlCopyMemory(c->RuntimeData, Startup->lpReserved2, Startup->cbReserved2);
        runtime.Length = runtime.MaximumLength = even;
        runtime.Buffer = (PWSTR)c->RuntimeData;
    }
    NTSTATUS status = RtlCreateProcessParameters(&c->Params, &c->NtImage, NULL, pdir, &cmd, env, &title,
                                                 &desktop, NULL, &runtime);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return FALSE; }
    BaseSetChildConsole(c->Params, Flags, Inherit, Startup);
    BaseSetChildWindow(c->Params, Startup);
    return TRUE;
}

static BOOL BaseStartChild(BASE_CREATE *c, LPSECURITY_ATTRIBUTES ProcessAttributes,
                           LPSECURITY_ATTRIBUTES ThreadAttributes, BOOL Inherit, DWORD Flags,
                           LPPROCESS_INFORMATION Info)
{
    RTL_USER_PROCESS_INFORMATION pi;
    RtlZeroMemory(&pi, sizeof(pi));
    ULONG attributes = (ProcessAttributes && ProcessAttributes->bInheritHandle) ? OBJ_INHERIT : 0;
    NTSTATUS status = RtlCreateUserProcess(&c->NtImage, attributes, c->Params, NULL, NULL, NULL,
                                           (BOOLEAN)(Inherit != 0), NULL, NULL, &pi);
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_OBJECT_NAME_NOT_FOUND) SetLastError(ERROR_FILE_NOT_FOUND);
        else BaseSetLastNtError(status);
        return FALSE;
    }
    if (ThreadAttributes && ThreadAttributes->bInheritHandle) {
        OBJECT_HANDLE_FLAG_INFORMATION flag = { TRUE, FALSE };
        NtSetInformationObject(pi.Thread, ObjectHandleFlagInformation, &flag, sizeof(flag));
    }
    DWORD pid = (DWORD)(ULONG_PTR)pi.ClientId.UniqueProcess, tid = (DWORD)(ULONG_PTR)pi.ClientId.UniqueThread;
    BaseCsrNotifyProcessCreated(pi.Process, pi.Thread, pid, tid, Flags);
    if (!(Flags & CREATE_SUSPENDED)) NtResumeThread(pi.Thread, NULL);
    Info->hProcess = pi.Process;
    Info->hThread = pi.Thread;
    Info->dwProcessId = pid;
    Info->dwThreadId = tid;
    return TRUE;
}

BOOL WINAPI CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine, LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles, DWORD dwCreationFlags,
                           LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory, LPSTARTUPINFOW lpStartupInfo,
                           LPPROCESS_INFORMATION lpProcessInformation)
{
    if (lpStartupInfo == NULL || lpProcessInformation == NULL || (lpApplicationName == NULL && lpCommandLine == NULL) ||
        (dwCreationFlags & (DETACHED_PROCESS | CREATE_NEW_CONSOLE)) == (DETACHED_PROCESS | CREATE_NEW_CONSOLE)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BASE_CREATE *c = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, sizeof(BASE_CREATE));
    if (c == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    BOOL found;
    if (lpApplicationName) {
        /* The application name is taken as given (relative to the current directory), no search. */
        found = BaseIsFile(lpApplicationName) && GetFullPathNameW(lpApplicationName, BASE_PATH_CHARS, c->Image, NULL);
    } else {
        found = BaseImageFromCommandLine(lpCommandLine, c->Image);
    }
    BOOL ok = FALSE;
    if (!found) SetLastError(ERROR_FILE_NOT_FOUND);
    else if (BaseDosToNtPath(c->Image, &c->NtImage) &&
             BaseBuildParams(c, lpCommandLine ? lpCommandLine : lpApplicationName, lpEnvironment, dwCreationFlags,
                             lpCurrentDirectory, lpStartupInfo, bInheritHandles))
        ok = BaseStartChild(c, lpProcessAttributes, lpThreadAttributes, bInheritHandles, dwCreationFlags,
                            lpProcessInformation);
    DWORD error = GetLastError();
    BaseCreateCleanup(c);
    SetLastError(error);
    return ok;
}

BOOL WINAPI CreateProcessA(LPCSTR lpApplicationName, LPSTR lpCommandLine, LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles, DWORD dwCreationFlags,
                           LPVOID lpEnvironment, LPCSTR lpCurrentDirectory, LPSTARTUPINFOA lpStartupInfo,
                           LPPROCESS_INFORMATION lpProcessInformation)
{
    if (lpStartupInfo == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    UNICODE_STRING app, cmd, dir, title, desktop;
    BOOL ok = FALSE;
    STARTUPINFOW si;
    RtlCopyMemory(&si, lpStartupInfo, sizeof(si));     /* same layout; the strings are converted */
    si.lpReserved = NULL;
    if (BaseAnsiToUnicode(lpApplicationName, &app)) {
        if (BaseAnsiToUnicode(lpCommandLine, &cmd)) {
            if (BaseAnsiToUnicode(lpCurrentDirectory, &dir)) {
                if (BaseAnsiToUnicode(lpStartupInfo->lpTitle, &title)) {
                    if (BaseAnsiToUnicode(lpStartupInfo->lpDesktop, &desktop)) {
                        si.lpTitle = title.Buffer;
                        si.lpDesktop = desktop.Buffer;
                        ok = CreateProcessW(app.Buffer, cmd.Buffer, lpProcessAttributes, lpThreadAttributes,
                                            bInheritHandles, dwCreationFlags,
                                            lpEnvironment, dir.Buffer, &si, lpProcessInformation);
                        RtlFreeUnicodeString(&desktop);
                    }
                    RtlFreeUnicodeString(&title);
                }
                RtlFreeUnicodeString(&dir);
            }
            RtlFreeUnicodeString(&cmd);
        }
        RtlFreeUnicodeString(&app);
    }
    return ok;
}
