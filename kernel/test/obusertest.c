/*
 * obusertest.c - the object manager's services called FROM RING 3 ("test=selftest:ob.user"):
 * bad pointers of every kind (unmapped user pages, kernel addresses, misaligned structures,
 * strings whose buffer or lengths are wrong, output pointers that cannot be written) must come
 * back as the status NT gives - never a bug check - with nothing created or leaked; and the good
 * path (directory, symbolic link, queries, duplicate, close) must work from user mode.
 *
 * The ring-3 side is the approach of svctest.c (ke.svc.user_mode): a few user pages are mapped
 * at OBT_BASE, a tiny program is copied there, and it is entered with interrupts off (so no
 * thread switch happens while a borrowed kernel stack is the TSS's). The program makes a list
 * of int 0x2E requests {EAX = service, EDX = its arguments in user memory}, stores each status,
 * and returns through an exit service in a test table 1. Each call's arguments are laid out in
 * the user data page by the kernel side beforehand; a call that needs a handle made by an
 * earlier one goes into the next batch.
 */
#include "ki.h"
#include "mm.h"
#include "ex.h"
#include "ob.h"
#include "ps.h"
#include "kd.h"
#include "rtl.h"
#include "svc.h"
#include "x86.h"
#include "ntstatus.h"
#include "boottest.h"
#include <stdarg.h>

extern ULONG KiFixupCount;

/* ---- Ring 3 ------------------------------------------------------------------------------- */

static ULONG_PTR ObtTable[] = { (ULONG_PTR)TstUserExitService };
static UCHAR ObtArguments[] = { 0 };

/* User pages: code and requests, stack, data; the page after the data is never mapped, so a
 * string at the end of the data page can run into a hole. */
#define OBT_BASE      0x00800000u
#define OBT_CODE      (OBT_BASE)
#define OBT_STACK_TOP (OBT_BASE + 2 * PAGE_SIZE)
#define OBT_DATA      (OBT_BASE + 2 * PAGE_SIZE)
#define OBT_UNMAPPED  (OBT_BASE + 3 * PAGE_SIZE)
#define OBT_PAGES     3
#define OBT_KERNEL    0x80100000u     /* the kernel image: never reachable from a user pointer */
#define OBT_LOW       0x00001000u     /* unmapped, and no page table */
#define OBT_MAX_CALLS 48

typedef struct _OBT {
    PFN_NUMBER Table, Pages[OBT_PAGES];
    PUCHAR Code, Data;                /* kernel views (KSEG0) of the code and data pages */
    ULONG Used;                       /* bytes of the data page handed out */
    ULONG Count;                      /* requests in the current batch */
    NTSTATUS Expected[OBT_MAX_CALLS];
    PCSTR What[OBT_MAX_CALLS];
    PVOID Stack;                      /* where ring-3 traps land (TSS.Esp0) */
} OBT;

static OBT Obt;

/* The kernel view of a user address in the data page. */
static PVOID ObtK(ULONG UserAddress)
{
    return Obt.Data + (UserAddress - OBT_DATA);
}

/* Room in the data page, zeroed or copied from Init; returns its user address. */
static ULONG ObtAlloc(const VOID *Init, ULONG Size)
{
    ULONG at = (Obt.Used + 7) & ~7u;
    if (at + Size > PAGE_SIZE - 64) KeBugCheckEx(MANUALLY_INITIATED_CRASH, 0x0B, at, Size, 0);
    Obt.Used = at + Size;
    if (Init) RtlCopyMemory(Obt.Data + at, Init, Size);
    else RtlZeroMemory(Obt.Data + at, Size);
    return OBT_DATA + at;
}

/* A UNICODE_STRING in user memory; Buffer, Length and MaximumLength as given (for bad ones). */
static ULONG ObtRawString(ULONG Buffer, USHORT Length, USHORT MaximumLength)
{
    UNICODE_STRING us = { Length, MaximumLength, (PWSTR)Buffer };
    return ObtAlloc(&us, sizeof(us));
}

/* A good UNICODE_STRING with its characters in user memory. */
static ULONG ObtString(PCWSTR Text)
{
    USHORT n = 0;
    while (Text[n]) n++;
    ULONG buffer = ObtAlloc(Text, (n + 1) * sizeof(WCHAR));
    return ObtRawString(buffer, (USHORT)(n * sizeof(WCHAR)), (USHORT)((n + 1) * sizeof(WCHAR)));
}

static ULONG ObtAttributesEx(ULONG Length, ULONG Name, ULONG Attributes, HANDLE Root)
{
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, (PUNICODE_STRING)Name, Attributes, Root, NULL);
    oa.Length = Length;
    return ObtAlloc(&oa, sizeof(oa));
}

static ULONG ObtAttributes(ULONG Name, ULONG Attributes, HANDLE Root)
{
    return ObtAttributesEx(sizeof(OBJECT_ATTRIBUTES), Name, Attributes, Root);
}

/* A service's number in table 0, found from its routine (no number is written by hand). */
static ULONG ObtServiceNumber(PVOID Routine)
{
    for (ULONG i = 0; i < KiServiceLimit; i++) if (KiServiceTable[i] == (ULONG_PTR)Routine) return i;
    return 0xFFF;                     /* invalid: the call returns STATUS_INVALID_SYSTEM_SERVICE */
}

