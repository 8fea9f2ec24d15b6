/*
 * conread.c - reads one line typed on the console device (\Device\Console: COM1 or the
 * keyboard) and prints it back, for the system test that types into COM1: "CONREAD: ready", then
 * everything up to Enter, then "CONREAD: got '<line>'". Exits 0 if a line came.
 */
#include "ntndk.h"

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    char line[64];
    ULONG n = 0;
    UNREFERENCED_PARAMETER(Peb);
    RtlInitUnicodeString(&name, L"\\Device\\Console");
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    NTSTATUS s = NtOpenFile(&h, FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE, &oa, &iosb,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT);
    if (!NT_SUCCESS(s)) return s;
    DbgPrint("CONREAD: ready\n");
    while (n < sizeof(line) - 1) {
        char c;
        s = NtReadFile(h, NULL, NULL, NULL, &iosb, &c, 1, NULL, NULL);
        if (!NT_SUCCESS(s)) break;
        if (c == '\r') break;
        line[n++] = c;
    }
    line[n] = 0;
    DbgPrint("CONREAD: got '%s'\n", line);
    NtClose(h);
    return NT_SUCCESS(s) && n ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
