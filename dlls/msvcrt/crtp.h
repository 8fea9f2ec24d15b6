/* crtp.h - private header of msvcrt.dll: the C types and constants of the runtime (the DLL is
 * built without any C library headers), the MSVCRT data layouts that programs compiled against
 * MinGW's headers see (FILE, struct lconv), and the internal interfaces between the files. */
#pragma once
#include "win32.h"

#define CRTAPI __attribute__((dllexport))

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef unsigned short wchar_t_;     /* the CRT's wide character: UTF-16, whatever the compiler's
                                        wchar_t (the host build of the tests has a 32-bit one) */
/* va_list and va_start/va_arg/va_end come from rtl.h (through win32.h). */
#ifndef va_copy
#define va_copy(d, s) __builtin_va_copy(d, s)
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif
#define EOF (-1)
#define INT_MAX 0x7FFFFFFF
#define INT_MIN (-INT_MAX - 1)
#define LONG_MAX 0x7FFFFFFFL
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX 0xFFFFFFFFUL
#define CHAR_MAX 127

/* errno values (the numbers MSVCRT and MinGW's <errno.h> use). */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EEXIST 17
#define ECHILD 10
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define ESPIPE 29
#define EPIPE 32
#define EDOM 33
#define ERANGE 34
#define ENOSYS 40
#define ENOTEMPTY 41
#define EILSEQ 42

/* The MSVCRT FILE (32 bytes): MinGW's <stdio.h> reaches stdin/stdout/stderr as &_iob[0..2]. */
typedef struct _iobuf {
    char *_ptr;       /* next byte to read or write in the buffer */
    int _cnt;         /* bytes left to read, or room left to write */
    char *_base;      /* the buffer */
    int _flag;        /* _IO* below */
    int _file;        /* the descriptor (fd.c) */
    int _charbuf;     /* the one-byte buffer of an unbuffered stream */
    int _bufsiz;
    char *_tmpfname;
} FILE;

#define _IOREAD 0x0001
#define _IOWRT 0x0002
#define _IONBF 0x0004
#define _IOMYBUF 0x0008
#define _IOEOF 0x0010
#define _IOERR 0x0020
#define _IOSTRG 0x0040
#define _IORW 0x0080
#define _IOFBF 0x0000       /* setvbuf modes */
#define _IOLBF 0x0040
#define _IOLINE 0x10000     /* NanoNT-private: flush at each '\n' (a console stream) */
#define _IOB_ENTRIES 20
#define CRT_MAX_STREAMS 64
#define BUFSIZ 512
#define CRT_BUFSIZE 4096

/* Low-level I/O (fd.c): <fcntl.h> / <io.h> flags. */
#define _O_RDONLY 0x0000
#define _O_WRONLY 0x0001
#define _O_RDWR 0x0002
#define _O_APPEND 0x0008
#define _O_CREAT 0x0100
#define _O_TRUNC 0x0200
#define _O_EXCL 0x0400
#define _O_TEXT 0x4000
#define _O_BINARY 0x8000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define CRT_MAX_FDS 64

/* Per-thread state (errno.c). */
typedef struct _CRT_THREAD {
    int Errno;
    unsigned long DosErrno;
    char *StrtokNext;
    wchar_t_ *WcstokNext;
} CRT_THREAD;

/* Functions shared between the files. */
CRT_THREAD *CrtThread(void);
void CrtThreadDetach(void);
BOOL CrtThreadInit(void);
void CrtSetErrnoFromWin32(DWORD Error);
void CrtFdInit(void);
void CrtStdioInit(void);
void CrtFlushAll(void);
void CrtLockInit(void);
void CrtTimeInit(void);
unsigned short CrtFpuExtended(void);
void CrtFpuRestore(unsigned short Old);
BOOL CrtEnvInit(void);
void CrtRunAtExit(void);
void CrtWriteStderr(const char *Text);
extern int _fmode;
extern FILE _iob[];

