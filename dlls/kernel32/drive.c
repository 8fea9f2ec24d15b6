/*
 * drive.c - drives and volumes: free space (FileFsFullSizeInformation of the directory, which
 * the file system answers for its whole volume), the drive type (the volume's device type and
 * characteristics) and the drive letters in use (the \??\X: symbolic links that exist).
 */
#include "k32p.h"

/* Device types (io.h; not part of the native headers user mode sees). */
#define BASE_DEVICE_CD_ROM               0x00000002u
#define BASE_DEVICE_DISK                 0x00000007u
#define BASE_DEVICE_NETWORK_FILE_SYSTEM  0x00000014u
#define BASE_DEVICE_VIRTUAL_DISK         0x00000024u
#define BASE_REMOVABLE_MEDIA             0x00000001u
#define BASE_REMOTE_DEVICE               0x00000010u

/* Opens a directory (NULL: the current one) for volume queries. */
static BOOL BaseOpenVolumeDirectory(LPCWSTR Directory, PHANDLE Handle)
{
    WCHAR current[RTL_MAX_DOS_PATH_CHARS + 1];
    UNICODE_STRING nt;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    if (Directory == NULL) {
        DWORD n = GetCurrentDirectoryW(RTL_MAX_DOS_PATH_CHARS + 1, current);
        if (n == 0 || n > RTL_MAX_DOS_PATH_CHARS) return FALSE;
        Directory = current;
    }
    if (!BaseDosToNtPath(Directory, &nt)) return FALSE;
    InitializeObjectAttributes(&oa, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                 FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeUnicodeString(&nt);
    return BaseNtSuccess(status);
}

static BOOL BaseQueryFullSize(LPCWSTR Directory, PFILE_FS_FULL_SIZE_INFORMATION Info)
{
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    if (!BaseOpenVolumeDirectory(Directory, &h)) return FALSE;
    NTSTATUS status = NtQueryVolumeInformationFile(h, &iosb, Info, sizeof(*Info), FileFsFullSizeInformation);
    NtClose(h);
    return BaseNtSuccess(status);
}

BOOL WINAPI GetDiskFreeSpaceExW(LPCWSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                PULARGE_INTEGER lpTotalNumberOfBytes, PULARGE_INTEGER lpTotalNumberOfFreeBytes)
{
    FILE_FS_FULL_SIZE_INFORMATION info;
    if (!BaseQueryFullSize(lpDirectoryName, &info)) return FALSE;
    ULONGLONG unit = (ULONGLONG)info.SectorsPerAllocationUnit * info.BytesPerSector;
    if (lpFreeBytesAvailableToCaller)
        lpFreeBytesAvailableToCaller->QuadPart = (ULONGLONG)info.CallerAvailableAllocationUnits.QuadPart * unit;
    if (lpTotalNumberOfBytes) lpTotalNumberOfBytes->QuadPart = (ULONGLONG)info.TotalAllocationUnits.QuadPart * unit;
    if (lpTotalNumberOfFreeBytes)
        lpTotalNumberOfFreeBytes->QuadPart = (ULONGLONG)info.ActualAvailableAllocationUnits.QuadPart * unit;
    return TRUE;
}

/* Clusters as a DWORD: volumes too big for one are reported as the largest, as Windows does. */
static DWORD BaseClamp(LONGLONG Value) { return Value > 0xFFFFFFFFll ? 0xFFFFFFFFu : (DWORD)Value; }

BOOL WINAPI GetDiskFreeSpaceW(LPCWSTR lpRootPathName, LPDWORD lpSectorsPerCluster, LPDWORD lpBytesPerSector,
                              LPDWORD lpNumberOfFreeClusters, LPDWORD lpTotalNumberOfClusters)
{
    FILE_FS_FULL_SIZE_INFORMATION info;
    if (!BaseQueryFullSize(lpRootPathName, &info)) return FALSE;
    if (lpSectorsPerCluster) *lpSectorsPerCluster = info.SectorsPerAllocationUnit;
    if (lpBytesPerSector) *lpBytesPerSector = info.BytesPerSector;
    if (lpNumberOfFreeClusters) *lpNumberOfFreeClusters = BaseClamp(info.CallerAvailableAllocationUnits.QuadPart);
    if (lpTotalNumberOfClusters) *lpTotalNumberOfClusters = BaseClamp(info.TotalAllocationUnits.QuadPart);
    return TRUE;
}

/* Runs a W function on the UTF-16 form of an ANSI path (NULL stays NULL). */
#define BASE_WITH_WIDE_PATH(Path, Failure, Call)                            \
    do {                                                                    \
        UNICODE_STRING wide_;                                               \
        if (!BaseAnsiToUnicode((Path), &wide_)) return (Failure);           \
        LPCWSTR wpath = (Path) ? wide_.Buffer : NULL;                       \
        __typeof__(Call) result_ = (Call);                                  \
        DWORD error_ = GetLastError();                                      \
        RtlFreeUnicodeString(&wide_);                                       \
        SetLastError(error_);                                               \
        return result_;                                                     \
    } while (0)

BOOL WINAPI GetDiskFreeSpaceExA(LPCSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                PULARGE_INTEGER lpTotalNumberOfBytes, PULARGE_INTEGER lpTotalNumberOfFreeBytes)
{
    BASE_WITH_WIDE_PATH(lpDirectoryName, FALSE,
                        GetDiskFreeSpaceExW(wpath, lpFreeBytesAvailableToCaller, lpTotalNumberOfBytes,
                                            lpTotalNumberOfFreeBytes));
}

BOOL WINAPI GetDiskFreeSpaceA(LPCSTR lpRootPathName, LPDWORD lpSectorsPerCluster, LPDWORD lpBytesPerSector,
                              LPDWORD lpNumberOfFreeClusters, LPDWORD lpTotalNumberOfClusters)
{
    BASE_WITH_WIDE_PATH(lpRootPathName, FALSE,
                        GetDiskFreeSpaceW(wpath, lpSectorsPerCluster, lpBytesPerSector, lpNumberOfFreeClusters,
                                          lpTotalNumberOfClusters));
}

static UINT BaseDriveTypeOf(const FILE_FS_DEVICE_INFORMATION *Info)
{
    if (Info->Characteristics & BASE_REMOTE_DEVICE) return DRIVE_REMOTE;
    switch (Info->DeviceType) {
    case BASE_DEVICE_DISK:
        return (Info->Characteristics & BASE_REMOVABLE_MEDIA) ? DRIVE_REMOVABLE : DRIVE_FIXED;
    case BASE_DEVICE_VIRTUAL_DISK: return DRIVE_RAMDISK;
    case BASE_DEVICE_CD_ROM: return DRIVE_CDROM;
    case BASE_DEVICE_NETWORK_FILE_SYSTEM: return DRIVE_REMOTE;
    default: return DRIVE_UNKNOWN;
    }
}

UINT WINAPI GetDriveTypeW(LPCWSTR lpRootPathName)
{
    WCHAR current[RTL_MAX_DOS_PATH_CHARS + 1], root[4] = u"?:\\";
    LPCWSTR path = lpRootPathName;
    if (path == NULL) {
        DWORD n = GetCurrentDirectoryW(RTL_MAX_DOS_PATH_CHARS + 1, current);
        if (n == 0 || n > RTL_MAX_DOS_PATH_CHARS) return DRIVE_UNKNOWN;
        path = current;
    }
    /* Only drive-letter roots ("C:", "C:\"): anything else names no root directory. */
    WCHAR letter = path[0] & ~0x20;
    if (letter < L'A' || letter > L'Z' || path[1] != L':' ||
        (path[2] != 0 && ((path[2] != L'\\' && path[2] != L'/') || (lpRootPathName && path[3] != 0))))
        return DRIVE_NO_ROOT_DIR;
    root[0] = letter;
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    FILE_FS_DEVICE_INFORMATION info;
    DWORD error = GetLastError();    /* a type query leaves the last error alone */
    if (!BaseOpenVolumeDirectory(root, &h)) { SetLastError(error); return DRIVE_NO_ROOT_DIR; }
    NTSTATUS status = NtQueryVolumeInformationFile(h, &iosb, &info, sizeof(info), FileFsDeviceInformation);
    NtClose(h);
    SetLastError(error);
    return NT_SUCCESS(status) ? BaseDriveTypeOf(&info) : DRIVE_UNKNOWN;
}

UINT WINAPI GetDriveTypeA(LPCSTR lpRootPathName)
{
    BASE_WITH_WIDE_PATH(lpRootPathName, DRIVE_UNKNOWN, GetDriveTypeW(wpath));
}

DWORD WINAPI GetLogicalDrives(VOID)
{
    WCHAR buffer[] = u"\\??\\A:";
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    DWORD drives = 0;
    RtlInitUnicodeString(&name, buffer);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    for (int i = 0; i < 26; i++) {
        HANDLE link;
        buffer[4] = (WCHAR)(L'A' + i);
        if (NT_SUCCESS(NtOpenSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &oa))) {
            drives |= 1u << i;
            NtClose(link);
        }
    }
    SetLastError(ERROR_SUCCESS);     /* 0 would be the failure value: say it is not one */
    return drives;
}
