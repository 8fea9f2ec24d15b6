/*
 * ldrimport.c - binding a module's imports and finding exports. Each import descriptor's DLL is
 * loaded (a reference the importer holds), then each thunk resolved - by name with the
 * importer's hint, or by ordinal - and written to the IAT, which is made writable only while it
 * is written. Exports that forward ("DLL.Name", "DLL.#N") are followed, loading the target DLL
 * (a reference the forwarding module holds).
 */
#include "ldrp.h"

/* An ASCII name from an image ("x.dll", "x") as a counted UTF-16 string in Buffer. */
static BOOLEAN LdrpAsciiToName(PCSTR Text, ULONG Chars, PUNICODE_STRING Name, PWSTR Buffer, ULONG BufferChars)
{
    if (Chars == 0 || Chars + 1 > BufferChars) return FALSE;
    for (ULONG i = 0; i < Chars; i++) Buffer[i] = (UCHAR)Text[i];
    Buffer[Chars] = 0;
    Name->Buffer = Buffer;
    Name->Length = (USHORT)(Chars * sizeof(WCHAR));
    Name->MaximumLength = (USHORT)((Chars + 1) * sizeof(WCHAR));
    return TRUE;
}

static PCSTR LdrpModuleName(PLDR_DATA_TABLE_ENTRY Module, PCHAR Buffer, ULONG Size)
{
    return LdrpPrintable(&Module->BaseDllName, Buffer, Size);
}

/* Follows a forwarder string from Module's export table. */
static NTSTATUS LdrpFollowForwarder(PLDR_DATA_TABLE_ENTRY Module, PCSTR Forwarder, PVOID *Address, ULONG Depth)
{
    ULONG dllChars, ordinal = 0;
    PCSTR name = NULL;
    WCHAR buffer[LDRP_MAX_NAME_CHARS];
    UNICODE_STRING dllName;
    PLDR_DATA_TABLE_ENTRY target;
    if (Depth >= LDRP_MAX_FORWARD_DEPTH) return STATUS_INVALID_IMAGE_FORMAT;
    NTSTATUS status = RtlSplitForwarder(Forwarder, &dllChars, &name, &ordinal);
    if (!NT_SUCCESS(status)) return status;
    if (!LdrpAsciiToName(Forwarder, dllChars, &dllName, buffer, ARRAYSIZE(buffer)))
        return STATUS_INVALID_IMAGE_FORMAT;
    status = LdrpLoadModule(NULL, &dllName, &target);
    if (!NT_SUCCESS(status)) {
        CHAR who[LDRP_MAX_NAME_CHARS];
        DbgPrint("LDR: the DLL of forwarder %s (exported by %s) not found\n", Forwarder,
                 LdrpModuleName(Module, who, sizeof(who)));
        return status;
    }
    /* The forwarding module keeps the target loaded, once. */
    if (target != Module && !LdrpHasDependency(Module, target)) status = LdrpAddDependency(Module, target);
    else LdrpDereference(target);
    if (!NT_SUCCESS(status)) {
        LdrpDereference(target);
        return status;
    }
    return LdrpGetProcedure(target, name, 0, name ? 0 : ordinal, Address, Depth + 1);
}

/* A module's export table, validated once for many lookups. */
typedef struct _LDRP_EXPORTS {
    PLDR_DATA_TABLE_ENTRY Module;
    RTL_IMAGE_INFO Info;
    RTL_IMAGE_EXPORTS Exports;
    BOOLEAN Present;                    /* FALSE: the image exports nothing */
} LDRP_EXPORTS, *PLDRP_EXPORTS;

static NTSTATUS LdrpOpenExports(PLDR_DATA_TABLE_ENTRY Module, PLDRP_EXPORTS Exports)
{
    Exports->Module = Module;
    Exports->Present = FALSE;
    NTSTATUS status = LdrpImageInfo(Module, &Exports->Info);
    if (NT_SUCCESS(status)) status = RtlImageExports(&Exports->Info, &Exports->Exports);
    if (status == STATUS_NOT_FOUND) return STATUS_SUCCESS;
    Exports->Present = NT_SUCCESS(status);
    return status;
}

