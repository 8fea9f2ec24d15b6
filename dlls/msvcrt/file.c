/* file.c - streams on named files: fopen/_fdopen/freopen/fclose, and positioning (fseek, ftell,
 * rewind, fgetpos, fsetpos), which must account for what the buffer holds. */
#include "crtp.h"

/* "r", "w", "a", each with "+" for update, "b" binary or "t" text; MSVCRT's extra letters
 * (c, n, S, R, T, D, N) are accepted and ignored. Returns -1 on a bad mode. */
static int ParseMode(const char *Mode, int *OpenFlags, int *StreamFlags)
{
    switch (*Mode) {
    case 'r': *OpenFlags = _O_RDONLY; *StreamFlags = _IOREAD; break;
    case 'w': *OpenFlags = _O_WRONLY | _O_CREAT | _O_TRUNC; *StreamFlags = _IOWRT; break;
    case 'a': *OpenFlags = _O_WRONLY | _O_CREAT | _O_APPEND; *StreamFlags = _IOWRT; break;
    default: return -1;
    }
    for (const char *p = Mode + 1; *p; p++) {
        switch (*p) {
        case '+':
            *OpenFlags = (*OpenFlags & ~(_O_WRONLY | _O_RDONLY)) | _O_RDWR;
            *StreamFlags = (*StreamFlags & ~(_IOREAD | _IOWRT)) | _IORW | (*Mode == 'r' ? _IOREAD : _IOWRT);
            break;
        case 'b': *OpenFlags |= _O_BINARY; break;
        case 't': *OpenFlags |= _O_TEXT; break;
        case 'c': case 'n': case 'S': case 'R': case 'T': case 'D': case 'N': case ' ': break;
        case ',': return 0;              /* ",ccs=..." is not supported: treated as binary-less */
        default: return -1;
        }
    }
    return 0;
}

/* Opens Path (narrow, or wide when WidePath) on the stream f. */
static FILE *OpenStream(FILE *f, const void *Path, const char *Mode, int WidePath)
{
    int oflags, sflags;
    if (!Path || !Mode || ParseMode(Mode, &oflags, &sflags) < 0) {
        f->_flag = 0;                   /* the stream goes back to the free ones */
        errno = EINVAL;
        return NULL;
    }
    int fd = WidePath ? _wopen(Path, oflags) : _open(Path, oflags);
    if (fd < 0) {
        f->_flag = 0;
        return NULL;
    }
    memset(f, 0, sizeof(*f));
    f->_file = fd;
    f->_flag = sflags;
    return f;
}

CRTAPI FILE *fopen(const char *Path, const char *Mode)
{
    FILE *f = CrtNewStream();
    return f ? OpenStream(f, Path, Mode, 0) : NULL;
}

/* The mode of the wide calls, in bytes (it is ASCII). */
static const char *NarrowMode(const wchar_t_ *Mode, char *Out, size_t Size)
{
    size_t i = 0;
    if (!Mode)
        return NULL;
    for (; Mode[i] && i < Size - 1; i++)
        Out[i] = Mode[i] > 0x7F ? '?' : (char)Mode[i];
    Out[i] = 0;
    return Out;
}

CRTAPI FILE *_wfopen(const wchar_t_ *Path, const wchar_t_ *Mode)
{
    char mode[16];
    FILE *f = CrtNewStream();
    return f ? OpenStream(f, Path, NarrowMode(Mode, mode, sizeof(mode)), 1) : NULL;
}

CRTAPI FILE *_wfsopen(const wchar_t_ *Path, const wchar_t_ *Mode, int Share) { return _wfopen(Path, Mode); }

CRTAPI FILE *_fsopen(const char *Path, const char *Mode, int Share) { return fopen(Path, Mode); }

CRTAPI FILE *_fdopen(int Fd, const char *Mode)
{
    int oflags, sflags;
    if (!Mode || ParseMode(Mode, &oflags, &sflags) < 0) {
        errno = EINVAL;
        return NULL;
    }
    if (_get_osfhandle(Fd) == -1)
        return NULL;                    /* errno EBADF */
    FILE *f = CrtNewStream();       /* (taken: the flags below replace the mark) */
    if (!f)
        return NULL;
    f->_file = Fd;
    f->_flag = sflags;
    return f;
}

