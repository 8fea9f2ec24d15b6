/*
 * fstest.c - self-tests of files on the system volume C:, the whole way down: ZwCreateFile ->
 * the I/O manager -> the FAT file system driver -> the FAT core -> the disk driver (IDE or RAM
 * disk). They need a FAT32 C:; boots that provide one say so with "fs=required" on the command
 * line, and then a missing volume fails the tests instead of skipping them. Also "fsstress" on
 * the command line: an endless create/write/flush/close loop the harness cuts off to check that
 * the volume survives a power loss.
 */
#include "io.h"
#include "ke.h"
#include "kd.h"
#include "rtl.h"
#include "arc.h"
#include "ntstatus.h"
#include "boottest.h"

#define TAG_FSTEST POOL_TAG('F', 's', 'T', 's')

static NTSTATUS TstCreate(PCWSTR Name, ACCESS_MASK Access, ULONG Share, ULONG Disposition, ULONG Options,
                          HANDLE *File, PULONG_PTR Information)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb = { 0 };
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwCreateFile(File, Access | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, Share,
                                   Disposition, Options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (Information) *Information = iosb.Information;
    return status;
}

static NTSTATUS TstWrite(HANDLE File, const VOID *Data, ULONG Length, LONGLONG Offset)
{
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER offset = { .QuadPart = Offset };
    NTSTATUS status = ZwWriteFile(File, NULL, NULL, NULL, &iosb, (PVOID)Data, Length, Offset >= 0 ? &offset : NULL, NULL);
    return NT_SUCCESS(status) && iosb.Information != Length ? STATUS_UNSUCCESSFUL : status;
}

static NTSTATUS TstRead(HANDLE File, PVOID Data, ULONG Length, LONGLONG Offset, PULONG Read)
{
    IO_STATUS_BLOCK iosb = { 0 };
    LARGE_INTEGER offset = { .QuadPart = Offset };
    NTSTATUS status = ZwReadFile(File, NULL, NULL, NULL, &iosb, Data, Length, Offset >= 0 ? &offset : NULL, NULL);
    *Read = (ULONG)iosb.Information;
    return status;
}

static void TstClose(HANDLE h) { ObCloseHandle(h, KernelMode); }

static ULONGLONG TstFileSize(HANDLE File)
{
    IO_STATUS_BLOCK iosb;
    FILE_STANDARD_INFORMATION si;
    return NT_SUCCESS(ZwQueryInformationFile(File, &iosb, &si, sizeof(si), FileStandardInformation))
               ? (ULONGLONG)si.EndOfFile.QuadPart : ~0ull;
}

static NTSTATUS TstDelete(PCWSTR Name)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return ZwDeleteFile(&oa);
}

static BOOLEAN TstExists(PCWSTR Name)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    FILE_BASIC_INFORMATION bi;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return NT_SUCCESS(ZwQueryAttributesFile(&oa, &bi));
}

static void TstPattern(PUCHAR Buffer, ULONG Length, ULONG Seed)
{
    for (ULONG i = 0; i < Length; i++) Buffer[i] = (UCHAR)((i * 131u + Seed * 7u + (i >> 9)) & 0xFF);
}

/* Is C: a FAT volume we can use? With "fs=required", its absence is a failure. */
static PCSTR TstNeedVolume(BOOLEAN *Present)
{
    char value[16];
    HANDLE h;
    *Present = NT_SUCCESS(TstCreate(u"\\??\\C:\\", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                                    FILE_DIRECTORY_FILE, &h, NULL));
    if (*Present) { TstClose(h); return NULL; }
    if (KeGetBootOption("fs", value, sizeof(value))) return "no FAT system volume on C:";
    DbgPrint("  no FAT volume on C: in this boot: nothing to test\n");
    return NULL;
}

#define NEED_VOLUME() do { BOOLEAN present; PCSTR missing = TstNeedVolume(&present); \
                           if (missing || !present) return missing; } while (0)

