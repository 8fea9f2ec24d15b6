/* startup.c - the process start-up interface of msvcrt.dll: DllMain, and what the MinGW start-up
 * code of every program calls before main: __getmainargs / __wgetmainargs (the command line cut
 * into argv by the rules of the Microsoft C runtime), __set_app_type, __p__fmode, __p__commode,
 * __p__acmdln, _initterm, and the data they publish (__argc, __argv, _acmdln, _fmode, ...). */
#include "crtp.h"

typedef void (__cdecl *CRT_PVFV)(void);
typedef int (__cdecl *CRT_PIFV)(void);
typedef struct { int newmode; } CRT_STARTUPINFO;

CRTAPI int __argc;
CRTAPI char **__argv;
CRTAPI wchar_t_ **__wargv;
CRTAPI char *_acmdln;
CRTAPI wchar_t_ *_wcmdln;
CRTAPI int _fmode;               /* 0 = text, as _O_TEXT */
CRTAPI int _commode;
CRTAPI int __app_type;
CRTAPI int __mb_cur_max = 1;     /* the C locale: single-byte characters */
CRTAPI unsigned int _osver, _winver, _winmajor, _winminor;
static void *UserMathErr;

/* One argument of the command line starting at *Cursor, copied to Out (when not NULL); returns
 * its length, or -1 at the end of the line. MS rules: blanks separate arguments; "..." groups;
 * 2n backslashes before a quote give n backslashes and the quote toggles grouping; 2n+1 give n
 * and a literal quote; other backslashes are literal; "" inside a group is a literal quote. */
static int NextArgument(const char **Cursor, char *Out)
{
    const char *p = *Cursor;
    int length = 0, quoted = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == 0)
        return -1;
    while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
        if (*p == '\\') {
            int slashes = 0;
            while (*p == '\\') {
                slashes++;
                p++;
            }
            if (*p == '"') {
                for (int i = 0; i < slashes / 2; i++)
                    if (Out) Out[length++] = '\\'; else length++;
                if (slashes & 1) {
                    if (Out) Out[length] = '"';
                    length++;
                    p++;
                }
            } else {
                for (int i = 0; i < slashes; i++)
                    if (Out) Out[length++] = '\\'; else length++;
            }
            continue;
        }
        if (*p == '"') {
            if (quoted && p[1] == '"') {
                if (Out) Out[length] = '"';
                length++;
                p += 2;
                continue;
            }
            quoted = !quoted;
            p++;
            continue;
        }
        if (Out) Out[length] = *p;
        length++;
        p++;
    }
    *Cursor = p;
    return length;
}

/* The program name (argv[0]) takes no backslash rules: quoted up to the next quote, or up to
 * the first blank. */
static int ProgramName(const char **Cursor, char *Out)
{
    const char *p = *Cursor;
    int length = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++, length++)
            if (Out) Out[length] = *p;
        if (*p == '"')
            p++;
    } else {
        for (; *p && *p != ' ' && *p != '\t'; p++, length++)
            if (Out) Out[length] = *p;
    }
    *Cursor = p;
    return length;
}

/* Cuts Line into a NULL-terminated argv in one allocation (the pointers, then the strings). */
static char **SplitCommandLine(const char *Line, int *Count)
{
    const char *p = Line;
    int argc = 1, len;
    size_t bytes = ProgramName(&p, NULL) + 1;
    while ((len = NextArgument(&p, NULL)) >= 0) {
        argc++;
        bytes += len + 1;
    }
    char **argv = malloc((argc + 1) * sizeof(char *) + bytes);
    if (!argv)
        return NULL;
    char *text = (char *)(argv + argc + 1);
    p = Line;
    argv[0] = text;
    len = ProgramName(&p, text);
    text[len] = 0;
    text += len + 1;
    for (int i = 1; i < argc; i++) {
        argv[i] = text;
        len = NextArgument(&p, text);
        text[len] = 0;
        text += len + 1;
    }
    argv[argc] = NULL;
    *Count = argc;
    return argv;
}

static wchar_t_ *Widen(const char *Text)
{
    int n = MultiByteToWideChar(CP_ACP, 0, Text, -1, NULL, 0);
    wchar_t_ *w = malloc((n > 0 ? n : 1) * sizeof(wchar_t_));
    if (!w)
        return NULL;
    if (n <= 0 || MultiByteToWideChar(CP_ACP, 0, Text, -1, (LPWSTR)w, n) != n)
        w[0] = 0;
    return w;
}

