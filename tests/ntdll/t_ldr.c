/*
 * t_ldr.c - the user-mode loader's test (ntdll/ldr). This program imports the test DLLs of
 * tests/ntdll/dll (by name, by ordinal, through forwarders, two sharing a preferred base, one
 * with static TLS), has static TLS and a TLS callback itself, and then checks: the bound imports,
 * relocation, PEB.Ldr's lists, DllMain order and thread attach/detach, TLS per thread, LdrLoadDll /
 * LdrUnloadDll reference counts, LdrGetProcedureAddress, a DllMain that fails, programs that
 * import a missing DLL or export (run as child processes), and a DLL mapped by two processes at
 * once (shared code, private data, a shared section).
 */
#define NTEST_NAME "t_ldr"
#include "ntest.h"
#include "dll/ldrtest.h"


static ULONG TextLength(PCSTR Text)
{
    ULONG n = 0;
    while (Text[n]) n++;
    return n;
}


/* Index (in events) of the first Event in the log at or after event From, or -1. */
static LONG LogFind(PCSTR Event, LONG From)
{
    PCSTR log = LdrLogText();
    for (LONG i = 0; log[2 * i]; i++)
        if (i >= From && log[2 * i] == Event[0] && log[2 * i + 1] == Event[1]) return i;
    return -1;
}

static LONG LogEvents(VOID)
{
    return (LONG)(TextLength(LdrLogText()) / 2);
}

static PLDR_DATA_TABLE_ENTRY FindModule(PCWSTR Name)
{
    UNICODE_STRING name;
    PPEB_LDR_DATA ldr = NtCurrentPeb()->Ldr;
    RtlInitUnicodeString(&name, Name);
    for (PLIST_ENTRY e = ldr->InLoadOrderModuleList.Flink; e != &ldr->InLoadOrderModuleList; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if (RtlEqualUnicodeString(&m->BaseDllName, &name, TRUE)) return m;
    }
    return NULL;
}

static PVOID DllHandle(PCWSTR Name)
{
    UNICODE_STRING name;
    PVOID base = NULL;
    RtlInitUnicodeString(&name, Name);
    return NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &name, &base)) ? base : NULL;
}

static NTSTATUS GetProc(PVOID Base, PCSTR Name, ULONG Ordinal, PVOID *Address)
{
    ANSI_STRING name;
    if (Name == NULL) return LdrGetProcedureAddress(Base, NULL, Ordinal, Address);
    name.Buffer = (PCHAR)Name;
    name.Length = name.MaximumLength = (USHORT)TextLength(Name);
    return LdrGetProcedureAddress(Base, &name, 0, Address);
}

static NTSTATUS LoadDll(PCWSTR Name, PVOID *Base)
{
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, Name);
    return LdrLoadDll(NULL, NULL, &name, Base);
}

typedef LONG (*PVALUE_ROUTINE)(void);

/* ---- The EXE's own static TLS --------------------------------------------------------------- */

LDRTEST_TLS LONG ExeTlsValue = 0x5E5E;
static ULONG ExeTlsCalls[4];

static VOID NTAPI ExeTlsCallback(PVOID Image, ULONG Reason, PVOID Reserved)
{
    if (Reason < 4) ExeTlsCalls[Reason]++;
    LdrLogEvent('X', Reason);
}

static const PIMAGE_TLS_CALLBACK ExeTlsCallbacks[] = { ExeTlsCallback, NULL };
LDRTEST_DEFINE_TLS(ExeTlsCallbacks);

static LONG *ExeTls(VOID)
{
    return LdrTestTlsAddress(&ExeTlsValue);
}

/* ---- Cases ------------------------------------------------------------------------------------ */

static VOID TestImports(VOID)
{
    PCSTR why = NULL;
    if (LdrAValue() != LDRA_VALUE) why = "by name";
    else if (LdrAOrdinal() != LDRA_ORDINAL_VALUE) why = "by ordinal (NONAME)";
    else if (LdrBValue() != LDRA_VALUE + 1) why = "ldrb -> ldra";
    NtestCheck("imports", why);
}

