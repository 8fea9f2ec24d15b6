/* w_kernel32_more.c - the kernel32 functions stock programs import beyond the basics: the 64-bit
 * tick count, processor features, the computer name, environment expansion, SearchPath, temporary
 * file names, disk space and drive types, interlocked SLists (two threads at once), console code
 * pages and page-file-backed file mappings (two views, and a child process, sharing one named
 * section). Run with an argument "child <name>", it is the mapping test's child. */
#define WTEST_NAME "w_kernel32_more"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define DIR "C:\\k32more"

static void test_sysinfo(void)
{
    ULONGLONG t64 = GetTickCount64();
    DWORD t32 = GetTickCount();
    check("tick_count64_same_clock", (DWORD)t64 - t32 < 1000 || t32 - (DWORD)t64 < 1000, (DWORD)t64);
    Sleep(50);
    check("tick_count64_advances", GetTickCount64() >= t64 + 40, (DWORD)(GetTickCount64() - t64));

    SYSTEM_INFO a, b;
    GetSystemInfo(&a);
    GetNativeSystemInfo(&b);
    check("native_system_info", memcmp(&a, &b, sizeof(a)) == 0 && b.dwPageSize == 4096, b.dwPageSize);

    check("pf_errata_false", !IsProcessorFeaturePresent(PF_FLOATING_POINT_PRECISION_ERRATA), 0);
    check("pf_emulated_false", !IsProcessorFeaturePresent(PF_FLOATING_POINT_EMULATED), 0);
    check("pf_cx8", IsProcessorFeaturePresent(PF_COMPARE_EXCHANGE_DOUBLE), 0);   /* QEMU's CPUs have it */
    check("pf_rdtsc", IsProcessorFeaturePresent(PF_RDTSC_INSTRUCTION_AVAILABLE), 0);
    check("pf_nx_false", !IsProcessorFeaturePresent(PF_NX_ENABLED), 0);
    check("pf_unknown_false", !IsProcessorFeaturePresent(200), 0);
    /* SSE2 implies SSE, SSE implies MMX, whatever CPU QEMU emulates. */
    BOOL sse2 = IsProcessorFeaturePresent(PF_XMMI64_INSTRUCTIONS_AVAILABLE);
    BOOL sse = IsProcessorFeaturePresent(PF_XMMI_INSTRUCTIONS_AVAILABLE);
    BOOL mmx = IsProcessorFeaturePresent(PF_MMX_INSTRUCTIONS_AVAILABLE);
    IsProcessorFeaturePresent(PF_SSE3_INSTRUCTIONS_AVAILABLE);
    check("pf_consistent", (!sse2 || sse) && (!sse || mmx), sse2 * 4 + sse * 2 + mmx);
}

