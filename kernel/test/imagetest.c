/*
 * imagetest.c - self-tests of image sections (mm/imagesect.c) on PE files the build made with
 * MinGW (tests/images) and the system test put in C:\Tests: NtCreateSection(SEC_IMAGE) and
 * NtQuerySection against the file's own headers, views in two processes (the preferred base in
 * the first, STATUS_IMAGE_NOT_AT_BASE where it is taken), code pages shared frame for frame,
 * .data private after a write, the SHARED section shared, per-page protections and MEM_IMAGE in
 * NtQueryVirtualMemory, malformed files refused with the PE parser's own status, the image cache
 * (a segment kept after its last section, dropped by the memory-pressure purge), and pages, pool
 * and commit back to their baseline. Without the files (an ordinary boot) the tests have nothing
 * to do, unless "fs=required" says they must be there.
 */
#include "ps.h"
#include "ob.h"
#include "io.h"
#include "mm.h"
#include "pe.h"
#include "ke.h"
#include "kd.h"
#include "rtl.h"
#include "svc.h"
#include "arc.h"
#include "ntstatus.h"
#include "boottest.h"
#include "../mm/mi.h"

#define TAG_IMGTEST POOL_TAG('I', 'm', 'T', 's')
#define DATA_MAGIC   0x5EC7DA7Au       /* tests/images/shared.c: data_value */
#define SHARED_MAGIC 0x5AA4ED01u       /* tests/images/shared.c: shared_value */

static NTSTATUS TstOpen(PCWSTR Name, HANDLE *File)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    RtlInitUnicodeString(&us, Name);
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return ZwCreateFile(File, FILE_READ_DATA | FILE_EXECUTE | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                        FILE_SHARE_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* The whole file, for the test's own look at the headers (freed by the caller). */
static PUCHAR TstReadAll(HANDLE File, PULONG Size)
{
    IO_STATUS_BLOCK iosb;
    FILE_STANDARD_INFORMATION si;
    if (!NT_SUCCESS(ZwQueryInformationFile(File, &iosb, &si, sizeof(si), FileStandardInformation))) return NULL;
    *Size = (ULONG)si.EndOfFile.QuadPart;
    PUCHAR buffer = ExAllocatePoolWithTag(NonPagedPool, *Size + 1, TAG_IMGTEST);
    LARGE_INTEGER offset = { .QuadPart = 0 };
    if (buffer && *Size &&
        (!NT_SUCCESS(ZwReadFile(File, NULL, NULL, NULL, &iosb, buffer, *Size, &offset, NULL)) ||
         iosb.Information != *Size)) {
        ExFreePoolWithTag(buffer, TAG_IMGTEST);
        return NULL;
    }
    return buffer;
}

/* Is the test file there? Its absence fails only boots that say "fs=required". */
static PCSTR TstNeedFile(PCWSTR Name, HANDLE *File, BOOLEAN *Present)
{
    char value[16];
    *Present = NT_SUCCESS(TstOpen(Name, File));
    if (*Present) return NULL;
    if (KeGetBootOption("fs", value, sizeof(value))) return "test image missing from C:\\Tests";
    DbgPrint("  no test images on C: in this boot: nothing to test\n");
    return NULL;
}

#define NEED_FILE(name, h) do { BOOLEAN present; PCSTR missing = TstNeedFile(name, h, &present); \
                                if (missing || !present) return missing; } while (0)

/* A process with an address space and no thread: views are mapped and touched while attached. */
typedef struct { HANDLE Handle; PEPROCESS Process; } TST_PROCESS;
static BOOLEAN TstCreateProcess(TST_PROCESS *P)
{
    P->Process = NULL;
    if (!NT_SUCCESS(ZwCreateProcessEx(&P->Handle, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0, NULL, NULL,
                                      NULL, 0)))
        return FALSE;
    return NT_SUCCESS(ObReferenceObjectByHandle(P->Handle, PROCESS_VM_OPERATION, PsProcessType, KernelMode,
                                                (PVOID *)&P->Process, NULL));
}
static void TstDeleteProcess(TST_PROCESS *P)
{
    if (P->Process) ObDereferenceObject(P->Process);
    if (P->Handle) ObCloseHandle(P->Handle, KernelMode);
}

