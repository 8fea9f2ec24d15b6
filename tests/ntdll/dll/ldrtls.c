/* ldrtls.c - loader test DLL with static TLS (its own IMAGE_TLS_DIRECTORY) and a TLS callback;
 * the callback logs as 't', DllMain as 'T'. */
#include "ldrtest.h"

LDRTEST_TLS LONG TlsValue = LDRTLS_INITIAL;
static ULONG CallbackCounts[4];

static VOID NTAPI TlsCallback(PVOID Dll, ULONG Reason, PVOID Reserved)
{
    if (Reason < 4) CallbackCounts[Reason]++;
    LdrLogEvent('t', Reason);
}

static const PIMAGE_TLS_CALLBACK Callbacks[] = { TlsCallback, NULL };
LDRTEST_DEFINE_TLS(Callbacks);

LONG LdrTlsGet(void)
{
    return *(LONG *)LdrTestTlsAddress(&TlsValue);
}

VOID LdrTlsSet(LONG Value)
{
    *(LONG *)LdrTestTlsAddress(&TlsValue) = Value;
}

BOOLEAN LdrTlsZeroFillOk(void)
{
    PUCHAR fill = (PUCHAR)LdrTestTlsAddress(__tls_end__);
    for (ULONG i = 0; i < LDRTEST_TLS_ZERO_FILL; i++)
        if (fill[i] != 0) return FALSE;
    return TRUE;
}

ULONG LdrTlsCallbackCount(ULONG Reason)
{
    return Reason < 4 ? CallbackCounts[Reason] : 0;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    LdrLogEvent('T', Reason);
    return TRUE;
}
