/*
 * csrmsg.h - the wire protocol of the Win32 subsystem: what a client (ntdll's Csr* routines,
 * kernel32) and csrss.exe with its server DLLs (basesrv, consrv) both compile. One definition:
 * the port name, the server DLL indices and API numbers, the message (CSR_API_MESSAGE, at most
 * one LPC message of 256 bytes), the capture buffer for variable-length data and every API's
 * argument structure. subsys/csrss/README.md explains the design.
 *
 * Compatibility rule: this header is shared with kernel32, built separately. Never renumber an
 * API or move a field; add new APIs at the end of their enum and new fields only where they keep
 * every existing offset.
 */
#ifndef CSRMSG_H
#define CSRMSG_H

#include "ntdef.h"
#include "ntstatus.h"
#include "ntapi.h"

#ifndef STATUS_ILLEGAL_FUNCTION
#define STATUS_ILLEGAL_FUNCTION ((NTSTATUS)0xC00000AF)
#endif

/* ---- Where and who ----------------------------------------------------------------------- */

#define CSR_API_PORT_NAME      u"\\Windows\\ApiPort"
#define CSR_OBJECT_DIRECTORY   u"\\Windows"
/* csrss sets this (notification) event once its port serves: smss waits for it. */
#define CSR_READY_EVENT_NAME   u"\\BaseNamedObjects\\CsrssReady"

/* Server DLL indices (the high word of an API number). */
#define CSRSRV_SERVERDLL_INDEX   0     /* csrss itself */
#define BASESRV_SERVERDLL_INDEX  1     /* basesrv.dll: processes and threads */
#define CONSRV_SERVERDLL_INDEX   2     /* consrv.dll: consoles */
#define CSR_SERVER_DLL_MAX       4

#define CSR_MAKE_API_NUMBER(Server, Api) ((ULONG)(((ULONG)(Server) << 16) | (ULONG)(Api)))
#define CSR_API_NUMBER_TO_SERVER_ID(n)   ((ULONG)(n) >> 16)
#define CSR_API_NUMBER_TO_API_ID(n)      ((ULONG)(n) & 0xFFFFu)

/* The 64 KiB section each client shares with csrss (its "port memory"). */
#define CSR_PORT_MEMORY_SIZE     0x10000u
/* Most pointer fields one capture buffer may describe. */
#define CSR_MAX_CAPTURE_POINTERS 8u

/* ---- csrss's own APIs (CSRSRV_SERVERDLL_INDEX) -------------------------------------------- */
typedef enum _CSRSRV_API_NUMBER {
    CsrpClientConnect = 0,     /* hand connection data to a server DLL (CsrClientConnectToServer) */
    CsrpMaxApiNumber
} CSRSRV_API_NUMBER;

/* CsrpClientConnect: ConnectionInfo (in/out) lives in the capture buffer. */
typedef struct _CSR_CLIENT_CONNECT_MSG {
    ULONG ServerDllIndex;
    ULONG ConnectionInfoLength;            /* in: bytes sent; out: bytes the DLL returned */
    PVOID ConnectionInfo;                  /* capture-buffer pointer */
} CSR_CLIENT_CONNECT_MSG, *PCSR_CLIENT_CONNECT_MSG;

/* Most connection data a server DLL takes through CsrpClientConnect. */
#define CSR_MAX_CONNECTION_INFO 1024u

/* ---- basesrv APIs (BASESRV_SERVERDLL_INDEX) ----------------------------------------------- */
typedef enum _BASESRV_API_NUMBER {
    BasepCreateProcess = 0,    /* a Win32 process was created (kernel32 CreateProcess) */
    BasepCreateThread,         /* a thread was created in a Win32 process (CreateThread) */
    BasepExitProcess,          /* the caller is ending (ExitProcess) */
    BasepGetProcessList,       /* the pids of the live Win32 processes */
    BasepMaxApiNumber
} BASESRV_API_NUMBER;

/* BasepCreateProcess. The handles are the caller's (the parent's) handles to the new process and
 * its first thread; csrss duplicates them from the caller with NtDuplicateObject. */