/* Queues a call of Routine with Count ULONG arguments, expecting Expected. */
static VOID ObtCall(PVOID Routine, NTSTATUS Expected, PCSTR What, ULONG Count, ...)
{
    ULONG args[8];
    va_list ap;
    va_start(ap, Count);
    for (ULONG i = 0; i < Count && i < ARRAYSIZE(args); i++) args[i] = va_arg(ap, ULONG);
    va_end(ap);
    if (Obt.Count >= OBT_MAX_CALLS) KeBugCheckEx(MANUALLY_INITIATED_CRASH, 0x0B, Obt.Count, 0, 1);
    TST_USER_REQUEST *r = (TST_USER_REQUEST *)(Obt.Code + 0x200) + Obt.Count;
    r->Eax = ObtServiceNumber(Routine);
    r->Edx = Count ? ObtAlloc(args, Count * sizeof(ULONG)) : 0;
    r->Result = 0x12345678;
    Obt.Expected[Obt.Count] = Expected;
    Obt.What[Obt.Count] = What;
    Obt.Count++;
}

/* Runs the queued calls from ring 3 and checks every status; the data page is kept (outputs
 * stay readable) and the queue emptied. */
static PCSTR ObtRun(VOID)
{
    TST_USER_REQUEST *r = (TST_USER_REQUEST *)(Obt.Code + 0x200);
    ULONG count = Obt.Count;
    Obt.Count = 0;
    if (count == 0) return NULL;
    r[count].Eax = 0x1000;                       /* table 1, service 0: back to the kernel */
    TstEnterUserMode(OBT_CODE, OBT_STACK_TOP, OBT_CODE + 0x200, count);
    CHECK(ExGetPreviousMode() == KernelMode, "PreviousMode not KernelMode after user mode");
    PCSTR why = NULL;
    for (ULONG i = 0; i < count; i++)
        if (r[i].Result != Obt.Expected[i]) {
            DbgPrint("  ring-3 call %lu (%s): status %08lx, expected %08lx\n", (unsigned long)i,
                     Obt.What[i], (unsigned long)r[i].Result, (unsigned long)Obt.Expected[i]);
            why = "a call from ring 3 returned the wrong status";
        }
    return why;
}

/* ---- Setting up and tearing down ---------------------------------------------------------- */

static VOID ObtUnmap(VOID)
{
    for (ULONG i = 0; i < OBT_PAGES; i++) {
        if (Obt.Table && Obt.Pages[i]) {
            *MiGetPteAddress(OBT_BASE + i * PAGE_SIZE) = 0;
            __invlpg((PVOID)(OBT_BASE + i * PAGE_SIZE));
        }
        if (Obt.Pages[i]) MmFreePhysicalPage(Obt.Pages[i]);
    }
    if (Obt.Table) {
        *MiGetPdeAddress(OBT_BASE) = 0;
        __invlpg(MiGetPteAddress(OBT_BASE));
        MmFreePhysicalPage(Obt.Table);
    }
}

