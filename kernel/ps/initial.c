/*
 * initial.c - the first user-mode process. After phase 1 (and any boot tests) the kernel starts
 * \SystemRoot\System32\smss.exe from its image, with process parameters it builds itself (the
 * command line is smss's path followed by the kernel command line, so smss sees init=...), and
 * waits for it. When smss ends, the system shuts down with smss's exit status: smss waits for the
 * initial program and ends with that program's status, so a scripted run ends with it. (On NT
 * the end of smss is a bug check; here it is the orderly end of a run.)
 */
#include "psp.h"
#include "io.h"
#include "arc.h"

#define PSP_SMSS_PATH    "\\SystemRoot\\System32\\smss.exe"
#define PSP_SMSS_WPATH   u"\\SystemRoot\\System32\\smss.exe"
#define PSP_SYSTEM32     "C:\\Windows\\System32"
#define PSP_PPB_BYTES    (2 * PAGE_SIZE)

typedef struct _PSP_PPB_WRITER {
    PUCHAR Block;                          /* the parameter block being built (denormalized) */
    ULONG Used;
} PSP_PPB_WRITER;

/* Appends the UTF-16 form of A then B (ASCII) to the block and points Field at it by offset. */
static VOID PspPutString(PSP_PPB_WRITER *W, PUNICODE_STRING Field, PCSTR A, PCSTR B)
{
    PWCHAR out = (PWCHAR)(W->Block + W->Used);
    ULONG n = 0;
    for (PCSTR s = A; s && *s; s++) out[n++] = (UCHAR)*s;
    for (PCSTR s = B; s && *s; s++) out[n++] = (UCHAR)*s;
    out[n] = 0;
    Field->Length = (USHORT)(n * sizeof(WCHAR));
    Field->MaximumLength = (USHORT)(Field->Length + sizeof(WCHAR));
    Field->Buffer = (PWSTR)(ULONG_PTR)W->Used;
    W->Used += (Field->MaximumLength + 3) & ~3u;
}

/* Builds smss's process parameters (ntdll/README.md: one block, offsets for pointers). The
 * block is PSP_PPB_BYTES; the kernel command line (at most 255 characters) always fits. */
static VOID PspBuildSmssParameters(PUCHAR Block)
{
    static const char environment[] = "Path=" PSP_SYSTEM32 "\0SystemRoot=C:\\Windows\0";
    PRTL_USER_PROCESS_PARAMETERS p = (PRTL_USER_PROCESS_PARAMETERS)Block;
    PSP_PPB_WRITER w = { Block, sizeof(*p) };
    RtlZeroMemory(Block, PSP_PPB_BYTES);
    PspPutString(&w, &p->ImagePathName, PSP_SMSS_PATH, NULL);
    PspPutString(&w, &p->CommandLine, PSP_SMSS_PATH " ", KeLoaderBlock.CommandLine);
    PspPutString(&w, &p->CurrentDirectory.DosPath, PSP_SYSTEM32 "\\", NULL);
    PspPutString(&w, &p->DllPath, PSP_SYSTEM32, NULL);
    PWCHAR env = (PWCHAR)(Block + w.Used);
    for (ULONG i = 0; i < sizeof(environment); i++) env[i] = (UCHAR)environment[i];   /* both NULs */
    p->Environment = (PWSTR)(ULONG_PTR)w.Used;
    w.Used += sizeof(environment) * sizeof(WCHAR);
    p->MaximumLength = p->Length = w.Used;
}

