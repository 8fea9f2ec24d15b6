/* ldrdyntls.c - loader test DLL with static TLS loaded only with LdrLoadDll, while other
 * threads run: each of them must get its own block. DllMain logs 'Y', the TLS callback 'y'. */
#include "ldrtest.h"

LDRTEST_TLS LONG TlsValue = LDRDYNTLS_INITIAL;

static VOID NTAPI TlsCallback(PVOID Dll, ULONG Reason, PVOID Reserved)
{
    LdrLogEvent('y', Reason);
}

static const PIMAGE_TLS_CALLBACK Callbacks[] = { TlsCallback, NULL };
LDRTEST_DEFINE_TLS(Callbacks);

LONG *LdrDynTlsAddress(void);

/* This thread's copy of the variable. */
LONG *LdrDynTlsAddress(void)
{
    return LdrTestTlsAddress(&TlsValue);
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('Y', Reason);
    return TRUE;
}
