/* w_crt_args.c - msvcrt.dll seen from a parent process. Run with no arguments, the program
 * starts itself (CreateProcessA): with a command line full of quotes and backslashes, which the
 * child compares with what the Microsoft C rules give (__getmainargs); with "-abort", which
 * must end with status 3; with "-exit", where exit(7) runs the atexit functions and flushes
 * stdout, redirected to a file the parent then reads (text mode: "\r\n" on disk). */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <windows.h>

/* The line after the program name, and the arguments the MS C runtime cuts it into. */
static const char Arguments[] = "plain \"two words\" a\\\\b a\\\\\\\"q\\\" \"x\\\\\" tail\"\" \"in\"\"side\"";
static const char *const Expected[] = {
    "plain",            /* plain */
    "two words",        /* "two words" */
    "a\\\\b",           /* a\\b: backslashes not before a quote are literal */
    "a\\\"q\"",         /* a\\\"q\": 2n+1 backslashes + quote: n backslashes and a literal quote */
    "x\\",              /* "x\\": 2n backslashes + quote: n backslashes, the quote closes */
    "tail",             /* tail"": an empty quoted part adds nothing */
    "in\"side",         /* "in""side": "" inside quotes is a literal quote */
};
#define EXPECTED (sizeof(Expected) / sizeof(Expected[0]))

static int Child(int argc, char **argv)
{
    int ok = argc == (int)EXPECTED + 1;
    for (int i = 1; ok && i < argc; i++)
        if (strcmp(argv[i], Expected[i - 1]) != 0) {
            printf("  argv[%d] = [%s], want [%s]\n", i, argv[i], Expected[i - 1]);
            ok = 0;
        }
    if (argc != (int)EXPECTED + 1) {
        printf("  argc = %d, want %d\n", argc, (int)EXPECTED + 1);
        for (int i = 0; i < argc; i++)
            printf("  argv[%d] = [%s]\n", i, argv[i]);
    }
    fflush(stdout);
    return ok ? 0 : 1;
}

static void Goodbye(void) { printf("goodbye"); }   /* no newline: exit's flush must write it */

/* Runs this program with Arguments; returns its exit status, or -1. */
static long RunSelf(const char *Self, const char *Arguments, HANDLE Output)
{
    char line[512];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    DWORD code;
    snprintf(line, sizeof(line), "\"%s\" %s", Self, Arguments);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (Output) {
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = Output;
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("  CreateProcessA(%s): error %lu\n", line, GetLastError());
        return -1;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (!GetExitCodeProcess(pi.hProcess, &code))
        code = (DWORD)-1;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (long)code;
}

#define OUT_FILE "C:\\Tests\\crtargs.tmp"

static int TestRedirectedExit(const char *Self)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE out = CreateFileA(OUT_FILE, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS,
                             FILE_ATTRIBUTE_NORMAL, NULL);
    if (out == INVALID_HANDLE_VALUE) {
        printf("  CreateFileA(%s): error %lu\n", OUT_FILE, GetLastError());
        return 0;
    }
    long code = RunSelf(Self, "-exit", out);
    CloseHandle(out);
    char text[64] = "";
    FILE *f = fopen(OUT_FILE, "rb");
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    text[n] = 0;
    if (f)
        fclose(f);
    remove(OUT_FILE);
    int ok = code == 7 && strcmp(text, "line one\r\nline two\r\ngoodbye") == 0;
    if (!ok)
        printf("  -exit: status %ld, output [%s]\n", code, text);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "-abort") == 0)
        abort();
    if (argc == 2 && strcmp(argv[1], "-exit") == 0) {
        atexit(Goodbye);
        printf("line one\nline two\n");
        exit(7);
    }
    if (argc > 1)
        return Child(argc, argv);

    int failures = 0;
    char line[512];
    /* argv[0] alone, with the program name as the harness gave it */
    int ok = argc == 1 && argv[0] && argv[1] == NULL && strstr(argv[0], "w_crt_args") != NULL;
    printf("TEST w_crt_args.argv0: %s\n", ok ? "PASS" : "FAIL");
    failures += !ok;

    snprintf(line, sizeof(line), "\"%s\" %s", argv[0], Arguments);
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    DWORD code = 99;
    ok = CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (ok) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        ok = GetExitCodeProcess(pi.hProcess, &code) && code == 0;
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    } else {
        printf("  CreateProcessA: error %lu\n", GetLastError());
    }
    printf("TEST w_crt_args.child: %s\n", ok ? "PASS" : "FAIL");
    failures += !ok;

    long status = RunSelf(argv[0], "-abort", NULL);
    ok = status == 3;
    if (!ok)
        printf("  -abort: status %ld\n", status);
    printf("TEST w_crt_args.abort: %s\n", ok ? "PASS" : "FAIL");
    failures += !ok;

    ok = TestRedirectedExit(argv[0]);
    printf("TEST w_crt_args.exit: %s\n", ok ? "PASS" : "FAIL");
    failures += !ok;
    return failures ? 1 : 0;
}
