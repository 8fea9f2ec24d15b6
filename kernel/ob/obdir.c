/*
 * obdir.c - directory objects: a hash table of (name, object) entries that the namespace is made
 * of. Each entry holds a reference on its object, and each named object one on its directory,
 * so a directory outlives its entries. Also the directory services: NtCreateDirectoryObject,
 * NtOpenDirectoryObject and NtQueryDirectoryObject (enumeration with a caller-kept context).
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

POBJECT_TYPE ObpDirectoryObjectType;

/* Hash of the upcased name, so that both comparison modes find the same bucket. */
static ULONG ObpHashName(PCUNICODE_STRING Name)
{
    ULONG h = 0;
    for (ULONG i = 0; i < Name->Length / sizeof(WCHAR); i++)
        h = h * 31 + RtlUpcaseUnicodeChar(Name->Buffer[i]);
    return h;
}

static PUNICODE_STRING ObpEntryName(PVOID Object)
{
    return &OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(Object))->Name;
}

PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, PCUNICODE_STRING Name,
                              BOOLEAN CaseInsensitive)
{
    ULONG hash = ObpHashName(Name);
    for (POBJECT_DIRECTORY_ENTRY e = Directory->HashBuckets[hash % OB_NUMBER_HASH_BUCKETS]; e;
         e = e->ChainLink) {
        if (e->HashValue == hash && RtlEqualUnicodeString(Name, ObpEntryName(e->Object), CaseInsensitive))
            return e->Object;
    }
    return NULL;
}

NTSTATUS ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object, PCUNICODE_STRING Name)
{
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO ni = OBJECT_HEADER_TO_NAME_INFO(h);
    if (ni == NULL || Name->Length == 0) return STATUS_OBJECT_NAME_INVALID;
    POBJECT_DIRECTORY_ENTRY e = ExAllocatePoolWithTag(PagedPool, sizeof(*e), OB_DIRECTORY_ENTRY_TAG);
    if (e == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    if (ni->Name.Buffer != Name->Buffer) {          /* keep the last component as the name */
        UNICODE_STRING copy;
        NTSTATUS status = ObpCaptureName(&copy, Name);
        if (!NT_SUCCESS(status)) {
            ExFreePoolWithTag(e, OB_DIRECTORY_ENTRY_TAG);
            return status;
        }
        ObpFreeName(&ni->Name);
        ni->Name = copy;
    }
    e->Object = Object;
    e->HashValue = ObpHashName(&ni->Name);
    POBJECT_DIRECTORY_ENTRY *bucket = &Directory->HashBuckets[e->HashValue % OB_NUMBER_HASH_BUCKETS];
    e->ChainLink = *bucket;
    *bucket = e;
    Directory->EntryCount++;
    /* The lock is held: count the two references directly. */
    ni->Directory = Directory;
    OBJECT_TO_OBJECT_HEADER(Directory)->PointerCount++;
    h->PointerCount++;
    h->Flags |= OB_FLAG_IN_NAMESPACE;
    return STATUS_SUCCESS;
}

VOID ObpRemoveDirectoryEntry(PVOID Object, PVOID *DropObject, PVOID *DropDirectory)
{
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO ni = OBJECT_HEADER_TO_NAME_INFO(h);
    POBJECT_DIRECTORY dir = ni->Directory;
    POBJECT_DIRECTORY_ENTRY *link = &dir->HashBuckets[ObpHashName(&ni->Name) % OB_NUMBER_HASH_BUCKETS];
    while (*link && (*link)->Object != Object) link = &(*link)->ChainLink;
    if (*link == NULL) KeBugCheckEx(BAD_OBJECT_HEADER, (ULONG_PTR)Object, (ULONG_PTR)dir, 1, 0);
    POBJECT_DIRECTORY_ENTRY e = *link;
    *link = e->ChainLink;
    ExFreePoolWithTag(e, OB_DIRECTORY_ENTRY_TAG);
    dir->EntryCount--;
    ni->Directory = NULL;
    h->Flags &= ~OB_FLAG_IN_NAMESPACE;
    *DropObject = Object;
    *DropDirectory = dir;
}

/* Entries hold references on their objects, so a directory is empty when it is deleted. */
static VOID ObpDeleteDirectory(PVOID Object)
{
    POBJECT_DIRECTORY dir = Object;
    if (dir->EntryCount != 0) KeBugCheckEx(BAD_OBJECT_HEADER, (ULONG_PTR)Object, dir->EntryCount, 2, 0);
}

NTSTATUS ObpCreateDirectoryType(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"Directory");
    OBJECT_TYPE_INITIALIZER init = {
        .Length = sizeof(init),
        .CaseInsensitive = TRUE,
        .InvalidAttributes = OBJ_OPENLINK,
        .GenericMapping = { STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                            STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
                            STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                            DIRECTORY_ALL_ACCESS },
        .ValidAccessMask = DIRECTORY_ALL_ACCESS,
        .PoolType = PagedPool,
        .DeleteProcedure = ObpDeleteDirectory,
    };
    return ObCreateObjectType(&name, &init, NULL, &ObpDirectoryObjectType);
}

