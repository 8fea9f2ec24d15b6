/* ctrlchild.c - the child of w_ctrl and of the shell's Ctrl+C test: says it is ready (prints
 * "CTRLCHILD: ready" and signals the named event Local\w_ctrl_ready if there is one), then
 * sleeps up to 30 s and exits with 0. A Ctrl+C it does not ignore ends it first, with
 * STATUS_CONTROL_C_EXIT. Not a test of its own. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, "w_ctrl_ready");
    printf("CTRLCHILD: ready\n");
    fflush(stdout);
    if (ready) SetEvent(ready);
    Sleep(30000);
    return 0;
}
