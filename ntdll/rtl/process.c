/*
 * process.c - native thread and process creation: RtlCreateUserThread (a stack, an initial TEB
 * and a CONTEXT that starts in RtlUserThreadStart, then NtCreateThread) and RtlCreateUserProcess
 * (image file -> image section -> process -> parameters -> first thread, suspended). The kernel
 * side of the contract is in ntdll/README.md.
 */
#include "ntndk.h"

#define RTLP_DEFAULT_STACK_RESERVE (256 * 1024)
#define RTLP_DEFAULT_STACK_COMMIT  (8 * 1024)
#define RTLP_STACK_GRANULARITY     (64 * 1024)       /* reservations are in 64 KiB units, as NT's */
#define RTLP_STACK_TOP_SLACK       16                /* bytes left unused at the top of a stack */

/* User-mode selectors (the kernel's GDT, as NT's): code, data, TEB. */
#define RTLP_USER_CS   0x1B
#define RTLP_USER_DS   0x23
#define RTLP_USER_TEB  0x3B
#define RTLP_EFLAGS_IF 0x202

/* ---- Threads ---------------------------------------------------------------------------------- */

/* Reserves the stack in Process, commits its top Commit bytes and makes the page below them a
 * guard page, as NT does: touching the guard grows the stack a page at a time (kernel/mm/fault.c)
 * down to one page above the reservation's end, so running off the stack is STATUS_STACK_OVERFLOW
 * rather than a silent overwrite. StackLimit is the lowest committed page. */
static NTSTATUS RtlpCreateStack(HANDLE Process, ULONG ZeroBits, SIZE_T Reserve, SIZE_T Commit,
                                PINITIAL_TEB InitialTeb)
{
    if (Reserve == 0) Reserve = RTLP_DEFAULT_STACK_RESERVE;
    if (Commit == 0) Commit = RTLP_DEFAULT_STACK_COMMIT;
    Commit = (Commit + PAGE_SIZE - 1) & ~(SIZE_T)(PAGE_SIZE - 1);
    if (Reserve < Commit + 2 * PAGE_SIZE) Reserve = Commit + 2 * PAGE_SIZE;
    Reserve = (Reserve + RTLP_STACK_GRANULARITY - 1) & ~(SIZE_T)(RTLP_STACK_GRANULARITY - 1);

    PVOID base = NULL;
    SIZE_T size = Reserve;
    NTSTATUS status = NtAllocateVirtualMemory(Process, &base, ZeroBits, &size, MEM_RESERVE, PAGE_READWRITE);
    if (!NT_SUCCESS(status)) return status;
    PVOID commitBase = (PCHAR)base + size - Commit;
    SIZE_T commitSize = Commit;
    status = NtAllocateVirtualMemory(Process, &commitBase, 0, &commitSize, MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        PVOID guard = (PCHAR)commitBase - PAGE_SIZE;
        SIZE_T guardSize = PAGE_SIZE;
        status = NtAllocateVirtualMemory(Process, &guard, 0, &guardSize, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    }
    if (!NT_SUCCESS(status)) {
        SIZE_T zero = 0;
        NtFreeVirtualMemory(Process, &base, &zero, MEM_RELEASE);
        return status;
    }
    InitialTeb->OldStackBase = NULL;
    InitialTeb->OldStackLimit = NULL;
    InitialTeb->StackBase = (PCHAR)base + size;
    InitialTeb->StackLimit = commitBase;
    InitialTeb->StackAllocationBase = base;
    return STATUS_SUCCESS;
}

/* The thread's first user-mode state (ntdll/README.md): RtlUserThreadStart with EAX = the start
 * routine and EBX = its parameter, on the new stack, user selectors, interrupts enabled. */
static VOID RtlpInitThreadContext(PCONTEXT Context, const INITIAL_TEB *InitialTeb,
                                  PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter)
{
    RtlZeroMemory(Context, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->Eip = (ULONG)(ULONG_PTR)RtlUserThreadStart;
    Context->Eax = (ULONG)(ULONG_PTR)StartAddress;
    Context->Ebx = (ULONG)(ULONG_PTR)Parameter;
    Context->Esp = (ULONG)(ULONG_PTR)InitialTeb->StackBase - RTLP_STACK_TOP_SLACK;
    Context->SegCs = RTLP_USER_CS;
    Context->SegDs = Context->SegEs = Context->SegSs = RTLP_USER_DS;
    Context->SegFs = RTLP_USER_TEB;
    Context->EFlags = RTLP_EFLAGS_IF;
}

NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                   BOOLEAN CreateSuspended, ULONG ZeroBits, SIZE_T MaximumStackSize,
                                   SIZE_T CommittedStackSize, PUSER_THREAD_START_ROUTINE StartAddress,
                                   PVOID Parameter, PHANDLE ThreadHandle, PCLIENT_ID ClientId)
{
    INITIAL_TEB teb;
    NTSTATUS status = RtlpCreateStack(Process, ZeroBits, MaximumStackSize, CommittedStackSize, &teb);
    if (!NT_SUCCESS(status)) return status;

    CONTEXT context;
    RtlpInitThreadContext(&context, &teb, StartAddress, Parameter);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL, 0, NULL, ThreadSecurityDescriptor);
    HANDLE thread;
    CLIENT_ID cid;
    status = NtCreateThread(&thread, THREAD_ALL_ACCESS, &oa, Process, &cid, &context, &teb, CreateSuspended);
    if (!NT_SUCCESS(status)) {
        PVOID base = teb.StackAllocationBase;
        SIZE_T zero = 0;
        NtFreeVirtualMemory(Process, &base, &zero, MEM_RELEASE);
        return status;
    }
    if (ClientId) *ClientId = cid;
    if (ThreadHandle) *ThreadHandle = thread;
    else NtClose(thread);
    return STATUS_SUCCESS;
}

