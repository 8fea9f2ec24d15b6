/*
 * env.c - the process's environment and command line. The environment is the UTF-16 block
 * ("NAME=value\0...\0\0") that RTL_USER_PROCESS_PARAMETERS.Environment points to: at start it
 * lies inside the parameter block; the first SetEnvironmentVariable moves it to the process heap
 * (and later ones replace that copy). Readers and writers hold the PEB lock. Names compare
 * case-insensitively, as on Windows. GetCommandLineA is an ANSI copy made once at start.
 */
#include "k32p.h"

static BOOL BaseEnvironmentOnHeap;     /* Environment was allocated here (free it on change) */
static LPSTR BaseAnsiCommandLine;

/* Makes the ANSI command line (DllMain, before the program can ask). */
VOID BaseInitializeEnvironment(VOID)
{
    PUNICODE_STRING cmd = &BaseParams()->CommandLine;
    DWORD chars = cmd->Length / sizeof(WCHAR);
    BaseAnsiCommandLine = RtlAllocateHeap(RtlProcessHeap(), 0, chars + 1);
    if (BaseAnsiCommandLine) BaseUnicodeToAnsiN(cmd->Buffer, chars, BaseAnsiCommandLine, chars + 1);
}

LPWSTR WINAPI GetCommandLineW(VOID) { return BaseParams()->CommandLine.Buffer; }
LPSTR WINAPI GetCommandLineA(VOID) { return BaseAnsiCommandLine ? BaseAnsiCommandLine : (LPSTR)""; }

/* Characters of an environment block including the final extra NUL. */
static SIZE_T BaseEnvironmentChars(LPCWSTR Env)
{
    if (Env == NULL) return 1;
    LPCWSTR p = Env;
    while (*p) p += BaseWideLength(p) + 1;
    return (SIZE_T)(p - Env) + 1;
}

/* The value of Name in Env (pointing after its '='), or NULL. */
static LPCWSTR BaseFindVariable(LPCWSTR Env, LPCWSTR Name, SIZE_T NameLen)
{
    for (LPCWSTR p = Env; p && *p; p += BaseWideLength(p) + 1) {
        /* A leading '=' belongs to the name ("=C:=C:\dir"): search for '=' after it. */
        LPCWSTR eq = p + 1;
        while (*eq && *eq != u'=') eq++;
        if (*eq != u'=' || (SIZE_T)(eq - p) != NameLen) continue;
        SIZE_T i = 0;
        while (i < NameLen && RtlUpcaseUnicodeChar(p[i]) == RtlUpcaseUnicodeChar(Name[i])) i++;
        if (i == NameLen) return eq + 1;
    }
    return NULL;
}

DWORD WINAPI GetEnvironmentVariableW(LPCWSTR lpName, LPWSTR lpBuffer, DWORD nSize)
{
    if (lpName == NULL || *lpName == 0) { SetLastError(ERROR_ENVVAR_NOT_FOUND); return 0; }
    RtlAcquirePebLock();
    LPCWSTR value = BaseFindVariable(BaseParams()->Environment, lpName, BaseWideLength(lpName));
    DWORD result = 0;
    if (value != NULL) {
        DWORD len = (DWORD)BaseWideLength(value);
        if (lpBuffer != NULL && len < nSize) {
            RtlCopyMemory(lpBuffer, value, (len + 1) * sizeof(WCHAR));
            result = len;
        } else {
            result = len + 1;
        }
    }
    RtlReleasePebLock();
    if (value == NULL) SetLastError(ERROR_ENVVAR_NOT_FOUND);
    return result;
}

DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize)
{
    UNICODE_STRING name;
    if (lpName == NULL) { SetLastError(ERROR_ENVVAR_NOT_FOUND); return 0; }
    if (!BaseAnsiToUnicode(lpName, &name)) return 0;
    DWORD result = 0;
    /* The PEB lock (recursive) keeps the value from changing between sizing and copying. */
    RtlAcquirePebLock();
    DWORD need = GetEnvironmentVariableW(name.Buffer, NULL, 0);
    if (need != 0) {
        LPWSTR value = RtlAllocateHeap(RtlProcessHeap(), 0, need * sizeof(WCHAR));
        if (value == NULL) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        } else {
            DWORD len = GetEnvironmentVariableW(name.Buffer, value, need);
            result = BaseCopyWideResultToAnsi(value, len, lpBuffer, nSize);
            RtlFreeHeap(RtlProcessHeap(), 0, value);
        }
    }
    RtlReleasePebLock();
    RtlFreeUnicodeString(&name);
    return result;
}

