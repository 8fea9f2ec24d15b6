/* walk.c - the program tests/gdb/walk.py steps through: one CreateFileW of a new file (kernel32 ->
 * ntdll -> int 0x2E -> NtCreateFile -> the I/O manager -> FAT -> the disk), a write, a close, and
 * one CreateProcessW (kernel32 -> csrss over LPC). Not a w_* test: the gdb test runs it. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    DWORD written;
    HANDLE h = CreateFileW(L"C:\\Tests\\walk.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) return 1;
    WriteFile(h, "walked\r\n", 8, &written, NULL);
    CloseHandle(h);
    STARTUPINFOW si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    WCHAR cmd[] = L"C:\\Windows\\System32\\cmd.exe /c exit 7";
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 2;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("walk: child exited with %lu\n", code);
    return code == 7 ? 0 : 3;
}
