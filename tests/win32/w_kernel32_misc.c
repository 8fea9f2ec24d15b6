/* w_kernel32_misc.c - the rest of kernel32 a program meets: the environment, virtual memory and
 * heaps, code page conversion, lstr*, FormatMessage, time, version and system information,
 * modules and procedure addresses, the console handles. */
#define WTEST_NAME "w_kernel32_misc"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>


static void test_environment(void)
{
    char buf[64];
    check("set_env", SetEnvironmentVariableA("K32MISC", "value1"), GetLastError());
    DWORD n = GetEnvironmentVariableA("k32misc", buf, sizeof(buf));
    check("get_env_case_insensitive", n == 6 && strcmp(buf, "value1") == 0, n);
    n = GetEnvironmentVariableA("K32MISC", buf, 3);
    check("get_env_small_buffer", n == 7, n);
    SetEnvironmentVariableA("K32MISC", NULL);
    n = GetEnvironmentVariableA("K32MISC", buf, sizeof(buf));
    check("env_deleted", n == 0 && GetLastError() == ERROR_ENVVAR_NOT_FOUND, GetLastError());
    SetEnvironmentVariableA("K32MISC2", "x");
    char *env = GetEnvironmentStringsA();
    int found = 0;
    for (char *p = env; p && *p; p += strlen(p) + 1) if (strcmp(p, "K32MISC2=x") == 0) found = 1;
    check("environment_strings", found, 0);
    check("free_environment_strings", FreeEnvironmentStringsA(env), GetLastError());
    WCHAR wbuf[16];
    n = GetEnvironmentVariableW(L"K32MISC2", wbuf, 16);
    check("get_env_w", n == 1 && wbuf[0] == L'x', n);
}