static ULONG Peek(ULONG_PTR Va, NTSTATUS *Status)
{
    ULONG v = 0xFFFFFFFF;
    *Status = KeCopyFromUser(&v, (PVOID)Va, sizeof(v));
    return v;
}
static NTSTATUS Poke(ULONG_PTR Va, ULONG Value) { return KeCopyToUser((PVOID)Va, &Value, sizeof(Value)); }

/* The frame behind Va in the current address space, after a touch makes it resident. */
static ULONG PhysicalOf(ULONG_PTR Va)
{
    NTSTATUS st;
    Peek(Va, &st);
    return NT_SUCCESS(st) ? MmGetPhysicalAddress((PVOID)Va) & ~(PAGE_SIZE - 1) : 0;
}

static BOOLEAN QueryImagePage(ULONG_PTR Va, ULONG_PTR Base, ULONG Protect)
{
    MEMORY_BASIC_INFORMATION m;
    if (NT_SUCCESS(MmQueryVirtualMemory((PVOID)Va, &m)) && (ULONG_PTR)m.BaseAddress == Va &&
        (ULONG_PTR)m.AllocationBase == Base && m.AllocationProtect == PAGE_EXECUTE_WRITECOPY &&
        m.State == MEM_COMMIT && m.Protect == Protect && m.Type == MEM_IMAGE && m.RegionSize >= PAGE_SIZE)
        return TRUE;
    DbgPrint("  query %08lx: alloc %08lx/%lx size %lx state %lx prot %lx (want %lx) type %lx\n",
             (unsigned long)Va, (unsigned long)m.AllocationBase, (unsigned long)m.AllocationProtect,
             (unsigned long)m.RegionSize, (unsigned long)m.State, (unsigned long)m.Protect, (unsigned long)Protect,
             (unsigned long)m.Type);
    return FALSE;
}

/* The RVA of a section by name, and of a 32-bit magic value inside its file data. */
static BOOLEAN FindSection(const RTL_IMAGE_INFO *Info, PCSTR Name, PIMAGE_SECTION_HEADER Sh)
{
    CHAR want[IMAGE_SIZEOF_SHORT_NAME] = { 0 };
    for (ULONG i = 0; Name[i] && i < IMAGE_SIZEOF_SHORT_NAME; i++) want[i] = Name[i];
    for (ULONG i = 0; NT_SUCCESS(RtlImageSection(Info, i, Sh)); i++)
        if (RtlCompareMemory(Sh->Name, want, IMAGE_SIZEOF_SHORT_NAME) == IMAGE_SIZEOF_SHORT_NAME) return TRUE;
    return FALSE;
}
static ULONG FindMagic(const UCHAR *File, const IMAGE_SECTION_HEADER *Sh, ULONG Magic)
{
    for (ULONG o = 0; o + 4 <= Sh->SizeOfRawData; o += 4) {
        ULONG v;
        RtlCopyMemory(&v, File + Sh->PointerToRawData + o, 4);
        if (v == Magic) return Sh->VirtualAddress + o;
    }
    return 0;
}

static NTSTATUS CreateImageSection(HANDLE File, HANDLE *Section)
{
    return ZwCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
}

/* NtQuerySection's two classes against the headers the test reads itself. */
static PCSTR CheckQuery(HANDLE Section, const RTL_IMAGE_INFO *Fi, ULONG FileSize)
{
    SECTION_IMAGE_INFORMATION sii;
    SECTION_BASIC_INFORMATION sbi;
    SIZE_T len = 0;
    CHECK(ZwQuerySection(Section, SectionImageInformation, &sii, sizeof(sii), &len) == STATUS_SUCCESS &&
          len == sizeof(sii), "query image information");
    CHECK((ULONG_PTR)sii.TransferAddress == Fi->ImageBase + Fi->EntryPoint, "TransferAddress");
    CHECK(sii.MaximumStackSize == Fi->SizeOfStackReserve && sii.CommittedStackSize == Fi->SizeOfStackCommit,
          "stack sizes");
    CHECK(sii.SubSystemType == Fi->Subsystem && sii.SubSystemMajorVersion == Fi->MajorSubsystemVersion &&
          sii.SubSystemMinorVersion == Fi->MinorSubsystemVersion, "subsystem");
    CHECK(sii.ImageCharacteristics == Fi->Characteristics && sii.DllCharacteristics == Fi->DllCharacteristics &&
          sii.Machine == IMAGE_FILE_MACHINE_I386, "characteristics or machine");
    CHECK(sii.ImageContainsCode && sii.ImageFileSize == FileSize && sii.CheckSum == Fi->CheckSum && sii.ZeroBits == 0,
          "code, file size or checksum");
    CHECK(ZwQuerySection(Section, SectionImageInformation, &sii, sizeof(sii) - 1, NULL) == STATUS_INFO_LENGTH_MISMATCH,
          "short buffer");
    CHECK(ZwQuerySection(Section, SectionBasicInformation, &sbi, sizeof(sbi), &len) == STATUS_SUCCESS &&
          len == sizeof(sbi) && sbi.AllocationAttributes == (SEC_IMAGE | SEC_FILE) && sbi.BaseAddress == NULL &&
          sbi.MaximumSize.QuadPart == ROUND_TO_PAGES(Fi->SizeOfImage), "basic information");
    CHECK(ZwQuerySection(Section, (SECTION_INFORMATION_CLASS)7, &sbi, sizeof(sbi), NULL) == STATUS_INVALID_INFO_CLASS,
          "bad class");
    return NULL;
}

