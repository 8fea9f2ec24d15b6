/* fd.c - low-level I/O: the table of descriptors (0, 1, 2 = the standard handles), each a kernel32
 * handle with a mode; _open/_read/_write/_lseek/_close over CreateFileA/ReadFile/WriteFile/
 * SetFilePointer. Text mode is done here: "\n" is written as "\r\n", and "\r\n" reads as "\n". */
#include "crtp.h"

#define FD_OPEN 0x01
#define FD_TEXT 0x02
#define FD_APPEND 0x04
#define FD_DEVICE 0x08    /* a console or other character device: no seeking, line buffering */

typedef struct {
    HANDLE Handle;
    int Flags;
    int Pending;          /* a byte read ahead in text mode (a '\r' not followed by '\n'), or -1 */
} CRT_FD;

static CRT_FD Fds[CRT_MAX_FDS];

static CRT_FD *Lookup(int Fd)
{
    if (Fd < 0 || Fd >= CRT_MAX_FDS || !(Fds[Fd].Flags & FD_OPEN)) {
        errno = EBADF;
        return NULL;
    }
    return &Fds[Fd];
}

static int Allocate(HANDLE Handle, int Flags)
{
    for (int fd = 0; fd < CRT_MAX_FDS; fd++)
        if (!(Fds[fd].Flags & FD_OPEN)) {
            Fds[fd].Handle = Handle;
            Fds[fd].Flags = Flags | FD_OPEN;
            Fds[fd].Pending = -1;
            if (GetFileType(Handle) == FILE_TYPE_CHAR)
                Fds[fd].Flags |= FD_DEVICE;
            return fd;
        }
    errno = EMFILE;
    return -1;
}

void CrtFdInit(void)
{
    static const DWORD which[3] = { STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE };
    for (int fd = 0; fd < 3; fd++) {
        HANDLE h = GetStdHandle(which[fd]);
        Fds[fd].Handle = h;
        Fds[fd].Pending = -1;
        /* Open even without a handle (a program with no console): writes then fail quietly. */
        Fds[fd].Flags = FD_OPEN | FD_TEXT;
        if (h && h != INVALID_HANDLE_VALUE && GetFileType(h) == FILE_TYPE_CHAR)
            Fds[fd].Flags |= FD_DEVICE;
    }
}

static int TextMode(int OpenFlags)
{
    if (OpenFlags & _O_BINARY)
        return 0;
    if (OpenFlags & _O_TEXT)
        return FD_TEXT;
    return (_fmode & _O_BINARY) ? 0 : FD_TEXT;
}

/* The CreateFile access and disposition of _open flags; FALSE on a bad combination. */
static BOOL Disposition(int Flags, DWORD *Access, DWORD *Create)
{
    switch (Flags & 3) {
    case _O_RDONLY: *Access = GENERIC_READ; break;
    case _O_WRONLY: *Access = GENERIC_WRITE; break;
    case _O_RDWR: *Access = GENERIC_READ | GENERIC_WRITE; break;
    default: errno = EINVAL; return FALSE;
    }
    if ((Flags & (_O_CREAT | _O_EXCL)) == (_O_CREAT | _O_EXCL))
        *Create = CREATE_NEW;
    else if ((Flags & (_O_CREAT | _O_TRUNC)) == (_O_CREAT | _O_TRUNC))
        *Create = CREATE_ALWAYS;
    else if (Flags & _O_CREAT)
        *Create = OPEN_ALWAYS;
    else if (Flags & _O_TRUNC)
        *Create = TRUNCATE_EXISTING;
    else
        *Create = OPEN_EXISTING;
    return TRUE;
}

/* A descriptor for what CreateFile gave (or -1 with errno from its error). */
static int Adopt(HANDLE h, int Flags)
{
    if (h == INVALID_HANDLE_VALUE) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    int fd = Allocate(h, TextMode(Flags) | ((Flags & _O_APPEND) ? FD_APPEND : 0));
    if (fd < 0)
        CloseHandle(h);
    return fd;
}

