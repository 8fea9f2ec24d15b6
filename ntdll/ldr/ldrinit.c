/*
 * ldrinit.c - LdrInitializeThunk, where every user thread starts (ntdll/README.md). The first
 * thread of a process builds the process: parameters normalized, the process heap, Rtl, the
 * loader lock and PEB.Ldr with entries for the EXE and ntdll, the EXE's imports (recursively),
 * static TLS, then DLL_PROCESS_ATTACH in dependency order and the EXE's TLS callbacks. Later
 * threads get their TLS blocks and DLL_THREAD_ATTACH. Both then continue into the thread's
 * initial context (NtContinue with TestAlert, so APCs queued before the start run first). A
 * failure at process start ends the process with the loader's status.
 */
#include "ldrp.h"

RTL_CRITICAL_SECTION LdrpLoaderLock = RTL_CRITICAL_SECTION_INIT;
PEB_LDR_DATA LdrpData;
PLDR_DATA_TABLE_ENTRY LdrpImageEntry;
PLDR_DATA_TABLE_ENTRY LdrpNtdllEntry;
BOOLEAN LdrpInProcessInit;
BOOLEAN LdrpShutdownInProgress;

#define LDRP_NTDLL_PATH u"C:\\Windows\\System32\\ntdll.dll"

PVOID LdrpAlloc(SIZE_T Size)
{
    return RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, Size);
}

VOID LdrpFree(PVOID Block)
{
    if (Block) RtlFreeHeap(RtlProcessHeap(), 0, Block);
}

static VOID __attribute__((noreturn)) LdrpFailProcess(PCSTR What, NTSTATUS Status)
{
    DbgPrint("LDR: process initialization failed (%s), status 0x%08lx\n", What, (unsigned long)Status);
    NtTerminateProcess(NtCurrentProcess(), Status);
    for (;;) NtTerminateThread(NtCurrentThread(), Status);
}

/* An entry for an image the kernel mapped (the EXE, ntdll), relocated first if it moved;
 * *PreferredBase says where it was linked to run. */
static NTSTATUS LdrpEntryForMappedImage(PVOID Base, PCUNICODE_STRING DosPath, PLDR_DATA_TABLE_ENTRY *Entry,
                                        PULONG_PTR PreferredBase)
{
    SIZE_T size;
    RTL_IMAGE_INFO info;
    NTSTATUS status = LdrpMappedImageSize(Base, &size);
    if (NT_SUCCESS(status)) status = RtlValidateMappedImage(Base, size, &info);
    if (NT_SUCCESS(status)) *PreferredBase = info.ImageBase;
    BOOLEAN moved = NT_SUCCESS(status) && info.ImageBase != (ULONG_PTR)Base;
    if (moved) status = LdrpRelocate(Base, &info);
    if (moved && NT_SUCCESS(status)) status = RtlValidateMappedImage(Base, size, &info);
    if (!NT_SUCCESS(status)) return status;
    PLDR_DATA_TABLE_ENTRY m = LdrpCreateEntry(Base, &info, DosPath);
    if (m == NULL) return STATUS_NO_MEMORY;
    m->LoadCount = LDRP_PINNED_LOAD_COUNT;
    if (moved) m->Flags |= LDRP_IMAGE_NOT_AT_BASE;
    LdrpInsertEntry(m);
    *Entry = m;
    return STATUS_SUCCESS;
}

/* The EXE's DOS path from the process parameters' NT path ("\??\C:\x.exe" -> "C:\x.exe"). */
static VOID LdrpImageDosPath(PUNICODE_STRING Path)
{
    static const WCHAR fallback[] = u"C:\\image.exe";
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp == NULL || pp->ImagePathName.Buffer == NULL || pp->ImagePathName.Length == 0) {
        RtlInitUnicodeString(Path, fallback);
        return;
    }
    *Path = pp->ImagePathName;
    if (Path->Length > 8 && RtlCompareMemory(Path->Buffer, u"\\??\\", 8) == 8) {
        Path->Buffer += 4;
        Path->Length -= 8;
        Path->MaximumLength -= 8;
    }
}