typedef struct {
    ULONG Text, Data, Shared, Bss;        /* RVAs */
} TST_LAYOUT;

/* In A (at the preferred base): per-page protections, the file's bytes, then writes. */
static PCSTR TouchFirst(ULONG_PTR Base, const TST_LAYOUT *L, PULONG CodeFrame, PULONG DataFrame)
{
    NTSTATUS st;
    CHECK(QueryImagePage(Base, Base, PAGE_READONLY), "headers not read-only MEM_IMAGE");
    CHECK(QueryImagePage(Base + L->Text, Base, PAGE_EXECUTE_READ), ".text not PAGE_EXECUTE_READ");
    CHECK(QueryImagePage(Base + (L->Data & ~0xFFFu), Base, PAGE_WRITECOPY), ".data not PAGE_WRITECOPY");
    CHECK(QueryImagePage(Base + (L->Shared & ~0xFFFu), Base, PAGE_READWRITE), ".shared not PAGE_READWRITE");
    CHECK(QueryImagePage(Base + (L->Bss & ~0xFFFu), Base, PAGE_WRITECOPY), ".bss not PAGE_WRITECOPY");
    CHECK((Peek(Base, &st) & 0xFFFF) == IMAGE_DOS_SIGNATURE && NT_SUCCESS(st), "no MZ at the view's base");
    CHECK(Peek(Base + L->Data, &st) == DATA_MAGIC, ".data not at its RVA");
    CHECK(Peek(Base + L->Shared, &st) == SHARED_MAGIC, ".shared not at its RVA");
    CHECK(Peek(Base + L->Bss, &st) == 0 && NT_SUCCESS(st), ".bss not zero");
    *CodeFrame = PhysicalOf(Base + L->Text);
    *DataFrame = PhysicalOf(Base + L->Data);
    CHECK(Poke(Base + L->Data, 0x11111111) == STATUS_SUCCESS, "write .data");
    CHECK(Poke(Base + L->Shared, 0x22222222) == STATUS_SUCCESS, "write .shared");
    CHECK(Poke(Base + L->Text, 0x90909090) == STATUS_ACCESS_VIOLATION, "code page writable");
    CHECK(PhysicalOf(Base + L->Data) != *DataFrame, "written .data page still the shared frame");
    CHECK(QueryImagePage(Base + (L->Data & ~0xFFFu), Base, PAGE_READWRITE), "copied .data page not PAGE_READWRITE");
    return NULL;
}

/* In B (elsewhere): the same code frame, the file's .data, A's write to .shared. */
static PCSTR TouchSecond(ULONG_PTR Base, const TST_LAYOUT *L, ULONG CodeFrame, ULONG DataFrame)
{
    NTSTATUS st;
    CHECK(QueryImagePage(Base + L->Text, Base, PAGE_EXECUTE_READ), ".text protection in the second view");
    CHECK(PhysicalOf(Base + L->Text) == CodeFrame && CodeFrame != 0, "code page not the same frame");
    CHECK(Peek(Base + L->Data, &st) == DATA_MAGIC, "a write to .data seen by the other process");
    CHECK(PhysicalOf(Base + L->Data) == DataFrame, ".data not the image's frame before a write");
    CHECK(Peek(Base + L->Shared, &st) == 0x22222222, "a write to .shared not seen by the other process");
    CHECK(Poke(Base + L->Shared, 0x33333333) == STATUS_SUCCESS, "write .shared back");
    return NULL;
}

