/*
 * obinit.c - bringing the object manager up (ObInitSystem, phase 0): the three types of the
 * namespace itself (Type, Directory, SymbolicLink), the root directory and the well-known
 * directories under it, \DosDevices -> \??, and the system and kernel handle tables. Also the
 * Ob lock.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

POBJECT_DIRECTORY ObpTypeDirectoryObject;

/* ---- The lock (see obp.h) ----------------------------------------------------------------- */

static KMUTANT ObpLock;
static BOOLEAN ObpLockReady;

/* A mutant: holders may allocate paged pool and be preempted. Ob never re-enters itself while
 * holding it, so a recursive acquire is a bug, not a convenience. */
VOID ObpAcquireLock(VOID)
{
    if (!ObpLockReady) { KeInitializeMutant(&ObpLock, FALSE); ObpLockReady = TRUE; }
    if (ObpLock.OwnerThread == KeGetCurrentThread())
        KeBugCheckEx(MUTEX_ALREADY_OWNED, (ULONG_PTR)&ObpLock, 0, 0, 0);
    KeWaitForSingleObject(&ObpLock, Executive, KernelMode, FALSE, NULL);
}

VOID ObpReleaseLock(VOID)
{
    if (!NT_SUCCESS(KeReleaseMutant(&ObpLock, 0, FALSE, FALSE, NULL)))
        KeBugCheckEx(RESOURCE_NOT_OWNED, (ULONG_PTR)&ObpLock, 0, 0, 0);
}

BOOLEAN ObpLockHeld(VOID) { return ObpLockReady && ObpLock.OwnerThread == KeGetCurrentThread(); }

/* ---- Initialisation ------------------------------------------------------------------------- */

/* The root has no name: it is the one directory nobody contains. */
static NTSTATUS ObpCreateRootDirectory(VOID)
{
    OBJECT_ATTRIBUTES oa;
    PVOID root;
    InitializeObjectAttributes(&oa, NULL, OBJ_PERMANENT, NULL, NULL);
    NTSTATUS status = ObCreateObject(KernelMode, ObpDirectoryObjectType, &oa, KernelMode, NULL,
                                     sizeof(OBJECT_DIRECTORY), 0, 0, &root);
    if (!NT_SUCCESS(status)) return status;
    status = ObInsertObject(root, NULL, 0, 0, &root, NULL);
    if (NT_SUCCESS(status)) ObpRootDirectoryObject = root;   /* our reference keeps it forever */
    return status;
}

/* Types made before \ObjectTypes existed get their names now. */
static NTSTATUS ObpNameEarlyTypes(VOID)
{
    NTSTATUS status = STATUS_SUCCESS;
    ObpAcquireLock();
    for (PLIST_ENTRY l = ObpTypeListHead.Flink; l != &ObpTypeListHead && NT_SUCCESS(status); l = l->Flink) {
        POBJECT_TYPE type = CONTAINING_RECORD(l, OBJECT_TYPE, TypeList);
        if (!(OBJECT_TO_OBJECT_HEADER(type)->Flags & OB_FLAG_IN_NAMESPACE))
            status = ObpInsertDirectoryEntry(ObpTypeDirectoryObject, type, &type->Name);
    }
    ObpReleaseLock();
    return status;
}

static NTSTATUS ObpCreateDosDevicesLink(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\DosDevices");
    UNICODE_STRING target = RTL_CONSTANT_STRING(u"\\??");
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_ALL_ACCESS, &oa, &target);
    if (NT_SUCCESS(status)) NtClose(h);
    return status;
}

BOOLEAN ObInitSystem(VOID)
{
    static const PCWSTR directories[] = {
        u"\\Device", u"\\Driver", u"\\FileSystem", u"\\BaseNamedObjects", u"\\Windows", u"\\??",
    };
    if (!NT_SUCCESS(ObpCreateDirectoryType())) return FALSE;     /* and the Type type first */
    if (ObpCreateSystemHandleTable() == NULL || (ObpKernelHandleTable = ObpAllocateHandleTable(0)) == NULL)
        return FALSE;
    if (!NT_SUCCESS(ObpCreateRootDirectory()) ||
        !NT_SUCCESS(ObpCreatePermanentDirectory(u"\\ObjectTypes", &ObpTypeDirectoryObject)) ||
        !NT_SUCCESS(ObpNameEarlyTypes()) || !NT_SUCCESS(ObpCreateSymbolicLinkType()))
        return FALSE;
    for (ULONG i = 0; i < ARRAYSIZE(directories); i++)
        if (!NT_SUCCESS(ObpCreatePermanentDirectory(directories[i], NULL))) return FALSE;
    return NT_SUCCESS(ObpCreateDosDevicesLink());
}
