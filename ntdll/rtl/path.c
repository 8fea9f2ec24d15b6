/*
 * path.c - DOS path names: their type, full paths (RtlGetFullPathName_U: the current directory
 * applied, "." and ".." resolved, '/' read as '\'), conversion to NT names ("\??\C:\dir\file",
 * RtlDosPathNameToNtPathName_U) and the process's current directory, which lives in
 * PEB->ProcessParameters->CurrentDirectory (a DOS path ending in '\' and an open handle to the
 * directory) and is guarded by the PEB lock.
 *
 * Not done (NT does them): per-drive current directories ("=C:" environment variables; "D:x"
 * on another drive than the current one is taken from D:\), relative names against the current
 * directory handle (RelativeName is always returned empty). Paths are limited to
 * RTL_MAX_DOS_PATH_CHARS characters. DOS device names (CON, NUL, COM1, ... as the last component
 * of a drive or relative path, any extension ignored: "C:\dir\nul.txt") are the device itself:
 * "\\.\NUL", NT name "\??\NUL".
 */
#include "ntndk.h"

#define RTLP_PATH_CHARS    (RTL_MAX_DOS_PATH_CHARS + 1)
#define RTLP_CURDIR_BYTES  520u                 /* MAX_PATH characters, as NT sizes it */

static inline BOOLEAN RtlpIsSeparator(WCHAR c)
{
    return c == u'\\' || c == u'/';
}

static ULONG RtlpStringChars(PCWSTR s)
{
    ULONG n = 0;
    while (s[n]) n++;
    return n;
}

RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path)
{
    if (!Path) return RtlPathTypeUnknown;
    if (RtlpIsSeparator(Path[0])) {
        if (!RtlpIsSeparator(Path[1])) return RtlPathTypeRooted;
        if (Path[2] == u'.' || Path[2] == u'?') {
            if (RtlpIsSeparator(Path[3])) return RtlPathTypeLocalDevice;
            if (Path[3] == 0) return RtlPathTypeRootLocalDevice;
        }
        return RtlPathTypeUncAbsolute;
    }
    if (Path[0] && Path[1] == u':')
        return RtlpIsSeparator(Path[2]) ? RtlPathTypeDriveAbsolute : RtlPathTypeDriveRelative;
    return RtlPathTypeRelative;
}

/* ---- A path being built ------------------------------------------------------------------- */

typedef struct _RTLP_PATH {
    PWSTR Buffer;
    ULONG Length;              /* characters */
    ULONG Capacity;            /* characters, the NUL included */
    ULONG RootLength;          /* ".." never goes back past this many characters */
    BOOLEAN Overflow;
} RTLP_PATH;

static VOID RtlpAppend(RTLP_PATH *Path, PCWSTR Text, ULONG Chars)
{
    if (Path->Length + Chars + 1 > Path->Capacity) {
        Path->Overflow = TRUE;
        return;
    }
    for (ULONG i = 0; i < Chars; i++) Path->Buffer[Path->Length++] = RtlpIsSeparator(Text[i]) ? u'\\' : Text[i];
    Path->Buffer[Path->Length] = 0;
}

static VOID RtlpAppendChar(RTLP_PATH *Path, WCHAR c)
{
    RtlpAppend(Path, &c, 1);
}

/* Drops the last component (the path ends in '\'), never going into the root. */
static VOID RtlpDropComponent(RTLP_PATH *Path)
{
    if (Path->Length <= Path->RootLength) return;
    ULONG n = Path->Length - 1;                       /* the trailing '\' */
    while (n > Path->RootLength && Path->Buffer[n - 1] != u'\\') n--;
    Path->Length = n;
    Path->Buffer[n] = 0;
}

/* Appends the components of Rest to Path (which ends in '\'): empty ones and "." are skipped,
 * ".." drops one, trailing dots and spaces of the last component go (as NT's do). The result
 * ends in '\' only if Rest does, or if it is the root. */