static PCSTR TestCreateWriteRead(void)
{
    static UCHAR data[10000], back[10000];
    HANDLE h;
    ULONG_PTR info;
    ULONG n;
    NEED_VOLUME();
    TstDelete(u"\\??\\C:\\Tests\\basic.txt");
    TstPattern(data, sizeof(data), 1);
    CHECK(TstCreate(u"\\??\\C:\\Tests\\basic.txt", GENERIC_WRITE, 0, FILE_CREATE, FILE_NON_DIRECTORY_FILE, &h, &info) ==
          STATUS_SUCCESS && info == FILE_CREATED, "create");
    CHECK(TstWrite(h, data, sizeof(data), 0) == STATUS_SUCCESS, "write");
    CHECK(TstFileSize(h) == sizeof(data), "size after write");
    TstClose(h);
    CHECK(TstCreate(u"\\??\\C:\\tests\\BASIC.TXT", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &h, &info) ==
          STATUS_SUCCESS && info == FILE_OPENED, "open case-insensitively");
    CHECK(TstRead(h, back, sizeof(back), 0, &n) == STATUS_SUCCESS && n == sizeof(back), "read");
    CHECK(RtlCompareMemory(data, back, sizeof(data)) == sizeof(data), "read back other bytes");
    CHECK(TstRead(h, back, 10, sizeof(data), &n) == STATUS_END_OF_FILE, "read at end of file");
    TstClose(h);
    CHECK(TstCreate(u"\\??\\C:\\Tests\\basic.txt", GENERIC_WRITE, 0, FILE_CREATE, 0, &h, NULL) ==
          STATUS_OBJECT_NAME_COLLISION, "create over an existing file");
    CHECK(TstCreate(u"\\??\\C:\\Tests\\none.txt", GENERIC_READ, 0, FILE_OPEN, 0, &h, NULL) ==
          STATUS_OBJECT_NAME_NOT_FOUND, "open a missing file");
    CHECK(TstCreate(u"\\??\\C:\\NoDir\\x.txt", GENERIC_READ, 0, FILE_OPEN, 0, &h, NULL) ==
          STATUS_OBJECT_PATH_NOT_FOUND, "open in a missing directory");
    CHECK(TstCreate(u"\\??\\C:\\Tests", GENERIC_READ, 0, FILE_OPEN, FILE_NON_DIRECTORY_FILE, &h, NULL) ==
          STATUS_FILE_IS_A_DIRECTORY, "a directory opened as a file");
    CHECK(TstDelete(u"\\??\\C:\\Tests\\basic.txt") == STATUS_SUCCESS && !TstExists(u"\\??\\C:\\Tests\\basic.txt"),
          "delete");
    return NULL;
}

static PCSTR TestDispositions(void)
{
    static const UCHAR ten[10] = "0123456789";
    HANDLE h;
    ULONG_PTR info;
    PCWSTR name = u"\\??\\C:\\Tests\\disp.txt";
    NEED_VOLUME();
    TstDelete(name);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE, 0, &h, NULL) == STATUS_OBJECT_NAME_NOT_FOUND,
          "overwrite of a missing file");
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OPEN_IF, 0, &h, &info) == STATUS_SUCCESS && info == FILE_CREATED,
          "open-if creates");
    TstWrite(h, ten, 10, 0);
    TstClose(h);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OPEN_IF, 0, &h, &info) == STATUS_SUCCESS && info == FILE_OPENED &&
          TstFileSize(h) == 10, "open-if opens");
    TstClose(h);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE, 0, &h, &info) == STATUS_SUCCESS &&
          info == FILE_OVERWRITTEN && TstFileSize(h) == 0, "overwrite truncates");
    TstWrite(h, ten, 10, 0);
    TstClose(h);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_SUPERSEDE, 0, &h, &info) == STATUS_SUCCESS &&
          info == FILE_SUPERSEDED && TstFileSize(h) == 0, "supersede replaces");
    TstClose(h);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, &info) == STATUS_SUCCESS &&
          info == FILE_OVERWRITTEN, "overwrite-if on an existing file");
    TstClose(h);
    TstDelete(name);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, &info) == STATUS_SUCCESS &&
          info == FILE_CREATED, "overwrite-if creates");
    TstClose(h);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_SUPERSEDE, FILE_DELETE_ON_CLOSE, &h, NULL) == STATUS_INVALID_PARAMETER,
          "delete-on-close without DELETE access");
    CHECK(TstCreate(name, GENERIC_WRITE | DELETE, 0, FILE_SUPERSEDE, FILE_DELETE_ON_CLOSE, &h, NULL) == STATUS_SUCCESS,
          "delete-on-close open");
    TstClose(h);
    CHECK(!TstExists(name), "delete-on-close left the file");
    return NULL;
}