/* Builds the new block: every variable but Name, then Name=Value if Value is given. */
static LPWSTR BaseBuildEnvironment(LPCWSTR Env, LPCWSTR Name, SIZE_T NameLen, LPCWSTR Value)
{
    SIZE_T valueLen = Value ? BaseWideLength(Value) : 0;
    SIZE_T chars = BaseEnvironmentChars(Env) + NameLen + valueLen + 2;
    LPWSTR block = RtlAllocateHeap(RtlProcessHeap(), 0, chars * sizeof(WCHAR));
    if (block == NULL) return NULL;
    LPWSTR out = block;
    LPCWSTR skip = BaseFindVariable(Env, Name, NameLen);
    for (LPCWSTR p = Env; p && *p; p += BaseWideLength(p) + 1) {
        SIZE_T len = BaseWideLength(p);
        if (skip && p + NameLen + 1 == skip) continue;
        RtlCopyMemory(out, p, (len + 1) * sizeof(WCHAR));
        out += len + 1;
    }
    if (Value != NULL) {
        RtlCopyMemory(out, Name, NameLen * sizeof(WCHAR));
        out += NameLen;
        *out++ = u'=';
        RtlCopyMemory(out, Value, (valueLen + 1) * sizeof(WCHAR));
        out += valueLen + 1;
    }
    *out = 0;
    return block;
}

BOOL WINAPI SetEnvironmentVariableW(LPCWSTR lpName, LPCWSTR lpValue)
{
    if (lpName == NULL || *lpName == 0) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    SIZE_T nameLen = BaseWideLength(lpName);
    for (SIZE_T i = 1; i < nameLen; i++)
        if (lpName[i] == u'=') { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    RtlAcquirePebLock();
    PRTL_USER_PROCESS_PARAMETERS params = BaseParams();
    LPWSTR old = params->Environment;
    LPWSTR block = BaseBuildEnvironment(old, lpName, nameLen, lpValue);
    if (block != NULL) {
        params->Environment = block;
        if (BaseEnvironmentOnHeap) RtlFreeHeap(RtlProcessHeap(), 0, old);
        BaseEnvironmentOnHeap = TRUE;
    }
    RtlReleasePebLock();
    if (block == NULL) { SetLastError(ERROR_NOT_ENOUGH_MEMORY); return FALSE; }
    return TRUE;
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue)
{
    UNICODE_STRING name, value;
    if (lpName == NULL) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    if (!BaseAnsiToUnicode(lpName, &name)) return FALSE;
    if (!BaseAnsiToUnicode(lpValue, &value)) { RtlFreeUnicodeString(&name); return FALSE; }
    BOOL ok = SetEnvironmentVariableW(name.Buffer, lpValue ? (value.Buffer ? value.Buffer : u"") : NULL);
    RtlFreeUnicodeString(&name);
    RtlFreeUnicodeString(&value);
    return ok;
}

/* A snapshot of the block, which the caller frees with FreeEnvironmentStringsW. */
LPWSTR WINAPI GetEnvironmentStringsW(VOID)
{
    RtlAcquirePebLock();
    LPCWSTR env = BaseParams()->Environment;
    SIZE_T chars = BaseEnvironmentChars(env);
    if (chars < 2) chars = 2;
    LPWSTR copy = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, chars * sizeof(WCHAR));
    if (copy && env) RtlCopyMemory(copy, env, BaseEnvironmentChars(env) * sizeof(WCHAR));
    RtlReleasePebLock();
    if (copy == NULL) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return copy;
}

LPSTR WINAPI GetEnvironmentStringsA(VOID)
{
    LPWSTR wide = GetEnvironmentStringsW();
    if (wide == NULL) return NULL;
    SIZE_T chars = BaseEnvironmentChars(wide);
    if (chars < 2) chars = 2;
    LPSTR ansi = RtlAllocateHeap(RtlProcessHeap(), HEAP_ZERO_MEMORY, chars);
    if (ansi != NULL) {
        ULONG got = 0;
        RtlUnicodeToMultiByteN(ansi, (ULONG)chars, &got, wide, (ULONG)chars * sizeof(WCHAR));
    } else {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    }
    RtlFreeHeap(RtlProcessHeap(), 0, wide);
    return ansi;
}

LPSTR WINAPI GetEnvironmentStrings(VOID) { return GetEnvironmentStringsA(); }

BOOL WINAPI FreeEnvironmentStringsW(LPWSTR penv)
{
    if (penv == NULL || !RtlFreeHeap(RtlProcessHeap(), 0, penv)) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    return TRUE;
}

BOOL WINAPI FreeEnvironmentStringsA(LPSTR penv) { return FreeEnvironmentStringsW((LPWSTR)penv); }
