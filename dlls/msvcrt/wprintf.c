/* wprintf.c - wide-character stdio: fputwc/fgetwc and friends, and the wprintf family. Streams
 * hold bytes, as MSVCRT's text streams do: a wide character is written as its byte in the C
 * locale (code points above 0xFF become '?'), and read bytes widen to UTF-16. The wprintf
 * formats run through the narrow engine with the wide meaning of %s and %c. */
#include "crtp.h"

#define WEOF 0xFFFF

CRTAPI unsigned short fputwc(wchar_t_ c, FILE *f)
{
    return fputc(c > 0xFF ? '?' : c, f) == EOF ? WEOF : c;
}
CRTAPI unsigned short putwc(wchar_t_ c, FILE *f) { return fputwc(c, f); }
CRTAPI unsigned short putwchar(wchar_t_ c) { return fputwc(c, &_iob[1]); }
CRTAPI unsigned short _fputwchar(wchar_t_ c) { return fputwc(c, &_iob[1]); }

CRTAPI unsigned short fgetwc(FILE *f)
{
    int c = fgetc(f);
    return c == EOF ? WEOF : (unsigned short)c;
}
CRTAPI unsigned short getwc(FILE *f) { return fgetwc(f); }
CRTAPI unsigned short getwchar(void) { return fgetwc(&_iob[0]); }
CRTAPI unsigned short _fgetwchar(void) { return fgetwc(&_iob[0]); }

CRTAPI unsigned short ungetwc(unsigned short c, FILE *f)
{
    return c == WEOF || ungetc(c > 0xFF ? '?' : c, f) == EOF ? WEOF : c;
}

CRTAPI int fputws(const wchar_t_ *s, FILE *f)
{
    for (; *s; s++)
        if (fputwc(*s, f) == WEOF)
            return EOF;
    return 0;
}

CRTAPI int _putws(const wchar_t_ *s)
{
    return fputws(s, &_iob[1]) == EOF || fputc('\n', &_iob[1]) == EOF ? EOF : 0;
}

CRTAPI wchar_t_ *fgetws(wchar_t_ *Buffer, int Size, FILE *f)
{
    int n = 0;
    if (Size <= 0)
        return NULL;
    while (n < Size - 1) {
        unsigned short c = fgetwc(f);
        if (c == WEOF)
            break;
        Buffer[n++] = c;
        if (c == '\n')
            break;
    }
    if (n == 0 || (f->_flag & _IOERR))
        return NULL;
    Buffer[n] = 0;
    return Buffer;
}

/* The format in bytes, for the narrow engine (in a local buffer when it is short). */
static char *Narrow(const wchar_t_ *Format, char *Local, size_t LocalSize)
{
    size_t n = wcslen(Format);
    char *out = n < LocalSize ? Local : malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        out[i] = Format[i] > 0xFF ? '?' : (char)Format[i];
    return out;
}

CRTAPI int vfwprintf(FILE *f, const wchar_t_ *Format, va_list Args)
{
    char local[256];
    char *format = Narrow(Format, local, sizeof(local));
    if (!format)
        return -1;
    int n = CrtStreamFormat(f, format, Args, 1);
    if (format != local)
        free(format);
    return n;
}

CRTAPI int fwprintf(FILE *f, const wchar_t_ *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfwprintf(f, Format, args);
    va_end(args);
    return n;
}

CRTAPI int vwprintf(const wchar_t_ *Format, va_list Args) { return vfwprintf(&_iob[1], Format, Args); }

CRTAPI int wprintf(const wchar_t_ *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfwprintf(&_iob[1], Format, args);
    va_end(args);
    return n;
}

typedef struct {
    CRT_SINK Sink;
    wchar_t_ *Buffer;
    size_t Size, Used;
} WIDE_SINK;

static void PutWide(CRT_SINK *s, const char *Text, size_t Length)
{
    WIDE_SINK *ws = (WIDE_SINK *)s;
    for (size_t i = 0; i < Length && ws->Used < ws->Size; i++)
        ws->Buffer[ws->Used++] = (unsigned char)Text[i];
}

/* MSVCRT's _vsnwprintf: -1 and no terminator when the text does not fit. */
CRTAPI int _vsnwprintf(wchar_t_ *Buffer, size_t Count, const wchar_t_ *Format, va_list Args)
{
    char local[256];
    char *format = Narrow(Format, local, sizeof(local));
    if (!format)
        return -1;
    WIDE_SINK ws = { { PutWide, 0, 0, 1 }, Buffer, Count, 0 };
    int n = CrtFormat(&ws.Sink, format, Args);
    if (format != local)
        free(format);
    if (n < 0)
        return -1;
    if ((size_t)n < Count)
        Buffer[n] = 0;
    return (size_t)n <= Count ? n : -1;
}

CRTAPI int _snwprintf(wchar_t_ *Buffer, size_t Count, const wchar_t_ *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = _vsnwprintf(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

/* The old MS forms without a count. */
CRTAPI int vswprintf(wchar_t_ *Buffer, const wchar_t_ *Format, va_list Args)
{
    return _vsnwprintf(Buffer, (size_t)INT_MAX, Format, Args);
}

CRTAPI int swprintf(wchar_t_ *Buffer, const wchar_t_ *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = _vsnwprintf(Buffer, (size_t)INT_MAX, Format, args);
    va_end(args);
    return n;
}

CRTAPI int _vscwprintf(const wchar_t_ *Format, va_list Args)
{
    char local[256];
    char *format = Narrow(Format, local, sizeof(local));
    if (!format)
        return -1;
    WIDE_SINK ws = { { PutWide, 0, 0, 1 }, NULL, 0, 0 };
    int n = CrtFormat(&ws.Sink, format, Args);
    if (format != local)
        free(format);
    return n;
}