static VOID RtlpAppendComponents(RTLP_PATH *Path, PCWSTR Rest)
{
    ULONG i = 0;
    while (Rest[i]) {
        ULONG start = i;
        while (Rest[i] && !RtlpIsSeparator(Rest[i])) i++;
        ULONG n = i - start;
        BOOLEAN last = Rest[i] == 0;
        if (Rest[i]) i++;
        if (n == 0 || (n == 1 && Rest[start] == u'.')) continue;
        if (n == 2 && Rest[start] == u'.' && Rest[start + 1] == u'.') {
            RtlpDropComponent(Path);
            continue;
        }
        if (last)
            while (n && (Rest[start + n - 1] == u'.' || Rest[start + n - 1] == u' ')) n--;
        if (n == 0) continue;
        RtlpAppend(Path, Rest + start, n);
        RtlpAppendChar(Path, u'\\');
    }
    BOOLEAN endsInSeparator = i && RtlpIsSeparator(Rest[i - 1]);
    if (!endsInSeparator && Path->Length > Path->RootLength && Path->Buffer[Path->Length - 1] == u'\\') {
        Path->Length--;
        Path->Buffer[Path->Length] = 0;
    }
}

/* ---- The current directory ---------------------------------------------------------------- */

static PWSTR RtlpAllocatedCurDir;               /* a DosPath buffer we allocated, if any */

/* Copies the current directory (ending in '\') to Buffer; "C:\" if the process has none. */
static ULONG RtlpCopyCurrentDirectory(PWSTR Buffer, ULONG Capacity)
{
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    ULONG n = 0;
    RtlAcquirePebLock();
    if (params && params->CurrentDirectory.DosPath.Buffer) {
        n = params->CurrentDirectory.DosPath.Length / sizeof(WCHAR);
        if (n + 2 > Capacity) n = 0;
        for (ULONG i = 0; i < n; i++) Buffer[i] = params->CurrentDirectory.DosPath.Buffer[i];
    }
    RtlReleasePebLock();
    if (n == 0) {
        Buffer[n++] = u'C';
        Buffer[n++] = u':';
    }
    if (Buffer[n - 1] != u'\\') Buffer[n++] = u'\\';
    Buffer[n] = 0;
    return n;
}

/* The length of the root of a full path: "C:\" -> 3, "\\server\share\" -> its length. */
static ULONG RtlpRootLength(PCWSTR Path)
{
    if (Path[0] && Path[1] == u':') return RtlpIsSeparator(Path[2]) ? 3 : 2;
    if (RtlpIsSeparator(Path[0]) && RtlpIsSeparator(Path[1])) {
        ULONG i = 2, parts = 0;
        while (Path[i] && parts < 2) {
            if (RtlpIsSeparator(Path[i])) parts++;
            i++;
        }
        return i;
    }
    return RtlpIsSeparator(Path[0]) ? 1 : 0;
}

/* ---- DOS device names ---------------------------------------------------------------------- */

static BOOLEAN RtlpNameIs(PCWSTR Name, ULONG Length, PCSTR Device)
{
    for (ULONG i = 0; i < Length; i++)
        if (Device[i] == 0 || RtlUpcaseUnicodeChar(Name[i]) != (WCHAR)Device[i]) return FALSE;
    return Device[Length] == 0;
}

ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR Path)
{
    static const PCSTR names[] = { "CON", "PRN", "AUX", "NUL" };
    if (Path == NULL || Path[0] == 0) return 0;
    RTL_PATH_TYPE type = RtlDetermineDosPathNameType_U(Path);
    if (type == RtlPathTypeLocalDevice || type == RtlPathTypeRootLocalDevice || type == RtlPathTypeUncAbsolute)
        return 0;
    ULONG start = 0, end = 0;
    for (ULONG i = 0; Path[i]; i++) {
        if (RtlpIsSeparator(Path[i]) || (i == 1 && Path[1] == u':')) start = i + 1;
        end = i + 1;
    }
    /* The name stops at an extension or a ':', and trailing spaces do not count. */
    ULONG stop = start;
    while (stop < end && Path[stop] != u'.' && Path[stop] != u':') stop++;
    while (stop > start && Path[stop - 1] == u' ') stop--;
    ULONG length = stop - start;
    BOOLEAN device = FALSE;
    if (length == 3)
        for (ULONG i = 0; i < 4 && !device; i++) device = RtlpNameIs(Path + start, 3, names[i]);
    else if (length == 4 && Path[start + 3] >= u'1' && Path[start + 3] <= u'9')
        device = RtlpNameIs(Path + start, 3, "COM") || RtlpNameIs(Path + start, 3, "LPT");
    return device ? (start * sizeof(WCHAR)) << 16 | length * sizeof(WCHAR) : 0;
}