/* The wide twin of an argv/environment array. */
static wchar_t_ **WidenArray(char **Narrow)
{
    int n = 0;
    while (Narrow[n])
        n++;
    wchar_t_ **wide = malloc((n + 1) * sizeof(wchar_t_ *));
    if (!wide)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!(wide[i] = Widen(Narrow[i])))
            return NULL;
    wide[n] = NULL;
    return wide;
}

extern char **_environ;
extern wchar_t_ **_wenviron;
CRTAPI char **__initenv;
CRTAPI wchar_t_ **__winitenv;

static BOOL ParseArguments(void)
{
    if (__argv)
        return TRUE;
    _acmdln = GetCommandLineA();
    if (!_acmdln)
        _acmdln = "";
    __argv = SplitCommandLine(_acmdln, &__argc);
    return __argv != NULL;
}

CRTAPI int __getmainargs(int *Argc, char ***Argv, char ***Envp, int ExpandWildcards,
                         CRT_STARTUPINFO *StartInfo)
{
    if (!ParseArguments() || !CrtEnvInit()) {
        CrtWriteStderr("msvcrt: out of memory parsing the command line\r\n");
        _exit(255);
    }
    *Argc = __argc;
    *Argv = __argv;
    *Envp = __initenv = _environ;
    return 0;
}

CRTAPI int __wgetmainargs(int *Argc, wchar_t_ ***Argv, wchar_t_ ***Envp, int ExpandWildcards,
                          CRT_STARTUPINFO *StartInfo)
{
    if (!ParseArguments() || !CrtEnvInit() || !(__wargv = WidenArray(__argv)) ||
        (!_wcmdln && !(_wcmdln = Widen(_acmdln))) || !(_wenviron = WidenArray(_environ))) {
        CrtWriteStderr("msvcrt: out of memory parsing the command line\r\n");
        _exit(255);
    }
    *Argc = __argc;
    *Argv = __wargv;
    *Envp = __winitenv = _wenviron;
    return 0;
}

CRTAPI int *__p___argc(void) { return &__argc; }
CRTAPI char ***__p___argv(void) { return &__argv; }
CRTAPI wchar_t_ ***__p___wargv(void) { return &__wargv; }
CRTAPI char **__p__acmdln(void) { return &_acmdln; }
CRTAPI wchar_t_ **__p__wcmdln(void) { return &_wcmdln; }
CRTAPI int *__p__fmode(void) { return &_fmode; }
CRTAPI char ***__p___initenv(void) { return &__initenv; }
CRTAPI wchar_t_ ***__p___winitenv(void) { return &__winitenv; }
CRTAPI int *__p__commode(void) { return &_commode; }
CRTAPI int *__p___mb_cur_max(void) { return &__mb_cur_max; }
CRTAPI int ___mb_cur_max_func(void) { return __mb_cur_max; }
CRTAPI void __set_app_type(int Type) { __app_type = Type; }
CRTAPI void __setusermatherr(void *Handler) { UserMathErr = Handler; }

/* Runs a table of constructors (MinGW passes __xc_a..__xc_z, C++ static initialisers). */
CRTAPI void _initterm(CRT_PVFV *Start, CRT_PVFV *End)
{
    for (; Start < End; Start++)
        if (*Start)
            (*Start)();
}

/* The same with functions that may fail: the first non-zero result stops and is returned. */
CRTAPI int _initterm_e(CRT_PIFV *Start, CRT_PIFV *End)
{
    for (; Start < End; Start++)
        if (*Start) {
            int status = (*Start)();
            if (status)
                return status;
        }
    return 0;
}

BOOL WINAPI DllMain(HANDLE Module, DWORD Reason, LPVOID Reserved)
{
    switch (Reason) {
    case DLL_PROCESS_ATTACH:
        _osver = 2600;
        _winmajor = 5;
        _winminor = 1;
        _winver = 0x0501;
        if (!CrtThreadInit())
            return FALSE;
        _acmdln = GetCommandLineA();     /* WinMain's command line may be read before argv */
        _wcmdln = (wchar_t_ *)GetCommandLineW();
        CrtLockInit();
        CrtTimeInit();
        CrtFdInit();
        CrtStdioInit();
        break;
    case DLL_THREAD_DETACH:
        CrtThreadDetach();
        break;
    case DLL_PROCESS_DETACH:
        /* ExitProcess without exit(): what is buffered still reaches its file. */
        CrtFlushAll();
        break;
    }
    return TRUE;
}