CRTAPI int _open(const char *Path, int Flags, ...)
{
    DWORD access, create;
    if (!Disposition(Flags, &access, &create))
        return -1;
    return Adopt(CreateFileA(Path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, create,
                             FILE_ATTRIBUTE_NORMAL, NULL), Flags);
}

CRTAPI int _wopen(const wchar_t_ *Path, int Flags, ...)
{
    DWORD access, create;
    if (!Disposition(Flags, &access, &create))
        return -1;
    return Adopt(CreateFileW((LPCWSTR)Path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, create,
                             FILE_ATTRIBUTE_NORMAL, NULL), Flags);
}

CRTAPI int _creat(const char *Path, int Mode)
{
    return _open(Path, _O_WRONLY | _O_CREAT | _O_TRUNC);
}

CRTAPI int _open_osfhandle(LONG_PTR Handle, int Flags)
{
    return Allocate((HANDLE)Handle, TextMode(Flags) | ((Flags & _O_APPEND) ? FD_APPEND : 0));
}

CRTAPI LONG_PTR _get_osfhandle(int Fd)
{
    CRT_FD *f = Lookup(Fd);
    return f ? (LONG_PTR)f->Handle : -1;
}

CRTAPI int _close(int Fd)
{
    CRT_FD *f = Lookup(Fd);
    if (!f)
        return -1;
    BOOL ok = Fd < 3 || CloseHandle(f->Handle);  /* the standard handles belong to the process */
    f->Flags = 0;
    f->Handle = NULL;
    if (!ok) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    return 0;
}

CRTAPI int _isatty(int Fd)
{
    CRT_FD *f = Lookup(Fd);
    return f && (f->Flags & FD_DEVICE) ? 1 : 0;
}

CRTAPI int _setmode(int Fd, int Mode)
{
    CRT_FD *f = Lookup(Fd);
    if (!f)
        return -1;
    if (Mode != _O_TEXT && Mode != _O_BINARY) {
        errno = EINVAL;
        return -1;
    }
    int old = (f->Flags & FD_TEXT) ? _O_TEXT : _O_BINARY;
    f->Flags = (f->Flags & ~FD_TEXT) | (Mode == _O_TEXT ? FD_TEXT : 0);
    return old;
}

