/*
 * ppb.c - the process parameter block (RTL_USER_PROCESS_PARAMETERS): building one
 * (RtlCreateProcessParameters), freeing it, and converting it between its two forms. The block is
 * one allocation holding the structure, then every string NUL-terminated, then the environment;
 * "normalized" means each Buffer (and Environment) is a pointer, "denormalized" that it is an
 * offset from the block's start - the form that can be copied into another process at any
 * address (ntdll/README.md).
 */
#include "ntndk.h"

#define RTLP_MAX_PATH_BYTES (260 * sizeof(WCHAR))     /* room kept for the current directory */
#define RTLP_ALIGN4(n) (((n) + 3u) & ~(SIZE_T)3u)

/* The UNICODE_STRINGs of the block that point into it; Environment is handled beside them. */
static const USHORT RtlpPpbStrings[] = {
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory.DosPath),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, DllPath),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, ImagePathName),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, CommandLine),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowTitle),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, DesktopInfo),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, ShellInfo),
    FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, RuntimeData),
};

/* Adds Delta to every non-NULL pointer (or offset) in the block. */
static VOID RtlpRebaseParams(PRTL_USER_PROCESS_PARAMETERS Params, LONG_PTR Delta)
{
    for (ULONG i = 0; i < ARRAYSIZE(RtlpPpbStrings); i++) {
        PUNICODE_STRING s = (PUNICODE_STRING)((PCHAR)Params + RtlpPpbStrings[i]);
        if (s->Buffer != NULL) s->Buffer = (PWSTR)((PCHAR)s->Buffer + Delta);
    }
    if (Params->Environment != NULL) Params->Environment = (PWSTR)((PCHAR)Params->Environment + Delta);
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params)
{
    if (Params != NULL && !(Params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
        RtlpRebaseParams(Params, (LONG_PTR)Params);
        Params->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    }
    return Params;
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params)
{
    if (Params != NULL && (Params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
        RtlpRebaseParams(Params, -(LONG_PTR)Params);
        Params->Flags &= ~RTL_USER_PROC_PARAMS_NORMALIZED;
    }
    return Params;
}

/* Bytes of a double-NUL-terminated environment block, both NULs included (at least 4). */
static SIZE_T RtlpEnvironmentBytes(PCWSTR Environment)
{
    if (Environment == NULL) return 2 * sizeof(WCHAR);
    PCWSTR p = Environment;
    while (*p) {
        while (*p) p++;
        p++;                                      /* past this variable's NUL */
    }
    SIZE_T bytes = (SIZE_T)(p - Environment + 1) * sizeof(WCHAR);
    return bytes < 2 * sizeof(WCHAR) ? 2 * sizeof(WCHAR) : bytes;
}

/* Room a string takes in the block: itself, a NUL, at least Minimum bytes, 4-byte aligned. */
static SIZE_T RtlpStringRoom(PCUNICODE_STRING S, SIZE_T Minimum)
{
    SIZE_T bytes = (S ? S->Length : 0) + sizeof(WCHAR);
    return RTLP_ALIGN4(bytes < Minimum ? Minimum : bytes);
}

/* Copies Source to *Cursor as Dest (NUL-terminated, MaximumLength = its room) and advances. */
static VOID RtlpPlaceString(PUNICODE_STRING Dest, PCUNICODE_STRING Source, SIZE_T Minimum, PCHAR *Cursor)
{
    SIZE_T room = RtlpStringRoom(Source, Minimum);
    USHORT length = Source ? Source->Length : 0;
    Dest->Buffer = (PWSTR)*Cursor;
    Dest->Length = length;
    Dest->MaximumLength = (USHORT)(room > 0xFFFE ? 0xFFFE : room);
    if (length) RtlCopyMemory(Dest->Buffer, Source->Buffer, length);
    Dest->Buffer[length / sizeof(WCHAR)] = 0;
    *Cursor += room;
}

/* The inputs after the NULL defaults are applied. */
typedef struct _RTLP_PPB_INPUT {
    PCUNICODE_STRING Strings[ARRAYSIZE(RtlpPpbStrings)];   /* in RtlpPpbStrings' order */
    SIZE_T Minimum[ARRAYSIZE(RtlpPpbStrings)];
    PCWSTR Environment;
} RTLP_PPB_INPUT;

/* NULL arguments take the calling process's own values, where it has them. */
static VOID RtlpApplyDefaults(RTLP_PPB_INPUT *In)
{
    PRTL_USER_PROCESS_PARAMETERS own = NtCurrentPeb()->ProcessParameters;
    if (own == NULL || !(own->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) return;
    if (In->Strings[0] == NULL) In->Strings[0] = &own->CurrentDirectory.DosPath;
    if (In->Strings[1] == NULL) In->Strings[1] = &own->DllPath;
    if (In->Environment == NULL) In->Environment = own->Environment;
}

static BOOLEAN RtlpValidString(PCUNICODE_STRING S)
{
    return S == NULL || (S->Length <= 0xFFFC && (S->Length == 0 || S->Buffer != NULL));
}

/* Lays the block out at Params (Size bytes, zeroed). */
static VOID RtlpFillParams(PRTL_USER_PROCESS_PARAMETERS Params, SIZE_T Size, const RTLP_PPB_INPUT *In,
                           SIZE_T EnvBytes)
{
    PCHAR cursor = (PCHAR)(Params + 1);
    Params->MaximumLength = (ULONG)Size;
    Params->Length = (ULONG)Size;
    Params->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    for (ULONG i = 0; i < ARRAYSIZE(RtlpPpbStrings); i++)
        RtlpPlaceString((PUNICODE_STRING)((PCHAR)Params + RtlpPpbStrings[i]), In->Strings[i], In->Minimum[i],
                        &cursor);
    Params->Environment = (PWSTR)cursor;
    if (In->Environment) RtlCopyMemory(cursor, In->Environment, EnvBytes);
}

NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                          PWSTR Environment, PUNICODE_STRING WindowTitle,
                                          PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                          PUNICODE_STRING RuntimeData)
{
    RTLP_PPB_INPUT in = {
        { CurrentDirectory, DllPath, ImagePathName, CommandLine ? CommandLine : ImagePathName,
          WindowTitle, DesktopInfo, ShellInfo, RuntimeData },
        { RTLP_MAX_PATH_BYTES, 0, 0, 0, 0, 0, 0, 0 },
        Environment,
    };
    *ProcessParameters = NULL;
    RtlAcquirePebLock();                          /* our own current directory may be changing */
    RtlpApplyDefaults(&in);
    SIZE_T size = sizeof(RTL_USER_PROCESS_PARAMETERS);
    NTSTATUS status = STATUS_SUCCESS;
    for (ULONG i = 0; i < ARRAYSIZE(RtlpPpbStrings); i++) {
        if (!RtlpValidString(in.Strings[i])) status = STATUS_INVALID_PARAMETER;
        size += RtlpStringRoom(in.Strings[i], in.Minimum[i]);
    }
    SIZE_T envBytes = RtlpEnvironmentBytes(in.Environment);
    size += RTLP_ALIGN4(envBytes);
    PRTL_USER_PROCESS_PARAMETERS p = NULL;
    if (NT_SUCCESS(status)) {
        p = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, size);
        if (p == NULL) status = STATUS_NO_MEMORY;
        else RtlpFillParams(p, size, &in, envBytes);
    }
    RtlReleasePebLock();
    *ProcessParameters = p;
    return status;
}

NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters)
{
    if (ProcessParameters != NULL) RtlFreeHeap(RtlProcessHeap(), 0, ProcessParameters);
    return STATUS_SUCCESS;
}
