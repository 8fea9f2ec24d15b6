/*
 * obtype.c - object types: ObCreateObjectType and the "Type" type that every type object is
 * an instance of. A type object is named \ObjectTypes\<Name> once that directory exists; the
 * types made before it (Type, Directory) are entered by ObInitSystem.
 */
#include "obp.h"
#include "ntstatus.h"
#include "rtl.h"

LIST_ENTRY ObpTypeListHead = { &ObpTypeListHead, &ObpTypeListHead };
POBJECT_TYPE ObpTypeObjectType;
static ULONG ObpTypeCount;

/* The pool tag of a type's objects: its name's first four characters, blank-padded. */
static ULONG ObpTypeKey(PCUNICODE_STRING Name)
{
    UCHAR c[4] = { ' ', ' ', ' ', ' ' };
    for (ULONG i = 0; i < 4 && i < Name->Length / sizeof(WCHAR); i++)
        c[i] = (UCHAR)Name->Buffer[i];
    return POOL_TAG(c[0], c[1], c[2], c[3]);
}

/* Fills in a new type object and makes it known (named, if \ObjectTypes exists yet). */
static VOID ObpRegisterType(POBJECT_TYPE Type, POBJECT_TYPE_INITIALIZER Init)
{
    NTSTATUS status = STATUS_SUCCESS;
    POBJECT_HEADER header = OBJECT_TO_OBJECT_HEADER(Type);
    header->Flags |= OB_FLAG_PERMANENT | OB_FLAG_KERNEL_OBJECT;
    Type->Name = OBJECT_HEADER_TO_NAME_INFO(header)->Name;
    Type->Index = ++ObpTypeCount;
    Type->TypeInfo = *Init;
    Type->Key = ObpTypeKey(&Type->Name);
    ObpAcquireLock();
    InsertTailList(&ObpTypeListHead, &Type->TypeList);
    if (ObpTypeDirectoryObject != NULL)
        status = ObpInsertDirectoryEntry(ObpTypeDirectoryObject, Type, &Type->Name);
    ObpReleaseLock();
    if (!NT_SUCCESS(status)) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0x0B, status, 0, 0);
}

/* The "Type" type is its own type, so it is made by hand before any other: the first
 * ObCreateObjectType, whoever calls it, comes here. */
static NTSTATUS ObpCreateTypeType(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"Type");
    OBJECT_TYPE_INITIALIZER init = {
        .Length = sizeof(init),
        .CaseInsensitive = TRUE,
        .MaintainHandleCount = TRUE,
        .GenericMapping = { STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
                            OBJECT_TYPE_ALL_ACCESS },
        .ValidAccessMask = OBJECT_TYPE_ALL_ACCESS,
        .PoolType = NonPagedPool,
    };
    OBJECT_TYPE bootstrap = { .TypeInfo = init, .Key = ObpTypeKey(&name) };
    POBJECT_TYPE type;
    NTSTATUS status = ObpAllocateObject(NULL, &name, &bootstrap, sizeof(OBJECT_TYPE), (PVOID *)&type);
    if (!NT_SUCCESS(status)) return status;
    OBJECT_TO_OBJECT_HEADER(type)->Type = type;
    ObpRegisterType(type, &init);
    type->TotalNumberOfObjects = type->HighWaterNumberOfObjects = 1;
    ObpTypeObjectType = type;
    return STATUS_SUCCESS;
}

NTSTATUS ObCreateObjectType(PUNICODE_STRING TypeName, POBJECT_TYPE_INITIALIZER ObjectTypeInitializer,
                            PVOID Reserved, POBJECT_TYPE *ObjectType)
{
    POBJECT_TYPE_INITIALIZER init = ObjectTypeInitializer;
    if (TypeName == NULL || TypeName->Length == 0 || (TypeName->Length & 1) || init == NULL ||
        init->Length != sizeof(*init) || (init->InvalidAttributes & ~OBJ_VALID_ATTRIBUTES) ||
        Reserved != NULL)
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < TypeName->Length / sizeof(WCHAR); i++)
        if (TypeName->Buffer[i] == OBJ_NAME_PATH_SEPARATOR) return STATUS_OBJECT_NAME_INVALID;
    if (ObpTypeObjectType == NULL) {
        NTSTATUS status = ObpCreateTypeType();
        if (!NT_SUCCESS(status)) return status;
    }
    POBJECT_TYPE type;
    NTSTATUS status = ObpAllocateObject(NULL, TypeName, ObpTypeObjectType, sizeof(OBJECT_TYPE),
                                        (PVOID *)&type);
    if (!NT_SUCCESS(status)) return status;
    ObpRegisterType(type, init);
    *ObjectType = type;
    return STATUS_SUCCESS;
}

POBJECT_TYPE ObGetObjectType(PVOID Object)
{
    return ObpGetHeader(Object)->Type;
}

ACCESS_MASK ObpMapDesiredAccess(POBJECT_TYPE Type, ACCESS_MASK DesiredAccess)
{
    PGENERIC_MAPPING m = &Type->TypeInfo.GenericMapping;
    ACCESS_MASK a = DesiredAccess & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                                      MAXIMUM_ALLOWED);
    if (DesiredAccess & GENERIC_READ) a |= m->GenericRead;
    if (DesiredAccess & GENERIC_WRITE) a |= m->GenericWrite;
    if (DesiredAccess & GENERIC_EXECUTE) a |= m->GenericExecute;
    if (DesiredAccess & GENERIC_ALL) a |= m->GenericAll;
    if (DesiredAccess & MAXIMUM_ALLOWED) a |= Type->TypeInfo.ValidAccessMask;
    return a;
}