static VOID TestForwarders(VOID)
{
    PCSTR why = NULL;
    if (LdrFwdOwn() != LDRFWD_OWN) why = "own export";
    else if (LdrFwdValue() != LDRA_VALUE) why = "ldrfwd.LdrFwdValue -> ldra.LdrAValue";
    else if (LdrFwdOrdinal() != LDRA_ORDINAL_VALUE) why = "ldrfwd.LdrFwdOrdinal -> ldra.#5";
    else if (LdrFwdCompare("abcd", "abxd", 4) != 2) why = "ldrfwd.LdrFwdCompare -> ntdll.RtlCompareMemory";
    NtestCheck("forwarders", why);
}

static VOID TestRelocation(VOID)
{
    PCSTR why = NULL;
    PLDR_DATA_TABLE_ENTRY r1 = FindModule(u"ldrrel1.dll"), r2 = FindModule(u"ldrrel2.dll");
    if (r1 == NULL || r2 == NULL) why = "ldrrel1/ldrrel2 not in the module list";
    else if ((ULONG_PTR)r1->DllBase != LDRREL_BASE && (ULONG_PTR)r2->DllBase != LDRREL_BASE) why = "neither at its base";
    else if (r1->DllBase == r2->DllBase) why = "same base";
    else if (!((r1->Flags | r2->Flags) & LDRP_IMAGE_NOT_AT_BASE)) why = "no LDRP_IMAGE_NOT_AT_BASE flag";
    else if (LdrRel1Get() != LDRREL1_VALUE || LdrRel2Get() != LDRREL2_VALUE) why = "global through a pointer";
    else if (!LdrRel1PointerOk() || !LdrRel2PointerOk()) why = "relocated pointer";
    NtestCheck("relocation", why);
}