static BOOLEAN ObtMap(VOID)
{
    if (*MiGetPdeAddress(OBT_BASE) != 0) return FALSE;      /* someone else's user memory */
    Obt.Table = MmAllocatePhysicalPage();
    if (!Obt.Table) return FALSE;
    *MiGetPdeAddress(OBT_BASE) = (Obt.Table << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER;
    __invlpg(MiGetPteAddress(OBT_BASE));
    for (ULONG i = 0; i < OBT_PAGES; i++) {
        if (!(Obt.Pages[i] = MmAllocatePhysicalPage())) return FALSE;
        *MiGetPteAddress(OBT_BASE + i * PAGE_SIZE) = (Obt.Pages[i] << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER;
        __invlpg((PVOID)(OBT_BASE + i * PAGE_SIZE));
    }
    Obt.Code = MiPfnToKseg0(Obt.Pages[0]);
    Obt.Data = MiPfnToKseg0(Obt.Pages[2]);
    RtlCopyMemory(Obt.Code, TstUserCode, TstUserCodeEnd - TstUserCode);
    return TRUE;
}

/* Pool bytes Ob and the test objects hold: after a test they must be back where they were. */
static const ULONG ObtTags[] = {
    OB_NAME_TAG, POOL_TAG('O', 'b', 'C', 'i'), POOL_TAG('O', 'b', 'D', 'i'),
    POOL_TAG('D', 'i', 'r', 'e'), POOL_TAG('S', 'y', 'm', 'b'),
};
typedef struct { SIZE_T Bytes[ARRAYSIZE(ObtTags)]; ULONG Handles; } OBT_SNAPSHOT;

static VOID ObtSnap(OBT_SNAPSHOT *s)
{
    for (ULONG i = 0; i < ARRAYSIZE(ObtTags); i++) {
        POOL_TRACKER_ENTRY e;
        s->Bytes[i] = ExQueryPoolTag(ObtTags[i], &e) ? e.Pool[0].Bytes + e.Pool[1].Bytes : 0;
    }
    s->Handles = ObGetHandleCount(ObGetCurrentHandleTable());
}

static BOOLEAN ObtSameAs(const OBT_SNAPSHOT *Before)
{
    OBT_SNAPSHOT now;
    ObtSnap(&now);
    for (ULONG i = 0; i < ARRAYSIZE(ObtTags); i++)
        if (now.Bytes[i] != Before->Bytes[i]) {
            DbgPrint("  pool tag %.4s: %lu bytes, %lu before\n", (PCSTR)&ObtTags[i],
                     (unsigned long)now.Bytes[i], (unsigned long)Before->Bytes[i]);
            return FALSE;
        }
    if (now.Handles != Before->Handles) {
        DbgPrint("  %lu handles open, %lu before\n", (unsigned long)now.Handles, (unsigned long)Before->Handles);
        return FALSE;
    }
    return TRUE;
}

/* Runs Body with the user pages, the borrowed trap stack and the exit table in place; checks
 * that no pool or handle was leaked and that interrupts came back. */
static PCSTR ObtWith(PCSTR (*Body)(VOID))
{
    OBT_SNAPSHOT before;
    ULONG savedEsp0 = KiTss.Esp0;
    PCSTR why = "could not set up user mode";
    RtlZeroMemory(&Obt, sizeof(Obt));
    ObtSnap(&before);
    Obt.Stack = MmCreateKernelStack(2);
    if (Obt.Stack && ObtMap() &&
        KeAddSystemServiceTable(ObtTable, NULL, ARRAYSIZE(ObtTable), ObtArguments, 1)) {
        KiSetTssStack((ULONG)Obt.Stack);
        why = Body();
        KiSetTssStack(savedEsp0);
        KiRemoveSystemServiceTable(1);
    }
    ObtUnmap();
    if (Obt.Stack) MmDeleteKernelStack(Obt.Stack, 2);
    CHECK(__readeflags() & EFLAGS_IF, "interrupts not back on");
    if (why == NULL && !ObtSameAs(&before)) why = "pool or handles leaked by the ring-3 calls";
    return why;
}

/* Whether an object of Type is at Name, looked up from kernel mode (a link itself when Type is
 * the link type). */
static BOOLEAN ObtExists(PCWSTR Name, POBJECT_TYPE Type)
{
    UNICODE_STRING us;
    PVOID o;
    RtlInitUnicodeString(&us, Name);
    if (!NT_SUCCESS(ObReferenceObjectByName(&us, OBJ_CASE_INSENSITIVE, NULL, 0, Type, KernelMode, NULL, &o)))
        return FALSE;
    ObDereferenceObject(o);
    return TRUE;
}

#define U(x) ((ULONG)(ULONG_PTR)(x))
#define OBT_DIR u"\\BaseNamedObjects\\ObUserDir"

/* ---- The tests ---------------------------------------------------------------------------- */

/* The services are in table 0 with the argument counts ntdll's stubs will pop. */
static PCSTR TestServiceTable(VOID)
{
    static const struct { PVOID Routine; ULONG Arguments; } services[] = {
        { NtClose, 1 }, { NtDuplicateObject, 7 }, { NtQueryObject, 5 }, { NtSetInformationObject, 4 },
        { NtMakeTemporaryObject, 1 }, { NtCreateDirectoryObject, 3 }, { NtOpenDirectoryObject, 3 },
        { NtQueryDirectoryObject, 7 }, { NtCreateSymbolicLinkObject, 4 }, { NtOpenSymbolicLinkObject, 3 },
        { NtQuerySymbolicLinkObject, 3 },
    };
    for (ULONG i = 0; i < ARRAYSIZE(services); i++) {
        ULONG n = ObtServiceNumber(services[i].Routine);
        CHECK(n < KiServiceLimit, "an Ob service is missing from services.tab");
        CHECK(KiArgumentTable[n] == 4 * services[i].Arguments, "an Ob service has the wrong argument count");
    }
    /* Through the Zw stubs (PreviousMode KernelMode): the same answers as a direct call. */
    HANDLE h;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING us = RTL_CONSTANT_STRING(u"\\BaseNamedObjects");
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK(ZwOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa) == STATUS_SUCCESS, "ZwOpenDirectoryObject");
    CHECK(ZwClose(h) == STATUS_SUCCESS && ZwClose(h) == STATUS_INVALID_HANDLE, "ZwClose");
    return NULL;
}

/* Every way an OBJECT_ATTRIBUTES can be bad, through NtCreateDirectoryObject and
 * NtOpenDirectoryObject. Nothing may be created by a failed call. */
static PCSTR ObtBadAttributes(VOID)
{
    ULONG out = ObtAlloc(NULL, sizeof(HANDLE));
    ULONG name = ObtString(OBT_DIR);
    ULONG goodBuffer = U(((PUNICODE_STRING)ObtK(name))->Buffer);
    ULONG fixups = KiFixupCount;
    PVOID create = NtCreateDirectoryObject, open = NtOpenDirectoryObject;
    const ULONG all = DIRECTORY_ALL_ACCESS;

    /* The structure itself. */
    ObtCall(create, STATUS_ACCESS_VIOLATION, "OA unmapped", 3, out, all, OBT_UNMAPPED);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "OA low unmapped", 3, out, all, OBT_LOW);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "OA in the kernel", 3, out, all, OBT_KERNEL);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "OA across 2 GiB", 3, out, all, 0x7FFEFFF0u);
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "OA misaligned", 3, out, all, ObtAlloc(NULL, 32) + 2);
    ObtCall(create, STATUS_INVALID_PARAMETER, "OA Length 0", 3, out, all, ObtAttributesEx(0, name, 0, NULL));
    ObtCall(create, STATUS_INVALID_PARAMETER, "OA Length 28", 3, out, all, ObtAttributesEx(28, name, 0, NULL));
    ObtCall(create, STATUS_INVALID_PARAMETER, "bad attribute bits", 3, out, all, ObtAttributes(name, 0x00010000u, NULL));
    ObtCall(create, STATUS_INVALID_PARAMETER, "OBJ_OPENLINK on a directory", 3, out, all, ObtAttributes(name, OBJ_OPENLINK, NULL));
    ObtCall(open, STATUS_ACCESS_VIOLATION, "open: OA in the kernel", 3, out, all, OBT_KERNEL);
    ObtCall(open, STATUS_ACCESS_VIOLATION, "open: OA unmapped", 3, out, all, OBT_UNMAPPED);

    /* The ObjectName pointer. */
    ObtCall(create, STATUS_ACCESS_VIOLATION, "ObjectName unmapped", 3, out, all, ObtAttributes(OBT_UNMAPPED, 0, NULL));
    ObtCall(create, STATUS_ACCESS_VIOLATION, "ObjectName in the kernel", 3, out, all, ObtAttributes(OBT_KERNEL, 0, NULL));
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "ObjectName misaligned", 3, out, all, ObtAttributes(name + 2, 0, NULL));
    ObtCall(open, STATUS_ACCESS_VIOLATION, "open: ObjectName in the kernel", 3, out, all, ObtAttributes(OBT_KERNEL, 0, NULL));

    /* The UNICODE_STRING. */
    USHORT len = ((PUNICODE_STRING)ObtK(name))->Length;
    ObtCall(create, STATUS_ACCESS_VIOLATION, "Buffer unmapped", 3, out, all,
            ObtAttributes(ObtRawString(OBT_UNMAPPED, len, len), 0, NULL));
    ObtCall(create, STATUS_ACCESS_VIOLATION, "Buffer in the kernel", 3, out, all,
            ObtAttributes(ObtRawString(OBT_KERNEL, len, len), 0, NULL));
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "Buffer misaligned", 3, out, all,
            ObtAttributes(ObtRawString(goodBuffer + 1, len, len), 0, NULL));
    ObtCall(create, STATUS_OBJECT_NAME_INVALID, "Length odd", 3, out, all,
            ObtAttributes(ObtRawString(goodBuffer, len - 1, len), 0, NULL));
    ObtCall(create, STATUS_OBJECT_NAME_INVALID, "Length > MaximumLength", 3, out, all,
            ObtAttributes(ObtRawString(goodBuffer, len, len - 2), 0, NULL));
    ObtCall(create, STATUS_OBJECT_NAME_INVALID, "Buffer NULL", 3, out, all,
            ObtAttributes(ObtRawString(0, len, len), 0, NULL));
    /* Characters that start in the data page and run into the unmapped page after it. */
    ObtCall(create, STATUS_ACCESS_VIOLATION, "Buffer runs into a hole", 3, out, all,
            ObtAttributes(ObtRawString(OBT_UNMAPPED - 8, 64, 64), 0, NULL));
    ObtCall(open, STATUS_ACCESS_VIOLATION, "open: Buffer in the kernel", 3, out, all,
            ObtAttributes(ObtRawString(OBT_KERNEL, len, len), 0, NULL));
    ObtCall(open, STATUS_OBJECT_NAME_INVALID, "open: Length odd", 3, out, all,
            ObtAttributes(ObtRawString(goodBuffer, 3, len), 0, NULL));

    /* The output handle: probed before anything is created. */
    ULONG oa = ObtAttributes(name, OBJ_CASE_INSENSITIVE, NULL);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "handle unmapped", 3, OBT_UNMAPPED, all, oa);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "handle NULL", 3, 0, all, oa);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "handle in the kernel", 3, OBT_KERNEL, all, oa);
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "handle misaligned", 3, out + 2, all, oa);
    ObtCall(open, STATUS_ACCESS_VIOLATION, "open: handle in the kernel", 3, OBT_KERNEL, all,
            ObtAttributes(ObtString(u"\\BaseNamedObjects"), OBJ_CASE_INSENSITIVE, NULL));
    PCSTR why = ObtRun();
    if (why) return why;
    CHECK(!ObtExists(OBT_DIR, ObDirectoryObjectType), "a failed call created the directory");
    CHECK(KiFixupCount - fixups >= 5, "the faults did not go through the exception table");
    return NULL;
}