/* A permanent directory at an absolute path, for the namespace skeleton. */
NTSTATUS ObpCreatePermanentDirectory(PCWSTR Path, POBJECT_DIRECTORY *Directory)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    PVOID dir;
    RtlInitUnicodeString(&name, Path);
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = ObCreateObject(KernelMode, ObpDirectoryObjectType, &oa, KernelMode, NULL,
                                     sizeof(OBJECT_DIRECTORY), 0, 0, &dir);
    if (!NT_SUCCESS(status)) return status;
    status = ObInsertObject(dir, NULL, 0, 0, &dir, NULL);   /* no handle: keeps our reference */
    if (!NT_SUCCESS(status)) return status;
    if (Directory) *Directory = dir;
    else ObDereferenceObject(dir);
    return STATUS_SUCCESS;
}

/* ---- Services ----------------------------------------------------------------------------- */

NTSTATUS NTAPI NtCreateDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    PVOID dir;
    HANDLE handle;
    NTSTATUS status = ObpProbeForWriteUlong(mode, DirectoryHandle);
    if (!NT_SUCCESS(status)) return status;
    status = ObCreateObject(mode, ObpDirectoryObjectType, ObjectAttributes, mode, NULL,
                            sizeof(OBJECT_DIRECTORY), 0, 0, &dir);
    if (!NT_SUCCESS(status)) return status;
    status = ObInsertObject(dir, NULL, DesiredAccess, 0, NULL, &handle);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, DirectoryHandle, handle, status);
}

NTSTATUS NTAPI NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    HANDLE handle;
    NTSTATUS status = ObpProbeForWriteUlong(mode, DirectoryHandle);
    if (!NT_SUCCESS(status)) return status;
    status = ObOpenObjectByName(ObjectAttributes, ObpDirectoryObjectType, mode, NULL,
                                DesiredAccess, NULL, &handle);
    if (!NT_SUCCESS(status)) return status;
    return ExReturnHandle(mode, DirectoryHandle, handle, status);
}

/* Calls Visit for the entries from index Start on, in a stable order (bucket, then chain), until
 * it returns FALSE. The lock is held. */
typedef BOOLEAN (*OBP_ENTRY_VISITOR)(PVOID Object, PVOID Context);
static VOID ObpWalkDirectory(POBJECT_DIRECTORY Dir, ULONG Start, OBP_ENTRY_VISITOR Visit, PVOID Context)
{
    ULONG index = 0;
    for (ULONG b = 0; b < OB_NUMBER_HASH_BUCKETS; b++)
        for (POBJECT_DIRECTORY_ENTRY e = Dir->HashBuckets[b]; e; e = e->ChainLink)
            if (index++ >= Start && !Visit(e->Object, Context)) return;
}

typedef struct _OBP_QUERY_STATE {
    ULONG Length;                     /* of the caller's buffer */
    BOOLEAN ReturnSingleEntry;
    ULONG Count;                      /* entries that fit */
    ULONG Bytes;                      /* bytes they need, the terminating entry included */
    ULONG FirstNeeds;                 /* bytes the first entry alone needs */
    BOOLEAN More;                     /* an entry did not fit */
    /* second pass */
    PUCHAR Out;                       /* kernel copy of the buffer */
    PUCHAR UserBase;                  /* the caller's buffer: the strings' addresses */
    ULONG Written, StringOffset;
} OBP_QUERY_STATE;

static ULONG ObpEntrySize(PVOID Object)
{
    return sizeof(OBJECT_DIRECTORY_INFORMATION) + ObpEntryName(Object)->Length + sizeof(WCHAR) +
           OBJECT_TO_OBJECT_HEADER(Object)->Type->Name.Length + sizeof(WCHAR);
}

static BOOLEAN ObpSizeEntry(PVOID Object, PVOID Context)
{
    OBP_QUERY_STATE *q = Context;
    ULONG need = ObpEntrySize(Object);
    if (q->Count == 0) q->FirstNeeds = q->Bytes + need;
    if (q->Bytes + need > q->Length) { q->More = TRUE; return FALSE; }
    q->Bytes += need;
    q->Count++;
    return !q->ReturnSingleEntry;
}

