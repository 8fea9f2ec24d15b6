/*
 * wtest.h - what the Win32 test programs (tests/win32/w_*.c) share: the TEST lines the system
 * harness reads from the console. Each program defines WTEST_NAME ("w_kernel32_file") before
 * including this, reports each case with check(name, condition, detail) - detail is printed on
 * failure, usually GetLastError() - and returns failures != 0 from main.
 */
#ifndef WTEST_H
#define WTEST_H

#include <windows.h>
#include <stdio.h>

#ifndef WTEST_NAME
#error "define WTEST_NAME, the program's name in its TEST lines, before including wtest.h"
#endif

static int failures;

static void report(const char *name, int ok, DWORD detail)
{
    printf("TEST " WTEST_NAME ".%s: %s", name, ok ? "PASS" : "FAIL");
    if (!ok) printf(" (value/error %lu)", (unsigned long)detail);
    printf("\n");
    if (!ok) failures++;
}

/* The condition first, then the detail (usually GetLastError()), in that order. */
#define check(name, cond, detail)                  \
    do {                                           \
        int ok_ = (cond);                          \
        DWORD detail_ = (DWORD)(detail);           \
        report((name), ok_, detail_);              \
    } while (0)

#endif
