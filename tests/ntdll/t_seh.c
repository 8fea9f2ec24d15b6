/*
 * t_seh.c - user-mode exception dispatch: faults (null write, divide by zero, int3, a privileged
 * instruction) caught by SEH frames installed by hand (push handler; push fs:[0]; mov fs:[0], esp)
 * and fixed by changing the CONTEXT; unwinding to a landing point with RtlUnwind through nested
 * frames; RtlRaiseException with parameters; a non-continuable exception; an exception raised
 * inside a handler (EXCEPTION_NESTED_CALL); vectored handlers; and child processes whose
 * unhandled exceptions end them with the exception code (child.c).
 * Prints "TEST t_seh.<case>: PASS|FAIL <why>"; exits 0 iff every case passed.
 */
#define NTEST_NAME "t_seh"
#include "ntest.h"


/* ---- Faults under a hand-installed frame, fixed through the CONTEXT ----------------------------- */

/* What the handlers saw (frames installed by hand carry no data of their own). */
static struct {
    ULONG Calls;
    NTSTATUS Code;
    ULONG Flags;
    ULONG NumberParameters;
    ULONG_PTR Info[3];
    PVOID Address;
    ULONG Eip;
    UCHAR Opcode;
} Seen;
static ULONG ResumeEip;                   /* where the null-write handler continues */

static VOID Record(PEXCEPTION_RECORD Rec, PCONTEXT Ctx)
{
    Seen.Calls++;
    Seen.Code = Rec->ExceptionCode;
    Seen.Flags = Rec->ExceptionFlags;
    Seen.NumberParameters = Rec->NumberParameters;
    for (ULONG i = 0; i < 3; i++) Seen.Info[i] = Rec->ExceptionInformation[i];
    Seen.Address = Rec->ExceptionAddress;
    Seen.Eip = Ctx->Eip;
    Seen.Opcode = *(PUCHAR)Ctx->Eip;
}

static EXCEPTION_DISPOSITION __cdecl SkipToResume(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    Record(Rec, Ctx);
    Ctx->Eip = ResumeEip;
    return ExceptionContinueExecution;
}

/* Skips the one-byte instruction that faulted (int3, cli). */
static EXCEPTION_DISPOSITION __cdecl SkipOneByte(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    Record(Rec, Ctx);
    Ctx->Eip += 1;
    return ExceptionContinueExecution;
}

/* Makes the divisor (ECX) 4 so that the divide, executed again, succeeds. */
static EXCEPTION_DISPOSITION __cdecl FixDivisor(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    Record(Rec, Ctx);
    Ctx->Ecx = 4;
    return ExceptionContinueExecution;
}

static VOID ResetSeen(VOID)
{
    RtlZeroMemory(&Seen, sizeof(Seen));
}

static VOID TestNullWrite(VOID)
{
    ResetSeen();
    PVOID before = RtlpGetExceptionList();
    __asm__ volatile("pushl %1\n\t"
                     "pushl %%fs:0\n\t"
                     "movl %%esp, %%fs:0\n\t"
                     "movl $1f, %0\n\t"
                     "movl $0x1234, 0\n"             /* write to address 0 */
                     "1:\n\t"
                     "movl (%%esp), %%eax\n\t"
                     "movl %%eax, %%fs:0\n\t"
                     "addl $8, %%esp"
                     : "=m"(ResumeEip) : "r"(SkipToResume) : "eax", "memory");
    if (Seen.Calls != 1) NtestCheck("null_write", "handler not called once");
    else if (Seen.Code != STATUS_ACCESS_VIOLATION) NtestCheck("null_write", "wrong code");
    else if (Seen.NumberParameters != 2 || Seen.Info[0] != 1 || Seen.Info[1] != 0)
        NtestCheck("null_write", "wrong parameters (want write, address 0)");
    else if ((ULONG)Seen.Address != Seen.Eip) NtestCheck("null_write", "ExceptionAddress != Eip");
    else if (RtlpGetExceptionList() != before) NtestCheck("null_write", "fs:[0] not restored");
    else NtestCheck("null_write", NULL);
}

