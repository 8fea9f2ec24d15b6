/*
 * child.c - C:\Tests\child.exe, the program t_seh and t_process start to check what a new
 * process gets and how it ends. It answers through its exit status; the first argument says
 * what to do:
 *   exit <hex>     end with that status
 *   cmdline        a hash of its whole command line (ChildHash, below)
 *   env <name>     a hash of that environment variable's value, CHILD_NOT_FOUND if absent
 *   curdir         a hash of its current directory (CurrentDirectory.DosPath)
 *   image          a hash of its ImagePathName
 *   sleep          wait forever (to be terminated)
 *   av             write to NULL with no handler: ends with STATUS_ACCESS_VIOLATION
 *   badframe       the same under an SEH frame outside the stack, which must be ignored
 *   exitunwind     RtlUnwind(NULL, ...): an exit unwind ends it with STATUS_UNWIND
 *   stackgrow      use 200 KiB of stack a page at a time: the stack grows on its guard page;
 *                  ends with CHILD_GREW if the TEB's StackLimit followed it down
 *   recurse        recurse without end: ends with STATUS_STACK_OVERFLOW
 * Anything else ends it with CHILD_BAD_ARGS.
 */
#include "ntndk.h"

#define CHILD_NOT_FOUND ((NTSTATUS)0x0BAD0001)
#define CHILD_BAD_ARGS  ((NTSTATUS)0x0BAD0002)
#define CHILD_SURVIVED  ((NTSTATUS)0x0BAD0003)
#define CHILD_GREW      ((NTSTATUS)0x06000001)

/* The hash both sides compute (t_process.c has the same): never 0, never looks like an error. */
static ULONG ChildHash(PCWSTR s, ULONG chars)
{
    ULONG h = 5381;
    for (ULONG i = 0; i < chars; i++) h = h * 33 + s[i];
    return (h & 0x0FFFFFFF) | 0x10000000;
}

static ULONG ChildHashString(PCUNICODE_STRING s)
{
    return ChildHash(s->Buffer, s->Length / sizeof(WCHAR));
}

/* The argument after the program name (word Index, from 1), as [*Start, *Start + *Chars). */
static BOOLEAN ChildArgument(PCUNICODE_STRING Line, ULONG Index, PCWSTR *Start, ULONG *Chars)
{
    PCWSTR p = Line->Buffer, end = p + Line->Length / sizeof(WCHAR);
    for (ULONG word = 0; p < end; word++) {
        while (p < end && *p == u' ') p++;
        PCWSTR s = p;
        while (p < end && *p != u' ') p++;
        if (p == s) break;
        if (word == Index) {
            *Start = s;
            *Chars = (ULONG)(p - s);
            return TRUE;
        }
    }
    return FALSE;
}

static BOOLEAN ChildIs(PCWSTR Arg, ULONG Chars, PCSTR Word)
{
    ULONG i = 0;
    for (; i < Chars && Word[i]; i++) if (Arg[i] != (WCHAR)Word[i]) return FALSE;
    return i == Chars && Word[i] == 0;
}

static ULONG ChildParseHex(PCWSTR s, ULONG chars)
{
    ULONG v = 0;
    for (ULONG i = 0; i < chars; i++) {
        WCHAR c = s[i];
        ULONG d = c >= u'0' && c <= u'9' ? c - u'0' : c >= u'a' && c <= u'f' ? c - u'a' + 10 :
                  c >= u'A' && c <= u'F' ? c - u'A' + 10 : 0;
        v = v * 16 + d;
    }
    return v;
}

/* Looks Name up in the environment block: the hash of its value. */
static NTSTATUS ChildEnvironment(PCWSTR Environment, PCWSTR Name, ULONG NameChars)
{
    for (PCWSTR v = Environment; v && *v; ) {
        ULONG len = 0;
        while (v[len]) len++;
        if (len > NameChars && v[NameChars] == u'=' &&
            RtlCompareMemory(v, Name, NameChars * sizeof(WCHAR)) == NameChars * sizeof(WCHAR))
            return (NTSTATUS)ChildHash(v + NameChars + 1, len - NameChars - 1);
        v += len + 1;
    }
    return CHILD_NOT_FOUND;
}

static VOID ChildNullWrite(VOID)
{
    *(volatile ULONG *)0 = 1;
}

/* A handler that "fixes" any fault by skipping to the resume point: it must never be called. */
static ULONG ChildResume;
static EXCEPTION_DISPOSITION __cdecl ChildFixingHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                        PVOID DispatcherContext)
{
    Context->Eip = ChildResume;
    return ExceptionContinueExecution;
}

