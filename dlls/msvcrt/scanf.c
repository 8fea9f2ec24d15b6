/* scanf.c - formatted input: sscanf/scanf/fscanf and their v* forms, from a string or a stream
 * (through fgetc/ungetc). Conversions d i u o x X p n c s [ e f g E G a, with '*' (skip),
 * a width, and the sizes hh h l ll L I64 (MSVCRT: %lf is double, %Lf double too, %ls wide).
 * Numbers are gathered as text and converted by strtol/_strtoi64/strtod. */
#include "crtp.h"

typedef struct {
    const char *String;   /* a string source, or NULL */
    FILE *Stream;
    int Count;            /* characters consumed: what %n stores */
} INPUT;

static int Get(INPUT *in)
{
    int c;
    if (in->String)
        c = *in->String ? (unsigned char)*in->String++ : EOF;
    else
        c = fgetc(in->Stream);
    if (c != EOF)
        in->Count++;
    return c;
}

static void Unget(INPUT *in, int c)
{
    if (c == EOF)
        return;
    in->Count--;
    if (in->String)
        in->String--;
    else
        ungetc(c, in->Stream);
}

static int SkipSpace(INPUT *in)
{
    int c;
    while ((c = Get(in)) != EOF && isspace(c))
        ;
    Unget(in, c);
    return c;
}

#define NUMBER_MAX 80

static int HexDigit(int c) { return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* The text of an integer in Base (0: C prefixes), at most Width characters. */
static int ScanInteger(INPUT *in, char *Text, int Width, int *Base)
{
    int n = 0, digits = 0, c = Get(in);
    if ((c == '+' || c == '-') && n < Width) {
        Text[n++] = (char)c;
        c = Get(in);
    }
    if (c == '0' && n < Width && (*Base == 0 || *Base == 16)) {
        Text[n++] = (char)c;
        digits = 1;
        c = Get(in);
        if ((c == 'x' || c == 'X') && n < Width) {
            Text[n++] = (char)c;
            digits = 0;
            c = Get(in);
            *Base = 16;
        } else if (*Base == 0) {
            *Base = 8;
        }
    }
    if (*Base == 0)
        *Base = 10;
    for (; c != EOF && n < Width; c = Get(in), digits++) {
        int ok = *Base == 16 ? HexDigit(c) : *Base == 8 ? (c >= '0' && c <= '7') : isdigit(c);
        if (!ok)
            break;
        Text[n++] = (char)c;
    }
    Unget(in, c);
    Text[n] = 0;
    return digits > 0;
}

static int ScanFloat(INPUT *in, char *Text, int Width)
{
    int n = 0, digits = 0, c = Get(in);
    if ((c == '+' || c == '-') && n < Width) {
        Text[n++] = (char)c;
        c = Get(in);
    }
    for (; isdigit(c) && n < Width; c = Get(in), digits++)
        Text[n++] = (char)c;
    if (c == '.' && n < Width) {
        Text[n++] = (char)c;
        for (c = Get(in); isdigit(c) && n < Width; c = Get(in), digits++)
            Text[n++] = (char)c;
    }
    if (digits && (c == 'e' || c == 'E') && n < Width) {
        Text[n++] = (char)c;
        c = Get(in);
        if ((c == '+' || c == '-') && n < Width) {
            Text[n++] = (char)c;
            c = Get(in);
        }
        for (; isdigit(c) && n < Width; c = Get(in))
            Text[n++] = (char)c;
    }
    Unget(in, c);
    Text[n] = 0;
    return digits > 0;
}

/* A %[...] set: returns the character after ']' and fills Member[256]. */
static const char *ParseSet(const char *p, unsigned char *Member)
{
    int invert = 0;
    if (*p == '^') {
        invert = 1;
        p++;
    }
    memset(Member, 0, 256);
    if (*p == ']')
        Member[(unsigned char)*p++] = 1;
    for (; *p && *p != ']'; p++) {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            for (int c = (unsigned char)p[0]; c <= (unsigned char)p[2]; c++)
                Member[c] = 1;
            p += 2;
        } else {
            Member[(unsigned char)*p] = 1;
        }
    }
    if (invert)
        for (int c = 0; c < 256; c++)
            Member[c] = !Member[c];
    return *p ? p + 1 : p;
}

enum { SZ_INT, SZ_CHAR, SZ_SHORT, SZ_LONG, SZ_LONGLONG };

static void StoreInteger(void *Target, int Size, unsigned long long v)
{
    switch (Size) {
    case SZ_CHAR: *(char *)Target = (char)v; break;
    case SZ_SHORT: *(short *)Target = (short)v; break;
    case SZ_LONGLONG: *(long long *)Target = (long long)v; break;
    default: *(int *)Target = (int)v; break;
    }
}

