/* crc32.c - RtlComputeCrc32: the IEEE 802.3 CRC-32 (the one zip and cksum -o 3 use). */
#include "rtl.h"

ULONG RtlComputeCrc32(ULONG InitialCrc, const void *Buffer, SIZE_T Length)
{
    const UCHAR *p = Buffer;
    ULONG crc = ~InitialCrc;
    while (Length--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}