/* ---- Full paths --------------------------------------------------------------------------- */

/* Builds the full DOS path of Name into Out (Capacity characters, NUL included). */
static NTSTATUS RtlpFullPath(PCWSTR Name, PWSTR Out, ULONG Capacity, PULONG Length)
{
    WCHAR cur[RTLP_PATH_CHARS];
    RTLP_PATH path = { Out, 0, Capacity, 0, FALSE };
    PCWSTR rest;
    if (!Name || !Name[0]) return STATUS_OBJECT_NAME_INVALID;
    Out[0] = 0;
    ULONG device = RtlIsDosDeviceName_U(Name);
    if (device) {                                      /* "\\.\NUL", wherever it was named */
        RtlpAppend(&path, u"\\\\.\\", 4);
        RtlpAppend(&path, Name + (device >> 16) / sizeof(WCHAR), (device & 0xFFFF) / sizeof(WCHAR));
        if (path.Overflow) return STATUS_NAME_TOO_LONG;
        *Length = path.Length;
        return STATUS_SUCCESS;
    }
    switch (RtlDetermineDosPathNameType_U(Name)) {
    case RtlPathTypeLocalDevice:
        if (Name[2] == u'?') {                         /* \\?\ names are taken as they are */
            ULONG n = RtlpStringChars(Name);
            if (n + 1 > Capacity) return STATUS_NAME_TOO_LONG;
            for (ULONG i = 0; i <= n; i++) Out[i] = Name[i];
            *Length = n;
            return STATUS_SUCCESS;
        }
        RtlpAppend(&path, u"\\\\.\\", 4);
        rest = Name + 4;
        break;
    case RtlPathTypeRootLocalDevice:
        RtlpAppend(&path, Name, 3);
        RtlpAppendChar(&path, u'\\');
        rest = Name + 3;
        break;
    case RtlPathTypeUncAbsolute: {
        ULONG root = RtlpRootLength(Name);
        RtlpAppend(&path, Name, root);
        if (path.Length && path.Buffer[path.Length - 1] != u'\\') RtlpAppendChar(&path, u'\\');
        rest = Name + root;
        break;
    }
    case RtlPathTypeDriveAbsolute:
        RtlpAppendChar(&path, RtlUpcaseUnicodeChar(Name[0]));
        RtlpAppend(&path, u":\\", 2);
        rest = Name + 3;
        break;
    case RtlPathTypeDriveRelative: {
        WCHAR drive = RtlUpcaseUnicodeChar(Name[0]);
        RtlpCopyCurrentDirectory(cur, RTLP_PATH_CHARS);
        if (RtlUpcaseUnicodeChar(cur[0]) == drive && cur[1] == u':') {
            RtlpAppend(&path, cur, RtlpStringChars(cur));
        } else {
            RtlpAppendChar(&path, drive);
            RtlpAppend(&path, u":\\", 2);
        }
        path.RootLength = 3;
        rest = Name + 2;
        break;
    }
    case RtlPathTypeRooted:
        RtlpCopyCurrentDirectory(cur, RTLP_PATH_CHARS);
        RtlpAppend(&path, cur, RtlpRootLength(cur));
        rest = Name + 1;
        break;
    default:                                           /* relative */
        RtlpCopyCurrentDirectory(cur, RTLP_PATH_CHARS);
        RtlpAppend(&path, cur, RtlpStringChars(cur));
        path.RootLength = RtlpRootLength(cur);
        rest = Name;
        break;
    }
    if (path.RootLength == 0) path.RootLength = path.Length;
    RtlpAppendComponents(&path, rest);
    if (path.Overflow) return STATUS_NAME_TOO_LONG;
    *Length = path.Length;
    return STATUS_SUCCESS;
}

