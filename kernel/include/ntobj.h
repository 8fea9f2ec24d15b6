/*
 * ntobj.h - the NT types that name and open objects: counted UNICODE_STRINGs, HANDLE,
 * OBJECT_ATTRIBUTES and its OBJ_* flags, ACCESS_MASK with the standard, generic and per-type
 * rights, GENERIC_MAPPING, and the information classes of NtQueryObject and
 * NtQueryDirectoryObject. Values and layouts are NT's (x86); they are shared by the kernel and,
 * later, by ntdll and the Win32 DLLs.
 */
#ifndef NTOBJ_H
#define NTOBJ_H

#include "ntdef.h"

typedef WCHAR *PWSTR;
typedef const WCHAR *PCWSTR;

/* A counted string of 16-bit characters: Length and MaximumLength are in BYTES, and Buffer is not
 * necessarily NUL-terminated. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

/* A constant UNICODE_STRING from a UTF-16 literal: RTL_CONSTANT_STRING(u"\\Device"). (u"", not
 * L"": the kernel is built by a Linux compiler, whose wchar_t is 32 bits.) */
#define RTL_CONSTANT_STRING(s) { sizeof(s) - sizeof(WCHAR), sizeof(s), (PWSTR)(s) }

#define OBJ_NAME_PATH_SEPARATOR ((WCHAR)u'\\')

typedef PVOID HANDLE, *PHANDLE;

/* Pseudo-handles: not in any table, they always mean the caller's own process or thread. */
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* ---- Access rights ---------------------------------------------------------------------- */

typedef ULONG ACCESS_MASK, *PACCESS_MASK;

#define DELETE                   0x00010000u
#define READ_CONTROL             0x00020000u
#define WRITE_DAC                0x00040000u
#define WRITE_OWNER              0x00080000u
#define SYNCHRONIZE              0x00100000u
#define STANDARD_RIGHTS_REQUIRED 0x000F0000u
#define STANDARD_RIGHTS_READ     READ_CONTROL
#define STANDARD_RIGHTS_WRITE    READ_CONTROL
#define STANDARD_RIGHTS_EXECUTE  READ_CONTROL
#define STANDARD_RIGHTS_ALL      0x001F0000u
#define SPECIFIC_RIGHTS_ALL      0x0000FFFFu
#define ACCESS_SYSTEM_SECURITY   0x01000000u
#define MAXIMUM_ALLOWED          0x02000000u
#define GENERIC_READ             0x80000000u
#define GENERIC_WRITE            0x40000000u
#define GENERIC_EXECUTE          0x20000000u
#define GENERIC_ALL              0x10000000u

/* How a type turns the four generic rights into its specific and standard rights. */
typedef struct _GENERIC_MAPPING {
    ACCESS_MASK GenericRead;
    ACCESS_MASK GenericWrite;
    ACCESS_MASK GenericExecute;
    ACCESS_MASK GenericAll;
} GENERIC_MAPPING, *PGENERIC_MAPPING;

/* Object directories, symbolic links and object types. */
#define DIRECTORY_QUERY               0x0001u
#define DIRECTORY_TRAVERSE            0x0002u
#define DIRECTORY_CREATE_OBJECT       0x0004u
#define DIRECTORY_CREATE_SUBDIRECTORY 0x0008u
#define DIRECTORY_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | 0x000Fu)

#define SYMBOLIC_LINK_QUERY           0x0001u
#define SYMBOLIC_LINK_ALL_ACCESS      (STANDARD_RIGHTS_REQUIRED | 0x0001u)

#define OBJECT_TYPE_CREATE            0x0001u
#define OBJECT_TYPE_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | 0x0001u)

/* ---- Object attributes ------------------------------------------------------------------ */

#define OBJ_INHERIT             0x00000002u
#define OBJ_PERMANENT           0x00000010u
#define OBJ_EXCLUSIVE           0x00000020u
#define OBJ_CASE_INSENSITIVE    0x00000040u
#define OBJ_OPENIF              0x00000080u
#define OBJ_OPENLINK            0x00000100u
#define OBJ_KERNEL_HANDLE       0x00000200u
#define OBJ_FORCE_ACCESS_CHECK  0x00000400u
#define OBJ_VALID_ATTRIBUTES    0x000007F2u

