/* exp.h - internals shared by the files of kernel/ex that implement object services. */
#ifndef EXP_H
#define EXP_H

#include "ex.h"
#include "ob.h"
#include "ke.h"
#include "svc.h"
#include "rtl.h"
#include "ntstatus.h"

NTSTATUS ExpReferenceObject(HANDLE Handle, ACCESS_MASK Access, POBJECT_TYPE Type, PVOID *Object);
NTSTATUS ExpQueryBasic(ULONG InformationClass, PVOID Information, ULONG Length, PULONG ReturnLength,
                       const VOID *Data, ULONG DataSize);
NTSTATUS ExpReturnValue(PVOID Dst, const VOID *Value, SIZE_T Size);

#endif
