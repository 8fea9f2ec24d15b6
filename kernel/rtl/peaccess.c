/*
 * peaccess.c - what a loader reads from a mapped PE image: import descriptors and thunks, exports
 * by name, by ordinal and forwarders, and the TLS directory. Every RVA is checked against
 * SizeOfImage (the view holds at least that much: RtlValidateMappedImage proved it) and every
 * string must end inside the image; a violation is STATUS_INVALID_IMAGE_FORMAT.
 */
#include "pep.h"

/* The NUL-terminated string at Rva, which must end inside the image. */
static NTSTATUS RtlpImageString(const RTL_IMAGE_INFO *Info, ULONG Rva, PCSTR *String)
{
    ULONG i;

    for (i = Rva; i < Info->SizeOfImage; i++) {
        if (Info->Base[i] == 0) {
            *String = (PCSTR)Info->Base + Rva;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_IMAGE_FORMAT;
}

/* Reads element Index of a table of ULONGs (Size 4) or USHORTs (Size 2) at Rva. */
static NTSTATUS RtlpImageTableEntry(const RTL_IMAGE_INFO *Info, ULONG Rva, ULONG Index,
                                    ULONG Size, PULONG Value)
{
    ULONGLONG Offset = (ULONGLONG)Rva + (ULONGLONG)Index * Size;

    if (!RtlpRangeInside(Offset, Size, Info->SizeOfImage)) return STATUS_INVALID_IMAGE_FORMAT;
    *Value = Size == sizeof(ULONG) ? RtlpReadUlong(Info->Base + Offset)
                                   : RtlpReadUshort(Info->Base + Offset);
    return STATUS_SUCCESS;
}

static BOOLEAN RtlpIsMapped(const RTL_IMAGE_INFO *Info)
{
    return Info != NULL && Info->Mapped && Info->Size >= Info->SizeOfImage;
}

/* ============================================================================================
 * Imports
 */
NTSTATUS RtlImageImport(const RTL_IMAGE_INFO *Info, ULONG Index, PRTL_IMAGE_IMPORT Import)
{
    const IMAGE_DATA_DIRECTORY *Dir;
    IMAGE_IMPORT_DESCRIPTOR D;
    ULONGLONG Offset;
    NTSTATUS Status;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    Dir = &Info->Directory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (Dir->VirtualAddress == 0 || Dir->Size == 0) return STATUS_NO_MORE_ENTRIES;

    /* The array ends with a zeroed descriptor, not at Dir->Size (linkers are loose with it);
     * the image's end is the hard bound. */
    Offset = (ULONGLONG)Dir->VirtualAddress + (ULONGLONG)Index * sizeof D;
    if (!RtlpRangeInside(Offset, sizeof D, Info->SizeOfImage)) return STATUS_INVALID_IMAGE_FORMAT;
    __builtin_memcpy(&D, Info->Base + Offset, sizeof D);
    if (D.Name == 0) return STATUS_NO_MORE_ENTRIES;
    if (D.FirstThunk == 0) return STATUS_INVALID_IMAGE_FORMAT;

    Status = RtlpImageString(Info, D.Name, &Import->DllName);
    if (!NT_SUCCESS(Status)) return Status;
    Import->LookupRva = D.OriginalFirstThunk ? D.OriginalFirstThunk : D.FirstThunk;
    Import->IatRva = D.FirstThunk;
    Import->TimeDateStamp = D.TimeDateStamp;
    Import->ForwarderChain = D.ForwarderChain;
    return STATUS_SUCCESS;
}

NTSTATUS RtlImageImportThunk(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_IMPORT *Import,
                             ULONG Index, PRTL_IMAGE_THUNK Thunk)
{
    ULONG Value, Slot, Hint;
    NTSTATUS Status;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    Status = RtlpImageTableEntry(Info, Import->LookupRva, Index, sizeof(ULONG), &Value);
    if (!NT_SUCCESS(Status)) return Status;
    if (Value == 0) return STATUS_NO_MORE_ENTRIES;
    /* The IAT slot the loader will write must exist too. */
    Status = RtlpImageTableEntry(Info, Import->IatRva, Index, sizeof(ULONG), &Slot);
    if (!NT_SUCCESS(Status)) return Status;
    Thunk->IatRva = Import->IatRva + Index * sizeof(ULONG);

    if (Value & IMAGE_ORDINAL_FLAG32) {
        /* Bits 16-30 must be zero: an ordinal is 16 bits. */
        if (Value & 0x7FFF0000u) return STATUS_INVALID_IMAGE_FORMAT;
        Thunk->ByOrdinal = TRUE;
        Thunk->Ordinal = (USHORT)Value;
        Thunk->Hint = 0;
        Thunk->Name = NULL;
        return STATUS_SUCCESS;
    }
    /* Value is the RVA of an IMAGE_IMPORT_BY_NAME: a USHORT hint, then the name. */
    Status = RtlpImageTableEntry(Info, Value, 0, sizeof(USHORT), &Hint);
    if (!NT_SUCCESS(Status)) return Status;
    Status = RtlpImageString(Info, Value + sizeof(USHORT), &Thunk->Name);
    if (!NT_SUCCESS(Status)) return Status;
    Thunk->ByOrdinal = FALSE;
    Thunk->Ordinal = 0;
    Thunk->Hint = (USHORT)Hint;
    return STATUS_SUCCESS;
}

/* ============================================================================================
 * Exports
 */
NTSTATUS RtlImageExports(const RTL_IMAGE_INFO *Info, PRTL_IMAGE_EXPORTS Exports)
{
    const IMAGE_DATA_DIRECTORY *Dir;
    IMAGE_EXPORT_DIRECTORY E;
    ULONG Size;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    Dir = &Info->Directory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (Dir->VirtualAddress == 0 || Dir->Size == 0) return STATUS_NOT_FOUND;
    /* Validation put the directory inside the image; it must hold the fixed part. */
    if (Dir->Size < sizeof E) return STATUS_INVALID_IMAGE_FORMAT;
    __builtin_memcpy(&E, Info->Base + Dir->VirtualAddress, sizeof E);

    Size = Info->SizeOfImage;
    if (!RtlpRangeInside(E.AddressOfFunctions, (ULONGLONG)E.NumberOfFunctions * 4, Size) ||
        !RtlpRangeInside(E.AddressOfNames, (ULONGLONG)E.NumberOfNames * 4, Size) ||
        !RtlpRangeInside(E.AddressOfNameOrdinals, (ULONGLONG)E.NumberOfNames * 2, Size))
        return STATUS_INVALID_IMAGE_FORMAT;
    Exports->DllName = NULL;
    if (E.Name != 0 && !NT_SUCCESS(RtlpImageString(Info, E.Name, &Exports->DllName)))
        return STATUS_INVALID_IMAGE_FORMAT;

    Exports->DirectoryRva = Dir->VirtualAddress;
    Exports->DirectorySize = Dir->Size;
    Exports->Base = E.Base;
    Exports->NumberOfFunctions = E.NumberOfFunctions;
    Exports->NumberOfNames = E.NumberOfNames;
    Exports->FunctionsRva = E.AddressOfFunctions;
    Exports->NamesRva = E.AddressOfNames;
    Exports->NameOrdinalsRva = E.AddressOfNameOrdinals;
    return STATUS_SUCCESS;
}

/* The export in slot Index of the function table. An RVA inside the export directory is a
 * forwarder string; 0 is an unused ordinal (STATUS_ORDINAL_NOT_FOUND). */
static NTSTATUS RtlpExportAt(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                             ULONG Index, PRTL_IMAGE_EXPORT Export)
{
    ULONG Rva, DllLength, Ordinal;
    PCSTR Name;
    NTSTATUS Status;

    if (Index >= Exports->NumberOfFunctions) return STATUS_ORDINAL_NOT_FOUND;
    Status = RtlpImageTableEntry(Info, Exports->FunctionsRva, Index, sizeof(ULONG), &Rva);
    if (!NT_SUCCESS(Status)) return Status;
    if (Rva == 0) return STATUS_ORDINAL_NOT_FOUND;

    Export->Ordinal = Exports->Base + Index;
    if (Rva >= Exports->DirectoryRva && Rva - Exports->DirectoryRva < Exports->DirectorySize) {
        Status = RtlpImageString(Info, Rva, &Export->Forwarder);
        if (NT_SUCCESS(Status)) Status = RtlSplitForwarder(Export->Forwarder, &DllLength, &Name,
                                                           &Ordinal);
        if (!NT_SUCCESS(Status)) return STATUS_INVALID_IMAGE_FORMAT;
        Export->Rva = 0;
        return STATUS_SUCCESS;
    }
    if (Rva >= Info->SizeOfImage) return STATUS_INVALID_IMAGE_FORMAT;
    Export->Rva = Rva;
    Export->Forwarder = NULL;
    return STATUS_SUCCESS;
}

NTSTATUS RtlImageExportName(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                            ULONG Index, PCSTR *Name, PRTL_IMAGE_EXPORT Export)
{
    ULONG NameRva, Slot;
    NTSTATUS Status;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    if (Index >= Exports->NumberOfNames) return STATUS_NO_MORE_ENTRIES;
    Status = RtlpImageTableEntry(Info, Exports->NamesRva, Index, sizeof(ULONG), &NameRva);
    if (NT_SUCCESS(Status)) Status = RtlpImageString(Info, NameRva, Name);
    if (NT_SUCCESS(Status))
        Status = RtlpImageTableEntry(Info, Exports->NameOrdinalsRva, Index, sizeof(USHORT), &Slot);
    if (!NT_SUCCESS(Status)) return Status;
    /* A name table entry naming a slot that does not exist is a broken table. */
    if (Slot >= Exports->NumberOfFunctions) return STATUS_INVALID_IMAGE_FORMAT;
    return RtlpExportAt(Info, Exports, Slot, Export);
}

/* strcmp of Name against the image string at Rva, which must end inside the image. */
static NTSTATUS RtlpCompareImageName(const RTL_IMAGE_INFO *Info, ULONG Rva, PCSTR Name,
                                     PLONG Result)
{
    const UCHAR *A = (const UCHAR *)Name;
    ULONG i;

    for (i = Rva; i < Info->SizeOfImage; i++, A++) {
        UCHAR B = Info->Base[i];
        if (*A != B || B == 0) {
            *Result = (LONG)*A - (LONG)B;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_IMAGE_FORMAT;
}

/* Compares Name with name table entry Index (Result as strcmp(Name, entry)). */
static NTSTATUS RtlpCompareExportName(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                                      ULONG Index, PCSTR Name, PLONG Result)
{
    ULONG NameRva;
    NTSTATUS Status = RtlpImageTableEntry(Info, Exports->NamesRva, Index, sizeof(ULONG), &NameRva);

    return NT_SUCCESS(Status) ? RtlpCompareImageName(Info, NameRva, Name, Result) : Status;
}

/* The hint first (right for an importer built against this DLL), then a binary search over the
 * sorted name table. */
NTSTATUS RtlImageExportByName(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                              PCSTR Name, USHORT Hint, PRTL_IMAGE_EXPORT Export)
{
    ULONG Low = 0, High, Middle;
    NTSTATUS Status;
    LONG Cmp;

    if (!RtlpIsMapped(Info) || Name == NULL) return STATUS_INVALID_PARAMETER;
    High = Exports->NumberOfNames;
    Middle = Hint;
    while (Low < High) {
        if (Middle < Low || Middle >= High) Middle = Low + (High - Low) / 2;
        Status = RtlpCompareExportName(Info, Exports, Middle, Name, &Cmp);
        if (!NT_SUCCESS(Status)) return Status;
        if (Cmp == 0) {
            /* The name matched inside the image: only its slot is left to read (what
             * RtlImageExportName does after reading the name again). */
            ULONG Slot;
            Status = RtlpImageTableEntry(Info, Exports->NameOrdinalsRva, Middle, sizeof(USHORT), &Slot);
            if (!NT_SUCCESS(Status)) return Status;
            if (Slot >= Exports->NumberOfFunctions) return STATUS_INVALID_IMAGE_FORMAT;
            Status = RtlpExportAt(Info, Exports, Slot, Export);
            return Status == STATUS_ORDINAL_NOT_FOUND ? STATUS_PROCEDURE_NOT_FOUND : Status;
        }
        if (Cmp < 0) High = Middle; else Low = Middle + 1;
        Middle = High;      /* out of range: bisect from now on */
    }
    return STATUS_PROCEDURE_NOT_FOUND;
}

NTSTATUS RtlImageExportByOrdinal(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_EXPORTS *Exports,
                                 ULONG Ordinal, PRTL_IMAGE_EXPORT Export)
{
    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    if (Ordinal < Exports->Base) return STATUS_ORDINAL_NOT_FOUND;
    return RtlpExportAt(Info, Exports, Ordinal - Exports->Base, Export);
}

NTSTATUS RtlSplitForwarder(PCSTR Forwarder, PULONG DllLength, PCSTR *Name, PULONG Ordinal)
{
    PCSTR Dot = Forwarder, P;
    ULONG Value = 0;

    while (*Dot != 0 && *Dot != '.') Dot++;
    if (*Dot != '.' || Dot == Forwarder || Dot[1] == 0) return STATUS_INVALID_IMAGE_FORMAT;
    *DllLength = (ULONG)(Dot - Forwarder);
    if (Dot[1] != '#') {
        *Name = Dot + 1;
        *Ordinal = 0;
        return STATUS_SUCCESS;
    }
    /* "DLL.#123": a decimal ordinal of at most 16 bits. */
    if (Dot[2] == 0) return STATUS_INVALID_IMAGE_FORMAT;
    for (P = Dot + 2; *P != 0; P++) {
        if (*P < '0' || *P > '9') return STATUS_INVALID_IMAGE_FORMAT;
        Value = Value * 10 + (ULONG)(*P - '0');
        if (Value > 0xFFFF) return STATUS_INVALID_IMAGE_FORMAT;
    }
    *Name = NULL;
    *Ordinal = Value;
    return STATUS_SUCCESS;
}

/* ============================================================================================
 * TLS: the directory holds VAs (relocated with the image), turned into RVAs at the headers'
 * current ImageBase.
 */
static NTSTATUS RtlpVaToRva(const RTL_IMAGE_INFO *Info, ULONG Va, ULONG Length, PULONG Rva)
{
    if (Va < Info->ImageBase || !RtlpRangeInside(Va - Info->ImageBase, Length, Info->SizeOfImage))
        return STATUS_INVALID_IMAGE_FORMAT;
    *Rva = Va - Info->ImageBase;
    return STATUS_SUCCESS;
}

/* Counts the zero-terminated callback array, each callback inside the image. */
static NTSTATUS RtlpCountTlsCallbacks(const RTL_IMAGE_INFO *Info, PRTL_IMAGE_TLS Tls)
{
    ULONG i, Va, Rva;
    NTSTATUS Status;

    for (i = 0;; i++) {
        Status = RtlpImageTableEntry(Info, Tls->CallbacksRva, i, sizeof(ULONG), &Va);
        if (!NT_SUCCESS(Status)) return Status;
        if (Va == 0) break;
        Status = RtlpVaToRva(Info, Va, 1, &Rva);
        if (!NT_SUCCESS(Status)) return Status;
    }
    Tls->NumberOfCallbacks = i;
    return STATUS_SUCCESS;
}

NTSTATUS RtlImageTls(const RTL_IMAGE_INFO *Info, PRTL_IMAGE_TLS Tls)
{
    const IMAGE_DATA_DIRECTORY *Dir;
    IMAGE_TLS_DIRECTORY32 *T = &Tls->Directory;
    NTSTATUS Status = STATUS_SUCCESS;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    Dir = &Info->Directory[IMAGE_DIRECTORY_ENTRY_TLS];
    if (Dir->VirtualAddress == 0 || Dir->Size == 0) return STATUS_NOT_FOUND;
    if (Dir->Size < sizeof *T) return STATUS_INVALID_IMAGE_FORMAT;
    __builtin_memcpy(T, Info->Base + Dir->VirtualAddress, sizeof *T);

    Tls->RawDataRva = Tls->RawDataSize = Tls->IndexRva = Tls->CallbacksRva = 0;
    Tls->NumberOfCallbacks = 0;
    if (T->StartAddressOfRawData != 0 || T->EndAddressOfRawData != 0) {
        if (T->EndAddressOfRawData < T->StartAddressOfRawData) return STATUS_INVALID_IMAGE_FORMAT;
        Tls->RawDataSize = T->EndAddressOfRawData - T->StartAddressOfRawData;
        Status = RtlpVaToRva(Info, T->StartAddressOfRawData, Tls->RawDataSize, &Tls->RawDataRva);
    }
    if (NT_SUCCESS(Status) && T->AddressOfIndex != 0)
        Status = RtlpVaToRva(Info, T->AddressOfIndex, sizeof(ULONG), &Tls->IndexRva);
    if (NT_SUCCESS(Status) && T->AddressOfCallBacks != 0) {
        Status = RtlpVaToRva(Info, T->AddressOfCallBacks, sizeof(ULONG), &Tls->CallbacksRva);
        if (NT_SUCCESS(Status)) Status = RtlpCountTlsCallbacks(Info, Tls);
    }
    return Status;
}

NTSTATUS RtlImageTlsCallback(const RTL_IMAGE_INFO *Info, const RTL_IMAGE_TLS *Tls, ULONG Index,
                             PULONG CallbackRva)
{
    ULONG Va;
    NTSTATUS Status;

    if (!RtlpIsMapped(Info)) return STATUS_INVALID_PARAMETER;
    if (Index >= Tls->NumberOfCallbacks) return STATUS_NO_MORE_ENTRIES;
    Status = RtlpImageTableEntry(Info, Tls->CallbacksRva, Index, sizeof(ULONG), &Va);
    return NT_SUCCESS(Status) ? RtlpVaToRva(Info, Va, 1, CallbackRva) : Status;
}
