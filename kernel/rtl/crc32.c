/* crc32.c - RtlComputeCrc32: the IEEE 802.3 CRC-32 (the one zip and cksum -o 3 use), a byte at a
 * time through a table built on first use. */
#include "rtl.h"

static ULONG RtlpCrcTable[256];
static BOOLEAN RtlpCrcReady;

static void RtlpBuildCrcTable(void)
{
    for (ULONG i = 0; i < 256; i++) {
        ULONG c = i;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
        RtlpCrcTable[i] = c;
    }
    RtlpCrcReady = TRUE;
}

ULONG RtlComputeCrc32(ULONG InitialCrc, const void *Buffer, SIZE_T Length)
{
    const UCHAR *p = Buffer;
    ULONG crc = ~InitialCrc;
    if (!RtlpCrcReady) RtlpBuildCrcTable();
    while (Length--) crc = (crc >> 8) ^ RtlpCrcTable[(crc ^ *p++) & 0xFF];
    return ~crc;
}
