/*
 * cmd.c - the command interpreter, NanoNT's cmd.exe: a prompt ("C:\Tests>"), built-in commands
 * (dir, type, copy, del, ren, md, rd, cd, echo, set, cls, ver, exit, if errorlevel), programs run
 * with arguments and waited for, "> file" and ">> file" redirection of a command's output, and
 * %VARIABLE% expansion including %ERRORLEVEL% (the last program's exit code or the last built-in's
 * status). "cmd /c <command>" runs one command and exits with its errorlevel. Ctrl+C ends the
 * program that runs (it gets the console's Ctrl+C too) and drops the line being typed; the shell
 * itself stays.
 *
 * An ordinary Win32 console program: MinGW's <windows.h> and C runtime, built as any user would
 * build it, so everything it does goes through kernel32, msvcrt and the console in csrss.
 */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_CHARS 1024

static HANDLE Out;                  /* where built-ins write: the console, or a redirection */
static int ErrorLevel;
static BOOL Exiting;

static void Print(const char *Format, ...)
{
    char buffer[2048];
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(buffer, sizeof(buffer), Format, args);
    va_end(args);
    if (n < 0) return;
    if (n >= (int)sizeof(buffer)) n = sizeof(buffer) - 1;
    DWORD written;
    WriteFile(Out, buffer, (DWORD)n, &written, NULL);
}

/* "The system cannot find the file specified." and the like, for the last error. */
static void PrintError(const char *What)
{
    char message[256];
    DWORD error = GetLastError();
    if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0, message,
                        sizeof(message), NULL))
        snprintf(message, sizeof(message), "Error %lu.\r\n", error);
    Print("%s%s%s", What ? What : "", What ? ": " : "", message);
    ErrorLevel = 1;
}

/* ---- Parsing ---------------------------------------------------------------------------------- */

/* Replaces %NAME% with the variable's value (%ERRORLEVEL% with the current errorlevel). */
static void Expand(const char *In, char *Out_, size_t Size)
{
    size_t n = 0;
    while (*In && n + 1 < Size) {
        const char *end = *In == '%' ? strchr(In + 1, '%') : NULL;
        if (end && end > In + 1) {
            char name[128], value[LINE_MAX_CHARS];
            size_t len = (size_t)(end - In - 1) < sizeof(name) - 1 ? (size_t)(end - In - 1) : sizeof(name) - 1;
            memcpy(name, In + 1, len);
            name[len] = 0;
            if (_stricmp(name, "ERRORLEVEL") == 0) snprintf(value, sizeof(value), "%d", ErrorLevel);
            else if (!GetEnvironmentVariableA(name, value, sizeof(value))) value[0] = 0;
            for (const char *v = value; *v && n + 1 < Size; v++) Out_[n++] = *v;
            In = end + 1;
        } else {
            Out_[n++] = *In++;
        }
    }
    Out_[n] = 0;
}

/* Splits off "> file" / ">> file": returns the output handle (or the console's), or NULL. */
static HANDLE Redirection(char *Line, BOOL *Redirected)
{
    char *gt = strchr(Line, '>');
    *Redirected = FALSE;
    if (gt == NULL) return GetStdHandle(STD_OUTPUT_HANDLE);
    BOOL append = gt[1] == '>';
    char *name = gt + (append ? 2 : 1);
    *gt = 0;
    while (*name == ' ') name++;
    char *end = name + strlen(name);
    while (end > name && end[-1] == ' ') *--end = 0;
    if (*name == 0) {
        Print("The syntax of the command is incorrect.\r\n");
        return NULL;
    }
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };      /* inherited by a program we run */
    HANDLE h = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ, &sa, append ? OPEN_ALWAYS : CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        PrintError(name);
        return NULL;
    }
    if (append) SetFilePointer(h, 0, NULL, FILE_END);
    *Redirected = TRUE;
    return h;
}

/* The first word (the command) and the rest (its arguments, leading blanks skipped). */
static char *SplitCommand(char *Line, char **Rest)
{
    while (*Line == ' ' || *Line == '\t') Line++;
    char *p = Line;
    if (*p == '"') {
        Line = ++p;
        while (*p && *p != '"') p++;
    } else {
        while (*p && *p != ' ' && *p != '\t') p++;
    }
    if (*p) *p++ = 0;
    while (*p == ' ' || *p == '\t') p++;
    char *end = p + strlen(p);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')) *--end = 0;
    *Rest = p;
    return Line;
}

/* ---- Built-in commands ------------------------------------------------------------------------ */

