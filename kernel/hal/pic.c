/*
 * pic.c - the two 8259A interrupt controllers: IRQ 0-15 remapped to vectors 0x30-0x3F (NT's
 * PRIMARY_VECTOR_BASE), each line masked until a service routine is connected, and spurious
 * IRQ 7/15 recognised by the in-service register.
 */
#include "hal.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define VECTOR_BASE 0x30

static USHORT HalpIrqMask = 0xFFFB;   /* all masked but the cascade (IRQ 2) */

static void HalpWriteMask(void)
{
    __outbyte(PIC1_DATA, (UCHAR)HalpIrqMask);
    __outbyte(PIC2_DATA, (UCHAR)(HalpIrqMask >> 8));
}

VOID HalInitializePic(VOID)
{
    __outbyte(PIC1_CMD, 0x11);  __outbyte(PIC2_CMD, 0x11);          /* ICW1: init, ICW4 follows */
    __outbyte(PIC1_DATA, VECTOR_BASE); __outbyte(PIC2_DATA, VECTOR_BASE + 8);  /* ICW2 */
    __outbyte(PIC1_DATA, 0x04); __outbyte(PIC2_DATA, 0x02);          /* ICW3: slave on IRQ 2 */
    __outbyte(PIC1_DATA, 0x01); __outbyte(PIC2_DATA, 0x01);          /* ICW4: 8086 mode */
    HalpWriteMask();
}

VOID HalEnableIrq(ULONG Irq) { HalpIrqMask &= (USHORT)~(1u << Irq); HalpWriteMask(); }
VOID HalDisableIrq(ULONG Irq) { HalpIrqMask |= (USHORT)(1u << Irq); HalpWriteMask(); }

static BOOLEAN HalpInService(USHORT Port, ULONG Bit)
{
    __outbyte(Port, 0x0B);                  /* OCW3: read the in-service register */
    return (__inbyte(Port) & (1u << Bit)) != 0;
}

BOOLEAN HalBeginInterrupt(ULONG Irq)
{
    if (Irq == 7 && !HalpInService(PIC1_CMD, 7)) return FALSE;
    if (Irq == 15 && !HalpInService(PIC2_CMD, 7)) {
        __outbyte(PIC1_CMD, PIC_EOI);        /* the master did see the cascade */
        return FALSE;
    }
    return TRUE;
}

VOID HalEndInterrupt(ULONG Irq)
{
    if (Irq >= 8) __outbyte(PIC2_CMD, PIC_EOI);
    __outbyte(PIC1_CMD, PIC_EOI);
}
