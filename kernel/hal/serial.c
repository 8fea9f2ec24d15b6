/* serial.c - COM1 (I/O port 0x3F8), 115200 baud 8N1: the kernel debugger's output line. One
 * message goes out whole: the processor stays at DISPATCH_LEVEL (or above) while it is written,
 * so text of two threads never interleaves within a line. */
#include "hal.h"
#include "ke.h"
#include "x86.h"

#define COM1 0x3F8

VOID HalInitializeSerial(VOID)
{
    __outbyte(COM1 + 1, 0x00);      /* no interrupts */
    __outbyte(COM1 + 3, 0x80);      /* DLAB on to set the divisor */
    __outbyte(COM1 + 0, 0x01);      /* 115200 baud */
    __outbyte(COM1 + 1, 0x00);
    __outbyte(COM1 + 3, 0x03);      /* 8 bits, no parity, one stop bit */
    __outbyte(COM1 + 2, 0xC7);      /* FIFOs on and cleared */
    __outbyte(COM1 + 4, 0x03);      /* DTR, RTS */
}

static void HalpSerialPut(char c)
{
    for (ULONG spin = 0; spin < 100000 && !(__inbyte(COM1 + 5) & 0x20); spin++)
        ;                           /* transmit holding register empty */
    __outbyte(COM1, (UCHAR)c);
}

KIRQL HalpBeginOutput(VOID)
{
    KIRQL old = KeGetCurrentIrql();
    if (old < DISPATCH_LEVEL) KeRaiseIrql(DISPATCH_LEVEL, &old);
    return old;
}

VOID HalpEndOutput(KIRQL Old)
{
    if (Old < DISPATCH_LEVEL) KeLowerIrql(Old);
}

VOID HalSerialWrite(PCSTR Text, ULONG Length)
{
    KIRQL old = HalpBeginOutput();
    for (ULONG i = 0; i < Length; i++) {
        if (Text[i] == '\n') HalpSerialPut('\r');
        HalpSerialPut(Text[i]);
    }
    HalpEndOutput(old);
}
