/*
 * extest.c - self-tests of the executive's event, mutant, semaphore and timer objects and of the
 * wait services, called the way kernel-mode code calls them: through the Zw stubs and the int 0x2E
 * dispatcher (PreviousMode = KernelMode). Names go in \BaseNamedObjects. User-mode callers (with
 * access checks and probed arguments) are covered by the process tests.
 */
#include "ex.h"
#include "ob.h"
#include "ke.h"
#include "kd.h"
#include "rtl.h"
#include "ntstatus.h"
#include "boottest.h"

static UNICODE_STRING TstName;
static OBJECT_ATTRIBUTES TstAttributes;

static POBJECT_ATTRIBUTES TstNamed(PCWSTR Name, ULONG Attributes)
{
    RtlInitUnicodeString(&TstName, Name);
    InitializeObjectAttributes(&TstAttributes, &TstName, Attributes, NULL, NULL);
    return &TstAttributes;
}

static void TstClose(HANDLE h) { ObCloseHandle(h, KernelMode); }

static PCSTR TestEventService(void)
{
    HANDLE h, h2;
    LONG prev = -1;
    EVENT_BASIC_INFORMATION info;
    ULONG len = 0;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(ZwCreateEvent(&h, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\TstEvent", 0),
                        NotificationEvent, FALSE) == STATUS_SUCCESS, "create");
    CHECK(ZwCreateEvent(&h2, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\TstEvent", 0),
                        NotificationEvent, FALSE) == STATUS_OBJECT_NAME_COLLISION, "collision");
    CHECK(ZwCreateEvent(&h2, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\tstevent", OBJ_OPENIF | OBJ_CASE_INSENSITIVE),
                        NotificationEvent, FALSE) == STATUS_OBJECT_NAME_EXISTS, "OBJ_OPENIF");
    TstClose(h2);
    CHECK(ZwOpenEvent(&h2, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\TSTEVENT", OBJ_CASE_INSENSITIVE))
          == STATUS_SUCCESS, "open case-insensitive");
    CHECK(ZwOpenEvent(&h2, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\NoSuchEvent", 0))
          == STATUS_OBJECT_NAME_NOT_FOUND, "open missing");
    CHECK(ZwWaitForSingleObject(h2, FALSE, &zero) == STATUS_TIMEOUT, "unsignalled wait");
    CHECK(ZwSetEvent(h, &prev) == STATUS_SUCCESS && prev == 0, "set");
    CHECK(ZwWaitForSingleObject(h2, FALSE, &zero) == STATUS_WAIT_0, "signalled through the other handle");
    CHECK(ZwQueryEvent(h, EventBasicInformation, &info, sizeof(info), &len) == STATUS_SUCCESS &&
          len == sizeof(info) && info.EventType == NotificationEvent && info.EventState == 1, "query");
    CHECK(ZwQueryEvent(h, EventBasicInformation, &info, sizeof(info) + 1, NULL) == STATUS_INFO_LENGTH_MISMATCH,
          "query length");
    CHECK(ZwQueryEvent(h, (EVENT_INFORMATION_CLASS)1, &info, sizeof(info), NULL) == STATUS_INVALID_INFO_CLASS,
          "query class");
    CHECK(ZwResetEvent(h, &prev) == STATUS_SUCCESS && prev == 1, "reset");
    CHECK(ZwPulseEvent(h, &prev) == STATUS_SUCCESS && prev == 0, "pulse");
    CHECK(ZwWaitForSingleObject(h, FALSE, &zero) == STATUS_TIMEOUT, "pulse left it set");
    CHECK(ZwCreateEvent(&h2, EVENT_ALL_ACCESS, NULL, (EVENT_TYPE)7, FALSE) == STATUS_INVALID_PARAMETER, "bad type");
    CHECK(ZwSetEvent((HANDLE)0x1234, NULL) == STATUS_INVALID_HANDLE, "bad handle");
    TstClose(h2);
    TstClose(h);
    CHECK(ZwOpenEvent(&h2, EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\TstEvent", 0))
          == STATUS_OBJECT_NAME_NOT_FOUND, "name outlived its last handle");
    return NULL;
}

static PCSTR TestMutantService(void)
{
    HANDLE h;
    LONG prev;
    MUTANT_BASIC_INFORMATION info;
    CHECK(ZwCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, TRUE) == STATUS_SUCCESS, "create owned");
    CHECK(ZwQueryMutant(h, MutantBasicInformation, &info, sizeof(info), NULL) == STATUS_SUCCESS &&
          info.CurrentCount == 0 && info.OwnedByCaller && !info.AbandonedState, "query owned");
    CHECK(ZwWaitForSingleObject(h, FALSE, NULL) == STATUS_WAIT_0, "recursive acquire");
    CHECK(ZwReleaseMutant(h, &prev) == STATUS_SUCCESS && prev == -1, "release 1");
    CHECK(ZwReleaseMutant(h, &prev) == STATUS_SUCCESS && prev == 0, "release 2");
    CHECK(ZwReleaseMutant(h, NULL) == STATUS_MUTANT_NOT_OWNED, "release unowned");
    CHECK(ZwQueryMutant(h, MutantBasicInformation, &info, sizeof(info), NULL) == STATUS_SUCCESS &&
          info.CurrentCount == 1 && !info.OwnedByCaller, "query free");
    CHECK(ZwWaitForSingleObject(h, FALSE, NULL) == STATUS_WAIT_0, "acquire");
    TstClose(h);                         /* deleted while owned: must leave our mutant list */
    CHECK(IsListEmpty(&KeGetCurrentThread()->MutantListHead), "deleted mutant still on the owner's list");
    return NULL;
}

static PCSTR TestSemaphoreService(void)
{
    HANDLE h;
    LONG prev;
    SEMAPHORE_BASIC_INFORMATION info;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    CHECK(ZwCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 3, 2) == STATUS_INVALID_PARAMETER, "initial > max");
    CHECK(ZwCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 0, 0) == STATUS_INVALID_PARAMETER, "max 0");
    CHECK(ZwCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, -1, 2) == STATUS_INVALID_PARAMETER, "negative");
    CHECK(ZwCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 1, 2) == STATUS_SUCCESS, "create");
    CHECK(ZwWaitForSingleObject(h, FALSE, &zero) == STATUS_WAIT_0, "take");
    CHECK(ZwWaitForSingleObject(h, FALSE, &zero) == STATUS_TIMEOUT, "empty");
    CHECK(ZwReleaseSemaphore(h, 3, NULL) == STATUS_SEMAPHORE_LIMIT_EXCEEDED, "over the limit");
    CHECK(ZwReleaseSemaphore(h, 0, NULL) == STATUS_INVALID_PARAMETER, "release 0");
    CHECK(ZwReleaseSemaphore(h, 2, &prev) == STATUS_SUCCESS && prev == 0, "release 2");
    CHECK(ZwQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), NULL) == STATUS_SUCCESS &&
          info.CurrentCount == 2 && info.MaximumCount == 2, "query");
    TstClose(h);
    return NULL;
}