typedef struct _BASE_CREATE_PROCESS_MSG {
    HANDLE ProcessHandle;
    HANDLE ThreadHandle;
    CLIENT_ID ClientId;                    /* of the new process and its first thread */
    ULONG CreationFlags;                   /* CreateProcess dwCreationFlags */
} BASE_CREATE_PROCESS_MSG, *PBASE_CREATE_PROCESS_MSG;

typedef struct _BASE_CREATE_THREAD_MSG {
    HANDLE ThreadHandle;                   /* the caller's handle to the new thread */
    CLIENT_ID ClientId;
} BASE_CREATE_THREAD_MSG, *PBASE_CREATE_THREAD_MSG;

typedef struct _BASE_EXIT_PROCESS_MSG {
    ULONG ExitCode;
} BASE_EXIT_PROCESS_MSG, *PBASE_EXIT_PROCESS_MSG;

#define BASE_MAX_PROCESS_LIST 40u
typedef struct _BASE_GET_PROCESS_LIST_MSG {
    ULONG Count;                           /* out: live Win32 processes (may exceed the array) */
    ULONG Returned;                        /* out: pids stored in ProcessIds */
    ULONG ProcessIds[BASE_MAX_PROCESS_LIST];
} BASE_GET_PROCESS_LIST_MSG, *PBASE_GET_PROCESS_LIST_MSG;

/* basesrv's connection data (CsrClientConnectToServer with BASESRV_SERVERDLL_INDEX; optional). */
#define BASESRV_VERSION 1u
typedef struct _BASESRV_CONNECTION_INFO {
    ULONG ExpectedVersion;                 /* in: BASESRV_VERSION */
    ULONG ServerProcessId;                 /* out: csrss's pid */
} BASESRV_CONNECTION_INFO, *PBASESRV_CONNECTION_INFO;

/* ---- consrv APIs (CONSRV_SERVERDLL_INDEX) -------------------------------------------------- */
typedef enum _CONSRV_API_NUMBER {
    ConsolepAlloc = 0,         /* AllocConsole */
    ConsolepAttach,            /* AttachConsole (to a console id) */
    ConsolepFree,              /* FreeConsole */
    ConsolepWriteConsole,      /* WriteConsoleA/W, WriteFile on a console handle */
    ConsolepReadConsole,       /* ReadConsoleA/W, ReadFile on a console handle (may reply later) */
    ConsolepGetMode,           /* GetConsoleMode */
    ConsolepSetMode,           /* SetConsoleMode */
    ConsolepSetTitle,          /* SetConsoleTitleW (kernel32 converts the A form) */
    ConsolepGetTitle,          /* GetConsoleTitleW */
    ConsolepGetScreenBufferInfo, /* GetConsoleScreenBufferInfo */
    ConsolepGenerateCtrlEvent, /* GenerateConsoleCtrlEvent */
    ConsolepSetTextAttribute,  /* SetConsoleTextAttribute */
    ConsolepSetCursorPosition, /* SetConsoleCursorPosition */
    ConsolepFillOutput,        /* FillConsoleOutputCharacterA/W, FillConsoleOutputAttribute */
    ConsolepReadOutput,        /* ReadConsoleOutputCharacterA, ReadConsoleOutputAttribute */
    ConsolepCursorInfo,        /* GetConsoleCursorInfo, SetConsoleCursorInfo */
    ConsolepInputEvents,       /* Get/Peek/Read/Flush of input events (may reply later) */
    ConsolepMaxApiNumber
} CONSRV_API_NUMBER;

/*
 * Console handles are NT 4/XP-style pseudo-handles: values with the two low bits set (3, 7, 11,
 * ...), which no kernel handle has (kernel handles are multiples of 4). kernel32 sends any
 * handle for which CONSOLE_HANDLE(h) is true to consrv instead of the kernel. Every process
 * attached to a console has the same three: input 3, output 7, error 11 (error writes to the
 * same screen as output). Any other value is STATUS_INVALID_HANDLE at consrv.
 */
#define CONSOLE_HANDLE(h)            ((((ULONG_PTR)(h)) & 3u) == 3u)
#define CONSOLE_INPUT_HANDLE         ((HANDLE)(ULONG_PTR)3)
#define CONSOLE_OUTPUT_HANDLE        ((HANDLE)(ULONG_PTR)7)
#define CONSOLE_ERROR_HANDLE         ((HANDLE)(ULONG_PTR)11)