/* The creator aimed the first thread at the EXE's entry point as the image section gives it -
 * at the preferred base. If the EXE was mapped elsewhere, the thread goes to where the entry
 * point really is (through RtlUserThreadStart's EAX, or EIP itself). */
static VOID LdrpRedirectStart(PCONTEXT Context, ULONG_PTR PreferredBase)
{
    ULONG_PTR base = (ULONG_PTR)LdrpImageEntry->DllBase;
    ULONG_PTR entry = (ULONG_PTR)LdrpImageEntry->EntryPoint;
    if (base == PreferredBase || entry == 0) return;
    ULONG_PTR stale = entry - base + PreferredBase;
    if (Context->Eip == (ULONG_PTR)RtlUserThreadStart && Context->Eax == stale) Context->Eax = entry;
    else if (Context->Eip == stale) Context->Eip = entry;
}

/* PEB.Ldr with the EXE and ntdll on it (ntdll first on the initialization order list, already
 * initialized: it has no DllMain). */
static NTSTATUS LdrpInitializeModuleList(PVOID NtdllBase, PULONG_PTR ExePreferredBase)
{
    ULONG_PTR ntdllPreferredBase;
    UNICODE_STRING exePath, ntdllPath = RTL_CONSTANT_STRING(LDRP_NTDLL_PATH);
    LdrpData.Length = sizeof(LdrpData);
    InitializeListHead(&LdrpData.InLoadOrderModuleList);
    InitializeListHead(&LdrpData.InMemoryOrderModuleList);
    InitializeListHead(&LdrpData.InInitializationOrderModuleList);
    LdrpImageDosPath(&exePath);
    NTSTATUS status = LdrpEntryForMappedImage(NtCurrentPeb()->ImageBaseAddress, &exePath, &LdrpImageEntry,
                                              ExePreferredBase);
    if (NT_SUCCESS(status))
        status = LdrpEntryForMappedImage(NtdllBase, &ntdllPath, &LdrpNtdllEntry, &ntdllPreferredBase);
    if (!NT_SUCCESS(status)) return status;
    LdrpImageEntry->Flags |= LDRP_ENTRY_PROCESSED;
    LdrpNtdllEntry->Flags |= LDRP_ENTRY_PROCESSED | LDRP_PROCESS_ATTACH_CALLED;
    InsertTailList(&LdrpData.InInitializationOrderModuleList, &LdrpNtdllEntry->InInitializationOrderLinks);
    NtCurrentPeb()->Ldr = &LdrpData;
    return STATUS_SUCCESS;
}

/* The current directory's handle (CURDIR.Handle): a creator's handle means nothing in this
 * process, so the directory named by the parameters is opened here, as NT's loader does. */
static VOID LdrpOpenCurrentDirectory(PRTL_USER_PROCESS_PARAMETERS Params)
{
    WCHAR buffer[LDRP_MAX_PATH_CHARS];
    UNICODE_STRING path = { 0, sizeof(buffer), buffer };
    PUNICODE_STRING dos = &Params->CurrentDirectory.DosPath;
    Params->CurrentDirectory.Handle = NULL;
    if (dos->Buffer == NULL || dos->Length == 0 || dos->Length >= sizeof(buffer)) return;
    RtlCopyMemory(buffer, dos->Buffer, dos->Length);   /* a copy: the call rewrites DosPath */
    path.Length = dos->Length;
    buffer[path.Length / sizeof(WCHAR)] = 0;
    NTSTATUS status = RtlSetCurrentDirectory_U(&path);
    if (!NT_SUCCESS(status)) {
        CHAR name[LDRP_MAX_PATH_CHARS];
        DbgPrint("LDR: current directory %s cannot be opened, status 0x%08lx\n",
                 LdrpPrintable(&path, name, sizeof(name)), (unsigned long)status);
    }
}

/* Parameters, heap, Rtl, loader lock: what everything after needs. */
static VOID LdrpInitializeRuntime(VOID)
{
    PPEB peb = NtCurrentPeb();
    if (peb->ProcessParameters) RtlNormalizeProcessParams(peb->ProcessParameters);
    peb->ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    if (peb->ProcessHeap == NULL) LdrpFailProcess("process heap", STATUS_NO_MEMORY);
    RtlpInitializeRtl();
    if (peb->ProcessParameters) LdrpOpenCurrentDirectory(peb->ProcessParameters);
    RtlInitializeCriticalSection(&LdrpLoaderLock);
    peb->LoaderLock = &LdrpLoaderLock;
}

