/* stdio.c - buffered streams (FILE) over the descriptors of fd.c: the _iob array whose first
 * three entries are stdin, stdout and stderr, buffering (a console stream is line buffered, a
 * file fully, stderr not at all), and the byte-level calls: fputc/fgetc/fwrite/fread/ungetc,
 * fflush, and the switch between reading and writing on an update stream. */
#include "crtp.h"

CRTAPI FILE _iob[_IOB_ENTRIES];
static FILE MoreStreams[CRT_MAX_STREAMS - _IOB_ENTRIES];
#define stdin (&_iob[0])
#define stdout (&_iob[1])
#define stderr (&_iob[2])

CRTAPI FILE *__iob_func(void) { return _iob; }
CRTAPI FILE *__p__iob(void) { return _iob; }

static FILE *StreamAt(int i) { return i < _IOB_ENTRIES ? &_iob[i] : &MoreStreams[i - _IOB_ENTRIES]; }

/* One lock per stream: a call that touches a stream holds it, so threads sharing stdout get
 * whole calls interleaved, never torn buffers. Critical sections nest, so a call may use another. */
static CRITICAL_SECTION StreamLocks[CRT_MAX_STREAMS];

static CRITICAL_SECTION *LockOf(FILE *f)
{
    if (f >= _iob && f < _iob + _IOB_ENTRIES)
        return &StreamLocks[f - _iob];
    if (f >= MoreStreams && f < MoreStreams + (CRT_MAX_STREAMS - _IOB_ENTRIES))
        return &StreamLocks[_IOB_ENTRIES + (f - MoreStreams)];
    return NULL;                      /* a FILE the program made itself (sprintf-style) */
}

void CrtLockStream(FILE *f)
{
    CRITICAL_SECTION *cs = LockOf(f);
    if (cs)
        EnterCriticalSection(cs);
}

void CrtUnlockStream(FILE *f)
{
    CRITICAL_SECTION *cs = LockOf(f);
    if (cs)
        LeaveCriticalSection(cs);
}

CRTAPI void _lock_file(FILE *f) { CrtLockStream(f); }
CRTAPI void _unlock_file(FILE *f) { CrtUnlockStream(f); }

void CrtStdioInit(void)
{
    for (int i = 0; i < CRT_MAX_STREAMS; i++)
        InitializeCriticalSection(&StreamLocks[i]);
    for (int i = 0; i < 3; i++) {
        _iob[i]._file = i;
        _iob[i]._flag = i == 0 ? _IOREAD : _IOWRT;
    }
    _iob[2]._flag |= _IONBF;
    if (_isatty(1))
        _iob[1]._flag |= _IOLINE;
}

#define STREAM_SCAN_LOCK 1

/* A free stream, taken (marked _IORW) under the scan lock so two threads opening files at once
 * get different ones; the caller sets the real flags, or 0 to give it back. */
FILE *CrtNewStream(void)
{
    _lock(STREAM_SCAN_LOCK);
    for (int i = 3; i < CRT_MAX_STREAMS; i++) {
        FILE *f = StreamAt(i);
        if (!(f->_flag & (_IOREAD | _IOWRT | _IORW))) {
            memset(f, 0, sizeof(*f));
            f->_flag = _IORW;
            _unlock(STREAM_SCAN_LOCK);
            return f;
        }
    }
    _unlock(STREAM_SCAN_LOCK);
    errno = EMFILE;
    return NULL;
}

/* The buffer is made at the first transfer (setvbuf may come before). An unbuffered stream uses
 * its _charbuf for the one byte ungetc and reading need. */
static void GetBuffer(FILE *f)
{
    if (f->_base)
        return;
    if (!(f->_flag & _IONBF)) {
        f->_base = malloc(CRT_BUFSIZE);
        if (f->_base) {
            f->_flag |= _IOMYBUF;
            f->_bufsiz = CRT_BUFSIZE;
        }
    }
    if (!f->_base) {
        f->_flag |= _IONBF;
        f->_base = (char *)&f->_charbuf;
        f->_bufsiz = 1;
    }
    f->_ptr = f->_base;
    f->_cnt = 0;
}

/* Writes out what is buffered for writing. */
static int FlushWrite(FILE *f)
{
    int pending = f->_ptr && f->_base ? (int)(f->_ptr - f->_base) : 0;
    int status = 0;
    if ((f->_flag & _IOWRT) && pending > 0 && _write(f->_file, f->_base, pending) != pending) {
        f->_flag |= _IOERR;
        status = EOF;
    }
    f->_ptr = f->_base;
    f->_cnt = 0;
    return status;
}

/* The stream is ready to be written: an update stream that was reading gives up its read-ahead
 * (seeking the descriptor back over it) and becomes a writer. */
static int BeginWrite(FILE *f)
{
    if (f->_flag & _IOSTRG)
        return 0;
    if (f->_flag & _IOWRT)
        return 0;
    if (!(f->_flag & _IORW)) {
        f->_flag |= _IOERR;
        errno = EBADF;
        return EOF;
    }
    if ((f->_flag & _IOREAD) && f->_cnt > 0)
        _lseek(f->_file, -f->_cnt, SEEK_CUR);
    f->_flag = (f->_flag & ~(_IOREAD | _IOEOF)) | _IOWRT;
    f->_ptr = f->_base;
    f->_cnt = 0;
    return 0;
}