/* hh h l ll I64 L w: the size of the target (and whether %c/%s/%[ store wide characters). */
static const char *ParseSize(const char *p, int *Size, int *Wide)
{
    if (p[0] == 'h') {
        *Size = p[1] == 'h' ? SZ_CHAR : SZ_SHORT;
        return p + (p[1] == 'h' ? 2 : 1);
    }
    if (p[0] == 'l') {
        *Size = p[1] == 'l' ? SZ_LONGLONG : SZ_LONG;
        *Wide = 1;
        return p + (p[1] == 'l' ? 2 : 1);
    }
    if (p[0] == 'I' && p[1] == '6' && p[2] == '4') {
        *Size = SZ_LONGLONG;
        return p + 3;
    }
    if (p[0] == 'L' || p[0] == 'w') {
        *Wide = p[0] == 'w';
        return p + 1;
    }
    return p;
}

static int BaseOf(char Conversion)
{
    switch (Conversion) {
    case 'i': return 0;
    case 'o': return 8;
    case 'x': case 'X': case 'p': return 16;
    default: return 10;
    }
}

static int Scan(INPUT *in, const char *Format, va_list Args)
{
    int assigned = 0, any = 0;
    for (const char *p = Format; *p; p++) {
        if (isspace((unsigned char)*p)) {
            SkipSpace(in);
            continue;
        }
        if (*p != '%' || p[1] == '%') {
            if (*p == '%')
                p++;
            int c = Get(in);
            if (c != (unsigned char)*p) {
                Unget(in, c);
                return c == EOF && !any ? EOF : assigned;
            }
            continue;
        }
        p++;
        int skip = *p == '*', width = 0, size = SZ_INT, wide = 0;
        if (skip)
            p++;
        while (isdigit((unsigned char)*p))
            width = width * 10 + (*p++ - '0');
        p = ParseSize(p, &size, &wide);
        char conv = *p;
        if (!conv)
            break;
        if (conv == 'n') {
            if (!skip)
                StoreInteger(va_arg(Args, void *), size, (unsigned long long)in->Count);
            continue;
        }
        if (conv != 'c' && conv != 'C' && conv != '[' && SkipSpace(in) == EOF)
            return any ? assigned : EOF;
        char text[NUMBER_MAX + 1];
        int limit = width > 0 && width < NUMBER_MAX ? width : NUMBER_MAX;
        switch (conv) {
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': {
            int base = BaseOf(conv);
            if (!ScanInteger(in, text, limit, &base))
                return assigned;           /* a matching failure: the input is not at its end */
            unsigned long long v = conv == 'd' || conv == 'i'
                                       ? (unsigned long long)_strtoi64(text, NULL, base)
                                       : _strtoui64(text, NULL, base);
            if (!skip) {
                StoreInteger(va_arg(Args, void *), conv == 'p' ? SZ_INT : size, v);
                assigned++;
            }
            break;
        }
        case 'e': case 'f': case 'g': case 'E': case 'G': case 'a': case 'A': {
            if (!ScanFloat(in, text, limit))
                return assigned;
            double v = strtod(text, NULL);
            if (!skip) {
                if (size == SZ_LONG || p[-1] == 'L')
                    *va_arg(Args, double *) = v;
                else
                    *va_arg(Args, float *) = (float)v;
                assigned++;
            }
            break;
        }
        case 'c': case 'C': case 's': case 'S': case '[': {
            unsigned char member[256];
            if (conv == '[')
                p = ParseSet(p + 1, member) - 1;
            int isWide = (conv == 'C' || conv == 'S') ? size != SZ_SHORT : wide;
            int count = conv == 'c' || conv == 'C' ? (width ? width : 1) : (width ? width : INT_MAX);
            void *target = skip ? NULL : va_arg(Args, void *);
            int n = 0, c = EOF;
            while (n < count && (c = Get(in)) != EOF) {
                if ((conv == 's' || conv == 'S') && isspace(c))
                    break;
                if (conv == '[' && !member[c])
                    break;
                if (target) {
                    if (isWide)
                        ((wchar_t_ *)target)[n] = (wchar_t_)c;
                    else
                        ((char *)target)[n] = (char)c;
                }
                n++;
                c = EOF;
            }
            Unget(in, c);
            if (n == 0)
                return any ? assigned : EOF;
            if (target && conv != 'c' && conv != 'C') {
                if (isWide)
                    ((wchar_t_ *)target)[n] = 0;
                else
                    ((char *)target)[n] = 0;
            }
            if (target)
                assigned++;
            break;
        }
        default:
            return assigned;
        }
        any = 1;
    }
    return assigned;
}

CRTAPI int vsscanf(const char *s, const char *Format, va_list Args)
{
    INPUT in = { s, NULL, 0 };
    return Scan(&in, Format, Args);
}

CRTAPI int sscanf(const char *s, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vsscanf(s, Format, args);
    va_end(args);
    return n;
}

CRTAPI int vfscanf(FILE *f, const char *Format, va_list Args)
{
    INPUT in = { NULL, f, 0 };
    return Scan(&in, Format, Args);
}

CRTAPI int fscanf(FILE *f, const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfscanf(f, Format, args);
    va_end(args);
    return n;
}

CRTAPI int vscanf(const char *Format, va_list Args) { return vfscanf(&_iob[0], Format, Args); }

CRTAPI int scanf(const char *Format, ...)
{
    va_list args;
    va_start(args, Format);
    int n = vfscanf(&_iob[0], Format, args);
    va_end(args);
    return n;
}