static PCSTR TestTimerService(void)
{
    HANDLE h;
    BOOLEAN state = TRUE;
    TIMER_BASIC_INFORMATION info;
    LARGE_INTEGER due = { .QuadPart = -300000 };
    CHECK(ZwCreateTimer(&h, TIMER_ALL_ACCESS, NULL, (TIMER_TYPE)9) == STATUS_INVALID_PARAMETER_4, "bad type");
    CHECK(ZwCreateTimer(&h, TIMER_ALL_ACCESS, NULL, NotificationTimer) == STATUS_SUCCESS, "create");
    CHECK(ZwSetTimer(h, &due, NULL, NULL, FALSE, 0, &state) == STATUS_SUCCESS && !state, "set");
    CHECK(ZwQueryTimer(h, TimerBasicInformation, &info, sizeof(info), NULL) == STATUS_SUCCESS &&
          !info.TimerState && info.RemainingTime.QuadPart > 0, "query while pending");
    CHECK(ZwWaitForSingleObject(h, FALSE, NULL) == STATUS_WAIT_0, "wait for expiry");
    CHECK(ZwQueryTimer(h, TimerBasicInformation, &info, sizeof(info), NULL) == STATUS_SUCCESS &&
          info.TimerState && info.RemainingTime.QuadPart == 0, "query after expiry");
    CHECK(ZwSetTimer(h, &due, NULL, NULL, FALSE, -1, NULL) == STATUS_INVALID_PARAMETER_6, "negative period");
    CHECK(ZwSetTimer(h, &due, (PTIMER_APC_ROUTINE)1, NULL, FALSE, 0, NULL) == STATUS_NOT_SUPPORTED, "APC routine");
    CHECK(ZwSetTimer(h, &due, NULL, NULL, FALSE, 0, NULL) == STATUS_SUCCESS, "re-set");
    CHECK(ZwCancelTimer(h, &state) == STATUS_SUCCESS && !state, "cancel");
    TstClose(h);                         /* a pending timer must leave the timer list on delete */
    CHECK(ZwCreateTimer(&h, TIMER_ALL_ACCESS, NULL, SynchronizationTimer) == STATUS_SUCCESS, "create sync");
    CHECK(ZwSetTimer(h, &due, NULL, NULL, FALSE, 0, NULL) == STATUS_SUCCESS, "set sync");
    TstClose(h);
    LARGE_INTEGER wait = { .QuadPart = -500000 };
    CHECK(ZwDelayExecution(FALSE, &wait) == STATUS_SUCCESS, "delay past the deleted timer's due time");
    return NULL;
}

