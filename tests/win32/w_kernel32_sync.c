/* w_kernel32_sync.c - threads and synchronization through kernel32: CreateThread and exit codes,
 * suspended threads, events (auto and manual), mutexes (ownership, abandonment), semaphores,
 * named objects and ERROR_ALREADY_EXISTS, WaitForMultipleObjects, timeouts, critical sections
 * under contention, Interlocked*, thread-local storage, alertable SleepEx with a user APC. */
#define WTEST_NAME "w_kernel32_sync"
#include "wtest.h"
#include <windows.h>
#include <stdio.h>


static DWORD WINAPI return_param(LPVOID p) { return (DWORD)(ULONG_PTR)p; }

static void test_threads(void)
{
    DWORD tid = 0, code = 0;
    HANDLE t = CreateThread(NULL, 0, return_param, (LPVOID)123, 0, &tid);
    check("create_thread", t != NULL && tid != 0, GetLastError());
    check("thread_ends", WaitForSingleObject(t, 10000) == WAIT_OBJECT_0, 0);
    check("thread_exit_code", GetExitCodeThread(t, &code) && code == 123, code);
    CloseHandle(t);

    t = CreateThread(NULL, 0, return_param, (LPVOID)9, CREATE_SUSPENDED, &tid);
    check("suspended_still_active", GetExitCodeThread(t, &code) && code == STILL_ACTIVE, code);
    check("suspended_waits", WaitForSingleObject(t, 100) == WAIT_TIMEOUT, 0);
    check("resume_thread", ResumeThread(t) == 1, 0);
    check("resumed_thread_ends", WaitForSingleObject(t, 10000) == WAIT_OBJECT_0, 0);
    CloseHandle(t);
    check("current_thread_id", GetCurrentThreadId() != 0 && GetCurrentThreadId() != tid, GetCurrentThreadId());
    check("create_thread_null", CreateThread(NULL, 0, NULL, NULL, 0, NULL) == NULL &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
}

static void test_events(void)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);
    check("auto_event_unsignaled", WaitForSingleObject(e, 0) == WAIT_TIMEOUT, 0);
    SetEvent(e);
    check("auto_event_signaled", WaitForSingleObject(e, 0) == WAIT_OBJECT_0, 0);
    check("auto_event_resets", WaitForSingleObject(e, 0) == WAIT_TIMEOUT, 0);
    CloseHandle(e);
    e = CreateEventA(NULL, TRUE, TRUE, NULL);
    check("manual_event_stays", WaitForSingleObject(e, 0) == WAIT_OBJECT_0 && WaitForSingleObject(e, 0) == WAIT_OBJECT_0, 0);
    ResetEvent(e);
    check("manual_event_reset", WaitForSingleObject(e, 0) == WAIT_TIMEOUT, 0);
    CloseHandle(e);

    HANDLE a = CreateEventA(NULL, TRUE, FALSE, "K32SyncEvent");
    check("named_event_new", a != NULL && GetLastError() == 0, GetLastError());
    HANDLE b = CreateEventA(NULL, TRUE, FALSE, "K32SyncEvent");
    check("named_event_exists", b != NULL && GetLastError() == ERROR_ALREADY_EXISTS, GetLastError());
    HANDLE c = OpenEventA(EVENT_ALL_ACCESS, FALSE, "K32SyncEvent");
    check("open_event", c != NULL, GetLastError());
    SetEvent(c);
    check("named_same_object", WaitForSingleObject(a, 0) == WAIT_OBJECT_0, 0);
    HANDLE d = OpenEventA(EVENT_ALL_ACCESS, FALSE, "K32NoSuchEvent");
    check("open_missing_event", d == NULL && GetLastError() == ERROR_FILE_NOT_FOUND, GetLastError());
    HANDLE m = CreateMutexA(NULL, FALSE, "K32SyncEvent");
    check("name_type_mismatch", m == NULL && GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
    check("set_event_bad_handle", !SetEvent(NULL) && GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
}

static HANDLE shared_mutex;
static DWORD WINAPI try_mutex(LPVOID p) { return WaitForSingleObject(shared_mutex, 0); }
static DWORD WINAPI take_mutex_and_exit(LPVOID p) { return WaitForSingleObject(shared_mutex, 0); }

static DWORD thread_result(LPTHREAD_START_ROUTINE fn)
{
    DWORD code = 0xFFFF;
    HANDLE t = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    WaitForSingleObject(t, 10000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    return code;
}

static void test_mutexes(void)
{
    shared_mutex = CreateMutexA(NULL, TRUE, NULL);
    check("mutex_owned", shared_mutex != NULL, GetLastError());
    check("mutex_recursive", WaitForSingleObject(shared_mutex, 0) == WAIT_OBJECT_0, 0);
    check("mutex_blocks_other", thread_result(try_mutex) == WAIT_TIMEOUT, 0);
    ReleaseMutex(shared_mutex);
    ReleaseMutex(shared_mutex);
    check("mutex_free_for_other", thread_result(try_mutex) == WAIT_OBJECT_0, 0);
    /* The other thread ended while owning it: the next wait says abandoned. */
    check("mutex_abandoned", WaitForSingleObject(shared_mutex, 0) == WAIT_ABANDONED, 0);
    ReleaseMutex(shared_mutex);
    thread_result(take_mutex_and_exit);         /* owned by a thread that ends: unowned now */
    BOOL ok = ReleaseMutex(shared_mutex);
    check("release_not_owner", !ok && GetLastError() == ERROR_NOT_OWNER, GetLastError());
    CloseHandle(shared_mutex);
}

static void test_semaphores(void)
{
    HANDLE s = CreateSemaphoreA(NULL, 1, 2, NULL);
    LONG prev = -1;
    check("semaphore_take", WaitForSingleObject(s, 0) == WAIT_OBJECT_0, 0);
    check("semaphore_empty", WaitForSingleObject(s, 0) == WAIT_TIMEOUT, 0);
    check("semaphore_release", ReleaseSemaphore(s, 2, &prev) && prev == 0, prev);
    BOOL ok = ReleaseSemaphore(s, 1, NULL);
    check("semaphore_over_limit", !ok && GetLastError() == ERROR_TOO_MANY_POSTS, GetLastError());
    CloseHandle(s);
    s = CreateSemaphoreA(NULL, 3, 2, NULL);
    check("semaphore_bad_counts", s == NULL && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    HANDLE n1 = CreateSemaphoreA(NULL, 0, 5, "K32SyncSem");
    HANDLE n2 = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "K32SyncSem");
    check("named_semaphore", n1 && n2 && ReleaseSemaphore(n2, 1, NULL) && WaitForSingleObject(n1, 0) == WAIT_OBJECT_0, 0);
    CloseHandle(n1);
    CloseHandle(n2);
}

static void test_handles(void)
{
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL), dup = NULL;
    DWORD flags = 99;
    check("duplicate_handle", DuplicateHandle(GetCurrentProcess(), e, GetCurrentProcess(), &dup, 0, FALSE,
                                              DUPLICATE_SAME_ACCESS) && dup != NULL && dup != e, GetLastError());
    SetEvent(dup);
    check("duplicate_same_object", WaitForSingleObject(e, 0) == WAIT_OBJECT_0, 0);
    check("handle_information", GetHandleInformation(dup, &flags) && flags == 0, flags);
    check("set_handle_information", SetHandleInformation(dup, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT) &&
          GetHandleInformation(dup, &flags) && flags == HANDLE_FLAG_INHERIT, flags);
    check("close_duplicate", CloseHandle(dup), GetLastError());
    check("closed_handle_invalid", !SetEvent(dup) && GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
    check("duplicate_bad_handle", !DuplicateHandle(GetCurrentProcess(), (HANDLE)(ULONG_PTR)0x4444, GetCurrentProcess(),
                                                   &dup, 0, FALSE, DUPLICATE_SAME_ACCESS) &&
          GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
    CloseHandle(e);
}

static void test_wait_multiple(void)
{
    HANDLE h[2] = { CreateEventA(NULL, TRUE, FALSE, NULL), CreateEventA(NULL, TRUE, FALSE, NULL) };
    check("wait_any_timeout", WaitForMultipleObjects(2, h, FALSE, 50) == WAIT_TIMEOUT, 0);
    SetEvent(h[1]);
    check("wait_any_index", WaitForMultipleObjects(2, h, FALSE, 0) == WAIT_OBJECT_0 + 1, 0);
    check("wait_all_not_yet", WaitForMultipleObjects(2, h, TRUE, 0) == WAIT_TIMEOUT, 0);
    SetEvent(h[0]);
    check("wait_all", WaitForMultipleObjects(2, h, TRUE, 0) == WAIT_OBJECT_0, 0);
    check("wait_zero_count", WaitForMultipleObjects(0, h, FALSE, 0) == WAIT_FAILED &&
          GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
    check("wait_bad_handle", WaitForSingleObject((HANDLE)(ULONG_PTR)0x4444, 0) == WAIT_FAILED &&
          GetLastError() == ERROR_INVALID_HANDLE, GetLastError());
    DWORD t0 = GetTickCount();
    WaitForSingleObject(CreateEventA(NULL, TRUE, FALSE, NULL), 200);
    DWORD dt = GetTickCount() - t0;
    check("wait_timeout_length", dt >= 150 && dt < 5000, dt);
    CloseHandle(h[0]);
    CloseHandle(h[1]);
}

static CRITICAL_SECTION cs;
static volatile LONG counter, atomic_counter;

static DWORD WINAPI add_many(LPVOID p)
{
    for (int i = 0; i < 2000; i++) {
        EnterCriticalSection(&cs);
        LONG v = counter;
        if ((i & 63) == 0) Sleep(0);
        counter = v + 1;
        LeaveCriticalSection(&cs);
        InterlockedIncrement(&atomic_counter);
    }
    return 0;
}

static void test_critical_sections(void)
{
    InitializeCriticalSection(&cs);
    HANDLE t[3];
    for (int i = 0; i < 3; i++) t[i] = CreateThread(NULL, 0, add_many, NULL, 0, NULL);
    WaitForMultipleObjects(3, t, TRUE, 60000);
    for (int i = 0; i < 3; i++) CloseHandle(t[i]);
    check("critical_section_counts", counter == 6000, (DWORD)counter);
    check("interlocked_counts", atomic_counter == 6000, (DWORD)atomic_counter);
    check("try_enter", TryEnterCriticalSection(&cs), 0);
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);
    LONG v = 5;
    check("interlocked_exchange", InterlockedExchange(&v, 8) == 5 && v == 8, (DWORD)v);
    check("interlocked_compare_exchange", InterlockedCompareExchange(&v, 1, 8) == 8 && v == 1, (DWORD)v);
    check("interlocked_exchange_add", InterlockedExchangeAdd(&v, 10) == 1 && v == 11, (DWORD)v);
    check("interlocked_decrement", InterlockedDecrement(&v) == 10, (DWORD)v);
}

static DWORD tls_index;
static DWORD WINAPI tls_thread(LPVOID p)
{
    if (TlsGetValue(tls_index) != NULL) return 1;          /* a new thread starts with NULL */
    TlsSetValue(tls_index, (LPVOID)2);
    return TlsGetValue(tls_index) == (LPVOID)2 ? 0 : 2;
}

static void test_tls(void)
{
    tls_index = TlsAlloc();
    check("tls_alloc", tls_index != TLS_OUT_OF_INDEXES, GetLastError());
    check("tls_set", TlsSetValue(tls_index, (LPVOID)1), GetLastError());
    check("tls_other_thread", thread_result(tls_thread) == 0, 0);
    SetLastError(77);
    check("tls_get", TlsGetValue(tls_index) == (LPVOID)1 && GetLastError() == 0, GetLastError());
    check("tls_free", TlsFree(tls_index), GetLastError());
    check("tls_bad_index", TlsGetValue(1000) == NULL && GetLastError() == ERROR_INVALID_PARAMETER, GetLastError());
}

static volatile int apc_ran;
static void WINAPI apc(ULONG_PTR data) { apc_ran = (int)data; }

static void test_apc(void)
{
    check("queue_apc", QueueUserAPC(apc, GetCurrentThread(), 31), GetLastError());
    check("apc_not_yet", apc_ran == 0, apc_ran);
    DWORD r = SleepEx(5000, TRUE);
    check("sleepex_io_completion", r == WAIT_IO_COMPLETION && apc_ran == 31, r);
    DWORD t0 = GetTickCount();
    Sleep(100);
    check("sleep", GetTickCount() - t0 >= 50, GetTickCount() - t0);
}

int main(void)
{
    test_threads();
    test_events();
    test_mutexes();
    test_semaphores();
    test_handles();
    test_wait_multiple();
    test_critical_sections();
    test_tls();
    test_apc();
    printf("w_kernel32_sync: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
