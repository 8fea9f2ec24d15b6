/* boottest.h - the kernel's boot-time tests and benchmarks, chosen on the command line. */
#ifndef BOOTTEST_H
#define BOOTTEST_H

#include "ntdef.h"

/* Each self-test returns NULL on success or a message saying what was wrong. Tests register
 * themselves with SELFTEST(name, routine) in any file; the linker gathers them (section
 * .selftests, see linker.ld) and they run in the order of their names. */
typedef PCSTR (*SELFTEST_ROUTINE)(VOID);
typedef struct _SELFTEST { PCSTR Name; SELFTEST_ROUTINE Routine; } SELFTEST;

#define SELFTEST(name, routine) \
    static const SELFTEST __attribute__((used, section(".selftests"), aligned(4))) \
        TstEntry_##routine = { name, routine }

#define CHECK(cond, msg) do { if (!(cond)) return msg; } while (0)

/* The memory baseline of the Mm tests (mmbaseline.c): free pages, commit charge, Mm pool bytes. */
#define TAG_MTST POOL_TAG('M', 't', 's', 't')          /* the Mm tests' own allocations */
typedef struct { ULONG Pages, Committed; SIZE_T Pool; } TST_BASELINE;
VOID TstTakeBaseline(TST_BASELINE *Baseline);
BOOLEAN TstAtBaseline(const TST_BASELINE *Baseline);

/* The shared ring-3 program (ring3.c): at EBX, ECX requests {EAX, EDX, result}; each is an
 * int 0x2E whose EAX lands in Result; then the EAX after the last request, the exit service
 * TstUserExitService, which the test puts in service table 1. */
typedef struct { ULONG Eax, Edx; NTSTATUS Result; } TST_USER_REQUEST;
extern const UCHAR TstUserCode[], TstUserCodeEnd[];
NTSTATUS TstEnterUserMode(ULONG Eip, ULONG Esp, ULONG Ebx, ULONG Ecx);
NTSTATUS TstUserExitService(VOID);

ULONG TstRunSelfTests(PCSTR Filter);        /* returns the number that failed */
BOOLEAN TstCrash(PCSTR Name);               /* bug checks; FALSE if Name is unknown */
VOID TstRunBenchmarks(VOID);
VOID TstRunKeBenchmarks(VOID);          /* ketest.c */
VOID TstRunServiceBenchmarks(VOID);     /* svcbench.c */
VOID TstRunPsBenchmarks(VOID);          /* pstest.c */
VOID TstRunFsStress(VOID);              /* fstest.c */
VOID TstRunFsBenchmarks(PCSTR Medium);  /* fstest.c */
VOID TstRunIoBenchmarks(VOID);          /* iotest.c */

#endif