static PCSTR TestSharing(void)
{
    HANDLE a, b;
    PCWSTR name = u"\\??\\C:\\Tests\\share.txt";
    NEED_VOLUME();
    CHECK(TstCreate(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, FILE_OVERWRITE_IF, 0, &a, NULL) ==
          STATUS_SUCCESS, "first open");
    CHECK(TstCreate(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, &b, NULL) ==
          STATUS_SHARING_VIOLATION, "a second writer was let in");
    CHECK(TstCreate(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, &b, NULL) ==
          STATUS_SUCCESS, "a reader sharing writes was refused");
    HANDLE c;
    CHECK(TstCreate(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OVERWRITE, 0, &c, NULL) ==
          STATUS_SHARING_VIOLATION, "overwrite while open without write sharing");
    TstClose(b);
    CHECK(TstWrite(a, "shared", 6, 0) == STATUS_SUCCESS, "write through the first open");
    CHECK(TstCreate(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, &b, NULL) == STATUS_SUCCESS &&
          TstFileSize(b) == 6, "the second open does not see the first's write");
    TstClose(b);
    TstClose(a);
    CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_OPEN, 0, &b, NULL) == STATUS_SUCCESS, "sharing not released");
    TstClose(b);
    TstDelete(name);
    return NULL;
}

/* Counts the entries matching Pattern with FileBothDirectoryInformation, a buffer at a time. */
static ULONG TstCountEntries(PCWSTR Directory, PCWSTR Pattern)
{
    static UCHAR buffer[4096];
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    UNICODE_STRING pattern;
    ULONG count = 0;
    if (!NT_SUCCESS(TstCreate(Directory, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                              FILE_DIRECTORY_FILE, &h, NULL)))
        return ~0u;
    RtlInitUnicodeString(&pattern, Pattern);
    for (BOOLEAN first = TRUE;; first = FALSE) {
        NTSTATUS s = ZwQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, buffer, sizeof(buffer), FileBothDirectoryInformation,
                                          FALSE, first ? &pattern : NULL, first);
        if (s != STATUS_SUCCESS) break;
        for (PFILE_BOTH_DIR_INFORMATION e = (PVOID)buffer;; e = (PVOID)((PUCHAR)e + e->NextEntryOffset)) {
            count++;
            if (e->NextEntryOffset == 0) break;
        }
    }
    TstClose(h);
    return count;
}