static void test_memory(void)
{
    BYTE *p = VirtualAlloc(NULL, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    check("virtual_alloc", p != NULL, GetLastError());
    p[0] = 1;
    p[65535] = 2;
    MEMORY_BASIC_INFORMATION mbi;
    check("virtual_query", VirtualQuery(p, &mbi, sizeof(mbi)) == sizeof(mbi) && mbi.State == MEM_COMMIT &&
          mbi.Protect == PAGE_READWRITE && mbi.BaseAddress == p, mbi.State);
    DWORD old = 0;
    check("virtual_protect", VirtualProtect(p, 4096, PAGE_READONLY, &old) && old == PAGE_READWRITE, old);
    VirtualQuery(p, &mbi, sizeof(mbi));
    check("protect_applied", mbi.Protect == PAGE_READONLY, mbi.Protect);
    check("virtual_free_bad_size", !VirtualFree(p, 4096, MEM_RELEASE) && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
    check("virtual_free", VirtualFree(p, 0, MEM_RELEASE), GetLastError());
    VirtualQuery(p, &mbi, sizeof(mbi));
    check("freed", mbi.State == MEM_FREE, mbi.State);

    HANDLE heap = HeapCreate(0, 0, 0);
    check("heap_create", heap != NULL, GetLastError());
    char *a = HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    check("heap_alloc_zeroed", a && a[0] == 0 && a[99] == 0, 0);
    check("heap_size", HeapSize(heap, 0, a) == 100, HeapSize(heap, 0, a));
    a = HeapReAlloc(heap, 0, a, 5000);
    check("heap_realloc", a && HeapSize(heap, 0, a) == 5000, 0);
    check("heap_free", HeapFree(heap, 0, a), GetLastError());
    check("heap_destroy", HeapDestroy(heap), GetLastError());
    void *q = HeapAlloc(GetProcessHeap(), 0, 32);
    check("process_heap", q != NULL && HeapFree(GetProcessHeap(), 0, q), 0);
    HLOCAL l = LocalAlloc(LPTR, 10);
    check("local_alloc", l && ((char *)l)[9] == 0 && LocalFree(l) == NULL, 0);
    HGLOBAL g = GlobalAlloc(GPTR, 10);
    check("global_alloc", g && GlobalFree(g) == NULL, 0);
}

static void test_strings(void)
{
    WCHAR w[32];
    char a[32];
    int n = MultiByteToWideChar(CP_ACP, 0, "abc\x80", -1, w, 32);
    check("mb_to_wc_acp", n == 5 && w[0] == L'a' && w[3] == 0x20AC && w[4] == 0, n);
    n = MultiByteToWideChar(CP_UTF8, 0, "\xE2\x82\xAC!", -1, w, 32);
    check("mb_to_wc_utf8", n == 3 && w[0] == 0x20AC && w[1] == L'!', n);
    n = MultiByteToWideChar(CP_ACP, 0, "abcdef", -1, NULL, 0);
    check("mb_to_wc_size", n == 7, n);
    n = MultiByteToWideChar(CP_ACP, 0, "abcdef", -1, w, 3);
    check("mb_to_wc_small", n == 0 && GetLastError() == ERROR_INSUFFICIENT_BUFFER, GetLastError());
    n = WideCharToMultiByte(CP_UTF8, 0, L"\x20AC", -1, a, 32, NULL, NULL);
    check("wc_to_mb_utf8", n == 4 && (BYTE)a[0] == 0xE2 && (BYTE)a[2] == 0xAC, n);
    BOOL used = FALSE;
    n = WideCharToMultiByte(CP_ACP, 0, L"a\x4E00", 2, a, 32, NULL, &used);
    check("wc_to_mb_default_char", n == 2 && a[1] == '?' && used, n);
    check("is_dbcs_lead", !IsDBCSLeadByteEx(CP_ACP, 0x81), 0);
    check("lstrlen", lstrlenA("hello") == 5 && lstrlenW(L"hi") == 2 && lstrlenA(NULL) == 0, 0);
    lstrcpyA(a, "ab");
    lstrcatA(a, "cd");
    check("lstrcpy_lstrcat", strcmp(a, "abcd") == 0, 0);
    check("lstrcmp", lstrcmpA("abc", "abd") < 0 && lstrcmpA("b", "a") > 0 && lstrcmpA("x", "x") == 0, 0);
    check("lstrcmpi", lstrcmpiA("HeLLo", "hello") == 0 && lstrcmpiW(L"ABC", L"abd") < 0, 0);
}

static void test_messages(void)
{
    char buf[256];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_FILE_NOT_FOUND, 0, buf, sizeof(buf), NULL);
    check("format_message_system", n > 0 && strcmp(buf, "The system cannot find the file specified.\r\n") == 0, n);
    DWORD_PTR args[] = { (DWORD_PTR)"world", 42 };
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, "hello %1, %2!d!%%", 0, 0, buf,
                       sizeof(buf), (va_list *)args);
    check("format_message_string", n > 0 && strcmp(buf, "hello world, 42%") == 0, n);
    char *alloc = NULL;
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, ERROR_ACCESS_DENIED, 0,
                       (LPSTR)&alloc, 0, NULL);
    check("format_message_allocate", n > 0 && alloc && strncmp(alloc, "Access is denied.", 17) == 0, n);
    LocalFree(alloc);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x12345, 0, buf, sizeof(buf), NULL);
    check("format_message_unknown", n == 0 && GetLastError() == ERROR_MR_MID_NOT_FOUND, GetLastError());
}

static void test_time(void)
{
    SYSTEMTIME st = { 2024, 2, 0, 29, 13, 45, 30, 250 }, back;
    FILETIME ft;
    check("system_time_to_file_time", SystemTimeToFileTime(&st, &ft), GetLastError());
    check("file_time_to_system_time", FileTimeToSystemTime(&ft, &back) && back.wYear == 2024 && back.wMonth == 2 &&
          back.wDay == 29 && back.wHour == 13 && back.wMinute == 45 && back.wSecond == 30 &&
          back.wMilliseconds == 250 && back.wDayOfWeek == 4, back.wDay);
    ULARGE_INTEGER u = { .u = { ft.dwLowDateTime, ft.dwHighDateTime } };
    /* 2024-02-29 13:45:30.25 UTC, in 100 ns units since 1601 */
    check("file_time_value", u.QuadPart == 133536879302500000ull, (DWORD)(u.QuadPart / 10000000));
    GetSystemTime(&st);
    check("system_time_sane", st.wYear >= 2020 && st.wMonth >= 1 && st.wMonth <= 12, st.wYear);
    LARGE_INTEGER f, c1, c2;
    check("performance_counter", QueryPerformanceFrequency(&f) && f.QuadPart > 0 && QueryPerformanceCounter(&c1), 0);
    Sleep(20);
    QueryPerformanceCounter(&c2);
    check("performance_counter_advances", c2.QuadPart > c1.QuadPart, 0);
    DWORD t1 = GetTickCount();
    Sleep(100);
    check("tick_count_advances", GetTickCount() - t1 >= 50, GetTickCount() - t1);
}