static int BeginRead(FILE *f)
{
    if (f->_flag & _IOREAD)
        return 0;
    if (!(f->_flag & _IORW)) {
        f->_flag |= _IOERR;
        errno = EBADF;
        return EOF;
    }
    if ((f->_flag & _IOWRT) && FlushWrite(f))
        return EOF;
    f->_flag = (f->_flag & ~_IOWRT) | _IOREAD;
    f->_ptr = f->_base;
    f->_cnt = 0;
    return 0;
}

/* MSVCRT's internal refill, exported because old MSVC-compiled getc macros call it: fills the
 * buffer and returns its first byte. */
CRTAPI int _filbuf(FILE *f)
{
    if (f->_flag & _IOSTRG)
        return EOF;
    if (BeginRead(f))
        return EOF;
    if (f->_flag & _IOEOF)
        return EOF;
    GetBuffer(f);
    /* Reading the console first shows what was written to stdout (a prompt). */
    if (f == stdin && (_iob[1]._flag & _IOWRT))
        fflush(stdout);
    int n = _read(f->_file, f->_base, f->_bufsiz);
    if (n <= 0) {
        f->_flag |= n == 0 ? _IOEOF : _IOERR;
        f->_cnt = 0;
        return EOF;
    }
    f->_ptr = f->_base + 1;
    f->_cnt = n - 1;
    return (unsigned char)f->_base[0];
}

/* The other half of the old macros: stores c when the buffer is full (or absent). */
CRTAPI int _flsbuf(int c, FILE *f)
{
    if (BeginWrite(f))
        return EOF;
    GetBuffer(f);
    if (f->_flag & _IONBF) {
        char byte = (char)c;
        if (_write(f->_file, &byte, 1) != 1) {
            f->_flag |= _IOERR;
            return EOF;
        }
        return (unsigned char)c;
    }
    if (f->_ptr - f->_base >= f->_bufsiz && FlushWrite(f))
        return EOF;
    *f->_ptr++ = (char)c;
    f->_cnt = f->_bufsiz - (int)(f->_ptr - f->_base);
    if (((f->_flag & _IOLINE) && c == '\n') || f->_cnt == 0)
        return FlushWrite(f) ? EOF : (unsigned char)c;
    return (unsigned char)c;
}

static int PutByte(int c, FILE *f)
{
    if ((f->_flag & _IOWRT) && f->_cnt > 0 && !(f->_flag & _IOLINE)) {
        f->_cnt--;
        return (unsigned char)(*f->_ptr++ = (char)c);
    }
    return _flsbuf(c, f);
}

