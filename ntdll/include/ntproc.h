/*
 * ntproc.h - native process and thread creation (ntdll/rtl/ppb.c, process.c): the process
 * parameter block (RTL_USER_PROCESS_PARAMETERS, pebteb.h) and its normalized/denormalized forms,
 * RtlCreateUserThread and RtlCreateUserProcess. Names and prototypes are NT's (x86).
 *
 * How a process is born (ntdll/README.md): RtlCreateUserProcess opens the image, makes an image
 * section, creates the process from it (the kernel maps the EXE and ntdll), writes the parameter
 * block into it denormalized, and creates its first thread suspended at the image's entry point
 * (Parameter = the new PEB). The caller resumes that thread. Inside the new process the loader
 * normalizes the parameters before anything reads them.
 */
#ifndef NTPROC_H
#define NTPROC_H

#include "ntdef.h"
#include "ntobj.h"
#include "ntapi.h"
#include "pebteb.h"

#ifndef PSECURITY_DESCRIPTOR_DEFINED
#define PSECURITY_DESCRIPTOR_DEFINED
typedef PVOID PSECURITY_DESCRIPTOR;       /* opaque: NanoNT has no security yet */
#endif

/* A thread's start routine: its return value ends the thread (RtlUserThreadStart). */
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID ThreadParameter);

/* What RtlCreateUserProcess hands back. Length is set by the callee. */
typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;                         /* sizeof(RTL_USER_PROCESS_INFORMATION) */
    HANDLE Process;
    HANDLE Thread;                        /* the first thread, suspended */
    CLIENT_ID ClientId;
    SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION, *PRTL_USER_PROCESS_INFORMATION;
X86_C_ASSERT(sizeof(RTL_USER_PROCESS_INFORMATION) == 0x44);

/* NtCreateProcessEx flags. */
#ifndef PROCESS_CREATE_FLAGS_INHERIT_HANDLES
#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x00000004u
#endif

/* ---- Process parameters (ppb.c) ------------------------------------------------------------ */

/* Builds one block from the process heap holding the structure, every string (each
 * NUL-terminated) and a copy of the environment; returns it normalized (real pointers).
 * NULL arguments: DllPath, CurrentDirectory and Environment come from the calling process's own
 * parameters (if it has any), CommandLine is ImagePathName, the others are empty.
 * CurrentDirectory gets room for a MAX_PATH path (it is changed in place later). */
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                                   PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                                   PUNICODE_STRING CurrentDirectory,
                                                   PUNICODE_STRING CommandLine, PWSTR Environment,
                                                   PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
                                                   PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
/* Offsets -> pointers (sets RTL_USER_PROC_PARAMS_NORMALIZED); a no-op on a normalized block.
 * Returns the block (NULL stays NULL). */
NTSYSAPI PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params);
/* Pointers -> offsets from the block's start (clears the flag); a no-op on a denormalized block. */
NTSYSAPI PRTL_USER_PROCESS_PARAMETERS NTAPI RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params);

/* ---- Threads and processes (process.c) ------------------------------------------------------- */

/* A thread in Process starting at StartAddress(Parameter) through RtlUserThreadStart (ntldr.h).
 * Its stack: MaximumStackSize reserved (default 256 KiB), everything above the lowest page
 * committed (CommittedStackSize, default 8 KiB, is a minimum: NanoNT does not grow stacks, and
 * committed pages cost nothing until touched); the lowest page stays reserved, so running off
 * the stack is an access violation. ThreadHandle and ClientId are optional. */
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                            BOOLEAN CreateSuspended, ULONG ZeroBits,
                                            SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                            PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter,
                                            PHANDLE ThreadHandle, PCLIENT_ID ClientId);

/* A process running NtImagePathName (an NT path, "\??\C:\Tests\x.exe") with ProcessParameters
 * (normalized or not; written into it denormalized; NULL = none), its first thread suspended.
 * Attributes are the OBJ_* of the process object. ParentProcess NULL = the caller. On failure
 * nothing is left behind and the status says why (STATUS_OBJECT_NAME_NOT_FOUND: no such file,
 * STATUS_INVALID_IMAGE_NOT_MZ: not a PE image, ...). */
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                             PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                             PSECURITY_DESCRIPTOR ProcessSecurityDescriptor,
                                             PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                             HANDLE ParentProcess, BOOLEAN InheritHandles,
                                             HANDLE DebugPort, HANDLE ExceptionPort,
                                             PRTL_USER_PROCESS_INFORMATION ProcessInformation);

#endif