static PCSTR TestDirectories(void)
{
    HANDLE h;
    NEED_VOLUME();
    CHECK(TstCreate(u"\\??\\C:\\Tests\\Dir A", FILE_LIST_DIRECTORY, 0, FILE_CREATE, FILE_DIRECTORY_FILE, &h, NULL) ==
          STATUS_SUCCESS, "create a directory");
    TstClose(h);
    for (ULONG i = 0; i < 5; i++) {
        static const WCHAR *names[5] = { u"\\??\\C:\\Tests\\Dir A\\one.txt", u"\\??\\C:\\Tests\\Dir A\\Two.TXT",
                                         u"\\??\\C:\\Tests\\Dir A\\three.log", u"\\??\\C:\\Tests\\Dir A\\Long name 4.txt",
                                         u"\\??\\C:\\Tests\\Dir A\\five" };
        CHECK(TstCreate(names[i], GENERIC_WRITE, 0, FILE_CREATE, 0, &h, NULL) == STATUS_SUCCESS, "create in it");
        TstWrite(h, "data", 4, 0);
        TstClose(h);
    }
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Dir A", u"*") == 5, "enumeration of *");
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Dir A", u"*.txt") == 3, "enumeration of *.txt");
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Dir A", u"t*") == 2, "enumeration of t*");
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Dir A", u"nothing*") == 0, "enumeration with no match");
    CHECK(TstDelete(u"\\??\\C:\\Tests\\Dir A") == STATUS_DIRECTORY_NOT_EMPTY, "deleting a non-empty directory");
    /* Rename across directories, absolute target. */
    CHECK(TstCreate(u"\\??\\C:\\Tests\\Dir A\\one.txt", DELETE | SYNCHRONIZE, 0, FILE_OPEN, 0, &h, NULL) ==
          STATUS_SUCCESS, "open for rename");
    static UCHAR rb[sizeof(FILE_RENAME_INFORMATION) + 64];
    PFILE_RENAME_INFORMATION ri = (PVOID)rb;
    static const WCHAR target[] = u"\\??\\C:\\Tests\\moved.txt";
    ri->ReplaceIfExists = TRUE;
    ri->RootDirectory = NULL;
    ri->FileNameLength = sizeof(target) - sizeof(WCHAR);
    RtlCopyMemory(ri->FileName, target, ri->FileNameLength);
    IO_STATUS_BLOCK iosb;
    CHECK(ZwSetInformationFile(h, &iosb, ri, sizeof(rb), FileRenameInformation) == STATUS_SUCCESS, "rename");
    TstClose(h);
    CHECK(TstExists(u"\\??\\C:\\Tests\\moved.txt") && !TstExists(u"\\??\\C:\\Tests\\Dir A\\one.txt"), "rename result");
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Dir A", u"*") == 4, "entry left behind by the rename");
    static const WCHAR *left[4] = { u"\\??\\C:\\Tests\\Dir A\\Two.TXT", u"\\??\\C:\\Tests\\Dir A\\three.log",
                                    u"\\??\\C:\\Tests\\Dir A\\Long name 4.txt", u"\\??\\C:\\Tests\\Dir A\\five" };
    for (ULONG i = 0; i < 4; i++) CHECK(TstDelete(left[i]) == STATUS_SUCCESS, "delete in directory");
    CHECK(TstDelete(u"\\??\\C:\\Tests\\Dir A") == STATUS_SUCCESS, "delete the emptied directory");
    CHECK(TstDelete(u"\\??\\C:\\Tests\\moved.txt") == STATUS_SUCCESS, "delete the moved file");
    return NULL;
}

static PCSTR TestManyFiles(void)
{
    HANDLE h;
    char ascii[64];
    WCHAR name[64];
    NEED_VOLUME();
    CHECK(TstCreate(u"\\??\\C:\\Tests\\Many", FILE_LIST_DIRECTORY, 0, FILE_OPEN_IF, FILE_DIRECTORY_FILE, &h, NULL) ==
          STATUS_SUCCESS, "directory");
    TstClose(h);
    for (ULONG pass = 0; pass < 2; pass++) {
        for (ULONG i = 0; i < 1000; i++) {
            RtlFormat(ascii, sizeof(ascii), "\\??\\C:\\Tests\\Many\\File number %04lu.dat", (unsigned long)i);
            for (ULONG k = 0; k < sizeof(ascii); k++) { name[k] = (UCHAR)ascii[k]; if (!ascii[k]) break; }
            if (pass == 0) {
                CHECK(TstCreate(name, GENERIC_WRITE, 0, FILE_CREATE, 0, &h, NULL) == STATUS_SUCCESS, "create file");
                TstClose(h);
            } else {
                CHECK(TstDelete(name) == STATUS_SUCCESS, "delete file");
            }
        }
        if (pass == 0) CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Many", u"*.dat") == 1000, "1000 entries not listed");
    }
    CHECK(TstCountEntries(u"\\??\\C:\\Tests\\Many", u"*") == 0, "directory not empty after deletes");
    CHECK(TstDelete(u"\\??\\C:\\Tests\\Many") == STATUS_SUCCESS, "delete directory");
    return NULL;
}

