/* w_imagecache.c - the memory manager keeps a program's image segment after the program ends (the
 * image cache, kernel/mm/imagesect.c), so the next run of the same file maps it without reading
 * the file again. This checks that the cache never runs stale or modified bytes:
 *   - a second run reuses the image, and a page the first run wrote (copy-on-write data) comes
 *     back pristine;
 *   - a byte patched into the file after a run (an open for write drops the cached image) runs;
 *   - a file overwritten with another program's bytes (CopyFile over it) runs as that program;
 *   - a file deleted after a run goes, and a new file made in its place runs as itself;
 *   - a file replaced by a rename (MoveFileEx REPLACE_EXISTING) runs as the renamed program;
 *   - while the image is mapped by a running process, the file still cannot be opened for
 *     writing, deleted or replaced, and a second run of it shares the mapped image.
 * The program under test is a copy of this one (its child role "mark" exits with 40 + the digit
 * at the end of a marker in its data) or of nop32.exe (exits with 0). */
#define WTEST_NAME "w_imagecache"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "C:\\icprog.exe"
#define SPARE "C:\\icnew.exe"
#define NOP "C:\\Tests\\nop32.exe"

/* Initialised, writable data: the file carries it, and a run may change its own copy. */
static volatile char marker[] = "nanont-image-cache-marker=0";

static int mark_child(void)
{
    int digit = marker[sizeof(marker) - 2] - '0';
    marker[sizeof(marker) - 2] = '9';            /* a private copy: the next run must see the file's byte */
    return marker[sizeof(marker) - 2] == '9' ? 40 + digit : 99;
}

/* Runs PROG with Args and returns its exit code, or -1 if it could not start. */
static long run(const char *args)
{
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    char cmd[MAX_PATH];
    DWORD code;
    snprintf(cmd, sizeof(cmd), "%s %s", PROG, args);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return -1;
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (!GetExitCodeProcess(pi.hProcess, &code)) code = (DWORD)-2;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (long)code;
}

/* Changes the marker's digit in PROG's file to Digit: the file is opened for writing, which the
 * file system allows only when no process maps it. */
static int patch_marker(char digit)
{
    HANDLE h = CreateFileA(PROG, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return 0;
    DWORD size = GetFileSize(h, NULL), done = 0, n;
    char *bytes = malloc(size);
    int ok = bytes && ReadFile(h, bytes, size, &done, NULL) && done == size;
    const char *name = "nanont-image-cache-marker=";
    size_t len = strlen(name);
    long at = -1;
    for (DWORD i = 0; ok && at < 0 && i + len < size; i++)
        if (bytes[i + len] >= '0' && bytes[i + len] <= '9' && memcmp(bytes + i, name, len) == 0) at = (long)(i + len);
    ok = ok && at >= 0 && SetFilePointer(h, at, NULL, FILE_BEGIN) == (DWORD)at &&
         WriteFile(h, &digit, 1, &n, NULL) && n == 1;
    free(bytes);
    CloseHandle(h);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "mark") == 0) return mark_child();
    if (argc > 1 && strcmp(argv[1], "sleep") == 0) { Sleep(INFINITE); return 0; }

    char self[MAX_PATH];
    DeleteFileA(PROG);
    DeleteFileA(SPARE);
    check("copy", GetModuleFileNameA(NULL, self, sizeof(self)) && CopyFileA(self, PROG, FALSE), GetLastError());

    long code = run("mark");
    check("first_run", code == 40, code);
    code = run("mark");
    check("second_run_pristine", code == 40, code);     /* the cached image, its data unwritten */

    check("patch_after_run", patch_marker('7'), GetLastError());
    code = run("mark");
    check("patched_byte_runs", code == 47, code);

    check("overwrite_after_run", CopyFileA(NOP, PROG, FALSE), GetLastError());
    code = run("mark");
    check("overwritten_runs_new_program", code == 0, code);

    check("delete_after_run", DeleteFileA(PROG), GetLastError());
    check("recreate", CopyFileA(self, PROG, TRUE), GetLastError());
    code = run("mark");
    check("recreated_runs_itself", code == 40, code);

    check("spare", CopyFileA(NOP, SPARE, FALSE), GetLastError());
    check("rename_over_after_run", MoveFileExA(SPARE, PROG, MOVEFILE_REPLACE_EXISTING), GetLastError());
    code = run("mark");
    check("renamed_runs", code == 0, code);

    /* A running process maps the image: the file is locked, and a second run shares the image. */
    check("copy_again", CopyFileA(self, PROG, FALSE), GetLastError());
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    char cmd[] = PROG " sleep";
    BOOL started = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    check("start_sleeper", started, GetLastError());
    if (started) {
        HANDLE h = CreateFileA(PROG, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                               OPEN_EXISTING, 0, NULL);
        DWORD error = GetLastError();
        check("mapped_no_write", h == INVALID_HANDLE_VALUE && error == ERROR_SHARING_VIOLATION, error);
        if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
        BOOL deleted = DeleteFileA(PROG);
        error = GetLastError();
        check("mapped_no_delete", !deleted && error == ERROR_ACCESS_DENIED, error);
        check("spare_again", CopyFileA(NOP, SPARE, FALSE), GetLastError());
        BOOL moved = MoveFileExA(SPARE, PROG, MOVEFILE_REPLACE_EXISTING);
        error = GetLastError();
        check("mapped_no_rename_over", !moved, error);
        code = run("mark");
        check("run_while_mapped", code == 40, code);
        TerminateProcess(pi.hProcess, 1);
        WaitForSingleObject(pi.hProcess, INFINITE);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    code = run("mark");
    check("run_after_refusals", code == 40, code);
    check("delete_at_end", DeleteFileA(PROG), GetLastError());
    DeleteFileA(SPARE);
    return failures != 0;
}