static VOID TestDivide(VOID)
{
    ResetSeen();
    ULONG quotient;
    __asm__ volatile("pushl %1\n\t"
                     "pushl %%fs:0\n\t"
                     "movl %%esp, %%fs:0\n\t"
                     "movl $100, %%eax\n\t"
                     "xorl %%edx, %%edx\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     "divl %%ecx\n\t"                /* faults; the handler sets ECX = 4 */
                     "movl (%%esp), %%edx\n\t"
                     "movl %%edx, %%fs:0\n\t"
                     "addl $8, %%esp"
                     : "=&a"(quotient) : "r"(FixDivisor) : "ecx", "edx", "memory");
    if (Seen.Calls != 1) NtestCheck("divide", "handler not called once");
    else if (Seen.Code != STATUS_INTEGER_DIVIDE_BY_ZERO) NtestCheck("divide", "wrong code");
    else if (quotient != 25) NtestCheck("divide", "the fixed divide did not give 100/4");
    else NtestCheck("divide", NULL);
}

static VOID TestBreakpoint(VOID)
{
    ResetSeen();
    __asm__ volatile("pushl %0\n\t"
                     "pushl %%fs:0\n\t"
                     "movl %%esp, %%fs:0\n\t"
                     "int3\n\t"
                     "movl (%%esp), %%eax\n\t"
                     "movl %%eax, %%fs:0\n\t"
                     "addl $8, %%esp"
                     : : "r"(SkipOneByte) : "eax", "memory");
    if (Seen.Calls != 1) NtestCheck("int3", "handler not called once");
    else if (Seen.Code != STATUS_BREAKPOINT) NtestCheck("int3", "wrong code");
    else if (Seen.Opcode != 0xCC) NtestCheck("int3", "Context.Eip is not the int3");
    else NtestCheck("int3", NULL);
}

static VOID TestPrivileged(VOID)
{
    ResetSeen();
    __asm__ volatile("pushl %0\n\t"
                     "pushl %%fs:0\n\t"
                     "movl %%esp, %%fs:0\n\t"
                     "cli\n\t"
                     "movl (%%esp), %%eax\n\t"
                     "movl %%eax, %%fs:0\n\t"
                     "addl $8, %%esp"
                     : : "r"(SkipOneByte) : "eax", "memory");
    if (Seen.Calls != 1) NtestCheck("privileged", "handler not called once");
    else if (Seen.Code != STATUS_PRIVILEGED_INSTRUCTION) NtestCheck("privileged", "wrong code");
    else if (Seen.Opcode != 0xFA) NtestCheck("privileged", "Context.Eip is not the cli");
    else NtestCheck("privileged", NULL);
}

/* ---- Unwinding: TryCall, a frame that RtlUnwind can land in ------------------------------------ */

/* An SEH frame with room to resume its owner: TryCall saves ESP/EBP in it; a handler that takes
 * the exception calls RtlUnwind(Frame, TryLanding, Record, Frame), and TryLanding (EAX = the
 * frame) restores them and makes TryCall return Frame->Result. */
typedef struct _TRY_FRAME {
    EXCEPTION_REGISTRATION_RECORD Reg;    /* 0: Next, 4: Handler */
    ULONG SavedEsp;                       /* 8 */
    ULONG SavedEbp;                       /* 12 */
    LONG Result;                          /* 16 */
    ULONG Calls, UnwindCalls;
    NTSTATUS Code;
    ULONG FlagsSeen;
    ULONG_PTR Info[3];
    ULONG NumberParameters;
    NTSTATUS InnerCode;                   /* Record->ExceptionRecord->ExceptionCode, if any */
} TRY_FRAME, *PTRY_FRAME;
C_ASSERT(FIELD_OFFSET(TRY_FRAME, SavedEsp) == 8 && FIELD_OFFSET(TRY_FRAME, Result) == 16);