static PCSTR TestBigFile(void)
{
    const ULONG chunk = 64 * 1024, total = 16 * 1024 * 1024;
    PUCHAR buf = ExAllocatePoolWithTag(NonPagedPool, chunk, TAG_FSTEST);
    HANDLE h;
    ULONG crcOut = 0, crcIn = 0, n;
    PCSTR why = NULL;
    NEED_VOLUME();
    if (buf == NULL) return "out of pool";
    if (TstCreate(u"\\??\\C:\\Tests\\big.bin", GENERIC_READ | GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, NULL) !=
        STATUS_SUCCESS)
        why = "create";
    for (ULONG off = 0; !why && off < total; off += chunk) {
        TstPattern(buf, chunk, off / chunk);
        crcOut = RtlComputeCrc32(crcOut, buf, chunk);
        if (TstWrite(h, buf, chunk, -1) != STATUS_SUCCESS) why = "write (disk full?)";
    }
    if (!why && TstFileSize(h) != total) why = "size wrong";
    for (ULONG off = 0; !why && off < total; off += chunk) {
        if (TstRead(h, buf, chunk, off, &n) != STATUS_SUCCESS || n != chunk) why = "read";
        else crcIn = RtlComputeCrc32(crcIn, buf, chunk);
    }
    if (!why && crcIn != crcOut) why = "16 MiB file read back with another checksum";
    if (!why) DbgPrint("  16 MiB file, crc32 %08lx both ways\n", (unsigned long)crcIn);
    TstClose(h);
    TstDelete(u"\\??\\C:\\Tests\\big.bin");
    ExFreePoolWithTag(buf, TAG_FSTEST);
    return why;
}

static PCSTR TestVolumeAndHostFiles(void)
{
    static UCHAR buf[64 * 1024];
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    ULONG n;
    NEED_VOLUME();
    CHECK(TstCreate(u"\\??\\C:\\", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                    FILE_DIRECTORY_FILE, &h, NULL) == STATUS_SUCCESS, "open the root");
    static UCHAR vi[128];
    CHECK(ZwQueryVolumeInformationFile(h, &iosb, vi, sizeof(vi), FileFsAttributeInformation) == STATUS_SUCCESS,
          "attribute information");
    PFILE_FS_ATTRIBUTE_INFORMATION ai = (PVOID)vi;
    CHECK(ai->FileSystemNameLength == 10 && ai->FileSystemName[0] == u'F' && ai->FileSystemName[3] == u'3', "not FAT32");
    FILE_FS_SIZE_INFORMATION si;
    CHECK(ZwQueryVolumeInformationFile(h, &iosb, &si, sizeof(si), FileFsSizeInformation) == STATUS_SUCCESS &&
          si.TotalAllocationUnits.QuadPart > 0 && si.BytesPerSector == 512, "size information");
    TstClose(h);
    /* A file the host put there: reported with its CRC, which the harness compares. */
    NTSTATUS opened = TstCreate(u"\\??\\C:\\Tests\\HOST.BIN", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &h, NULL);
    if (opened != STATUS_SUCCESS && opened != STATUS_OBJECT_NAME_NOT_FOUND)
        DbgPrint("FS host file HOST.BIN error %08lx after 0 bytes\n", (unsigned long)opened);
    if (NT_SUCCESS(opened)) {
        ULONG crc = 0, size = 0;
        NTSTATUS s;
        while ((s = TstRead(h, buf, sizeof(buf), -1, &n)) == STATUS_SUCCESS && n) { crc = RtlComputeCrc32(crc, buf, n); size += n; }
        TstClose(h);
        if (s == STATUS_END_OF_FILE)
            DbgPrint("FS host file HOST.BIN %lu bytes crc32 %08lx\n", (unsigned long)size, (unsigned long)crc);
        else
            DbgPrint("FS host file HOST.BIN error %08lx after %lu bytes\n", (unsigned long)s, (unsigned long)size);
    }
    /* A file for the host to read back after shutdown. */
    CHECK(TstCreate(u"\\??\\C:\\Tests\\From NanoNT.txt", GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, NULL) ==
          STATUS_SUCCESS, "create the file for the host");
    TstPattern(buf, 12345, 42);
    CHECK(TstWrite(h, buf, 12345, 0) == STATUS_SUCCESS, "write the file for the host");
    TstClose(h);
    DbgPrint("FS wrote From NanoNT.txt 12345 bytes crc32 %08lx\n", (unsigned long)RtlComputeCrc32(0, buf, 12345));
    return NULL;
}