/* A frame in static memory, not on the stack: the dispatcher must refuse it. */
static EXCEPTION_REGISTRATION_RECORD ChildStaticFrame;
static NTSTATUS ChildBadFrame(VOID)
{
    ChildStaticFrame.Handler = ChildFixingHandler;
    ChildStaticFrame.Next = RtlpGetExceptionList();
    RtlpSetExceptionList(&ChildStaticFrame);
    __asm__ volatile("movl $1f, %0\n\t"
                     "movl $1, 0\n"
                     "1:" : "=m"(ChildResume) : : "memory");
    RtlpSetExceptionList(ChildStaticFrame.Next);
    return CHILD_SURVIVED;
}

static EXCEPTION_DISPOSITION __cdecl ChildUnwindHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                        PVOID DispatcherContext)
{
    if (Record->ExceptionFlags & EXCEPTION_EXIT_UNWIND)
        DbgPrint("child: exit unwind reached my frame (code 0x%08lx)\n", (unsigned long)Record->ExceptionCode);
    return ExceptionContinueSearch;
}

static NTSTATUS ChildExitUnwind(VOID)
{
    EXCEPTION_REGISTRATION_RECORD frame = { RtlpGetExceptionList(), ChildUnwindHandler };
    RtlpSetExceptionList(&frame);
    RtlUnwind(NULL, NULL, NULL, 0);
    RtlpSetExceptionList(frame.Next);
    return CHILD_SURVIVED;
}

/* Each call takes about a page of stack and touches it from the top down, as compiled code does. */
static ULONG __attribute__((noinline, noipa)) ChildDeep(ULONG Depth)
{
    volatile UCHAR page[4000];
    for (ULONG i = sizeof(page); i-- > 0;) page[i] = (UCHAR)(Depth + i);
    if (Depth == 0) return page[0];
    ULONG below = ChildDeep(Depth - 1);
    page[1] = (UCHAR)below;                             /* the frame lives across the call */
    return page[1] + page[2];
}

static NTSTATUS ChildStackGrow(VOID)
{
    PVOID before = NtCurrentTeb()->NtTib.StackLimit;
    ChildDeep(50);                                       /* 50 pages: 200 KiB */
    PVOID after = NtCurrentTeb()->NtTib.StackLimit;
    return (ULONG_PTR)before - (ULONG_PTR)after >= 45 * 4096 ? CHILD_GREW : CHILD_SURVIVED;
}

static volatile ULONG ChildLimit = 0xFFFFFFFF;         /* never reached: the stack ends first */

static ULONG __attribute__((noinline, noipa)) ChildRecurse(ULONG Depth)
{
    volatile UCHAR page[1000];
    page[0] = (UCHAR)Depth;
    return Depth < ChildLimit ? ChildRecurse(Depth + 1) + page[0] : page[0];
}

static NTSTATUS ChildRun(PRTL_USER_PROCESS_PARAMETERS Params)
{
    PCUNICODE_STRING line = &Params->CommandLine;
    PCWSTR arg, arg2 = NULL;
    ULONG chars, chars2 = 0;
    if (!ChildArgument(line, 1, &arg, &chars)) return CHILD_BAD_ARGS;
    BOOLEAN has2 = ChildArgument(line, 2, &arg2, &chars2);
    if (ChildIs(arg, chars, "exit") && has2) return (NTSTATUS)ChildParseHex(arg2, chars2);
    if (ChildIs(arg, chars, "cmdline")) return (NTSTATUS)ChildHashString(line);
    if (ChildIs(arg, chars, "env") && has2) return ChildEnvironment(Params->Environment, arg2, chars2);
    if (ChildIs(arg, chars, "curdir")) return (NTSTATUS)ChildHashString(&Params->CurrentDirectory.DosPath);
    if (ChildIs(arg, chars, "image")) return (NTSTATUS)ChildHashString(&Params->ImagePathName);
    if (ChildIs(arg, chars, "av")) { ChildNullWrite(); return CHILD_SURVIVED; }
    if (ChildIs(arg, chars, "badframe")) return ChildBadFrame();
    if (ChildIs(arg, chars, "exitunwind")) return ChildExitUnwind();
    if (ChildIs(arg, chars, "stackgrow")) return ChildStackGrow();
    if (ChildIs(arg, chars, "recurse")) return (NTSTATUS)ChildRecurse(0);
    if (ChildIs(arg, chars, "sleep")) {
        LARGE_INTEGER minute;
        minute.QuadPart = -600000000LL;
        for (;;) NtDelayExecution(FALSE, &minute);
    }
    return CHILD_BAD_ARGS;
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS params = Peb->ProcessParameters;
    if (params == NULL || !(params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) return CHILD_BAD_ARGS;
    return ChildRun(params);
}
