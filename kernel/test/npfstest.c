/*
 * npfstest.c - self-tests of the named-pipe file system through the Zw services (kernel-mode
 * requests, so nothing here may wait: the server end is non-blocking and the client end only
 * writes what fits): the parameter checks of NtCreateNamedPipeFile, instances and clients,
 * data both ways with short and partial transfers, the closing of either end, the queries, and
 * the pool back where it was.
 */
#include "io.h"
#include "rtl.h"
#include "kd.h"
#include "boottest.h"

#define NPFS_POOL_TAG POOL_TAG('N', 'p', 'F', 's')
#define NPFS_DATA_POOL_TAG POOL_TAG('N', 'p', 'D', 't')

static NTSTATUS TstPipeServer(PCWSTR Name, ULONG Disposition, ULONG Type, ULONG MaxInstances, ULONG Quota,
                              HANDLE *Handle)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return ZwCreateNamedPipeFile(Handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, Disposition, FILE_SYNCHRONOUS_IO_NONALERT, Type,
                                 FILE_PIPE_BYTE_STREAM_MODE, FILE_PIPE_COMPLETE_OPERATION, MaxInstances, Quota,
                                 Quota, NULL);
}

static NTSTATUS TstPipeClient(PCWSTR Name, HANDLE *Handle)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return ZwOpenFile(Handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, 0, FILE_SYNCHRONOUS_IO_NONALERT);
}

static NTSTATUS TstPipeIo(BOOLEAN Write, HANDLE h, const VOID *Data, ULONG Length, PULONG Done)
{
    IO_STATUS_BLOCK iosb = { .Status = STATUS_SUCCESS, .Information = 0 };
    NTSTATUS s = Write ? ZwWriteFile(h, NULL, NULL, NULL, &iosb, (PVOID)Data, Length, NULL, NULL)
                       : ZwReadFile(h, NULL, NULL, NULL, &iosb, (PVOID)Data, Length, NULL, NULL);
    *Done = NT_SUCCESS(s) ? (ULONG)iosb.Information : 0;
    return s;
}

static PCSTR TstPipeParameters(VOID)
{
    HANDLE h;
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\t", FILE_CREATE, 5, 1, 0, &h) == STATUS_INVALID_PARAMETER, "type 5");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\m", FILE_CREATE, FILE_PIPE_MESSAGE_TYPE, 2, 0, &h) == STATUS_SUCCESS,
          "message type");
    HANDLE other;
    NTSTATUS s = TstPipeServer(u"\\Device\\NamedPipe\\m", FILE_OPEN_IF, FILE_PIPE_BYTE_STREAM_TYPE, 2, 0, &other);
    if (NT_SUCCESS(s)) ZwClose(other);
    ZwClose(h);
    CHECK(s == STATUS_INVALID_PARAMETER, "a byte instance of a message pipe");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\t", FILE_CREATE, 0, 0, 0, &h) == STATUS_INVALID_PARAMETER,
          "no instances");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\t", FILE_SUPERSEDE, 0, 1, 0, &h) == STATUS_INVALID_PARAMETER,
          "supersede");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\", FILE_CREATE, 0, 1, 0, &h) == STATUS_OBJECT_NAME_INVALID,
          "empty name");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\t", FILE_OPEN, 0, 1, 0, &h) == STATUS_OBJECT_NAME_NOT_FOUND,
          "open of no pipe");
    CHECK(TstPipeServer(u"\\Device\\Null\\t", FILE_CREATE, 0, 1, 0, &h) == STATUS_INVALID_DEVICE_REQUEST,
          "not the NPFS");
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\t", &h) == STATUS_OBJECT_NAME_NOT_FOUND, "client of no pipe");
    return NULL;
}