static VOID ObpPutString(OBP_QUERY_STATE *q, PUNICODE_STRING Dest, PCUNICODE_STRING Source)
{
    RtlCopyMemory(q->Out + q->StringOffset, Source->Buffer, Source->Length);
    *(PWCHAR)(q->Out + q->StringOffset + Source->Length) = 0;
    Dest->Length = Source->Length;
    Dest->MaximumLength = (USHORT)(Source->Length + sizeof(WCHAR));
    Dest->Buffer = (PWSTR)(q->UserBase + q->StringOffset);
    q->StringOffset += Source->Length + sizeof(WCHAR);
}

static BOOLEAN ObpFillEntry(PVOID Object, PVOID Context)
{
    OBP_QUERY_STATE *q = Context;
    if (q->Written == q->Count) return FALSE;
    POBJECT_DIRECTORY_INFORMATION info = (POBJECT_DIRECTORY_INFORMATION)q->Out + q->Written++;
    ObpPutString(q, &info->Name, ObpEntryName(Object));
    ObpPutString(q, &info->TypeName, &OBJECT_TO_OBJECT_HEADER(Object)->Type->Name);
    return TRUE;
}

/* The user-mode checks NT makes before enumerating: the buffer, the context (always written)
 * and the optional return length. */
static NTSTATUS ObpProbeDirectoryQuery(KPROCESSOR_MODE Mode, PVOID Buffer, ULONG Length,
                                       PULONG Context, PULONG ReturnLength)
{
    if (Mode == KernelMode) return STATUS_SUCCESS;
    NTSTATUS status = ProbeForWrite(Buffer, Length, sizeof(ULONG));
    if (NT_SUCCESS(status)) status = ObpProbeForWriteUlong(Mode, Context);
    if (NT_SUCCESS(status) && ReturnLength) status = ObpProbeForWriteUlong(Mode, ReturnLength);
    return status;
}

NTSTATUS NTAPI NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length,
                                      BOOLEAN ReturnSingleEntry, BOOLEAN RestartScan,
                                      PULONG Context, PULONG ReturnLength)
{
    KPROCESSOR_MODE mode = ObpPreviousMode();
    POBJECT_DIRECTORY dir;
    ULONG start = 0;
    NTSTATUS status = ObpProbeDirectoryQuery(mode, Buffer, Length, Context, ReturnLength);
    if (NT_SUCCESS(status) && !RestartScan) status = ExCopyIn(mode, &start, Context, sizeof(start));
    if (!NT_SUCCESS(status)) return status;

    status = ObReferenceObjectByHandle(DirectoryHandle, DIRECTORY_QUERY, ObpDirectoryObjectType,
                                       mode, (PVOID *)&dir, NULL);
    if (!NT_SUCCESS(status)) return status;

    OBP_QUERY_STATE q = { .Length = Length, .ReturnSingleEntry = ReturnSingleEntry,
                          .Bytes = sizeof(OBJECT_DIRECTORY_INFORMATION),
                          .UserBase = Buffer };
    ULONG returned = 0;
    ObpAcquireLock();
    ObpWalkDirectory(dir, start, ObpSizeEntry, &q);
    if (q.Count == 0) {
        status = q.More ? STATUS_BUFFER_TOO_SMALL : STATUS_NO_MORE_ENTRIES;
        returned = q.More ? q.FirstNeeds : 0;
    } else if ((q.Out = ExAllocatePoolWithTag(PagedPool, q.Bytes, OB_DIRECTORY_ENTRY_TAG)) == NULL) {
        status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        RtlZeroMemory(q.Out, q.Bytes);                       /* the terminating entry */
        q.StringOffset = (q.Count + 1) * sizeof(OBJECT_DIRECTORY_INFORMATION);
        ObpWalkDirectory(dir, start, ObpFillEntry, &q);
        status = q.More ? STATUS_MORE_ENTRIES : STATUS_SUCCESS;
        returned = q.Bytes;
    }
    ObpReleaseLock();
    ObDereferenceObject(dir);

    /* Copied out only now, with the lock released: a user page may fault. */
    NTSTATUS copy = STATUS_SUCCESS;
    if (q.Out) {
        ULONG next = start + q.Count;
        copy = ExCopyOut(mode, Buffer, q.Out, q.Bytes);
        if (NT_SUCCESS(copy)) copy = ExCopyOut(mode, Context, &next, sizeof(next));
        ExFreePoolWithTag(q.Out, OB_DIRECTORY_ENTRY_TAG);
    }
    if (NT_SUCCESS(copy) && ReturnLength) copy = ExCopyOut(mode, ReturnLength, &returned, sizeof(returned));
    return NT_SUCCESS(copy) ? status : copy;
}