/* FileAllInformation agrees with the single classes it gathers; a short buffer cuts only the
 * name (STATUS_BUFFER_OVERFLOW, full length reported); one below the fixed part is refused.
 * (Its FILE_READ_ATTRIBUTES check applies to user-mode callers; these calls are kernel mode.) */
static PCSTR TestQueryAll(void)
{
    static const WCHAR path[] = u"\\Tests\\allinfo.txt";
    static UCHAR data[3000];
    union { FILE_ALL_INFORMATION All; UCHAR Raw[256]; } u;
    FILE_BASIC_INFORMATION bi;
    FILE_STANDARD_INFORMATION si;
    FILE_INTERNAL_INFORMATION ii;
    FILE_EA_INFORMATION ei;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    NEED_VOLUME();
    TstDelete(u"\\??\\C:\\Tests\\allinfo.txt");
    CHECK(TstCreate(u"\\??\\C:\\Tests\\allinfo.txt", GENERIC_READ | GENERIC_WRITE, 0, FILE_CREATE,
                    FILE_SYNCHRONOUS_IO_NONALERT, &h, NULL) == STATUS_SUCCESS, "create");
    CHECK(TstWrite(h, data, sizeof(data), -1) == STATUS_SUCCESS, "write at the file position");
    RtlFillMemory(&u, sizeof(u), 0xCC);
    CHECK(ZwQueryInformationFile(h, &iosb, &u, sizeof(u), FileAllInformation) == STATUS_SUCCESS, "query all");
    ULONG nameBytes = sizeof(path) - sizeof(WCHAR);
    CHECK(iosb.Information == FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation.FileName) + nameBytes,
          "length of the answer");
    CHECK(ZwQueryInformationFile(h, &iosb, &bi, sizeof(bi), FileBasicInformation) == STATUS_SUCCESS &&
          RtlCompareMemory(&bi, &u.All.BasicInformation, sizeof(bi)) == sizeof(bi), "basic part");
    CHECK(ZwQueryInformationFile(h, &iosb, &si, sizeof(si), FileStandardInformation) == STATUS_SUCCESS &&
          u.All.StandardInformation.EndOfFile.QuadPart == sizeof(data) &&
          u.All.StandardInformation.AllocationSize.QuadPart == si.AllocationSize.QuadPart &&
          u.All.StandardInformation.NumberOfLinks == 1 && !u.All.StandardInformation.Directory &&
          !u.All.StandardInformation.DeletePending, "standard part");
    CHECK(ZwQueryInformationFile(h, &iosb, &ii, sizeof(ii), FileInternalInformation) == STATUS_SUCCESS &&
          ii.IndexNumber.QuadPart == u.All.InternalInformation.IndexNumber.QuadPart, "internal part");
    CHECK(ZwQueryInformationFile(h, &iosb, &ei, sizeof(ei), FileEaInformation) == STATUS_SUCCESS &&
          ei.EaSize == 0 && u.All.EaInformation.EaSize == 0, "EA part");
    FILE_ACCESS_INFORMATION ai;
    CHECK(ZwQueryInformationFile(h, &iosb, &ai, sizeof(ai), FileAccessInformation) == STATUS_SUCCESS &&
          ai.AccessFlags == u.All.AccessInformation.AccessFlags, "access part");
    CHECK(u.All.PositionInformation.CurrentByteOffset.QuadPart == sizeof(data), "position part");
    CHECK(u.All.ModeInformation.Mode == FILE_SYNCHRONOUS_IO_NONALERT, "mode part");
    CHECK(u.All.AlignmentInformation.AlignmentRequirement == 0 ||
          u.All.AlignmentInformation.AlignmentRequirement == 1, "alignment part");
    CHECK(u.All.NameInformation.FileNameLength == nameBytes &&
          RtlCompareMemory(u.All.NameInformation.FileName, path, nameBytes) == nameBytes, "name part");

    /* Room for four name characters: the rest is cut, the full length still reported. */
    ULONG room = FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation.FileName) + 4 * sizeof(WCHAR);
    RtlFillMemory(&u, sizeof(u), 0xCC);
    CHECK(ZwQueryInformationFile(h, &iosb, &u, room, FileAllInformation) == STATUS_BUFFER_OVERFLOW &&
          iosb.Information == room, "name cut short");
    CHECK(u.All.NameInformation.FileNameLength == nameBytes &&
          RtlCompareMemory(u.All.NameInformation.FileName, path, 8) == 8 && u.Raw[room] == 0xCC,
          "the cut name: full length, four characters, nothing written past the buffer");
    CHECK(u.All.PositionInformation.CurrentByteOffset.QuadPart == sizeof(data), "fixed part of a cut answer");
    CHECK(ZwQueryInformationFile(h, &iosb, &u, sizeof(FILE_ALL_INFORMATION) - 1, FileAllInformation) ==
          STATUS_INFO_LENGTH_MISMATCH, "a buffer below sizeof(FILE_ALL_INFORMATION)");
    TstClose(h);

    CHECK(TstDelete(u"\\??\\C:\\Tests\\allinfo.txt") == STATUS_SUCCESS, "delete");
    return NULL;
}

