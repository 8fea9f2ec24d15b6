/*
 * console.c - \Device\Console, the terminal the Win32 console server (consrv in csrss) draws on
 * and reads from. A write puts the bytes on the text screen, mirrored to COM1 (so headless runs
 * and the system tests see console output); VT100 control sequences in it position the cursor,
 * set colours and erase, on both. A read returns the input bytes there are - typed in
 * the QEMU window (PS/2 keyboard, scan code set 1, US layout) or arriving on COM1 - waiting until
 * there is at least one: Enter is '\r', Backspace 0x08; line editing is consrv's.
 *
 * Input is polled: IRQ 1 and 4 stay masked, the keyboard controller and the UART hold what
 * arrives meanwhile. A read that finds nothing is queued, pending and cancellable, and the
 * driver's poller thread looks every 10 ms while reads wait, completing the oldest when input
 * comes. Every touch of the queue is at DISPATCH_LEVEL, where the cancel routine runs too.
 */
#include "io.h"
#include "hal.h"
#include "ke.h"
#include "ps.h"
#include "rtl.h"
#include "x86.h"
#include "ntstatus.h"

#define COM1_DATA          0x3F8
#define COM1_LSR           0x3FD
#define LSR_DATA_READY     0x01
#define KBD_DATA           0x60
#define KBD_STATUS         0x64
#define KBD_OUTPUT_FULL    0x01
#define KBD_AUX_DATA       0x20            /* the byte is the mouse's */

static BOOLEAN ConShift, ConCaps, ConCtrl, ConExtended;
static LIST_ENTRY ConReads;                 /* queued IRP_MJ_READs, oldest first */
static KEVENT ConReadQueued;                /* wakes the poller */

/* Scan code set 1, US layout: unshifted and shifted characters of make codes 0x00-0x39. */
static const char ConPlain[0x3A] =
    "\0\x1b" "1234567890-=\b\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char ConShifted[0x3A] =
    "\0\x1b" "!@#$%^&*()_+\b\tQWERTYUIOP{}\r\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

/* One scan code: a character, or 0 for a key that only changes state (or is not a character). */
static char ConTranslate(UCHAR Code)
{
    if (Code == 0xE0) { ConExtended = TRUE; return 0; }
    BOOLEAN extended = ConExtended, released = (Code & 0x80) != 0;
    ConExtended = FALSE;
    Code &= 0x7F;
    if (Code == 0x2A || Code == 0x36) { ConShift = !released; return 0; }
    if (Code == 0x1D) { ConCtrl = !released; return 0; }
    if (released || extended) return 0;    /* arrows and the like: not characters */
    if (Code == 0x3A) { ConCaps = !ConCaps; return 0; }
    if (Code >= sizeof(ConPlain)) return 0;
    char c = ConShift ? ConShifted[Code] : ConPlain[Code];
    if (ConCaps && c >= 'a' && c <= 'z') c -= 32;
    else if (ConCaps && c >= 'A' && c <= 'Z' && ConShift) c += 32;
    if (ConCtrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c &= 0x1F;   /* Ctrl+C = 3 */
    return c;
}

/* Whatever input is there now, up to Length bytes. */
static ULONG ConPoll(PCHAR Buffer, ULONG Length)
{
    ULONG n = 0;
    while (n < Length && (__inbyte(COM1_LSR) & LSR_DATA_READY)) {
        char c = (char)__inbyte(COM1_DATA);
        Buffer[n++] = c == 0x7F ? '\b' : c == '\n' ? '\r' : c;   /* terminals send DEL, some LF */
    }
    while (n < Length) {
        UCHAR status = __inbyte(KBD_STATUS);
        if (!(status & KBD_OUTPUT_FULL)) break;
        UCHAR code = __inbyte(KBD_DATA);
        if (status & KBD_AUX_DATA) continue;
        char c = ConTranslate(code);
        if (c) Buffer[n++] = c;
    }
    return n;
}

static NTSTATUS ConCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FILE_OPENED);
}

/* VGA attribute of an ANSI colour index (ANSI counts red, green, blue from bit 0; VGA and the
 * Win32 console blue, green, red). */
static UCHAR ConVgaColor(ULONG Ansi)
{
    return (UCHAR)(((Ansi & 1) << 2) | (Ansi & 2) | ((Ansi & 4) >> 2));
}

