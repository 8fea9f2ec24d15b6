/*
 * ldrmodule.c - the loader's module entries (LDR_DATA_TABLE_ENTRY): making and freeing them,
 * the three PEB_LDR_DATA lists they sit on, finding one by name or base, and the name rules
 * (base name of a path, ".dll" added to a name without extension, case-insensitive match).
 */
#include "ldrp.h"

static BOOLEAN LdrpIsSeparator(WCHAR c)
{
    return c == u'\\' || c == u'/';
}

/* The last path component of Name (the whole name if it has no separator). */
static VOID LdrpLastComponent(PCUNICODE_STRING Name, PCWSTR *Start, ULONG *Chars)
{
    ULONG n = Name->Length / sizeof(WCHAR), first = 0;
    for (ULONG i = 0; i < n; i++)
        if (LdrpIsSeparator(Name->Buffer[i]) || Name->Buffer[i] == u':') first = i + 1;
    *Start = Name->Buffer + first;
    *Chars = n - first;
}

BOOLEAN LdrpMakeBaseName(PCUNICODE_STRING Name, PUNICODE_STRING Base, PWSTR Buffer, ULONG BufferChars)
{
    static const WCHAR dll[] = u".dll";
    PCWSTR start;
    ULONG chars;
    if (Name == NULL || (Name->Length && Name->Buffer == NULL) || (Name->Length & 1)) return FALSE;
    LdrpLastComponent(Name, &start, &chars);
    BOOLEAN hasDot = FALSE;
    for (ULONG i = 0; i < chars; i++) {
        if (start[i] == 0) return FALSE;               /* an embedded NUL is no file name */
        if (start[i] == u'.') hasDot = TRUE;
    }
    /* "x." means "x, no extension" (NT's rule); "x" means "x.dll". */
    BOOLEAN trailingDot = chars && start[chars - 1] == u'.';
    if (trailingDot) chars--;
    ULONG total = chars + (hasDot ? 0 : 4);
    if (chars == 0 || total + 1 > BufferChars) return FALSE;
    RtlCopyMemory(Buffer, start, chars * sizeof(WCHAR));
    if (!hasDot) RtlCopyMemory(Buffer + chars, dll, 4 * sizeof(WCHAR));
    Buffer[total] = 0;
    Base->Buffer = Buffer;
    Base->Length = (USHORT)(total * sizeof(WCHAR));
    Base->MaximumLength = (USHORT)((total + 1) * sizeof(WCHAR));
    return TRUE;
}

PLDR_DATA_TABLE_ENTRY LdrpFindByBaseName(PCUNICODE_STRING BaseName)
{
    PLIST_ENTRY head = &LdrpData.InLoadOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if (RtlEqualUnicodeString(&m->BaseDllName, BaseName, TRUE)) return m;
    }
    return NULL;
}

PLDR_DATA_TABLE_ENTRY LdrpFindByBase(PVOID Base)
{
    PLIST_ENTRY head = &LdrpData.InLoadOrderModuleList;
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if (m->DllBase == Base) return m;
    }
    return NULL;
}

