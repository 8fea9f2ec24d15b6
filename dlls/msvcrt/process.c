/* process.c - threads and the process as the C runtime sees them: _beginthreadex/_beginthread
 * (kernel32 threads whose C state is made on first use and freed at DLL_THREAD_DETACH), _getpid,
 * _sleep, assertions (_assert, _wassert), __dllonexit (the atexit table of a DLL), and
 * _purecall (a pure virtual function called by mistake). */
#include "crtp.h"

typedef unsigned (WINAPI *CRT_THREAD_PROC)(void *);
typedef void (__cdecl *CRT_THREAD_PROC1)(void *);

CRTAPI ULONG_PTR _beginthreadex(void *Security, unsigned StackSize, CRT_THREAD_PROC Start,
                                void *Argument, unsigned Flags, unsigned *ThreadId)
{
    DWORD id;
    HANDLE h = CreateThread(Security, StackSize, (LPTHREAD_START_ROUTINE)(void *)Start, Argument, Flags, &id);
    if (!h) {
        CrtSetErrnoFromWin32(GetLastError());
        return 0;
    }
    if (ThreadId)
        *ThreadId = id;
    return (ULONG_PTR)h;
}

CRTAPI void _endthreadex(unsigned Status) { ExitThread(Status); }

/* _beginthread's routine returns nothing, and its handle is closed by the runtime: a small
 * record carries the routine to a stdcall trampoline. */
typedef struct { CRT_THREAD_PROC1 Start; void *Argument; } CRT_START;

static DWORD WINAPI Trampoline(LPVOID Parameter)
{
    CRT_START start = *(CRT_START *)Parameter;
    free(Parameter);
    start.Start(start.Argument);
    return 0;
}

CRTAPI ULONG_PTR _beginthread(CRT_THREAD_PROC1 Start, unsigned StackSize, void *Argument)
{
    CRT_START *start = malloc(sizeof(*start));
    if (!start)
        return (ULONG_PTR)-1;
    start->Start = Start;
    start->Argument = Argument;
    HANDLE h = CreateThread(NULL, StackSize, Trampoline, start, 0, NULL);
    if (!h) {
        CrtSetErrnoFromWin32(GetLastError());
        free(start);
        return (ULONG_PTR)-1;
    }
    CloseHandle(h);
    return (ULONG_PTR)h;
}

CRTAPI void _endthread(void) { ExitThread(0); }
CRTAPI int _getpid(void) { return (int)GetCurrentProcessId(); }
CRTAPI void _sleep(unsigned long Milliseconds) { Sleep(Milliseconds); }

CRTAPI void _assert(const char *Expression, const char *File, unsigned Line)
{
    char line[16];
    int n = 0;
    do
        line[sizeof(line) - 1 - n++] = (char)('0' + Line % 10);
    while ((Line /= 10) && n < 15);
    CrtWriteStderr("Assertion failed: ");
    CrtWriteStderr(Expression);
    CrtWriteStderr(", file ");
    CrtWriteStderr(File);
    CrtWriteStderr(", line ");
    char text[17];
    memcpy(text, line + sizeof(line) - n, n);
    text[n] = 0;
    CrtWriteStderr(text);
    CrtWriteStderr("\n");
    abort();
}

/* The wide form: the texts in bytes (code points above 0xFF become '?'). */
static char *Narrow(const wchar_t_ *s)
{
    size_t n = wcslen(s);
    char *out = malloc(n + 1);
    if (out) {
        for (size_t i = 0; i <= n; i++)
            out[i] = s[i] > 0xFF ? '?' : (char)s[i];
    }
    return out;
}

CRTAPI void _wassert(const wchar_t_ *Expression, const wchar_t_ *File, unsigned Line)
{
    char *e = Narrow(Expression), *f = Narrow(File);
    _assert(e ? e : "?", f ? f : "?", Line);
}

/* A DLL's atexit table, kept by the DLL's start-up code as [*Begin, *End): grown here. */
typedef void (__cdecl *CRT_PVFV)(void);
CRTAPI void *__dllonexit(void *Function, CRT_PVFV **Begin, CRT_PVFV **End)
{
    size_t n = *Begin ? (size_t)(*End - *Begin) : 0;
    _lock(13);
    CRT_PVFV *table = realloc(*Begin, (n + 1) * sizeof(CRT_PVFV));
    if (!table) {
        _unlock(13);
        return NULL;
    }
    table[n] = (CRT_PVFV)Function;
    *Begin = table;
    *End = table + n + 1;
    _unlock(13);
    return Function;
}

CRTAPI void _purecall(void)
{
    _amsg_exit(25);     /* R6025: pure virtual function call */
}