static NTSTATUS LdrpResolve(PLDRP_EXPORTS Exports, PCSTR Name, USHORT Hint, ULONG Ordinal, PVOID *Address,
                            ULONG Depth)
{
    RTL_IMAGE_EXPORT e;
    NTSTATUS status, notFound = Name ? STATUS_PROCEDURE_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
    PLDR_DATA_TABLE_ENTRY m = Exports->Module;
    if (!Exports->Present) return notFound;
    if (Name) status = RtlImageExportByName(&Exports->Info, &Exports->Exports, Name, Hint, &e);
    else status = RtlImageExportByOrdinal(&Exports->Info, &Exports->Exports, Ordinal, &e);
    if (!NT_SUCCESS(status)) return status;
    if (e.Forwarder) return LdrpFollowForwarder(m, e.Forwarder, Address, Depth);
    if (e.Rva == 0 || e.Rva >= m->SizeOfImage) return notFound;    /* a gap in the table */
    *Address = (PUCHAR)m->DllBase + e.Rva;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpGetProcedure(PLDR_DATA_TABLE_ENTRY Module, PCSTR Name, USHORT Hint, ULONG Ordinal,
                          PVOID *Address, ULONG Depth)
{
    LDRP_EXPORTS exports;
    NTSTATUS status = LdrpOpenExports(Module, &exports);
    if (!NT_SUCCESS(status)) return status;
    return LdrpResolve(&exports, Name, Hint, Ordinal, Address, Depth);
}

/* A lookup failure as the importer sees it, with the line that names what is missing. */
static NTSTATUS LdrpReportMissing(PLDR_DATA_TABLE_ENTRY Importer, PLDR_DATA_TABLE_ENTRY Exporter,
                                  const RTL_IMAGE_THUNK *Thunk, NTSTATUS Status)
{
    CHAR a[LDRP_MAX_NAME_CHARS], b[LDRP_MAX_NAME_CHARS];
    LdrpModuleName(Importer, a, sizeof(a));
    LdrpModuleName(Exporter, b, sizeof(b));
    if (Status == STATUS_PROCEDURE_NOT_FOUND) {
        DbgPrint("LDR: entry point %s not found in %s (imported by %s)\n", Thunk->Name, b, a);
        return STATUS_ENTRYPOINT_NOT_FOUND;
    }
    if (Status == STATUS_ORDINAL_NOT_FOUND)
        DbgPrint("LDR: ordinal %u not found in %s (imported by %s)\n", (unsigned)Thunk->Ordinal, b, a);
    else
        DbgPrint("LDR: import %s!%s of %s failed, status 0x%08lx\n", b,
                 Thunk->ByOrdinal ? "#" : Thunk->Name, a, (unsigned long)Status);
    return Status;
}

/* The number of thunks of a descriptor: its lookup table's entries up to the zero one, each with
 * its IAT slot inside the image. Only sizes the IAT range made writable; every thunk is then read
 * (and checked) by RtlImageImportThunk, so a bad one still fails the bind. */
static NTSTATUS LdrpCountThunks(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_IMPORT *Import, PULONG Count)
{
    ULONG n = 0;
    for (;; n++) {
        ULONGLONG lookup = (ULONGLONG)Import->LookupRva + n * sizeof(ULONG);
        ULONGLONG slot = (ULONGLONG)Import->IatRva + n * sizeof(ULONG);
        if (lookup + sizeof(ULONG) > Info->SizeOfImage || slot + sizeof(ULONG) > Info->SizeOfImage)
            return STATUS_INVALID_IMAGE_FORMAT;
        ULONG value;
        RtlCopyMemory(&value, Info->Base + lookup, sizeof(value));
        if (value == 0) break;
    }
    *Count = n;
    return STATUS_SUCCESS;
}

/* Resolves every thunk of one descriptor into its IAT. */
static NTSTATUS LdrpBindThunks(PLDR_DATA_TABLE_ENTRY Importer, const RTL_IMAGE_INFO *Info,
                               const RTL_IMAGE_IMPORT *Import, PLDR_DATA_TABLE_ENTRY Exporter)
{
    RTL_IMAGE_THUNK t;
    ULONG count, old;
    NTSTATUS status = LdrpCountThunks(Info, Import, &count);
    if (!NT_SUCCESS(status)) return status;
    if (count == 0) return STATUS_SUCCESS;
    ULONG first = Import->IatRva, last = Import->IatRva + count * sizeof(ULONG);
    PUCHAR base = Importer->DllBase;
    LDRP_EXPORTS exports;
    status = LdrpOpenExports(Exporter, &exports);
    if (NT_SUCCESS(status)) status = LdrpUnprotect(base + first, last - first, &old);
    if (!NT_SUCCESS(status)) return status;
    for (ULONG i = 0; i < count && NT_SUCCESS(status); i++) {
        PVOID address = NULL;
        status = RtlImageImportThunk(Info, Import, i, &t);
        if (NT_SUCCESS(status))
            status = LdrpResolve(&exports, t.ByOrdinal ? NULL : t.Name, t.Hint, t.Ordinal, &address, 0);
        if (NT_SUCCESS(status)) RtlCopyMemory(base + t.IatRva, &address, sizeof(address));
        else status = LdrpReportMissing(Importer, Exporter, &t, status);
    }
    LdrpReprotect(base + first, last - first, old);
    return status;
}

/* What the image section or the parser says of a file that is no usable image. */
static BOOLEAN LdrpIsBadImageStatus(NTSTATUS Status)
{
    return Status == STATUS_INVALID_IMAGE_FORMAT || Status == STATUS_INVALID_IMAGE_NOT_MZ ||
           Status == STATUS_INVALID_IMAGE_PROTECT || Status == STATUS_INVALID_IMAGE_WIN_16 ||
           Status == STATUS_INVALID_IMAGE_NE_FORMAT || Status == STATUS_INVALID_IMAGE_LE_FORMAT ||
           Status == STATUS_INVALID_IMAGE_WIN_64 || Status == STATUS_SECTION_NOT_IMAGE ||
           Status == STATUS_INVALID_FILE_FOR_SECTION;
}

/* Loads one descriptor's DLL for Importer, holding a reference on it. */
static NTSTATUS LdrpLoadImport(PLDR_DATA_TABLE_ENTRY Importer, const RTL_IMAGE_IMPORT *Import,
                               PLDR_DATA_TABLE_ENTRY *Exporter)
{
    WCHAR buffer[LDRP_MAX_NAME_CHARS];
    CHAR who[LDRP_MAX_NAME_CHARS];
    UNICODE_STRING name;
    ULONG chars = (ULONG)RtlStringLength(Import->DllName);
    if (!LdrpAsciiToName(Import->DllName, chars, &name, buffer, ARRAYSIZE(buffer))) {
        DbgPrint("LDR: bad import DLL name in %s\n", LdrpModuleName(Importer, who, sizeof(who)));
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    NTSTATUS status = LdrpLoadModule(NULL, &name, Exporter);
    if (!NT_SUCCESS(status)) {
        LdrpModuleName(Importer, who, sizeof(who));
        if (status == STATUS_DLL_NOT_FOUND) {
            DbgPrint("LDR: %s not found (imported by %s)\n", Import->DllName, who);
        } else if (LdrpIsBadImageStatus(status)) {
            DbgPrint("LDR: %s (imported by %s) is not a valid image, status 0x%08lx\n", Import->DllName, who,
                     (unsigned long)status);
            status = STATUS_INVALID_IMAGE_FORMAT;  /* one status for every kind of bad image */
        } else {
            DbgPrint("LDR: %s (imported by %s) failed to load, status 0x%08lx\n", Import->DllName, who,
                     (unsigned long)status);
        }
        return status;
    }
    if (*Exporter == Importer || LdrpHasDependency(Importer, *Exporter)) {
        LdrpDereference(*Exporter);                /* held already (or itself) */
        return STATUS_SUCCESS;
    }
    status = LdrpAddDependency(Importer, *Exporter);
    if (!NT_SUCCESS(status)) LdrpDereference(*Exporter);
    return status;
}

NTSTATUS LdrpBindImports(PLDR_DATA_TABLE_ENTRY Entry)
{
    RTL_IMAGE_INFO info;
    RTL_IMAGE_IMPORT import;
    NTSTATUS status = LdrpImageInfo(Entry, &info);
    for (ULONG i = 0; NT_SUCCESS(status); i++) {
        PLDR_DATA_TABLE_ENTRY exporter;
        status = RtlImageImport(&info, i, &import);
        if (status == STATUS_NO_MORE_ENTRIES) return STATUS_SUCCESS;
        if (NT_SUCCESS(status)) status = LdrpLoadImport(Entry, &import, &exporter);
        if (NT_SUCCESS(status)) status = LdrpBindThunks(Entry, &info, &import, exporter);
    }
    return status;
}
