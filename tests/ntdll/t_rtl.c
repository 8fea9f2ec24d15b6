/*
 * t_rtl.c - ntdll's smaller Rtl parts inside NanoNT: NTSTATUS -> Win32 error mapping and the
 * TEB's last error/status, bit maps, ANSI/Unicode strings on the process heap, integer
 * conversions, and DOS paths against the real file system (the current directory is set with
 * RtlSetCurrentDirectory_U, which opens it, and names converted by RtlDosPathNameToNtPathName_U
 * are opened with NtOpenFile).
 */
#define NTEST_NAME "t_rtl"
#include "ntest.h"


/* A UTF-16 copy of an ASCII string (rotating static buffers). */
static PWSTR W(PCSTR s)
{
    static WCHAR buffers[4][300];
    static ULONG next;
    PWSTR w = buffers[next++ % 4];
    ULONG i = 0;
    for (; s[i] && i < 299; i++) w[i] = (UCHAR)s[i];
    w[i] = 0;
    return w;
}

static BOOLEAN WEq(PCWSTR w, PCSTR s)
{
    ULONG i = 0;
    for (; s[i]; i++)
        if (w[i] != (UCHAR)s[i]) return FALSE;
    return w[i] == 0;
}

static BOOLEAN UEq(PCUNICODE_STRING u, PCSTR s)
{
    ULONG n = 0;
    while (s[n]) n++;
    if (u->Length != n * 2) return FALSE;
    for (ULONG i = 0; i < n; i++)
        if (u->Buffer[i] != (UCHAR)s[i]) return FALSE;
    return TRUE;
}

static VOID TestStatusMapping(VOID)
{
    static const struct { NTSTATUS Status; ULONG Error; } map[] = {
        { STATUS_SUCCESS, 0 }, { STATUS_OBJECT_NAME_NOT_FOUND, 2 }, { STATUS_OBJECT_PATH_NOT_FOUND, 3 },
        { STATUS_ACCESS_DENIED, 5 }, { STATUS_INVALID_HANDLE, 6 }, { STATUS_OBJECT_NAME_COLLISION, 183 },
        { STATUS_SHARING_VIOLATION, 32 }, { STATUS_NO_MEMORY, 8 }, { STATUS_INVALID_PARAMETER, 87 },
        { STATUS_END_OF_FILE, 38 }, { STATUS_DELETE_PENDING, 5 }, { STATUS_DIRECTORY_NOT_EMPTY, 145 },
        { STATUS_NOT_A_DIRECTORY, 267 }, { STATUS_FILE_IS_A_DIRECTORY, 5 }, { STATUS_PENDING, 997 },
        { STATUS_TIMEOUT, 1460 }, { STATUS_BREAKPOINT, 0x80000003u }, { (NTSTATUS)0xC0070020, 32 },
        { (NTSTATUS)0xC0FFEE00, ERROR_MR_MID_NOT_FOUND },
    };
    ULONG bad = 0;
    for (ULONG i = 0; i < ARRAYSIZE(map); i++) {
        ULONG e = RtlNtStatusToDosError(map[i].Status);
        if (e != map[i].Error) {
            DbgPrint("t_rtl: status %08lx -> %lu, expected %lu\n", (unsigned long)map[i].Status, (unsigned long)e,
                     (unsigned long)map[i].Error);
            bad++;
        }
    }
    NtestExpect("status.mapping", bad == 0, "wrong mappings", bad);
    RtlNtStatusToDosError(STATUS_SHARING_VIOLATION);
    NtestExpect("status.last_status", NtCurrentTeb()->LastStatusValue == (ULONG)STATUS_SHARING_VIOLATION &&
           RtlGetLastNtStatus() == STATUS_SHARING_VIOLATION, "TEB.LastStatusValue", NtCurrentTeb()->LastStatusValue);
    RtlSetLastWin32Error(1234);
    NtestExpect("status.last_error", RtlGetLastWin32Error() == 1234 && NtCurrentTeb()->LastErrorValue == 1234,
           "TEB.LastErrorValue", NtCurrentTeb()->LastErrorValue);
}