LONG TryCall(PTRY_FRAME Frame, LONG (*Body)(PVOID), PVOID Argument);
extern char TryLanding[];
__asm__(".text\n"
        ".globl _TryCall\n"
        "_TryCall:\n\t"
        "pushl %ebp\n\t"
        "movl %esp, %ebp\n\t"
        "pushl %ebx\n\t"
        "pushl %esi\n\t"
        "pushl %edi\n\t"
        "movl 8(%ebp), %eax\n\t"
        "movl %esp, 8(%eax)\n\t"
        "movl %ebp, 12(%eax)\n\t"
        "movl %fs:0, %ecx\n\t"
        "movl %ecx, 0(%eax)\n\t"
        "movl %eax, %fs:0\n\t"
        "pushl 16(%ebp)\n\t"
        "call *12(%ebp)\n\t"
        "addl $4, %esp\n\t"
        "movl 8(%ebp), %ecx\n\t"
        "movl 0(%ecx), %ecx\n\t"
        "movl %ecx, %fs:0\n\t"
        "jmp 1f\n"
        ".globl _TryLanding\n"
        "_TryLanding:\n\t"
        "movl 8(%eax), %esp\n\t"
        "movl 12(%eax), %ebp\n\t"
        "movl 0(%eax), %ecx\n\t"
        "movl %ecx, %fs:0\n\t"
        "movl 16(%eax), %eax\n"
        "1:\n\t"
        "popl %edi\n\t"
        "popl %esi\n\t"
        "popl %ebx\n\t"
        "popl %ebp\n\t"
        "ret\n");

static VOID NoteException(PTRY_FRAME F, PEXCEPTION_RECORD Rec)
{
    F->Calls++;
    F->Code = Rec->ExceptionCode;
    F->FlagsSeen = Rec->ExceptionFlags;
    F->NumberParameters = Rec->NumberParameters;
    for (ULONG i = 0; i < 3; i++) F->Info[i] = Rec->ExceptionInformation[i];
    F->InnerCode = Rec->ExceptionRecord ? Rec->ExceptionRecord->ExceptionCode : 0;
}

/* Takes every exception: unwinds to its TryCall, which returns -1. */
static EXCEPTION_DISPOSITION __cdecl TakeAndUnwind(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    PTRY_FRAME f = Frame;
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) {
        f->UnwindCalls++;
        return ExceptionContinueSearch;
    }
    NoteException(f, Rec);
    if (f->Calls > 1) return ExceptionContinueSearch;   /* the unwind failed: do not loop */
    f->Result = -1;
    RtlUnwind(f, TryLanding, Rec, f);
    return ExceptionContinueSearch;                 /* not reached */
}

/* Takes nothing; counts exceptions and unwinds passing by (in PassBySeen: its frame is gone
 * once the unwind has passed). */
static TRY_FRAME PassBySeen;
static EXCEPTION_DISPOSITION __cdecl PassBy(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) PassBySeen.UnwindCalls++;
    else NoteException(&PassBySeen, Rec);
    return ExceptionContinueSearch;
}

static LONG BodyNullWrite(PVOID Arg)
{
    *(volatile ULONG *)0 = 5;
    return 7;
}

static LONG BodyNoFault(PVOID Arg)
{
    return 7;
}

/* The inner frame lives here, deeper than the outer one, as a newer frame always does. */
static LONG BodyInnerTry(PVOID Arg)
{
    TRY_FRAME inner;
    RtlZeroMemory(&inner, sizeof(inner));
    inner.Reg.Handler = PassBy;
    return TryCall(&inner, BodyNullWrite, NULL) + 100;   /* never returns normally */
}