static PCSTR TestWaitMultipleService(void)
{
    HANDLE ev[3], dir, handles[4];
    LARGE_INTEGER zero = { .QuadPart = 0 };
    for (int i = 0; i < 3; i++)
        CHECK(ZwCreateEvent(&ev[i], EVENT_ALL_ACCESS, NULL, SynchronizationEvent, i == 2) == STATUS_SUCCESS, "create");
    CHECK(ZwWaitForMultipleObjects(3, ev, WaitAny, FALSE, &zero) == 2, "WaitAny index");
    CHECK(ZwWaitForMultipleObjects(3, ev, WaitAny, FALSE, &zero) == STATUS_TIMEOUT, "satisfied event reset");
    for (int i = 0; i < 3; i++) ZwSetEvent(ev[i], NULL);
    CHECK(ZwWaitForMultipleObjects(3, ev, WaitAll, FALSE, &zero) == STATUS_WAIT_0, "WaitAll");
    CHECK(ZwWaitForMultipleObjects(3, ev, WaitAny, FALSE, &zero) == STATUS_TIMEOUT, "WaitAll reset them all");
    handles[0] = ev[0]; handles[1] = ev[1]; handles[2] = ev[0];
    CHECK(ZwWaitForMultipleObjects(3, handles, WaitAll, FALSE, &zero) == STATUS_INVALID_PARAMETER_MIX,
          "duplicate in WaitAll");
    CHECK(ZwWaitForMultipleObjects(0, ev, WaitAny, FALSE, &zero) == STATUS_INVALID_PARAMETER_1, "count 0");
    CHECK(ZwWaitForMultipleObjects(65, ev, WaitAny, FALSE, &zero) == STATUS_INVALID_PARAMETER_1, "count 65");
    CHECK(ZwWaitForMultipleObjects(3, ev, (WAIT_TYPE)5, FALSE, &zero) == STATUS_INVALID_PARAMETER_3, "wait type");
    handles[2] = (HANDLE)0x7770;
    CHECK(ZwWaitForMultipleObjects(3, handles, WaitAny, FALSE, &zero) == STATUS_INVALID_HANDLE, "bad handle");
    CHECK(NtOpenDirectoryObject(&dir, DIRECTORY_QUERY, TstNamed(u"\\BaseNamedObjects", 0)) == STATUS_SUCCESS,
          "open directory");
    CHECK(ZwWaitForSingleObject(dir, FALSE, &zero) == STATUS_OBJECT_TYPE_MISMATCH, "wait on a directory");
    TstClose(dir);
    for (int i = 0; i < 3; i++) TstClose(ev[i]);
    CHECK(ZwYieldExecution() == STATUS_NO_YIELD_PERFORMED, "yield");
    return NULL;
}

static PCSTR TestObjectsBaseline(void)
{
    POOL_USAGE before, after;
    ExQueryPoolUsage(NonPagedPool, &before);
    for (int i = 0; i < 100; i++) {
        HANDLE h[4];
        CHECK(ZwCreateEvent(&h[0], EVENT_ALL_ACCESS, TstNamed(u"\\BaseNamedObjects\\Cycle", 0),
                            SynchronizationEvent, FALSE) == STATUS_SUCCESS, "event");
        CHECK(ZwCreateMutant(&h[1], MUTANT_ALL_ACCESS, NULL, FALSE) == STATUS_SUCCESS, "mutant");
        CHECK(ZwCreateSemaphore(&h[2], SEMAPHORE_ALL_ACCESS, NULL, 0, 5) == STATUS_SUCCESS, "semaphore");
        CHECK(ZwCreateTimer(&h[3], TIMER_ALL_ACCESS, NULL, NotificationTimer) == STATUS_SUCCESS, "timer");
        for (int j = 0; j < 4; j++) TstClose(h[j]);
    }
    ExQueryPoolUsage(NonPagedPool, &after);
    CHECK(after.BytesInUse == before.BytesInUse, "nonpaged pool not back to baseline");
    return NULL;
}

SELFTEST("ex.obj.event", TestEventService);
SELFTEST("ex.obj.mutant", TestMutantService);
SELFTEST("ex.obj.semaphore", TestSemaphoreService);
SELFTEST("ex.obj.timer", TestTimerService);
SELFTEST("ex.obj.wait_multiple", TestWaitMultipleService);
SELFTEST("ex.obj.baseline", TestObjectsBaseline);
