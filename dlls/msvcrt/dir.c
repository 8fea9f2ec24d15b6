/* dir.c - files and directories by name: _stat/_fstat (the 36-byte MSVCRT struct _stat with
 * 32-bit times), _access, _getcwd/_chdir/_mkdir/_rmdir/_fullpath, the _findfirst family, and
 * temporary files (tmpnam, tmpfile: the name is kept in the FILE's _tmpfname and the file is
 * deleted by fclose). */
#include "crtp.h"

struct _stat32 {
    unsigned int st_dev;
    unsigned short st_ino, st_mode;
    short st_nlink, st_uid, st_gid;
    unsigned int st_rdev;
    long st_size;
    long st_atime, st_mtime, st_ctime;
};

struct _finddata32_t {
    unsigned attrib;
    long time_create, time_access, time_write;
    unsigned long size;
    char name[260];
};

#define S_IFCHR 0x2000
#define S_IFDIR 0x4000
#define S_IFREG 0x8000
#define S_IREAD 0x0100
#define S_IWRITE 0x0080
#define S_IEXEC 0x0040

static long UnixTime(const FILETIME *ft)
{
    unsigned long long t = ((unsigned long long)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (t < 116444736000000000ULL)
        return 0;
    return (long)((t - 116444736000000000ULL) / 10000000ULL);
}

/* The mode MSVCRT reports: type, read always, write unless read-only, exec for programs; the
 * owner's bits repeated for group and others. */
static unsigned short Mode(DWORD Attributes, const char *Path)
{
    unsigned short mode = (Attributes & FILE_ATTRIBUTE_DIRECTORY) ? S_IFDIR | S_IEXEC : S_IFREG;
    mode |= S_IREAD;
    if (!(Attributes & FILE_ATTRIBUTE_READONLY))
        mode |= S_IWRITE;
    const char *dot = Path ? strrchr(Path, '.') : NULL;
    if (dot && (_stricmp(dot, ".exe") == 0 || _stricmp(dot, ".com") == 0 ||
                _stricmp(dot, ".bat") == 0 || _stricmp(dot, ".cmd") == 0))
        mode |= S_IEXEC;
    return mode | ((mode & 0x1C0) >> 3) | ((mode & 0x1C0) >> 6);
}

static int DriveOf(const char *Path)
{
    if (Path[0] && Path[1] == ':')
        return tolower((unsigned char)Path[0]) - 'a';
    return 2;                          /* C: */
}

CRTAPI int _stat32(const char *Path, struct _stat32 *st)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!Path || !GetFileAttributesExA(Path, GetFileExInfoStandard, &data)) {
        CrtSetErrnoFromWin32(Path ? GetLastError() : ERROR_FILE_NOT_FOUND);
        return -1;
    }
    memset(st, 0, sizeof(*st));
    st->st_mode = Mode(data.dwFileAttributes, Path);
    st->st_nlink = 1;
    st->st_dev = st->st_rdev = (unsigned)DriveOf(Path);
    st->st_size = (long)data.nFileSizeLow;
    st->st_atime = UnixTime(&data.ftLastAccessTime);
    st->st_mtime = UnixTime(&data.ftLastWriteTime);
    st->st_ctime = UnixTime(&data.ftCreationTime);
    if (!st->st_atime) st->st_atime = st->st_mtime;
    if (!st->st_ctime) st->st_ctime = st->st_mtime;
    return 0;
}

CRTAPI int _stat(const char *Path, struct _stat32 *st) { return _stat32(Path, st); }

CRTAPI int _fstat32(int Fd, struct _stat32 *st)
{
    HANDLE h = (HANDLE)_get_osfhandle(Fd);
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    memset(st, 0, sizeof(*st));
    st->st_nlink = 1;
    if (GetFileType(h) != FILE_TYPE_DISK) {
        st->st_mode = S_IFCHR | S_IREAD | S_IWRITE | ((S_IREAD | S_IWRITE) >> 3) | ((S_IREAD | S_IWRITE) >> 6);
        st->st_dev = st->st_rdev = (unsigned)Fd;
        return 0;
    }
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(h, &info)) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    st->st_mode = Mode(info.dwFileAttributes, NULL);
    st->st_size = (long)info.nFileSizeLow;
    st->st_atime = UnixTime(&info.ftLastAccessTime);
    st->st_mtime = UnixTime(&info.ftLastWriteTime);
    st->st_ctime = UnixTime(&info.ftCreationTime);
    st->st_dev = st->st_rdev = 2;
    return 0;
}

CRTAPI int _fstat(int Fd, struct _stat32 *st) { return _fstat32(Fd, st); }