static VOID TestBitmaps(VOID)
{
    ULONG buffer[4];
    UCHAR ref[100];
    RTL_BITMAP bm;
    ULONG bad = 0, state = 12345;
    RtlInitializeBitMap(&bm, buffer, 100);
    RtlClearAllBits(&bm);
    for (ULONG i = 0; i < 100; i++) ref[i] = 0;
    for (ULONG op = 0; op < 2000; op++) {
        state = state * 1103515245u + 12345u;
        ULONG start = (state >> 8) % 100, n = (state >> 16) % (101 - start), want = 1 + (state >> 24) % 10;
        switch (op % 4) {
        case 0: RtlSetBits(&bm, start, n); for (ULONG k = 0; k < n; k++) ref[start + k] = 1; break;
        case 1: RtlClearBits(&bm, start, n); for (ULONG k = 0; k < n; k++) ref[start + k] = 0; break;
        case 2: {
            ULONG at = RtlFindClearBitsAndSet(&bm, want, start);
            if (at != RTL_BITMAP_NOT_FOUND) {
                for (ULONG k = 0; k < want; k++) bad += ref[at + k];
                for (ULONG k = 0; k < want; k++) ref[at + k] = 1;
            }
            break;
        }
        default: {
            ULONG count = 0;
            for (ULONG k = 0; k < 100; k++) count += ref[k];
            bad += RtlNumberOfSetBits(&bm) != count;
            bad += RtlNumberOfClearBits(&bm) != 100 - count;
            bad += RtlTestBit(&bm, start) != ref[start];
            break;
        }
        }
    }
    NtestExpect("bitmap.random", bad == 0, "disagrees with the reference", bad);
    RtlClearAllBits(&bm);
    RtlSetBits(&bm, 10, 20);
    NtestExpect("bitmap.ranges", RtlAreBitsSet(&bm, 10, 20) && !RtlAreBitsSet(&bm, 9, 2) && RtlAreBitsClear(&bm, 30, 70) &&
           RtlFindSetBits(&bm, 20, 50) == 10 && RtlFindClearBits(&bm, 11, 0) == 30 &&
           RtlFindClearBits(&bm, 71, 0) == RTL_BITMAP_NOT_FOUND, "range queries", 0);
}

static VOID TestStrings(VOID)
{
    ANSI_STRING a, back;
    UNICODE_STRING u, v;
    WCHAR buffer[16];
    RtlInitAnsiString(&a, "NanoNT \x80");
    NTSTATUS s = RtlAnsiStringToUnicodeString(&u, &a, TRUE);
    NtestExpect("string.ansi_to_unicode", NT_SUCCESS(s) && u.Length == 16 && u.Buffer[0] == 'N' && u.Buffer[7] == 0x20AC,
           "conversion", s);
    if (!NT_SUCCESS(s)) return;
    s = RtlUnicodeStringToAnsiString(&back, &u, TRUE);
    NtestExpect("string.round_trip", NT_SUCCESS(s) && RtlEqualString(&back, &a, FALSE), "round trip", s);
    s = RtlUpcaseUnicodeString(&v, &u, TRUE);
    NtestExpect("string.upcase", NT_SUCCESS(s) && v.Length == 16 && v.Buffer[1] == 'A' && v.Buffer[3] == 'O' && v.Buffer[7] == 0x20AC,
           "upcase", s);
    RtlFreeUnicodeString(&v);
    RtlFreeAnsiString(&back);
    RtlFreeUnicodeString(&u);
    NtestExpect("string.create", RtlCreateUnicodeStringFromAsciiz(&u, "x.dll") && UEq(&u, "x.dll"), "create", 0);
    RtlFreeUnicodeString(&u);
    u = (UNICODE_STRING){ 0, sizeof(buffer), buffer };
    NtestExpect("string.integer", RtlIntegerToUnicodeString(48879, 16, &u) == STATUS_SUCCESS && UEq(&u, "BEEF"),
           "RtlIntegerToUnicodeString", 0);
    ULONG value = 0;
    RtlInitUnicodeString(&u, W(" 0x7fffFFFF"));
    NtestExpect("string.parse", RtlUnicodeStringToInteger(&u, 0, &value) == STATUS_SUCCESS && value == 0x7FFFFFFF,
           "RtlUnicodeStringToInteger", value);
}

/* Opens an NT name converted from a DOS one; the status. */
static NTSTATUS OpenDos(PCSTR Dos, BOOLEAN Directory)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    NTSTATUS s = RtlDosPathNameToNtPathName_U_WithStatus(W(Dos), &name, NULL, NULL);
    if (!NT_SUCCESS(s)) return s;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    s = NtOpenFile(&h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                   FILE_SYNCHRONOUS_IO_NONALERT | (Directory ? FILE_DIRECTORY_FILE : FILE_NON_DIRECTORY_FILE));
    RtlFreeUnicodeString(&name);
    if (NT_SUCCESS(s)) NtClose(h);
    return s;
}

