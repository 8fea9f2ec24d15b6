/*
 * sysdll.c - the system DLL. ntdll.dll is mapped by the kernel itself into every process created
 * from an image, at its preferred base, because the kernel sends user-mode threads into it: every
 * new thread starts at LdrInitializeThunk, every user exception at KiUserExceptionDispatcher, every
 * user APC at KiUserApcDispatcher, and
 * the threads the kernel creates (the initial process's) at RtlUserThreadStart. At boot (phase 1,
 * once C: is mounted) Ps makes one image section of \SystemRoot\System32\ntdll.dll, keeps it for
 * the life of the system, and reads those entry points from its export table.
 *
 * With it Ps makes \KnownDlls: a permanent, named image section of each system DLL every Win32
 * process loads (NT's smss makes them, from the registry's KnownDLLs list). The loader maps a
 * DLL named there straight from its section - no search of the path, no file opened, no section
 * created - which is most of what loading it cost. Like NT's, a known DLL's file stays in use
 * (it cannot be replaced) while the system runs.
 */
#include "psp.h"
#include "io.h"
#include "pe.h"

#define PSP_SYSTEM_DLL_PATH u"\\SystemRoot\\System32\\ntdll.dll"

static PSECTION_OBJECT PspSystemDllSection;
static ULONG PspSystemDllBase;
PVOID PspRtlUserThreadStart;

static NTSTATUS PspCreateNamedImageSection(PCWSTR Path, POBJECT_ATTRIBUTES SectionAttributes, PHANDLE Section);

/* An image section of the file at Path (kernel handle). */
NTSTATUS PspCreateImageSection(PCWSTR Path, PHANDLE Section)
{
    return PspCreateNamedImageSection(Path, NULL, Section);
}

static NTSTATUS PspCreateNamedImageSection(PCWSTR Path, POBJECT_ATTRIBUTES SectionAttributes, PHANDLE Section)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE file;
    RtlInitUnicodeString(&name, Path);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwOpenFile(&file, FILE_READ_DATA | FILE_EXECUTE | SYNCHRONIZE, &oa, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_DELETE,
                                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(status)) return status;
    status = ZwCreateSection(Section, SECTION_ALL_ACCESS, SectionAttributes, NULL, PAGE_EXECUTE, SEC_IMAGE, file);
    ZwClose(file);
    return status;
}

/* A + B into Out (Chars wide characters with the terminator; both are short constants here). */
static VOID PspJoin(PWSTR Out, ULONG Chars, PCWSTR A, PCWSTR B)
{
    ULONG n = 0;
    for (; *A && n + 1 < Chars; A++) Out[n++] = *A;
    for (; *B && n + 1 < Chars; B++) Out[n++] = *B;
    Out[n] = 0;
}

/* The system DLLs of \KnownDlls (file names in System32, and the sections' names). */
static const PCWSTR PspKnownDlls[] = { u"kernel32.dll", u"msvcrt.dll" };

/* \KnownDlls and a permanent section in it for each known DLL that is there; one that is missing
 * or bad is just not known (the loader then searches for it as for any DLL). */
static VOID PspCreateKnownDlls(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\KnownDlls");
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwCreateDirectoryObject(&h, DIRECTORY_ALL_ACCESS, &oa);
    if (!NT_SUCCESS(status)) {
        DbgPrint("PS: no \\KnownDlls (status %08lx)\n", (unsigned long)status);
        return;
    }
    ZwClose(h);
    for (ULONG i = 0; i < ARRAYSIZE(PspKnownDlls); i++) {
        WCHAR path[64], section[64];
        UNICODE_STRING sectionName;
        PspJoin(path, ARRAYSIZE(path), u"\\SystemRoot\\System32\\", PspKnownDlls[i]);
        PspJoin(section, ARRAYSIZE(section), u"\\KnownDlls\\", PspKnownDlls[i]);
        RtlInitUnicodeString(&sectionName, section);
        InitializeObjectAttributes(&oa, &sectionName, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
                                   NULL);
        status = PspCreateNamedImageSection(path, &oa, &h);
        if (NT_SUCCESS(status)) ZwClose(h);
        else DbgPrint("PS: known DLL %lu is not there (status %08lx)\n", (unsigned long)i, (unsigned long)status);
    }
}

