/*
 * pedll.c - a DLL for the PE parser's host tests (tests/unit/pe_test.c), cross-compiled with
 * i686-w64-mingw32-gcc at test time. pedll.def exports it: by name, an ordinal-only export and
 * forwarders. PtrToValue holds the absolute address of Value, so it carries a HIGHLOW relocation
 * whose effect the test checks; the TLS callback gives the image a callback array.
 */
#include <windows.h>

int Value = 42;
int *PtrToValue = &Value;
__thread int ThreadValue = 7;

int AddOne(int x) { return x + 1; }
int Twice(int x) { return 2 * x + ThreadValue; }
int OrdinalOnly(void) { return 5; }
int Zeta(void) { return *PtrToValue; }

static void NTAPI TlsCallback(PVOID Module, DWORD Reason, PVOID Reserved)
{
    (void)Module; (void)Reason; (void)Reserved;
}
PIMAGE_TLS_CALLBACK PeTestTlsCallback __attribute__((section(".CRT$XLB"), used)) = TlsCallback;

BOOL WINAPI DllMain(HINSTANCE Instance, DWORD Reason, LPVOID Reserved)
{
    (void)Instance; (void)Reason; (void)Reserved;
    return TRUE;
}
