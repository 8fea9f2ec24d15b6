/*
 * ldrmap.c - from a DLL's name to a mapped, relocated image: the search order (the caller's
 * path, the EXE's directory, \SystemRoot\System32, the current directory), opening the file,
 * the image section and its view, and relocation when the view is not at the preferred base
 * (pages made writable for the fixups, then given their protections back).
 */
#include "ldrp.h"

#define LDRP_SYSTEM_DIRECTORY u"C:\\Windows\\System32"

static BOOLEAN LdrpHasPathSyntax(PCUNICODE_STRING Name)
{
    for (ULONG i = 0; i < Name->Length / sizeof(WCHAR); i++)
        if (Name->Buffer[i] == u'\\' || Name->Buffer[i] == u'/' || Name->Buffer[i] == u':') return TRUE;
    return FALSE;
}

/* Appends Chars characters to Path (capacity LDRP_MAX_PATH_CHARS); FALSE if it would not fit. */
static BOOLEAN LdrpAppend(PUNICODE_STRING Path, PCWSTR Text, ULONG Chars)
{
    ULONG have = Path->Length / sizeof(WCHAR);
    if (have + Chars + 1 > LDRP_MAX_PATH_CHARS) return FALSE;
    RtlCopyMemory(Path->Buffer + have, Text, Chars * sizeof(WCHAR));
    Path->Buffer[have + Chars] = 0;
    Path->Length = (USHORT)((have + Chars) * sizeof(WCHAR));
    return TRUE;
}

/* "\??\" + Directory (DOS, with or without a trailing backslash) + "\" + BaseName. A Directory
 * that is an NT path already ("\SystemRoot\System32", smss's own) gets no prefix. */
static BOOLEAN LdrpComposePath(PCWSTR Directory, ULONG DirChars, PCUNICODE_STRING BaseName,
                               PUNICODE_STRING Path)
{
    Path->Length = 0;
    Path->MaximumLength = LDRP_MAX_PATH_CHARS * sizeof(WCHAR);
    if (DirChars == 0) return FALSE;
    BOOLEAN nt = Directory[0] == u'\\' && (DirChars < 2 || Directory[1] != u'\\');   /* not UNC "\\x" */
    if ((!nt && !LdrpAppend(Path, u"\\??\\", 4)) || !LdrpAppend(Path, Directory, DirChars)) return FALSE;
    if (Directory[DirChars - 1] != u'\\' && !LdrpAppend(Path, u"\\", 1)) return FALSE;
    return LdrpAppend(Path, BaseName->Buffer, BaseName->Length / sizeof(WCHAR));
}

static BOOLEAN LdrpIsNameNotFound(NTSTATUS Status)
{
    return Status == STATUS_OBJECT_NAME_NOT_FOUND || Status == STATUS_OBJECT_PATH_NOT_FOUND ||
           Status == STATUS_NO_SUCH_FILE || Status == STATUS_OBJECT_NAME_INVALID ||
           Status == STATUS_OBJECT_PATH_SYNTAX_BAD || Status == STATUS_OBJECT_PATH_INVALID ||
           Status == STATUS_NOT_A_DIRECTORY;
}