/* In B, reprotecting as NT does it for images: PAGE_READWRITE on code means copy-on-write (the
 * shared code frame is never written), on the SHARED section plain read-write. *TextWord is the
 * code's first word, which A must still read after B's write. */
static PCSTR ReprotectSecond(ULONG_PTR Base, const TST_LAYOUT *L, ULONG CodeFrame, PULONG TextWord)
{
    NTSTATUS st;
    ULONG old, committed = MmTotalCommittedPages;
    PVOID va = (PVOID)(Base + L->Text);
    SIZE_T size = 4;
    *TextWord = Peek(Base + L->Text, &st);
    CHECK(MmProtectVirtualMemory(&va, &size, PAGE_READWRITE, &old) == STATUS_SUCCESS && old == PAGE_EXECUTE_READ &&
          size == PAGE_SIZE, "PAGE_READWRITE on a code page");
    CHECK(QueryImagePage(Base + L->Text, Base, PAGE_WRITECOPY), "code page asked read-write not PAGE_WRITECOPY");
    CHECK(MmTotalCommittedPages == committed + 1, "the page that may be copied not charged");
    CHECK(PhysicalOf(Base + L->Text) == CodeFrame, "reprotecting copied the page before a write");
    CHECK(Poke(Base + L->Text, ~*TextWord) == STATUS_SUCCESS, "write to the reprotected code page");
    CHECK(PhysicalOf(Base + L->Text) != CodeFrame, "the write went to the shared code frame");
    CHECK(QueryImagePage(Base + L->Text, Base, PAGE_READWRITE), "written code page not PAGE_READWRITE");
    va = (PVOID)Base;
    size = 1;
    CHECK(MmProtectVirtualMemory(&va, &size, PAGE_EXECUTE_READWRITE, &old) == STATUS_SUCCESS && old == PAGE_READONLY,
          "PAGE_EXECUTE_READWRITE on the headers");
    CHECK(QueryImagePage(Base, Base, PAGE_EXECUTE_WRITECOPY), "headers asked execute-read-write not EXECUTE_WRITECOPY");
    ULONG shared = PhysicalOf(Base + L->Shared);
    va = (PVOID)(Base + L->Shared);
    size = 4;
    CHECK(MmProtectVirtualMemory(&va, &size, PAGE_READWRITE, &old) == STATUS_SUCCESS && old == PAGE_READWRITE &&
          QueryImagePage(Base + (L->Shared & ~0xFFFu), Base, PAGE_READWRITE), ".shared reprotected read-write");
    CHECK(MmTotalCommittedPages == committed + 2, "charges: one per page made copy-on-write");
    CHECK(Poke(Base + L->Shared, 0x33333333) == STATUS_SUCCESS && PhysicalOf(Base + L->Shared) == shared,
          ".shared no longer the shared frame");
    return NULL;
}

