/* printf.c - the printf family over the engine of format.c: to a stream (printf, fprintf,
 * vfprintf, ...), to a buffer (sprintf; _snprintf, which returns -1 and leaves no terminator when
 * the text does not fit, as MSVCRT's does; snprintf, C99's, which always terminates and returns
 * the full length), and counting only (_scprintf). */
#include "crtp.h"

typedef struct {
    CRT_SINK Sink;
    FILE *Stream;
} STREAM_SINK;

static void PutStream(CRT_SINK *s, const char *Text, size_t Length)
{
    STREAM_SINK *ss = (STREAM_SINK *)s;
    if (fwrite(Text, 1, Length, ss->Stream) != Length)
        s->Error = 1;
}

static int StreamFormat(FILE *f, const char *Format, va_list Args, int Wide)
{
    STREAM_SINK ss = { { PutStream, 0, 0, Wide }, f };
    /* An unbuffered stream (stderr) gets the whole text in one write: build it in a local
     * buffer first, so a message is not split into one system call per character. */
    if (f->_flag & _IONBF) {
        char local[512];
        int saved = f->_flag;
        char *base = f->_base, *ptr = f->_ptr;
        int cnt = f->_cnt, size = f->_bufsiz;
        f->_flag &= ~_IONBF;
        f->_base = f->_ptr = local;
        f->_bufsiz = sizeof(local);
        f->_cnt = 0;
        int n = CrtFormat(&ss.Sink, Format, Args);
        if (fflush(f))
            n = -1;
        f->_flag = saved | (f->_flag & _IOERR);
        f->_base = base;
        f->_ptr = ptr;
        f->_cnt = cnt;
        f->_bufsiz = size;
        return n;
    }
    return CrtFormat(&ss.Sink, Format, Args);
}

/* The whole call holds the stream: one printf's text is never split by another thread's. */
int CrtStreamFormat(FILE *f, const char *Format, va_list Args, int Wide)
{
    CrtLockStream(f);
    int n = StreamFormat(f, Format, Args, Wide);
    CrtUnlockStream(f);
    return n;
}

CRTAPI int vfprintf(FILE *f, const char *Format, va_list Args)
{
    return CrtStreamFormat(f, Format, Args, 0);
}

CRTAPI int fprintf(FILE *f, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfprintf(f, Format, args);
    va_end(args);
    return n;
}

CRTAPI int vprintf(const char *Format, va_list Args) { return vfprintf(&_iob[1], Format, Args); }

CRTAPI int printf(const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfprintf(&_iob[1], Format, args);
    va_end(args);
    return n;
}

typedef struct {
    CRT_SINK Sink;
    char *Buffer;
    size_t Size;       /* room in Buffer, (size_t)-1 for sprintf */
    size_t Used;
} BUFFER_SINK;

static void PutBuffer(CRT_SINK *s, const char *Text, size_t Length)
{
    BUFFER_SINK *bs = (BUFFER_SINK *)s;
    size_t room = bs->Size - bs->Used;
    size_t n = Length < room ? Length : room;
    if (bs->Buffer)
        memcpy(bs->Buffer + bs->Used, Text, n);
    bs->Used += n;
}

/* Formats into Buffer (Size bytes, terminator not counted); returns the full length. */
static int ToBuffer(char *Buffer, size_t Size, const char *Format, va_list Args)
{
    BUFFER_SINK bs = { { PutBuffer, 0, 0, 0 }, Buffer, Size, 0 };
    return CrtFormat(&bs.Sink, Format, Args);
}

CRTAPI int vsprintf(char *Buffer, const char *Format, va_list Args)
{
    int n = ToBuffer(Buffer, (size_t)INT_MAX, Format, Args);
    Buffer[n] = 0;
    return n;
}

CRTAPI int sprintf(char *Buffer, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vsprintf(Buffer, Format, args);
    va_end(args);
    return n;
}

/* MSVCRT: the terminator is written only when there is room; -1 when truncated. */
CRTAPI int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args)
{
    int n = ToBuffer(Buffer, Count, Format, Args);
    if (n < 0)
        return -1;
    if ((size_t)n < Count)
        Buffer[n] = 0;
    return (size_t)n <= Count ? n : -1;
}

CRTAPI int _snprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = _vsnprintf(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

/* C99: always terminated (when Count > 0); the result is the untruncated length. */
CRTAPI int vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args)
{
    int n = ToBuffer(Count ? Buffer : NULL, Count ? Count - 1 : 0, Format, Args);
    if (Count && n >= 0)
        Buffer[(size_t)n < Count - 1 ? (size_t)n : Count - 1] = 0;
    return n;
}

CRTAPI int snprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

CRTAPI int _vscprintf(const char *Format, va_list Args)
{
    return ToBuffer(NULL, 0, Format, Args);
}

CRTAPI int _scprintf(const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = _vscprintf(Format, args);
    va_end(args);
    return n;
}

/* ---- strings to streams ---------------------------------------------------------------------- */

CRTAPI int fputs(const char *s, FILE *f)
{
    size_t n = strlen(s);
    return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

CRTAPI int puts(const char *s)
{
    FILE *out = &_iob[1];
    CrtLockStream(out);
    int status = fputs(s, out) == EOF || fputc('\n', out) == EOF ? EOF : 0;
    CrtUnlockStream(out);
    return status;
}

/* Reads up to Size-1 bytes, through the first '\n'; NULL at end of file with nothing read. */
CRTAPI char *fgets(char *Buffer, int Size, FILE *f)
{
    int n = 0;
    if (Size <= 0)
        return NULL;
    CrtLockStream(f);
    while (n < Size - 1) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        Buffer[n++] = (char)c;
        if (c == '\n')
            break;
    }
    CrtUnlockStream(f);
    if (n == 0 || (f->_flag & _IOERR))
        return NULL;
    Buffer[n] = 0;
    return Buffer;
}

/* Unbounded, as the C library had it; kept because old programs import it. */
CRTAPI char *gets(char *Buffer)
{
    int n = 0, c;
    while ((c = fgetc(&_iob[0])) != EOF && c != '\n')
        Buffer[n++] = (char)c;
    if (c == EOF && n == 0)
        return NULL;
    Buffer[n] = 0;
    return Buffer;
}
