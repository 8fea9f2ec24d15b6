/*
 * ntndk.h - NT as user-mode native code sees it: ntdll itself, smss, csrss, the native test
 * programs and the client DLLs include this one header. It brings the native API (every system
 * service, ntnative.h), the status codes, the PEB/TEB and process parameters, the PE format and
 * the shared run-time library (rtl.h, the same source the kernel uses), then ntdll's own parts:
 * Rtl (ntrtl.h), exceptions (ntexcept.h), process and thread creation (ntproc.h), the loader
 * (ntldr.h).
 */
#ifndef NTNDK_H
#define NTNDK_H

#include "ntdef.h"
#include "ntstatus.h"
#include "ntnative.h"
#include "pebteb.h"
#include "pe.h"
#include "rtl.h"

/* The running thread's TEB and its process's PEB (user-mode FS is the TEB). */
static inline PTEB NtCurrentTeb(VOID)
{
    PTEB teb;
    __asm__ volatile("movl %%fs:0x18, %0" : "=r"(teb));
    return teb;
}
#define NtCurrentPeb() (NtCurrentTeb()->ProcessEnvironmentBlock)
#define RtlProcessHeap() ((PVOID)NtCurrentPeb()->ProcessHeap)

/* Debug output: one line (or more) to the kernel debug log (COM1), through int 0x2D. */
NTSYSAPI ULONG DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));
NTSYSAPI VOID NTAPI DbgBreakPoint(VOID);

#include "ntrtl.h"
#include "ntexcept.h"
#include "ntproc.h"
#include "ntldr.h"

#endif
