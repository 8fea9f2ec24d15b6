/*
 * consrvp.h - private to consrv.dll: console objects, the terminal device they share, and the
 * pieces of the API (consoles, output, input).
 *
 * Locking: csrss calls the API routines from its one server thread; consrv's input thread
 * (input.c) runs beside it. ConLock guards every console, the per-process console pointers and
 * the input state.
 */
#ifndef CONSRVP_H
#define CONSRVP_H

#include "csrsrv.h"

#define CONSRV_MAX_CONSOLES 16
#define CONSRV_MAX_ATTACHED 64            /* processes per console (csrss serves 64 at most) */

/* A process attached to a console, and where its Ctrl+C threads start. */
typedef struct _CON_ATTACHED {
    PCSR_PROCESS Process;
    PVOID CtrlRoutine;
} CON_ATTACHED;

typedef struct _CONSOLE {
    ULONG Id;                             /* 0: a free slot */
    ULONG ProcessCount;                   /* processes attached */
    CON_ATTACHED Attached[CONSRV_MAX_ATTACHED];   /* [ProcessCount], oldest first */
    ULONG InputMode, OutputMode;
    SHORT CursorX, CursorY;               /* where the next character goes on the 80x25 screen */
    USHORT Attribute;                     /* of new text (FOREGROUND_* | BACKGROUND_*) */
    ULONG CursorSize;                     /* percent of a cell, 1-100 */
    BOOLEAN CursorVisible;
    CHAR Chars[CONSOLE_SCREEN_HEIGHT][CONSOLE_SCREEN_WIDTH];    /* what the screen shows */
    UCHAR Attrs[CONSOLE_SCREEN_HEIGHT][CONSOLE_SCREEN_WIDTH];
    ULONG TitleLength;                    /* bytes */
    WCHAR Title[CONSOLE_MAX_TITLE_CHARS];
} CONSOLE, *PCONSOLE;

typedef enum { ConHandleNone, ConHandleInput, ConHandleOutput } CON_HANDLE_KIND;

extern const CSR_SERVER_SERVICES *ConServices;
extern RTL_CRITICAL_SECTION ConLock;

#define ConProcessConsole(Process) ((PCONSOLE)(Process)->ServerData[CONSRV_SERVERDLL_INDEX])

/* console.c */
CON_HANDLE_KIND ConHandleKind(HANDLE Handle);
PCONSOLE ConNewestConsole(VOID);
VOID NTAPI ConDisconnect(PCSR_PROCESS Process);
NTSTATUS NTAPI ConSrvAllocConsole(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvAttachConsole(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvFreeConsole(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvGetMode(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvSetMode(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvSetTitle(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvGetTitle(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvGenerateCtrlEvent(PCSR_API_CALL Call);
VOID ConSendCtrlEvent(PCONSOLE Console, ULONG CtrlEvent, ULONG ProcessGroupId);   /* under ConLock */

/* output.c */
NTSTATUS ConOpenDevice(VOID);
extern HANDLE ConInputDevice;                 /* NULL: no input */
VOID ConOutput(PCONSOLE Console, const CHAR *Text, ULONG Length);  /* to the screen, cursor tracked */
NTSTATUS NTAPI ConSrvWriteConsole(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvGetScreenBufferInfo(PCSR_API_CALL Call);
VOID ConInitializeScreen(PCONSOLE Console);

/* screen.c */
NTSTATUS NTAPI ConSrvSetTextAttribute(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvSetCursorPosition(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvFillOutput(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvReadOutput(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvCursorInfo(PCSR_API_CALL Call);
VOID ConEmit(const CHAR *Text, ULONG Length);             /* output.c: to the device only */

/* input.c */
NTSTATUS NTAPI ConSrvReadConsole(PCSR_API_CALL Call);
NTSTATUS NTAPI ConSrvInputEvents(PCSR_API_CALL Call);
VOID ConCancelReads(PCSR_PROCESS Process, BOOLEAN Reply);   /* under ConLock */

#endif