static void test_system(void)
{
    DWORD v = GetVersion();
    check("get_version", (v & 0xFF) == 5 && ((v >> 8) & 0xFF) == 1 && (v >> 16) == 2600, v);
    OSVERSIONINFOA vi = { sizeof(vi) };
    check("get_version_ex", GetVersionExA(&vi) && vi.dwMajorVersion == 5 && vi.dwMinorVersion == 1 &&
          vi.dwBuildNumber == 2600 && vi.dwPlatformId == VER_PLATFORM_WIN32_NT, vi.dwMajorVersion);
    vi.dwOSVersionInfoSize = 3;
    check("get_version_ex_bad_size", !GetVersionExA(&vi) && GetLastError() == ERROR_INSUFFICIENT_BUFFER, GetLastError());
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    check("system_info", si.dwPageSize == 4096 && si.dwAllocationGranularity == 65536 && si.dwNumberOfProcessors >= 1, 0);
    check("debugger_present", !IsDebuggerPresent(), 0);
    SetLastError(1234);
    check("last_error", GetLastError() == 1234, GetLastError());
}

static void test_modules(void)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    check("module_handle_kernel32", k32 != NULL, GetLastError());
    check("module_handle_exe", GetModuleHandleA(NULL) == (HMODULE)0x400000, (DWORD)(ULONG_PTR)GetModuleHandleA(NULL));
    check("module_handle_missing", GetModuleHandleA("nosuch.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND,
          GetLastError());
    check("get_proc_address", GetProcAddress(k32, "GetTickCount") == (FARPROC)GetTickCount, 0);
    check("get_proc_address_missing", GetProcAddress(k32, "NoSuchFunction") == NULL &&
          GetLastError() == ERROR_PROC_NOT_FOUND, GetLastError());
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, MAX_PATH);
    check("module_file_name", n > 0 && strstr(path, "w_kernel32_misc.exe") != NULL, n);
    n = GetModuleFileNameA(k32, path, MAX_PATH);
    check("module_file_name_dll", n > 0 && lstrcmpiA(path, "C:\\Windows\\System32\\kernel32.dll") == 0, n);
    HMODULE nt = LoadLibraryA("ntdll.dll");
    check("load_library", nt != NULL && GetProcAddress(nt, "NtClose") != NULL, GetLastError());
    check("free_library", FreeLibrary(nt), GetLastError());
    check("load_library_missing", LoadLibraryA("nosuch.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND,
          GetLastError());
}

static void test_console(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    check("std_output", out != NULL && out != INVALID_HANDLE_VALUE, (DWORD)(ULONG_PTR)out);
    check("output_is_char", GetFileType(out) == FILE_TYPE_CHAR, GetFileType(out));
    DWORD n = 0, mode = 0;
    check("write_console", WriteConsoleA(out, "console line\r\n", 14, &n, NULL) && n == 14, GetLastError());
    check("write_file_console", WriteFile(out, "file line\r\n", 11, &n, NULL) && n == 11, GetLastError());
    check("get_console_mode", GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode), GetLastError());
    check("set_console_title", SetConsoleTitleA("w_kernel32_misc"), GetLastError());
    char title[64];
    DWORD len = GetConsoleTitleA(title, sizeof(title));
    check("get_console_title", len == 15 && strcmp(title, "w_kernel32_misc") == 0, len);
    CONSOLE_SCREEN_BUFFER_INFO sbi;
    check("screen_buffer_info", GetConsoleScreenBufferInfo(out, &sbi) && sbi.dwSize.X == 80 && sbi.dwSize.Y == 25,
          sbi.dwSize.X);
    HANDLE con = CreateFileA("CONOUT$", GENERIC_WRITE, FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    check("conout", con != INVALID_HANDLE_VALUE && WriteFile(con, "conout\r\n", 8, &n, NULL), GetLastError());
    CloseHandle(con);
    check("get_console_mode_file", !GetConsoleMode((HANDLE)(ULONG_PTR)0x1234, &mode) &&
          GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
}

int main(void)
{
    test_environment();
    test_memory();
    test_strings();
    test_messages();
    test_time();
    test_system();
    test_modules();
    test_console();
    printf("w_kernel32_misc: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
