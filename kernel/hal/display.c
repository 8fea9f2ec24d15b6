/*
 * display.c - the boot screen: VGA text mode (80x25 at physical 0xB8000, reached through KSEG0)
 * with scrolling and a hardware cursor. Everything shown here is mirrored to COM1, so headless
 * runs see it too.
 */
#include "hal.h"
#include "x86.h"
#include "mm.h"
#include "rtl.h"

#define COLS 80
#define ROWS 25

static volatile USHORT *const HalpScreen = (volatile USHORT *)(KSEG0_BASE + 0xB8000);
static ULONG HalpRow, HalpCol;
static UCHAR HalpAttribute = 0x07;

static void HalpUpdateCursor(void)
{
    ULONG pos = HalpRow * COLS + (HalpCol < COLS ? HalpCol : COLS - 1);
    __outbyte(0x3D4, 0x0F); __outbyte(0x3D5, (UCHAR)pos);
    __outbyte(0x3D4, 0x0E); __outbyte(0x3D5, (UCHAR)(pos >> 8));
}

VOID HalClearDisplay(VOID)
{
    for (ULONG i = 0; i < COLS * ROWS; i++) HalpScreen[i] = (USHORT)(HalpAttribute << 8 | ' ');
    HalpRow = HalpCol = 0;
    HalpUpdateCursor();
}

VOID HalInitializeDisplay(VOID) { HalClearDisplay(); }

VOID HalSetDisplayColors(UCHAR Attribute) { HalpAttribute = Attribute; }

static void HalpScroll(void)
{
    for (ULONG i = 0; i < COLS * (ROWS - 1); i++) HalpScreen[i] = HalpScreen[i + COLS];
    for (ULONG i = COLS * (ROWS - 1); i < COLS * ROWS; i++)
        HalpScreen[i] = (USHORT)(HalpAttribute << 8 | ' ');
    HalpRow = ROWS - 1;
}

/* A character at the end of a row leaves the cursor just past it; the next printable one wraps
 * (as terminals do), so filling the last cell of the screen does not scroll it. */
static void HalpPutChar(char c)
{
    if (c == '\n') { HalpCol = 0; HalpRow++; }
    else if (c == '\r') HalpCol = 0;
    else if (c == '\b') { if (HalpCol) HalpCol--; if (HalpCol == COLS) HalpCol = COLS - 1; }
    else {
        if (HalpCol == COLS) { HalpCol = 0; HalpRow++; }
        if (HalpRow == ROWS) HalpScroll();
        HalpScreen[HalpRow * COLS + HalpCol++] = (USHORT)(HalpAttribute << 8 | (UCHAR)c);
    }
    if (HalpRow == ROWS) HalpScroll();
}

/* Screen only (the console device mirrors to COM1 itself): text, a cursor move, one row's tail
 * cleared. The caller brackets them with HalpBeginOutput/HalpEndOutput. */
VOID HalDisplayText(PCSTR Text, ULONG Length)
{
    for (ULONG i = 0; i < Length; i++) HalpPutChar(Text[i]);
    HalpUpdateCursor();
}

VOID HalDisplaySetCursor(ULONG Row, ULONG Column)
{
    HalpRow = Row < ROWS ? Row : ROWS - 1;
    HalpCol = Column < COLS ? Column : COLS - 1;
    HalpUpdateCursor();
}

VOID HalDisplayClearToEndOfLine(VOID)
{
    for (ULONG c = HalpCol; c < COLS; c++) HalpScreen[HalpRow * COLS + c] = (USHORT)(HalpAttribute << 8 | ' ');
}

VOID HalDisplayString(PCSTR Text)
{
    ULONG n = (ULONG)RtlStringLength(Text);
    KIRQL old = HalpBeginOutput();                  /* one message whole, on both (serial.c) */
    for (ULONG i = 0; i < n; i++) HalpPutChar(Text[i]);
    HalpUpdateCursor();
    HalSerialWrite(Text, n);
    HalpEndOutput(old);
}
