/* w_crt_spawn.c - running programs from the C runtime: _spawnl/_spawnv with _P_WAIT (the child's
 * exit code), _P_NOWAIT and _cwait, _spawnlp finding a program along PATH/System32, _spawnve
 * with an environment of its own, system() through cmd.exe (exit codes, redirection), system(NULL),
 * _popen reading a child's output and writing a child's input, _pclose's exit codes, and the
 * failures (no such program: -1 with ENOENT; bad mode: EINVAL). */
#define WTEST_NAME "w_crt_spawn"
#include "wtest.h"
#include <errno.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_spawn(void)
{
    intptr_t r = _spawnl(_P_WAIT, "C:\\Tests\\pipechild.exe", "pipechild", NULL);
    check("spawnl_wait_exit_code", r == 7, (DWORD)r);
    const char *argv[] = { "w_hello", "a", "b", NULL };
    r = _spawnv(_P_WAIT, "C:\\Tests\\w_hello", argv);          /* .exe added */
    check("spawnv_adds_exe", r == 0, (DWORD)r);
    r = _spawnl(_P_NOWAIT, "C:\\Tests\\pipechild.exe", "pipechild", NULL);
    int status = -1;
    intptr_t w = r == -1 ? -1 : _cwait(&status, r, 0);
    check("nowait_cwait", r != -1 && w == r && status == 7, (DWORD)status);
    r = _spawnlp(_P_WAIT, "cmd.exe", "cmd", "/c", "exit", "12", NULL);   /* found in System32 */
    check("spawnlp_path", r == 12, (DWORD)r);
    const char *env[] = { "CRTSPAWN=5", NULL };
    const char *cmdargv[] = { "cmd", "/c", "exit", "%CRTSPAWN%", NULL };
    r = _spawnve(_P_WAIT, "C:\\Windows\\System32\\cmd.exe", cmdargv, env);
    check("spawnve_environment", r == 5, (DWORD)r);
    errno = 0;
    r = _spawnl(_P_WAIT, "C:\\Tests\\no_such_program.exe", "x", NULL);
    check("spawn_missing", r == -1 && errno == ENOENT, (DWORD)errno);
    errno = 0;
    r = _spawnl(9, "C:\\Tests\\pipechild.exe", "x", NULL);
    check("spawn_bad_mode", r == -1 && errno == EINVAL, (DWORD)errno);
}

static void test_system(void)
{
    check("system_null", system(NULL) != 0, 0);
    check("system_exit_code", system("exit 9") == 9, 0);
    int r = system("echo spawned > C:\\Tests\\crtspawn.txt");
    FILE *f = fopen("C:\\Tests\\crtspawn.txt", "r");
    char line[64] = "";
    if (f) { fgets(line, sizeof(line), f); fclose(f); }
    check("system_redirection", r == 0 && strncmp(line, "spawned", 7) == 0, (DWORD)r);
    remove("C:\\Tests\\crtspawn.txt");
    check("system_unknown_command", system("no_such_command_here") == 9009, 0);
}

static void test_popen(void)
{
    FILE *p = _popen("C:\\Tests\\pipechild.exe", "r");
    int lines = 0;
    char line[128];
    BOOL good = TRUE;
    if (p) {
        while (fgets(line, sizeof(line), p)) {
            char want[64];
            sprintf(want, "pipechild line %03d:", lines);
            if (strncmp(line, want, strlen(want)) != 0) good = FALSE;
            lines++;
        }
    }
    int status = p ? _pclose(p) : -1;
    check("popen_read", p && good && lines == 200 && status == 7, (DWORD)lines);
    p = _popen("C:\\Tests\\stdinchild.exe", "w");
    if (p) for (int i = 0; i < 42; i++) fprintf(p, "line %d\n", i);
    status = p ? _pclose(p) : -1;
    check("popen_write", p && status == 42, (DWORD)status);
    errno = 0;
    check("popen_bad_mode", _popen("exit 0", "x") == NULL && errno == EINVAL, (DWORD)errno);
    check("pclose_unknown", _pclose(stdout) == -1, 0);
}

int main(void)
{
    test_spawn();
    test_system();
    test_popen();
    return failures != 0;
}
