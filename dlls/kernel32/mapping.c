/*
 * mapping.c - file mappings on sections. Only page-file-backed mappings exist (hFile ==
 * INVALID_HANDLE_VALUE): the kernel does not yet build data sections on files (NtCreateSection
 * with a file handle and no SEC_IMAGE says STATUS_NOT_IMPLEMENTED), so a mapping of a real file
 * fails here with ERROR_NOT_SUPPORTED. Named mappings live in \BaseNamedObjects like events;
 * creating an existing name opens it and says ERROR_ALREADY_EXISTS. A page-file view has nothing
 * to write back, so FlushViewOfFile only checks that the address is in a mapped view.
 */
#include "k32p.h"

#define BASE_NAME_CHARS (MAX_PATH + 32)
#define BASE_MAPPED_ALIGNMENT_ERROR 1132u    /* ERROR_MAPPED_ALIGNMENT */
#define BASE_ALLOCATION_GRANULARITY 0x10000u

/* The page protection part of flProtect must be one a section can carry. */
static BOOL BaseValidSectionProtection(DWORD Protect)
{
    switch (Protect) {
    case PAGE_READONLY: case PAGE_READWRITE: case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ: case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY:
        return TRUE;
    default:
        return FALSE;
    }
}

HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes, DWORD flProtect,
                                 DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow, LPCWSTR lpName)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE section = NULL;
    DWORD protect = flProtect & 0xFF, attributes = flProtect & ~0xFFu;
    if (hFile == NULL) { SetLastError(ERROR_INVALID_HANDLE); return NULL; }
    if (hFile != INVALID_HANDLE_VALUE) { SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
    if (attributes == 0) attributes = SEC_COMMIT;
    if (!BaseValidSectionProtection(protect) || (attributes != SEC_COMMIT && attributes != SEC_RESERVE) ||
        (dwMaximumSizeHigh == 0 && dwMaximumSizeLow == 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);   /* a page-file mapping has no file to take its size from */
        return NULL;
    }
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, lpFileMappingAttributes, lpName))
        return NULL;
    LARGE_INTEGER size;
    size.u.LowPart = dwMaximumSizeLow;
    size.u.HighPart = (LONG)dwMaximumSizeHigh;
    NTSTATUS status = NtCreateSection(&section, SECTION_ALL_ACCESS, &oa, &size, protect, attributes, NULL);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    SetLastError(status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return section;
}

HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes, DWORD flProtect,
                                 DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow, LPCSTR lpName)
{
    UNICODE_STRING wide;
    if (!BaseAnsiToUnicode(lpName, &wide)) return NULL;
    HANDLE section = CreateFileMappingW(hFile, lpFileMappingAttributes, flProtect, dwMaximumSizeHigh,
                                        dwMaximumSizeLow, lpName ? wide.Buffer : NULL);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&wide);
    SetLastError(error);
    return section;
}

/* FILE_MAP_* rights are SECTION_* rights, except FILE_MAP_EXECUTE (0x20), which asks for
 * SECTION_MAP_EXECUTE. */
static ACCESS_MASK BaseSectionAccess(DWORD Access)
{
    ACCESS_MASK access = Access & ~FILE_MAP_EXECUTE;
    if (Access & FILE_MAP_EXECUTE) access |= SECTION_MAP_EXECUTE;
    if (Access & FILE_MAP_COPY) access |= SECTION_MAP_READ;    /* a copy view reads the section */
    return access;
}

HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    WCHAR buffer[BASE_NAME_CHARS];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, bInheritHandle };
    HANDLE section = NULL;
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    if (!BaseFormatObjectAttributes(&oa, &name, buffer, BASE_NAME_CHARS, &sa, lpName)) return NULL;
    oa.Attributes &= ~OBJ_OPENIF;
    NTSTATUS status = NtOpenSection(&section, BaseSectionAccess(dwDesiredAccess), &oa);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return section;
}

HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    UNICODE_STRING wide;
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    if (!BaseAnsiToUnicode(lpName, &wide)) return NULL;
    HANDLE section = OpenFileMappingW(dwDesiredAccess, bInheritHandle, wide.Buffer);
    DWORD error = GetLastError();
    RtlFreeUnicodeString(&wide);
    SetLastError(error);
    return section;
}

/* The view's page protection for FILE_MAP_* access; 0 for an access that maps nothing. Write wins
 * over copy (FILE_MAP_ALL_ACCESS has both bits), copy over read. */
static ULONG BaseViewProtection(DWORD Access)
{
    BOOL execute = (Access & FILE_MAP_EXECUTE) != 0;
    if (Access & FILE_MAP_WRITE) return execute ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (Access & FILE_MAP_COPY) return execute ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (Access & FILE_MAP_READ) return execute ? PAGE_EXECUTE_READ : PAGE_READONLY;
    return 0;
}

LPVOID WINAPI MapViewOfFileEx(HANDLE hFileMappingObject, DWORD dwDesiredAccess, DWORD dwFileOffsetHigh,
                              DWORD dwFileOffsetLow, SIZE_T dwNumberOfBytesToMap, LPVOID lpBaseAddress)
{
    ULONG protect = BaseViewProtection(dwDesiredAccess);
    if (protect == 0) { SetLastError(ERROR_INVALID_PARAMETER); return NULL; }
    if ((dwFileOffsetLow % BASE_ALLOCATION_GRANULARITY) != 0 ||
        ((ULONG_PTR)lpBaseAddress % BASE_ALLOCATION_GRANULARITY) != 0) {
        SetLastError(BASE_MAPPED_ALIGNMENT_ERROR);
        return NULL;
    }
    LARGE_INTEGER offset;
    offset.u.LowPart = dwFileOffsetLow;
    offset.u.HighPart = (LONG)dwFileOffsetHigh;
    PVOID base = lpBaseAddress;
    SIZE_T size = dwNumberOfBytesToMap;     /* 0: from the offset to the end of the section */
    NTSTATUS status = NtMapViewOfSection(hFileMappingObject, NtCurrentProcess(), &base, 0, 0, &offset, &size,
                                         ViewShare, 0, protect);
    if (!NT_SUCCESS(status)) { BaseSetLastNtError(status); return NULL; }
    return base;
}

LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess, DWORD dwFileOffsetHigh,
                            DWORD dwFileOffsetLow, SIZE_T dwNumberOfBytesToMap)
{
    return MapViewOfFileEx(hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh, dwFileOffsetLow,
                           dwNumberOfBytesToMap, NULL);
}

BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress)
{
    return BaseNtSuccess(NtUnmapViewOfSection(NtCurrentProcess(), (PVOID)lpBaseAddress));
}

BOOL WINAPI FlushViewOfFile(LPCVOID lpBaseAddress, SIZE_T dwNumberOfBytesToFlush)
{
    MEMORY_BASIC_INFORMATION mbi;
    (void)dwNumberOfBytesToFlush;    /* page-file views: nothing to write, whatever the range */
    if (VirtualQuery(lpBaseAddress, &mbi, sizeof(mbi)) != sizeof(mbi) || mbi.Type != MEM_MAPPED) {
        SetLastError(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    return TRUE;
}