static void CmdDir(char *Args)
{
    char pattern[MAX_PATH], directory[MAX_PATH];
    WIN32_FIND_DATAA fd;
    DWORD attributes = *Args ? GetFileAttributesA(Args) : FILE_ATTRIBUTE_DIRECTORY;
    if (*Args == 0) snprintf(pattern, sizeof(pattern), "*");
    else if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY))
        snprintf(pattern, sizeof(pattern), "%s\\*", Args);
    else snprintf(pattern, sizeof(pattern), "%s", Args);
    GetFullPathNameA(*Args ? Args : ".", sizeof(directory), directory, NULL);
    HANDLE find = FindFirstFileA(pattern, &fd);
    Print(" Directory of %s\r\n\r\n", directory);
    if (find == INVALID_HANDLE_VALUE) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND) Print("File Not Found\r\n");
        else PrintError(NULL);
        ErrorLevel = 1;
        return;
    }
    unsigned files = 0, dirs = 0;
    unsigned long long bytes = 0;
    do {
        SYSTEMTIME st;
        FileTimeToSystemTime(&fd.ftLastWriteTime, &st);
        BOOL dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        unsigned long long size = ((unsigned long long)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
        char sizeText[24] = "";
        if (!dir) snprintf(sizeText, sizeof(sizeText), "%llu", size);
        Print("%04u-%02u-%02u  %02u:%02u    %-5s %12s %s\r\n", st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute,
              dir ? "<DIR>" : "", sizeText, fd.cFileName);
        if (dir) dirs++;
        else { files++; bytes += size; }
    } while (FindNextFileA(find, &fd));
    FindClose(find);
    Print("%16u File(s) %14llu bytes\r\n%16u Dir(s)\r\n", files, bytes, dirs);
    ErrorLevel = 0;
}

static void CmdType(char *Args)
{
    HANDLE h = CreateFileA(Args, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        PrintError(Args);
        return;
    }
    char buffer[1024];
    DWORD got, written;
    while (ReadFile(h, buffer, sizeof(buffer), &got, NULL) && got) WriteFile(Out, buffer, got, &written, NULL);
    CloseHandle(h);
    ErrorLevel = 0;
}

/* Two arguments (for copy and ren); FALSE after a syntax message if there are not two. */
static BOOL TwoArgs(char *Args, char **First, char **Second)
{
    *First = SplitCommand(Args, Second);
    if (**First && **Second) return TRUE;
    Print("The syntax of the command is incorrect.\r\n");
    ErrorLevel = 1;
    return FALSE;
}

static void CmdCopy(char *Args)
{
    char *from, *to;
    if (!TwoArgs(Args, &from, &to)) return;
    if (!CopyFileA(from, to, FALSE)) PrintError(NULL);
    else { Print("        1 file(s) copied.\r\n"); ErrorLevel = 0; }
}

/* ren keeps the file where it is: the new name is in the source's directory. */
static void CmdRen(char *Args)
{
    char *from, *to, target[MAX_PATH];
    if (!TwoArgs(Args, &from, &to)) return;
    const char *slash = strrchr(from, '\\');
    if (strchr(to, '\\') || slash == NULL) snprintf(target, sizeof(target), "%s", to);
    else snprintf(target, sizeof(target), "%.*s%s", (int)(slash + 1 - from), from, to);
    if (!MoveFileA(from, target)) PrintError(NULL);
    else ErrorLevel = 0;
}

static void CmdSimple(BOOL (WINAPI *Op)(LPCSTR), char *Args)
{
    if (*Args == 0) { Print("The syntax of the command is incorrect.\r\n"); ErrorLevel = 1; return; }
    if (!Op(Args)) PrintError(Args);
    else ErrorLevel = 0;
}

static BOOL WINAPI MakeDirectory(LPCSTR Path) { return CreateDirectoryA(Path, NULL); }

static void CmdCd(char *Args)
{
    char dir[MAX_PATH];
    if (*Args == 0) {
        GetCurrentDirectoryA(sizeof(dir), dir);
        Print("%s\r\n", dir);
    } else if (!SetCurrentDirectoryA(Args)) {
        DWORD error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
            Print("The system cannot find the path specified.\r\n");     /* cmd's own words */
            ErrorLevel = 1;
        } else {
            PrintError(NULL);
        }
        return;
    }
    ErrorLevel = 0;
}

static void CmdSet(char *Args)
{
    char *eq = strchr(Args, '=');
    if (eq == NULL) {                                  /* list (those starting with Args) */
        char *env = GetEnvironmentStringsA();
        size_t prefix = strlen(Args);
        for (char *p = env; p && *p; p += strlen(p) + 1)
            if (*p != '=' && _strnicmp(p, Args, prefix) == 0) Print("%s\r\n", p);
        FreeEnvironmentStringsA(env);
        ErrorLevel = 0;
        return;
    }
    *eq = 0;
    if (!SetEnvironmentVariableA(Args, eq[1] ? eq + 1 : NULL)) PrintError(NULL);
    else ErrorLevel = 0;
}

/* ---- Programs --------------------------------------------------------------------------------- */

static void RunProgram(char *Command, char *Args)
{
    char line[LINE_MAX_CHARS + MAX_PATH];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    /* The program gets the shell's standard handles (a redirection, or a pipe the shell itself
     * was given, as under _popen), so it inherits handles as cmd.exe does. */
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = Out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(line, sizeof(line), "%s%s%s", Command, *Args ? " " : "", Args);
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND || GetLastError() == ERROR_PATH_NOT_FOUND)
            Print("'%s' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
                  Command);
        else PrintError(Command);
        ErrorLevel = 9009;
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    ErrorLevel = (int)code;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