static VOID TestPaths(VOID)
{
    WCHAR buffer[300];
    UNICODE_STRING dir, nt;
    PWSTR file;
    ULONG n = RtlGetCurrentDirectory_U(sizeof(buffer), buffer);
    NtestExpect("path.current_initial", n >= 6 && buffer[1] == ':', "no current directory at start", n);

    RtlInitUnicodeString(&dir, W("C:\\Windows/System32"));
    NTSTATUS s = RtlSetCurrentDirectory_U(&dir);
    NtestExpect("path.set_current", s == STATUS_SUCCESS, "RtlSetCurrentDirectory_U", s);
    n = RtlGetCurrentDirectory_U(sizeof(buffer), buffer);
    NtestExpect("path.get_current", n == 38 && WEq(buffer, "C:\\Windows\\System32"), "RtlGetCurrentDirectory_U", n);
    n = RtlGetFullPathName_U(W("..\\.\\System32\\ntdll.dll"), sizeof(buffer), buffer, &file);
    NtestExpect("path.full", n == 2 * 29 && WEq(buffer, "C:\\Windows\\System32\\ntdll.dll") && file && WEq(file, "ntdll.dll"),
           "RtlGetFullPathName_U", n);
    s = OpenDos("ntdll.dll", FALSE);
    NtestExpect("path.open_relative", NT_SUCCESS(s), "relative name did not open", s);

    RtlInitUnicodeString(&dir, W("C:\\NoSuchDirectory"));
    s = RtlSetCurrentDirectory_U(&dir);
    n = RtlGetCurrentDirectory_U(sizeof(buffer), buffer);
    NtestExpect("path.set_missing", !NT_SUCCESS(s) && WEq(buffer, "C:\\Windows\\System32"), "missing directory accepted", s);
    RtlInitUnicodeString(&dir, W("C:\\Windows\\System32\\ntdll.dll"));
    s = RtlSetCurrentDirectory_U(&dir);
    NtestExpect("path.set_file", !NT_SUCCESS(s), "a file became the current directory", s);

    RtlInitUnicodeString(&dir, W("\\"));
    s = RtlSetCurrentDirectory_U(&dir);
    n = RtlGetCurrentDirectory_U(sizeof(buffer), buffer);
    NtestExpect("path.set_root", s == STATUS_SUCCESS && n == 6 && WEq(buffer, "C:\\"), "root", s);
    RtlInitUnicodeString(&dir, W("Tests"));
    s = RtlSetCurrentDirectory_U(&dir);
    n = RtlGetCurrentDirectory_U(sizeof(buffer), buffer);
    NtestExpect("path.set_relative", s == STATUS_SUCCESS && WEq(buffer, "C:\\Tests"), "relative directory", s);
    NtestExpect("path.open_self", NT_SUCCESS(OpenDos("t_rtl.exe", FALSE)), "this program not found relative", 0);

    BOOLEAN ok = RtlDosPathNameToNtPathName_U(W("C:\\Windows\\..\\Tests\\t_rtl.exe"), &nt, &file, NULL);
    NtestExpect("path.nt_name", ok && UEq(&nt, "\\??\\C:\\Tests\\t_rtl.exe") && file && WEq(file, "t_rtl.exe"),
           "RtlDosPathNameToNtPathName_U", ok);
    if (ok) RtlFreeUnicodeString(&nt);
    ok = RtlDosPathNameToNtPathName_U(W("\\\\.\\C:"), &nt, NULL, NULL);
    NtestExpect("path.nt_device", ok && UEq(&nt, "\\??\\C:"), "\\\\.\\C:", ok);
    if (ok) RtlFreeUnicodeString(&nt);
    NtestExpect("path.type", RtlDetermineDosPathNameType_U(W("C:\\x")) == RtlPathTypeDriveAbsolute &&
           RtlDetermineDosPathNameType_U(W("x")) == RtlPathTypeRelative &&
           RtlDetermineDosPathNameType_U(W("\\x")) == RtlPathTypeRooted &&
           RtlDetermineDosPathNameType_U(W("\\\\s\\x")) == RtlPathTypeUncAbsolute, "path types", 0);
    NtestExpect("path.open_dir", NT_SUCCESS(OpenDos("C:\\Windows\\", TRUE)), "C:\\Windows\\ did not open", 0);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNREFERENCED_PARAMETER(Peb);
    TestStatusMapping();
    TestBitmaps();
    TestStrings();
    TestPaths();
    return NtestResult();
}
