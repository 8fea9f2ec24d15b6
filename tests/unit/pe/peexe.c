/*
 * peexe.c - an EXE for the PE parser's host tests: imports kernel32 and msvcrt by name (through
 * the CRT) and pedll.dll by name (AddOne, Value) and by ordinal (OrdinalOnly, exported NONAME).
 */
#include <stdio.h>
#include <windows.h>

__declspec(dllimport) int AddOne(int x);
__declspec(dllimport) int OrdinalOnly(void);
__declspec(dllimport) int Value;

int main(void)
{
    printf("%d %d %d %lu\n", AddOne(1), OrdinalOnly(), Value, GetTickCount());
    return 0;
}