/* Writes the parameters into the process and hangs them on its PEB. */
static NTSTATUS PspGiveParameters(PEPROCESS Process)
{
    PUCHAR block = ExAllocatePoolWithTag(PagedPool, PSP_PPB_BYTES, PSP_PROCESS_TAG);
    if (block == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    PspBuildSmssParameters(block);
    PVOID target;
    NTSTATUS status = PspAllocateUserPage(Process, PSP_PPB_BYTES, &target);
    if (NT_SUCCESS(status)) {
        KeAttachProcess(&Process->Pcb);
        RtlCopyMemory(target, block, PSP_PPB_BYTES);
        ((PPEB)Process->Peb)->ProcessParameters = target;
        KeDetachProcess();
    }
    ExFreePoolWithTag(block, PSP_PROCESS_TAG);
    return status;
}

/* The first thread: a committed stack of the image's reserve size, starting at ntdll's
 * RtlUserThreadStart with the entry point in EAX and the PEB in EBX, as every thread does. */
static NTSTATUS PspCreateInitialThread(HANDLE Process, PEPROCESS P, const SECTION_IMAGE_INFORMATION *Sii,
                                       PHANDLE Thread)
{
    SIZE_T size = Sii->MaximumStackSize ? ROUND_TO_PAGES(Sii->MaximumStackSize) : 0x100000;
    PVOID base = NULL;
    KeAttachProcess(&P->Pcb);
    NTSTATUS status = MmAllocateVirtualMemory(&base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    KeDetachProcess();
    if (!NT_SUCCESS(status)) return status;
    ULONG top = (ULONG)base + size;
    INITIAL_TEB teb = { NULL, NULL, (PVOID)top, base, base };
    CONTEXT c;
    RtlZeroMemory(&c, sizeof(c));
    c.ContextFlags = CONTEXT_FULL;
    c.Eip = (ULONG)PspRtlUserThreadStart;
    c.Eax = (ULONG)Sii->TransferAddress;
    c.Ebx = (ULONG)P->Peb;
    c.Esp = top - 16;
    c.EFlags = EFLAGS_IF | 0x2;
    CLIENT_ID cid;
    return ZwCreateThread(Thread, THREAD_ALL_ACCESS, NULL, Process, &cid, &c, &teb, FALSE);
}

static NTSTATUS PspCreateSmss(PHANDLE Process)
{
    HANDLE section, thread = NULL;
    SECTION_IMAGE_INFORMATION sii;
    SIZE_T length;
    PEPROCESS p;
    NTSTATUS status = PspCreateImageSection(PSP_SMSS_WPATH, &section);
    if (!NT_SUCCESS(status)) return status;
    status = ZwQuerySection(section, SectionImageInformation, &sii, sizeof(sii), &length);
    if (NT_SUCCESS(status))
        status = ZwCreateProcessEx(Process, PROCESS_ALL_ACCESS, NULL, NULL, 0, section, NULL, NULL, 0);
    ZwClose(section);
    if (!NT_SUCCESS(status)) return status;
    status = ObReferenceObjectByHandle(*Process, 0, PsProcessType, KernelMode, (PVOID *)&p, NULL);
    if (NT_SUCCESS(status)) {
        RtlStringCopy(p->ImageFileName, sizeof(p->ImageFileName), "smss.exe");
        status = PspGiveParameters(p);
        if (NT_SUCCESS(status)) status = PspCreateInitialThread(*Process, p, &sii, &thread);
        ObDereferenceObject(p);
    }
    if (thread) ZwClose(thread);
    if (!NT_SUCCESS(status)) {
        ZwTerminateProcess(*Process, status);
        ZwClose(*Process);
    }
    return status;
}

/* Starts smss and waits for it; the system ends with its status. Returns only if smss cannot be
 * started: the reason is logged, a run that named an initial program (init=) shuts down with
 * that status, and otherwise the system idles (a volume without the system files). */
VOID PsRunInitialProcess(VOID)
{
    HANDLE process;
    char init[4];
    NTSTATUS status = PspCreateSmss(&process);
    if (!NT_SUCCESS(status)) {
        DbgPrint("PS: cannot start " PSP_SMSS_PATH ": status %08lx\n", (unsigned long)status);
        if (KeGetBootOption("init", init, sizeof(init))) ExShutdownSystem(ShutdownPowerOff, status);
        return;
    }
    PROCESS_BASIC_INFORMATION info;
    status = ZwWaitForSingleObject(process, FALSE, NULL);
    if (NT_SUCCESS(status))
        status = ZwQueryInformationProcess(process, ProcessBasicInformation, &info, sizeof(info), NULL);
    ZwClose(process);
    ExShutdownSystem(ShutdownPowerOff, NT_SUCCESS(status) ? info.ExitStatus : status);
}
