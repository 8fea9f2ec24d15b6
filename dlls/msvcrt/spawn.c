/* spawn.c - running other programs from C: the _spawn family (_P_WAIT returns the child's exit
 * code, _P_NOWAIT/_P_NOWAITO its process handle, _P_DETACH runs it without a console, _P_OVERLAY
 * is the _exec family: the caller ends once the child runs), _cwait, system (the command
 * interpreter named by COMSPEC, else cmd.exe, with "/c") and _popen/_pclose (a pipe to the
 * standard output or input of "cmd.exe /c command").
 *
 * As MSVCRT does, the command line is the arguments joined by single spaces, unquoted: an
 * argument with blanks in it must carry its own quotes. A path without an extension is tried as
 * given, then with .exe and .com; the p forms and the shell also look in each directory of PATH
 * and in System32. The child inherits the caller's inheritable handles, and so
 * its standard handles. errno after a failure: ENOENT (no such program), EINVAL (bad mode or
 * arguments), ENOMEM, or what the Win32 error maps to. */
#include "crtp.h"

#define _P_WAIT 0
#define _P_NOWAIT 1
#define _P_OVERLAY 2
#define _P_NOWAITO 3
#define _P_DETACH 4
#define CRT_MAX_ARGS 256

/* argv joined by spaces into a new string, or NULL (errno set). */
static char *JoinArguments(const char *const *Argv)
{
    size_t length = 1;
    for (int i = 0; Argv[i]; i++) {
        if (i == CRT_MAX_ARGS) { errno = E2BIG; return NULL; }
        length += strlen(Argv[i]) + 1;
    }
    if (length > 32767) { errno = E2BIG; return NULL; }
    char *line = malloc(length), *p = line;
    if (!line) { errno = ENOMEM; return NULL; }
    for (int i = 0; Argv[i]; i++) {
        if (i) *p++ = ' ';
        size_t n = strlen(Argv[i]);
        memcpy(p, Argv[i], n);
        p += n;
    }
    *p = 0;
    return line;
}

/* An ANSI environment block from "NAME=value" strings (NULL: the caller's own). */
static char *MakeEnvironment(const char *const *Envp)
{
    size_t length = 2;
    for (int i = 0; Envp[i]; i++) length += strlen(Envp[i]) + 1;
    char *block = malloc(length), *p = block;
    if (!block) { errno = ENOMEM; return NULL; }
    for (int i = 0; Envp[i]; i++) {
        size_t n = strlen(Envp[i]) + 1;
        memcpy(p, Envp[i], n);
        p += n;
    }
    *p++ = 0;
    if (p == block + 1) *p = 0;          /* an empty block still ends with two NULs */
    return block;
}

/* Path as given, or with .exe / .com when it has no extension and does not exist as is. */
static BOOL FindProgram(const char *Path, char *Found, size_t Size)
{
    static const char *const tries[] = { "", ".exe", ".com" };
    const char *base = Path;
    for (const char *p = Path; *p; p++)
        if (*p == '\\' || *p == '/' || *p == ':') base = p + 1;
    BOOL hasExtension = strchr(base, '.') != NULL;
    for (int i = 0; i < (hasExtension ? 1 : 3); i++) {
        if (strlen(Path) + strlen(tries[i]) >= Size) return FALSE;
        strcpy(Found, Path);
        strcat(Found, tries[i]);
        DWORD attributes = GetFileAttributesA(Found);
        if (attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY)) return TRUE;
    }
    return FALSE;
}

/* The p forms: File as given, else in each directory of PATH, then in System32. */
static BOOL SearchProgram(const char *File, char *Found, size_t Size)
{
    char dirs[2048], path[MAX_PATH];
    if (FindProgram(File, Found, Size)) return TRUE;
    if (strchr(File, '\\') || strchr(File, '/') || strchr(File, ':')) return FALSE;
    DWORD n = GetEnvironmentVariableA("PATH", dirs, sizeof(dirs) - MAX_PATH);
    if (n >= sizeof(dirs) - MAX_PATH) n = 0;
    dirs[n] = 0;
    if (n) dirs[n++] = ';';
    n += GetSystemDirectoryA(dirs + n, MAX_PATH);
    dirs[n] = 0;
    for (char *dir = dirs, *end; *dir; dir = *end ? end + 1 : end) {
        end = strchr(dir, ';');
        if (!end) end = dir + strlen(dir);
        size_t length = (size_t)(end - dir);
        if (length == 0 || length + strlen(File) + 2 > sizeof(path)) continue;
        memcpy(path, dir, length);
        path[length] = '\\';
        strcpy(path + length + 1, File);
        if (FindProgram(path, Found, Size)) return TRUE;
    }
    return FALSE;
}

