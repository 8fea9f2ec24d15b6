/*
 * obtest.c - self-tests of the object manager ("test=selftest:ob"): object creation and
 * deletion (the Delete procedure runs exactly once), names, collisions and OBJ_OPENIF, case
 * rules, bad paths and their NT status codes, symbolic links (and loops), parse procedures,
 * directory enumeration, handle values, access checks, duplication, inheritance, protection, the
 * query services, kernel handles and the Rtl unicode helpers. Most tests end by checking that
 * the pool tags Ob uses are back at the bytes they had before the test.
 */
#include "../ob/obp.h"      /* white-box: handle table entries and per-table closes */
#include "ps.h"
#include "ntstatus.h"
#include "rtl.h"
#include "boottest.h"

#define TST_QUERY   0x0001u
#define TST_MODIFY  0x0002u
#define TST_ALL     (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0003u)
#define TST_VETO    0xDEADu           /* a body Value that makes OkayToClose refuse */

typedef struct _TST_OBJECT {
    ULONG Value;
    ULONG Padding;
} TST_OBJECT, *PTST_OBJECT;

static POBJECT_TYPE TstType;          /* "ObTestObject": case-sensitive names */
static POBJECT_TYPE TstDeviceType;    /* "ObTestDevice": has a Parse procedure */
static ULONG TstDeletes, TstCloses, TstLastDeletedValue, TstLastCloseCount;
static WCHAR TstParsedRemaining[64];
static ULONG TstParsedLength;

static VOID TstDelete(PVOID Object)
{
    TstDeletes++;
    TstLastDeletedValue = ((PTST_OBJECT)Object)->Value;
}

static VOID TstClose(PVOID Process, PVOID Object, ACCESS_MASK Access, ULONG ProcessCount, ULONG SystemCount)
{
    TstCloses++;
    TstLastCloseCount = SystemCount;
}

static BOOLEAN TstOkayToClose(PVOID Process, PVOID Object, HANDLE Handle, KPROCESSOR_MODE Mode)
{
    return ((PTST_OBJECT)Object)->Value != TST_VETO;
}

/* A device-like parse: remembers the rest of the path and opens the device itself. */
static NTSTATUS TstParse(PVOID ParseObject, POBJECT_TYPE ObjectType, PACCESS_STATE AccessState,
                         KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                         PUNICODE_STRING RemainingName, PVOID Context, PVOID SecurityQos, PVOID *Object)
{
    TstParsedLength = RemainingName->Length < sizeof(TstParsedRemaining) ? RemainingName->Length : 0;
    RtlCopyMemory(TstParsedRemaining, RemainingName->Buffer, TstParsedLength);
    ObReferenceObject(ParseObject);
    *Object = ParseObject;
    return STATUS_SUCCESS;
}

static NTSTATUS TstMakeType(PCWSTR Name, OB_PARSE_METHOD Parse, POBJECT_TYPE *Type)
{
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, Name);
    OBJECT_TYPE_INITIALIZER init = {
        .Length = sizeof(init),
        .GenericMapping = { READ_CONTROL | TST_QUERY, READ_CONTROL | TST_MODIFY,
                            READ_CONTROL | SYNCHRONIZE, TST_ALL },
        .ValidAccessMask = TST_ALL,
        .PoolType = NonPagedPool,
        .CloseProcedure = TstClose,
        .DeleteProcedure = TstDelete,
        .OkayToCloseProcedure = TstOkayToClose,
        .ParseProcedure = Parse,
    };
    return ObCreateObjectType(&name, &init, NULL, Type);
}

/* Types live forever, so they are made once, before any baseline is taken. */
static BOOLEAN TstTypes(void)
{
    if (TstType == NULL && !NT_SUCCESS(TstMakeType(u"ObTestObject", NULL, &TstType))) return FALSE;
    if (TstDeviceType == NULL && !NT_SUCCESS(TstMakeType(u"ObTestDevice", TstParse, &TstDeviceType)))
        return FALSE;
    return TRUE;
}

/* ---- Pool baseline -------------------------------------------------------------------------- */

static const ULONG TstTags[] = {
    POOL_TAG('O', 'b', 'N', 'm'), POOL_TAG('O', 'b', 'C', 'i'), POOL_TAG('O', 'b', 't', 'b'),
    POOL_TAG('O', 'b', 'D', 'i'), POOL_TAG('D', 'i', 'r', 'e'), POOL_TAG('S', 'y', 'm', 'b'),
    POOL_TAG('O', 'b', 'T', 'e'),
};
typedef struct { SIZE_T Bytes[ARRAYSIZE(TstTags)][POOL_TYPE_COUNT]; } TST_SNAPSHOT;

static VOID TstSnap(TST_SNAPSHOT *s)
{
    for (ULONG i = 0; i < ARRAYSIZE(TstTags); i++) {
        POOL_TRACKER_ENTRY e;
        ExQueryPoolTag(TstTags[i], &e);
        for (ULONG t = 0; t < POOL_TYPE_COUNT; t++) s->Bytes[i][t] = e.Pool[t].Bytes;
    }
}

static BOOLEAN TstBackToBaseline(const TST_SNAPSHOT *before)
{
    TST_SNAPSHOT now;
    TstSnap(&now);
    for (ULONG i = 0; i < ARRAYSIZE(TstTags); i++)
        for (ULONG t = 0; t < POOL_TYPE_COUNT; t++)
            if (now.Bytes[i][t] != before->Bytes[i][t]) return FALSE;
    return TRUE;
}

/* ---- Helpers ------------------------------------------------------------------------------- */

static POBJECT_ATTRIBUTES TstAttr(POBJECT_ATTRIBUTES oa, PUNICODE_STRING us, PCWSTR Name,
                                  ULONG Attributes, HANDLE Root)
{
    if (Name) RtlInitUnicodeString(us, Name);
    InitializeObjectAttributes(oa, Name ? us : NULL, Attributes, Root, NULL);
    return oa;
}

/* Creates a test object (Value) named Name (or unnamed) and returns a handle to it. */
static NTSTATUS TstCreateEx(PCWSTR Name, ULONG Attributes, HANDLE Root, ACCESS_MASK Access,
                            ULONG Value, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    PTST_OBJECT o;
    NTSTATUS status = ObCreateObject(KernelMode, TstType, TstAttr(&oa, &us, Name, Attributes, Root),
                                     KernelMode, NULL, sizeof(TST_OBJECT), 0, 0, (PVOID *)&o);
    if (!NT_SUCCESS(status)) return status;
    o->Value = Value;
    return ObInsertObject(o, NULL, Access, 0, NULL, Handle);
}

static NTSTATUS TstCreate(PCWSTR Name, ULONG Attributes, ACCESS_MASK Access, PHANDLE Handle)
{
    return TstCreateEx(Name, Attributes, NULL, Access, 0, Handle);
}

static NTSTATUS TstOpen(PCWSTR Name, ULONG Attributes, POBJECT_TYPE Type, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    return ObOpenObjectByName(TstAttr(&oa, &us, Name, Attributes, NULL), Type, KernelMode, NULL,
                              MAXIMUM_ALLOWED, NULL, Handle);
}

static PVOID TstObject(HANDLE Handle)           /* the object, without keeping a reference */
{
    PVOID o = NULL;
    if (NT_SUCCESS(ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &o, NULL))) ObDereferenceObject(o);
    return o;
}

static NTSTATUS TstMakeDirectory(PCWSTR Name, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    return NtCreateDirectoryObject(Handle, DIRECTORY_ALL_ACCESS, TstAttr(&oa, &us, Name, 0, NULL));
}