CRTAPI int fputc(int c, FILE *f)
{
    CrtLockStream(f);
    int r = PutByte(c, f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int putc(int c, FILE *f) { return fputc(c, f); }
CRTAPI int putchar(int c) { return fputc(c, stdout); }
CRTAPI int _fputchar(int c) { return fputc(c, stdout); }

static int GetByte(FILE *f)
{
    if ((f->_flag & _IOREAD) && f->_cnt > 0) {
        f->_cnt--;
        return (unsigned char)*f->_ptr++;
    }
    return _filbuf(f);
}

CRTAPI int fgetc(FILE *f)
{
    CrtLockStream(f);
    int r = GetByte(f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int getc(FILE *f) { return fgetc(f); }
CRTAPI int getchar(void) { return fgetc(stdin); }
CRTAPI int _fgetchar(void) { return fgetc(stdin); }

/* One byte of push-back is guaranteed: room is made at the buffer's front or end. */
static int Unget(int c, FILE *f)
{
    if (c == EOF || BeginRead(f))
        return EOF;
    GetBuffer(f);
    if (f->_ptr > f->_base) {
        f->_ptr--;
    } else if (f->_cnt == 0) {
        f->_ptr = f->_base + f->_bufsiz - 1;
    } else {
        return EOF;
    }
    *f->_ptr = (char)c;
    f->_cnt++;
    f->_flag &= ~_IOEOF;
    return (unsigned char)c;
}

/* Large writes to an empty buffer go straight to the descriptor; small ones are copied. */
static size_t Write(const void *Data, size_t Size, size_t Count, FILE *f)
{
    size_t total = Size * Count, done = 0;
    const char *p = Data;
    if (!total || BeginWrite(f))
        return 0;
    GetBuffer(f);
    while (done < total) {
        size_t left = total - done;
        int used = (int)(f->_ptr - f->_base);
        if ((f->_flag & _IONBF) || (used == 0 && left >= (size_t)f->_bufsiz)) {
            if (_write(f->_file, p + done, left) != (int)left) {
                f->_flag |= _IOERR;
                break;
            }
            done = total;
            break;
        }
        size_t room = f->_bufsiz - used;
        size_t chunk = left < room ? left : room;
        memcpy(f->_ptr, p + done, chunk);
        f->_ptr += chunk;
        f->_cnt = (int)(room - chunk);
        done += chunk;
        if (f->_cnt == 0 && FlushWrite(f))
            break;
    }
    /* A console stream shows every complete line at once. */
    if ((f->_flag & _IOLINE) && f->_ptr > f->_base && memchr(p, '\n', done) && FlushWrite(f))
        done = 0;
    if (f->_flag & _IOLINE)
        f->_cnt = 0;      /* keep fputc on the slow path, which knows about lines */
    return done / Size;
}

static size_t Read(void *Buffer, size_t Size, size_t Count, FILE *f)
{
    size_t total = Size * Count, done = 0;
    char *p = Buffer;
    if (!total || BeginRead(f))
        return 0;
    while (done < total) {
        if (f->_cnt > 0) {
            size_t chunk = total - done < (size_t)f->_cnt ? total - done : (size_t)f->_cnt;
            memcpy(p + done, f->_ptr, chunk);
            f->_ptr += chunk;
            f->_cnt -= (int)chunk;
            done += chunk;
            continue;
        }
        int c = _filbuf(f);
        if (c == EOF)
            break;
        p[done++] = (char)c;
    }
    return done / Size;
}

static int Flush(FILE *f)
{
    if (!f) {
        int status = 0;
        for (int i = 0; i < CRT_MAX_STREAMS; i++)
            if ((StreamAt(i)->_flag & _IOWRT) && fflush(StreamAt(i)))
                status = EOF;
        return status;
    }
    if (f->_flag & _IOWRT)
        return FlushWrite(f);
    if ((f->_flag & _IOREAD) && (f->_flag & _IORW)) {
        /* An update stream drops its read-ahead, so the next write lands where it should. */
        if (f->_cnt > 0)
            _lseek(f->_file, -f->_cnt, SEEK_CUR);
        f->_ptr = f->_base;
        f->_cnt = 0;
    }
    return 0;
}

CRTAPI int ungetc(int c, FILE *f)
{
    CrtLockStream(f);
    int r = Unget(c, f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI size_t fwrite(const void *Data, size_t Size, size_t Count, FILE *f)
{
    CrtLockStream(f);
    size_t r = Write(Data, Size, Count, f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI size_t fread(void *Buffer, size_t Size, size_t Count, FILE *f)
{
    CrtLockStream(f);
    size_t r = Read(Buffer, Size, Count, f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int fflush(FILE *f)
{
    if (!f)
        return Flush(NULL);
    CrtLockStream(f);
    int r = Flush(f);
    CrtUnlockStream(f);
    return r;
}

CRTAPI int _flushall(void)
{
    int n = 0;
    for (int i = 0; i < CRT_MAX_STREAMS; i++)
        if (StreamAt(i)->_flag & (_IOREAD | _IOWRT | _IORW)) {
            fflush(StreamAt(i));
            n++;
        }
    return n;
}

void CrtFlushAll(void) { fflush(NULL); }

/* Messages of the runtime itself (abort, perror): what stdout holds goes first. */
void CrtWriteStderr(const char *Text)
{
    fflush(stdout);
    fwrite(Text, 1, strlen(Text), stderr);
}

static int SetBuffer(FILE *f, char *Buffer, int Mode, size_t Size)
{
    if ((Mode != _IOFBF && Mode != _IOLBF && Mode != _IONBF) ||
        (Mode != _IONBF && (Size < 2 || Size > INT_MAX))) {
        errno = EINVAL;
        return -1;
    }
    fflush(f);
    if (f->_flag & _IOMYBUF)
        free(f->_base);
    f->_flag &= ~(_IOMYBUF | _IONBF | _IOLINE);
    f->_base = f->_ptr = NULL;
    f->_cnt = f->_bufsiz = 0;
    if (Mode == _IONBF) {
        f->_flag |= _IONBF;
        return 0;
    }
    if (Mode == _IOLBF)
        f->_flag |= _IOLINE;   /* MSVCRT buffers _IOLBF fully; flushing lines is kinder */
    if (!Buffer) {
        Buffer = malloc(Size);
        if (!Buffer)
            return -1;
        f->_flag |= _IOMYBUF;
    }
    f->_base = f->_ptr = Buffer;
    f->_bufsiz = (int)Size;
    return 0;
}

CRTAPI int setvbuf(FILE *f, char *Buffer, int Mode, size_t Size)
{
    CrtLockStream(f);
    int r = SetBuffer(f, Buffer, Mode, Size);
    CrtUnlockStream(f);
    return r;
}

CRTAPI void setbuf(FILE *f, char *Buffer)
{
    setvbuf(f, Buffer, Buffer ? _IOFBF : _IONBF, BUFSIZ);
}

CRTAPI int feof(FILE *f) { return f->_flag & _IOEOF; }
CRTAPI int ferror(FILE *f) { return f->_flag & _IOERR; }
CRTAPI void clearerr(FILE *f) { f->_flag &= ~(_IOEOF | _IOERR); }
CRTAPI int _fileno(FILE *f) { return f->_file; }