static VOID TestModuleLists(VOID)
{
    PPEB peb = NtCurrentPeb();
    PPEB_LDR_DATA ldr = peb->Ldr;
    PCSTR why = NULL;
    PLDR_DATA_TABLE_ENTRY first = NULL, second = NULL, init0 = NULL;
    if (ldr == NULL || ldr->Length != sizeof(PEB_LDR_DATA) || !ldr->Initialized) why = "PEB.Ldr";
    else if (peb->LoaderLock == NULL || peb->ProcessHeap == NULL) why = "PEB.LoaderLock / ProcessHeap";
    if (!why) {
        first = CONTAINING_RECORD(ldr->InLoadOrderModuleList.Flink, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        second = CONTAINING_RECORD(first->InLoadOrderLinks.Flink, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        init0 = CONTAINING_RECORD(ldr->InInitializationOrderModuleList.Flink, LDR_DATA_TABLE_ENTRY,
                                  InInitializationOrderLinks);
        UNICODE_STRING ntdll = RTL_CONSTANT_STRING(u"ntdll.dll");
        if (first->DllBase != peb->ImageBaseAddress) why = "the EXE is not first in load order";
        else if (!RtlEqualUnicodeString(&second->BaseDllName, &ntdll, TRUE)) why = "ntdll is not second";
        else if (init0 != second) why = "ntdll is not first in init order";
        else if (first->LoadCount != LDRP_PINNED_LOAD_COUNT) why = "EXE load count";
        else if (peb->ProcessParameters &&
                 ((PRTL_USER_PROCESS_PARAMETERS)peb->ProcessParameters)->CurrentDirectory.DosPath.Length &&
                 ((PRTL_USER_PROCESS_PARAMETERS)peb->ProcessParameters)->CurrentDirectory.Handle == NULL)
            why = "the current directory was not opened";
    }
    if (!why) {
        PLDR_DATA_TABLE_ENTRY a = FindModule(u"LDRA.DLL"), b = FindModule(u"ldrb.dll"), log = FindModule(u"ldrlog.dll");
        if (!a || !b || !log) why = "a static DLL is missing from the list";
        else if (a->EntryPoint == NULL || a->SizeOfImage == 0 || a->FullDllName.Length <= a->BaseDllName.Length)
            why = "entry fields";
        else if (!(a->Flags & LDRP_PROCESS_ATTACH_CALLED)) why = "ldra not marked attached";
        else if (a->LoadCount < 2) why = "ldra load count (EXE, ldrb, ldrfwd's forward)";
        else {
            /* Initialization order: ldrlog before ldra before ldrb; the EXE not on it. */
            LONG pos = 0, pl = -1, pa = -1, pb = -1;
            for (PLIST_ENTRY e = ldr->InInitializationOrderModuleList.Flink;
                 e != &ldr->InInitializationOrderModuleList; e = e->Flink, pos++) {
                PLDR_DATA_TABLE_ENTRY m = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
                if (m == log) pl = pos;
                if (m == a) pa = pos;
                if (m == b) pb = pos;
                if (m == first) why = "the EXE is on the init order list";
            }
            if (!why && !(pl >= 0 && pl < pa && pa < pb)) why = "init order list: ldrlog, ldra, ldrb";
        }
    }
    NtestCheck("lists", why);
}

static VOID TestInitOrder(VOID)
{
    PCSTR why = NULL;
    LONG l = LogFind("L1", 0), a = LogFind("A1", 0), b = LogFind("B1", 0);
    LONG t = LogFind("t1", 0), tm = LogFind("T1", 0), x = LogFind("X1", 0);
    DbgPrint("ldr: event log at start: %s\n", LdrLogText());
    if (l < 0 || a < 0 || b < 0) why = "a DllMain did not run";
    else if (!(l < a && a < b)) why = "DllMain order: ldrlog, ldra, ldrb";
    else if (t < 0 || tm < 0 || t > tm) why = "ldrtls: TLS callback before DllMain";
    else if (x < 0 || x < b || x < tm) why = "the EXE's TLS callback runs last";
    else if (ExeTlsCalls[DLL_PROCESS_ATTACH] != 1) why = "the EXE's TLS callback count";
    NtestCheck("init-order", why);
}

static VOID TestTls(VOID)
{
    PCSTR why = NULL;
    if (NtCurrentTeb()->ThreadLocalStoragePointer == NULL) why = "no TLS array";
    else if (*ExeTls() != 0x5E5E) why = "EXE TLS template";
    else if (LdrTlsGet() != LDRTLS_INITIAL) why = "DLL TLS template";
    else if (!LdrTlsZeroFillOk()) why = "zero fill";
    else if (LdrTlsCallbackCount(DLL_PROCESS_ATTACH) != 1) why = "DLL TLS callback";
    else if (FindModule(u"ldrtls.dll")->TlsIndex == 0xFFFF) why = "TlsIndex";
    else if (_tls_index == FindModule(u"ldrtls.dll")->TlsIndex) why = "EXE and DLL share an index";
    *ExeTls() = 0x1111;
    LdrTlsSet(0x2222);
    if (!why && (*ExeTls() != 0x1111 || LdrTlsGet() != 0x2222)) why = "TLS write";
    if (!why && ExeTlsValue != 0x5E5E) why = "the template changed";
    NtestCheck("tls", why);
}

static NTSTATUS NTAPI SecondThread(PVOID Parameter)
{
    PCSTR *why = Parameter;
    if (*ExeTls() != 0x5E5E) *why = "second thread: EXE TLS not its own copy";
    else if (LdrTlsGet() != LDRTLS_INITIAL) *why = "second thread: DLL TLS not its own copy";
    LdrTlsSet(0x3333);
    return 0x77;
}

static VOID TestThread(VOID)
{
    PCSTR why = NULL;
    HANDLE thread;
    LONG from = LogEvents();
    LARGE_INTEGER timeout = { .QuadPart = -10 * 10000000ll };
    NTSTATUS status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, SecondThread, (PVOID)&why,
                                          &thread, NULL);
    if (!NT_SUCCESS(status)) {
        NtestCheck("thread", "RtlCreateUserThread failed");
        return;
    }
    if (NtWaitForSingleObject(thread, FALSE, &timeout) != STATUS_SUCCESS) why = "the thread did not end";
    THREAD_BASIC_INFORMATION tbi;
    if (!why && (!NT_SUCCESS(NtQueryInformationThread(thread, ThreadBasicInformation, &tbi, sizeof(tbi), NULL)) ||
                 tbi.ExitStatus != 0x77))
        why = "exit status (RtlUserThreadStart / RtlExitUserThread)";
    NtClose(thread);
    if (!why) {
        LONG a2 = LogFind("A2", from), b2 = LogFind("B2", from), t2 = LogFind("t2", from), x2 = LogFind("X2", from);
        LONG a3 = LogFind("A3", from), b3 = LogFind("B3", from), x3 = LogFind("X3", from);
        DbgPrint("ldr: event log after the thread: %s\n", LdrLogText() + 2 * from);
        if (a2 < 0 || b2 < 0 || t2 < 0 || x2 < 0) why = "DLL_THREAD_ATTACH not seen";
        else if (a2 > b2 || x2 < b2) why = "thread attach order";
        else if (a3 < 0 || b3 < 0 || x3 < 0) why = "DLL_THREAD_DETACH not seen";
        else if (LdrTlsCallbackCount(DLL_THREAD_ATTACH) != 1 || LdrTlsCallbackCount(DLL_THREAD_DETACH) != 1)
            why = "DLL TLS callbacks for the thread";
        else if (*ExeTls() != 0x1111 || LdrTlsGet() != 0x2222) why = "the thread changed this thread's TLS";
    }
    NtestCheck("thread", why);
}

/* ---- TLS of a DLL loaded while a second thread runs ---------------------------------------- */

typedef LONG *(*PTLS_ADDRESS_ROUTINE)(void);

typedef struct _DYNTLS_THREAD {
    HANDLE Go;                          /* set once the DLL is loaded */
    PTLS_ADDRESS_ROUTINE Address;       /* its LdrDynTlsAddress */
    LONG Seen;                          /* the thread's value before writing its own */
    LONG *Own;                          /* the thread's block */
} DYNTLS_THREAD, *PDYNTLS_THREAD;

static NTSTATUS NTAPI DynTlsThread(PVOID Parameter)
{
    PDYNTLS_THREAD t = Parameter;
    LARGE_INTEGER timeout = { .QuadPart = -30 * 10000000ll };
    if (NtWaitForSingleObject(t->Go, FALSE, &timeout) != STATUS_SUCCESS || t->Address == NULL) return 1;
    t->Own = t->Address();
    t->Seen = *t->Own;
    *t->Own = 0x4444;
    return 0;
}

static VOID TestDynamicTls(VOID)
{
    PCSTR why = NULL;
    DYNTLS_THREAD t = { NULL, NULL, 0, NULL };
    HANDLE thread = NULL;
    PVOID base = NULL, p = NULL;
    LARGE_INTEGER timeout = { .QuadPart = -30 * 10000000ll };
    LONG from = LogEvents();
    if (!NT_SUCCESS(NtCreateEvent(&t.Go, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE)) ||
        !NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, DynTlsThread, &t, &thread, NULL))) {
        NtestCheck("dynamic-tls", "event or thread");
        return;
    }
    if (!NT_SUCCESS(LoadDll(u"ldrdyntls.dll", &base))) why = "LdrLoadDll of a DLL with TLS";
    else if (!NT_SUCCESS(GetProc(base, LDRDYNTLS_ADDRESS_NAME, 0, &p))) why = "its export";
    else if (LogFind("y1", from) < 0 || LogFind("Y1", from) < LogFind("y1", from)) why = "TLS callback, then DllMain";
    else if (*((PTLS_ADDRESS_ROUTINE)p)() != LDRDYNTLS_INITIAL) why = "this thread's block";
    else *((PTLS_ADDRESS_ROUTINE)p)() = 0x5555;
    t.Address = why ? NULL : (PTLS_ADDRESS_ROUTINE)p;
    NtSetEvent(t.Go, NULL);
    if (NtWaitForSingleObject(thread, FALSE, &timeout) != STATUS_SUCCESS) why = why ? why : "the thread did not end";
    if (!why && t.Seen != LDRDYNTLS_INITIAL) why = "the running thread got no block of its own";
    else if (!why && (t.Own == ((PTLS_ADDRESS_ROUTINE)p)() || *((PTLS_ADDRESS_ROUTINE)p)() != 0x5555))
        why = "the threads share a block";
    else if (!why && LogFind("Y3", from) < 0) why = "no DLL_THREAD_DETACH for the thread";
    NtClose(thread);
    NtClose(t.Go);
    if (!why && LdrTlsGet() != 0x2222) why = "ldrtls's block of this thread changed";
    if (base && !NT_SUCCESS(LdrUnloadDll(base)) && !why) why = "LdrUnloadDll";
    if (!why && (LogFind("y0", from) < 0 || LogFind("Y0", from) < LogFind("y0", from))) why = "detach: TLS callback, then DllMain";
    /* Loaded again: the freed index is reused and this thread gets a fresh block. */
    if (!why && (!NT_SUCCESS(LoadDll(u"ldrdyntls.dll", &base)) || !NT_SUCCESS(GetProc(base, LDRDYNTLS_ADDRESS_NAME, 0, &p)) ||
                 *((PTLS_ADDRESS_ROUTINE)p)() != LDRDYNTLS_INITIAL))
        why = "loading it again";
    else if (!why && !NT_SUCCESS(LdrUnloadDll(base))) why = "its second unload";
    NtestCheck("dynamic-tls", why);
}