/* The printf engine (format.c) writes through a sink. */
typedef struct _CRT_SINK {
    void (*Put)(struct _CRT_SINK *Sink, const char *Text, size_t Length);
    size_t Count;     /* characters produced so far (what printf returns) */
    int Error;
    int Wide;         /* a wprintf format: %s and %c take wide arguments, %S and %C narrow */
} CRT_SINK;
int CrtFormat(CRT_SINK *Sink, const char *Format, va_list Args);
int CrtStreamFormat(FILE *f, const char *Format, va_list Args, int Wide);

/* The public functions the files call on one another (all exported), by their file. */
CRTAPI int *_errno(void);                                              /* errno.c */
#define errno (*_errno())
CRTAPI char *strerror(int);
CRTAPI void *malloc(size_t);                                           /* heap.c */
CRTAPI void *calloc(size_t, size_t);
CRTAPI void *realloc(void *, size_t);
CRTAPI void free(void *);
CRTAPI size_t strlen(const char *);                                    /* string.c */
CRTAPI size_t strnlen(const char *, size_t);
CRTAPI char *strcpy(char *, const char *);
CRTAPI char *strcat(char *, const char *);
CRTAPI char *strncpy(char *, const char *, size_t);
CRTAPI int strcmp(const char *, const char *);
CRTAPI int strncmp(const char *, const char *, size_t);
CRTAPI char *strchr(const char *, int);
CRTAPI char *strrchr(const char *, int);
CRTAPI int _stricmp(const char *, const char *);
CRTAPI int _strnicmp(const char *, const char *, size_t);
CRTAPI char *_strdup(const char *);
CRTAPI void *memcpy(void *, const void *, size_t);
CRTAPI void *memmove(void *, const void *, size_t);
CRTAPI void *memset(void *, int, size_t);
CRTAPI void *memchr(const void *, int, size_t);
CRTAPI size_t wcslen(const wchar_t_ *);                                /* wstring.c */
CRTAPI int _wcsnicmp(const wchar_t_ *, const wchar_t_ *, size_t);
CRTAPI int isspace(int);                                               /* ctype.c */
CRTAPI int isdigit(int);
CRTAPI int isalpha(int);
CRTAPI int tolower(int);
CRTAPI long strtol(const char *, char **, int);                        /* strtol.c */
CRTAPI unsigned long strtoul(const char *, char **, int);
CRTAPI long long _strtoi64(const char *, char **, int);
CRTAPI unsigned long long _strtoui64(const char *, char **, int);
CRTAPI char *_itoa(int, char *, int);
CRTAPI double strtod(const char *, char **);                           /* strtod.c */
CRTAPI char *getenv(const char *);                                     /* env.c */
CRTAPI int _open(const char *, int, ...);                              /* fd.c */
CRTAPI int _wopen(const wchar_t_ *, int, ...);
CRTAPI int _close(int);
CRTAPI int _open_osfhandle(LONG_PTR, int);
CRTAPI FILE *_fdopen(int, const char *);
CRTAPI int _read(int, void *, unsigned int);
CRTAPI int _write(int, const void *, unsigned int);
CRTAPI long _lseek(int, long, int);
CRTAPI int _isatty(int);
CRTAPI int _setmode(int, int);
CRTAPI LONG_PTR _get_osfhandle(int);
FILE *CrtNewStream(void);                                              /* stdio.c */
void CrtLockStream(FILE *f);
void CrtUnlockStream(FILE *f);
CRTAPI int fflush(FILE *);
CRTAPI int fputc(int, FILE *);
CRTAPI int fgetc(FILE *);
CRTAPI int ungetc(int, FILE *);
CRTAPI size_t fwrite(const void *, size_t, size_t, FILE *);
CRTAPI FILE *fopen(const char *, const char *);                        /* file.c */
CRTAPI int fclose(FILE *);
CRTAPI void _exit(int) __attribute__((noreturn));                      /* exit.c */
CRTAPI void exit(int) __attribute__((noreturn));
CRTAPI void abort(void) __attribute__((noreturn));
CRTAPI int raise(int);
CRTAPI void _lock(int);
CRTAPI void _unlock(int);
CRTAPI void _amsg_exit(int);