/* ---- Processes -------------------------------------------------------------------------------- */

/* The image file, opened to be mapped as an image section. */
static NTSTATUS RtlpOpenImage(PUNICODE_STRING NtImagePathName, PHANDLE File)
{
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    InitializeObjectAttributes(&oa, NtImagePathName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtOpenFile(File, FILE_READ_DATA | FILE_EXECUTE | SYNCHRONIZE, &oa, &iosb,
                      FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
}

/* File -> image section -> its image information. The file is not needed afterwards. */
static NTSTATUS RtlpCreateImageSection(PUNICODE_STRING NtImagePathName, PHANDLE Section,
                                       PSECTION_IMAGE_INFORMATION ImageInformation)
{
    HANDLE file;
    NTSTATUS status = RtlpOpenImage(NtImagePathName, &file);
    if (!NT_SUCCESS(status)) return status;
    status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, file);
    NtClose(file);
    if (!NT_SUCCESS(status)) return status;
    status = NtQuerySection(*Section, SectionImageInformation, ImageInformation, sizeof(*ImageInformation), NULL);
    if (!NT_SUCCESS(status)) NtClose(*Section);
    return status;
}

/* Copies the block into Process as it must arrive there: denormalized, without our handle to
 * the current directory (the new loader opens its own). Params itself is left as it was. */
static NTSTATUS RtlpCopyParamsToProcess(HANDLE Process, PRTL_USER_PROCESS_PARAMETERS Params, PVOID *Remote)
{
    SIZE_T size = Params->MaximumLength;
    *Remote = NULL;
    NTSTATUS status = NtAllocateVirtualMemory(Process, Remote, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(status)) return status;
    BOOLEAN normalized = (Params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED) != 0;
    HANDLE directory = Params->CurrentDirectory.Handle;
    Params->CurrentDirectory.Handle = NULL;
    RtlDeNormalizeProcessParams(Params);
    status = NtWriteVirtualMemory(Process, *Remote, Params, Params->MaximumLength, NULL);
    if (normalized) RtlNormalizeProcessParams(Params);
    Params->CurrentDirectory.Handle = directory;
    return status;
}

/* The new process's PEB, with PEB.ProcessParameters pointing at its copy of Params. */
static NTSTATUS RtlpSetUpPeb(HANDLE Process, PRTL_USER_PROCESS_PARAMETERS Params, PPEB *Peb)
{
    PROCESS_BASIC_INFORMATION pbi;
    NTSTATUS status = NtQueryInformationProcess(Process, ProcessBasicInformation, &pbi, sizeof(pbi), NULL);
    if (!NT_SUCCESS(status)) return status;
    *Peb = pbi.PebBaseAddress;
    if (Params == NULL) return STATUS_SUCCESS;
    PVOID remote;
    status = RtlpCopyParamsToProcess(Process, Params, &remote);
    if (NT_SUCCESS(status))
        status = NtWriteVirtualMemory(Process, &(*Peb)->ProcessParameters, &remote, sizeof(remote), NULL);
    return status;
}

static NTSTATUS RtlpCreateProcessObject(PHANDLE Process, HANDLE Section, ULONG Attributes,
                                        PSECURITY_DESCRIPTOR SecurityDescriptor, HANDLE ParentProcess,
                                        BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE ExceptionPort)
{
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL, Attributes, NULL, SecurityDescriptor);
    return NtCreateProcessEx(Process, PROCESS_ALL_ACCESS, &oa, ParentProcess ? ParentProcess : NtCurrentProcess(),
                             InheritHandles ? PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0, Section, DebugPort,
                             ExceptionPort, 0);
}

NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PSECURITY_DESCRIPTOR ProcessSecurityDescriptor,
                                    PSECURITY_DESCRIPTOR ThreadSecurityDescriptor, HANDLE ParentProcess,
                                    BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE ExceptionPort,
                                    PRTL_USER_PROCESS_INFORMATION ProcessInformation)
{
    PRTL_USER_PROCESS_INFORMATION info = ProcessInformation;
    RtlZeroMemory(info, sizeof(*info));
    info->Length = sizeof(*info);

    HANDLE section, process;
    NTSTATUS status = RtlpCreateImageSection(NtImagePathName, &section, &info->ImageInformation);
    if (!NT_SUCCESS(status)) return status;
    status = RtlpCreateProcessObject(&process, section, Attributes, ProcessSecurityDescriptor, ParentProcess,
                                     InheritHandles, DebugPort, ExceptionPort);
    NtClose(section);                             /* the process keeps its own reference */
    if (!NT_SUCCESS(status)) return status;

    PPEB peb;
    const SECTION_IMAGE_INFORMATION *image = &info->ImageInformation;
    status = RtlpSetUpPeb(process, ProcessParameters, &peb);
    if (NT_SUCCESS(status))
        status = RtlCreateUserThread(process, ThreadSecurityDescriptor, TRUE, image->ZeroBits,
                                     image->MaximumStackSize, image->CommittedStackSize,
                                     (PUSER_THREAD_START_ROUTINE)image->TransferAddress, peb, &info->Thread,
                                     &info->ClientId);
    if (!NT_SUCCESS(status)) {
        NtTerminateProcess(process, status);
        NtClose(process);
        info->Thread = NULL;
        return status;
    }
    info->Process = process;
    return STATUS_SUCCESS;
}
