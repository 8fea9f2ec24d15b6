/* w_kernel32_file.c - kernel32's file functions as a stock MinGW program sees them: every
 * CreateFile disposition and the error codes Windows gives (file/path not found, file exists,
 * already exists, sharing violation, access denied, invalid handle), reading, writing, the file
 * pointer and size, attributes, rename, copy, directories, FindFirstFile enumeration, delete. */
#define WTEST_NAME "w_kernel32_file"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <string.h>


#define DIR "C:\\k32file"
#define F1 DIR "\\one.txt"
#define F2 DIR "\\two.txt"
#define F3 DIR "\\three.txt"

static HANDLE open_file(const char *name, DWORD access, DWORD share, DWORD disposition)
{
    return CreateFileA(name, access, share, NULL, disposition, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* Removes what an earlier, interrupted run may have left (the disk image persists). */
static void cleanup(void)
{
    WIN32_FIND_DATAA fd;
    HANDLE f = FindFirstFileA(DIR "\\*", &fd);
    if (f != INVALID_HANDLE_VALUE) {
        do {
            char path[MAX_PATH];
            if (fd.cFileName[0] == '.') continue;
            snprintf(path, sizeof(path), "%s\\%s", DIR, fd.cFileName);
            SetFileAttributesA(path, FILE_ATTRIBUTE_ARCHIVE);     /* whatever read-only was left */
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) RemoveDirectoryA(path);
            else DeleteFileA(path);
        } while (FindNextFileA(f, &fd));
        FindClose(f);
    }
    RemoveDirectoryA(DIR);
}

static void test_dispositions(void)
{
    DWORD n, e;
    HANDLE h;

    SetLastError(0xdead);
    h = open_file(F1, GENERIC_READ, 0, OPEN_EXISTING);
    e = GetLastError();
    check("open_missing_file", h == INVALID_HANDLE_VALUE && e == ERROR_FILE_NOT_FOUND, e);

    h = open_file(DIR "\\nodir\\x.txt", GENERIC_READ, 0, OPEN_EXISTING);
    e = GetLastError();
    check("open_missing_path", h == INVALID_HANDLE_VALUE && e == ERROR_PATH_NOT_FOUND, e);

    h = open_file(F1, GENERIC_READ | GENERIC_WRITE, 0, CREATE_NEW);
    e = GetLastError();
    check("create_new", h != INVALID_HANDLE_VALUE && e == 0, e);
    check("write", WriteFile(h, "hello world", 11, &n, NULL) && n == 11, GetLastError());
    CloseHandle(h);

    h = open_file(F1, GENERIC_READ, 0, CREATE_NEW);
    e = GetLastError();
    check("create_new_existing", h == INVALID_HANDLE_VALUE && e == ERROR_FILE_EXISTS, e);

    h = open_file(F1, GENERIC_READ, FILE_SHARE_READ, OPEN_ALWAYS);
    e = GetLastError();
    check("open_always_existing", h != INVALID_HANDLE_VALUE && e == ERROR_ALREADY_EXISTS, e);
    char buf[32] = { 0 };
    check("read", ReadFile(h, buf, sizeof(buf), &n, NULL) && n == 11 && memcmp(buf, "hello world", 11) == 0, n);
    check("read_at_eof", ReadFile(h, buf, sizeof(buf), &n, NULL) && n == 0, n);

    /* A second opener that wants to write is refused: the first shares reading only. */
    HANDLE h2 = open_file(F1, GENERIC_WRITE, FILE_SHARE_READ, OPEN_EXISTING);
    e = GetLastError();
    check("sharing_violation", h2 == INVALID_HANDLE_VALUE && e == ERROR_SHARING_VIOLATION, e);
    h2 = open_file(F1, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING);
    check("shared_read", h2 != INVALID_HANDLE_VALUE, GetLastError());
    CloseHandle(h2);
    CloseHandle(h);

    h = open_file(F2, GENERIC_WRITE, 0, OPEN_ALWAYS);
    e = GetLastError();
    check("open_always_new", h != INVALID_HANDLE_VALUE && e == 0, e);
    CloseHandle(h);

    h = open_file(F1, GENERIC_WRITE, 0, CREATE_ALWAYS);
    e = GetLastError();
    check("create_always_existing", h != INVALID_HANDLE_VALUE && e == ERROR_ALREADY_EXISTS, e);
    check("create_always_truncates", GetFileSize(h, NULL) == 0, GetFileSize(h, NULL));
    WriteFile(h, "0123456789", 10, &n, NULL);
    CloseHandle(h);

    h = open_file(F3, GENERIC_WRITE, 0, CREATE_ALWAYS);
    e = GetLastError();
    check("create_always_new", h != INVALID_HANDLE_VALUE && e == 0, e);
    CloseHandle(h);

    h = open_file(DIR "\\missing.txt", GENERIC_WRITE, 0, TRUNCATE_EXISTING);
    e = GetLastError();
    check("truncate_missing", h == INVALID_HANDLE_VALUE && e == ERROR_FILE_NOT_FOUND, e);
    h = open_file(F1, GENERIC_WRITE, 0, TRUNCATE_EXISTING);
    check("truncate_existing", h != INVALID_HANDLE_VALUE && GetFileSize(h, NULL) == 0, GetLastError());
    WriteFile(h, "0123456789", 10, &n, NULL);
    CloseHandle(h);

    h = open_file(F1, GENERIC_READ, 0, 77);
    e = GetLastError();
    check("bad_disposition", h == INVALID_HANDLE_VALUE && e == ERROR_INVALID_PARAMETER, e);
}

static void test_pointer_and_size(void)
{
    DWORD n;
    char c = 0;
    HANDLE h = open_file(F1, GENERIC_READ | GENERIC_WRITE, 0, OPEN_EXISTING);
    check("size", GetFileSize(h, NULL) == 10, GetFileSize(h, NULL));
    check("seek_begin", SetFilePointer(h, 4, NULL, FILE_BEGIN) == 4, GetLastError());
    check("read_after_seek", ReadFile(h, &c, 1, &n, NULL) && n == 1 && c == '4', c);
    check("seek_current", SetFilePointer(h, -2, NULL, FILE_CURRENT) == 3, GetLastError());
    check("seek_end", SetFilePointer(h, -1, NULL, FILE_END) == 9, GetLastError());
    DWORD r = SetFilePointer(h, -20, NULL, FILE_CURRENT);
    DWORD e = GetLastError();
    check("seek_negative", r == INVALID_SET_FILE_POINTER && e == ERROR_NEGATIVE_SEEK, e);
    SetFilePointer(h, 6, NULL, FILE_BEGIN);
    check("set_end_of_file", SetEndOfFile(h) && GetFileSize(h, NULL) == 6, GetFileSize(h, NULL));
    LARGE_INTEGER size;
    check("get_file_size_ex", GetFileSizeEx(h, &size) && size.QuadPart == 6, (DWORD)size.QuadPart);
    check("flush", FlushFileBuffers(h), GetLastError());
    check("file_type_disk", GetFileType(h) == FILE_TYPE_DISK, GetFileType(h));
    CloseHandle(h);

    SetLastError(0);
    check("close_invalid", !CloseHandle((HANDLE)(ULONG_PTR)0x1234) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
    check("read_invalid", !ReadFile((HANDLE)(ULONG_PTR)0x1234, &c, 1, &n, NULL) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
}

static void test_attributes(void)
{
    DWORD a = GetFileAttributesA(F1);
    check("attributes_file", a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY), a);
    a = GetFileAttributesA(DIR);
    check("attributes_dir", a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY), a);
    a = GetFileAttributesA(DIR "\\none.txt");
    check("attributes_missing", a == INVALID_FILE_ATTRIBUTES && GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    WIN32_FILE_ATTRIBUTE_DATA data;
    check("attributes_ex", GetFileAttributesExA(F1, GetFileExInfoStandard, &data) && data.nFileSizeLow == 6,
          data.nFileSizeLow);
    check("set_readonly", SetFileAttributesA(F3, FILE_ATTRIBUTE_READONLY) &&
          (GetFileAttributesA(F3) & FILE_ATTRIBUTE_READONLY), GetFileAttributesA(F3));
    HANDLE h = open_file(F3, GENERIC_WRITE, 0, OPEN_EXISTING);
    DWORD e = GetLastError();
    check("readonly_write_denied", h == INVALID_HANDLE_VALUE && e == ERROR_ACCESS_DENIED, e);
    if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
    /* FILE_ATTRIBUTE_NORMAL alone means "no attributes": it clears read-only. */
    check("clear_readonly", SetFileAttributesA(F3, FILE_ATTRIBUTE_NORMAL) &&
          !(GetFileAttributesA(F3) & FILE_ATTRIBUTE_READONLY), GetFileAttributesA(F3));
    SetFileAttributesA(F3, FILE_ATTRIBUTE_ARCHIVE);
    h = open_file(DIR, GENERIC_READ, 0, OPEN_EXISTING);
    e = GetLastError();
    check("open_directory_denied", h == INVALID_HANDLE_VALUE && e == ERROR_ACCESS_DENIED, e);
}

static void test_names(void)
{
    check("move", MoveFileA(F2, DIR "\\renamed.txt") && GetFileAttributesA(F2) == INVALID_FILE_ATTRIBUTES &&
          GetFileAttributesA(DIR "\\renamed.txt") != INVALID_FILE_ATTRIBUTES, GetLastError());
    BOOL ok = MoveFileA(DIR "\\renamed.txt", F1);
    DWORD e = GetLastError();
    check("move_onto_existing", !ok && e == ERROR_ALREADY_EXISTS, e);
    check("move_replace", MoveFileExA(DIR "\\renamed.txt", F2, MOVEFILE_REPLACE_EXISTING), GetLastError());
    check("copy", CopyFileA(F1, DIR "\\copy.txt", TRUE), GetLastError());
    ok = CopyFileA(F1, DIR "\\copy.txt", TRUE);
    e = GetLastError();
    check("copy_fail_if_exists", !ok && e == ERROR_FILE_EXISTS, e);
    HANDLE h = open_file(DIR "\\copy.txt", GENERIC_READ, 0, OPEN_EXISTING);
    char buf[16] = { 0 };
    DWORD n = 0;
    ReadFile(h, buf, sizeof(buf), &n, NULL);
    CloseHandle(h);
    check("copy_content", n == 6 && memcmp(buf, "012345", 6) == 0, n);

    check("create_directory", CreateDirectoryA(DIR "\\sub", NULL), GetLastError());
    ok = CreateDirectoryA(DIR "\\sub", NULL);
    e = GetLastError();
    check("create_directory_existing", !ok && e == ERROR_ALREADY_EXISTS, e);
    ok = CreateDirectoryA(DIR "\\no\\sub", NULL);
    e = GetLastError();
    check("create_directory_no_parent", !ok && e == ERROR_PATH_NOT_FOUND, e);
    h = open_file(DIR "\\sub\\inner.txt", GENERIC_WRITE, 0, CREATE_NEW);
    CloseHandle(h);
    ok = RemoveDirectoryA(DIR "\\sub");
    e = GetLastError();
    check("remove_nonempty", !ok && e == ERROR_DIR_NOT_EMPTY, e);
    DeleteFileA(DIR "\\sub\\inner.txt");
    check("remove_directory", RemoveDirectoryA(DIR "\\sub"), GetLastError());

    /* FILE_FLAG_DELETE_ON_CLOSE: the file goes with its last handle. */
    h = CreateFileA(DIR "\\temp.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    check("delete_on_close_open", h != INVALID_HANDLE_VALUE, GetLastError());
    CloseHandle(h);
    check("delete_on_close_gone", GetFileAttributesA(DIR "\\temp.txt") == INVALID_FILE_ATTRIBUTES, 0);
}

static void test_find(void)
{
    WIN32_FIND_DATAA fd;
    int files = 0, sawOne = 0;
    HANDLE f = FindFirstFileA(DIR "\\*.txt", &fd);
    check("find_first", f != INVALID_HANDLE_VALUE, GetLastError());
    if (f != INVALID_HANDLE_VALUE) {
        do {
            files++;
            if (lstrcmpiA(fd.cFileName, "one.txt") == 0 && fd.nFileSizeLow == 6) sawOne = 1;
        } while (FindNextFileA(f, &fd));
        check("find_no_more_files", GetLastError() == ERROR_NO_MORE_FILES, GetLastError());
        check("find_close", FindClose(f), GetLastError());
    }
    /* one.txt, two.txt, three.txt, copy.txt */
    check("find_count", files == 4, files);
    check("find_entry", sawOne, 0);
    f = FindFirstFileA(DIR "\\*.zzz", &fd);
    check("find_none", f == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    f = FindFirstFileA(DIR "\\nodir\\*", &fd);
    check("find_bad_path", f == INVALID_HANDLE_VALUE && GetLastError() == ERROR_PATH_NOT_FOUND, GetLastError());
    check("find_close_invalid", !FindClose(INVALID_HANDLE_VALUE) && GetLastError() == ERROR_INVALID_HANDLE,
          GetLastError());
}

static void test_delete(void)
{
    check("delete", DeleteFileA(F1) && GetFileAttributesA(F1) == INVALID_FILE_ATTRIBUTES, GetLastError());
    BOOL ok = DeleteFileA(F1);
    DWORD e = GetLastError();
    check("delete_missing", !ok && e == ERROR_FILE_NOT_FOUND, e);
    ok = DeleteFileA(DIR);
    e = GetLastError();
    check("delete_directory_denied", !ok && e == ERROR_ACCESS_DENIED, e);
}

static void test_paths(void)
{
    char cur[MAX_PATH], full[MAX_PATH];
    char *part = NULL;
    check("set_current_directory", SetCurrentDirectoryA(DIR), GetLastError());
    DWORD n = GetCurrentDirectoryA(MAX_PATH, cur);
    check("get_current_directory", n == strlen(DIR) && lstrcmpiA(cur, DIR) == 0, n);
    n = GetFullPathNameA("two.txt", MAX_PATH, full, &part);
    check("full_path", n == strlen(F2) && lstrcmpiA(full, F2) == 0 && part && lstrcmpA(part, "two.txt") == 0, n);
    HANDLE h = open_file("two.txt", GENERIC_READ, 0, OPEN_EXISTING);
    check("relative_open", h != INVALID_HANDLE_VALUE, GetLastError());
    CloseHandle(h);
    SetCurrentDirectoryA("C:\\");
}

/* DOS device names: NUL (also as "dir\nul.txt") is the null device, CON the console. */
static void test_devices(void)
{
    char full[MAX_PATH];
    DWORD n = 0;
    check("full_path_of_nul", GetFullPathNameA("nul", MAX_PATH, full, NULL) == 7 && lstrcmpiA(full, "\\\\.\\nul") == 0,
          GetLastError());
    HANDLE h = CreateFileA(DIR "\\nul.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BOOL ok = h != INVALID_HANDLE_VALUE && WriteFile(h, "gone", 4, &n, NULL) && n == 4;
    if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
    WIN32_FIND_DATAA fd;
    HANDLE f = FindFirstFileA(DIR "\\nul*", &fd);
    check("nul_device_not_a_file", ok && f == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND,
          GetLastError());
    if (f != INVALID_HANDLE_VALUE) FindClose(f);
    h = CreateFileA("CON", GENERIC_WRITE, FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    ok = h != INVALID_HANDLE_VALUE && WriteFile(h, "via CON\r\n", 9, &n, NULL) && n == 9;
    check("con_is_the_console", ok && GetFileType(h) == FILE_TYPE_CHAR, GetLastError());
}

int main(void)
{
    cleanup();
    check("setup", CreateDirectoryA(DIR, NULL), GetLastError());
    test_dispositions();
    test_pointer_and_size();
    test_attributes();
    test_names();
    test_find();
    test_paths();
    test_devices();
    test_delete();
    cleanup();
    printf("w_kernel32_file: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