static NTSTATUS LdrpOpenImageFile(PUNICODE_STRING NtPath, PHANDLE File)
{
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    InitializeObjectAttributes(&oa, NtPath, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtOpenFile(File, FILE_READ_DATA | FILE_EXECUTE | SYNCHRONIZE, &oa, &iosb,
                      FILE_SHARE_READ | FILE_SHARE_DELETE,
                      FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
}

/* An image view of an open file. STATUS_IMAGE_NOT_AT_BASE (success) if it moved. */
static NTSTATUS LdrpMapImageFile(HANDLE File, PVOID *Base, PSIZE_T ViewSize)
{
    HANDLE section;
    NTSTATUS status = NtCreateSection(&section, SECTION_MAP_READ | SECTION_MAP_EXECUTE | SECTION_QUERY,
                                      NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    if (!NT_SUCCESS(status)) return status;
    *Base = NULL;
    *ViewSize = 0;
    status = NtMapViewOfSection(section, NtCurrentProcess(), Base, 0, 0, NULL, ViewSize, ViewShare, 0,
                                PAGE_EXECUTE_WRITECOPY);
    NtClose(section);                              /* the view keeps the section alive */
    return status;
}

/* A known DLL (kernel/ps/sysdll.c makes \KnownDlls at boot, as NT's smss does): a bare name found
 * there is mapped from its section - no search, no file opened - and named as if found in the
 * system directory, where it lives. STATUS_DLL_NOT_FOUND if the name is not a known DLL. */
static NTSTATUS LdrpMapKnownDll(PCUNICODE_STRING BaseName, PVOID *Base, PSIZE_T ViewSize, PUNICODE_STRING NtPath)
{
    WCHAR buffer[LDRP_MAX_PATH_CHARS];
    UNICODE_STRING name = { 0, sizeof(buffer), buffer };
    OBJECT_ATTRIBUTES oa;
    HANDLE section;
    if (!LdrpAppend(&name, u"\\KnownDlls\\", 11) ||
        !LdrpAppend(&name, BaseName->Buffer, BaseName->Length / sizeof(WCHAR)) ||
        !LdrpComposePath(LDRP_SYSTEM_DIRECTORY, ARRAYSIZE(LDRP_SYSTEM_DIRECTORY) - 1, BaseName, NtPath))
        return STATUS_DLL_NOT_FOUND;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!NT_SUCCESS(NtOpenSection(&section, SECTION_MAP_READ | SECTION_MAP_EXECUTE | SECTION_QUERY, &oa)))
        return STATUS_DLL_NOT_FOUND;
    *Base = NULL;
    *ViewSize = 0;
    NTSTATUS status = NtMapViewOfSection(section, NtCurrentProcess(), Base, 0, 0, NULL, ViewSize, ViewShare, 0,
                                         PAGE_EXECUTE_WRITECOPY);
    NtClose(section);                              /* the view keeps the section alive */
    return status;
}

/* Opens NtPath if it exists. STATUS_DLL_NOT_FOUND when it does not (the search goes on). */
static NTSTATUS LdrpTryOpen(PUNICODE_STRING NtPath, PHANDLE File)
{
    NTSTATUS status = LdrpOpenImageFile(NtPath, File);
    if (LdrpIsNameNotFound(status)) return STATUS_DLL_NOT_FOUND;
    return status;
}

/* Each ';'-separated directory of a DOS search path. */
static NTSTATUS LdrpSearchList(PCWSTR List, PCUNICODE_STRING BaseName, PUNICODE_STRING NtPath, PHANDLE File)
{
    while (List && *List) {
        ULONG n = 0;
        while (List[n] && List[n] != u';') n++;
        if (LdrpComposePath(List, n, BaseName, NtPath)) {
            NTSTATUS status = LdrpTryOpen(NtPath, File);
            if (status != STATUS_DLL_NOT_FOUND) return status;
        }
        List += n;
        if (*List == u';') List++;
    }
    return STATUS_DLL_NOT_FOUND;
}

/* The EXE's directory, the system directory, the current directory. */
static NTSTATUS LdrpSearchDefault(PCUNICODE_STRING BaseName, PUNICODE_STRING NtPath, PHANDLE File)
{
    NTSTATUS status;
    if (LdrpImageEntry) {
        PCUNICODE_STRING exe = &LdrpImageEntry->FullDllName;
        ULONG dir = (ULONG)(LdrpImageEntry->BaseDllName.Buffer - exe->Buffer);
        if (LdrpComposePath(exe->Buffer, dir, BaseName, NtPath) &&
            (status = LdrpTryOpen(NtPath, File)) != STATUS_DLL_NOT_FOUND)
            return status;
    }
    if (LdrpComposePath(LDRP_SYSTEM_DIRECTORY, ARRAYSIZE(LDRP_SYSTEM_DIRECTORY) - 1, BaseName, NtPath) &&
        (status = LdrpTryOpen(NtPath, File)) != STATUS_DLL_NOT_FOUND)
        return status;
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp && pp->CurrentDirectory.DosPath.Buffer &&
        LdrpComposePath(pp->CurrentDirectory.DosPath.Buffer, pp->CurrentDirectory.DosPath.Length / sizeof(WCHAR),
                        BaseName, NtPath) &&
        (status = LdrpTryOpen(NtPath, File)) != STATUS_DLL_NOT_FOUND)
        return status;
    return STATUS_DLL_NOT_FOUND;
}

/* A name with a directory: its NT form (through the DOS path rules), ".dll" added if the last
 * component has no extension ("x." means none). */
static NTSTATUS LdrpOpenByPath(PCUNICODE_STRING Name, PUNICODE_STRING NtPath, PHANDLE File)
{
    WCHAR dos[LDRP_MAX_PATH_CHARS];
    UNICODE_STRING nt;
    ULONG chars = Name->Length / sizeof(WCHAR);
    if (chars == 0 || chars + 5 > ARRAYSIZE(dos)) return STATUS_DLL_NOT_FOUND;
    RtlCopyMemory(dos, Name->Buffer, Name->Length);
    BOOLEAN hasDot = FALSE;
    for (ULONG i = 0; i < chars; i++) {
        if (dos[i] == 0) return STATUS_DLL_NOT_FOUND;
        if (dos[i] == u'.') hasDot = TRUE;
        if (dos[i] == u'\\' || dos[i] == u'/' || dos[i] == u':') hasDot = FALSE;
    }
    if (dos[chars - 1] == u'.') chars--;
    else if (!hasDot) {
        RtlCopyMemory(dos + chars, u".dll", 4 * sizeof(WCHAR));
        chars += 4;
    }
    dos[chars] = 0;
    NTSTATUS status = RtlDosPathNameToNtPathName_U_WithStatus(dos, &nt, NULL, NULL);
    if (!NT_SUCCESS(status)) return STATUS_DLL_NOT_FOUND;
    NtPath->Length = 0;
    NtPath->MaximumLength = LDRP_MAX_PATH_CHARS * sizeof(WCHAR);
    if (LdrpAppend(NtPath, nt.Buffer, nt.Length / sizeof(WCHAR))) status = LdrpTryOpen(NtPath, File);
    else status = STATUS_DLL_NOT_FOUND;
    RtlFreeUnicodeString(&nt);
    return status;
}

/* "\??\C:\x" -> "C:\x" (other NT paths are kept whole). */
static VOID LdrpNtToDosPath(PCUNICODE_STRING NtPath, PUNICODE_STRING DosPath)
{
    ULONG skip = 0;
    if (NtPath->Length >= 4 * sizeof(WCHAR) && RtlCompareMemory(NtPath->Buffer, u"\\??\\", 8) == 8) skip = 4;
    ULONG chars = NtPath->Length / sizeof(WCHAR) - skip;
    RtlMoveMemory(DosPath->Buffer, NtPath->Buffer + skip, chars * sizeof(WCHAR));
    DosPath->Buffer[chars] = 0;
    DosPath->Length = (USHORT)(chars * sizeof(WCHAR));
    DosPath->MaximumLength = LDRP_MAX_PATH_CHARS * sizeof(WCHAR);
}

NTSTATUS LdrpMapDll(PCWSTR SearchPath, PCUNICODE_STRING Name, PVOID *Base, PSIZE_T ViewSize,
                    PUNICODE_STRING DosPath, PRTL_IMAGE_INFO Info)
{
    WCHAR path[LDRP_MAX_PATH_CHARS], base[LDRP_MAX_NAME_CHARS];
    UNICODE_STRING ntPath = { 0, sizeof(path), path }, baseName;
    HANDLE file;
    NTSTATUS status;
    if (Name->Length == 0 || !LdrpMakeBaseName(Name, &baseName, base, ARRAYSIZE(base)))
        return STATUS_DLL_NOT_FOUND;
    status = LdrpHasPathSyntax(Name) ? STATUS_DLL_NOT_FOUND : LdrpMapKnownDll(&baseName, Base, ViewSize, &ntPath);
    if (status == STATUS_DLL_NOT_FOUND) {
        if (LdrpHasPathSyntax(Name)) status = LdrpOpenByPath(Name, &ntPath, &file);
        else {
            status = LdrpSearchList(SearchPath, &baseName, &ntPath, &file);
            if (status == STATUS_DLL_NOT_FOUND) status = LdrpSearchDefault(&baseName, &ntPath, &file);
        }
        if (!NT_SUCCESS(status)) return status;      /* STATUS_DLL_NOT_FOUND, or why it would not open */
        status = LdrpMapImageFile(file, Base, ViewSize);
        NtClose(file);
    }
    if (!NT_SUCCESS(status)) return status;

    NTSTATUS valid = RtlValidateMappedImage(*Base, *ViewSize, Info);
    if (NT_SUCCESS(valid) && !Info->IsDll) valid = STATUS_INVALID_IMAGE_FORMAT;
    if (NT_SUCCESS(valid) && status == STATUS_IMAGE_NOT_AT_BASE) {
        valid = LdrpRelocate(*Base, Info);
        /* The headers now name the new base: Info is read again from them. */
        if (NT_SUCCESS(valid)) valid = RtlValidateMappedImage(*Base, *ViewSize, Info);
    }
    if (!NT_SUCCESS(valid)) {
        NtUnmapViewOfSection(NtCurrentProcess(), *Base);
        return valid;
    }
    LdrpNtToDosPath(&ntPath, DosPath);
    return status;                                 /* STATUS_IMAGE_NOT_AT_BASE if relocated */
}

NTSTATUS LdrpUnprotect(PVOID Address, SIZE_T Size, PULONG OldProtect)
{
    PVOID a = Address;
    SIZE_T s = Size;
    return NtProtectVirtualMemory(NtCurrentProcess(), &a, &s, PAGE_READWRITE, OldProtect);
}

VOID LdrpReprotect(PVOID Address, SIZE_T Size, ULONG OldProtect)
{
    PVOID a = Address;
    SIZE_T s = Size;
    ULONG ignored;
    NtProtectVirtualMemory(NtCurrentProcess(), &a, &s, OldProtect, &ignored);
}

/* Range Index of an image: 0 the headers, then each section. FALSE past the last. */
static BOOLEAN LdrpImageRange(const RTL_IMAGE_INFO *Info, ULONG Index, PULONG Rva, PULONG Size)
{
    if (Index == 0) {
        *Rva = 0;
        *Size = Info->SizeOfHeaders ? Info->SizeOfHeaders : 1;
        return TRUE;
    }
    IMAGE_SECTION_HEADER sh;
    if (!NT_SUCCESS(RtlImageSection(Info, Index - 1, &sh))) return FALSE;
    *Rva = sh.VirtualAddress;
    *Size = sh.Misc.VirtualSize ? sh.Misc.VirtualSize : sh.SizeOfRawData;
    return TRUE;
}

NTSTATUS LdrpRelocate(PVOID Base, const RTL_IMAGE_INFO *Info)
{
    ULONG old[IMAGE_MAX_SECTIONS + 1], rva, size, n = 0;
    NTSTATUS status = STATUS_SUCCESS;
    if (Info->RelocsStripped) return STATUS_INVALID_IMAGE_FORMAT;   /* it cannot run elsewhere */
    /* Every range writable first (RtlRelocateImage patches all or none). Ranges that share a
     * page: the first saw the real protection, so restoring in reverse order ends with it. */
    for (; n < ARRAYSIZE(old) && LdrpImageRange(Info, n, &rva, &size); n++) {
        if (size == 0 || rva >= Info->SizeOfImage) { old[n] = 0; continue; }
        if (size > Info->SizeOfImage - rva) size = Info->SizeOfImage - rva;
        status = LdrpUnprotect((PUCHAR)Base + rva, size, &old[n]);
        if (!NT_SUCCESS(status)) { old[n] = 0; break; }
    }
    if (NT_SUCCESS(status)) status = RtlRelocateImage(Base, Info->SizeOfImage, (ULONG_PTR)Base);
    while (n-- > 0) {
        if (old[n] == 0 || !LdrpImageRange(Info, n, &rva, &size)) continue;
        if (size > Info->SizeOfImage - rva) size = Info->SizeOfImage - rva;
        LdrpReprotect((PUCHAR)Base + rva, size, old[n]);
    }
    return status;
}

NTSTATUS LdrpMappedImageSize(PVOID Base, PSIZE_T Size)
{
    /* The kernel mapped this view from a validated section, so its first page is readable; only
     * the values are checked before they are trusted. */
    const IMAGE_DOS_HEADER *dos = Base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew < 0 ||
        (ULONG)dos->e_lfanew > PAGE_SIZE - sizeof(IMAGE_NT_HEADERS32))
        return STATUS_INVALID_IMAGE_FORMAT;
    const IMAGE_NT_HEADERS32 *nt = (const IMAGE_NT_HEADERS32 *)((const UCHAR *)Base + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE || nt->OptionalHeader.SizeOfImage == 0)
        return STATUS_INVALID_IMAGE_FORMAT;
    *Size = ROUND_TO_PAGES(nt->OptionalHeader.SizeOfImage);
    return STATUS_SUCCESS;
}
