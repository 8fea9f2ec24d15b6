/* ldrshr.c - loader test DLL mapped by several processes at once: Private (.data) is each
 * process's own copy, Shared lives in a ".shared" section (IMAGE_SCN_MEM_SHARED) that every
 * process mapping the DLL sees. */
#include "ldrtest.h"

static LONG Private = LDRSHR_PRIVATE_INITIAL;
static LONG Shared __attribute__((section(".shared"), shared)) = 0;

LONG LdrShrGetPrivate(void)
{
    return Private;
}

VOID LdrShrSetPrivate(LONG Value)
{
    Private = Value;
}

LONG LdrShrAddShared(LONG Value)
{
    return __atomic_add_fetch(&Shared, Value, __ATOMIC_SEQ_CST);
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    return TRUE;
}