static VOID TestUnwind(VOID)
{
    TRY_FRAME outer;
    PTRY_FRAME inner = &PassBySeen;
    RtlZeroMemory(&outer, sizeof(outer));
    RtlZeroMemory(&PassBySeen, sizeof(PassBySeen));
    outer.Reg.Handler = TakeAndUnwind;
    PVOID before = RtlpGetExceptionList();
    if (TryCall(&outer, BodyNoFault, NULL) != 7) { NtestCheck("unwind", "TryCall without a fault"); return; }
    LONG r = TryCall(&outer, BodyInnerTry, NULL);
    if (r != -1) NtestCheck("unwind", "did not land in the outer TryCall");
    else if (inner->Calls != 1 || outer.Calls != 1) NtestCheck("unwind", "each handler should see the fault once");
    else if (inner->UnwindCalls != 1) NtestCheck("unwind", "the inner frame was not unwound once");
    else if (outer.UnwindCalls != 0) NtestCheck("unwind", "the target frame must not be unwound");
    else if (outer.Code != STATUS_ACCESS_VIOLATION) NtestCheck("unwind", "wrong code");
    else if (RtlpGetExceptionList() != before) NtestCheck("unwind", "fs:[0] not restored");
    else NtestCheck("unwind", NULL);
}

/* Collided unwind: while the outer handler's unwind calls this frame's handler, the handler
 * starts a second unwind to the same target. The second meets the first's guard, skips this
 * frame (the first unwind owns it) and lands; the handler must not be called twice. */
static TRY_FRAME CollideSeen;
static PTRY_FRAME CollideTarget;

static EXCEPTION_DISPOSITION __cdecl UnwindAgain(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    if (!(Rec->ExceptionFlags & EXCEPTION_UNWIND)) return ExceptionContinueSearch;
    if (++CollideSeen.UnwindCalls == 1) RtlUnwind(CollideTarget, TryLanding, NULL, CollideTarget);
    return ExceptionContinueSearch;
}

static LONG BodyCollide(PVOID Arg)
{
    TRY_FRAME middle;
    RtlZeroMemory(&middle, sizeof(middle));
    middle.Reg.Handler = UnwindAgain;
    return TryCall(&middle, BodyNullWrite, NULL) + 100;
}

static VOID TestCollidedUnwind(VOID)
{
    TRY_FRAME outer;
    RtlZeroMemory(&outer, sizeof(outer));
    RtlZeroMemory(&CollideSeen, sizeof(CollideSeen));
    outer.Reg.Handler = TakeAndUnwind;
    CollideTarget = &outer;
    PVOID before = RtlpGetExceptionList();
    LONG r = TryCall(&outer, BodyCollide, NULL);
    if (r != -1) NtestCheck("collided_unwind", "did not land in the outer TryCall");
    else if (CollideSeen.UnwindCalls != 1) NtestCheck("collided_unwind", "the middle frame was unwound twice");
    else if (RtlpGetExceptionList() != before) NtestCheck("collided_unwind", "fs:[0] not restored");
    else NtestCheck("collided_unwind", NULL);
}

/* ---- RtlRaiseException, non-continuable, nested -------------------------------------------------- */

#define TEST_CODE ((NTSTATUS)0xE0001234)

static EXCEPTION_DISPOSITION __cdecl ContinueRaise(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    PTRY_FRAME f = Frame;
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    NoteException(f, Rec);
    f->Result = (LONG)(ULONG_PTR)Rec->ExceptionAddress;
    return Rec->ExceptionCode == TEST_CODE ? ExceptionContinueExecution : ExceptionContinueSearch;
}

/* Raises TEST_CODE with three parameters, with known values in EBX, ESI and EDI: a handler that
 * continues must give them back. Returns FALSE if one changed. */
