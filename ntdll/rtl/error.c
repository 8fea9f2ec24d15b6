/*
 * error.c - NTSTATUS -> Win32 error code (RtlNtStatusToDosError) and the thread's last error and
 * last status in the TEB.
 *
 * The mapping is one table of (status, error) pairs sorted by status, binary-searched. It covers
 * every status in kernel/include/ntstatus.h plus a few more that programs commonly see, with the
 * values Windows NT gives. Statuses NT passes through unchanged (exception codes such as
 * STATUS_BREAKPOINT, the wait results WAIT_ABANDONED and WAIT_IO_COMPLETION) map to themselves;
 * a status not in the table gives ERROR_MR_MID_NOT_FOUND, as on NT - among ntstatus.h's that is
 * the case of STATUS_REPARSE, STATUS_UNWIND, STATUS_BAD_STACK, STATUS_INVALID_UNWIND_TARGET,
 * STATUS_INVALID_PORT_ATTRIBUTES, STATUS_PORT_MESSAGE_TOO_LONG, STATUS_THREAD_NOT_IN_PROCESS,
 * STATUS_MUTANT_LIMIT_EXCEEDED, STATUS_IMAGE_SUBSYSTEM_NOT_PRESENT, STATUS_REPLY_MESSAGE_MISMATCH,
 * STATUS_KERNEL_APC (never leaves the kernel) and STATUS_HEAP_CORRUPTION (tests/unit/rtl_test.c lists them and fails on any other status of
 * ntstatus.h that has no entry here).
 */
#include "ntndk.h"

typedef struct _RTLP_STATUS_MAP {
    ULONG Status;
    ULONG Error;
} RTLP_STATUS_MAP;

/* Win32 error values (winerror.h). */
#define E_INVALID_FUNCTION        1u
#define E_FILE_NOT_FOUND          2u
#define E_PATH_NOT_FOUND          3u
#define E_ACCESS_DENIED           5u
#define E_INVALID_HANDLE          6u
#define E_NOT_ENOUGH_MEMORY       8u
#define E_NOT_SAME_DEVICE         17u
#define E_NO_MORE_FILES           18u
#define E_WRITE_PROTECT           19u
#define E_NOT_READY               21u
#define E_BAD_COMMAND             22u
#define E_BAD_LENGTH              24u
#define E_GEN_FAILURE             31u
#define E_SHARING_VIOLATION       32u
#define E_HANDLE_EOF              38u
#define E_NOT_SUPPORTED           50u
#define E_INVALID_PARAMETER       87u
#define E_BROKEN_PIPE             109u
#define E_DISK_FULL               112u
#define E_SEM_TIMEOUT             121u
#define E_INSUFFICIENT_BUFFER     122u
#define E_INVALID_NAME            123u
#define E_MOD_NOT_FOUND           126u
#define E_PROC_NOT_FOUND          127u
#define E_DIR_NOT_EMPTY           145u
#define E_SIGNAL_REFUSED          156u
#define E_BAD_PATHNAME            161u
#define E_BUSY                    170u
#define E_INVALID_ORDINAL         182u
#define E_ALREADY_EXISTS          183u
#define E_BAD_EXE_FORMAT          193u
#define E_FILENAME_EXCED_RANGE    206u
#define E_ENVVAR_NOT_FOUND        203u
#define E_BAD_PIPE                230u
#define E_PIPE_BUSY               231u
#define E_NO_DATA                 232u
#define E_PIPE_NOT_CONNECTED      233u
#define E_MORE_DATA               234u
#define E_TIMEOUT                 1460u    /* ERROR_TIMEOUT (a wait itself returns WAIT_TIMEOUT, 258) */
#define E_NO_MORE_ITEMS           259u
#define E_DIRECTORY               267u
#define E_NOT_OWNER               288u
#define E_TOO_MANY_POSTS          298u
#define E_PARTIAL_COPY            299u
#define E_INVALID_ADDRESS         487u
#define E_ARITHMETIC_OVERFLOW     534u
#define E_PIPE_CONNECTED          535u
#define E_PIPE_LISTENING          536u
#define E_CONTROL_C_EXIT          572u
#define E_UNHANDLED_EXCEPTION     574u
#define E_IMAGE_NOT_AT_BASE       700u
#define E_NO_YIELD_PERFORMED      721u
#define E_OPERATION_ABORTED       995u
#define E_IO_PENDING              997u
#define E_NOACCESS                998u
#define E_STACK_OVERFLOW          1001u
#define E_UNRECOGNIZED_VOLUME     1005u
#define E_DLL_INIT_FAILED         1114u
#define E_IO_DEVICE               1117u
#define E_MAPPED_ALIGNMENT        1132u
#define E_NOT_FOUND               1168u
#define E_FILE_CORRUPT            1392u
#define E_DISK_CORRUPT            1393u
#define E_NO_SYSTEM_RESOURCES     1450u
#define E_COMMITMENT_LIMIT        1455u
#define E_CONNECTION_ABORTED      1236u
#define E_INVALID_USER_BUFFER     1784u