/* One control sequence ESC [ Params Final, for the screen (COM1 gets it as it is). */
static VOID ConControl(const ULONG *Params, ULONG Count, CHAR Final, PUCHAR Attribute)
{
    switch (Final) {
    case 'H': case 'f':                           /* cursor position, 1-based */
        HalDisplaySetCursor(Count > 0 && Params[0] ? Params[0] - 1 : 0, Count > 1 && Params[1] ? Params[1] - 1 : 0);
        return;
    case 'J':                                     /* 2J: clear the screen */
        if (Count > 0 && Params[0] == 2) HalClearDisplay();
        return;
    case 'K':                                     /* erase to the end of the line */
        HalDisplayClearToEndOfLine();
        return;
    case 'm':                                     /* colours */
        for (ULONG i = 0; i < (Count ? Count : 1); i++) {
            ULONG p = Count ? Params[i] : 0;
            if (p == 0) *Attribute = 0x07;
            else if (p == 1) *Attribute |= 0x08;
            else if (p >= 30 && p <= 37) *Attribute = (UCHAR)((*Attribute & 0xF8) | ConVgaColor(p - 30));
            else if (p >= 90 && p <= 97) *Attribute = (UCHAR)((*Attribute & 0xF0) | 0x08 | ConVgaColor(p - 90));
            else if (p >= 40 && p <= 47) *Attribute = (UCHAR)((*Attribute & 0x8F) | ConVgaColor(p - 40) << 4);
            else if (p >= 100 && p <= 107) *Attribute = (UCHAR)((*Attribute & 0x0F) | 0x80 | ConVgaColor(p - 100) << 4);
        }
        HalSetDisplayColors(*Attribute);
        return;
    }
}

static UCHAR ConAttribute = 0x07;

/* Text goes to the screen and COM1; the few VT100 control sequences consrv sends (cursor
 * position, colours, erasing) move and paint the screen, and reach COM1 unchanged, where a
 * terminal does the same. A sequence is expected whole within one write. */
static NTSTATUS ConWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    PCSTR data = Irp->AssociatedIrp.SystemBuffer;
    KIRQL old = HalpBeginOutput();
    HalSerialWrite(data, length);
    for (ULONG i = 0; i < length;) {
        ULONG run = i;
        while (run < length && data[run] != 0x1B && data[run] != 0) run++;
        HalDisplayText(data + i, run - i);
        i = run;
        if (i < length && data[i] == 0) { i++; continue; }                 /* NULs show nothing */
        if (i + 1 >= length || data[i + 1] != '[') { i++; continue; }
        ULONG params[4] = { 0 }, count = 0;
        for (i += 2; i < length && ((data[i] >= '0' && data[i] <= '9') || data[i] == ';'); i++) {
            if (count == 0) count = 1;
            if (data[i] == ';') { if (count < 4) count++; }
            else if (count <= 4) params[count - 1] = params[count - 1] * 10 + (ULONG)(data[i] - '0');
        }
        if (i < length) ConControl(params, count, data[i++], &ConAttribute);
    }
    HalpEndOutput(old);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, length);
}

static VOID ConCancelRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    IoCompleteRequestWithStatus(Irp, STATUS_CANCELLED, 0);
}

/* At DISPATCH_LEVEL: completes the oldest queued read if there is input; TRUE if reads remain. */
static BOOLEAN ConServiceReads(VOID)
{
    if (IsListEmpty(&ConReads)) return FALSE;
    PIRP irp = CONTAINING_RECORD(ConReads.Flink, IRP, Tail.Overlay.ListEntry);
    ULONG n = ConPoll(irp->AssociatedIrp.SystemBuffer, IoGetCurrentIrpStackLocation(irp)->Parameters.Read.Length);
    if (n) {
        RemoveEntryList(&irp->Tail.Overlay.ListEntry);
        irp->CancelRoutine = NULL;
        IoCompleteRequestWithStatus(irp, STATUS_SUCCESS, n);
    }
    return !IsListEmpty(&ConReads);
}

static VOID ConPoller(PVOID Context)
{
    LARGE_INTEGER poll = { .QuadPart = -100000 };            /* 10 ms */
    for (;;) {
        KeWaitForSingleObject(&ConReadQueued, Executive, KernelMode, FALSE, NULL);
        for (BOOLEAN more = TRUE; more;) {
            KIRQL old;
            KeRaiseIrql(DISPATCH_LEVEL, &old);
            more = ConServiceReads();
            KeLowerIrql(old);
            if (more) KeDelayExecutionThread(KernelMode, FALSE, &poll);
        }
    }
}

static NTSTATUS ConRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    if (length == 0) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    KIRQL old;
    NTSTATUS status = STATUS_PENDING;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ULONG n = IsListEmpty(&ConReads) ? ConPoll(Irp->AssociatedIrp.SystemBuffer, length) : 0;
    if (n || Irp->Cancel) {
        status = IoCompleteRequestWithStatus(Irp, n ? STATUS_SUCCESS : STATUS_CANCELLED, n);
    } else {
        IoMarkIrpPending(Irp);
        Irp->CancelRoutine = ConCancelRead;
        InsertTailList(&ConReads, &Irp->Tail.Overlay.ListEntry);
        KeSetEvent(&ConReadQueued, 0, FALSE);
    }
    KeLowerIrql(old);
    return status;
}

NTSTATUS ConsoleDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\Console");
    PDEVICE_OBJECT device;
    HANDLE poller;
    InitializeListHead(&ConReads);
    KeInitializeEvent(&ConReadQueued, SynchronizationEvent, FALSE);
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    status = PsCreateSystemThread(&poller, THREAD_ALL_ACCESS, NULL, NULL, NULL, ConPoller, NULL);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    ZwClose(poller);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = ConCreate;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    DriverObject->MajorFunction[IRP_MJ_READ] = ConRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = ConWrite;
    return STATUS_SUCCESS;
}