/* Looks the kernel's three entry points up in a copy of the image's mapped form. */
static NTSTATUS PspFindSystemDllEntryPoints(PSECTION_OBJECT Section)
{
    static const PCSTR names[4] = { "LdrInitializeThunk", "KiUserExceptionDispatcher", "KiUserApcDispatcher",
                                    "RtlUserThreadStart" };
    PVOID *targets[4] = { &KeLdrInitializeThunk, &KeUserExceptionDispatcher, &KeUserApcDispatcher,
                          &PspRtlUserThreadStart };
    ULONG size = (ULONG)Section->SizeOfSection.QuadPart;
    PUCHAR copy = ExAllocatePoolWithTag(PagedPool, size, PSP_PROCESS_TAG);
    if (copy == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    RTL_IMAGE_INFO info;
    RTL_IMAGE_EXPORTS exports;
    NTSTATUS status = MmCopyFromImageSection(Section, 0, copy, size);
    if (NT_SUCCESS(status)) status = RtlValidateMappedImage(copy, size, &info);
    if (NT_SUCCESS(status)) status = RtlImageExports(&info, &exports);
    for (ULONG i = 0; i < ARRAYSIZE(names) && NT_SUCCESS(status); i++) {
        RTL_IMAGE_EXPORT e;
        status = RtlImageExportByName(&info, &exports, names[i], 0, &e);
        if (NT_SUCCESS(status) && e.Forwarder) status = STATUS_INVALID_IMAGE_FORMAT;
        if (NT_SUCCESS(status)) *targets[i] = (PVOID)(info.ImageBase + e.Rva);
        else DbgPrint("PS: ntdll.dll has no export %s (status %08lx)\n", names[i], (unsigned long)status);
    }
    if (NT_SUCCESS(status)) PspSystemDllBase = info.ImageBase;
    ExFreePoolWithTag(copy, PSP_PROCESS_TAG);
    return status;
}

/* Phase 1: FALSE (and a debug line) if there is no usable ntdll; processes then cannot be
 * created from images, and the rest of the system runs on. */
BOOLEAN PsInitializeSystemDll(VOID)
{
    HANDLE h;
    PSECTION_OBJECT section;
    NTSTATUS status = PspCreateImageSection(PSP_SYSTEM_DLL_PATH, &h);
    if (NT_SUCCESS(status)) {
        status = ObReferenceObjectByHandle(h, SECTION_MAP_EXECUTE, MmSectionObjectType, KernelMode,
                                           (PVOID *)&section, NULL);
        ZwClose(h);
    }
    if (NT_SUCCESS(status)) {
        status = PspFindSystemDllEntryPoints(section);
        if (NT_SUCCESS(status)) PspSystemDllSection = section;
        else ObDereferenceObject(section);
    }
    if (NT_SUCCESS(status)) PspCreateKnownDlls();
    if (!NT_SUCCESS(status)) {
        KeLdrInitializeThunk = KeUserExceptionDispatcher = KeUserApcDispatcher = PspRtlUserThreadStart = NULL;
        DbgPrint("PS: no system DLL (\\SystemRoot\\System32\\ntdll.dll: status %08lx); processes cannot be "
                 "created from images\n", (unsigned long)status);
        return FALSE;
    }
    return TRUE;
}

/* Maps ntdll into Process (attached) at its base: it must be there, the kernel's pointers into
 * it are absolute. */
NTSTATUS PspMapSystemDll(PEPROCESS Process)
{
    if (PspSystemDllSection == NULL) return STATUS_DLL_NOT_FOUND;
    PVOID base = NULL;
    SIZE_T size = 0;
    NTSTATUS status = MmMapViewOfSection(PspSystemDllSection, &Process->Pcb, &base, 0, 0, NULL, &size,
                                         ViewShare, 0, PAGE_EXECUTE_WRITECOPY);
    if (status == STATUS_IMAGE_NOT_AT_BASE) {
        MmUnmapViewOfSection(&Process->Pcb, base);
        return STATUS_CONFLICTING_ADDRESSES;
    }
    if (NT_SUCCESS(status)) Process->Pcb.SystemDllMapped = TRUE;
    return status;
}

PVOID PspSystemDllImageBase(VOID)
{
    return (PVOID)PspSystemDllBase;
}
