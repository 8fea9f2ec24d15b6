/* locale.c - the one locale this runtime has, "C": setlocale accepts "C" and "" (which names the
 * user's locale, here also "C") and refuses every other name; localeconv gives the C lconv. */
#include "crtp.h"

/* The MSVCRT struct lconv. */
struct lconv {
    char *decimal_point, *thousands_sep, *grouping, *int_curr_symbol, *currency_symbol,
        *mon_decimal_point, *mon_thousands_sep, *mon_grouping, *positive_sign, *negative_sign;
    char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes,
        n_sep_by_space, p_sign_posn, n_sign_posn;
};

static struct lconv CLocale = {
    ".", "", "", "", "", "", "", "", "", "",
    CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX,
};

#define LC_MAX 5
static char CName[] = "C";

CRTAPI char *setlocale(int Category, const char *Locale)
{
    if (Category < 0 || Category > LC_MAX)
        return NULL;
    if (!Locale || !*Locale || strcmp(Locale, "C") == 0 || strcmp(Locale, "POSIX") == 0)
        return CName;
    return NULL;
}

CRTAPI wchar_t_ *_wsetlocale(int Category, const wchar_t_ *Locale)
{
    static wchar_t_ wide[] = { 'C', 0 };
    if (Category < 0 || Category > LC_MAX)
        return NULL;
    if (!Locale || !*Locale || (Locale[0] == 'C' && !Locale[1]))
        return wide;
    return NULL;
}

CRTAPI struct lconv *localeconv(void) { return &CLocale; }
CRTAPI int ___lc_codepage_func(void) { return 0; }
CRTAPI unsigned int ___lc_collate_cp_func(void) { return 0; }
CRTAPI int *__p___lc_codepage(void) { static int codepage; return &codepage; }
CRTAPI wchar_t_ **___lc_handle_func(void) { static wchar_t_ *handles[6]; return handles; }