SELFTEST("fs.create_write_read", TestCreateWriteRead);
SELFTEST("fs.dispositions", TestDispositions);
SELFTEST("fs.sharing", TestSharing);
SELFTEST("fs.directories_rename", TestDirectories);
SELFTEST("fs.many_files", TestManyFiles);
SELFTEST("fs.big_file", TestBigFile);
SELFTEST("fs.query_all_information", TestQueryAll);
SELFTEST("fs.volume_and_host_files", TestVolumeAndHostFiles);

/* "fsstress": write, flush and close file after file, reporting each one done, until the power
 * is cut. Every file reported must survive the cut intact. */
VOID TstRunFsStress(VOID)
{
    static UCHAR buf[24 * 1024];
    char ascii[64];
    WCHAR name[64];
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    for (ULONG i = 0;; i++) {
        RtlFormat(ascii, sizeof(ascii), "\\??\\C:\\Tests\\stress%05lu.bin", (unsigned long)i);
        for (ULONG k = 0; k < sizeof(ascii); k++) { name[k] = (UCHAR)ascii[k]; if (!ascii[k]) break; }
        ULONG size = 1000 + (i * 7919) % (sizeof(buf) - 1000);
        TstPattern(buf, size, i);
        if (!NT_SUCCESS(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, NULL))) break;
        NTSTATUS s = TstWrite(h, buf, size, 0);
        if (NT_SUCCESS(s)) s = ZwFlushBuffersFile(h, &iosb);
        TstClose(h);
        if (!NT_SUCCESS(s)) break;
        DbgPrint("FSSTRESS closed stress%05lu.bin %lu bytes crc32 %08lx\n", (unsigned long)i, (unsigned long)size,
                 (unsigned long)RtlComputeCrc32(0, buf, size));
    }
    DbgPrint("FSSTRESS stopped\n");
}

