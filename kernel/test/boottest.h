/* boottest.h - the kernel's boot-time tests and benchmarks, chosen on the command line. */
#ifndef BOOTTEST_H
#define BOOTTEST_H

#include "ntdef.h"

/* Each self-test returns NULL on success or a message saying what was wrong. */
typedef PCSTR (*SELFTEST_ROUTINE)(VOID);
typedef struct _SELFTEST { PCSTR Name; SELFTEST_ROUTINE Routine; } SELFTEST;

ULONG TstRunSelfTests(PCSTR Filter);        /* returns the number that failed */
BOOLEAN TstCrash(PCSTR Name);               /* bug checks; FALSE if Name is unknown */
VOID TstRunBenchmarks(VOID);

#endif
