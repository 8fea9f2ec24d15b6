/* bugcodes.h - stop codes for KeBugCheckEx (values as documented for Windows NT). */
#ifndef BUGCODES_H
#define BUGCODES_H

#define IRQL_NOT_GREATER_OR_EQUAL           0x00000009u
#define IRQL_NOT_LESS_OR_EQUAL              0x0000000Au
#define KMODE_EXCEPTION_NOT_HANDLED         0x0000001Eu
#define BAD_POOL_HEADER                     0x00000019u
#define MEMORY_MANAGEMENT                   0x0000001Au
#define NO_MORE_SYSTEM_PTES                 0x0000003Fu
#define MUST_SUCCEED_POOL_EMPTY             0x00000041u
#define PFN_LIST_CORRUPT                    0x0000004Eu
#define PAGE_FAULT_IN_NONPAGED_AREA         0x00000050u
#define PHASE0_INITIALIZATION_FAILED        0x00000031u
#define PHASE1_INITIALIZATION_FAILED        0x00000032u
#define INVALID_PROCESS_ATTACH_ATTEMPT      0x00000005u
#define INSTALL_MORE_MEMORY                 0x0000007Du
#define UNEXPECTED_KERNEL_MODE_TRAP         0x0000007Fu
#define KERNEL_MODE_EXCEPTION_NOT_HANDLED   0x0000008Eu
#define MANUALLY_INITIATED_CRASH            0x000000E2u
#define BAD_POOL_CALLER                     0x000000C2u
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL       0x000000D1u
#define ATTEMPTED_WRITE_TO_READONLY_MEMORY  0x000000BEu
#define REFERENCE_BY_POINTER                0x00000018u /* an object's pointer count went below 0 */
#define BAD_OBJECT_HEADER                   0x00000189u /* not an object body, or a stomped header */
#define MUTEX_ALREADY_OWNED                 0x000000BFu /* a lock taken again by its owner */
#define RESOURCE_NOT_OWNED                  0x000000E3u /* a lock released by a non-owner */
#define KERNEL_SELF_TEST_FAILED             0x4E540001u /* NanoNT's own: a boot self-test failed */

#endif