/* Attributes of a handle (not of an object): what a handle table entry keeps beside the access. */
#define OBJ_PROTECT_CLOSE       0x00000001u
#define OBJ_AUDIT_OBJECT_CLOSE  0x00000004u
#define OBJ_HANDLE_ATTRIBUTES   (OBJ_PROTECT_CLOSE | OBJ_INHERIT | OBJ_AUDIT_OBJECT_CLOSE)

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;                     /* sizeof(OBJECT_ATTRIBUTES) */
    HANDLE RootDirectory;             /* ObjectName is relative to this directory, or NULL */
    PUNICODE_STRING ObjectName;
    ULONG Attributes;                 /* OBJ_* */
    PVOID SecurityDescriptor;         /* ignored until Se exists */
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define InitializeObjectAttributes(p, n, a, r, s) do { \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);       \
        (p)->RootDirectory = (r);                      \
        (p)->Attributes = (a);                         \
        (p)->ObjectName = (n);                         \
        (p)->SecurityDescriptor = (s);                 \
        (p)->SecurityQualityOfService = NULL;          \
    } while (0)

/* NtDuplicateObject options. */
#define DUPLICATE_CLOSE_SOURCE      0x00000001u
#define DUPLICATE_SAME_ACCESS       0x00000002u
#define DUPLICATE_SAME_ATTRIBUTES   0x00000004u

/* ---- NtQueryObject / NtSetInformationObject --------------------------------------------- */

typedef enum _OBJECT_INFORMATION_CLASS {
    ObjectBasicInformation = 0,
    ObjectNameInformation = 1,
    ObjectTypeInformation = 2,
    ObjectTypesInformation = 3,
    ObjectHandleFlagInformation = 4,
} OBJECT_INFORMATION_CLASS;

typedef struct _OBJECT_BASIC_INFORMATION {
    ULONG Attributes;                 /* the handle's: OBJ_INHERIT, OBJ_PROTECT_CLOSE; and
                                         OBJ_PERMANENT, OBJ_EXCLUSIVE of the object */
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG PagedPoolCharge;
    ULONG NonPagedPoolCharge;
    ULONG Reserved[3];
    ULONG NameInfoSize;
    ULONG TypeInfoSize;
    ULONG SecurityDescriptorSize;
    LARGE_INTEGER CreationTime;
} OBJECT_BASIC_INFORMATION, *POBJECT_BASIC_INFORMATION;
C_ASSERT(sizeof(OBJECT_BASIC_INFORMATION) == 56);

/* The name follows the structure in the caller's buffer; Name.Buffer points at it. */
typedef struct _OBJECT_NAME_INFORMATION {
    UNICODE_STRING Name;
} OBJECT_NAME_INFORMATION, *POBJECT_NAME_INFORMATION;

/* NT 4 / XP layout; the type name follows the structure. */
typedef struct _OBJECT_TYPE_INFORMATION {
    UNICODE_STRING TypeName;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG TotalPagedPoolUsage;
    ULONG TotalNonPagedPoolUsage;
    ULONG TotalNamePoolUsage;
    ULONG TotalHandleTableUsage;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    ULONG HighWaterPagedPoolUsage;
    ULONG HighWaterNonPagedPoolUsage;
    ULONG HighWaterNamePoolUsage;
    ULONG HighWaterHandleTableUsage;
    ULONG InvalidAttributes;
    GENERIC_MAPPING GenericMapping;
    ACCESS_MASK ValidAccessMask;
    BOOLEAN SecurityRequired;
    BOOLEAN MaintainHandleCount;
    USHORT Reserved;
    ULONG PoolType;
    ULONG DefaultPagedPoolCharge;
    ULONG DefaultNonPagedPoolCharge;
} OBJECT_TYPE_INFORMATION, *POBJECT_TYPE_INFORMATION;

typedef struct _OBJECT_HANDLE_FLAG_INFORMATION {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION, *POBJECT_HANDLE_FLAG_INFORMATION;

/* ---- NtQueryDirectoryObject ------------------------------------------------------------- */

/* The buffer receives an array of these ended by an all-zero entry, followed by the strings
 * they point to (each NUL-terminated). */
typedef struct _OBJECT_DIRECTORY_INFORMATION {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION, *POBJECT_DIRECTORY_INFORMATION;

#endif