/* Console modes (GetConsoleMode/SetConsoleMode, wincon.h values). Input handle: */
#ifndef ENABLE_PROCESSED_INPUT
#define ENABLE_PROCESSED_INPUT       0x0001u
#define ENABLE_LINE_INPUT            0x0002u
#define ENABLE_ECHO_INPUT            0x0004u
#define ENABLE_WINDOW_INPUT          0x0008u
#define ENABLE_MOUSE_INPUT           0x0010u
/* Output handles: */
#define ENABLE_PROCESSED_OUTPUT      0x0001u
#define ENABLE_WRAP_AT_EOL_OUTPUT    0x0002u
#endif
#define CONSOLE_DEFAULT_INPUT_MODE   (ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT)
#define CONSOLE_DEFAULT_OUTPUT_MODE  (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT)

#define CONSOLE_SCREEN_WIDTH         80
#define CONSOLE_SCREEN_HEIGHT        25
#define CONSOLE_MAX_TITLE_CHARS      64u      /* a longer title is cut */
#define CONSOLE_INLINE_BYTES         80u      /* write/read data carried in the message itself */

/* A console id: a small number (1, 2, ...) naming a console in consrv; 0 = none. kernel32 passes
 * the parent's console id to a console child in RTL_USER_PROCESS_PARAMETERS.ConsoleHandle, and the
 * child's kernel32 attaches to it (ConsolepAttach) instead of allocating one. */

/* ConsolepAlloc and ConsolepAttach: the title (Alloc only, may be empty) in; the id and the
 * three handles out. A process has one console at most (a second: STATUS_ACCESS_DENIED); an
 * unknown id is STATUS_INVALID_PARAMETER. ConsolepFree takes no arguments (no console:
 * STATUS_INVALID_PARAMETER); the caller's waiting reads end with STATUS_CANCELLED, and the
 * console ends with its last process. */
typedef struct _CONSOLE_ALLOC_MSG {
    ULONG ConsoleId;                       /* Attach: in (which console); both: out */
    PVOID CtrlRoutine;                     /* in: kernel32's CtrlRoutine, where Ctrl+C threads start */
    HANDLE InputHandle;                    /* out */
    HANDLE OutputHandle;                   /* out */
    HANDLE ErrorHandle;                    /* out */
    ULONG TitleLength;                     /* Alloc, in: bytes of Title (cut to the maximum) */
    WCHAR Title[CONSOLE_MAX_TITLE_CHARS];  /* Alloc, in: no NUL needed */
} CONSOLE_ALLOC_MSG, *PCONSOLE_ALLOC_MSG;

/* ConsolepWriteConsole: Length bytes of text (chars * 2 if Unicode) either inline (Buffer ==
 * NULL, Length <= CONSOLE_INLINE_BYTES) or in the capture buffer (Buffer a captured pointer). */
typedef struct _CONSOLE_WRITE_MSG {
    HANDLE ConsoleHandle;                  /* output or error handle */
    BOOLEAN Unicode;
    UCHAR Reserved[3];
    ULONG Length;                          /* bytes */
    PVOID Buffer;                          /* NULL: the text is in Inline */
    ULONG NumberOfCharsWritten;            /* out */
    UCHAR Inline[CONSOLE_INLINE_BYTES];
} CONSOLE_WRITE_MSG, *PCONSOLE_WRITE_MSG;

/* ConsolepReadConsole: up to NumberOfCharsToRead chars into Buffer (captured, room for them) or,
 * if Buffer is NULL, into Inline (then NumberOfCharsToRead * char size <= CONSOLE_INLINE_BYTES).
 * Cooked mode (ENABLE_LINE_INPUT) returns one line ending "\r\n" (cut to the buffer; the rest
 * stays for the next read); the reply comes when the line is complete. */
typedef struct _CONSOLE_READ_MSG {
    HANDLE ConsoleHandle;                  /* the input handle */
    BOOLEAN Unicode;
    UCHAR Reserved[3];
    ULONG NumberOfCharsToRead;
    PVOID Buffer;
    ULONG NumberOfCharsRead;               /* out */
    UCHAR Inline[CONSOLE_INLINE_BYTES];
} CONSOLE_READ_MSG, *PCONSOLE_READ_MSG;