/* Starts the program; Search: look for it along PATH (the p forms). */
static intptr_t Spawn(int Mode, const char *Path, const char *const *Argv, const char *const *Envp,
                      BOOL Search, const STARTUPINFOA *Startup)
{
    char program[MAX_PATH];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    if (!Path || !*Path || !Argv || Mode < _P_WAIT || Mode > _P_DETACH) { errno = EINVAL; return -1; }
    BOOL found = Search ? SearchProgram(Path, program, sizeof(program)) : FindProgram(Path, program, sizeof(program));
    if (!found) { errno = ENOENT; return -1; }
    char *line = JoinArguments(Argv[0] ? Argv : (const char *const[]){ Path, NULL });
    char *environment = Envp ? MakeEnvironment(Envp) : NULL;
    if (!line || (Envp && !environment)) { free(line); return -1; }
    if (Startup) si = *Startup;
    else { memset(&si, 0, sizeof(si)); si.cb = sizeof(si); }
    BOOL ok = CreateProcessA(program, line, NULL, NULL, TRUE,
                             Mode == _P_DETACH ? DETACHED_PROCESS : 0, environment, NULL, &si, &pi);
    DWORD error = GetLastError();
    free(line);
    free(environment);
    if (!ok) {
        CrtSetErrnoFromWin32(error);
        return -1;
    }
    CloseHandle(pi.hThread);
    if (Mode == _P_OVERLAY) _exit(0);
    if (Mode == _P_DETACH) { CloseHandle(pi.hProcess); return 0; }
    if (Mode != _P_WAIT) return (intptr_t)pi.hProcess;
    DWORD code = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    return (intptr_t)code;
}

CRTAPI intptr_t _spawnv(int Mode, const char *Path, const char *const *Argv)
{
    return Spawn(Mode, Path, Argv, NULL, FALSE, NULL);
}

CRTAPI intptr_t _spawnve(int Mode, const char *Path, const char *const *Argv, const char *const *Envp)
{
    return Spawn(Mode, Path, Argv, Envp, FALSE, NULL);
}

CRTAPI intptr_t _spawnvp(int Mode, const char *File, const char *const *Argv)
{
    return Spawn(Mode, File, Argv, NULL, TRUE, NULL);
}

CRTAPI intptr_t _spawnvpe(int Mode, const char *File, const char *const *Argv, const char *const *Envp)
{
    return Spawn(Mode, File, Argv, Envp, TRUE, NULL);
}

/* The l forms: Arg0 and the arguments after it up to a NULL, as an argv. */
static intptr_t SpawnList(int Mode, const char *Path, BOOL Search, const char *Arg0, va_list Args)
{
    const char *argv[CRT_MAX_ARGS + 1];
    int n = 0;
    for (const char *a = Arg0; a != NULL; a = va_arg(Args, const char *)) {
        if (n == CRT_MAX_ARGS) { errno = E2BIG; return -1; }
        argv[n++] = a;
    }
    argv[n] = NULL;
    return Spawn(Mode, Path, argv, NULL, Search, NULL);
}

CRTAPI intptr_t _spawnl(int Mode, const char *Path, const char *Arg0, ...)
{
    va_list args;
    va_start(args, Arg0);
    intptr_t r = SpawnList(Mode, Path, FALSE, Arg0, args);
    va_end(args);
    return r;
}

CRTAPI intptr_t _spawnlp(int Mode, const char *File, const char *Arg0, ...)
{
    va_list args;
    va_start(args, Arg0);
    intptr_t r = SpawnList(Mode, File, TRUE, Arg0, args);
    va_end(args);
    return r;
}