static PCSTR TstPipeInstances(VOID)
{
    HANDLE s1, s2, s3, c1, c2, c3;
    CHECK(TstPipeServer(u"\\??\\PIPE\\inst", FILE_CREATE, 0, 2, 0, &s1) == STATUS_SUCCESS, "first instance");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\INST", FILE_CREATE, 0, 2, 0, &s3) == STATUS_ACCESS_DENIED,
          "FILE_CREATE of an existing pipe");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\inst", FILE_OPEN_IF, 0, 2, 0, &s2) == STATUS_SUCCESS, "second");
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\inst", FILE_OPEN_IF, 0, 2, 0, &s3) == STATUS_INSTANCE_NOT_AVAILABLE,
          "third of two");
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\inst", &c1) == STATUS_SUCCESS, "client 1");
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\inst", &c2) == STATUS_SUCCESS, "client 2");
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\inst", &c3) == STATUS_PIPE_BUSY, "client 3");
    ZwClose(c1);
    ZwClose(c2);
    ZwClose(s1);
    ZwClose(s2);
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\inst", &c3) == STATUS_OBJECT_NAME_NOT_FOUND, "pipe gone");
    return NULL;
}

static PCSTR TstPipeData(VOID)
{
    HANDLE s, c;
    UCHAR buf[32];
    ULONG n;
    CHECK(TstPipeServer(u"\\Device\\NamedPipe\\data", FILE_CREATE, 0, 1, 16, &s) == STATUS_SUCCESS, "server");
    CHECK(TstPipeIo(FALSE, s, buf, sizeof(buf), &n) == STATUS_PIPE_LISTENING, "read before a client");
    CHECK(TstPipeIo(TRUE, s, "x", 1, &n) == STATUS_PIPE_LISTENING, "write before a client");
    CHECK(TstPipeClient(u"\\Device\\NamedPipe\\data", &c) == STATUS_SUCCESS, "client");
    CHECK(TstPipeIo(FALSE, s, buf, sizeof(buf), &n) == STATUS_PIPE_EMPTY, "non-blocking read of nothing");
    CHECK(TstPipeIo(TRUE, c, "0123456789", 10, &n) == STATUS_SUCCESS && n == 10, "client write");
    CHECK(TstPipeIo(FALSE, s, buf, 4, &n) == STATUS_SUCCESS && n == 4 && !memcmp(buf, "0123", 4), "partial read");
    CHECK(TstPipeIo(TRUE, c, "abcdefghij", 10, &n) == STATUS_SUCCESS && n == 10, "write around the ring");
    CHECK(TstPipeIo(FALSE, s, buf, sizeof(buf), &n) == STATUS_SUCCESS && n == 16 &&
          !memcmp(buf, "456789abcdefghij", 16), "read across the wrap");
    CHECK(TstPipeIo(TRUE, s, "ABCDEFGHIJKLMNOPQRST", 20, &n) == STATUS_SUCCESS && n == 16, "short write");
    IO_STATUS_BLOCK iosb;
    FILE_STANDARD_INFORMATION std;
    CHECK(ZwQueryInformationFile(c, &iosb, &std, sizeof(std), FileStandardInformation) == STATUS_SUCCESS &&
          std.EndOfFile.QuadPart == 16, "standard information");
    ZwClose(s);
    CHECK(TstPipeIo(FALSE, c, buf, sizeof(buf), &n) == STATUS_SUCCESS && n == 16 &&
          !memcmp(buf, "ABCDEFGHIJKLMNOP", 16), "what is left after the server closed");
    CHECK(TstPipeIo(FALSE, c, buf, sizeof(buf), &n) == STATUS_PIPE_BROKEN, "then broken");
    CHECK(TstPipeIo(TRUE, c, "x", 1, &n) == STATUS_PIPE_CLOSING, "write to a closed server");
    ZwClose(c);
    return NULL;
}

static SIZE_T TstNpfsBytes(VOID)
{
    POOL_TRACKER_ENTRY a, b;
    SIZE_T total = 0;
    if (ExQueryPoolTag(NPFS_POOL_TAG, &a)) total += a.Pool[NonPagedPool].Bytes;
    if (ExQueryPoolTag(NPFS_DATA_POOL_TAG, &b)) total += b.Pool[NonPagedPool].Bytes;
    return total;
}

static PCSTR TestNpfs(VOID)
{
    SIZE_T before = TstNpfsBytes();
    PCSTR failed = TstPipeParameters();
    if (failed == NULL) failed = TstPipeInstances();
    if (failed == NULL) failed = TstPipeData();
    if (failed) return failed;
    CHECK(TstNpfsBytes() == before, "NPFS pool not back to its baseline");
    return NULL;
}

SELFTEST("io.npfs", TestNpfs);
