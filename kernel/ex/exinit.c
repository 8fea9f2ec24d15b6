/*
 * exinit.c - the executive's object types over kernel dispatcher objects: Event, Mutant,
 * Semaphore and Timer, registered with the object manager (\ObjectTypes), with NT's access rights
 * and generic mappings; and the list of types whose objects can be waited on, with where in
 * the object the dispatcher object is (NT's DefaultObject: 0 for events, threads..., the
 * embedded Event for a file object).
 */
#include "ex.h"
#include "ob.h"
#include "ke.h"
#include "rtl.h"
#include "ntstatus.h"

POBJECT_TYPE ExEventObjectType, ExMutantObjectType, ExSemaphoreObjectType, ExTimerObjectType;

static struct { POBJECT_TYPE Type; ULONG Offset; } ExpWaitableTypes[16];
static ULONG ExpWaitableCount;

VOID ExRegisterWaitableType(POBJECT_TYPE Type, ULONG DispatcherOffset)
{
    if (ExpWaitableCount == ARRAYSIZE(ExpWaitableTypes)) KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0xE7, 0, 0, 0);
    ExpWaitableTypes[ExpWaitableCount].Type = Type;
    ExpWaitableTypes[ExpWaitableCount++].Offset = DispatcherOffset;
}

PVOID ExGetWaitableObject(PVOID Object)
{
    POBJECT_TYPE type = ObGetObjectType(Object);
    for (ULONG i = 0; i < ExpWaitableCount; i++)
        if (ExpWaitableTypes[i].Type == type) return (PCHAR)Object + ExpWaitableTypes[i].Offset;
    return NULL;
}

/* A mutant deleted while owned must leave its owner's list; a timer must leave the timer list. */
static VOID ExpDeleteMutant(PVOID Object)
{
    PKMUTANT m = Object;
    if (m->OwnerThread) KeReleaseMutant(m, 0, TRUE, FALSE, NULL);
}

static VOID ExpDeleteTimer(PVOID Object)
{
    KeCancelTimer(Object);
}

/* The object types of Ex, Ps and Mm differ only in name, rights and delete procedure: generic
 * read/write add the type's own read and write rights to the standard ones, execute adds
 * SYNCHRONIZE for waitable types (and ExecuteRights for others), and the objects live in
 * nonpaged pool (dispatcher objects are touched at DISPATCH_LEVEL). */
BOOLEAN ExCreateObjectType(PCWSTR Name, ACCESS_MASK ReadRights, ACCESS_MASK WriteRights, ACCESS_MASK ExecuteRights,
                           ACCESS_MASK AllRights, OB_DELETE_METHOD Delete, BOOLEAN Waitable, POBJECT_TYPE *Type)
{
    UNICODE_STRING name;
    OBJECT_TYPE_INITIALIZER init;
    RtlInitUnicodeString(&name, Name);
    RtlZeroMemory(&init, sizeof(init));
    init.Length = sizeof(init);
    init.GenericMapping.GenericRead = STANDARD_RIGHTS_READ | ReadRights;
    init.GenericMapping.GenericWrite = STANDARD_RIGHTS_WRITE | WriteRights;
    init.GenericMapping.GenericExecute = STANDARD_RIGHTS_EXECUTE | ExecuteRights | (Waitable ? SYNCHRONIZE : 0);
    init.GenericMapping.GenericAll = AllRights;
    init.ValidAccessMask = AllRights;
    init.PoolType = NonPagedPool;
    init.DeleteProcedure = Delete;
    if (!NT_SUCCESS(ObCreateObjectType(&name, &init, NULL, Type))) return FALSE;
    if (Waitable) ExRegisterWaitableType(*Type, 0);
    return TRUE;
}

static BOOLEAN ExpCreateType(PCWSTR Name, ACCESS_MASK Query, ACCESS_MASK Modify, ACCESS_MASK All,
                             OB_DELETE_METHOD Delete, POBJECT_TYPE *Type)
{
    return ExCreateObjectType(Name, Query, Modify, 0, All, Delete, TRUE, Type);
}

BOOLEAN ExInitializeObjectTypes(VOID)
{
    return ExpCreateType(u"Event", EVENT_QUERY_STATE, EVENT_MODIFY_STATE, EVENT_ALL_ACCESS, NULL,
                         &ExEventObjectType) &&
           ExpCreateType(u"Mutant", MUTANT_QUERY_STATE, 0, MUTANT_ALL_ACCESS, ExpDeleteMutant,
                         &ExMutantObjectType) &&
           ExpCreateType(u"Semaphore", SEMAPHORE_QUERY_STATE, SEMAPHORE_MODIFY_STATE,
                         SEMAPHORE_ALL_ACCESS, NULL, &ExSemaphoreObjectType) &&
           ExpCreateType(u"Timer", TIMER_QUERY_STATE, TIMER_MODIFY_STATE, TIMER_ALL_ACCESS,
                         ExpDeleteTimer, &ExTimerObjectType);
}