static PCSTR TestImageViews(void)
{
    HANDLE file, section = NULL;
    ULONG size;
    RTL_IMAGE_INFO fi;
    IMAGE_SECTION_HEADER sh;
    TST_LAYOUT l;
    TST_PROCESS a = { 0 }, b = { 0 };
    TST_BASELINE base;
    PCSTR why = NULL;
    NEED_FILE(u"\\??\\C:\\Tests\\shared.dll", &file);
    PUCHAR image = TstReadAll(file, &size);
    if (image == NULL) why = "read shared.dll";
    else if (RtlValidateImageFile(image, size, &fi) != STATUS_SUCCESS) why = "shared.dll invalid to the parser";
    else if (!FindSection(&fi, ".text", &sh) || (l.Text = sh.VirtualAddress) == 0) why = "no .text";
    else if (!FindSection(&fi, ".data", &sh) || (l.Data = FindMagic(image, &sh, DATA_MAGIC)) == 0) why = "no .data";
    else if (!FindSection(&fi, ".shared", &sh) || (l.Shared = FindMagic(image, &sh, SHARED_MAGIC)) == 0 ||
             !(sh.Characteristics & IMAGE_SCN_MEM_SHARED)) why = "no IMAGE_SCN_MEM_SHARED .shared";
    else if (!FindSection(&fi, ".bss", &sh) || (l.Bss = sh.VirtualAddress) == 0) why = "no .bss";
    else if (!TstCreateProcess(&a) || !TstCreateProcess(&b)) why = "processes";
    if (!why) {
        /* B's preferred base is taken, before the baseline. */
        PVOID taken = (PVOID)fi.ImageBase;
        SIZE_T takenSize = MM_ALLOCATION_GRANULARITY;
        KeAttachProcess(&b.Process->Pcb);
        if (MmAllocateVirtualMemory(&taken, 0, &takenSize, MEM_RESERVE, PAGE_READWRITE) != STATUS_SUCCESS)
            why = "reserve B's preferred base";
        KeDetachProcess();
    }
    if (!why) {
        TstTakeBaseline(&base);
        PVOID va = NULL, vb = NULL;
        SIZE_T sa = 0, sb = 0;
        ULONG code = 0, data = 0, textWord = 0;
        NTSTATUS st;
        if (CreateImageSection(file, &section) != STATUS_SUCCESS) why = "create the image section";
        if (!why) why = CheckQuery(section, &fi, size);
        if (!why && ((st = ZwMapViewOfSection(section, a.Handle, &va, 0, 0, NULL, &sa, ViewShare, 0, PAGE_READWRITE)) !=
                         STATUS_SUCCESS || (ULONG_PTR)va != fi.ImageBase || sa != ROUND_TO_PAGES(fi.SizeOfImage))) {
            DbgPrint("  map in A: %08lx at %p size %lx\n", (unsigned long)st, va, (unsigned long)sa);
            why = "first view not at the preferred base";
        }
        if (!why && ((st = ZwMapViewOfSection(section, b.Handle, &vb, 0, 0, NULL, &sb, ViewShare, 0,
                                              PAGE_EXECUTE_WRITECOPY)) != STATUS_IMAGE_NOT_AT_BASE ||
                     vb == NULL || (ULONG_PTR)vb == fi.ImageBase || sb != sa)) {
            DbgPrint("  map in B: %08lx at %p\n", (unsigned long)st, vb);
            why = "second view not STATUS_IMAGE_NOT_AT_BASE elsewhere";
        }
        if (!why) {
            KeAttachProcess(&a.Process->Pcb);
            why = TouchFirst((ULONG_PTR)va, &l, &code, &data);
            KeDetachProcess();
        }
        if (!why) {
            KeAttachProcess(&b.Process->Pcb);
            why = TouchSecond((ULONG_PTR)vb, &l, code, data);
            if (!why) why = ReprotectSecond((ULONG_PTR)vb, &l, code, &textWord);
            KeDetachProcess();
        }
        if (!why) {
            KeAttachProcess(&a.Process->Pcb);
            if (Peek((ULONG_PTR)va + l.Shared, &st) != 0x33333333) why = ".shared write from B not seen in A";
            else if (Peek((ULONG_PTR)va + l.Data, &st) != 0x11111111) why = "A's private .data lost";
            else if (Peek((ULONG_PTR)va + l.Text, &st) != textWord) why = "B's write to its code seen in A";
            KeDetachProcess();
        }
        /* The section handle goes first: the views keep the image alive. */
        if (section && ZwClose(section) != STATUS_SUCCESS) why = why ? why : "close section";
        if (va && ZwUnmapViewOfSection(a.Handle, va) != STATUS_SUCCESS) why = why ? why : "unmap A";
        if (vb && ZwUnmapViewOfSection(b.Handle, vb) != STATUS_SUCCESS) why = why ? why : "unmap B";
        if (!why && ZwUnmapViewOfSection(a.Handle, va) != STATUS_NOT_MAPPED_VIEW) why = "unmapped twice";
        if (!why && !TstAtBaseline(&base)) why = "image pages, pool or commit not back to baseline";
    }
    TstDeleteProcess(&a);
    TstDeleteProcess(&b);
    if (image) ExFreePoolWithTag(image, TAG_IMGTEST);
    ObCloseHandle(file, KernelMode);
    return why;
}