PLDR_DATA_TABLE_ENTRY LdrpCreateEntry(PVOID Base, const RTL_IMAGE_INFO *Info, PCUNICODE_STRING DosPath)
{
    ULONG bytes = DosPath->Length;
    PLDR_DATA_TABLE_ENTRY m = LdrpAlloc(sizeof(*m) + sizeof(RTL_IMAGE_INFO) + bytes + sizeof(WCHAR));
    if (m == NULL) return NULL;
    /* Right after the entry: what validating the mapped image found (LdrpImageInfo), then the name. */
    PRTL_IMAGE_INFO info = (PRTL_IMAGE_INFO)(m + 1);
    RtlCopyMemory(info, Info, sizeof(*info));
    PWSTR name = (PWSTR)(info + 1);
    RtlCopyMemory(name, DosPath->Buffer, bytes);
    name[bytes / sizeof(WCHAR)] = 0;
    m->FullDllName.Buffer = name;
    m->FullDllName.Length = (USHORT)bytes;
    m->FullDllName.MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
    PCWSTR start;
    ULONG chars;
    LdrpLastComponent(&m->FullDllName, &start, &chars);
    m->BaseDllName.Buffer = (PWSTR)start;
    m->BaseDllName.Length = (USHORT)(chars * sizeof(WCHAR));
    m->BaseDllName.MaximumLength = (USHORT)((chars + 1) * sizeof(WCHAR));
    m->DllBase = Base;
    m->EntryPoint = Info->EntryPoint ? (PUCHAR)Base + Info->EntryPoint : NULL;
    m->SizeOfImage = Info->SizeOfImage;
    m->Flags = Info->IsDll ? LDRP_IMAGE_DLL : 0;
    m->LoadCount = 1;
    m->TlsIndex = 0xFFFF;
    InitializeListHead(&m->InLoadOrderLinks);
    InitializeListHead(&m->InMemoryOrderLinks);
    InitializeListHead(&m->InInitializationOrderLinks);
    InitializeListHead(&m->HashLinks);
    IMAGE_NT_HEADERS32 nt;
    RtlCopyMemory(&nt, Info->Base + Info->NtHeadersOffset, sizeof(nt.Signature) + sizeof(nt.FileHeader));
    m->TimeDateStamp = nt.FileHeader.TimeDateStamp;
    return m;
}

VOID LdrpInsertEntry(PLDR_DATA_TABLE_ENTRY Entry)
{
    InsertTailList(&LdrpData.InLoadOrderModuleList, &Entry->InLoadOrderLinks);
    InsertTailList(&LdrpData.InMemoryOrderModuleList, &Entry->InMemoryOrderLinks);
}

VOID LdrpRemoveEntry(PLDR_DATA_TABLE_ENTRY Entry)
{
    /* Each link is self-linked when the entry is not on that list: removing is then harmless. */
    RemoveEntryList(&Entry->InLoadOrderLinks);
    RemoveEntryList(&Entry->InMemoryOrderLinks);
    RemoveEntryList(&Entry->InInitializationOrderLinks);
    InitializeListHead(&Entry->InLoadOrderLinks);
    InitializeListHead(&Entry->InMemoryOrderLinks);
    InitializeListHead(&Entry->InInitializationOrderLinks);
}

VOID LdrpFreeEntry(PLDR_DATA_TABLE_ENTRY Entry)
{
    PLDRP_DEPENDENCY d = Entry->Dependencies;
    while (d) {
        PLDRP_DEPENDENCY next = d->Next;
        LdrpFree(d);
        d = next;
    }
    LdrpFree(Entry);
}

/* The image was validated once, when its entry was made (after any relocation): binding,
 * GetProcAddress and TLS read it through that record rather than validating it again each time.
 * The record's bounds (SizeOfImage) hold for as long as the view is mapped, which is as long as
 * the entry lives; the tables themselves are read, and checked, afresh by each Rtl call. */
NTSTATUS LdrpImageInfo(PLDR_DATA_TABLE_ENTRY Entry, PRTL_IMAGE_INFO Info)
{
    RtlCopyMemory(Info, (PRTL_IMAGE_INFO)(Entry + 1), sizeof(*Info));
    return STATUS_SUCCESS;
}

PCSTR LdrpPrintable(PCUNICODE_STRING Name, PCHAR Buffer, ULONG Size)
{
    ULONG n = Name && Name->Buffer ? Name->Length / sizeof(WCHAR) : 0, i;
    if (Size == 0) return "";
    for (i = 0; i < n && i + 1 < Size; i++) {
        WCHAR c = Name->Buffer[i];
        Buffer[i] = (c >= 0x20 && c < 0x7F) ? (CHAR)c : '?';
    }
    Buffer[i] = 0;
    return Buffer;
}