static NTSTATUS NTAPI EmptyThread(PVOID Parameter)
{
    return 0;
}

/* LdrFindEntryForAddress, and LdrDisableThreadCalloutsForDll: ldrb hears of no more threads. */
static VOID TestEntryForAddressAndCallouts(VOID)
{
    PCSTR why = NULL;
    PLDR_DATA_TABLE_ENTRY m = NULL, b = FindModule(u"ldrb.dll");
    PVOID p = NULL;
    HANDLE thread;
    LARGE_INTEGER timeout = { .QuadPart = -10 * 10000000ll };
    LONG from = LogEvents();
    if (!NT_SUCCESS(GetProc(b->DllBase, "LdrBValue", 0, &p)) || !NT_SUCCESS(LdrFindEntryForAddress(p, &m)) || m != b)
        why = "LdrFindEntryForAddress of an export";
    else if (!NT_SUCCESS(LdrFindEntryForAddress((PVOID)TestEntryForAddressAndCallouts, &m)) ||
             m->DllBase != NtCurrentPeb()->ImageBaseAddress)
        why = "LdrFindEntryForAddress in the EXE";
    else if (LdrFindEntryForAddress((PVOID)0x1000, &m) != STATUS_NO_MORE_ENTRIES) why = "an address in no module";
    else if (!NT_SUCCESS(LdrDisableThreadCalloutsForDll(b->DllBase)) ||
             LdrDisableThreadCalloutsForDll((PVOID)0x1000) != STATUS_DLL_NOT_FOUND)
        why = "LdrDisableThreadCalloutsForDll";
    else if (!NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, EmptyThread, NULL, &thread, NULL)))
        why = "RtlCreateUserThread";
    else {
        NtWaitForSingleObject(thread, FALSE, &timeout);
        NtClose(thread);
        if (LogFind("A2", from) < 0 || LogFind("A3", from) < 0) why = "ldra missed the thread";
        else if (LogFind("B2", from) >= 0 || LogFind("B3", from) >= 0) why = "ldrb still hears of threads";
    }
    NtestCheck("entry-and-callouts", why);
}