static LONG BodyRaise(PVOID Arg)
{
    static EXCEPTION_RECORD rec;
    PEXCEPTION_RECORD p = &rec;
    ULONG b, s, d;
    RtlZeroMemory(&rec, sizeof(rec));
    rec.ExceptionCode = TEST_CODE;
    rec.NumberParameters = 3;
    rec.ExceptionInformation[0] = 0x11;
    rec.ExceptionInformation[1] = 0x22;
    rec.ExceptionInformation[2] = 0x33;
    __asm__ volatile("movl $0xB0B0B0B0, %%ebx\n\t"
                     "movl $0x5151515A, %%esi\n\t"
                     "movl $0xD1D1D1D1, %%edi\n\t"
                     "pushl %3\n\t"
                     "call _RtlRaiseException@4"
                     : "=&b"(b), "=&S"(s), "=&D"(d) : "m"(p) : "eax", "ecx", "edx", "memory");
    return b == 0xB0B0B0B0 && s == 0x5151515A && d == 0xD1D1D1D1;
}

static VOID TestRaise(VOID)
{
    TRY_FRAME f;
    RtlZeroMemory(&f, sizeof(f));
    f.Reg.Handler = ContinueRaise;
    LONG ok = TryCall(&f, BodyRaise, NULL);
    PUCHAR after = (PUCHAR)f.Result;                 /* ExceptionAddress: just after the call */
    if (f.Calls != 1) NtestCheck("raise", "handler not called once");
    else if (f.Code != TEST_CODE || f.NumberParameters != 3) NtestCheck("raise", "wrong code or count");
    else if (f.Info[0] != 0x11 || f.Info[1] != 0x22 || f.Info[2] != 0x33) NtestCheck("raise", "wrong parameters");
    else if (f.FlagsSeen != 0) NtestCheck("raise", "a continuable raise has flags");
    else if (after == NULL || after[-5] != 0xE8) NtestCheck("raise", "ExceptionAddress is not the return address");
    else if (ok != 1) NtestCheck("raise", "EBX/ESI/EDI not preserved across the continued raise");
    else NtestCheck("raise", NULL);
}

/* Continues whatever it is offered; for the second exception (STATUS_NONCONTINUABLE_EXCEPTION,
 * raised because continuing the first is not allowed) it unwinds instead. */
static EXCEPTION_DISPOSITION __cdecl TryToContinue(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    PTRY_FRAME f = Frame;
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    if (Rec->ExceptionCode != STATUS_NONCONTINUABLE_EXCEPTION) {
        f->Calls++;
        f->FlagsSeen = Rec->ExceptionFlags;
        return ExceptionContinueExecution;
    }
    f->Code = Rec->ExceptionCode;
    f->InnerCode = Rec->ExceptionRecord ? Rec->ExceptionRecord->ExceptionCode : 0;
    f->Result = -2;
    RtlUnwind(f, TryLanding, Rec, f);
    return ExceptionContinueSearch;
}

static LONG BodyRaiseStatus(PVOID Arg)
{
    RtlRaiseStatus((NTSTATUS)0xE0000BAD);
}

static VOID TestNoncontinuable(VOID)
{
    TRY_FRAME f;
    RtlZeroMemory(&f, sizeof(f));
    f.Reg.Handler = TryToContinue;
    LONG r = TryCall(&f, BodyRaiseStatus, NULL);
    if (r != -2) NtestCheck("noncontinuable", "did not end in the unwind");
    else if (f.Calls != 1 || !(f.FlagsSeen & EXCEPTION_NONCONTINUABLE))
        NtestCheck("noncontinuable", "RtlRaiseStatus's exception not seen as non-continuable");
    else if (f.Code != STATUS_NONCONTINUABLE_EXCEPTION || f.InnerCode != (NTSTATUS)0xE0000BAD)
        NtestCheck("noncontinuable", "no STATUS_NONCONTINUABLE_EXCEPTION chained to the original");
    else NtestCheck("noncontinuable", NULL);
}

/* Answers the int3 with a disposition that does not exist; the STATUS_INVALID_DISPOSITION that
 * follows it is taken by unwinding. */
static EXCEPTION_DISPOSITION __cdecl BadAnswer(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    PTRY_FRAME f = Frame;
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    if (Rec->ExceptionCode != STATUS_INVALID_DISPOSITION) {
        f->Calls++;
        return (EXCEPTION_DISPOSITION)7;
    }
    NoteException(f, Rec);
    f->Result = -3;
    RtlUnwind(f, TryLanding, Rec, f);
    return ExceptionContinueSearch;
}

