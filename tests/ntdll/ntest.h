/*
 * ntest.h - what the native test programs (tests/ntdll/t_*.c) share: the TEST lines the system
 * harness reads, and starting a child program and waiting for its exit status. Each program
 * defines NTEST_NAME ("t_apc") before including this, and returns NtestResult() from
 * NtProcessStartup: STATUS_SUCCESS iff every case passed.
 */
#ifndef NTEST_H
#define NTEST_H

#include "ntndk.h"

#ifndef NTEST_NAME
#error "define NTEST_NAME, the program's name in its TEST lines, before including ntest.h"
#endif

static ULONG NtestFailures;

/* "TEST <program>.<case>: PASS", or "FAIL <why> (<value>)". */
static inline VOID NtestExpect(PCSTR Case, BOOLEAN Ok, PCSTR Why, ULONG Value)
{
    if (Ok) DbgPrint("TEST " NTEST_NAME ".%s: PASS\n", Case);
    else DbgPrint("TEST " NTEST_NAME ".%s: FAIL %s (0x%08lx)\n", Case, Why, (unsigned long)Value);
    NtestFailures += !Ok;
}

/* The same with the reason as the result: NULL passes. */
static inline VOID NtestCheck(PCSTR Case, PCSTR Why)
{
    if (Why == NULL) DbgPrint("TEST " NTEST_NAME ".%s: PASS\n", Case);
    else DbgPrint("TEST " NTEST_NAME ".%s: FAIL %s\n", Case, Why);
    NtestFailures += Why != NULL;
}

static inline NTSTATUS NtestResult(VOID)
{
    return NtestFailures ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}

/* Starts Image (an NT path) with CommandLine (and Environment, NULL = ours), running. */
static inline NTSTATUS NtestStartProcess(PCWSTR Image, PCWSTR CommandLine, PWSTR Environment,
                                         PRTL_USER_PROCESS_INFORMATION Info)
{
    UNICODE_STRING image, cmd;
    PRTL_USER_PROCESS_PARAMETERS params;
    RtlInitUnicodeString(&image, Image);
    RtlInitUnicodeString(&cmd, CommandLine);
    NTSTATUS s = RtlCreateProcessParameters(&params, &image, NULL, NULL, &cmd, Environment, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(s)) return s;
    s = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, params, NULL, NULL, NULL, FALSE, NULL, NULL, Info);
    RtlDestroyProcessParameters(params);
    if (NT_SUCCESS(s)) s = NtResumeThread(Info->Thread, NULL);
    return s;
}

/* Waits for a started process and closes its handles: its exit status. */
static inline NTSTATUS NtestFinishProcess(PRTL_USER_PROCESS_INFORMATION Info)
{
    PROCESS_BASIC_INFORMATION basic;
    NtWaitForSingleObject(Info->Process, FALSE, NULL);
    NTSTATUS s = NtQueryInformationProcess(Info->Process, ProcessBasicInformation, &basic, sizeof(basic), NULL);
    NtClose(Info->Thread);
    NtClose(Info->Process);
    return NT_SUCCESS(s) ? basic.ExitStatus : s;
}

/* Runs a program to its end: its exit status, or why it could not start. */
static inline NTSTATUS NtestRunProcess(PCWSTR Image, PCWSTR CommandLine)
{
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS s = NtestStartProcess(Image, CommandLine, NULL, &info);
    return NT_SUCCESS(s) ? NtestFinishProcess(&info) : s;
}

#endif