/* The last component of a full path of Length characters, or NULL if it ends in '\'. */
static PWSTR RtlpFilePart(PWSTR Path, ULONG Length)
{
    if (Length == 0 || Path[Length - 1] == u'\\') return NULL;
    ULONG i = Length;
    while (i && Path[i - 1] != u'\\') i--;
    return Path + i;
}

ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *FilePart)
{
    WCHAR full[RTLP_PATH_CHARS];
    ULONG n;
    if (FilePart) *FilePart = NULL;
    if (!NT_SUCCESS(RtlpFullPath(FileName, full, RTLP_PATH_CHARS, &n))) return 0;
    ULONG bytes = n * sizeof(WCHAR);
    if (Size < bytes + sizeof(WCHAR)) return bytes + sizeof(WCHAR);
    RtlCopyMemory(Buffer, full, bytes + sizeof(WCHAR));
    if (FilePart) *FilePart = RtlpFilePart(Buffer, n);
    return bytes;
}

/* ---- NT names ----------------------------------------------------------------------------- */

NTSTATUS NTAPI RtlDosPathNameToNtPathName_U_WithStatus(PCWSTR DosName, PUNICODE_STRING NtName,
                                                       PWSTR *FilePart, PRTL_RELATIVE_NAME_U RelativeName)
{
    WCHAR full[RTLP_PATH_CHARS];
    ULONG n;
    if (FilePart) *FilePart = NULL;
    if (RelativeName) {
        RelativeName->RelativeName.Length = RelativeName->RelativeName.MaximumLength = 0;
        RelativeName->RelativeName.Buffer = NULL;
        RelativeName->ContainingDirectory = NULL;
        RelativeName->CurDirRef = NULL;
    }
    NTSTATUS status = RtlpFullPath(DosName, full, RTLP_PATH_CHARS, &n);
    if (!NT_SUCCESS(status)) return status;

    /* \\.\x and \\?\x -> \??\x;  \\server\share -> \??\UNC\server\share;  C:\x -> \??\C:\x */
    PCWSTR prefix = u"\\??\\";
    ULONG skip = 0, prefixChars = 4;
    if (n >= 4 && full[0] == u'\\' && full[1] == u'\\' && (full[2] == u'.' || full[2] == u'?') && full[3] == u'\\') {
        skip = 4;
    } else if (n >= 2 && full[0] == u'\\' && full[1] == u'\\') {
        prefix = u"\\??\\UNC\\";
        prefixChars = 8;
        skip = 2;
    }
    ULONG chars = prefixChars + n - skip;
    if ((chars + 1) * sizeof(WCHAR) > 0xFFFEu) return STATUS_NAME_TOO_LONG;
    PWSTR buffer = RtlAllocateHeap(RtlProcessHeap(), 0, (chars + 1) * sizeof(WCHAR));
    if (!buffer) return STATUS_NO_MEMORY;
    RtlCopyMemory(buffer, prefix, prefixChars * sizeof(WCHAR));
    RtlCopyMemory(buffer + prefixChars, full + skip, (n - skip + 1) * sizeof(WCHAR));
    NtName->Buffer = buffer;
    NtName->Length = (USHORT)(chars * sizeof(WCHAR));
    NtName->MaximumLength = (USHORT)((chars + 1) * sizeof(WCHAR));
    if (FilePart) *FilePart = RtlpFilePart(buffer, chars);
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PWSTR *FilePart,
                                           PRTL_RELATIVE_NAME_U RelativeName)
{
    return NT_SUCCESS(RtlDosPathNameToNtPathName_U_WithStatus(DosName, NtName, FilePart, RelativeName));
}

VOID NTAPI RtlReleaseRelativeName(PRTL_RELATIVE_NAME_U RelativeName)
{
    (void)RelativeName;                 /* it never holds a reference here */
}

/* ---- The current directory ---------------------------------------------------------------- */