static NTSTATUS TstMakeLink(PCWSTR Name, PCWSTR Target, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us, target;
    RtlInitUnicodeString(&target, Target);
    return NtCreateSymbolicLinkObject(Handle, SYMBOLIC_LINK_ALL_ACCESS,
                                      TstAttr(&oa, &us, Name, 0, NULL), &target);
}

static BOOLEAN TstIsName(PCUNICODE_STRING S, PCWSTR Expected)
{
    UNICODE_STRING e;
    RtlInitUnicodeString(&e, Expected);
    return RtlEqualUnicodeString(S, &e, FALSE);
}

/* ---- Tests --------------------------------------------------------------------------------- */

static PCSTR TestNamespace(void)
{
    static const PCWSTR dirs[] = { u"\\", u"\\ObjectTypes", u"\\Device", u"\\Driver",
                                   u"\\BaseNamedObjects", u"\\Windows", u"\\??" };
    HANDLE h, h2;
    PVOID o;
    for (ULONG i = 0; i < ARRAYSIZE(dirs); i++) {
        CHECK(NT_SUCCESS(TstOpen(dirs[i], 0, ObDirectoryObjectType, &h)), "a namespace directory is missing");
        CHECK(NtClose(h) == STATUS_SUCCESS, "close failed");
    }
    UNICODE_STRING n = RTL_CONSTANT_STRING(u"\\ObjectTypes\\Directory");
    CHECK(NT_SUCCESS(ObReferenceObjectByName(&n, 0, NULL, 0, ObpTypeObjectType, KernelMode, NULL, &o)),
          "\\ObjectTypes\\Directory not found");
    CHECK(o == ObDirectoryObjectType, "\\ObjectTypes\\Directory is not the Directory type");
    ObDereferenceObject(o);
    UNICODE_STRING t = RTL_CONSTANT_STRING(u"\\OBJECTTYPES\\symboliclink");
    CHECK(NT_SUCCESS(ObReferenceObjectByName(&t, OBJ_CASE_INSENSITIVE, NULL, 0, ObpTypeObjectType,
                                             KernelMode, NULL, &o)) && o == ObSymbolicLinkObjectType,
          "SymbolicLink type not named");
    ObDereferenceObject(o);
    CHECK(ObGetObjectType(ObpTypeObjectType) == ObpTypeObjectType, "Type is not its own type");
    /* \DosDevices is a link to \??. */
    CHECK(NT_SUCCESS(TstOpen(u"\\DosDevices", 0, ObDirectoryObjectType, &h)), "\\DosDevices does not resolve");
    CHECK(NT_SUCCESS(TstOpen(u"\\??", 0, ObDirectoryObjectType, &h2)), "\\?? missing");
    CHECK(TstObject(h) == TstObject(h2), "\\DosDevices is not \\??");
    NtClose(h);
    NtClose(h2);
    return NULL;
}

