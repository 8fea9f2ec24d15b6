/* pipechild.c - the child of w_pipe: writes PIPECHILD_LINES numbered lines to its standard
 * output with printf (more than 4 KiB, so a pipe's writer must wait for its reader) and exits
 * with 7. Not a test of its own: w_pipe starts it with its stdout on a pipe and checks the text. */
#include <stdio.h>

#define PIPECHILD_LINES 200

int main(void)
{
    for (int i = 0; i < PIPECHILD_LINES; i++) printf("pipechild line %03d: the quick brown fox\n", i);
    fflush(stdout);
    return 7;
}