static VOID TestGetProcedure(VOID)
{
    PCSTR why = NULL;
    PVOID a = DllHandle(u"ldra"), fwd = DllHandle(u"LDRFWD.dll"), p = NULL;
    ANSI_STRING bad = { 3, 3, NULL };
    if (a == NULL || fwd == NULL) why = "LdrGetDllHandle";
    else if (!NT_SUCCESS(GetProc(a, "LdrAValue", 0, &p)) || ((PVALUE_ROUTINE)p)() != LDRA_VALUE) why = "by name";
    else if (!NT_SUCCESS(GetProc(a, NULL, LDRA_ORDINAL, &p)) || ((PVALUE_ROUTINE)p)() != LDRA_ORDINAL_VALUE)
        why = "by ordinal";
    else if (!NT_SUCCESS(GetProc(fwd, "LdrFwdValue", 0, &p)) || ((PVALUE_ROUTINE)p)() != LDRA_VALUE)
        why = "a forwarder";
    else if (GetProc(a, "NoSuchExport", 0, &p) != STATUS_PROCEDURE_NOT_FOUND || p != NULL) why = "a missing name";
    else if (GetProc(a, NULL, 77, &p) != STATUS_ORDINAL_NOT_FOUND) why = "a missing ordinal";
    else if (GetProc(fwd, "LdrFwdMissing", 0, &p) != STATUS_PROCEDURE_NOT_FOUND) why = "a forwarder to nothing";
    else if (LdrGetProcedureAddress(a, &bad, 0, &p) != STATUS_INVALID_PARAMETER) why = "a NULL name buffer";
    else if (GetProc((PVOID)0x1000, "LdrAValue", 0, &p) != STATUS_DLL_NOT_FOUND) why = "not a module";
    else if (DllHandle(u"nosuch.dll") != NULL) why = "LdrGetDllHandle of an unloaded DLL";
    NtestCheck("getprocedure", why);
}

