/* ctype.c - character classes of the C locale: the MSVCRT class table (_ctype, reached through
 * _pctype / __pctype_func by MinGW's <ctype.h> macros) and the classification and case functions over it. */
#include "crtp.h"

#define C_UPPER 0x01
#define C_LOWER 0x02
#define C_DIGIT 0x04
#define C_SPACE 0x08
#define C_PUNCT 0x10
#define C_CONTROL 0x20
#define C_BLANK 0x40
#define C_HEX 0x80
#define C_ALPHA 0x100

/* Entry 0 is EOF (-1); entry c+1 is character c; bytes 0x80-0xFF have no class. */
CRTAPI unsigned short _ctype[257] = {
    [1 + 0x00 ... 1 + 0x08] = C_CONTROL,
    [1 + '\t'] = C_CONTROL | C_SPACE | C_BLANK,
    [1 + '\n' ... 1 + '\r'] = C_CONTROL | C_SPACE,
    [1 + 0x0E ... 1 + 0x1F] = C_CONTROL,
    [1 + ' '] = C_SPACE | C_BLANK,
    [1 + '!' ... 1 + '/'] = C_PUNCT,
    [1 + '0' ... 1 + '9'] = C_DIGIT | C_HEX,
    [1 + ':' ... 1 + '@'] = C_PUNCT,
    [1 + 'A' ... 1 + 'F'] = C_UPPER | C_HEX | C_ALPHA,
    [1 + 'G' ... 1 + 'Z'] = C_UPPER | C_ALPHA,
    [1 + '[' ... 1 + '`'] = C_PUNCT,
    [1 + 'a' ... 1 + 'f'] = C_LOWER | C_HEX | C_ALPHA,
    [1 + 'g' ... 1 + 'z'] = C_LOWER | C_ALPHA,
    [1 + '{' ... 1 + '~'] = C_PUNCT,
    [1 + 0x7F] = C_CONTROL,
};
CRTAPI const unsigned short *_pctype = _ctype + 1;
CRTAPI const unsigned short *_pwctype = _ctype + 1;   /* the first 256 wide characters */

CRTAPI const unsigned short *__pctype_func(void) { return _pctype; }
CRTAPI const unsigned short **__p__pctype(void) { return &_pctype; }
CRTAPI const unsigned short *__pwctype_func(void) { return _pwctype; }
CRTAPI const unsigned short **__p__pwctype(void) { return &_pwctype; }

/* Any int a program passes: EOF, a char value (even a negative one), or an unsigned char. */
static int Class(int c)
{
    if (c == -1)
        return _ctype[0];
    if (c >= -128 && c <= 255)
        return _ctype[(unsigned char)c + 1];
    return 0;
}

CRTAPI int _isctype(int c, int Mask) { return Class(c) & Mask; }
CRTAPI int isalpha(int c) { return Class(c) & C_ALPHA; }
CRTAPI int isupper(int c) { return Class(c) & C_UPPER; }
CRTAPI int islower(int c) { return Class(c) & C_LOWER; }
CRTAPI int isdigit(int c) { return Class(c) & C_DIGIT; }
CRTAPI int isxdigit(int c) { return Class(c) & C_HEX; }
CRTAPI int isspace(int c) { return Class(c) & C_SPACE; }
CRTAPI int ispunct(int c) { return Class(c) & C_PUNCT; }
CRTAPI int isalnum(int c) { return Class(c) & (C_ALPHA | C_DIGIT); }
CRTAPI int isprint(int c) { return (Class(c) & (C_ALPHA | C_DIGIT | C_PUNCT)) || c == ' '; }
CRTAPI int isgraph(int c) { return Class(c) & (C_ALPHA | C_DIGIT | C_PUNCT); }
CRTAPI int iscntrl(int c) { return Class(c) & C_CONTROL; }
CRTAPI int isblank(int c) { return Class(c) & C_BLANK; }
CRTAPI int __isascii(int c) { return (unsigned)c < 0x80; }
CRTAPI int __iscsym(int c) { return isalnum(c) || c == '_'; }
CRTAPI int __iscsymf(int c) { return isalpha(c) || c == '_'; }
CRTAPI int toupper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
CRTAPI int tolower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
CRTAPI int _toupper(int c) { return c - 32; }
CRTAPI int _tolower(int c) { return c + 32; }
CRTAPI int __toascii(int c) { return c & 0x7F; }

static int WideClass(unsigned short c) { return c < 256 ? _ctype[c + 1] : 0; }
CRTAPI int iswctype(unsigned short c, unsigned short Mask) { return WideClass(c) & Mask; }
CRTAPI int iswalpha(unsigned short c) { return WideClass(c) & C_ALPHA; }
CRTAPI int iswdigit(unsigned short c) { return WideClass(c) & C_DIGIT; }
CRTAPI int iswspace(unsigned short c) { return WideClass(c) & C_SPACE; }
CRTAPI int iswupper(unsigned short c) { return WideClass(c) & C_UPPER; }
CRTAPI int iswlower(unsigned short c) { return WideClass(c) & C_LOWER; }
CRTAPI int iswalnum(unsigned short c) { return WideClass(c) & (C_ALPHA | C_DIGIT); }
CRTAPI int iswxdigit(unsigned short c) { return WideClass(c) & C_HEX; }
CRTAPI int iswpunct(unsigned short c) { return WideClass(c) & C_PUNCT; }
CRTAPI int iswprint(unsigned short c) { return (WideClass(c) & (C_ALPHA | C_DIGIT | C_PUNCT)) || c == ' '; }
CRTAPI int iswcntrl(unsigned short c) { return WideClass(c) & C_CONTROL; }
CRTAPI unsigned short towupper(unsigned short c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
CRTAPI unsigned short towlower(unsigned short c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