static LONG BodyInt3(PVOID Arg);

static VOID TestInvalidDisposition(VOID)
{
    TRY_FRAME f;
    RtlZeroMemory(&f, sizeof(f));
    f.Reg.Handler = BadAnswer;
    LONG r = TryCall(&f, BodyInt3, NULL);
    if (r != -3) NtestCheck("invalid_disposition", "did not end in the unwind");
    else if (f.Calls != 2) NtestCheck("invalid_disposition", "handler calls wrong");
    else if (!(f.FlagsSeen & EXCEPTION_NONCONTINUABLE) || f.InnerCode != STATUS_BREAKPOINT)
        NtestCheck("invalid_disposition", "not a non-continuable record chained to the int3");
    else NtestCheck("invalid_disposition", NULL);
}

#define NESTED_CODE ((NTSTATUS)0xE0000002)

/* For the int3 it raises NESTED_CODE from inside itself (a nested exception), then skips the
 * int3; for NESTED_CODE it notes the flags (EXCEPTION_NESTED_CALL expected) and continues. */
static EXCEPTION_DISPOSITION __cdecl RaiseInside(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    PTRY_FRAME f = Frame;
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    if (Rec->ExceptionCode == NESTED_CODE) {
        f->UnwindCalls++;                            /* (reused: nested calls seen) */
        f->FlagsSeen = Rec->ExceptionFlags;
        return ExceptionContinueExecution;
    }
    if (Rec->ExceptionCode != STATUS_BREAKPOINT) return ExceptionContinueSearch;
    f->Calls++;
    EXCEPTION_RECORD nested;
    RtlZeroMemory(&nested, sizeof(nested));
    nested.ExceptionCode = NESTED_CODE;
    RtlRaiseException(&nested);
    Ctx->Eip += 1;
    return ExceptionContinueExecution;
}

static LONG BodyInt3(PVOID Arg)
{
    __asm__ volatile("int3");
    return 3;
}

static VOID TestNested(VOID)
{
    TRY_FRAME f;
    RtlZeroMemory(&f, sizeof(f));
    f.Reg.Handler = RaiseInside;
    LONG r = TryCall(&f, BodyInt3, NULL);
    if (r != 3) NtestCheck("nested", "the body did not run to its end");
    else if (f.Calls != 1 || f.UnwindCalls != 1) NtestCheck("nested", "handler calls wrong");
    else if (!(f.FlagsSeen & EXCEPTION_NESTED_CALL)) NtestCheck("nested", "no EXCEPTION_NESTED_CALL");
    else NtestCheck("nested", NULL);
}

/* ---- Vectored handlers ------------------------------------------------------------------------- */

static ULONG VehOrder[4], VehCount;

