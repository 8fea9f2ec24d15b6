/* exit.c - the end of a process: the _onexit/atexit table (run newest first), exit/_cexit/_exit,
 * abort, _amsg_exit, signal/raise, and the run-time locks (_lock/_unlock) that MinGW's start-up
 * code takes around its own atexit list. */
#include "crtp.h"

typedef int (__cdecl *CRT_ONEXIT)(void);
typedef void (__cdecl *CRT_SIGNAL)(int);

#define CRT_LOCKS 36
static CRITICAL_SECTION Locks[CRT_LOCKS];
static CRT_ONEXIT *ExitTable;
static int ExitCount, ExitCapacity;
static int Exiting;             /* exit() re-entered from an atexit function: do not rerun */

void CrtLockInit(void)
{
    for (int i = 0; i < CRT_LOCKS; i++)
        InitializeCriticalSection(&Locks[i]);
}

CRTAPI void _lock(int Number)
{
    if (Number >= 0 && Number < CRT_LOCKS)
        EnterCriticalSection(&Locks[Number]);
}

CRTAPI void _unlock(int Number)
{
    if (Number >= 0 && Number < CRT_LOCKS)
        LeaveCriticalSection(&Locks[Number]);
}

#define EXIT_LOCK 13

CRTAPI CRT_ONEXIT _onexit(CRT_ONEXIT Function)
{
    if (!Function)
        return NULL;
    _lock(EXIT_LOCK);
    if (ExitCount == ExitCapacity) {
        int capacity = ExitCapacity ? ExitCapacity * 2 : 32;
        CRT_ONEXIT *table = realloc(ExitTable, capacity * sizeof(*table));
        if (!table) {
            _unlock(EXIT_LOCK);
            return NULL;
        }
        ExitTable = table;
        ExitCapacity = capacity;
    }
    ExitTable[ExitCount++] = Function;
    _unlock(EXIT_LOCK);
    return Function;
}

CRTAPI int atexit(void (__cdecl *Function)(void))
{
    return _onexit((CRT_ONEXIT)Function) ? 0 : -1;
}

/* Newest first; each entry is taken off before it runs, so one that calls exit ends cleanly. */
void CrtRunAtExit(void)
{
    for (;;) {
        _lock(EXIT_LOCK);
        if (ExitCount == 0) {
            _unlock(EXIT_LOCK);
            break;
        }
        CRT_ONEXIT f = ExitTable[--ExitCount];
        _unlock(EXIT_LOCK);
        f();
    }
}

static void Terminate(void)
{
    if (!Exiting) {
        Exiting = 1;
        CrtRunAtExit();
    }
    CrtFlushAll();
}

CRTAPI void _cexit(void) { Terminate(); }
CRTAPI void _c_exit(void) { }

CRTAPI void exit(int Status)
{
    Terminate();
    ExitProcess(Status);
    for (;;) { }
}

CRTAPI void _exit(int Status)
{
    ExitProcess(Status);
    for (;;) { }
}

/* Run-time error: MSVCRT prints "runtime error R60nn" and ends with status 255. */
CRTAPI void _amsg_exit(int Number)
{
    char text[40] = "\r\nruntime error R6000\r\n";
    text[19] = '0' + (Number / 10) % 10;    /* "\r\nruntime error R60" is 19 characters */
    text[20] = '0' + Number % 10;
    CrtWriteStderr(text);
    _exit(255);
}

/* signal numbers of <signal.h> */
#define SIGINT 2
#define SIGILL 4
#define SIGFPE 8
#define SIGSEGV 11
#define SIGTERM 15
#define SIGBREAK 21
#define SIGABRT 22
#define SIG_DFL ((CRT_SIGNAL)0)
#define SIG_IGN ((CRT_SIGNAL)1)
#define SIG_ERR ((CRT_SIGNAL)-1)

static CRT_SIGNAL Handlers[SIGABRT + 1];

static int ValidSignal(int Signal)
{
    return Signal == SIGINT || Signal == SIGILL || Signal == SIGFPE || Signal == SIGSEGV ||
           Signal == SIGTERM || Signal == SIGBREAK || Signal == SIGABRT;
}

/* Ctrl+C and Ctrl+Break arrive from the console on a thread of their own: a program's
 * SIGINT/SIGBREAK handler runs there; with SIG_DFL the console's default (the end) happens. */
static BOOL WINAPI ConsoleControl(DWORD Type)
{
    int sig = Type == CTRL_C_EVENT ? SIGINT : Type == CTRL_BREAK_EVENT ? SIGBREAK : 0;
    if (!sig || Handlers[sig] == SIG_DFL)
        return FALSE;
    CRT_SIGNAL handler = Handlers[sig];
    if (handler != SIG_IGN) {
        Handlers[sig] = SIG_DFL;
        handler(sig);
    }
    return TRUE;
}

CRTAPI CRT_SIGNAL signal(int Signal, CRT_SIGNAL Handler)
{
    static int consoleHooked;
    if (!ValidSignal(Signal)) {
        errno = EINVAL;
        return SIG_ERR;
    }
    if ((Signal == SIGINT || Signal == SIGBREAK) && Handler != SIG_DFL && !consoleHooked)
        consoleHooked = SetConsoleCtrlHandler(ConsoleControl, TRUE);
    CRT_SIGNAL old = Handlers[Signal];
    Handlers[Signal] = Handler;
    return old;
}

/* A handler runs once: the slot returns to SIG_DFL before the call (the MS semantics). The
 * default action of every signal ends the process with status 3. */
CRTAPI int raise(int Signal)
{
    if (!ValidSignal(Signal)) {
        errno = EINVAL;
        return -1;
    }
    CRT_SIGNAL handler = Handlers[Signal];
    if (handler == SIG_IGN)
        return 0;
    if (handler == SIG_DFL) {
        if (Signal == SIGABRT)
            CrtWriteStderr("\nabnormal program termination\n");
        _exit(3);
    }
    Handlers[Signal] = SIG_DFL;
    handler(Signal);
    return 0;
}

CRTAPI void abort(void)
{
    raise(SIGABRT);
    /* a SIGABRT handler that returns does not stop the abort */
    CrtWriteStderr("\nabnormal program termination\n");
    _exit(3);
}
