/* wstdlib.c - the wide forms of the number conversions and of getenv: the text is narrowed
 * (numbers are ASCII) and handed to the narrow functions; an end pointer maps back by offset. */
#include "crtp.h"

#define NUMBER_TEXT 128

/* The first characters of s in bytes; characters above 0x7F become a byte no number uses. */
static void Narrow(const wchar_t_ *s, char *Out)
{
    int i = 0;
    for (; s[i] && i < NUMBER_TEXT - 1; i++)
        Out[i] = s[i] > 0x7F ? '\x7F' : (char)s[i];
    Out[i] = 0;
}

static void MapEnd(const wchar_t_ *s, wchar_t_ **End, const char *Text, const char *TextEnd)
{
    if (End)
        *End = (wchar_t_ *)s + (TextEnd - Text);
}

CRTAPI long wcstol(const wchar_t_ *s, wchar_t_ **End, int Base)
{
    char text[NUMBER_TEXT], *end;
    Narrow(s, text);
    long v = strtol(text, &end, Base);
    MapEnd(s, End, text, end);
    return v;
}

CRTAPI unsigned long wcstoul(const wchar_t_ *s, wchar_t_ **End, int Base)
{
    char text[NUMBER_TEXT], *end;
    Narrow(s, text);
    unsigned long v = strtoul(text, &end, Base);
    MapEnd(s, End, text, end);
    return v;
}

CRTAPI long long _wcstoi64(const wchar_t_ *s, wchar_t_ **End, int Base)
{
    char text[NUMBER_TEXT], *end;
    Narrow(s, text);
    long long v = _strtoi64(text, &end, Base);
    MapEnd(s, End, text, end);
    return v;
}

CRTAPI unsigned long long _wcstoui64(const wchar_t_ *s, wchar_t_ **End, int Base)
{
    char text[NUMBER_TEXT], *end;
    Narrow(s, text);
    unsigned long long v = _strtoui64(text, &end, Base);
    MapEnd(s, End, text, end);
    return v;
}

CRTAPI double wcstod(const wchar_t_ *s, wchar_t_ **End)
{
    char text[NUMBER_TEXT], *end;
    Narrow(s, text);
    double v = strtod(text, &end);
    MapEnd(s, End, text, end);
    return v;
}

CRTAPI int _wtoi(const wchar_t_ *s) { return (int)wcstol(s, NULL, 10); }
CRTAPI long _wtol(const wchar_t_ *s) { return wcstol(s, NULL, 10); }
CRTAPI long long _wtoi64(const wchar_t_ *s) { return _wcstoi64(s, NULL, 10); }
CRTAPI double _wtof(const wchar_t_ *s) { return wcstod(s, NULL); }

CRTAPI wchar_t_ *_itow(int v, wchar_t_ *Out, int Base)
{
    char text[40];
    _itoa(v, text, Base);
    for (int i = 0;; i++)
        if (!(Out[i] = (unsigned char)text[i]))
            break;
    return Out;
}

/* The value of a variable in the wide environment (made by __wgetmainargs), else from the
 * narrow one, widened into a per-name cache that lives as long as the process. */
extern wchar_t_ **_wenviron;
CRTAPI wchar_t_ *_wgetenv(const wchar_t_ *Name)
{
    size_t n = wcslen(Name);
    if (_wenviron) {
        for (int i = 0; _wenviron[i]; i++)
            if (_wcsnicmp(_wenviron[i], Name, n) == 0 && _wenviron[i][n] == '=')
                return _wenviron[i] + n + 1;
        return NULL;
    }
    char name[256];
    if (n >= sizeof(name))
        return NULL;
    for (size_t i = 0; i <= n; i++)
        name[i] = Name[i] > 0xFF ? '?' : (char)Name[i];
    const char *value = getenv(name);
    if (!value)
        return NULL;
    size_t length = strlen(value);
    wchar_t_ *wide = malloc((length + 1) * sizeof(wchar_t_));
    if (!wide)
        return NULL;
    for (size_t i = 0; i <= length; i++)
        wide[i] = (unsigned char)value[i];
    return wide;                        /* not freed: callers keep such pointers */
}