/* ConsolepGetMode / ConsolepSetMode. */
typedef struct _CONSOLE_MODE_MSG {
    HANDLE ConsoleHandle;
    ULONG Mode;                            /* Get: out; Set: in */
} CONSOLE_MODE_MSG, *PCONSOLE_MODE_MSG;

/* ConsolepSetTitle / ConsolepGetTitle: Unicode, in the capture buffer. Set: Length bytes in.
 * Get: Length = room in bytes in; out = the bytes copied (no NUL); TitleLength = the title's
 * whole length in bytes. */
typedef struct _CONSOLE_TITLE_MSG {
    ULONG Length;
    PWSTR Title;                           /* captured pointer */
    ULONG TitleLength;                     /* Get, out */
} CONSOLE_TITLE_MSG, *PCONSOLE_TITLE_MSG;

/* Ctrl+C and Ctrl+Break: a ConsolepGenerateCtrlEvent, or Ctrl+C typed on a console in processed
 * input mode, makes consrv start a thread in each process attached to the console (newest
 * first; ProcessGroupId != 0: only the process with that id) at the CtrlRoutine it gave when it
 * attached, with the event as the argument: CtrlRoutine(CTRL_C_EVENT or CTRL_BREAK_EVENT). */
#define CONSOLE_CTRL_C_EVENT         0u
#define CONSOLE_CTRL_BREAK_EVENT     1u
typedef struct _CONSOLE_CTRL_EVENT_MSG {
    ULONG CtrlEvent;                       /* CONSOLE_CTRL_C_EVENT or CONSOLE_CTRL_BREAK_EVENT */
    ULONG ProcessGroupId;                  /* 0: every process of the caller's console */
} CONSOLE_CTRL_EVENT_MSG, *PCONSOLE_CTRL_EVENT_MSG;

/* The screen of a console: 80x25 cells of a character and an attribute (the Win32 FOREGROUND_* /
 * BACKGROUND_* bits), the cursor, the attribute new text gets. One message for the cell and
 * cursor APIs: SetTextAttribute (Attribute), SetCursorPosition (X, Y), FillOutput (Kind, Value -
 * an ANSI character or an attribute - Length cells from X, Y; Length out: cells filled, cut at the
 * end of the screen), ReadOutput (Kind, Length cells from X, Y into Inline: chars, or attributes
 * as USHORTs; at most CONSOLE_INLINE_BYTES bytes), CursorInfo (Set: CursorSize 1-100 and
 * CursorVisible in; else out). Coordinates outside the screen: STATUS_INVALID_PARAMETER. */
#define CONSOLE_CELLS_CHARACTER      1u
#define CONSOLE_CELLS_ATTRIBUTE      2u
typedef struct _CONSOLE_CELLS_MSG {
    HANDLE ConsoleHandle;                  /* output or error handle */
    ULONG Kind;
    USHORT Attribute, Value;
    SHORT X, Y;
    ULONG Length;
    ULONG CursorSize;
    BOOLEAN CursorVisible, Set;
    UCHAR Inline[CONSOLE_INLINE_BYTES];
} CONSOLE_CELLS_MSG, *PCONSOLE_CELLS_MSG;

/* ConsolepInputEvents: the input buffer as key-down events, one per typed byte, carried as their
 * characters in Inline. COUNT: Length out = events waiting; PEEK/READ: up to Length (at most
 * CONSOLE_INLINE_BYTES) into Inline, Length out = how many (READ takes them, waiting for one at
 * least); FLUSH: drops them all. */
#define CONSOLE_EVENTS_COUNT         0u
#define CONSOLE_EVENTS_PEEK          1u
#define CONSOLE_EVENTS_READ          2u
#define CONSOLE_EVENTS_FLUSH         3u
typedef struct _CONSOLE_INPUT_EVENTS_MSG {
    HANDLE ConsoleHandle;                  /* the input handle */
    ULONG Action;
    ULONG Length;
    UCHAR Inline[CONSOLE_INLINE_BYTES];
} CONSOLE_INPUT_EVENTS_MSG, *PCONSOLE_INPUT_EVENTS_MSG;

