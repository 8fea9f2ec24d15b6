# apc.S - KiUserApcDispatcher, where the kernel sends a thread to run a user APC
# (kernel/ke/apc.c). ESP -> [NormalRoutine][NormalContext][Argument1][Argument2][CONTEXT]: the
# routine is called as NormalRoutine(NormalContext, Argument1, Argument2) (stdcall: it pops its
# three arguments, leaving ESP at the CONTEXT), then NtContinue(CONTEXT, TRUE) resumes the thread
# where it was and lets the kernel deliver the next APC.
    .text
    .globl _KiUserApcDispatcher
    .def _KiUserApcDispatcher; .scl 2; .type 32; .endef
    .p2align 4
_KiUserApcDispatcher:
    leal 16(%esp), %edi          # the CONTEXT, below the four words
    popl %eax                    # NormalRoutine
    call *%eax
    pushl $1                     # TestAlert: the next queued APC, if any
    pushl %edi
    call _NtContinue@8
    pushl %eax                   # NtContinue returned: the CONTEXT was unusable
    call _RtlRaiseStatus@4
    int3

    .section .drectve
    .ascii " -export:KiUserApcDispatcher"