static PCSTR TestBadAttributes(VOID) { return ObtWith(ObtBadAttributes); }

/* RootDirectory is a handle of the caller's mode: a kernel handle means nothing to ring 3, and
 * OBJ_KERNEL_HANDLE from ring 3 is ignored (the handle lands in the process's own table). */
static PCSTR ObtKernelHandles(VOID)
{
    HANDLE kernelDir;
    OBJECT_ATTRIBUTES koa;
    UNICODE_STRING kus = RTL_CONSTANT_STRING(u"\\BaseNamedObjects");
    InitializeObjectAttributes(&koa, &kus, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK(ObOpenObjectByName(&koa, ObDirectoryObjectType, KernelMode, NULL, DIRECTORY_ALL_ACCESS, NULL,
                             &kernelDir) == STATUS_SUCCESS, "kernel handle to \\BaseNamedObjects");
    CHECK((ULONG_PTR)kernelDir & KERNEL_HANDLE_MASK, "not a kernel handle");

    ULONG out = ObtAlloc(NULL, sizeof(HANDLE));
    ULONG rel = ObtString(u"ObUserDir");
    ObtCall(NtCreateDirectoryObject, STATUS_INVALID_HANDLE, "kernel handle as RootDirectory", 3, out,
            DIRECTORY_ALL_ACCESS, ObtAttributes(rel, 0, kernelDir));
    ObtCall(NtOpenDirectoryObject, STATUS_INVALID_HANDLE, "open: kernel handle as RootDirectory", 3, out,
            DIRECTORY_QUERY, ObtAttributes(ObtString(u"."), 0, kernelDir));
    ObtCall(NtClose, STATUS_INVALID_HANDLE, "NtClose of a kernel handle", 1, U(kernelDir));
    ObtCall(NtMakeTemporaryObject, STATUS_INVALID_HANDLE, "NtMakeTemporaryObject of a kernel handle", 1, U(kernelDir));
    ObtCall(NtCreateDirectoryObject, STATUS_SUCCESS, "create with OBJ_KERNEL_HANDLE", 3, out,
            DIRECTORY_ALL_ACCESS, ObtAttributes(ObtString(OBT_DIR), OBJ_KERNEL_HANDLE, NULL));
    PCSTR why = ObtRun();

    HANDLE user = *(PHANDLE)ObtK(out);
    PVOID o;
    if (why == NULL && ((ULONG_PTR)user & KERNEL_HANDLE_MASK)) why = "ring 3 was given a kernel handle";
    if (why == NULL && ObReferenceObjectByHandle(user, 0, ObDirectoryObjectType, UserMode, &o, NULL) != STATUS_SUCCESS)
        why = "the handle is not in the process's table";
    else if (why == NULL) ObDereferenceObject(o);
    if (why == NULL && ObReferenceObjectByHandle(kernelDir, 0, NULL, KernelMode, &o, NULL) != STATUS_SUCCESS)
        why = "ring 3 closed a kernel handle";
    else if (why == NULL) ObDereferenceObject(o);
    if (why == NULL) {
        ObtCall(NtClose, STATUS_SUCCESS, "close the new directory", 1, U(user));
        why = ObtRun();
    }
    NtClose(kernelDir);
    CHECK(why || !ObtExists(OBT_DIR, ObDirectoryObjectType), "temporary directory outlived its handle");
    return why;
}

static PCSTR TestKernelHandles(VOID) { return ObtWith(ObtKernelHandles); }

/* Symbolic links: a bad target string on create, a bad caller string on query. */
static PCSTR ObtBadLinks(VOID)
{
    ULONG out = ObtAlloc(NULL, sizeof(HANDLE));
    ULONG target = ObtString(u"\\BaseNamedObjects");
    ULONG tb = U(((PUNICODE_STRING)ObtK(target))->Buffer);
    USHORT tl = ((PUNICODE_STRING)ObtK(target))->Length;
    ULONG oa = ObtAttributes(ObtString(u"\\BaseNamedObjects\\ObUserLink"), 0, NULL);
    PVOID create = NtCreateSymbolicLinkObject;
    const ULONG all = SYMBOLIC_LINK_ALL_ACCESS;
    ObtCall(create, STATUS_ACCESS_VIOLATION, "target unmapped", 4, out, all, oa, OBT_UNMAPPED);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "target in the kernel", 4, out, all, oa, OBT_KERNEL);
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "target misaligned", 4, out, all, oa, target + 1);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "target Buffer in the kernel", 4, out, all, oa, ObtRawString(OBT_KERNEL, tl, tl));
    ObtCall(create, STATUS_ACCESS_VIOLATION, "target Buffer unmapped", 4, out, all, oa, ObtRawString(OBT_LOW, tl, tl));
    ObtCall(create, STATUS_DATATYPE_MISALIGNMENT, "target Buffer misaligned", 4, out, all, oa, ObtRawString(tb + 1, tl, tl));
    ObtCall(create, STATUS_INVALID_PARAMETER, "target Length odd", 4, out, all, oa, ObtRawString(tb, tl - 1, tl));
    ObtCall(create, STATUS_INVALID_PARAMETER, "target Length > MaximumLength", 4, out, all, oa, ObtRawString(tb, tl, tl - 2));
    ObtCall(create, STATUS_ACCESS_VIOLATION, "link: OA in the kernel", 4, out, all, OBT_KERNEL, target);
    ObtCall(create, STATUS_ACCESS_VIOLATION, "link: handle in the kernel", 4, OBT_KERNEL, all, oa, target);
    ObtCall(NtOpenSymbolicLinkObject, STATUS_ACCESS_VIOLATION, "open link: OA unmapped", 3, out, all, OBT_UNMAPPED);
    ObtCall(NtOpenSymbolicLinkObject, STATUS_DATATYPE_MISALIGNMENT, "open link: handle misaligned", 3,
            out + 1, all, ObtAttributes(ObtString(u"\\DosDevices"), OBJ_CASE_INSENSITIVE, NULL));
    /* The one good link, for the queries. */
    ObtCall(create, STATUS_SUCCESS, "create the link", 4, out, all, oa, target);
    PCSTR why = ObtRun();
    if (why) return why;
    HANDLE link = *(PHANDLE)ObtK(out);

    ULONG buffer = ObtAlloc(NULL, 64), length = ObtAlloc(NULL, sizeof(ULONG));
    ULONG good = ObtRawString(buffer, 0, 64), small = ObtRawString(buffer, 0, 4);
    PVOID query = NtQuerySymbolicLinkObject;
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: string unmapped", 3, U(link), OBT_UNMAPPED, length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: string in the kernel", 3, U(link), OBT_KERNEL, length);
    ObtCall(query, STATUS_DATATYPE_MISALIGNMENT, "query: string misaligned", 3, U(link), good + 2, length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: Buffer in the kernel", 3, U(link), ObtRawString(OBT_KERNEL, 0, 64), length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: Buffer unmapped", 3, U(link), ObtRawString(OBT_LOW, 0, 64), length);
    ObtCall(query, STATUS_DATATYPE_MISALIGNMENT, "query: Buffer misaligned", 3, U(link), ObtRawString(buffer + 1, 0, 64), length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: Buffer runs into a hole", 3, U(link),
            ObtRawString(OBT_UNMAPPED - 16, 0, 64), length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: ReturnedLength in the kernel", 3, U(link), good, OBT_KERNEL);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "query: ReturnedLength unmapped", 3, U(link), good, OBT_UNMAPPED);
    ObtCall(query, STATUS_BUFFER_TOO_SMALL, "query: small buffer", 3, U(link), small, length);
    ObtCall(query, STATUS_SUCCESS, "query", 3, U(link), good, length);
    ObtCall(NtClose, STATUS_SUCCESS, "close the link", 1, U(link));
    why = ObtRun();
    if (why) return why;
    PUNICODE_STRING answer = ObtK(good);
    CHECK(answer->Length == tl && answer->Buffer == (PWSTR)buffer, "query gave the wrong length");
    CHECK(RtlCompareMemory(ObtK(buffer), ObtK(tb), tl + sizeof(WCHAR)) == (SIZE_T)(tl + sizeof(WCHAR)),
          "query gave the wrong target");
    CHECK(*(PULONG)ObtK(length) == (ULONG)tl + sizeof(WCHAR), "query gave the wrong ReturnedLength");
    CHECK(((PUNICODE_STRING)ObtK(small))->Length == 0, "a too-small query changed Length");
    CHECK(!ObtExists(u"\\BaseNamedObjects\\ObUserLink", ObSymbolicLinkObjectType), "a bad create left a link behind");
    return NULL;
}

