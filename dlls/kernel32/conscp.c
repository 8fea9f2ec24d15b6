/*
 * conscp.c - setting the console code pages. consrv converts console text with the ANSI code page
 * (1252) only, which is what GetConsoleCP/GetConsoleOutputCP report, so that is the one code page
 * SetConsoleCP/SetConsoleOutputCP accept. Any other (UTF-8 65001 and OEM 437 included) fails with
 * ERROR_INVALID_PARAMETER rather than claim a conversion the console would not do.
 */
#include "k32p.h"

static BOOL BaseCheckConsoleCodePage(UINT CodePage)
{
    if (CodePage == GetACP()) return TRUE;
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
}

BOOL WINAPI SetConsoleCP(UINT wCodePageID) { return BaseCheckConsoleCodePage(wCodePageID); }
BOOL WINAPI SetConsoleOutputCP(UINT wCodePageID) { return BaseCheckConsoleCodePage(wCodePageID); }
