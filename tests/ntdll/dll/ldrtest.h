/*
 * ldrtest.h - what the loader test DLLs export (tests/ntdll/t_ldr.c and its helpers import
 * them), and a small static-TLS helper: MinGW has no native __declspec(thread) without its CRT
 * (GCC emulates TLS through libgcc), so each image that uses TLS declares its own
 * IMAGE_TLS_DIRECTORY (_tls_used) over the ".tls" section and finds its block itself, as
 * compiled code does: fs:[0x2C][_tls_index] + the variable's offset in the section.
 */
#ifndef LDRTEST_H
#define LDRTEST_H

#include "ntndk.h"

/* ldrlog.dll: an event log the other DLLs' DllMain and TLS callbacks append to: two characters
 * per event, the DLL's letter and the reason digit ("A1" = ldra PROCESS_ATTACH). */
void LdrLogEvent(CHAR Who, ULONG Reason);
PCSTR LdrLogText(void);

/* ldra.dll (letter A): LdrAValue by name; LdrAOrdinal exported by ordinal 5 only (NONAME). */
LONG LdrAValue(void);
LONG LdrAOrdinal(void);
#define LDRA_VALUE 0xA1
#define LDRA_ORDINAL_VALUE 0xA5
#define LDRA_ORDINAL 5

/* ldrb.dll (letter B), importing ldra. */
LONG LdrBValue(void);                   /* LdrAValue() + 1 */

/* ldrfwd.dll: LdrFwdValue = ldra.LdrAValue, LdrFwdOrdinal = ldra.#5,
 * LdrFwdCompare = ntdll.RtlCompareMemory, LdrFwdMissing = ldra.NoSuchExport. */
LONG LdrFwdOwn(void);
LONG LdrFwdValue(void);
LONG LdrFwdOrdinal(void);
/* stdcall like its target, but imported by its undecorated name (the .def's). */
SIZE_T NTAPI LdrFwdCompare(const void *A, const void *B, SIZE_T Length) __asm__("_LdrFwdCompare");
#define LDRFWD_OWN 0xF0

/* ldrrel1.dll and ldrrel2.dll: the same preferred base, so one is relocated. Each keeps a global
 * pointer to one of its globals (a relocated address). */
LONG LdrRel1Get(void);
BOOLEAN LdrRel1PointerOk(void);
LONG LdrRel2Get(void);
BOOLEAN LdrRel2PointerOk(void);
#define LDRREL_BASE 0x11000000u
#define LDRREL1_VALUE 0x1234
#define LDRREL2_VALUE 0x5678

/* ldrtls.dll (letters T for DllMain, t for its TLS callback): a static TLS variable. */
LONG LdrTlsGet(void);
VOID LdrTlsSet(LONG Value);
BOOLEAN LdrTlsZeroFillOk(void);
ULONG LdrTlsCallbackCount(ULONG Reason);
#define LDRTLS_INITIAL 0x7150

/* ldrdyn.dll (D), importing ldrdep.dll (P): loaded with LdrLoadDll only. */
#define LDRDYN_VALUE_NAME "LdrDynValue"      /* LdrDepValue() + 1 */
#define LDRDEP_VALUE 0xDE

/* ldrdyntls.dll (Y for DllMain, y for its TLS callback): static TLS, loaded with LdrLoadDll
 * while a second thread runs. */
#define LDRDYNTLS_ADDRESS_NAME "LdrDynTlsAddress"  /* LONG *(void): this thread's variable */
#define LDRDYNTLS_INITIAL 0x6161

/* ldrfail.dll (F): DllMain fails DLL_PROCESS_ATTACH. */

/* ldrshr.dll: loaded by t_ldr and two ldrchild.exe at once. */
LONG LdrShrGetPrivate(void);
VOID LdrShrSetPrivate(LONG Value);
LONG LdrShrAddShared(LONG Value);       /* returns the new value (atomic) */
#define LDRSHR_BASE 0x12000000u
#define LDRSHR_PRIVATE_INITIAL 1

/* Static TLS in an image: the .tls section between the linker's ___tls_start__/___tls_end__. */
extern CHAR __tls_start__[], __tls_end__[];
extern ULONG _tls_index;
#define LDRTEST_TLS_ZERO_FILL 16u
#define LDRTEST_DEFINE_TLS(Callbacks)                                                          \
    ULONG _tls_index;                                                                          \
    const IMAGE_TLS_DIRECTORY32 _tls_used = {                                                  \
        (ULONG)__tls_start__, (ULONG)__tls_end__, (ULONG)&_tls_index, (ULONG)(Callbacks),     \
        LDRTEST_TLS_ZERO_FILL, 0 }
#define LDRTEST_TLS __attribute__((section(".tls")))

/* This thread's copy of a variable of the image's .tls section. */
static inline PVOID LdrTestTlsAddress(PVOID Variable)
{
    PVOID *array = NtCurrentTeb()->ThreadLocalStoragePointer;
    return (PCHAR)array[_tls_index] + ((PCHAR)Variable - __tls_start__);
}

#endif
