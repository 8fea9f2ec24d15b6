/*
 * bench32.c - Win32 benchmarks, run by `make bench` as the initial program under -icount (the
 * TSC counts instructions). A stock MinGW program; prints "BENCH <name> <value> <unit>".
 *   win32.csr_round_trip   GetConsoleMode on the console: kernel32 -> LPC -> csrss (consrv) and back
 *   win32.create_process   CreateProcess of nop32.exe (a stock MinGW exe), run to its exit, waited
 *   win32.file_create_write_close  CreateFile + WriteFile 4 KiB + CloseHandle on C:
 */
#include <windows.h>
#include <stdio.h>

static unsigned long long Tsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

static int SpawnNop(void)
{
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    char cmd[] = "C:\\Tests\\nop32.exe";
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return 1;
}

int main(void)
{
    enum { CALLS = 200, SPAWNS = 10, FILES = 20 };
    DWORD mode;
    HANDLE console = GetStdHandle(STD_OUTPUT_HANDLE);
    GetConsoleMode(console, &mode);
    unsigned long long t = Tsc();
    for (int i = 0; i < CALLS; i++) GetConsoleMode(console, &mode);
    printf("BENCH win32.csr_round_trip %llu instructions\n", (Tsc() - t) / CALLS);

    if (!SpawnNop()) return 1;                            /* warm: the image is in the cache */
    t = Tsc();
    for (int i = 0; i < SPAWNS; i++)
        if (!SpawnNop()) return 1;
    printf("BENCH win32.create_process %llu instructions\n", (Tsc() - t) / SPAWNS);

    static char data[4096];
    DWORD written;
    t = Tsc();
    for (int i = 0; i < FILES; i++) {
        char name[64];
        snprintf(name, sizeof(name), "C:\\Tests\\bench%d.tmp", i);
        HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE) return 2;
        WriteFile(h, data, sizeof(data), &written, NULL);
        CloseHandle(h);
    }
    printf("BENCH win32.file_create_write_close %llu instructions\n", (Tsc() - t) / FILES);
    for (int i = 0; i < FILES; i++) {
        char name[64];
        snprintf(name, sizeof(name), "C:\\Tests\\bench%d.tmp", i);
        DeleteFileA(name);
    }
    return 0;
}
