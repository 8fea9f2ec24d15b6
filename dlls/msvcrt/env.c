/* env.c - the C view of the environment: _environ, a malloc'd array of "NAME=value" strings made
 * from kernel32's environment block at start-up; getenv searches it (names compare without
 * case, as Windows does), _putenv changes it and the process environment together. */
#include "crtp.h"

CRTAPI char **_environ;
CRTAPI wchar_t_ **_wenviron;

CRTAPI char ***__p__environ(void) { return &_environ; }
CRTAPI wchar_t_ ***__p__wenviron(void) { return &_wenviron; }

/* The block is "A=1\0B=2\0\0"; entries that start with '=' (per-drive directories) are kept by
 * Windows but hidden from C programs. */
BOOL CrtEnvInit(void)
{
    if (_environ)
        return TRUE;
    char *block = GetEnvironmentStringsA();
    int count = 0;
    for (char *p = block; p && *p; p += strlen(p) + 1)
        count += *p != '=';
    char **env = malloc((count + 1) * sizeof(char *));
    if (!env)
        return FALSE;
    int i = 0;
    for (char *p = block; p && *p; p += strlen(p) + 1) {
        if (*p == '=')
            continue;
        if (!(env[i] = _strdup(p)))
            return FALSE;
        i++;
    }
    env[i] = NULL;
    if (block)
        FreeEnvironmentStringsA(block);
    _environ = env;
    return TRUE;
}

/* The index of NAME (Length characters) in _environ, or -1. */
static int Find(const char *Name, size_t Length)
{
    if (!CrtEnvInit())
        return -1;
    for (int i = 0; _environ[i]; i++)
        if (_strnicmp(_environ[i], Name, Length) == 0 && _environ[i][Length] == '=')
            return i;
    return -1;
}

CRTAPI char *getenv(const char *Name)
{
    size_t length = strlen(Name);
    if (!length || strchr(Name, '='))
        return NULL;
    int i = Find(Name, length);
    return i < 0 ? NULL : _environ[i] + length + 1;
}

/* "NAME=value" sets, "NAME=" removes. The string is copied (MSVCRT copies too). */
CRTAPI int _putenv(const char *Assignment)
{
    const char *equals = Assignment ? strchr(Assignment, '=') : NULL;
    if (!equals || equals == Assignment) {
        errno = EINVAL;
        return -1;
    }
    size_t length = equals - Assignment;
    char *name = malloc(length + 1);
    if (!name)
        return -1;
    memcpy(name, Assignment, length);
    name[length] = 0;
    int i = Find(Assignment, length);
    int status = 0;
    if (!equals[1]) {
        if (i >= 0) {
            free(_environ[i]);
            do
                _environ[i] = _environ[i + 1];
            while (_environ[i++]);
        }
        SetEnvironmentVariableA(name, NULL);
    } else {
        char *copy = _strdup(Assignment);
        if (!copy) {
            status = -1;
        } else if (i >= 0) {
            free(_environ[i]);
            _environ[i] = copy;
        } else {
            int n = 0;
            while (_environ[n])
                n++;
            char **grown = realloc(_environ, (n + 2) * sizeof(char *));
            if (!grown) {
                free(copy);
                status = -1;
            } else {
                grown[n] = copy;
                grown[n + 1] = NULL;
                _environ = grown;
            }
        }
        if (!status)
            SetEnvironmentVariableA(name, equals + 1);
    }
    free(name);
    return status;
}

CRTAPI int _putenv_s(const char *Name, const char *Value)
{
    size_t n = strlen(Name), v = strlen(Value);
    char *assignment = malloc(n + v + 2);
    if (!assignment)
        return ENOMEM;
    memcpy(assignment, Name, n);
    assignment[n] = '=';
    memcpy(assignment + n + 1, Value, v + 1);
    int status = _putenv(assignment);
    free(assignment);
    return status ? errno : 0;
}