/* ConsolepGetScreenBufferInfo: CONSOLE_SCREEN_BUFFER_INFO's fields, flattened (no COORD here). */
typedef struct _CONSOLE_SCREEN_INFO_MSG {
    HANDLE ConsoleHandle;                  /* output or error handle */
    SHORT SizeX, SizeY;                    /* 80 x 25 */
    SHORT CursorX, CursorY;
    USHORT Attributes;
    SHORT WindowLeft, WindowTop, WindowRight, WindowBottom;
    SHORT MaximumWindowX, MaximumWindowY;
} CONSOLE_SCREEN_INFO_MSG, *PCONSOLE_SCREEN_INFO_MSG;

/* ---- The capture buffer -------------------------------------------------------------------- */
/*
 * Variable-length data travels in the caller's port memory (the section shared with csrss), not
 * in the 256-byte message. A capture buffer is one block there: this header, the offsets (from
 * the start of the CSR_API_MESSAGE) of the message fields that point into the block, then the
 * data. CsrClientCallServer turns those fields and CSR_API_MESSAGE.CaptureBuffer into csrss's
 * addresses of the same bytes before sending and back after the reply; csrss checks that the
 * block lies in the client's section and every recorded pointer inside the block.
 */
typedef struct _CSR_CAPTURE_BUFFER {
    ULONG Size;                            /* bytes of the whole block */
    ULONG MaximumPointerCount;             /* room in PointerOffsetsArray */
    ULONG PointerCount;                    /* offsets recorded */
    PCHAR BufferEnd;                       /* next free data byte (client address) */
    ULONG_PTR PointerOffsetsArray[1];      /* [MaximumPointerCount] */
} CSR_CAPTURE_BUFFER, *PCSR_CAPTURE_BUFFER;

/* ---- The message ---------------------------------------------------------------------------- */
typedef struct _CSR_API_MESSAGE {
    PORT_MESSAGE Header;
    PCSR_CAPTURE_BUFFER CaptureBuffer;     /* NULL or the capture buffer (see above) */
    ULONG ApiNumber;                       /* CSR_MAKE_API_NUMBER(server, api) */
    NTSTATUS ReturnValue;                  /* the server's status */
    ULONG Reserved;
    union {
        CSR_CLIENT_CONNECT_MSG ClientConnect;
        BASE_CREATE_PROCESS_MSG CreateProcess;
        BASE_CREATE_THREAD_MSG CreateThread;
        BASE_EXIT_PROCESS_MSG ExitProcess;
        BASE_GET_PROCESS_LIST_MSG GetProcessList;
        CONSOLE_ALLOC_MSG AllocConsole;    /* also AttachConsole */
        CONSOLE_WRITE_MSG WriteConsole;
        CONSOLE_READ_MSG ReadConsole;
        CONSOLE_MODE_MSG ConsoleMode;
        CONSOLE_TITLE_MSG ConsoleTitle;
        CONSOLE_SCREEN_INFO_MSG ScreenInfo;
        CONSOLE_CTRL_EVENT_MSG CtrlEvent;
        CONSOLE_CELLS_MSG Cells;
        CONSOLE_INPUT_EVENTS_MSG InputEvents;
        UCHAR Raw[PORT_MAXIMUM_MESSAGE_LENGTH - sizeof(PORT_MESSAGE) - 16];
    } Data;
} CSR_API_MESSAGE, *PCSR_API_MESSAGE;
X86_C_ASSERT(sizeof(CSR_API_MESSAGE) == PORT_MAXIMUM_MESSAGE_LENGTH);
X86_C_ASSERT(FIELD_OFFSET(CSR_API_MESSAGE, Data) == 40);

/* The argument size to pass to CsrClientCallServer for an API: sizeof its structure. */
#define CSR_API_ARGUMENT_SIZE(type) ((ULONG)sizeof(type))

/* ---- Connecting ----------------------------------------------------------------------------- */
/* The connection data of NtConnectPort to \Windows\ApiPort (in and out). */
#define CSR_VERSION 1u
typedef struct _CSR_CONNECTION_INFO {
    ULONG Version;                         /* in: CSR_VERSION */
    ULONG ServerProcessId;                 /* out: csrss's pid */
    PVOID Reserved;                        /* 0 (the client learns csrss's address of its port
                                              memory from NtConnectPort's PORT_VIEW.ViewRemoteBase) */
} CSR_CONNECTION_INFO, *PCSR_CONNECTION_INFO;

#endif
