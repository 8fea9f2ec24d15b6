/* heap.c - malloc and friends on the process heap (kernel32's HeapAlloc over ntdll's Rtl heap),
 * so memory passes freely between the program, msvcrt and any DLL that uses the same heap. */
#include "crtp.h"

/* malloc(0) returns a unique pointer, as MSVCRT's does. */
CRTAPI void *malloc(size_t Size)
{
    void *p = HeapAlloc(GetProcessHeap(), 0, Size ? Size : 1);
    if (!p)
        errno = ENOMEM;
    return p;
}

CRTAPI void *calloc(size_t Count, size_t Size)
{
    if (Size && Count > (size_t)-1 / Size) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bytes = Count * Size;
    void *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, bytes ? bytes : 1);
    if (!p)
        errno = ENOMEM;
    return p;
}

CRTAPI void free(void *Block)
{
    if (Block)
        HeapFree(GetProcessHeap(), 0, Block);
}

/* realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL (MSVCRT). On failure
 * the old block stays valid. */
CRTAPI void *realloc(void *Block, size_t Size)
{
    if (!Block)
        return malloc(Size);
    if (!Size) {
        free(Block);
        return NULL;
    }
    void *p = HeapReAlloc(GetProcessHeap(), 0, Block, Size);
    if (!p)
        errno = ENOMEM;
    return p;
}

CRTAPI size_t _msize(void *Block)
{
    return HeapSize(GetProcessHeap(), 0, Block);
}

CRTAPI void *_recalloc(void *Block, size_t Count, size_t Size)
{
    size_t old = Block ? _msize(Block) : 0;
    if (Size && Count > (size_t)-1 / Size) {
        errno = ENOMEM;
        return NULL;
    }
    char *p = realloc(Block, Count * Size);
    if (p && Count * Size > old)
        memset(p + old, 0, Count * Size - old);
    return p;
}

CRTAPI void *_expand(void *Block, size_t Size)
{
    return NULL;    /* growing in place is never promised; callers fall back to realloc */
}

/* The C++ new handler mode (_set_new_mode): recorded, never consulted. */
static int NewMode;
CRTAPI int _set_new_mode(int Mode) { int old = NewMode; NewMode = Mode; return old; }
CRTAPI int _query_new_mode(void) { return NewMode; }