/* The EXE: its headers through NtQuerySection, and a view at its base 0x400000. */
static PCSTR TestImageExe(void)
{
    HANDLE file, section;
    ULONG size;
    RTL_IMAGE_INFO fi;
    TST_PROCESS p = { 0 };
    PCSTR why = NULL;
    NEED_FILE(u"\\??\\C:\\Tests\\hello.exe", &file);
    PUCHAR image = TstReadAll(file, &size);
    if (image == NULL || RtlValidateImageFile(image, size, &fi) != STATUS_SUCCESS) why = "hello.exe unreadable";
    else if (CreateImageSection(file, &section) != STATUS_SUCCESS) why = "create the EXE's section";
    else {
        SECTION_IMAGE_INFORMATION sii;
        why = CheckQuery(section, &fi, size);
        if (!why && (ZwQuerySection(section, SectionImageInformation, &sii, sizeof(sii), NULL) != STATUS_SUCCESS ||
                     sii.SubSystemType != IMAGE_SUBSYSTEM_NATIVE || (sii.ImageCharacteristics & IMAGE_FILE_DLL) ||
                     (ULONG_PTR)sii.TransferAddress != 0x401000 || sii.MaximumStackSize != 0x100000 ||
                     sii.CommittedStackSize != 0x2000))
            why = "EXE image information differs from how it was linked";
        PVOID va = NULL;
        SIZE_T vs = 0;
        if (!why && !TstCreateProcess(&p)) why = "process";
        if (!why && (ZwMapViewOfSection(section, p.Handle, &va, 0, 0, NULL, &vs, ViewShare, 0, PAGE_READWRITE) !=
                         STATUS_SUCCESS || (ULONG_PTR)va != 0x400000))
            why = "EXE view not at 0x400000";
        if (va) {
            KeAttachProcess(&p.Process->Pcb);
            if (!why && !QueryImagePage(0x401000, 0x400000, PAGE_EXECUTE_READ)) why = "EXE entry page protection";
            KeDetachProcess();
            ZwUnmapViewOfSection(p.Handle, va);
        }
        ZwClose(section);
    }
    TstDeleteProcess(&p);
    if (image) ExFreePoolWithTag(image, TAG_IMGTEST);
    ObCloseHandle(file, KernelMode);
    return why;
}

/* Whether the file behind Handle has an image segment attached (cached or in use). */
static BOOLEAN TstHasImageSegment(HANDLE File)
{
    PFILE_OBJECT fo;
    if (!NT_SUCCESS(ObReferenceObjectByHandle(File, 0, IoFileObjectType, KernelMode, (PVOID *)&fo, NULL))) return FALSE;
    BOOLEAN attached = fo->SectionObjectPointer && fo->SectionObjectPointer->ImageSectionObject;
    ObDereferenceObject(fo);
    return attached;
}

/* The image cache: a segment outlives its last section (so the next section of the file finds it),
 * the purge that memory pressure runs drops it and gives its pages back, and a section made after
 * that builds the image again. */
static PCSTR TestImageCache(void)
{
    HANDLE file, section;
    TST_BASELINE before;
    NEED_FILE(u"\\??\\C:\\Tests\\hello.exe", &file);
    MiPurgeImageCache();                               /* start from an empty cache */
    TstTakeBaseline(&before);
    PCSTR why = NULL;
    if (CreateImageSection(file, &section) != STATUS_SUCCESS) why = "create the section";
    else ZwClose(section);
    if (!why && !TstHasImageSegment(file)) why = "the segment did not stay cached after its section";
    if (!why && CreateImageSection(file, &section) != STATUS_SUCCESS) why = "a section from the cached segment";
    else if (!why) ZwClose(section);
    ULONG freed = why ? 0 : MiPurgeImageCache();
    if (!why && freed == 0) why = "the purge freed nothing";
    if (!why && TstHasImageSegment(file)) why = "the purge left the segment attached";
    if (!why && !TstAtBaseline(&before)) why = "pages, commit or pool not back after the purge";
    if (!why && CreateImageSection(file, &section) != STATUS_SUCCESS) why = "a section after the purge";
    else if (!why) ZwClose(section);
    MiPurgeImageCache();
    ObCloseHandle(file, KernelMode);
    return why;
}