ULONG NTAPI RtlGetCurrentDirectory_U(ULONG MaximumLength, PWSTR Buffer)
{
    WCHAR cur[RTLP_PATH_CHARS];
    ULONG n = RtlpCopyCurrentDirectory(cur, RTLP_PATH_CHARS);
    if (n > RtlpRootLength(cur) || cur[1] != u':') n--;          /* "C:\Tests\" -> "C:\Tests" */
    if (n == 0) n = 1;
    cur[n] = 0;
    ULONG bytes = n * sizeof(WCHAR);
    if (MaximumLength < bytes + sizeof(WCHAR)) return bytes + sizeof(WCHAR);
    RtlCopyMemory(Buffer, cur, bytes + sizeof(WCHAR));
    return bytes;
}

/* Opens the directory Full (a full DOS path ending in '\'). */
static NTSTATUS RtlpOpenDirectory(PWSTR Full, ULONG Length, PHANDLE Handle)
{
    UNICODE_STRING ntName;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    /* The NT name of a directory other than a root has no trailing '\'. */
    BOOLEAN strip = Length > RtlpRootLength(Full);
    if (strip) Full[Length - 1] = 0;
    NTSTATUS status = RtlDosPathNameToNtPathName_U_WithStatus(Full, &ntName, NULL, NULL);
    if (strip) Full[Length - 1] = u'\\';
    if (!NT_SUCCESS(status)) return status;
    InitializeObjectAttributes(&oa, &ntName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    status = NtOpenFile(Handle, FILE_TRAVERSE | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                        FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeUnicodeString(&ntName);
    return status;
}

/* Stores Full (Length characters) and Handle as the current directory; the old handle is
 * returned in *OldHandle for the caller to close outside the lock. Called under the PEB lock. */
static NTSTATUS RtlpStoreCurrentDirectory(PRTL_USER_PROCESS_PARAMETERS Params, PCWSTR Full, ULONG Length,
                                          HANDLE Handle, PHANDLE OldHandle)
{
    PUNICODE_STRING dos = &Params->CurrentDirectory.DosPath;
    ULONG bytes = Length * sizeof(WCHAR);
    if (bytes + sizeof(WCHAR) > dos->MaximumLength || !dos->Buffer) {
        /* The creator's buffer is too small: use one of ours (the old one is freed only if it
         * was ours too: the creator's lies inside the parameter block). */
        ULONG size = bytes + sizeof(WCHAR) > RTLP_CURDIR_BYTES ? bytes + sizeof(WCHAR) : RTLP_CURDIR_BYTES;
        PWSTR buffer = RtlAllocateHeap(RtlProcessHeap(), 0, size);
        if (!buffer) return STATUS_NO_MEMORY;
        if (dos->Buffer && dos->Buffer == RtlpAllocatedCurDir) RtlFreeHeap(RtlProcessHeap(), 0, dos->Buffer);
        RtlpAllocatedCurDir = buffer;
        dos->Buffer = buffer;
        dos->MaximumLength = (USHORT)size;
    }
    RtlCopyMemory(dos->Buffer, Full, bytes);
    dos->Buffer[Length] = 0;
    dos->Length = (USHORT)bytes;
    *OldHandle = Params->CurrentDirectory.Handle;
    Params->CurrentDirectory.Handle = Handle;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlSetCurrentDirectory_U(PCUNICODE_STRING Path)
{
    WCHAR name[RTLP_PATH_CHARS], full[RTLP_PATH_CHARS];
    ULONG chars = Path->Length / sizeof(WCHAR), n;
    HANDLE handle, old = NULL;
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    if (!params) return STATUS_UNSUCCESSFUL;
    if (chars + 1 > RTLP_PATH_CHARS) return STATUS_NAME_TOO_LONG;
    RtlCopyMemory(name, Path->Buffer, chars * sizeof(WCHAR));
    name[chars] = 0;
    NTSTATUS status = RtlpFullPath(name, full, RTLP_PATH_CHARS - 1, &n);
    if (!NT_SUCCESS(status)) return status;
    if (full[n - 1] != u'\\') {
        full[n++] = u'\\';
        full[n] = 0;
    }
    status = RtlpOpenDirectory(full, n, &handle);
    if (!NT_SUCCESS(status)) return status;
    RtlAcquirePebLock();
    status = RtlpStoreCurrentDirectory(params, full, n, handle, &old);
    RtlReleasePebLock();
    if (!NT_SUCCESS(status)) old = handle;
    if (old) NtClose(old);
    return status;
}
