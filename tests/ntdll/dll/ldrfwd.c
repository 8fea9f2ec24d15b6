/* ldrfwd.c - loader test DLL whose .def forwards names to ldra (by name and by ordinal) and to
 * ntdll; only LdrFwdOwn is its own code. */
#include "ldrtest.h"

LONG LdrFwdOwn(void)
{
    return LDRFWD_OWN;
}

BOOLEAN NTAPI DllMain(PVOID Dll, ULONG Reason, PVOID Context)
{
    return TRUE;
}