static VOID TestLoadUnload(VOID)
{
    PCSTR why = NULL;
    PVOID b1 = NULL, b2 = NULL, b3 = NULL, p = NULL;
    LONG from = LogEvents();
    if (!NT_SUCCESS(LoadDll(u"ldrdyn", &b1)) || b1 == NULL) why = "LdrLoadDll(ldrdyn)";
    else if (LogFind("P1", from) < 0 || LogFind("D1", from) < LogFind("P1", from)) why = "attach order ldrdep, ldrdyn";
    else if (!NT_SUCCESS(GetProc(b1, LDRDYN_VALUE_NAME, 0, &p)) || ((PVALUE_ROUTINE)p)() != LDRDEP_VALUE + 1)
        why = "calling into the loaded DLL";
    else if (!NT_SUCCESS(LoadDll(u"LDRDYN.DLL", &b2)) || b2 != b1) why = "a second load is not the same module";
    else if (FindModule(u"ldrdyn.dll")->LoadCount != 2) why = "load count 2";
    else if (!NT_SUCCESS(LdrUnloadDll(b1)) || DllHandle(u"ldrdyn.dll") != b1 || LogFind("D0", from) >= 0)
        why = "first unload";
    else if (!NT_SUCCESS(LdrUnloadDll(b1))) why = "second unload";
    else if (LogFind("D0", from) < 0 || LogFind("P0", from) < LogFind("D0", from)) why = "detach order ldrdyn, ldrdep";
    else if (DllHandle(u"ldrdyn.dll") || DllHandle(u"ldrdep.dll") || FindModule(u"ldrdyn.dll"))
        why = "still in the module list";
    else if (LdrUnloadDll(b1) != STATUS_DLL_NOT_FOUND) why = "unloading it again";
    if (!why) {
        from = LogEvents();
        if (!NT_SUCCESS(LoadDll(u"ldrdyn.dll", &b3)) || LogFind("D1", from) < 0) why = "loading it again";
        else if (!NT_SUCCESS(GetProc(b3, LDRDYN_VALUE_NAME, 0, &p)) || ((PVALUE_ROUTINE)p)() != LDRDEP_VALUE + 1)
            why = "calling it again";
        else if (!NT_SUCCESS(LdrUnloadDll(b3)) || DllHandle(u"ldrdyn.dll")) why = "unloading it again";
    }
    if (!why) {
        PVOID a = DllHandle(u"ldra.dll");
        USHORT count = FindModule(u"ldra.dll")->LoadCount;
        if (!NT_SUCCESS(LoadDll(u"ldra.dll", &b1)) || b1 != a || FindModule(u"ldra.dll")->LoadCount != count + 1)
            why = "loading a static DLL";
        else if (!NT_SUCCESS(LdrUnloadDll(b1)) || FindModule(u"ldra.dll")->LoadCount != count) why = "its unload";
    }
    if (!why && (!NT_SUCCESS(LoadDll(u"C:\\Tests\\ldrdep.dll", &b1)) || !DllHandle(u"ldrdep.dll")))
        why = "loading by full DOS path";
    else if (!why && (!NT_SUCCESS(LdrUnloadDll(b1)) || DllHandle(u"ldrdep.dll"))) why = "unloading it";
    if (!why) {
        /* ldrpathdll.dll (a copy of ldrdep) is only in C:\Tests\ldrpath. */
        UNICODE_STRING dll = RTL_CONSTANT_STRING(u"ldrpathdll");
        UNICODE_STRING dir = RTL_CONSTANT_STRING(u"C:\\Tests\\ldrpath\\ldrpathdll.dll");
        PLDR_DATA_TABLE_ENTRY m;
        if (LdrLoadDll(NULL, NULL, &dll, &b1) != STATUS_DLL_NOT_FOUND) why = "found outside the search order";
        else if (!NT_SUCCESS(LdrLoadDll(u"C:\\Nowhere;C:\\Tests\\ldrpath", NULL, &dll, &b1)))
            why = "loading through a search path";
        else if ((m = FindModule(u"ldrpathdll.dll")) == NULL || !RtlEqualUnicodeString(&m->FullDllName, &dir, TRUE))
            why = "FullDllName of a DLL found through the search path";
        else if (!NT_SUCCESS(LdrUnloadDll(b1)) || DllHandle(u"ldrpathdll.dll")) why = "unloading that";
    }
    if (!why && LoadDll(u"nosuch", &b1) != STATUS_DLL_NOT_FOUND) why = "a missing DLL";
    if (!why) {
        NTSTATUS text = LoadDll(u"ldrtext.dll", &b1), exe = LoadDll(u"ldrexe.dll", &b2);
        DbgPrint("ldr: loading a text file: 0x%08lx, an EXE: 0x%08lx\n", (unsigned long)text, (unsigned long)exe);
        if (NT_SUCCESS(text) || text == STATUS_DLL_NOT_FOUND) why = "a text file named .dll";
        else if (exe != STATUS_INVALID_IMAGE_FORMAT) why = "an EXE named .dll";
        else if (FindModule(u"ldrtext.dll") || FindModule(u"ldrexe.dll")) why = "a bad image stayed in the list";
    }
    if (!why) {
        UNICODE_STRING empty = { 0, 0, NULL };
        if (LdrLoadDll(NULL, NULL, &empty, &b1) != STATUS_INVALID_PARAMETER) why = "an empty name";
        else if (LdrLoadDll(NULL, NULL, NULL, &b1) != STATUS_INVALID_PARAMETER) why = "a NULL name";
    }
    NtestCheck("load-unload", why);
}