static PCSTR TestCreateOpenClose(void)
{
    TST_SNAPSHOT base;
    HANDLE h, h2;
    PTST_OBJECT o;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes, objects = TstType->TotalNumberOfObjects;

    CHECK(TstCreateEx(NULL, 0, NULL, TST_ALL, 7, &h) == STATUS_SUCCESS, "unnamed create failed");
    CHECK(h != NULL && ((ULONG_PTR)h & 3) == 0, "handle not a multiple of 4");
    CHECK(TstType->TotalNumberOfObjects == objects + 1, "type object count wrong");
    CHECK(NT_SUCCESS(ObReferenceObjectByHandle(h, TST_QUERY, TstType, KernelMode, (PVOID *)&o, NULL)),
          "reference by handle failed");
    CHECK(o->Value == 7, "wrong body");
    CHECK(ObGetObjectPointerCount(o) == 2 && ObGetObjectHandleCount(o) == 1, "counts wrong");
    ObDereferenceObject(o);
    CHECK(NtClose(h) == STATUS_SUCCESS && TstDeletes == deletes + 1, "unnamed object not deleted once");
    CHECK(TstLastDeletedValue == 7 && TstType->TotalNumberOfObjects == objects, "wrong object deleted");

    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObT1", 0, NULL, TST_ALL, 8, &h) == STATUS_SUCCESS, "named create");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObT1", 0, TstType, &h2) == STATUS_SUCCESS, "open by name");
    CHECK(h2 != h && TstObject(h) == TstObject(h2), "open gave another object");
    CHECK(ObGetObjectHandleCount(TstObject(h)) == 2, "handle count not 2");
    CHECK(NtClose(h) == STATUS_SUCCESS && TstDeletes == deletes + 1, "deleted with a handle open");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObT1", 0, TstType, &h) == STATUS_SUCCESS, "name gone too early");
    NtClose(h);
    CHECK(NtClose(h2) == STATUS_SUCCESS && TstDeletes == deletes + 2, "named object not deleted once");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObT1", 0, TstType, &h) == STATUS_OBJECT_NAME_NOT_FOUND,
          "temporary name survived its last handle");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestCollision(void)
{
    TST_SNAPSHOT base;
    HANDLE h, h2, hd;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObDup", 0, NULL, TST_ALL, 1, &h) == STATUS_SUCCESS, "create");
    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObDup", 0, NULL, TST_ALL, 2, &h2) == STATUS_OBJECT_NAME_COLLISION,
          "no collision");
    CHECK(TstDeletes == deletes + 1 && TstLastDeletedValue == 2, "losing object not freed");
    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObDup", OBJ_OPENIF, NULL, TST_ALL, 3, &h2) == STATUS_OBJECT_NAME_EXISTS,
          "OBJ_OPENIF did not give STATUS_OBJECT_NAME_EXISTS");
    CHECK(TstObject(h2) == TstObject(h) && ((PTST_OBJECT)TstObject(h2))->Value == 1, "OPENIF: not the existing object");
    CHECK(TstDeletes == deletes + 2 && TstLastDeletedValue == 3, "OPENIF: new object not freed");
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    CHECK(NtCreateDirectoryObject(&hd, DIRECTORY_ALL_ACCESS,
                                  TstAttr(&oa, &us, u"\\BaseNamedObjects\\ObDup", OBJ_OPENIF, NULL)) ==
          STATUS_OBJECT_TYPE_MISMATCH, "OPENIF over another type");
    CHECK(NtCreateDirectoryObject(&hd, DIRECTORY_ALL_ACCESS,
                                  TstAttr(&oa, &us, u"\\BaseNamedObjects\\ObDup", 0, NULL)) ==
          STATUS_OBJECT_NAME_COLLISION, "directory over an object");
    NtClose(h);
    NtClose(h2);
    CHECK(TstDeletes == deletes + 3, "original not deleted");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestCase(void)
{
    TST_SNAPSHOT base;
    HANDLE h, h2, h3;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstCreate(u"\\BaseNamedObjects\\MixedCase", 0, TST_ALL, &h) == STATUS_SUCCESS, "create");
    CHECK(TstOpen(u"\\BaseNamedObjects\\mixedcase", 0, TstType, &h2) == STATUS_OBJECT_NAME_NOT_FOUND,
          "case-sensitive open matched another case");
    CHECK(TstOpen(u"\\basenamedobjects\\MIXEDCASE", OBJ_CASE_INSENSITIVE, TstType, &h2) == STATUS_SUCCESS,
          "case-insensitive open failed");
    CHECK(TstObject(h2) == TstObject(h), "case-insensitive open: other object");
    CHECK(TstCreate(u"\\BaseNamedObjects\\MIXEDCASE", 0, TST_ALL, &h3) == STATUS_SUCCESS,
          "case-sensitive create of another case failed");
    CHECK(TstObject(h3) != TstObject(h), "same object for two cases");
    NtClose(h3);
    CHECK(TstCreate(u"\\BaseNamedObjects\\mixedCASE", OBJ_CASE_INSENSITIVE, TST_ALL, &h3) ==
          STATUS_OBJECT_NAME_COLLISION, "case-insensitive create did not collide");
    /* Case is preserved in the stored name. */
    UCHAR buf[128];
    ULONG len;
    CHECK(NtQueryObject(h2, ObjectNameInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS, "name query");
    CHECK(TstIsName(&((POBJECT_NAME_INFORMATION)buf)->Name, u"\\BaseNamedObjects\\MixedCase"), "case not preserved");
    NtClose(h);
    NtClose(h2);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestBadNames(void)
{
    TST_SNAPSHOT base;
    HANDLE h, hd;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    CHECK(TstOpen(u"BaseNamedObjects", 0, NULL, &h) == STATUS_OBJECT_PATH_SYNTAX_BAD, "relative without root");
    CHECK(TstOpen(u"\\\\BaseNamedObjects", 0, NULL, &h) == STATUS_OBJECT_NAME_INVALID, "double separator");
    CHECK(TstOpen(u"\\BaseNamedObjects\\", 0, NULL, &h) == STATUS_OBJECT_NAME_INVALID, "trailing separator");
    CHECK(TstOpen(u"\\NoSuchDir\\X", 0, NULL, &h) == STATUS_OBJECT_PATH_NOT_FOUND, "missing directory");
    CHECK(TstOpen(u"\\BaseNamedObjects\\NoSuch", 0, NULL, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "missing name");
    CHECK(TstOpen(u"\\ObjectTypes\\Type\\X", 0, NULL, &h) == STATUS_OBJECT_TYPE_MISMATCH, "path through a non-directory");
    CHECK(TstOpen(u"", 0, NULL, &h) == STATUS_OBJECT_NAME_INVALID, "empty name");
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING odd = { 3, 4, u"\\x" };
    InitializeObjectAttributes(&oa, &odd, 0, NULL, NULL);
    CHECK(ObOpenObjectByName(&oa, NULL, KernelMode, NULL, 0, NULL, &h) == STATUS_OBJECT_NAME_INVALID, "odd length");
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    CHECK(ObOpenObjectByName(&oa, NULL, KernelMode, NULL, 0, NULL, &h) == STATUS_OBJECT_NAME_INVALID, "no name");
    InitializeObjectAttributes(&oa, NULL, 0x80000000u, NULL, NULL);
    CHECK(ObOpenObjectByName(&oa, NULL, KernelMode, NULL, 0, NULL, &h) == STATUS_INVALID_PARAMETER, "bad attributes");
    CHECK(TstCreate(u"\\NoSuchDir\\X", 0, TST_ALL, &h) == STATUS_OBJECT_PATH_NOT_FOUND, "create in missing dir");
    CHECK(TstCreate(u"NoRoot", 0, TST_ALL, &h) == STATUS_OBJECT_PATH_SYNTAX_BAD, "create relative without root");
    CHECK(TstDeletes == deletes + 2, "objects of failed inserts not freed");
    /* Relative to a directory handle: no leading separator allowed. */
    CHECK(TstOpen(u"\\BaseNamedObjects", 0, ObDirectoryObjectType, &hd) == STATUS_SUCCESS, "open BNO");
    CHECK(TstCreateEx(u"Rel1", 0, hd, TST_ALL, 5, &h) == STATUS_SUCCESS, "relative create");
    HANDLE h2;
    CHECK(TstOpen(u"\\BaseNamedObjects\\Rel1", 0, TstType, &h2) == STATUS_SUCCESS, "relative name not absolute");
    CHECK(TstObject(h2) == TstObject(h), "relative create: other object");
    NtClose(h2);
    UNICODE_STRING us;
    CHECK(ObOpenObjectByName(TstAttr(&oa, &us, u"\\Rel1", 0, hd), NULL, KernelMode, NULL, 0, NULL, &h2) ==
          STATUS_OBJECT_PATH_SYNTAX_BAD, "relative name with a leading separator");
    CHECK(ObOpenObjectByName(TstAttr(&oa, &us, u"Rel1", 0, hd), TstType, KernelMode, NULL, 0, NULL, &h2) ==
          STATUS_SUCCESS, "relative open");
    NtClose(h2);
    CHECK(ObOpenObjectByName(TstAttr(&oa, &us, u"Rel1", 0, h), NULL, KernelMode, NULL, 0, NULL, &h2) ==
          STATUS_OBJECT_TYPE_MISMATCH, "relative to a non-directory");
    NtClose(h);
    NtClose(hd);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestSymbolicLinks(void)
{
    TST_SNAPSHOT base;
    HANDLE hdir, hobj, hlink, hlink2, h;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstMakeDirectory(u"\\ObTestDir", &hdir) == STATUS_SUCCESS, "directory");
    CHECK(TstCreate(u"\\ObTestDir\\Target", 0, TST_ALL, &hobj) == STATUS_SUCCESS, "target object");
    CHECK(TstMakeLink(u"\\BaseNamedObjects\\ObLink", u"\\ObTestDir", &hlink) == STATUS_SUCCESS, "link");
    CHECK(TstMakeLink(u"\\BaseNamedObjects\\ObLink2", u"\\BaseNamedObjects\\ObLink\\Target", &hlink2) ==
          STATUS_SUCCESS, "link to link");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObLink\\Target", 0, TstType, &h) == STATUS_SUCCESS, "through link");
    CHECK(TstObject(h) == TstObject(hobj), "link led elsewhere");
    NtClose(h);
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObLink2", 0, TstType, &h) == STATUS_SUCCESS, "link chain");
    CHECK(TstObject(h) == TstObject(hobj), "link chain led elsewhere");
    NtClose(h);
    CHECK(TstOpen(u"\\BaseNamedObjects\\oblink\\target", OBJ_CASE_INSENSITIVE, TstType, &h) == STATUS_SUCCESS,
          "case-insensitive through link");
    NtClose(h);
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObLink", 0, TstType, &h) == STATUS_OBJECT_TYPE_MISMATCH,
          "link to a directory opened as another type");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObLink\\Nothing", 0, NULL, &h) == STATUS_OBJECT_NAME_NOT_FOUND,
          "missing name behind a link");
    /* Opening the link itself, and reading its target. */
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    CHECK(NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, TstAttr(&oa, &us, u"\\BaseNamedObjects\\ObLink", 0, NULL))
          == STATUS_SUCCESS, "NtOpenSymbolicLinkObject");
    CHECK(TstObject(h) == TstObject(hlink), "opened another link");
    WCHAR buf[32];
    UNICODE_STRING target = { 0, sizeof(buf), buf };
    ULONG len = 0;
    CHECK(NtQuerySymbolicLinkObject(h, &target, &len) == STATUS_SUCCESS, "query link");
    CHECK(TstIsName(&target, u"\\ObTestDir") && len == 22 && buf[10] == 0, "wrong target");
    UNICODE_STRING small = { 0, 4, buf };
    CHECK(NtQuerySymbolicLinkObject(h, &small, &len) == STATUS_BUFFER_TOO_SMALL && len == 22, "small buffer");
    CHECK(NtQuerySymbolicLinkObject(hobj, &target, &len) == STATUS_OBJECT_TYPE_MISMATCH, "query a non-link");
    NtClose(h);
    /* Creating over an existing link's name collides rather than following it. */
    CHECK(TstCreate(u"\\BaseNamedObjects\\ObLink", 0, TST_ALL, &h) == STATUS_OBJECT_NAME_COLLISION,
          "create over a link");
    /* Creating through a link puts the object in the target directory. */
    CHECK(TstCreate(u"\\BaseNamedObjects\\ObLink\\New", 0, TST_ALL, &h) == STATUS_SUCCESS, "create via link");
    HANDLE h2;
    CHECK(TstOpen(u"\\ObTestDir\\New", 0, TstType, &h2) == STATUS_SUCCESS, "created in the wrong place");
    NtClose(h2);
    NtClose(h);
    NtClose(hlink2);
    NtClose(hlink);
    NtClose(hobj);
    NtClose(hdir);
    CHECK(TstOpen(u"\\ObTestDir", 0, NULL, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "temporary directory stayed");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestLinkLoop(void)
{
    TST_SNAPSHOT base;
    HANDLE a, b, self, h;
    TstSnap(&base);
    CHECK(TstMakeLink(u"\\BaseNamedObjects\\LoopA", u"\\BaseNamedObjects\\LoopB", &a) == STATUS_SUCCESS, "A");
    CHECK(TstMakeLink(u"\\BaseNamedObjects\\LoopB", u"\\BaseNamedObjects\\LoopA", &b) == STATUS_SUCCESS, "B");
    CHECK(TstMakeLink(u"\\BaseNamedObjects\\Self", u"\\BaseNamedObjects\\Self\\x", &self) == STATUS_SUCCESS, "self");
    CHECK(TstOpen(u"\\BaseNamedObjects\\LoopA", 0, NULL, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "A<->B loop");
    CHECK(TstOpen(u"\\BaseNamedObjects\\LoopB\\x\\y", 0, NULL, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "loop with a rest");
    /* A link that grows the name on every turn ends at the length limit or the reparse bound. */
    NTSTATUS s = TstOpen(u"\\BaseNamedObjects\\Self", 0, NULL, &h);
    CHECK(s == STATUS_OBJECT_NAME_NOT_FOUND || s == STATUS_NAME_TOO_LONG, "growing loop");
    NtClose(a);
    NtClose(b);
    NtClose(self);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestParseProcedure(void)
{
    TST_SNAPSHOT base;
    HANDLE hdev, hlink, h;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us;
    PVOID dev;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(NT_SUCCESS(ObCreateObject(KernelMode, TstDeviceType, TstAttr(&oa, &us, u"\\Device\\ObTestDev", 0, NULL),
                                    KernelMode, NULL, sizeof(TST_OBJECT), 0, 0, &dev)), "device object");
    CHECK(ObInsertObject(dev, NULL, TST_ALL, 0, NULL, &hdev) == STATUS_SUCCESS, "insert device");
    CHECK(TstMakeLink(u"\\??\\Q:", u"\\Device\\ObTestDev", &hlink) == STATUS_SUCCESS, "drive link");
    TstParsedLength = 99;
    CHECK(TstOpen(u"\\??\\Q:\\dir\\file.txt", 0, NULL, &h) == STATUS_SUCCESS, "open through device parse");
    UNICODE_STRING rest = { (USHORT)TstParsedLength, sizeof(TstParsedRemaining), TstParsedRemaining };
    CHECK(TstIsName(&rest, u"\\dir\\file.txt"), "parse got the wrong remaining name");
    CHECK(TstObject(h) == dev, "parse result not returned");
    NtClose(h);
    CHECK(TstOpen(u"\\??\\Q:", 0, NULL, &h) == STATUS_SUCCESS && TstParsedLength == 0, "device itself: empty rest");
    NtClose(h);
    NtClose(hlink);
    NtClose(hdev);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

/* Enumerates Dir one entry at a time; returns how many entries, checking all are distinct. */
static LONG TstCountSingly(HANDLE Dir)
{
    ULONG ctx = 0, len;
    UCHAR buf[256];
    WCHAR seen[8];
    LONG n = 0;
    NTSTATUS s;
    BOOLEAN restart = TRUE;
    while ((s = NtQueryDirectoryObject(Dir, buf, sizeof(buf), TRUE, restart, &ctx, &len)) == STATUS_SUCCESS) {
        POBJECT_DIRECTORY_INFORMATION e = (POBJECT_DIRECTORY_INFORMATION)buf;
        if (!TstIsName(&e->TypeName, u"ObTestObject") || e->Name.Length != 4 || e[1].Name.Buffer != NULL) return -1;
        for (LONG i = 0; i < n; i++) if (seen[i] == e->Name.Buffer[1]) return -2;
        if (n == 8) return -3;
        seen[n++] = e->Name.Buffer[1];
        restart = FALSE;
    }
    return s == STATUS_NO_MORE_ENTRIES ? n : -4;
}

static PCSTR TestDirectoryQuery(void)
{
    TST_SNAPSHOT base;
    HANDLE dir, h[5], hq;
    static const PCWSTR names[] = { u"\\ObQueryDir\\Q1", u"\\ObQueryDir\\Q2", u"\\ObQueryDir\\Q3",
                                    u"\\ObQueryDir\\Q4", u"\\ObQueryDir\\Q5" };
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstMakeDirectory(u"\\ObQueryDir", &dir) == STATUS_SUCCESS, "directory");
    ULONG ctx = 0, len = 0;
    UCHAR buf[512];
    CHECK(NtQueryDirectoryObject(dir, buf, sizeof(buf), FALSE, TRUE, &ctx, &len) == STATUS_NO_MORE_ENTRIES,
          "empty directory");
    for (ULONG i = 0; i < 5; i++)
        CHECK(TstCreate(names[i], 0, TST_ALL, &h[i]) == STATUS_SUCCESS, "create");
    CHECK(TstCountSingly(dir) == 5, "single-entry enumeration wrong");

    /* All at once: 5 entries, a zero entry, then the strings. */
    ctx = 1234;
    CHECK(NtQueryDirectoryObject(dir, buf, sizeof(buf), FALSE, TRUE, &ctx, &len) == STATUS_SUCCESS, "full query");
    POBJECT_DIRECTORY_INFORMATION e = (POBJECT_DIRECTORY_INFORMATION)buf;
    CHECK(ctx == 5, "context not 5");
    CHECK(e[5].Name.Length == 0 && e[5].Name.Buffer == NULL && e[5].TypeName.Buffer == NULL, "no terminating entry");
    ULONG expect = 6 * sizeof(*e) + 5 * (4 + 2 + 24 + 2);
    CHECK(len == expect, "return length wrong");
    for (ULONG i = 0; i < 5; i++) {
        CHECK((PUCHAR)e[i].Name.Buffer >= buf + 6 * sizeof(*e) && (PUCHAR)e[i].Name.Buffer < buf + len, "string outside");
        CHECK(e[i].Name.Buffer[e[i].Name.Length / 2] == 0, "name not terminated");
    }
    CHECK(NtQueryDirectoryObject(dir, buf, sizeof(buf), FALSE, FALSE, &ctx, &len) == STATUS_NO_MORE_ENTRIES,
          "continuing after the end");

    /* Too small for one entry; room for two; the rest from the context. */
    ctx = 0;
    CHECK(NtQueryDirectoryObject(dir, buf, 20, FALSE, TRUE, &ctx, &len) == STATUS_BUFFER_TOO_SMALL, "tiny buffer");
    CHECK(len == 2 * sizeof(*e) + 4 + 2 + 24 + 2 && ctx == 0, "needed length wrong");
    ULONG two = 3 * sizeof(*e) + 2 * (4 + 2 + 24 + 2);
    CHECK(NtQueryDirectoryObject(dir, buf, two, FALSE, TRUE, &ctx, &len) == STATUS_MORE_ENTRIES, "partial");
    CHECK(ctx == 2 && len == two, "partial: context or length");
    CHECK(NtQueryDirectoryObject(dir, buf, sizeof(buf), FALSE, FALSE, &ctx, &len) == STATUS_SUCCESS && ctx == 5,
          "rest after partial");
    CHECK(TstOpen(u"\\ObQueryDir", 0, ObDirectoryObjectType, &hq) == STATUS_SUCCESS, "open dir");
    CHECK(NtQueryDirectoryObject(h[0], buf, sizeof(buf), FALSE, TRUE, &ctx, &len) == STATUS_OBJECT_TYPE_MISMATCH,
          "query a non-directory");
    NtClose(hq);
    for (ULONG i = 0; i < 5; i++) NtClose(h[i]);
    CHECK(NtQueryDirectoryObject(dir, buf, sizeof(buf), FALSE, TRUE, &ctx, &len) == STATUS_NO_MORE_ENTRIES,
          "closed objects still listed");
    NtClose(dir);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestAccess(void)
{
    TST_SNAPSHOT base;
    HANDLE h;
    PVOID o;
    OBJECT_BASIC_INFORMATION bi;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstCreate(NULL, 0, TST_QUERY, &h) == STATUS_SUCCESS, "create");
    CHECK(ObReferenceObjectByHandle(h, TST_MODIFY, TstType, UserMode, &o, NULL) == STATUS_ACCESS_DENIED,
          "user mode got a right it was not granted");
    CHECK(o == NULL, "object returned on failure");
    CHECK(ObReferenceObjectByHandle(h, TST_MODIFY, TstType, KernelMode, &o, NULL) == STATUS_SUCCESS,
          "kernel mode is not checked");
    ObDereferenceObject(o);
    OBJECT_HANDLE_INFORMATION hi;
    CHECK(ObReferenceObjectByHandle(h, TST_QUERY, TstType, UserMode, &o, &hi) == STATUS_SUCCESS, "granted right");
    CHECK(hi.GrantedAccess == TST_QUERY && hi.HandleAttributes == 0, "handle information");
    ObDereferenceObject(o);
    NtClose(h);
    /* Generic rights map through the type; MAXIMUM_ALLOWED gives the valid mask. */
    CHECK(TstCreate(NULL, 0, GENERIC_READ, &h) == STATUS_SUCCESS, "create generic");
    CHECK(NtQueryObject(h, ObjectBasicInformation, &bi, sizeof(bi), NULL) == STATUS_SUCCESS, "query");
    CHECK(bi.GrantedAccess == (READ_CONTROL | TST_QUERY), "GENERIC_READ not mapped");
    CHECK(ObReferenceObjectByHandle(h, GENERIC_READ, TstType, UserMode, &o, NULL) == STATUS_SUCCESS,
          "generic desired access not mapped");
    ObDereferenceObject(o);
    NtClose(h);
    CHECK(TstCreate(NULL, 0, MAXIMUM_ALLOWED, &h) == STATUS_SUCCESS, "create max");
    CHECK(NtQueryObject(h, ObjectBasicInformation, &bi, sizeof(bi), NULL) == STATUS_SUCCESS &&
          bi.GrantedAccess == TST_ALL, "MAXIMUM_ALLOWED");
    NtClose(h);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestInvalidHandles(void)
{
    TST_SNAPSHOT base;
    HANDLE h;
    PVOID o;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(ObReferenceObjectByHandle(NULL, 0, NULL, KernelMode, &o, NULL) == STATUS_INVALID_HANDLE, "NULL");
    CHECK(ObReferenceObjectByHandle((HANDLE)0x00FFFFF0, 0, NULL, KernelMode, &o, NULL) == STATUS_INVALID_HANDLE,
          "garbage");
    /* NtCurrentProcess() is no table entry: invalid until Ps exists, then the caller's process. */
    if (PsInitialSystemProcess == NULL) {
        CHECK(ObReferenceObjectByHandle(NtCurrentProcess(), 0, NULL, KernelMode, &o, NULL) == STATUS_INVALID_HANDLE,
              "NtCurrentProcess before Ps");
    } else {
        CHECK(ObReferenceObjectByHandle(NtCurrentProcess(), 0, NULL, KernelMode, &o, NULL) == STATUS_SUCCESS &&
              o == PsGetCurrentProcess(), "NtCurrentProcess is not the current process");
        ObDereferenceObject(o);
    }
    CHECK(ObReferenceObjectByHandle((HANDLE)0x7FFFFFFC, 0, NULL, KernelMode, &o, NULL) == STATUS_INVALID_HANDLE,
          "huge");
    CHECK(TstCreate(NULL, 0, TST_ALL, &h) == STATUS_SUCCESS, "create");
    CHECK(ObReferenceObjectByHandle(h, 0, ObDirectoryObjectType, KernelMode, &o, NULL) == STATUS_OBJECT_TYPE_MISMATCH,
          "type mismatch");
    CHECK(ObReferenceObjectByHandle((HANDLE)((ULONG_PTR)h | 3), 0, TstType, KernelMode, &o, NULL) == STATUS_SUCCESS,
          "low two bits not ignored");
    ObDereferenceObject(o);
    CHECK(NtClose(h) == STATUS_SUCCESS, "close");
    CHECK(NtClose(h) == STATUS_INVALID_HANDLE, "double close");
    CHECK(ObReferenceObjectByHandle(h, 0, NULL, KernelMode, &o, NULL) == STATUS_INVALID_HANDLE, "stale handle");
    CHECK(NtClose(NULL) == STATUS_INVALID_HANDLE && NtClose(NtCurrentThread()) == STATUS_INVALID_HANDLE, "bad close");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestHandleValues(void)
{
    TST_SNAPSHOT base;
    HANDLE src, h[100];
    PHANDLE_TABLE t;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    CHECK(TstCreate(NULL, 0, TST_ALL, &src) == STATUS_SUCCESS, "create");
    PVOID o = TstObject(src);
    CHECK(ObCreateHandleTable(NULL, &t) == STATUS_SUCCESS, "table");
    for (ULONG i = 0; i < 3; i++)
        CHECK(ObDuplicateObject(ObGetCurrentHandleTable(), src, t, &h[i], 0, 0, DUPLICATE_SAME_ACCESS,
                                KernelMode) == STATUS_SUCCESS, "duplicate");
    CHECK(h[0] == (HANDLE)4 && h[1] == (HANDLE)8 && h[2] == (HANDLE)12, "handles not 4, 8, 12");
    CHECK(ObpCloseHandleInTable(t, h[1], KernelMode, FALSE) == STATUS_SUCCESS, "close 8");
    CHECK(ObDuplicateObject(ObGetCurrentHandleTable(), src, t, &h[1], 0, 0, DUPLICATE_SAME_ACCESS, KernelMode)
          == STATUS_SUCCESS && h[1] == (HANDLE)8, "freed handle value not reused");
    /* Growth past the first allocation keeps every handle valid and distinct. */
    for (ULONG i = 3; i < 100; i++) {
        CHECK(ObDuplicateObject(ObGetCurrentHandleTable(), src, t, &h[i], 0, 0, DUPLICATE_SAME_ACCESS,
                                KernelMode) == STATUS_SUCCESS, "duplicate many");
        CHECK(h[i] == (HANDLE)(ULONG_PTR)(4 * (i + 1)), "handles not consecutive multiples of 4");
    }
    CHECK(ObGetHandleCount(t) == 100 && ObGetObjectHandleCount(o) == 101, "counts after growth");
    for (ULONG i = 0; i < 100; i++) {
        HANDLE_TABLE_ENTRY e;
        PVOID x;
        CHECK(ObpReferenceHandle(t, h[i], &x, &e) == STATUS_SUCCESS && x == o, "entry lost in growth");
        ObDereferenceObject(x);
    }
    ObKillHandleTable(t);
    CHECK(ObGetObjectHandleCount(o) == 1 && ObGetObjectPointerCount(o) == 1, "kill did not close all");
    NtClose(src);
    CHECK(TstDeletes == deletes + 1, "object not deleted");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestDuplicate(void)
{
    TST_SNAPSHOT base;
    HANDLE src, d;
    PVOID o;
    OBJECT_HANDLE_FLAG_INFORMATION f;
    OBJECT_BASIC_INFORMATION bi;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    CHECK(TstCreate(NULL, OBJ_INHERIT, TST_QUERY | TST_MODIFY, &src) == STATUS_SUCCESS, "create");
    o = TstObject(src);
    /* DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES */
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NtCurrentProcess(), &d, 0, 0,
                            DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES) == STATUS_SUCCESS, "same access");
    CHECK(d != src && TstObject(d) == o && ObGetObjectHandleCount(o) == 2, "duplicate not to the object");
    CHECK(NtQueryObject(d, ObjectBasicInformation, &bi, sizeof(bi), NULL) == STATUS_SUCCESS, "query");
    CHECK(bi.GrantedAccess == (TST_QUERY | TST_MODIFY) && (bi.Attributes & OBJ_INHERIT), "access or attributes lost");
    NtClose(d);
    /* Explicit access and attributes. */
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NtCurrentProcess(), &d, TST_QUERY, 0, 0) == STATUS_SUCCESS,
          "explicit access");
    CHECK(NtQueryObject(d, ObjectBasicInformation, &bi, sizeof(bi), NULL) == STATUS_SUCCESS &&
          bi.GrantedAccess == TST_QUERY && !(bi.Attributes & OBJ_INHERIT), "explicit access or attributes wrong");
    NtClose(d);
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NtCurrentProcess(), &d, 0, OBJ_PROTECT_CLOSE,
                            DUPLICATE_SAME_ACCESS) == STATUS_SUCCESS, "protected duplicate");
    CHECK(NtQueryObject(d, ObjectHandleFlagInformation, &f, sizeof(f), NULL) == STATUS_SUCCESS &&
          f.ProtectFromClose && !f.Inherit, "HandleAttributes not applied");
    CHECK(NtClose(d) == STATUS_HANDLE_NOT_CLOSABLE, "protected handle closed");
    f.ProtectFromClose = FALSE;
    CHECK(NtSetInformationObject(d, ObjectHandleFlagInformation, &f, sizeof(f)) == STATUS_SUCCESS, "unprotect");
    CHECK(NtClose(d) == STATUS_SUCCESS, "unprotected handle not closed");
    /* A user-mode caller cannot gain rights by duplicating. */
    HANDLE_TABLE_ENTRY e;
    CHECK(ObDuplicateObject(ObGetCurrentHandleTable(), src, ObGetCurrentHandleTable(), &d, TST_ALL, 0, 0,
                            UserMode) == STATUS_ACCESS_DENIED, "user mode gained access");
    /* Bad arguments. */
    CHECK(NtDuplicateObject((HANDLE)8, src, NtCurrentProcess(), &d, 0, 0, 0) == STATUS_INVALID_HANDLE,
          "unknown source process");
    CHECK(NtDuplicateObject(NtCurrentProcess(), (HANDLE)0x00FFFFF0, NtCurrentProcess(), &d, 0, 0, 0) ==
          STATUS_INVALID_HANDLE, "bad source handle");
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NtCurrentProcess(), &d, 0, 0, 0x80) ==
          STATUS_INVALID_PARAMETER, "bad options");
    /* DUPLICATE_CLOSE_SOURCE moves the handle. */
    HANDLE old = src;
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NtCurrentProcess(), &src, 0, 0,
                            DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE) == STATUS_SUCCESS, "close source");
    CHECK(ObGetObjectHandleCount(o) == 1 && TstObject(src) == o, "moved handle wrong");
    CHECK(src == old || ObpReferenceHandle(ObGetCurrentHandleTable(), old, &o, &e) == STATUS_INVALID_HANDLE,
          "source still open");
    /* No target process: only the close. */
    CHECK(NtDuplicateObject(NtCurrentProcess(), src, NULL, NULL, 0, 0, DUPLICATE_CLOSE_SOURCE) == STATUS_SUCCESS,
          "close-only duplicate");
    CHECK(TstDeletes == deletes + 1, "object not deleted by the close-only duplicate");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestInheritance(void)
{
    TST_SNAPSHOT base;
    HANDLE a, b, ha, hb, hc;
    PHANDLE_TABLE parent, child;
    PVOID x;
    HANDLE_TABLE_ENTRY e;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    PHANDLE_TABLE cur = ObGetCurrentHandleTable();
    CHECK(TstCreateEx(NULL, 0, NULL, TST_QUERY, 1, &a) == STATUS_SUCCESS, "a");
    CHECK(TstCreateEx(NULL, 0, NULL, TST_ALL, 2, &b) == STATUS_SUCCESS, "b");
    CHECK(ObCreateHandleTable(NULL, &parent) == STATUS_SUCCESS, "parent");
    CHECK(ObDuplicateObject(cur, a, parent, &ha, 0, 0, DUPLICATE_SAME_ACCESS, KernelMode) == STATUS_SUCCESS, "ha");
    CHECK(ObDuplicateObject(cur, b, parent, &hb, 0, OBJ_INHERIT, DUPLICATE_SAME_ACCESS, KernelMode) == STATUS_SUCCESS, "hb");
    CHECK(ObDuplicateObject(cur, a, parent, &hc, TST_QUERY, OBJ_INHERIT, 0, KernelMode) == STATUS_SUCCESS, "hc");
    CHECK(ObCreateHandleTable(parent, &child) == STATUS_SUCCESS, "child");
    CHECK(ObGetHandleCount(child) == 2, "child does not have exactly the inheritable handles");
    CHECK(ObpReferenceHandle(child, ha, &x, &e) == STATUS_INVALID_HANDLE, "non-inheritable handle inherited");
    CHECK(ObpReferenceHandle(child, hb, &x, &e) == STATUS_SUCCESS && x == TstObject(b), "hb not inherited at its value");
    CHECK(e.GrantedAccess == TST_ALL && (e.Attributes & OBJ_INHERIT), "inherited access or attributes");
    ObDereferenceObject(x);
    CHECK(ObpReferenceHandle(child, hc, &x, &e) == STATUS_SUCCESS && x == TstObject(a) && e.GrantedAccess == TST_QUERY,
          "hc not inherited");
    ObDereferenceObject(x);
    CHECK(ObGetObjectHandleCount(TstObject(a)) == 4 && ObGetObjectHandleCount(TstObject(b)) == 3, "handle counts");
    ObKillHandleTable(child);
    ObKillHandleTable(parent);
    CHECK(ObGetObjectHandleCount(TstObject(a)) == 1 && ObGetObjectHandleCount(TstObject(b)) == 1, "counts after kill");
    NtClose(a);
    NtClose(b);
    CHECK(TstDeletes == deletes + 2, "objects not deleted");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestProtectAndKill(void)
{
    TST_SNAPSHOT base;
    HANDLE h, v, d;
    PHANDLE_TABLE t;
    OBJECT_HANDLE_FLAG_INFORMATION f = { FALSE, TRUE };
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes;
    CHECK(TstCreate(NULL, 0, TST_ALL, &h) == STATUS_SUCCESS, "create");
    CHECK(NtSetInformationObject(h, ObjectHandleFlagInformation, &f, sizeof(f)) == STATUS_SUCCESS, "protect");
    CHECK(NtClose(h) == STATUS_HANDLE_NOT_CLOSABLE, "protected handle closed");
    CHECK(NtSetInformationObject(h, ObjectHandleFlagInformation, &f, 1) == STATUS_INFO_LENGTH_MISMATCH, "length");
    CHECK(NtSetInformationObject(h, ObjectBasicInformation, &f, sizeof(f)) == STATUS_INVALID_INFO_CLASS, "class");
    /* A protected handle in a table that is killed is closed all the same. */
    CHECK(ObCreateHandleTable(NULL, &t) == STATUS_SUCCESS, "table");
    CHECK(ObDuplicateObject(ObGetCurrentHandleTable(), h, t, &d, 0, 0, DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES,
                            KernelMode) == STATUS_SUCCESS, "dup");
    CHECK(ObpCloseHandleInTable(t, d, KernelMode, FALSE) == STATUS_HANDLE_NOT_CLOSABLE, "protection not copied");
    ObKillHandleTable(t);
    CHECK(ObGetObjectHandleCount(TstObject(h)) == 1, "kill left the protected handle");
    f.ProtectFromClose = FALSE;
    NtSetInformationObject(h, ObjectHandleFlagInformation, &f, sizeof(f));
    CHECK(NtClose(h) == STATUS_SUCCESS && TstDeletes == deletes + 1, "unprotected close");
    /* The type's OkayToClose procedure can refuse. */
    CHECK(TstCreateEx(NULL, 0, NULL, TST_ALL, TST_VETO, &v) == STATUS_SUCCESS, "veto object");
    CHECK(NtClose(v) == STATUS_HANDLE_NOT_CLOSABLE, "OkayToClose ignored");
    ((PTST_OBJECT)TstObject(v))->Value = 0;
    CHECK(NtClose(v) == STATUS_SUCCESS && TstDeletes == deletes + 2, "close after veto lifted");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestLifetime(void)
{
    TST_SNAPSHOT base;
    HANDLE h, h2;
    PTST_OBJECT o;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    ULONG deletes = TstDeletes, closes = TstCloses;
    /* A reference keeps an object alive after its name and handles are gone. */
    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObLife", 0, NULL, TST_ALL, 11, &h) == STATUS_SUCCESS, "create");
    CHECK(ObReferenceObjectByHandle(h, 0, TstType, KernelMode, (PVOID *)&o, NULL) == STATUS_SUCCESS, "ref");
    CHECK(ObReferenceObjectByPointer(o, 0, TstType, KernelMode) == STATUS_SUCCESS, "by pointer");
    CHECK(ObReferenceObjectByPointer(o, 0, ObDirectoryObjectType, KernelMode) == STATUS_OBJECT_TYPE_MISMATCH,
          "by pointer: type not checked");
    CHECK(ObGetObjectPointerCount(o) == 4, "pointer count: handle, directory, two references");
    CHECK(NtClose(h) == STATUS_SUCCESS && TstCloses == closes + 1 && TstLastCloseCount == 1, "Close procedure");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObLife", 0, TstType, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "name kept");
    CHECK(ObGetObjectPointerCount(o) == 2 && TstDeletes == deletes, "deleted while referenced");
    ObDereferenceObject(o);
    CHECK(TstDeletes == deletes, "deleted while referenced");
    ObDereferenceObject(o);
    CHECK(TstDeletes == deletes + 1 && TstLastDeletedValue == 11, "not deleted at the last reference");
    /* A permanent object outlives its handles until made temporary. */
    CHECK(TstCreateEx(u"\\BaseNamedObjects\\ObPerm", OBJ_PERMANENT, NULL, TST_ALL, 12, &h) == STATUS_SUCCESS, "perm");
    OBJECT_BASIC_INFORMATION bi;
    CHECK(NtQueryObject(h, ObjectBasicInformation, &bi, sizeof(bi), NULL) == STATUS_SUCCESS &&
          (bi.Attributes & OBJ_PERMANENT), "OBJ_PERMANENT not reported");
    NtClose(h);
    CHECK(TstDeletes == deletes + 1, "permanent object deleted");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObPerm", 0, TstType, &h) == STATUS_SUCCESS, "permanent name gone");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObPerm", 0, TstType, &h2) == STATUS_SUCCESS, "second open");
    CHECK(NtMakeTemporaryObject(h) == STATUS_SUCCESS, "make temporary");
    NtClose(h);
    CHECK(TstDeletes == deletes + 1, "deleted with a handle open");
    NtClose(h2);
    CHECK(TstDeletes == deletes + 2 && TstLastDeletedValue == 12, "temporary object not deleted");
    CHECK(TstOpen(u"\\BaseNamedObjects\\ObPerm", 0, TstType, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "name stayed");
    /* Created but never inserted: the creator's dereference deletes it. */
    CHECK(NT_SUCCESS(ObCreateObject(KernelMode, TstType, NULL, KernelMode, NULL, sizeof(TST_OBJECT), 0, 0,
                                    (PVOID *)&o)), "create only");
    ObDereferenceObject(o);
    CHECK(TstDeletes == deletes + 3, "uninserted object not deleted");
    /* ObjectPointerBias and NewObject. */
    CHECK(NT_SUCCESS(ObCreateObject(KernelMode, TstType, NULL, KernelMode, NULL, sizeof(TST_OBJECT), 0, 0,
                                    (PVOID *)&o)), "create");
    PVOID n;
    CHECK(ObInsertObject(o, NULL, TST_ALL, 2, &n, &h) == STATUS_SUCCESS && n == o, "insert with bias");
    CHECK(ObGetObjectPointerCount(o) == 3, "bias not applied");
    CHECK(ObInsertObject(o, NULL, TST_ALL, 0, NULL, &h2) == STATUS_INVALID_PARAMETER, "inserted twice");
    NtClose(h);
    ObDereferenceObject(o);
    ObDereferenceObject(o);
    CHECK(TstDeletes == deletes + 4, "biased object not deleted");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestQueryObject(void)
{
    TST_SNAPSHOT base;
    HANDLE h, root;
    UCHAR buf[256];
    ULONG len;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstCreate(u"\\BaseNamedObjects\\ObQ", OBJ_INHERIT, TST_QUERY, &h) == STATUS_SUCCESS, "create");
    POBJECT_BASIC_INFORMATION bi = (POBJECT_BASIC_INFORMATION)buf;
    CHECK(NtQueryObject(h, ObjectBasicInformation, buf, sizeof(*bi), &len) == STATUS_SUCCESS && len == 56, "basic");
    CHECK(bi->HandleCount == 1 && bi->PointerCount == 2 && bi->GrantedAccess == TST_QUERY, "basic counts/access");
    CHECK(bi->Attributes == OBJ_INHERIT, "basic attributes");
    CHECK(bi->NameInfoSize == sizeof(OBJECT_NAME_INFORMATION) + 42 + 2, "NameInfoSize");
    CHECK(NtQueryObject(h, ObjectBasicInformation, buf, 8, &len) == STATUS_INFO_LENGTH_MISMATCH && len == 56, "short basic");
    CHECK(NtQueryObject(h, ObjectNameInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS, "name");
    POBJECT_NAME_INFORMATION ni = (POBJECT_NAME_INFORMATION)buf;
    CHECK(TstIsName(&ni->Name, u"\\BaseNamedObjects\\ObQ") && len == sizeof(*ni) + 44, "name wrong");
    CHECK((PUCHAR)ni->Name.Buffer == buf + sizeof(*ni), "name not after the structure");
    CHECK(NtQueryObject(h, ObjectNameInformation, buf, 12, &len) == STATUS_INFO_LENGTH_MISMATCH && len == sizeof(*ni) + 44,
          "short name buffer");
    CHECK(NtQueryObject(h, ObjectTypeInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS, "type");
    POBJECT_TYPE_INFORMATION ti = (POBJECT_TYPE_INFORMATION)buf;
    CHECK(TstIsName(&ti->TypeName, u"ObTestObject") && ti->ValidAccessMask == TST_ALL, "type information");
    CHECK(ti->TotalNumberOfObjects >= 1 && ti->TotalNumberOfHandles >= 1, "type counts");
    CHECK(NtQueryObject(h, (OBJECT_INFORMATION_CLASS)77, buf, sizeof(buf), &len) == STATUS_INVALID_INFO_CLASS, "class");
    CHECK(NtQueryObject((HANDLE)0x00FFFFF0, ObjectBasicInformation, buf, sizeof(buf), &len) == STATUS_INVALID_HANDLE,
          "bad handle");
    NtClose(h);
    CHECK(TstOpen(u"\\", 0, ObDirectoryObjectType, &root) == STATUS_SUCCESS, "root");
    CHECK(NtQueryObject(root, ObjectNameInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS &&
          TstIsName(&ni->Name, u"\\"), "root is not named \\");
    NtClose(root);
    CHECK(TstCreate(NULL, 0, TST_QUERY, &h) == STATUS_SUCCESS, "unnamed");
    CHECK(NtQueryObject(h, ObjectNameInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS &&
          ni->Name.Length == 0 && len == sizeof(*ni), "unnamed object has a name");
    NtClose(h);
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestKernelHandles(void)
{
    TST_SNAPSHOT base;
    HANDLE h;
    PVOID o;
    CHECK(TstTypes(), "test types");
    TstSnap(&base);
    CHECK(TstCreate(NULL, OBJ_KERNEL_HANDLE, TST_ALL, &h) == STATUS_SUCCESS, "create");
    CHECK(((ULONG_PTR)h & KERNEL_HANDLE_MASK) && ((ULONG_PTR)h & 3) == 0, "kernel handle without the top bit");
    CHECK(ObReferenceObjectByHandle(h, 0, TstType, KernelMode, &o, NULL) == STATUS_SUCCESS, "kernel mode use");
    ObDereferenceObject(o);
    CHECK(ObReferenceObjectByHandle(h, 0, TstType, UserMode, &o, NULL) == STATUS_INVALID_HANDLE,
          "user mode used a kernel handle");
    CHECK(ObCloseHandle(h, UserMode) == STATUS_INVALID_HANDLE, "user mode closed a kernel handle");
    CHECK(NtClose(h) == STATUS_SUCCESS, "close kernel handle");
    CHECK(TstBackToBaseline(&base), "pool tags not back to baseline");
    return NULL;
}

static PCSTR TestTypes(void)
{
    POBJECT_TYPE t;
    UNICODE_STRING bad = RTL_CONSTANT_STRING(u"A\\B");
    OBJECT_TYPE_INITIALIZER init = { .Length = sizeof(init), .PoolType = PagedPool };
    CHECK(TstTypes(), "test types");
    CHECK(ObCreateObjectType(&bad, &init, NULL, &t) == STATUS_OBJECT_NAME_INVALID, "type name with separator");
    init.Length = 3;
    UNICODE_STRING good = RTL_CONSTANT_STRING(u"Whatever");
    CHECK(ObCreateObjectType(&good, &init, NULL, &t) == STATUS_INVALID_PARAMETER, "bad initializer length");
    CHECK(TstType->Key == POOL_TAG('O', 'b', 'T', 'e'), "type key is not the name's first characters");
    UNICODE_STRING n = RTL_CONSTANT_STRING(u"\\ObjectTypes\\ObTestDevice");
    PVOID o;
    CHECK(ObReferenceObjectByName(&n, 0, NULL, 0, ObpTypeObjectType, KernelMode, NULL, &o) == STATUS_SUCCESS &&
          o == TstDeviceType, "new type not in \\ObjectTypes");
    ObDereferenceObject(o);
    return NULL;
}

static PCSTR TestUnicode(void)
{
    UNICODE_STRING a, b;
    RtlInitUnicodeString(&a, u"\\Device\\Caf\u00e9");
    RtlInitUnicodeString(&b, u"\\DEVICE\\CAF\u00c9");
    CHECK(a.Length == 24 && a.MaximumLength == 26, "RtlInitUnicodeString lengths");
    CHECK(!RtlEqualUnicodeString(&a, &b, FALSE) && RtlEqualUnicodeString(&a, &b, TRUE), "Latin-1 case folding");
    CHECK(RtlUpcaseUnicodeChar(u'\u00ff') == 0x178 && RtlUpcaseUnicodeChar(u'\u00f7') == 0xF7, "upcase specials");
    CHECK(RtlUpcaseUnicodeChar(0x101) == 0x100 && RtlDowncaseUnicodeChar(0x100) == 0x101, "Latin Extended-A");
    UNICODE_STRING p = RTL_CONSTANT_STRING(u"\\device");
    CHECK(RtlPrefixUnicodeString(&p, &a, TRUE) && !RtlPrefixUnicodeString(&p, &a, FALSE), "prefix");
    CHECK(RtlCompareUnicodeString(&p, &a, TRUE) < 0 && RtlCompareUnicodeString(&a, &p, TRUE) > 0, "compare");
    WCHAR buf[12];
    UNICODE_STRING d = { 0, sizeof(buf), buf };
    RtlCopyUnicodeString(&d, &p);
    CHECK(d.Length == p.Length && buf[7] == 0, "copy");
    CHECK(RtlAppendUnicodeStringToString(&d, &p) == STATUS_BUFFER_TOO_SMALL, "append overflow");
    UNICODE_STRING x = RTL_CONSTANT_STRING(u"\\x");
    CHECK(RtlAppendUnicodeStringToString(&d, &x) == STATUS_SUCCESS && d.Length == 18, "append");
    RtlInitUnicodeStringFromAscii(&d, buf, sizeof(buf), "abc");
    CHECK(d.Length == 6 && buf[3] == 0 && buf[0] == 'a', "from ASCII");
    RtlInitUnicodeString(&d, NULL);
    CHECK(d.Length == 0 && d.MaximumLength == 0 && d.Buffer == NULL, "NULL source");
    return NULL;
}

SELFTEST("ob.namespace", TestNamespace);
SELFTEST("ob.create_open_close", TestCreateOpenClose);
SELFTEST("ob.collision_openif", TestCollision);
SELFTEST("ob.case", TestCase);
SELFTEST("ob.bad_names", TestBadNames);
SELFTEST("ob.symbolic_links", TestSymbolicLinks);
SELFTEST("ob.link_loop", TestLinkLoop);
SELFTEST("ob.parse_procedure", TestParseProcedure);
SELFTEST("ob.directory_query", TestDirectoryQuery);
SELFTEST("ob.access", TestAccess);
SELFTEST("ob.invalid_handles", TestInvalidHandles);
SELFTEST("ob.handle_values", TestHandleValues);
SELFTEST("ob.duplicate", TestDuplicate);
SELFTEST("ob.inheritance", TestInheritance);
SELFTEST("ob.protect_kill", TestProtectAndKill);
SELFTEST("ob.lifetime", TestLifetime);
SELFTEST("ob.query_object", TestQueryObject);
SELFTEST("ob.kernel_handles", TestKernelHandles);
SELFTEST("ob.types", TestTypes);
SELFTEST("ob.unicode", TestUnicode);