/* Mode 0 exists, 2 writable, 4 readable, 6 both. */
CRTAPI int _access(const char *Path, int Mode)
{
    DWORD attributes = GetFileAttributesA(Path);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    if ((Mode & 2) && (attributes & FILE_ATTRIBUTE_READONLY) && !(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

static int Status(BOOL Ok)
{
    if (Ok)
        return 0;
    CrtSetErrnoFromWin32(GetLastError());
    return -1;
}

CRTAPI int _chdir(const char *Path) { return Status(SetCurrentDirectoryA(Path)); }
CRTAPI int _mkdir(const char *Path) { return Status(CreateDirectoryA(Path, NULL)); }
CRTAPI int _rmdir(const char *Path) { return Status(RemoveDirectoryA(Path)); }

/* NULL Buffer: a malloc'd one of at least Size bytes (MSVCRT's extension). */
CRTAPI char *_getcwd(char *Buffer, int Size)
{
    DWORD need = GetCurrentDirectoryA(0, NULL);
    if (!need) {
        CrtSetErrnoFromWin32(GetLastError());
        return NULL;
    }
    if (!Buffer) {
        if (Size < (int)need)
            Size = (int)need;
        if (!(Buffer = malloc(Size)))
            return NULL;
    } else if (Size < (int)need) {
        errno = ERANGE;
        return NULL;
    }
    GetCurrentDirectoryA(Size, Buffer);
    return Buffer;
}

CRTAPI char *_fullpath(char *Buffer, const char *Path, size_t Size)
{
    char *allocated = NULL;
    if (!Buffer) {
        Size = MAX_PATH;
        Buffer = allocated = malloc(Size);
        if (!Buffer)
            return NULL;
    }
    DWORD n = GetFullPathNameA(Path && *Path ? Path : ".", (DWORD)Size, Buffer, NULL);
    if (!n || n >= Size) {
        errno = n ? ERANGE : EINVAL;
        free(allocated);
        return NULL;
    }
    return Buffer;
}

static void FindData(const WIN32_FIND_DATAA *w, struct _finddata32_t *f)
{
    f->attrib = w->dwFileAttributes == FILE_ATTRIBUTE_NORMAL ? 0 : w->dwFileAttributes;
    f->time_create = UnixTime(&w->ftCreationTime);
    f->time_access = UnixTime(&w->ftLastAccessTime);
    f->time_write = UnixTime(&w->ftLastWriteTime);
    f->size = w->nFileSizeLow;
    strncpy(f->name, w->cFileName, sizeof(f->name) - 1);
    f->name[sizeof(f->name) - 1] = 0;
}

CRTAPI LONG_PTR _findfirst32(const char *Pattern, struct _finddata32_t *Data)
{
    WIN32_FIND_DATAA w;
    HANDLE h = FindFirstFileA(Pattern, &w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        CrtSetErrnoFromWin32(e == ERROR_NO_MORE_FILES ? ERROR_FILE_NOT_FOUND : e);
        return -1;
    }
    FindData(&w, Data);
    return (LONG_PTR)h;
}

CRTAPI int _findnext32(LONG_PTR Handle, struct _finddata32_t *Data)
{
    WIN32_FIND_DATAA w;
    if (!FindNextFileA((HANDLE)Handle, &w)) {
        errno = ENOENT;
        return -1;
    }
    FindData(&w, Data);
    return 0;
}

CRTAPI LONG_PTR _findfirst(const char *p, struct _finddata32_t *d) { return _findfirst32(p, d); }
CRTAPI int _findnext(LONG_PTR h, struct _finddata32_t *d) { return _findnext32(h, d); }
CRTAPI int _findclose(LONG_PTR Handle) { return Status(FindClose((HANDLE)Handle)); }

/* A name in the current directory that no file has yet: "crt<pid>_<n>.tmp". */
static char *UniqueName(char *Out)
{
    static unsigned counter;
    char *p;
    for (int tries = 0; tries < 1000; tries++) {
        unsigned n = ++counter, pid = (unsigned)GetCurrentProcessId();
        p = Out;
        *p++ = 'c', *p++ = 'r', *p++ = 't';
        for (int shift = 12; shift >= 0; shift -= 4)
            *p++ = "0123456789abcdef"[(pid >> shift) & 15];
        *p++ = '_';
        for (int shift = 12; shift >= 0; shift -= 4)
            *p++ = "0123456789abcdef"[(n >> shift) & 15];
        strcpy(p, ".tmp");
        if (GetFileAttributesA(Out) == INVALID_FILE_ATTRIBUTES)
            return Out;
    }
    return NULL;
}

CRTAPI char *tmpnam(char *Out)
{
    static char name[32];
    return UniqueName(Out ? Out : name);
}

CRTAPI FILE *tmpfile(void)
{
    char name[32];
    if (!UniqueName(name))
        return NULL;
    FILE *f = fopen(name, "w+b");
    if (f && !(f->_tmpfname = _strdup(name))) {
        fclose(f);
        return NULL;
    }
    return f;
}