/* "fsbench=<medium>": file operations on C: as benchmarks. Under -icount the TSC counts
 * instructions; MiB/s comes from interrupt time, meaningful in a plain (not -icount) boot. */
static ULONGLONG TstTsc(void) { return __builtin_ia32_rdtsc(); }

static void TstBenchName(PWCHAR Name, ULONG i)
{
    char ascii[48];
    RtlFormat(ascii, sizeof(ascii), "\\??\\C:\\Tests\\bench%03lu.dat", (unsigned long)i);
    for (ULONG k = 0; k < sizeof(ascii); k++) { Name[k] = (UCHAR)ascii[k]; if (!ascii[k]) break; }
}

VOID TstRunFsBenchmarks(PCSTR Medium)
{
    static UCHAR buf[64 * 1024];
    const ULONG files = 100, big = 4 * 1024 * 1024;
    WCHAR name[48];
    HANDLE h;
    ULONG n;
    TstPattern(buf, sizeof(buf), 9);
    ULONGLONG t0 = TstTsc();
    for (ULONG i = 0; i < files; i++) {
        TstBenchName(name, i);
        if (!NT_SUCCESS(TstCreate(name, GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, NULL))) return;
        TstWrite(h, buf, 4096, 0);
        TstClose(h);
    }
    ULONGLONG t1 = TstTsc();
    for (ULONG i = 0; i < files; i++) {
        TstBenchName(name, i);
        if (!NT_SUCCESS(TstCreate(name, GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &h, NULL))) return;
        TstRead(h, buf, 4096, 0, &n);
        TstClose(h);
    }
    ULONGLONG t2 = TstTsc();
    DbgPrint("BENCH fs.%s.create_write4k_close %lu tsc/op\n", Medium, (unsigned long)((t1 - t0) / files));
    DbgPrint("BENCH fs.%s.open_read4k_close %lu tsc/op\n", Medium, (unsigned long)((t2 - t1) / files));
    for (ULONG i = 0; i < files; i++) { TstBenchName(name, i); TstDelete(name); }

    if (!NT_SUCCESS(TstCreate(u"\\??\\C:\\Tests\\seq.dat", GENERIC_READ | GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &h, NULL)))
        return;
    ULONGLONG w0 = TstTsc(), i0 = KeQueryInterruptTime();
    for (ULONG off = 0; off < big; off += sizeof(buf)) TstWrite(h, buf, sizeof(buf), off);
    IO_STATUS_BLOCK iosb;
    ZwFlushBuffersFile(h, &iosb);
    ULONGLONG w1 = TstTsc(), i1 = KeQueryInterruptTime();
    for (ULONG off = 0; off < big; off += sizeof(buf)) TstRead(h, buf, sizeof(buf), off, &n);
    ULONGLONG w2 = TstTsc(), i2 = KeQueryInterruptTime();
    TstClose(h);
    TstDelete(u"\\??\\C:\\Tests\\seq.dat");
    DbgPrint("BENCH fs.%s.seq_write_4mib %lu tsc/MiB\n", Medium, (unsigned long)((w1 - w0) / 4));
    DbgPrint("BENCH fs.%s.seq_read_4mib %lu tsc/MiB\n", Medium, (unsigned long)((w2 - w1) / 4));
    /* 4 MiB in (i1 - i0) * 100 ns: MiB/s = 4e7 / elapsed (tenths kept as an integer). */
    DbgPrint("BENCH fs.%s.seq_write_wall %lu MiB/s\n", Medium, (unsigned long)(i1 > i0 ? 40000000ull / (i1 - i0) : 0));
    DbgPrint("BENCH fs.%s.seq_read_wall %lu MiB/s\n", Medium, (unsigned long)(i2 > i1 ? 40000000ull / (i2 - i1) : 0));
}