/* Broken files: the section gets exactly the status the parser gives the same bytes. */
static PCSTR TestBadImages(void)
{
    static const struct { PCWSTR Name; NTSTATUS Expected; } bad[] = {
        { u"\\??\\C:\\Tests\\notmz.dll", STATUS_INVALID_IMAGE_NOT_MZ },
        { u"\\??\\C:\\Tests\\text.txt", STATUS_INVALID_IMAGE_NOT_MZ },
        { u"\\??\\C:\\Tests\\empty.dll", STATUS_INVALID_IMAGE_NOT_MZ },
        { u"\\??\\C:\\Tests\\trunc.dll", 0 },        /* 0: whatever the parser says, as long as it fails */
        { u"\\??\\C:\\Tests\\dosonly.exe", STATUS_INVALID_IMAGE_PROTECT },
    };
    TST_BASELINE base;
    HANDLE file, section;
    ULONG size;
    RTL_IMAGE_INFO fi;
    NEED_FILE(bad[0].Name, &file);
    ObCloseHandle(file, KernelMode);
    for (ULONG i = 0; i < ARRAYSIZE(bad); i++) {
        CHECK(NT_SUCCESS(TstOpen(bad[i].Name, &file)), "a malformed test file is missing");
        PUCHAR bytes = TstReadAll(file, &size);
        NTSTATUS parser = bytes ? RtlValidateImageFile(bytes, size, &fi) : STATUS_NO_MEMORY;
        if (bytes) ExFreePoolWithTag(bytes, TAG_IMGTEST);
        TstTakeBaseline(&base);
        NTSTATUS st = CreateImageSection(file, &section);
        if (NT_SUCCESS(st)) ZwClose(section);
        ObCloseHandle(file, KernelMode);
        if (st != parser || NT_SUCCESS(st) || (bad[i].Expected && st != bad[i].Expected)) {
            DbgPrint("  bad file %lu: section %08lx, parser %08lx, expected %08lx\n", (unsigned long)i, (unsigned long)st,
                     (unsigned long)parser, (unsigned long)bad[i].Expected);
            return "a malformed image got the wrong status";
        }
        CHECK(TstAtBaseline(&base), "a refused image left pages, pool or commit behind");
    }
    /* A user-mode caller's handle must grant FILE_READ_DATA (checked in its mode: the kernel's own
     * reads of the file check nothing). A handle of this process's table, not a kernel handle. */
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    SECTION_OBJECT local;
    RtlInitUnicodeString(&us, u"\\??\\C:\\Tests\\shared.dll");
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK(ZwCreateFile(&file, FILE_READ_ATTRIBUTES | SYNCHRONIZE, &oa, &iosb, NULL, 0, FILE_SHARE_READ, FILE_OPEN,
                       FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0) == STATUS_SUCCESS,
          "open without read access");
    RtlZeroMemory(&local, sizeof(local));
    NTSTATUS denied = MmInitializeImageSection(&local, file, UserMode, PAGE_EXECUTE);
    ObCloseHandle(file, KernelMode);
    CHECK(denied == STATUS_ACCESS_DENIED && local.Segment == NULL, "image section from a handle without FILE_READ_DATA");

    /* The argument checks of NtCreateSection and NtQuerySection for images. */
    CHECK(ZwCreateSection(&section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, NULL) ==
          STATUS_INVALID_PARAMETER_6, "SEC_IMAGE without a file");
    LARGE_INTEGER max = { .QuadPart = PAGE_SIZE };
    CHECK(ZwCreateSection(&section, SECTION_ALL_ACCESS, NULL, &max, PAGE_READWRITE, SEC_COMMIT, NULL) ==
          STATUS_SUCCESS, "page-file section");
    SECTION_IMAGE_INFORMATION sii;
    SECTION_BASIC_INFORMATION sbi;
    NTSTATUS notImage = ZwQuerySection(section, SectionImageInformation, &sii, sizeof(sii), NULL);
    NTSTATUS basic = ZwQuerySection(section, SectionBasicInformation, &sbi, sizeof(sbi), NULL);
    ZwClose(section);
    CHECK(notImage == STATUS_SECTION_NOT_IMAGE, "image information of a page-file section");
    CHECK(basic == STATUS_SUCCESS && sbi.AllocationAttributes == SEC_COMMIT && sbi.MaximumSize.QuadPart == PAGE_SIZE,
          "basic information of a page-file section");
    return NULL;
}

SELFTEST("mm.image.bad", TestBadImages);
SELFTEST("mm.image.exe", TestImageExe);
SELFTEST("mm.image.views", TestImageViews);
SELFTEST("mm.image.cache", TestImageCache);
