/*
 * ntfile.h - the file constants NT's I/O interfaces share: access rights, share modes,
 * NtCreateFile's dispositions, create options and results, file attributes and file system
 * attributes (values from the Windows SDK/DDK). The I/O manager (io.h), the FAT core (fat.h)
 * and the user-mode tests include this one copy.
 */
#ifndef NTFILE_H
#define NTFILE_H

#include "ntdef.h"
#include "ntobj.h"

/* ---- Access rights, sharing, dispositions, options -------------------------------------- */

#define FILE_READ_DATA            0x0001u
#define FILE_LIST_DIRECTORY       0x0001u
#define FILE_WRITE_DATA           0x0002u
#define FILE_ADD_FILE             0x0002u
#define FILE_APPEND_DATA          0x0004u
#define FILE_ADD_SUBDIRECTORY     0x0004u
#define FILE_READ_EA              0x0008u
#define FILE_WRITE_EA             0x0010u
#define FILE_EXECUTE              0x0020u
#define FILE_TRAVERSE             0x0020u
#define FILE_DELETE_CHILD         0x0040u
#define FILE_READ_ATTRIBUTES      0x0080u
#define FILE_WRITE_ATTRIBUTES     0x0100u
#define FILE_ALL_ACCESS           (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x01FFu)
#define FILE_GENERIC_READ         (STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | \
                                   FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE        (STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | \
                                   FILE_WRITE_EA | FILE_APPEND_DATA | SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE      (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | \
                                   SYNCHRONIZE)

#define FILE_SHARE_READ           0x00000001u
#define FILE_SHARE_WRITE          0x00000002u
#define FILE_SHARE_DELETE         0x00000004u
#define FILE_SHARE_VALID_FLAGS    0x00000007u

#define FILE_SUPERSEDE            0x00000000u
#define FILE_OPEN                 0x00000001u
#define FILE_CREATE               0x00000002u
#define FILE_OPEN_IF              0x00000003u
#define FILE_OVERWRITE            0x00000004u
#define FILE_OVERWRITE_IF         0x00000005u
#define FILE_MAXIMUM_DISPOSITION  0x00000005u

#define FILE_DIRECTORY_FILE            0x00000001u
#define FILE_WRITE_THROUGH             0x00000002u
#define FILE_SEQUENTIAL_ONLY           0x00000004u
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008u
#define FILE_SYNCHRONOUS_IO_ALERT      0x00000010u
#define FILE_SYNCHRONOUS_IO_NONALERT   0x00000020u
#define FILE_NON_DIRECTORY_FILE        0x00000040u
#define FILE_CREATE_TREE_CONNECTION    0x00000080u
#define FILE_COMPLETE_IF_OPLOCKED      0x00000100u
#define FILE_NO_EA_KNOWLEDGE           0x00000200u
#define FILE_OPEN_FOR_RECOVERY         0x00000400u
#define FILE_RANDOM_ACCESS             0x00000800u
#define FILE_DELETE_ON_CLOSE           0x00001000u
#define FILE_OPEN_BY_FILE_ID           0x00002000u
#define FILE_OPEN_FOR_BACKUP_INTENT    0x00004000u
#define FILE_NO_COMPRESSION            0x00008000u
#define FILE_OPEN_REPARSE_POINT        0x00200000u
#define FILE_OPEN_NO_RECALL            0x00400000u
#define FILE_OPEN_FOR_FREE_SPACE_QUERY 0x00800000u
#define FILE_VALID_OPTION_FLAGS        0x00FFFFFFu

/* IO_STATUS_BLOCK.Information after a create. */
#define FILE_SUPERSEDED           0x00000000u
#define FILE_OPENED               0x00000001u
#define FILE_CREATED              0x00000002u
#define FILE_OVERWRITTEN          0x00000003u
#define FILE_EXISTS               0x00000004u
#define FILE_DOES_NOT_EXIST       0x00000005u

/* ByteOffset.LowPart values with HighPart == -1. */
#define FILE_WRITE_TO_END_OF_FILE       0xFFFFFFFFu
#define FILE_USE_FILE_POINTER_POSITION  0xFFFFFFFEu

#define FILE_ATTRIBUTE_READONLY   0x00000001u
#define FILE_ATTRIBUTE_HIDDEN     0x00000002u
#define FILE_ATTRIBUTE_SYSTEM     0x00000004u
#define FILE_ATTRIBUTE_DIRECTORY  0x00000010u
#define FILE_ATTRIBUTE_ARCHIVE    0x00000020u
#define FILE_ATTRIBUTE_DEVICE     0x00000040u
#define FILE_ATTRIBUTE_NORMAL     0x00000080u
#define FILE_ATTRIBUTE_TEMPORARY  0x00000100u
#define FILE_ATTRIBUTE_VALID_FLAGS 0x00007FB7u

/* FileFsAttributeInformation.FileSystemAttributes. */
#define FILE_CASE_SENSITIVE_SEARCH 0x00000001u
#define FILE_CASE_PRESERVED_NAMES  0x00000002u
#define FILE_UNICODE_ON_DISK       0x00000004u

#endif