CRTAPI intptr_t _execv(const char *Path, const char *const *Argv) { return _spawnv(_P_OVERLAY, Path, Argv); }
CRTAPI intptr_t _execvp(const char *File, const char *const *Argv) { return _spawnvp(_P_OVERLAY, File, Argv); }
CRTAPI intptr_t _execve(const char *Path, const char *const *Argv, const char *const *Envp)
{
    return _spawnve(_P_OVERLAY, Path, Argv, Envp);
}

/* Waits for a process _spawn started with _P_NOWAIT: its exit code in *Status; the handle is
 * closed (as MSVCRT does). */
CRTAPI intptr_t _cwait(int *Status, intptr_t Process, int Action)
{
    HANDLE h = (HANDLE)Process;
    DWORD code = 0;
    if (WaitForSingleObject(h, INFINITE) != WAIT_OBJECT_0 || !GetExitCodeProcess(h, &code)) {
        errno = ECHILD;
        return -1;
    }
    if (Status) *Status = (int)code;
    CloseHandle(h);
    return Process;
}

/* "<shell> /c <command>" as an argv, the shell from COMSPEC or cmd.exe. */
static const char *Shell(char *Buffer, DWORD Size)
{
    DWORD n = GetEnvironmentVariableA("COMSPEC", Buffer, Size);
    return n && n < Size ? Buffer : "cmd.exe";
}

CRTAPI int system(const char *Command)
{
    char shell[MAX_PATH];
    const char *program = Shell(shell, sizeof(shell));
    if (!Command) {
        /* Nonzero if there is a command interpreter to run: COMSPEC's, or cmd.exe on the path. */
        char found[MAX_PATH];
        return SearchProgram(program, found, sizeof(found));
    }
    const char *argv[] = { program, "/c", Command, NULL };
    return (int)Spawn(_P_WAIT, program, argv, NULL, TRUE, NULL);
}

/* ---- _popen ---- */

#define CRT_MAX_PIPES 16
static struct { FILE *Stream; HANDLE Process; } Pipes[CRT_MAX_PIPES];

CRTAPI FILE *_popen(const char *Command, const char *Mode)
{
    char shell[MAX_PATH];
    BOOL reading = Mode && Mode[0] == 'r', writing = Mode && Mode[0] == 'w';
    if (!Command || (!reading && !writing)) { errno = EINVAL; return NULL; }
    int slot = 0;
    while (slot < CRT_MAX_PIPES && Pipes[slot].Stream) slot++;
    if (slot == CRT_MAX_PIPES) { errno = EMFILE; return NULL; }
    /* The child's end is inheritable, ours is not. */
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE readEnd, writeEnd;
    if (!CreatePipe(&readEnd, &writeEnd, &sa, 0)) { CrtSetErrnoFromWin32(GetLastError()); return NULL; }
    HANDLE ours = reading ? readEnd : writeEnd, theirs = reading ? writeEnd : readEnd;
    SetHandleInformation(ours, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = reading ? GetStdHandle(STD_INPUT_HANDLE) : theirs;
    si.hStdOutput = reading ? theirs : GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    const char *program = Shell(shell, sizeof(shell));
    const char *argv[] = { program, "/c", Command, NULL };
    intptr_t process = Spawn(_P_NOWAIT, program, argv, NULL, TRUE, &si);
    CloseHandle(theirs);                 /* the child has its copy: the end comes when it exits */
    int fd = process == -1 ? -1 : _open_osfhandle((intptr_t)ours, reading ? _O_RDONLY : _O_WRONLY);
    FILE *f = fd == -1 ? NULL : _fdopen(fd, Mode);
    if (!f) {
        if (fd != -1) _close(fd);
        else CloseHandle(ours);
        if (process != -1) CloseHandle((HANDLE)process);
        return NULL;
    }
    Pipes[slot].Stream = f;
    Pipes[slot].Process = (HANDLE)process;
    return f;
}

/* Closes the stream and waits for the command: its exit code. */
CRTAPI int _pclose(FILE *Stream)
{
    int slot = 0;
    while (slot < CRT_MAX_PIPES && (Stream == NULL || Pipes[slot].Stream != Stream)) slot++;
    if (slot == CRT_MAX_PIPES) { errno = EINVAL; return -1; }
    HANDLE process = Pipes[slot].Process;
    Pipes[slot].Stream = NULL;
    fclose(Stream);
    int status = -1;
    _cwait(&status, (intptr_t)process, 0);
    return status;
}