static void test_computer_name(void)
{
    char name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD size = sizeof(name);
    check("computer_name_a", GetComputerNameA(name, &size) && size == 6 && strcmp(name, "NANONT") == 0, size);
    WCHAR wname[16];
    size = 16;
    check("computer_name_w", GetComputerNameW(wname, &size) && size == 6 && lstrcmpW(wname, L"NANONT") == 0, size);
    size = 6;
    BOOL ok = GetComputerNameA(name, &size);
    check("computer_name_small", !ok && GetLastError() == ERROR_BUFFER_OVERFLOW && size == 7, size);
    size = 0;
    ok = GetComputerNameW(NULL, &size);
    check("computer_name_null", !ok && GetLastError() == ERROR_BUFFER_OVERFLOW && size == 7, size);
    check("computer_name_null_size", !GetComputerNameA(name, NULL) && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
}

static void test_expand(void)
{
    char buf[128];
    SetEnvironmentVariableA("K32MORE", "abc");
    DWORD n = ExpandEnvironmentStringsA("x%K32MORE%y", buf, sizeof(buf));
    check("expand_a", n == 6 && strcmp(buf, "xabcy") == 0, n);
    n = ExpandEnvironmentStringsA("%K32_NOT_SET%-%K32MORE%", buf, sizeof(buf));
    check("expand_unknown_kept", strcmp(buf, "%K32_NOT_SET%-abc") == 0 && n == 18, n);
    n = ExpandEnvironmentStringsA("100% %K32MORE", buf, sizeof(buf));
    check("expand_lone_percent", strcmp(buf, "100% %K32MORE") == 0 && n == 14, n);
    n = ExpandEnvironmentStringsA("%K32MORE%%K32MORE%", buf, 3);
    check("expand_small_buffer", n == 7, n);
    n = ExpandEnvironmentStringsA("%K32MORE%", NULL, 0);
    check("expand_size_only", n == 4, n);
    WCHAR wbuf[32];
    n = ExpandEnvironmentStringsW(L"[%k32more%]", wbuf, 32);
    check("expand_w_case_insensitive", n == 6 && lstrcmpW(wbuf, L"[abc]") == 0, n);
    SetEnvironmentVariableA("K32MORE", NULL);
}

static void test_search_path(void)
{
    char buf[MAX_PATH], *part = NULL;
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    DWORD n = SearchPathA(NULL, "w_kernel32_more.exe", NULL, MAX_PATH, buf, &part);
    check("search_app_dir", n == strlen(self) && lstrcmpiA(buf, self) == 0 && part &&
          lstrcmpiA(part, "w_kernel32_more.exe") == 0, n);
    n = SearchPathA(NULL, "w_kernel32_more", ".exe", MAX_PATH, buf, NULL);
    check("search_extension_added", n == strlen(self) && lstrcmpiA(buf, self) == 0, n);
    n = SearchPathA(NULL, "kernel32", ".dll", MAX_PATH, buf, &part);
    check("search_system32", n > 0 && lstrcmpiA(buf, "C:\\Windows\\System32\\kernel32.dll") == 0, n);
    n = SearchPathA("C:\\Windows\\System32", "ntdll.dll", ".exe", MAX_PATH, buf, NULL);
    check("search_given_path", n > 0 && lstrcmpiA(buf, "C:\\Windows\\System32\\ntdll.dll") == 0, n);
    n = SearchPathA(NULL, "ntdll.dll", NULL, 5, buf, NULL);
    check("search_small_buffer", n == strlen("C:\\Windows\\System32\\ntdll.dll") + 1, n);
    n = SearchPathA(NULL, "k32_no_such_file.xyz", NULL, MAX_PATH, buf, NULL);
    check("search_not_found", n == 0 && GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    WCHAR wbuf[MAX_PATH], *wpart = NULL;
    n = SearchPathW(L"C:\\Windows;C:\\Windows\\System32", L"kernel32.dll", NULL, MAX_PATH, wbuf, &wpart);
    check("search_w_list", n > 0 && wpart && lstrcmpiW(wpart, L"kernel32.dll") == 0, n);
    n = SearchPathA(NULL, NULL, NULL, MAX_PATH, buf, NULL);
    check("search_null_name", n == 0 && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
}

static void test_temp_file(void)
{
    char name[MAX_PATH];
    UINT u = GetTempFileNameA(DIR, "abcd", 0x1234, name);
    check("temp_name_format", u == 0x1234 && lstrcmpiA(name, DIR "\\abc1234.tmp") == 0, u);
    check("temp_name_no_file", GetFileAttributesA(name) == INVALID_FILE_ATTRIBUTES, 0);
    u = GetTempFileNameA(DIR, "k", 0, name);
    check("temp_created", u != 0 && GetFileAttributesA(name) != INVALID_FILE_ATTRIBUTES, GetLastError());
    char second[MAX_PATH];
    UINT u2 = GetTempFileNameA(DIR "\\", "k", 0, second);
    check("temp_second_distinct", u2 != 0 && u2 != u && lstrcmpiA(name, second) != 0, u2);
    /* A fixed number whose file exists: the name is given anyway (no file is made). */
    char again[MAX_PATH];
    check("temp_fixed_existing", GetTempFileNameA(DIR, "k", u, again) == u && lstrcmpiA(again, name) == 0, 0);
    DeleteFileA(name);
    DeleteFileA(second);
    u = GetTempFileNameA("C:\\k32_no_such_dir", "k", 0, name);
    check("temp_bad_dir", u == 0 && GetLastError() == ERROR_PATH_NOT_FOUND, GetLastError());
    check("temp_null_path", GetTempFileNameA(NULL, "k", 0, name) == 0 && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
    WCHAR wname[MAX_PATH];
    u = GetTempFileNameW(L"C:\\", L"w", 0xBEEF, wname);
    check("temp_w_format", u == 0xBEEF && lstrcmpiW(wname, L"C:\\wBEEF.tmp") == 0, u);
}

static void test_drives(void)
{
    ULARGE_INTEGER avail, total, free_;
    BOOL ok = GetDiskFreeSpaceExA("C:\\", &avail, &total, &free_);
    check("disk_free_ex", ok && total.QuadPart > 0 && free_.QuadPart > 0 && free_.QuadPart <= total.QuadPart &&
          avail.QuadPart <= free_.QuadPart, GetLastError());
    ULARGE_INTEGER avail2;
    check("disk_free_ex_current_dir", GetDiskFreeSpaceExW(NULL, &avail2, NULL, NULL) && avail2.QuadPart > 0,
          GetLastError());
    DWORD spc, bps, freec, totalc;
    ok = GetDiskFreeSpaceA("C:\\", &spc, &bps, &freec, &totalc);
    check("disk_free", ok && bps == 512 && spc > 0 && totalc > 0 && freec <= totalc &&
          (ULONGLONG)totalc * spc * bps == total.QuadPart, GetLastError());
    ok = GetDiskFreeSpaceExA("Q:\\", &avail, NULL, NULL);
    check("disk_free_no_drive", !ok && GetLastError() == ERROR_PATH_NOT_FOUND, GetLastError());
    check("drive_type_fixed", GetDriveTypeA("C:\\") == DRIVE_FIXED, GetDriveTypeA("C:\\"));
    check("drive_type_w", GetDriveTypeW(L"c:") == DRIVE_FIXED, GetDriveTypeW(L"c:"));
    check("drive_type_current", GetDriveTypeA(NULL) == DRIVE_FIXED, GetDriveTypeA(NULL));
    check("drive_type_missing", GetDriveTypeA("Q:\\") == DRIVE_NO_ROOT_DIR, GetDriveTypeA("Q:\\"));
    check("drive_type_not_root", GetDriveTypeA("C:\\Windows") == DRIVE_NO_ROOT_DIR, 0);
    DWORD drives = GetLogicalDrives();
    check("logical_drives", (drives & (1u << 2)) && !(drives & (1u << 16)), drives);
}

/* ---- SLists: two threads push and pop the same list at once ---- */

#define SLIST_ITEMS 2000
typedef struct { SLIST_ENTRY entry; int value; } ITEM;
static SLIST_HEADER list;
static ITEM items[2][SLIST_ITEMS];
static volatile LONG popped_total;

static DWORD WINAPI slist_worker(LPVOID param)
{
    ITEM *mine = (ITEM *)param;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < SLIST_ITEMS / 4; i++) {
            ITEM *it = &mine[round * (SLIST_ITEMS / 4) + i];
            InterlockedPushEntrySList(&list, &it->entry);
            if (i % 2 == 0) Sleep(0);
        }
        /* Pop some back (any thread's), push them again: the two threads cross constantly. */
        for (int i = 0; i < SLIST_ITEMS / 8; i++) {
            PSLIST_ENTRY e = InterlockedPopEntrySList(&list);
            if (e) InterlockedPushEntrySList(&list, e);
        }
    }
    return 0;
}

static void test_slist(void)
{
    ITEM a = { .value = 1 }, b = { .value = 2 };
    InitializeSListHead(&list);
    check("slist_empty", QueryDepthSList(&list) == 0 && InterlockedPopEntrySList(&list) == NULL, 0);
    check("slist_push_first", InterlockedPushEntrySList(&list, &a.entry) == NULL, 0);
    check("slist_push_returns_old", InterlockedPushEntrySList(&list, &b.entry) == &a.entry, 0);
    check("slist_depth", QueryDepthSList(&list) == 2, QueryDepthSList(&list));
    check("slist_lifo", InterlockedPopEntrySList(&list) == &b.entry, 0);
    InterlockedPushEntrySList(&list, &b.entry);
    PSLIST_ENTRY all = InterlockedFlushSList(&list);
    check("slist_flush", all == &b.entry && all->Next == &a.entry && QueryDepthSList(&list) == 0 &&
          InterlockedPopEntrySList(&list) == NULL, 0);
    check("slist_flush_empty", InterlockedFlushSList(&list) == NULL, 0);

    HANDLE t[2];
    for (int i = 0; i < 2; i++) t[i] = CreateThread(NULL, 0, slist_worker, items[i], 0, NULL);
    check("slist_threads", t[0] && t[1], GetLastError());
    WaitForMultipleObjects(2, t, TRUE, INFINITE);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    check("slist_concurrent_depth", QueryDepthSList(&list) == 2 * SLIST_ITEMS, QueryDepthSList(&list));
    /* Every item exactly once: pop them all and mark. */
    static char seen[2][SLIST_ITEMS];
    int count = 0, dup = 0;
    for (PSLIST_ENTRY e; (e = InterlockedPopEntrySList(&list)) != NULL; count++) {
        ITEM *it = (ITEM *)e;
        int owner = it >= items[1] ? 1 : 0;
        int index = (int)(it - items[owner]);
        if (seen[owner][index]++) dup++;
    }
    check("slist_concurrent_count", count == 2 * SLIST_ITEMS && dup == 0, count);
}

static void test_console_cp(void)
{
    UINT cp = GetConsoleOutputCP();
    check("set_console_cp_same", SetConsoleCP(GetConsoleCP()), GetLastError());
    check("set_console_output_cp_same", SetConsoleOutputCP(cp), GetLastError());
    check("set_console_cp_other", !SetConsoleOutputCP(cp == 850 ? 852 : 850) &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    check("console_cp_unchanged", GetConsoleOutputCP() == cp, GetConsoleOutputCP());
}

/* ---- File mappings ---- */

static int mapping_child(const char *name)
{
    HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    if (m == NULL) return 10;
    volatile DWORD *p = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    if (p == NULL) return 11;
    if (p[0] != 0xC0FFEE) return 12;
    p[1] = 0xBEEF;
    UnmapViewOfFile((LPCVOID)p);
    CloseHandle(m);
    return 0;
}

static void test_mapping_child(void)
{
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, "K32MoreChild");
    volatile DWORD *p = m ? MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
    check("child_mapping", p != NULL, GetLastError());
    if (p == NULL) return;
    p[0] = 0xC0FFEE;
    snprintf(cmd, sizeof(cmd), "\"%s\" child K32MoreChild", self);
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    check("child_started", ok, GetLastError());
    if (ok) {
        DWORD code = 99;
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &code);
        check("child_saw_parent_write", code == 0, code);
        check("parent_sees_child_write", p[1] == 0xBEEF, p[1]);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    UnmapViewOfFile((LPCVOID)p);
    CloseHandle(m);
}

static void test_mapping(void)
{
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, "K32MoreMap");
    check("create_mapping", m != NULL && GetLastError() == ERROR_SUCCESS, GetLastError());
    HANDLE m2 = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, L"K32MoreMap");
    check("create_existing", m2 != NULL && GetLastError() == ERROR_ALREADY_EXISTS, GetLastError());
    HANDLE m3 = OpenFileMappingA(FILE_MAP_READ, FALSE, "K32MoreMap");
    check("open_mapping", m3 != NULL, GetLastError());
    char *a = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char *b = MapViewOfFileEx(m2, FILE_MAP_ALL_ACCESS, 0, 0, 4096, NULL);
    const char *r = MapViewOfFile(m3, FILE_MAP_READ, 0, 0, 0);
    check("map_views", a && b && r && a != b && b != r, GetLastError());
    if (a && b && r) {
        check("fresh_zeroed", a[0] == 0 && a[65535] == 0, a[0]);
        strcpy(a, "written through a");
        check("b_sees_a", strcmp(b, "written through a") == 0, 0);
        b[100] = 'Z';
        check("a_sees_b", a[100] == 'Z' && r[100] == 'Z', a[100]);
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(r, &mbi, sizeof(mbi));
        check("read_view_readonly", mbi.Protect == PAGE_READONLY && mbi.Type == MEM_MAPPED, mbi.Protect);
        check("flush_view", FlushViewOfFile(a, 0), GetLastError());
    }
    char *c = MapViewOfFile(m, FILE_MAP_COPY, 0, 0, 4096);
    check("copy_view", c != NULL && c[100] == 'Z', GetLastError());
    if (c && a) {
        c[100] = 'C';
        check("copy_private", c[100] == 'C' && a[100] == 'Z', a[100]);
    }
    check("write_on_read_handle", MapViewOfFile(m3, FILE_MAP_WRITE, 0, 0, 0) == NULL &&
          GetLastError() == ERROR_ACCESS_DENIED, GetLastError());
    check("unaligned_offset", MapViewOfFile(m, FILE_MAP_READ, 0, 4096, 0) == NULL &&
          GetLastError() == ERROR_MAPPED_ALIGNMENT, GetLastError());
    check("bad_access", MapViewOfFile(m, 0, 0, 0, 0) == NULL && GetLastError() == ERROR_INVALID_PARAMETER,
          GetLastError());
    check("unmap", a && UnmapViewOfFile(a), GetLastError());
    check("unmap_again", !UnmapViewOfFile(a), 0);
    check("flush_unmapped", !FlushViewOfFile(a, 0) && GetLastError() == ERROR_INVALID_ADDRESS, GetLastError());
    if (b) UnmapViewOfFile(b);
    if (c) UnmapViewOfFile(c);
    if (r) UnmapViewOfFile(r);
    CloseHandle(m);
    CloseHandle(m2);
    CloseHandle(m3);
    check("open_after_close", OpenFileMappingA(FILE_MAP_READ, FALSE, "K32MoreMap") == NULL &&
          GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    check("open_missing_w", OpenFileMappingW(FILE_MAP_READ, FALSE, L"K32NoSuchMap") == NULL &&
          GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());

    HANDLE anon = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 8192, NULL);
    check("anonymous_mapping", anon != NULL, GetLastError());
    CloseHandle(anon);
    check("zero_size", CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0, NULL) == NULL &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    check("bad_protect", CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_NOACCESS, 0, 4096, NULL) == NULL &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    HANDLE f = CreateFileA(DIR "\\data.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written;
    WriteFile(f, "data", 4, &written, NULL);
    check("file_mapping_not_supported", CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL) == NULL &&
          GetLastError() == ERROR_NOT_SUPPORTED, GetLastError());
    CloseHandle(f);
    DeleteFileA(DIR "\\data.bin");
    test_mapping_child();
}