/* ---- One command line ------------------------------------------------------------------------- */

static void Execute(char *Line);

/* "if [not] errorlevel N command": N or more. */
static void CmdIf(char *Args)
{
    char *rest, *word = SplitCommand(Args, &rest);
    BOOL negate = _stricmp(word, "not") == 0;
    if (negate) word = SplitCommand(rest, &rest);
    if (_stricmp(word, "errorlevel") != 0) {
        Print("The syntax of the command is incorrect.\r\n");
        ErrorLevel = 1;
        return;
    }
    char *number = SplitCommand(rest, &rest);
    BOOL match = ErrorLevel >= atoi(number);
    if (match != negate) Execute(rest);
}

/* cls, as Windows' cmd does it: every cell blank in the current colours, the cursor home. A
 * redirected or piped output just gets a form feed. */
static void ClearScreen(void)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    COORD home = { 0, 0 };
    DWORD n;
    ErrorLevel = 0;
    if (!GetConsoleScreenBufferInfo(Out, &info)) { Print("\f"); return; }
    DWORD cells = (DWORD)info.dwSize.X * (DWORD)info.dwSize.Y;
    FillConsoleOutputCharacterA(Out, ' ', cells, home, &n);
    FillConsoleOutputAttribute(Out, info.wAttributes, cells, home, &n);
    SetConsoleCursorPosition(Out, home);
}

static BOOL Builtin(char *Command, char *Args)
{
    if (_stricmp(Command, "dir") == 0) CmdDir(Args);
    else if (_stricmp(Command, "type") == 0) CmdType(Args);
    else if (_stricmp(Command, "copy") == 0) CmdCopy(Args);
    else if (_stricmp(Command, "del") == 0 || _stricmp(Command, "erase") == 0) CmdSimple(DeleteFileA, Args);
    else if (_stricmp(Command, "ren") == 0 || _stricmp(Command, "rename") == 0) CmdRen(Args);
    else if (_stricmp(Command, "md") == 0 || _stricmp(Command, "mkdir") == 0) CmdSimple(MakeDirectory, Args);
    else if (_stricmp(Command, "rd") == 0 || _stricmp(Command, "rmdir") == 0) CmdSimple(RemoveDirectoryA, Args);
    else if (_stricmp(Command, "cd") == 0 || _stricmp(Command, "chdir") == 0) CmdCd(Args);
    else if (_stricmp(Command, "set") == 0) CmdSet(Args);
    else if (_stricmp(Command, "if") == 0) CmdIf(Args);
    else if (_stricmp(Command, "echo") == 0) { Print("%s\r\n", *Args ? Args : "ECHO is on."); ErrorLevel = 0; }
    else if (_stricmp(Command, "ver") == 0) { Print("\r\nNanoNT [Version 5.1.2600]\r\n"); ErrorLevel = 0; }
    else if (_stricmp(Command, "cls") == 0) ClearScreen();
    else if (_stricmp(Command, "exit") == 0) { Exiting = TRUE; if (*Args) ErrorLevel = atoi(Args); }
    else return FALSE;
    return TRUE;
}

static void Execute(char *Line)
{
    char expanded[LINE_MAX_CHARS];
    size_t length = strlen(Line);
    while (length && (Line[length - 1] == '\n' || Line[length - 1] == '\r')) Line[--length] = 0;
    Expand(Line, expanded, sizeof(expanded));
    BOOL redirected;
    HANDLE out = Redirection(expanded, &redirected);
    if (out == NULL) return;
    char *args, *command = SplitCommand(expanded, &args);
    if (*command == 0) return;
    HANDLE saved = Out;
    Out = out;
    if (!Builtin(command, args)) RunProgram(command, args);
    Out = saved;
    if (redirected) CloseHandle(out);
}

/* Ctrl+C is for the program the shell runs, not for the shell. */
static BOOL WINAPI CtrlHandler(DWORD CtrlType)
{
    return TRUE;
}

int main(int argc, char **argv)
{
    char line[LINE_MAX_CHARS];
    Out = GetStdHandle(STD_OUTPUT_HANDLE);
    SetConsoleCtrlHandler(CtrlHandler, TRUE);
    if (argc >= 3 && (_stricmp(argv[1], "/c") == 0 || _stricmp(argv[1], "/k") == 0)) {
        /* The command is everything after the switch, as typed. */
        char *p = strstr(GetCommandLineA(), argv[1]);
        snprintf(line, sizeof(line), "%s", p ? p + strlen(argv[1]) : argv[2]);
        Execute(line);
        if (_stricmp(argv[1], "/c") == 0) return ErrorLevel;
    }
    Print("\r\nNanoNT command interpreter. Type exit to leave.\r\n");
    while (!Exiting) {
        char dir[MAX_PATH];
        GetCurrentDirectoryA(sizeof(dir), dir);
        Print("\r\n%s>", dir);
        if (fgets(line, sizeof(line), stdin) == NULL) break;
        Execute(line);
    }
    return ErrorLevel;
}