static LONG NTAPI VehSkipInt3(PEXCEPTION_POINTERS Info)
{
    if (Info->ExceptionRecord->ExceptionCode != STATUS_BREAKPOINT) return EXCEPTION_CONTINUE_SEARCH;
    if (VehCount < 4) VehOrder[VehCount++] = 1;
    Info->ContextRecord->Eip += 1;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static LONG NTAPI VehLookOnly(PEXCEPTION_POINTERS Info)
{
    if (VehCount < 4) VehOrder[VehCount++] = 2;
    return EXCEPTION_CONTINUE_SEARCH;
}

static EXCEPTION_DISPOSITION __cdecl FrameSkipInt3(PEXCEPTION_RECORD Rec, PVOID Frame, PCONTEXT Ctx, PVOID Dc)
{
    if (Rec->ExceptionFlags & EXCEPTION_UNWIND) return ExceptionContinueSearch;
    if (VehCount < 4) VehOrder[VehCount++] = 3;
    Ctx->Eip += 1;
    return ExceptionContinueExecution;
}

static VOID TestVectored(VOID)
{
    VehCount = 0;
    PVOID h = RtlAddVectoredExceptionHandler(1, VehSkipInt3);
    if (h == NULL) { NtestCheck("vectored", "RtlAddVectoredExceptionHandler failed"); return; }
    __asm__ volatile("int3" ::: "memory");            /* no frame: only the vectored handler */
    ULONG removed = RtlRemoveVectoredExceptionHandler(h);
    ULONG again = RtlRemoveVectoredExceptionHandler(h);
    if (VehCount != 1 || VehOrder[0] != 1) { NtestCheck("vectored", "handler not called"); return; }
    if (removed != 1 || again != 0) { NtestCheck("vectored", "remove should give 1, then 0"); return; }

    /* A looking-only vectored handler runs before the frame that handles it. */
    VehCount = 0;
    h = RtlAddVectoredExceptionHandler(0, VehLookOnly);
    TRY_FRAME f;
    RtlZeroMemory(&f, sizeof(f));
    f.Reg.Handler = FrameSkipInt3;
    LONG r = TryCall(&f, BodyInt3, NULL);
    RtlRemoveVectoredExceptionHandler(h);
    if (r != 3 || VehCount != 2 || VehOrder[0] != 2 || VehOrder[1] != 3)
        NtestCheck("vectored", "vectored handler not before the frame");
    else NtestCheck("vectored", NULL);
}

/* ---- RtlCaptureContext --------------------------------------------------------------------------- */

static VOID TestCapture(VOID)
{
    CONTEXT c;
    RtlZeroMemory(&c, sizeof(c));
    ULONG_PTR ebpNow = (ULONG_PTR)__builtin_frame_address(0);
    RtlCaptureContext(&c);
    PTEB teb = NtCurrentTeb();
    if (c.ContextFlags != CONTEXT_FULL) NtestCheck("capture", "ContextFlags not CONTEXT_FULL");
    else if (c.Ebp != ebpNow) NtestCheck("capture", "EBP is not the caller's");
    else if (c.Esp >= c.Ebp || c.Esp < (ULONG)teb->NtTib.StackLimit) NtestCheck("capture", "ESP implausible");
    else if (c.SegCs != 0x1B || c.SegSs != 0x23 || c.SegFs != 0x3B) NtestCheck("capture", "segments wrong");
    else if (((PUCHAR)c.Eip)[-5] != 0xE8) NtestCheck("capture", "EIP is not the return address");
    else NtestCheck("capture", NULL);
}

/* ---- Unhandled exceptions in a child ------------------------------------------------------------- */

/* Runs child.exe with CommandLine; it must end with Expected. */
static VOID TestChild(PCSTR Case, PCWSTR CommandLine, NTSTATUS Expected)
{
    NTSTATUS exitStatus = NtestRunProcess(u"\\??\\C:\\Tests\\child.exe", CommandLine);
    NtestExpect(Case, exitStatus == Expected, "the child's exit status", (ULONG)exitStatus);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    TestCapture();
    TestNullWrite();
    TestDivide();
    TestBreakpoint();
    TestPrivileged();
    TestUnwind();
    TestCollidedUnwind();
    TestRaise();
    TestNoncontinuable();
    TestInvalidDisposition();
    TestNested();
    TestVectored();
    TestChild("unhandled_child", u"C:\\Tests\\child.exe av", STATUS_ACCESS_VIOLATION);
    TestChild("frame_off_stack", u"C:\\Tests\\child.exe badframe", STATUS_ACCESS_VIOLATION);
    TestChild("exit_unwind", u"C:\\Tests\\child.exe exitunwind", STATUS_UNWIND);
    TestChild("stack_grows", u"C:\\Tests\\child.exe stackgrow", (NTSTATUS)0x06000001);
    TestChild("stack_overflow", u"C:\\Tests\\child.exe recurse", STATUS_STACK_OVERFLOW);
    DbgPrint("t_seh: %lu failure(s)\n", (unsigned long)NtestFailures);
    return NtestResult();
}