/* The PE Subsystem field decides who may run: native images, and Windows (GUI or console) images,
 * whose kernel32 connects them to the Win32 subsystem (csrss) - its DllMain fails, and so the
 * start, if csrss is not there. Images for other subsystems (POSIX, OS/2, ...) are refused before
 * any of their code (or their DLLs') runs. */
static VOID LdrpCheckSubsystem(VOID)
{
    PPEB peb = NtCurrentPeb();
    ULONG subsystem = peb->ImageSubsystem;
    if (subsystem == IMAGE_SUBSYSTEM_NATIVE || subsystem == IMAGE_SUBSYSTEM_WINDOWS_GUI ||
        subsystem == IMAGE_SUBSYSTEM_WINDOWS_CUI)
        return;
    PRTL_USER_PROCESS_PARAMETERS params = peb->ProcessParameters;
    char name[96];
    ULONG n = 0;
    for (; params && n < params->ImagePathName.Length / sizeof(WCHAR) && n + 1 < sizeof(name); n++) {
        WCHAR c = params->ImagePathName.Buffer[n];
        name[n] = c < 0x80 ? (char)c : '?';
    }
    name[n] = 0;
    DbgPrint("LDR: %s needs subsystem %lu, which NanoNT does not have\n", name, (unsigned long)subsystem);
    LdrpFailProcess("subsystem", STATUS_IMAGE_SUBSYSTEM_NOT_PRESENT);
}

static VOID LdrpInitializeProcess(PCONTEXT Context, PVOID NtdllBase)
{
    PLDR_DATA_TABLE_ENTRY failed = NULL;
    ULONG_PTR exePreferredBase = 0;
    LdrpInitializeRuntime();
    LdrpCheckSubsystem();
    RtlEnterCriticalSection(&LdrpLoaderLock);
    LdrpInProcessInit = TRUE;
    NTSTATUS status = LdrpInitializeModuleList(NtdllBase, &exePreferredBase);
    if (!NT_SUCCESS(status)) LdrpFailProcess("the EXE or ntdll image", status);
    LdrpRedirectStart(Context, exePreferredBase);
    status = LdrpBindImports(LdrpImageEntry);
    if (!NT_SUCCESS(status)) LdrpFailProcess("imports", status);
    status = LdrpInitializeTls();
    if (NT_SUCCESS(status)) status = LdrpAllocateTls();
    if (!NT_SUCCESS(status)) LdrpFailProcess("static TLS", status);
    LdrpInProcessInit = FALSE;
    LdrpData.Initialized = TRUE;
    status = LdrpRunInitializers((PVOID)1, &failed);
    if (!NT_SUCCESS(status)) LdrpFailProcess("a DLL's initialization", status);
    LdrpCallTlsCallbacks(LdrpImageEntry, DLL_PROCESS_ATTACH);
    LdrpImageEntry->Flags |= LDRP_PROCESS_ATTACH_CALLED;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

static VOID LdrpInitializeThread(VOID)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
    NTSTATUS status = LdrpAllocateTls();
    if (NT_SUCCESS(status)) LdrpThreadAttach();
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    if (!NT_SUCCESS(status)) {
        DbgPrint("LDR: thread initialization failed, status 0x%08lx\n", (unsigned long)status);
        NtTerminateThread(NtCurrentThread(), status);
    }
}

VOID NTAPI LdrInitializeThunk(PCONTEXT Context, PVOID NtdllBase)
{
    /* PEB.Ldr is set only once the first thread has built the module list; the kernel starts no
     * other thread of the process before that thread has run (it creates them). */
    if (NtCurrentPeb()->Ldr == NULL) LdrpInitializeProcess(Context, NtdllBase);
    else LdrpInitializeThread();
    /* TestAlert: user APCs queued before the thread started run now, before its start routine. */
    NTSTATUS status = NtContinue(Context, TRUE);
    LdrpFailProcess("NtContinue", status);
}