/* Flushes, frees the buffer the runtime made, closes the descriptor, frees the stream. */
static int Close(FILE *f)
{
    if (!(f->_flag & (_IOREAD | _IOWRT | _IORW))) {
        errno = EINVAL;
        return EOF;
    }
    int status = (f->_flag & _IOWRT) ? fflush(f) : 0;
    if (_close(f->_file) < 0)
        status = EOF;
    if (f->_flag & _IOMYBUF)
        free(f->_base);
    if (f->_tmpfname) {                 /* a tmpfile(): gone with its stream */
        DeleteFileA(f->_tmpfname);
        free(f->_tmpfname);
    }
    memset(f, 0, sizeof(*f));
    return status;
}

CRTAPI int fclose(FILE *f)
{
    CrtLockStream(f);
    int r = Close(f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int _fcloseall(void)
{
    int n = 0;
    for (int i = 3; i < _IOB_ENTRIES; i++)
        if (_iob[i]._flag & (_IOREAD | _IOWRT | _IORW)) {
            fclose(&_iob[i]);
            n++;
        }
    return n;
}

CRTAPI FILE *freopen(const char *Path, const char *Mode, FILE *f)
{
    if (f->_flag & (_IOREAD | _IOWRT | _IORW))
        fclose(f);
    return OpenStream(f, Path, Mode, 0);
}

/* Counts the '\n' in a text buffer: each stands for "\r\n" (two bytes) in the file. */
static long Newlines(const char *p, int n)
{
    long count = 0;
    for (int i = 0; i < n; i++)
        count += p[i] == '\n';
    return count;
}

static int IsText(FILE *f)
{
    int mode = _setmode(f->_file, _O_BINARY);
    if (mode < 0)
        return 0;
    _setmode(f->_file, mode);
    return mode == _O_TEXT;
}

static long Tell(FILE *f)
{
    long pos = _lseek(f->_file, 0, SEEK_CUR);
    if (pos < 0)
        return -1;
    int text = IsText(f);
    if ((f->_flag & _IOREAD) && f->_cnt > 0)
        pos -= f->_cnt + (text ? Newlines(f->_ptr, f->_cnt) : 0);
    else if ((f->_flag & _IOWRT) && f->_base && f->_ptr > f->_base) {
        int pending = (int)(f->_ptr - f->_base);
        pos += pending + (text ? Newlines(f->_base, pending) : 0);
    }
    return pos;
}

static int Seek(FILE *f, long Offset, int Origin)
{
    if (Origin < SEEK_SET || Origin > SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if (Origin == SEEK_CUR) {
        long here = Tell(f);
        if (here < 0)
            return -1;
        Offset += here;
        Origin = SEEK_SET;
    }
    if ((f->_flag & _IOWRT) && fflush(f))
        return -1;
    f->_ptr = f->_base;
    f->_cnt = 0;
    f->_flag &= ~_IOEOF;
    if (f->_flag & _IORW)
        f->_flag &= ~(_IOREAD | _IOWRT);   /* an update stream may now go either way */
    return _lseek(f->_file, Offset, Origin) < 0 ? -1 : 0;
}

CRTAPI long ftell(FILE *f)
{
    CrtLockStream(f);
    long r = Tell(f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int fseek(FILE *f, long Offset, int Origin)
{
    CrtLockStream(f);
    int r = Seek(f, Offset, Origin);
    CrtUnlockStream(f);
    return r;
}

CRTAPI void rewind(FILE *f)
{
    fseek(f, 0, SEEK_SET);
    f->_flag &= ~_IOERR;
}

typedef long long fpos_t_;
CRTAPI int fgetpos(FILE *f, fpos_t_ *Position)
{
    long pos = ftell(f);
    if (pos < 0)
        return -1;
    *Position = pos;
    return 0;
}

CRTAPI int fsetpos(FILE *f, const fpos_t_ *Position)
{
    return fseek(f, (long)*Position, SEEK_SET);
}

CRTAPI long long _ftelli64(FILE *f) { return ftell(f); }
CRTAPI int _fseeki64(FILE *f, long long Offset, int Origin) { return fseek(f, (long)Offset, Origin); }