static VOID TestInitFailure(VOID)
{
    PCSTR why = NULL;
    PVOID base = NULL;
    LONG from = LogEvents();
    NTSTATUS status = LoadDll(u"ldrfail.dll", &base);
    if (status != STATUS_DLL_INIT_FAILED) why = "status is not STATUS_DLL_INIT_FAILED";
    else if (base != NULL || DllHandle(u"ldrfail.dll") != NULL) why = "the DLL stayed loaded";
    else if (LogFind("F1", from) < 0) why = "its DllMain did not run";
    else if (LogFind("F0", from) >= 0) why = "a failed DLL got DLL_PROCESS_DETACH";
    NtestCheck("init-failure", why);
}

/* ---- Child processes ---------------------------------------------------------------------- */

static NTSTATUS StartChild(PCWSTR NtPath, PHANDLE Process)
{
    UNICODE_STRING path;
    PRTL_USER_PROCESS_PARAMETERS params = NULL;
    RTL_USER_PROCESS_INFORMATION info;
    RtlInitUnicodeString(&path, NtPath);
    NTSTATUS status = RtlCreateProcessParameters(&params, &path, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(status)) return status;
    info.Length = sizeof(info);
    status = RtlCreateUserProcess(&path, 0, params, NULL, NULL, NULL, FALSE, NULL, NULL, &info);
    RtlDestroyProcessParameters(params);
    if (!NT_SUCCESS(status)) return status;
    NtResumeThread(info.Thread, NULL);
    NtClose(info.Thread);
    *Process = info.Process;
    return STATUS_SUCCESS;
}

/* Waits for the process to end; its exit status, or a failure status of the wait. */
static NTSTATUS ChildExitStatus(HANDLE Process)
{
    PROCESS_BASIC_INFORMATION pbi;
    LARGE_INTEGER timeout = { .QuadPart = -60 * 10000000ll };
    NTSTATUS status = NtWaitForSingleObject(Process, FALSE, &timeout);
    if (status != STATUS_SUCCESS) return status == STATUS_TIMEOUT ? STATUS_TIMEOUT : status;
    status = NtQueryInformationProcess(Process, ProcessBasicInformation, &pbi, sizeof(pbi), NULL);
    return NT_SUCCESS(status) ? pbi.ExitStatus : status;
}

static VOID TestMissing(PCSTR Name, PCWSTR Path, NTSTATUS Expected)
{
    HANDLE process;
    NTSTATUS status = StartChild(Path, &process);
    if (!NT_SUCCESS(status)) {
        DbgPrint("ldr: starting the child failed, status 0x%08lx\n", (unsigned long)status);
        NtestCheck(Name, "RtlCreateUserProcess failed");
        return;
    }
    status = ChildExitStatus(process);
    NtClose(process);
    if (status != Expected) DbgPrint("ldr: child ended with 0x%08lx, expected 0x%08lx\n",
                                     (unsigned long)status, (unsigned long)Expected);
    NtestCheck(Name, status == Expected ? NULL : "wrong exit status");
}

/* A child whose DLL must see DLL_PROCESS_DETACH (before its dependency's) when the child's
 * entry point returns. */
