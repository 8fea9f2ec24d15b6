/* stdinchild.c - a child of w_crt_spawn: reads its standard input to the end and exits with the
 * number of lines it read (a _popen(..., "w") writes them). Not a test of its own. */
#include <stdio.h>

int main(void)
{
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof(line), stdin)) lines++;
    return lines;
}