static int WriteRaw(CRT_FD *f, const char *Data, DWORD Length)
{
    DWORD done = 0;
    if (!WriteFile(f->Handle, Data, Length, &done, NULL)) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    if (done < Length) {
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

/* Returns the number of bytes of Data consumed (before any "\r" was added), or -1. */
CRTAPI int _write(int Fd, const void *Data, unsigned int Length)
{
    CRT_FD *f = Lookup(Fd);
    const char *p = Data;
    if (!f)
        return -1;
    if (f->Flags & FD_APPEND)
        SetFilePointer(f->Handle, 0, NULL, FILE_END);
    if (!(f->Flags & FD_TEXT))
        return WriteRaw(f, p, Length) < 0 ? -1 : (int)Length;
    /* Text: translate through a small buffer, one WriteFile per buffer-full. */
    char out[512];
    unsigned int used = 0;
    for (unsigned int i = 0; i < Length; i++) {
        if (used >= sizeof(out) - 1) {
            if (WriteRaw(f, out, used) < 0)
                return -1;
            used = 0;
        }
        if (p[i] == '\n')
            out[used++] = '\r';
        out[used++] = p[i];
    }
    if (used && WriteRaw(f, out, used) < 0)
        return -1;
    return Length;
}

/* Reads up to Length bytes; 0 at end of file. A broken pipe is the end of a pipe's data. */
static int ReadRaw(CRT_FD *f, char *Buffer, unsigned int Length)
{
    DWORD done = 0;
    if (!ReadFile(f->Handle, Buffer, Length, &done, NULL)) {
        DWORD error = GetLastError();
        if (error == ERROR_BROKEN_PIPE)
            return 0;
        CrtSetErrnoFromWin32(error);
        return -1;
    }
    return (int)done;
}

/* One byte beyond the buffer, to decide what a trailing '\r' is. */
static int PeekByte(CRT_FD *f)
{
    char c;
    return ReadRaw(f, &c, 1) == 1 ? (unsigned char)c : -1;
}

CRTAPI int _read(int Fd, void *Buffer, unsigned int Length)
{
    CRT_FD *f = Lookup(Fd);
    char *out = Buffer;
    unsigned int got = 0;
    if (!f)
        return -1;
    if (Length == 0)
        return 0;
    if (f->Pending >= 0) {
        out[got++] = (char)f->Pending;
        f->Pending = -1;
    }
    int n = got < Length ? ReadRaw(f, out + got, Length - got) : 0;
    if (n < 0)
        return got ? (int)got : -1;
    got += n;
    if (!(f->Flags & FD_TEXT))
        return got;
    /* Squeeze "\r\n" into "\n" in place. */
    unsigned int w = 0;
    for (unsigned int r = 0; r < got; r++) {
        if (out[r] == '\r') {
            if (r + 1 < got) {
                if (out[r + 1] == '\n')
                    continue;
            } else {
                int next = PeekByte(f);
                if (next == '\n') {
                    out[w++] = '\n';
                    continue;
                }
                f->Pending = next;
            }
        }
        out[w++] = out[r];
    }
    return w;
}

CRTAPI long _lseek(int Fd, long Offset, int Origin)
{
    CRT_FD *f = Lookup(Fd);
    if (!f)
        return -1;
    if (Origin < SEEK_SET || Origin > SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if (f->Flags & FD_DEVICE) {
        errno = ESPIPE;
        return -1;
    }
    if (f->Pending >= 0 && Origin == SEEK_CUR)
        Offset--;             /* the byte read ahead is still ahead of the caller */
    f->Pending = -1;
    DWORD pos = SetFilePointer(f->Handle, Offset, NULL, Origin);
    if (pos == INVALID_SET_FILE_POINTER) {
        CrtSetErrnoFromWin32(GetLastError());
        return -1;
    }
    return (long)pos;
}

CRTAPI long _tell(int Fd) { return _lseek(Fd, 0, SEEK_CUR); }

CRTAPI int _commit(int Fd)
{
    CRT_FD *f = Lookup(Fd);
    if (!f)
        return -1;
    return FlushFileBuffers(f->Handle) ? 0 : (CrtSetErrnoFromWin32(GetLastError()), -1);
}

CRTAPI long _filelength(int Fd)
{
    long here = _lseek(Fd, 0, SEEK_CUR);
    if (here < 0)
        return -1;
    long end = _lseek(Fd, 0, SEEK_END);
    _lseek(Fd, here, SEEK_SET);
    return end;
}

CRTAPI int _eof(int Fd)
{
    long here = _lseek(Fd, 0, SEEK_CUR);
    long end = _filelength(Fd);
    return here < 0 || end < 0 ? -1 : here >= end;
}

CRTAPI int _unlink(const char *Path)
{
    if (DeleteFileA(Path))
        return 0;
    CrtSetErrnoFromWin32(GetLastError());
    return -1;
}

CRTAPI int remove(const char *Path) { return _unlink(Path); }

CRTAPI int _wunlink(const wchar_t_ *Path)
{
    if (DeleteFileW((LPCWSTR)Path))
        return 0;
    CrtSetErrnoFromWin32(GetLastError());
    return -1;
}

CRTAPI int _wremove(const wchar_t_ *Path) { return _wunlink(Path); }

CRTAPI int _wrename(const wchar_t_ *Old, const wchar_t_ *New)
{
    if (MoveFileW((LPCWSTR)Old, (LPCWSTR)New))
        return 0;
    CrtSetErrnoFromWin32(GetLastError());
    return -1;
}

CRTAPI int rename(const char *Old, const char *New)
{
    if (MoveFileA(Old, New))
        return 0;
    CrtSetErrnoFromWin32(GetLastError());
    return -1;
}