static VOID TestProcessDetach(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\BaseNamedObjects\\NanoNTLdrTestDetach");
    OBJECT_ATTRIBUTES oa;
    HANDLE event, process;
    EVENT_BASIC_INFORMATION ebi;
    PCSTR why = NULL;
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    if (!NT_SUCCESS(NtCreateEvent(&event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE))) {
        NtestCheck("process-detach", "NtCreateEvent");
        return;
    }
    if (!NT_SUCCESS(StartChild(u"\\??\\C:\\Tests\\ldrdetach.exe", &process))) why = "starting the child";
    else {
        NTSTATUS status = ChildExitStatus(process);
        NtClose(process);
        if (status != 0x1234) {
            DbgPrint("ldr: ldrdetach.exe ended with 0x%08lx\n", (unsigned long)status);
            why = "exit status is not its entry point's result";
        } else if (!NT_SUCCESS(NtQueryEvent(event, EventBasicInformation, &ebi, sizeof(ebi), NULL)) ||
                   !ebi.EventState) {
            why = "no DLL_PROCESS_DETACH, or its dependency was detached first";
        }
    }
    NtClose(event);
    NtestCheck("process-detach", why);
}

static VOID TestSharedDll(VOID)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\BaseNamedObjects\\NanoNTLdrTestGo");
    OBJECT_ATTRIBUTES oa;
    HANDLE go, children[2] = { NULL, NULL };
    PCSTR why = NULL;
    LONG start = LdrShrAddShared(0);
    InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
    LdrShrSetPrivate(100);                          /* the children must not see this */
    if ((ULONG_PTR)DllHandle(u"ldrshr.dll") != LDRSHR_BASE) why = "ldrshr not at its base here";
    else if (!NT_SUCCESS(NtCreateEvent(&go, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE))) why = "NtCreateEvent";
    if (why) {
        NtestCheck("shared-dll", why);
        return;
    }
    for (ULONG i = 0; i < 2 && !why; i++)
        if (!NT_SUCCESS(StartChild(u"\\??\\C:\\Tests\\ldrchild.exe", &children[i]))) why = "starting a child";
    /* Both children add 1 to the shared counter once running with the DLL mapped; both are then
     * alive together, waiting for the event. */
    for (ULONG tries = 0; !why && LdrShrAddShared(0) != start + 2; tries++) {
        LARGE_INTEGER delay = { .QuadPart = -100000ll };   /* 10 ms */
        if (tries == 1000) why = "the children's increments of ldrshr's .shared counter never showed here";
        else NtDelayExecution(FALSE, &delay);
    }
    if (why) DbgPrint("ldr: shared counter %ld, expected %ld (one image section per file, as on NT, makes an "
                      "IMAGE_SCN_MEM_SHARED section common to every process)\n",
                      (long)LdrShrAddShared(0), (long)(start + 2));
    NtSetEvent(go, NULL);
    for (ULONG i = 0; i < 2; i++) {
        if (children[i] == NULL) continue;
        NTSTATUS status = ChildExitStatus(children[i]);
        NtClose(children[i]);
        if (status != 0) DbgPrint("ldr: ldrchild.exe ended with 0x%08lx\n", (unsigned long)status);
        if (!why && status != 0) why = "a child saw this process's private data, or another base (see its status)";
    }
    NtClose(go);
    if (!why && LdrShrGetPrivate() != 100) why = "this process's private copy changed";
    NtestCheck("shared-dll", why);
}

NTSTATUS NTAPI NtProcessStartup(PPEB Peb)
{
    TestImports();
    TestForwarders();
    TestRelocation();
    TestModuleLists();
    TestInitOrder();
    TestTls();
    TestThread();
    TestGetProcedure();
    TestLoadUnload();
    TestDynamicTls();
    TestEntryForAddressAndCallouts();
    TestInitFailure();
    TestMissing("missing-dll", u"\\??\\C:\\Tests\\ldrmiss.exe", STATUS_DLL_NOT_FOUND);
    TestMissing("missing-export", u"\\??\\C:\\Tests\\ldrmissexp.exe", STATUS_ENTRYPOINT_NOT_FOUND);
    TestMissing("static-init-failure", u"\\??\\C:\\Tests\\ldrinitfail.exe", STATUS_DLL_INIT_FAILED);
    TestMissing("bad-image-import", u"\\??\\C:\\Tests\\ldrbadimp.exe", STATUS_INVALID_IMAGE_FORMAT);
    TestMissing("exe-relocation", u"\\??\\C:\\Tests\\ldrrelexe.exe", 0x600D);
    TestProcessDetach();
    TestSharedDll();
    DbgPrint("ldr: %lu failure(s)\n", (unsigned long)NtestFailures);
    return NtestResult();
}
