/* utest.h - the contract between the native test program and the kernel tests that run it. */
#ifndef UTEST_H
#define UTEST_H

#define UT_OK                   0x0000600Du
#define UT_FAIL(n)              (0xE0000000u | (n))
#define UT_FUZZ_FAIL(s, a, b)   (0xE1000000u | ((s) << 12) | ((a) << 4) | (b))
#define UT_PING_NAME            u"\\BaseNamedObjects\\UtPing"
#define UT_PONG_NAME            u"\\BaseNamedObjects\\UtPong"
#define UT_SECTION_NAME         u"\\BaseNamedObjects\\UtSection"
#define UT_SHARED_VALUE         0x5EC7104Eu
#define UT_IMAGE_BASE           0x00400000u
#define UT_APPEND_FILE          u"\\??\\C:\\Tests\\append.txt"
#define UT_APPEND_RECORDS       200          /* per process, 16 bytes each: "P<n> L<nnnn>.....\n" */

enum {
    UT_EXIT, UT_FAULT_NULL_WRITE, UT_FAULT_DIVIDE, UT_FAULT_INVALID_OPCODE, UT_FAULT_PRIVILEGED,
    UT_FAULT_KERNEL_READ, UT_FAULT_BREAKPOINT, UT_PING_WAITER, UT_PING_SETTER, UT_FUZZ, UT_SPIN,
    UT_WAIT_FOREVER, UT_TEB_PEB, UT_ACCESS, UT_NULL_SERVICE, UT_VIRTUAL_MEMORY, UT_SECTION_WRITER,
    UT_SECTION_READER, UT_SET_EVENT_HANDLE, UT_SYNC_OBJECTS,
    UT_FILE_NULL, UT_FILE_ACCESS, UT_FILE_BAD_POINTERS, UT_FILE_APPEND,
};

#endif
