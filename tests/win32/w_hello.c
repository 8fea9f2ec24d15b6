/* w_hello.c - the acid test: the program every C programmer writes first, built by a stock
 * `i686-w64-mingw32-gcc w_hello.c -o w_hello.exe`, printing through msvcrt, kernel32 and the
 * console in csrss. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello, world from %s (%d argument%s)\n", argv[0], argc - 1, argc == 2 ? "" : "s");
    printf("TEST w_hello.printf: PASS\n");
    return 0;
}