#define SAME(s) { (ULONG)(s), (ULONG)(s) }      /* NT hands these back unchanged */

/* Sorted by Status (as unsigned); the unit test checks it. */
static const RTLP_STATUS_MAP RtlpStatusMap[] = {
    SAME(0x00000080),                                           /* STATUS_ABANDONED_WAIT_0 */
    SAME(0x000000C0),                                           /* STATUS_USER_APC */
    SAME(0x00000101),                                           /* STATUS_ALERTED */
    { 0x00000102, E_TIMEOUT },                                  /* STATUS_TIMEOUT */
    { 0x00000103, E_IO_PENDING },                               /* STATUS_PENDING */
    { 0x00000105, E_MORE_DATA },                                /* STATUS_MORE_ENTRIES */
    { 0x00000207, E_PIPE_CONNECTED },                           /* STATUS_PIPE_CONNECTED */
    { 0x40000000, E_ALREADY_EXISTS },                           /* STATUS_OBJECT_NAME_EXISTS */
    { 0x40000003, E_IMAGE_NOT_AT_BASE },                        /* STATUS_IMAGE_NOT_AT_BASE */
    { 0x40000024, E_NO_YIELD_PERFORMED },                       /* STATUS_NO_YIELD_PERFORMED */
    SAME(0x80000001),                                           /* STATUS_GUARD_PAGE_VIOLATION */
    { 0x80000002, E_NOACCESS },                                 /* STATUS_DATATYPE_MISALIGNMENT */
    SAME(0x80000003),                                           /* STATUS_BREAKPOINT */
    SAME(0x80000004),                                           /* STATUS_SINGLE_STEP */
    { 0x80000005, E_MORE_DATA },                                /* STATUS_BUFFER_OVERFLOW */
    { 0x80000006, E_NO_MORE_FILES },                            /* STATUS_NO_MORE_FILES */
    { 0x8000000D, E_PARTIAL_COPY },                             /* STATUS_PARTIAL_COPY */
    { 0x80000011, E_BUSY },                                     /* STATUS_DEVICE_BUSY */
    { 0x8000001A, E_NO_MORE_ITEMS },                            /* STATUS_NO_MORE_ENTRIES */
    { 0xC0000001, E_GEN_FAILURE },                              /* STATUS_UNSUCCESSFUL */
    { 0xC0000002, E_INVALID_FUNCTION },                         /* STATUS_NOT_IMPLEMENTED */
    { 0xC0000003, E_INVALID_PARAMETER },                        /* STATUS_INVALID_INFO_CLASS */
    { 0xC0000004, E_BAD_LENGTH },                               /* STATUS_INFO_LENGTH_MISMATCH */
    { 0xC0000005, E_NOACCESS },                                 /* STATUS_ACCESS_VIOLATION */
    { 0xC0000008, E_INVALID_HANDLE },                           /* STATUS_INVALID_HANDLE */
    { 0xC000000B, E_INVALID_PARAMETER },                        /* STATUS_INVALID_CID */
    { 0xC000000D, E_INVALID_PARAMETER },                        /* STATUS_INVALID_PARAMETER */
    { 0xC000000E, E_FILE_NOT_FOUND },                           /* STATUS_NO_SUCH_DEVICE */
    { 0xC000000F, E_FILE_NOT_FOUND },                           /* STATUS_NO_SUCH_FILE */
    { 0xC0000010, E_INVALID_FUNCTION },                         /* STATUS_INVALID_DEVICE_REQUEST */
    { 0xC0000011, E_HANDLE_EOF },                               /* STATUS_END_OF_FILE */
    { 0xC0000016, E_MORE_DATA },                                /* STATUS_MORE_PROCESSING_REQUIRED */
    { 0xC0000017, E_NOT_ENOUGH_MEMORY },                        /* STATUS_NO_MEMORY */
    { 0xC0000018, E_INVALID_ADDRESS },                          /* STATUS_CONFLICTING_ADDRESSES */
    { 0xC0000019, E_INVALID_ADDRESS },                          /* STATUS_NOT_MAPPED_VIEW */
    { 0xC000001A, E_INVALID_PARAMETER },                        /* STATUS_UNABLE_TO_FREE_VM */
    { 0xC000001B, E_INVALID_PARAMETER },                        /* STATUS_UNABLE_TO_DELETE_SECTION */
    { 0xC000001C, E_INVALID_FUNCTION },                         /* STATUS_INVALID_SYSTEM_SERVICE */
    { 0xC000001D, E_INVALID_FUNCTION },                         /* STATUS_ILLEGAL_INSTRUCTION */
    { 0xC000001F, E_ACCESS_DENIED },                            /* STATUS_INVALID_VIEW_SIZE */
    { 0xC0000020, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_FILE_FOR_SECTION */
    { 0xC0000021, E_ACCESS_DENIED },                            /* STATUS_ALREADY_COMMITTED */
    { 0xC0000022, E_ACCESS_DENIED },                            /* STATUS_ACCESS_DENIED */
    { 0xC0000023, E_INSUFFICIENT_BUFFER },                      /* STATUS_BUFFER_TOO_SMALL */
    { 0xC0000024, E_INVALID_HANDLE },                           /* STATUS_OBJECT_TYPE_MISMATCH */
    SAME(0xC0000025),                                           /* STATUS_NONCONTINUABLE_EXCEPTION */
    SAME(0xC0000026),                                           /* STATUS_INVALID_DISPOSITION */
    { 0xC000002D, E_INVALID_ADDRESS },                          /* STATUS_NOT_COMMITTED */
    { 0xC0000030, E_INVALID_PARAMETER },                        /* STATUS_INVALID_PARAMETER_MIX */
    { 0xC0000032, E_DISK_CORRUPT },                             /* STATUS_DISK_CORRUPT_ERROR */
    { 0xC0000033, E_INVALID_NAME },                             /* STATUS_OBJECT_NAME_INVALID */
    { 0xC0000034, E_FILE_NOT_FOUND },                           /* STATUS_OBJECT_NAME_NOT_FOUND */
    { 0xC0000035, E_ALREADY_EXISTS },                           /* STATUS_OBJECT_NAME_COLLISION */
    { 0xC0000037, E_INVALID_HANDLE },                           /* STATUS_PORT_DISCONNECTED */
    { 0xC0000039, E_BAD_PATHNAME },                             /* STATUS_OBJECT_PATH_INVALID */
    { 0xC000003A, E_PATH_NOT_FOUND },                           /* STATUS_OBJECT_PATH_NOT_FOUND */
    { 0xC000003B, E_BAD_PATHNAME },                             /* STATUS_OBJECT_PATH_SYNTAX_BAD */
    { 0xC0000040, E_NOT_ENOUGH_MEMORY },                        /* STATUS_SECTION_TOO_BIG */
    { 0xC0000041, E_ACCESS_DENIED },                            /* STATUS_PORT_CONNECTION_REFUSED */
    { 0xC0000042, E_INVALID_HANDLE },                           /* STATUS_INVALID_PORT_HANDLE */
    { 0xC0000043, E_SHARING_VIOLATION },                        /* STATUS_SHARING_VIOLATION */
    { 0xC0000045, E_INVALID_PARAMETER },                        /* STATUS_INVALID_PAGE_PROTECTION */
    { 0xC0000046, E_NOT_OWNER },                                /* STATUS_MUTANT_NOT_OWNED */
    { 0xC0000047, E_TOO_MANY_POSTS },                           /* STATUS_SEMAPHORE_LIMIT_EXCEEDED */
    { 0xC0000049, E_INVALID_PARAMETER },                        /* STATUS_SECTION_NOT_IMAGE */
    { 0xC000004A, E_SIGNAL_REFUSED },                           /* STATUS_SUSPEND_COUNT_EXCEEDED */
    { 0xC000004B, E_ACCESS_DENIED },                            /* STATUS_THREAD_IS_TERMINATING */
    { 0xC000004E, E_INVALID_PARAMETER },                        /* STATUS_SECTION_PROTECTION */
    { 0xC0000056, E_ACCESS_DENIED },                            /* STATUS_DELETE_PENDING */
    { 0xC000007A, E_PROC_NOT_FOUND },                           /* STATUS_PROCEDURE_NOT_FOUND */
    { 0xC000007B, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_FORMAT */
    { 0xC000007F, E_DISK_FULL },                                /* STATUS_DISK_FULL */
    SAME(0xC000008C),                                           /* STATUS_ARRAY_BOUNDS_EXCEEDED */
    SAME(0xC000008E),                                           /* STATUS_FLOAT_DIVIDE_BY_ZERO */
    SAME(0xC0000090),                                           /* STATUS_FLOAT_INVALID_OPERATION */
    SAME(0xC0000094),                                           /* STATUS_INTEGER_DIVIDE_BY_ZERO */
    { 0xC0000095, E_ARITHMETIC_OVERFLOW },                      /* STATUS_INTEGER_OVERFLOW */
    SAME(0xC0000096),                                           /* STATUS_PRIVILEGED_INSTRUCTION */
    { 0xC000009A, E_NO_SYSTEM_RESOURCES },                      /* STATUS_INSUFFICIENT_RESOURCES */
    { 0xC000009F, E_INVALID_ADDRESS },                          /* STATUS_FREE_VM_NOT_AT_BASE */
    { 0xC00000A0, E_INVALID_ADDRESS },                          /* STATUS_MEMORY_NOT_ALLOCATED */
    { 0xC00000A2, E_WRITE_PROTECT },                            /* STATUS_MEDIA_WRITE_PROTECTED */
    { 0xC00000A3, E_NOT_READY },                                /* STATUS_DEVICE_NOT_READY */
    { 0xC00000AB, E_PIPE_BUSY },                                /* STATUS_INSTANCE_NOT_AVAILABLE */
    { 0xC00000AD, E_BAD_PIPE },                                 /* STATUS_INVALID_PIPE_STATE */
    { 0xC00000AE, E_PIPE_BUSY },                                /* STATUS_PIPE_BUSY */
    { 0xC00000AF, E_INVALID_FUNCTION },                         /* STATUS_ILLEGAL_FUNCTION */
    { 0xC00000B0, E_PIPE_NOT_CONNECTED },                       /* STATUS_PIPE_DISCONNECTED */
    { 0xC00000B1, E_NO_DATA },                                  /* STATUS_PIPE_CLOSING */
    { 0xC00000B3, E_PIPE_LISTENING },                           /* STATUS_PIPE_LISTENING */
    { 0xC00000B5, E_SEM_TIMEOUT },                              /* STATUS_IO_TIMEOUT */
    { 0xC00000BA, E_ACCESS_DENIED },                            /* STATUS_FILE_IS_A_DIRECTORY */
    { 0xC00000BB, E_NOT_SUPPORTED },                            /* STATUS_NOT_SUPPORTED */
    { 0xC00000D4, E_NOT_SAME_DEVICE },                          /* STATUS_NOT_SAME_DEVICE */
    { 0xC00000D9, E_NO_DATA },                                  /* STATUS_PIPE_EMPTY */
    { 0xC00000E8, E_INVALID_USER_BUFFER },                      /* STATUS_INVALID_USER_BUFFER */
    { 0xC00000EF, E_INVALID_PARAMETER },                        /* STATUS_INVALID_PARAMETER_1 */
    { 0xC00000F0, E_INVALID_PARAMETER },                        /* ..._2 */
    { 0xC00000F1, E_INVALID_PARAMETER },                        /* ..._3 */
    { 0xC00000F2, E_INVALID_PARAMETER },                        /* ..._4 */
    { 0xC00000F3, E_INVALID_PARAMETER },                        /* ..._5 */
    { 0xC00000F4, E_INVALID_PARAMETER },                        /* ..._6 */
    { 0xC00000F5, E_INVALID_PARAMETER },                        /* ..._7 */
    { 0xC00000F6, E_INVALID_PARAMETER },                        /* ..._8 */
    { 0xC00000F7, E_INVALID_PARAMETER },                        /* ..._9 */
    { 0xC00000F8, E_INVALID_PARAMETER },                        /* ..._10 */
    { 0xC00000FD, E_STACK_OVERFLOW },                           /* STATUS_STACK_OVERFLOW */
    { 0xC0000100, E_ENVVAR_NOT_FOUND },                         /* STATUS_VARIABLE_NOT_FOUND */
    { 0xC0000101, E_DIR_NOT_EMPTY },                            /* STATUS_DIRECTORY_NOT_EMPTY */
    { 0xC0000102, E_FILE_CORRUPT },                             /* STATUS_FILE_CORRUPT_ERROR */
    { 0xC0000103, E_DIRECTORY },                                /* STATUS_NOT_A_DIRECTORY */
    { 0xC0000106, E_FILENAME_EXCED_RANGE },                     /* STATUS_NAME_TOO_LONG */
    { 0xC000010A, E_ACCESS_DENIED },                            /* STATUS_PROCESS_IS_TERMINATING */
    { 0xC000011B, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_NE_FORMAT */
    { 0xC0000120, E_OPERATION_ABORTED },                        /* STATUS_CANCELLED */
    { 0xC0000121, E_ACCESS_DENIED },                            /* STATUS_CANNOT_DELETE */
    { 0xC0000123, E_ACCESS_DENIED },                            /* STATUS_FILE_DELETED */
    { 0xC0000128, E_INVALID_HANDLE },                           /* STATUS_FILE_CLOSED */
    { 0xC000012D, E_COMMITMENT_LIMIT },                         /* STATUS_COMMITMENT_LIMIT */
    { 0xC000012E, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_LE_FORMAT */
    { 0xC000012F, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_NOT_MZ */
    { 0xC0000130, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_PROTECT */
    { 0xC0000131, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_WIN_16 */
    { 0xC0000135, E_MOD_NOT_FOUND },                            /* STATUS_DLL_NOT_FOUND */
    { 0xC0000138, E_INVALID_ORDINAL },                          /* STATUS_ORDINAL_NOT_FOUND */
    { 0xC0000139, E_PROC_NOT_FOUND },                           /* STATUS_ENTRYPOINT_NOT_FOUND */
    { 0xC000013A, E_CONTROL_C_EXIT },                           /* STATUS_CONTROL_C_EXIT */
    { 0xC0000142, E_DLL_INIT_FAILED },                          /* STATUS_DLL_INIT_FAILED */
    { 0xC0000144, E_UNHANDLED_EXCEPTION },                      /* STATUS_UNHANDLED_EXCEPTION */
    { 0xC000014B, E_BROKEN_PIPE },                              /* STATUS_PIPE_BROKEN */
    { 0xC000014F, E_UNRECOGNIZED_VOLUME },                      /* STATUS_UNRECOGNIZED_VOLUME */
    { 0xC0000184, E_BAD_COMMAND },                              /* STATUS_INVALID_DEVICE_STATE */
    { 0xC0000185, E_IO_DEVICE },                                /* STATUS_IO_DEVICE_ERROR */
    { 0xC0000220, E_MAPPED_ALIGNMENT },                         /* STATUS_MAPPED_ALIGNMENT */
    { 0xC0000225, E_NOT_FOUND },                                /* STATUS_NOT_FOUND */
    { 0xC0000235, E_INVALID_HANDLE },                           /* STATUS_HANDLE_NOT_CLOSABLE */
    { 0xC0000253, E_CONNECTION_ABORTED },                       /* STATUS_LPC_REPLY_LOST */
    { 0xC000026E, E_NOT_READY },                                /* STATUS_VOLUME_DISMOUNTED */
    SAME(0xC00002B5),                                           /* STATUS_FLOAT_MULTIPLE_TRAPS */
    { 0xC000035A, E_BAD_EXE_FORMAT },                           /* STATUS_INVALID_IMAGE_WIN_64 */
};

/* Binary search of the table; FALSE if Status is not in it. */
static BOOLEAN RtlpLookupStatus(ULONG Status, PULONG Error)
{
    ULONG low = 0, high = ARRAYSIZE(RtlpStatusMap);
    while (low < high) {
        ULONG mid = low + (high - low) / 2;
        if (RtlpStatusMap[mid].Status == Status) {
            *Error = RtlpStatusMap[mid].Error;
            return TRUE;
        }
        if (RtlpStatusMap[mid].Status < Status) low = mid + 1;
        else high = mid;
    }
    return FALSE;
}

ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status)
{
    ULONG status = (ULONG)Status, error;
    /* Success, and customer-defined codes (bit 29), are already what the caller wants. */
    if (status == 0 || (status & 0x20000000u)) return status;
    /* 0xDxxxxxxx is 0xCxxxxxxx with the "N" (NTSTATUS-as-HRESULT) bit. */
    if ((status & 0xF0000000u) == 0xD0000000u) status &= ~0x10000000u;
    /* Facility 7 (Win32): a Win32 error wrapped as a status or HRESULT. */
    if ((status & 0xFFFF0000u) == 0xC0070000u || (status & 0xFFFF0000u) == 0x80070000u)
        return status & 0xFFFFu;
    if (RtlpLookupStatus(status, &error)) return error;
    return ERROR_MR_MID_NOT_FOUND;
}

ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status)
{
    NtCurrentTeb()->LastStatusValue = (ULONG)Status;
    return RtlNtStatusToDosErrorNoTeb(Status);
}

ULONG NTAPI RtlGetLastWin32Error(VOID)
{
    return NtCurrentTeb()->LastErrorValue;
}

VOID NTAPI RtlSetLastWin32Error(ULONG Win32Error)
{
    NtCurrentTeb()->LastErrorValue = Win32Error;
}

VOID NTAPI RtlRestoreLastWin32Error(ULONG Win32Error)
{
    NtCurrentTeb()->LastErrorValue = Win32Error;
}

NTSTATUS NTAPI RtlGetLastNtStatus(VOID)
{
    return (NTSTATUS)NtCurrentTeb()->LastStatusValue;
}

VOID NTAPI RtlSetLastWin32ErrorAndNtStatusFromNtStatus(NTSTATUS Status)
{
    NtCurrentTeb()->LastErrorValue = RtlNtStatusToDosError(Status);
}

#ifdef NT_HOST
/* For the unit test: TRUE if the table is strictly sorted (the binary search relies on it). */
BOOLEAN RtlpStatusMapIsSorted(VOID);
BOOLEAN RtlpStatusMapIsSorted(VOID)
{
    for (ULONG i = 1; i < ARRAYSIZE(RtlpStatusMap); i++)
        if (RtlpStatusMap[i - 1].Status >= RtlpStatusMap[i].Status) return FALSE;
    return TRUE;
}
#endif