static ULONGLONG ft64(FILETIME f) { return ((ULONGLONG)f.dwHighDateTime << 32) | f.dwLowDateTime; }

/* GetProcessTimes / GetThreadTimes: a busy loop in user mode shows as user time; creation is in
 * the past, the exit time 0 while running; a child that ended has an exit time after its start. */
static void test_times(void)
{
    FILETIME create, exitt, kernel, user, now;
    DWORD start = GetTickCount();
    volatile unsigned spin = 0;
    while (GetTickCount() - start < 200) spin++;
    BOOL ok = GetThreadTimes(GetCurrentThread(), &create, &exitt, &kernel, &user);
    GetSystemTimeAsFileTime(&now);
    check("thread_times", ok && ft64(user) > 0 && ft64(exitt) == 0 && ft64(create) > 0 && ft64(create) <= ft64(now),
          (DWORD)(ft64(user) / 10000));
    FILETIME pcreate, pexit, pkernel, puser;
    ok = GetProcessTimes(GetCurrentProcess(), &pcreate, &pexit, &pkernel, &puser);
    check("process_times", ok && ft64(puser) >= ft64(user) && ft64(pexit) == 0 && ft64(pcreate) <= ft64(create),
          (DWORD)(ft64(puser) / 10000));
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char cmd[] = "C:\\Tests\\pipechild.exe";
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;            /* its lines go nowhere */
    ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    if (ok) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        ok = GetProcessTimes(pi.hProcess, &pcreate, &pexit, &pkernel, &puser);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    check("child_process_times", ok && ft64(pexit) >= ft64(pcreate) && ft64(pcreate) >= ft64(create), GetLastError());
    check("times_bad_handle", !GetProcessTimes((HANDLE)0x1234, &pcreate, &pexit, &pkernel, &puser) &&
          GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
    check("times_null", !GetThreadTimes(GetCurrentThread(), NULL, &exitt, &kernel, &user) &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return mapping_child(argv[2]);
    CreateDirectoryA(DIR, NULL);
    test_sysinfo();
    test_computer_name();
    test_expand();
    test_search_path();
    test_temp_file();
    test_drives();
    test_slist();
    test_console_cp();
    test_mapping();
    test_times();
    RemoveDirectoryA(DIR);
    printf("%s: %d failures\n", WTEST_NAME, failures);
    return failures != 0;
}