static PCSTR TestBadLinks(VOID) { return ObtWith(ObtBadLinks); }

/* The query and handle services with bad outputs; a failed duplicate leaves no handle. */
static PCSTR ObtBadQueries(VOID)
{
    ULONG out = ObtAlloc(NULL, sizeof(HANDLE));
    /* The root: it always has entries, so a directory query has something to copy out. */
    ObtCall(NtOpenDirectoryObject, STATUS_SUCCESS, "open \\", 3, out, DIRECTORY_QUERY,
            ObtAttributes(ObtString(u"\\"), OBJ_CASE_INSENSITIVE, NULL));
    PCSTR why = ObtRun();
    if (why) return why;
    HANDLE dir = *(PHANDLE)ObtK(out);

    ULONG buffer = ObtAlloc(NULL, 256), length = ObtAlloc(NULL, 4), context = ObtAlloc(NULL, 4);
    ULONG flags = ObtAlloc(NULL, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    PVOID query = NtQueryObject, list = NtQueryDirectoryObject;
    ObtCall(query, STATUS_ACCESS_VIOLATION, "NtQueryObject: buffer in the kernel", 5, U(dir), ObjectBasicInformation,
            OBT_KERNEL, sizeof(OBJECT_BASIC_INFORMATION), length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "NtQueryObject: buffer unmapped", 5, U(dir), ObjectBasicInformation,
            OBT_UNMAPPED, sizeof(OBJECT_BASIC_INFORMATION), length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "NtQueryObject: buffer runs into a hole", 5, U(dir), ObjectNameInformation,
            OBT_UNMAPPED - 8, 200, length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "NtQueryObject: huge length", 5, U(dir), ObjectBasicInformation,
            buffer, 0x7FFFFFFF, length);
    ObtCall(query, STATUS_ACCESS_VIOLATION, "NtQueryObject: ReturnLength in the kernel", 5, U(dir), ObjectBasicInformation,
            buffer, 256, OBT_KERNEL);
    ObtCall(query, STATUS_DATATYPE_MISALIGNMENT, "NtQueryObject: ReturnLength misaligned", 5, U(dir),
            ObjectBasicInformation, buffer, 256, length + 1);
    ObtCall(NtSetInformationObject, STATUS_ACCESS_VIOLATION, "NtSetInformationObject: unmapped", 4, U(dir),
            ObjectHandleFlagInformation, OBT_UNMAPPED, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    ObtCall(NtSetInformationObject, STATUS_ACCESS_VIOLATION, "NtSetInformationObject: kernel", 4, U(dir),
            ObjectHandleFlagInformation, OBT_KERNEL, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    ObtCall(list, STATUS_ACCESS_VIOLATION, "NtQueryDirectoryObject: buffer in the kernel", 7, U(dir), OBT_KERNEL, 256,
            FALSE, TRUE, context, length);
    ObtCall(list, STATUS_ACCESS_VIOLATION, "NtQueryDirectoryObject: buffer runs into a hole", 7, U(dir),
            OBT_UNMAPPED - 64, 256, FALSE, TRUE, context, length);
    ObtCall(list, STATUS_DATATYPE_MISALIGNMENT, "NtQueryDirectoryObject: buffer misaligned", 7, U(dir), buffer + 2, 256,
            FALSE, TRUE, context, length);
    ObtCall(list, STATUS_ACCESS_VIOLATION, "NtQueryDirectoryObject: context in the kernel", 7, U(dir), buffer, 256,
            FALSE, FALSE, OBT_KERNEL, length);
    ObtCall(list, STATUS_ACCESS_VIOLATION, "NtQueryDirectoryObject: context unmapped", 7, U(dir), buffer, 256,
            FALSE, TRUE, OBT_UNMAPPED, length);
    ObtCall(list, STATUS_ACCESS_VIOLATION, "NtQueryDirectoryObject: ReturnLength in the kernel", 7, U(dir), buffer, 256,
            FALSE, TRUE, context, OBT_KERNEL);
    ObtCall(NtDuplicateObject, STATUS_ACCESS_VIOLATION, "NtDuplicateObject: target in the kernel", 7,
            U(NtCurrentProcess()), U(dir), U(NtCurrentProcess()), OBT_KERNEL, 0, 0, DUPLICATE_SAME_ACCESS);
    ObtCall(NtDuplicateObject, STATUS_ACCESS_VIOLATION, "NtDuplicateObject: target unmapped", 7,
            U(NtCurrentProcess()), U(dir), U(NtCurrentProcess()), OBT_UNMAPPED, 0, 0, DUPLICATE_SAME_ACCESS);
    ObtCall(NtDuplicateObject, STATUS_DATATYPE_MISALIGNMENT, "NtDuplicateObject: target misaligned", 7,
            U(NtCurrentProcess()), U(dir), U(NtCurrentProcess()), out + 1, 0, 0, DUPLICATE_SAME_ACCESS);
    ObtCall(NtSetInformationObject, STATUS_SUCCESS, "NtSetInformationObject", 4, U(dir),
            ObjectHandleFlagInformation, flags, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    ObtCall(NtClose, STATUS_SUCCESS, "close", 1, U(dir));
    ObtCall(NtClose, STATUS_INVALID_HANDLE, "close twice", 1, U(dir));
    return ObtRun();
}

static PCSTR TestBadQueries(VOID) { return ObtWith(ObtBadQueries); }

/* The good path, all from ring 3: a directory and a link in it, opened again relative to the
 * directory handle, queried, duplicated and closed; the names go with the last handles. */
static PCSTR ObtGoodPath(VOID)
{
    /* Handle slots: 0 directory, 1 link, 2 link opened relative to 0, 3 \BaseNamedObjects
     * opened through the link, 4 duplicate of 0, 5 never written (a collision). */
    ULONG handles = ObtAlloc(NULL, 6 * sizeof(HANDLE));
    ULONG target = ObtString(u"\\BaseNamedObjects");
    ObtCall(NtCreateDirectoryObject, STATUS_SUCCESS, "create directory", 3, handles, DIRECTORY_ALL_ACCESS,
            ObtAttributes(ObtString(OBT_DIR), OBJ_CASE_INSENSITIVE, NULL));
    ObtCall(NtCreateDirectoryObject, STATUS_OBJECT_NAME_COLLISION, "create it again", 3, handles + 20,
            DIRECTORY_ALL_ACCESS, ObtAttributes(ObtString(OBT_DIR), OBJ_CASE_INSENSITIVE, NULL));
    ObtCall(NtCreateSymbolicLinkObject, STATUS_SUCCESS, "create link", 4, handles + 4, SYMBOLIC_LINK_ALL_ACCESS,
            ObtAttributes(ObtString(OBT_DIR u"\\Link"), OBJ_CASE_INSENSITIVE, NULL), target);
    PCSTR why = ObtRun();
    if (why) return why;
    PHANDLE h = ObtK(handles);
    CHECK(h[0] && h[1] && !((ULONG_PTR)h[0] & KERNEL_HANDLE_MASK), "no handles written");
    CHECK(h[5] == NULL, "a failed create wrote a handle");
    CHECK(ObtExists(OBT_DIR u"\\Link", ObSymbolicLinkObjectType), "the link is not in the namespace");

    ULONG buffer = ObtAlloc(NULL, 512), length = ObtAlloc(NULL, 4), context = ObtAlloc(NULL, 4);
    ULONG linkString = ObtRawString(ObtAlloc(NULL, 64), 0, 64), linkLength = ObtAlloc(NULL, 4);
    ULONG name = ObtAlloc(NULL, 128), nameLength = ObtAlloc(NULL, 4);
    ULONG flags = ObtAlloc(NULL, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    ((POBJECT_HANDLE_FLAG_INFORMATION)ObtK(flags))->Inherit = TRUE;
    ObtCall(NtQuerySymbolicLinkObject, STATUS_SUCCESS, "query link", 3, U(h[1]), linkString, linkLength);
    ObtCall(NtQueryDirectoryObject, STATUS_SUCCESS, "query directory", 7, U(h[0]), buffer, 512, FALSE, TRUE,
            context, length);
    ObtCall(NtQueryObject, STATUS_SUCCESS, "query name", 5, U(h[0]), ObjectNameInformation, name, 128, nameLength);
    ObtCall(NtOpenSymbolicLinkObject, STATUS_SUCCESS, "open link relative", 3, handles + 8, SYMBOLIC_LINK_QUERY,
            ObtAttributes(ObtString(u"LINK"), OBJ_CASE_INSENSITIVE, h[0]));
    ObtCall(NtOpenDirectoryObject, STATUS_SUCCESS, "open directory through the link", 3, handles + 12,
            DIRECTORY_QUERY, ObtAttributes(ObtString(OBT_DIR u"\\Link"), OBJ_CASE_INSENSITIVE, NULL));
    ObtCall(NtDuplicateObject, STATUS_SUCCESS, "duplicate", 7, U(NtCurrentProcess()), U(h[0]),
            U(NtCurrentProcess()), handles + 16, 0, 0, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
    ObtCall(NtSetInformationObject, STATUS_SUCCESS, "set inherit", 4, U(h[1]), ObjectHandleFlagInformation,
            flags, sizeof(OBJECT_HANDLE_FLAG_INFORMATION));
    ObtCall(NtQueryObject, STATUS_SUCCESS, "query handle flags", 5, U(h[1]), ObjectHandleFlagInformation,
            flags, sizeof(OBJECT_HANDLE_FLAG_INFORMATION), 0);
    ObtCall(NtMakeTemporaryObject, STATUS_SUCCESS, "make temporary", 1, U(h[1]));
    why = ObtRun();
    if (why) return why;

    /* What ring 3 got back. */
    PUNICODE_STRING link = ObtK(linkString);
    CHECK(link->Length == 34 && RtlCompareMemory(ObtK(U(link->Buffer)), u"\\BaseNamedObjects", 36) == 36,
          "link target wrong");
    CHECK(*(PULONG)ObtK(linkLength) == 36, "link ReturnedLength wrong");
    POBJECT_DIRECTORY_INFORMATION entries = ObtK(buffer);
    CHECK(entries[0].Name.Length == 8 && entries[1].Name.Length == 0, "one entry, then the terminator");
    CHECK(RtlCompareMemory(ObtK(U(entries[0].Name.Buffer)), u"Link", 8) == 8 &&
          RtlCompareMemory(ObtK(U(entries[0].TypeName.Buffer)), u"SymbolicLink", 24) == 24,
          "entry name or type wrong (or its Buffer not a user address)");
    CHECK(*(PULONG)ObtK(context) == 1 && *(PULONG)ObtK(length) != 0, "context or length not written");
    POBJECT_NAME_INFORMATION n = ObtK(name);
    CHECK(n->Name.Length == sizeof(OBT_DIR) - sizeof(WCHAR) &&
          RtlCompareMemory(ObtK(U(n->Name.Buffer)), OBT_DIR, n->Name.Length) == n->Name.Length,
          "object name wrong");
    CHECK(*(PULONG)ObtK(nameLength) == sizeof(OBJECT_NAME_INFORMATION) + sizeof(OBT_DIR), "name length wrong");
    CHECK(((POBJECT_HANDLE_FLAG_INFORMATION)ObtK(flags))->Inherit, "inherit flag not set");
    CHECK(h[2] != NULL && h[3] != NULL && h[4] != NULL, "open or duplicate wrote no handle");

    /* The source of the duplicate was closed; close the rest from ring 3. */
    ObtCall(NtClose, STATUS_INVALID_HANDLE, "duplicate closed its source", 1, U(h[0]));
    ObtCall(NtClose, STATUS_SUCCESS, "close link", 1, U(h[1]));
    ObtCall(NtClose, STATUS_SUCCESS, "close relative link", 1, U(h[2]));
    ObtCall(NtClose, STATUS_SUCCESS, "close \\BaseNamedObjects", 1, U(h[3]));
    why = ObtRun();
    if (why) return why;
    CHECK(!ObtExists(OBT_DIR u"\\Link", ObSymbolicLinkObjectType), "the link outlived its handles");
    CHECK(ObtExists(OBT_DIR, ObDirectoryObjectType), "the directory went with a handle still open");
    ObtCall(NtClose, STATUS_SUCCESS, "close duplicate", 1, U(h[4]));
    why = ObtRun();
    if (why) return why;
    CHECK(!ObtExists(OBT_DIR, ObDirectoryObjectType), "the temporary directory outlived its last handle");
    return NULL;
}

static PCSTR TestGoodPath(VOID) { return ObtWith(ObtGoodPath); }

SELFTEST("ob.user.bad_attributes", TestBadAttributes);
SELFTEST("ob.user.bad_links", TestBadLinks);
SELFTEST("ob.user.bad_queries", TestBadQueries);
SELFTEST("ob.user.good_path", TestGoodPath);
SELFTEST("ob.user.kernel_handles", TestKernelHandles);
SELFTEST("ob.user.service_table", TestServiceTable);
