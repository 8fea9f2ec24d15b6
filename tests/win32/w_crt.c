/* w_crt.c - the C runtime (msvcrt.dll) under a stock MinGW build: formatting, argv, the heap,
 * qsort/bsearch, number conversions, strings and character classes, the environment, locale,
 * file I/O with text mode on C:\Tests\crt.tmp, errno, and atexit order. MinGW's own C99 printf
 * is switched off so that printf and friends are msvcrt.dll's. Prints one TEST line per case and
 * returns 0 when all passed. */
#define __USE_MINGW_ANSI_STDIO 0
#include <ctype.h>
#include <direct.h>
#include <io.h>
#include <sys/stat.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <process.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <windows.h>

static int Failures;

static void Report(const char *Name, int Ok)
{
    printf("TEST w_crt.%s: %s\n", Name, Ok ? "PASS" : "FAIL");
    if (!Ok)
        Failures++;
}

/* ---- formatting ---------------------------------------------------------------------------- */

/* Through a pointer: GCC would otherwise compute sprintf's result itself, by C99's rules (a
 * two-digit exponent), not msvcrt's. */
static int (*volatile Sprintf)(char *, const char *, ...) = sprintf;
static int FormatBad;
#define CHECKF(expected, ...)                                                             \
    do {                                                                                  \
        char buf_[256];                                                                   \
        int n_ = Sprintf(buf_, __VA_ARGS__);                                              \
        if (strcmp(buf_, expected) != 0 || n_ != (int)strlen(expected)) {                 \
            printf("  format %s: got \"%s\" (%d), want \"%s\"\n", #__VA_ARGS__, buf_, n_, \
                   expected);                                                             \
            FormatBad++;                                                                  \
        }                                                                                 \
    } while (0)

static void TestIntegers(void)
{
    FormatBad = 0;
    CHECKF("42", "%d", 42);
    CHECKF("-42", "%i", -42);
    CHECKF("   42", "%5d", 42);
    CHECKF("42   |", "%-5d|", 42);
    CHECKF("00042", "%05d", 42);
    CHECKF("+42", "%+d", 42);
    CHECKF(" 42", "% d", 42);
    CHECKF("  007", "%5.3d", 7);
    CHECKF("", "%.0d", 0);
    CHECKF("-2147483648", "%d", (int)0x80000000);
    CHECKF("4294967295", "%u", 0xFFFFFFFFu);
    CHECKF("ff FF 0xff 0XFF", "%x %X %#x %#X", 255, 255, 255, 255);
    CHECKF("17 021", "%o %#o", 15, 17);
    CHECKF("12345678901234", "%I64d", 12345678901234LL);
    CHECKF("-9223372036854775808", "%I64d", (long long)0x8000000000000000ULL);
    CHECKF("18446744073709551615", "%I64u", 0xFFFFFFFFFFFFFFFFULL);
    CHECKF("123", "%ld", 123L);
    CHECKF("-1 65535", "%hd %hu", 65535, 65535);
    CHECKF("0000BEEF", "%p", (void *)0xBEEF);
    CHECKF("   -1", "%*d", 5, -1);
    CHECKF("-1   |", "%*d|", -5, -1);
    CHECKF("%", "%%");
    Report("printf.integers", FormatBad == 0);
}

static const char *volatile NullText;   /* hidden from the compiler's format checks */

static void TestStrings(void)
{
    FormatBad = 0;
    CHECKF("abc", "%s", "abc");
    CHECKF("  abc", "%5s", "abc");
    CHECKF("abc  |", "%-5s|", "abc");
    CHECKF("ab", "%.2s", "abc");
    CHECKF("(null)", "%s", NullText);
    CHECKF("x", "%c", 'x');
    CHECKF("  x", "%3c", 'x');
    CHECKF("wide", "%S", L"wide");
    CHECKF("wide", "%ls", L"wide");
    CHECKF("a1b", "a%db", 1);
    Report("printf.strings", FormatBad == 0);
}

static void TestFloats(void)
{
    FormatBad = 0;
    CHECKF("3.140000", "%f", 3.14);
    CHECKF("3.14", "%.2f", 3.14159);
    CHECKF("3", "%.0f", 3.14159);
    CHECKF("4", "%.0f", 3.5);
    CHECKF("2.67", "%.2f", 2.675);              /* 2.675 is 2.67499999... in binary */
    CHECKF("-0.500", "%.3f", -0.5);
    CHECKF("  1.50", "%6.2f", 1.5);
    CHECKF("001.50", "%06.2f", 1.5);
    CHECKF("+1.5", "%+.1f", 1.5);
    CHECKF("0.001", "%.3f", 0.0006);
    CHECKF("1000000.000000", "%f", 1e6);
    CHECKF("123456789012.000000", "%f", 123456789012.0);
    CHECKF("0.000000", "%f", 0.0);
    CHECKF("1.000000e+000", "%e", 1.0);          /* MSVCRT: three exponent digits */
    CHECKF("1.234560E+010", "%E", 1.23456e10);
    CHECKF("1.5e-005", "%.1e", 1.5e-5);
    CHECKF("1e+000", "%.0e", 1.0);
    CHECKF("100", "%g", 100.0);
    CHECKF("0.0001", "%g", 0.0001);
    CHECKF("1e-005", "%g", 0.00001);
    CHECKF("1.23457e+006", "%g", 1234567.0);
    CHECKF("3.14159", "%g", 3.14159265);
    CHECKF("0.5", "%g", 0.5);
    CHECKF("1.50000", "%#g", 1.5);
    CHECKF("1.79769e+308", "%g", 1.7976931348623157e308);
    CHECKF("9.9", "%.1f", 9.95 - 0.05);
    CHECKF("10.0", "%.1f", 9.96);
    Report("printf.floats", FormatBad == 0);
}

static void TestBounded(void)
{
    char buf[8];
    int ok = 1;
    memset(buf, 'z', sizeof(buf));
    ok &= _snprintf(buf, 4, "%s", "abcdef") == -1 && memcmp(buf, "abcdz", 5) == 0;
    memset(buf, 'z', sizeof(buf));
    ok &= _snprintf(buf, 4, "%s", "abcd") == 4 && memcmp(buf, "abcdz", 5) == 0;
    ok &= _snprintf(buf, 8, "%d", 123) == 3 && strcmp(buf, "123") == 0;
    ok &= _scprintf("%d-%s", 1234, "xy") == 7;
    Report("printf.bounded", ok);
}

/* ---- argv and environment --------------------------------------------------------------------- */

static void TestArgs(int argc, char **argv)
{
    int ok = argc >= 1 && argv[0] != NULL && argv[argc] == NULL;
    if (ok) {
        size_t n = strlen(argv[0]);
        ok = n >= 9 && _stricmp(argv[0] + n - 9, "w_crt.exe") == 0;
        if (!ok)
            printf("  argv[0] = \"%s\"\n", argv[0]);
    }
    Report("argv", ok);
}

static void TestEnvironment(void)
{
    int ok = getenv("CRT_TEST_VARIABLE") == NULL;
    ok &= _putenv("CRT_TEST_VARIABLE=forty two") == 0;
    const char *v = getenv("CRT_TEST_VARIABLE");
    ok &= v != NULL && strcmp(v, "forty two") == 0;
    v = getenv("crt_test_variable");                   /* names are case-blind on Windows */
    ok &= v != NULL && strcmp(v, "forty two") == 0;
    ok &= _putenv("CRT_TEST_VARIABLE=") == 0 && getenv("CRT_TEST_VARIABLE") == NULL;
    Report("environment", ok);
}

/* ---- heap ------------------------------------------------------------------------------------- */

#define BLOCKS 200

static unsigned Fill(unsigned char *p, size_t n, unsigned seed)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed + i * 7);
        sum += p[i];
    }
    return sum;
}

static unsigned Sum(const unsigned char *p, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    return sum;
}

static void TestHeap(void)
{
    unsigned char *block[BLOCKS];
    size_t size[BLOCKS];
    unsigned sum[BLOCKS];
    int ok = 1;
    srand(1234);
    for (int i = 0; i < BLOCKS; i++) {
        size[i] = 1 + rand() % (i % 10 == 0 ? 20000 : 300);
        block[i] = malloc(size[i]);
        if (!block[i]) {
            ok = 0;
            size[i] = 0;
            continue;
        }
        sum[i] = Fill(block[i], size[i], i);
    }
    /* free every third, grow every fifth, and check the rest survived */
    for (int i = 0; i < BLOCKS; i++) {
        if (!block[i])
            continue;
        if (i % 3 == 0) {
            free(block[i]);
            block[i] = NULL;
        } else if (i % 5 == 0) {
            unsigned char *p = realloc(block[i], size[i] * 3 + 100);
            if (!p || Sum(p, size[i]) != sum[i])
                ok = 0;
            block[i] = p;
        }
    }
    for (int i = 0; i < BLOCKS; i++)
        if (block[i] && Sum(block[i], size[i]) != sum[i])
            ok = 0;
    for (int i = 0; i < BLOCKS; i++)
        free(block[i]);
    int *zeros = calloc(1000, sizeof(int));
    for (int i = 0; zeros && i < 1000; i++)
        ok &= zeros[i] == 0;
    ok &= zeros != NULL;
    free(zeros);
    ok &= realloc(NULL, 10) != NULL;   /* leaks 10 bytes: acceptable in a test */
    Report("heap", ok);
}

/* ---- sorting ---------------------------------------------------------------------------------- */

static int CompareInt(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static void TestSort(void)
{
    static int v[1000];
    long long before = 0, after = 0;
    int ok = 1;
    srand(7);
    for (int i = 0; i < 1000; i++) {
        v[i] = rand() % 500;      /* many duplicates */
        before += v[i];
    }
    qsort(v, 1000, sizeof(int), CompareInt);
    for (int i = 0; i < 1000; i++) {
        after += v[i];
        if (i && v[i - 1] > v[i])
            ok = 0;
    }
    ok &= before == after;
    int key = v[500];
    int *found = bsearch(&key, v, 1000, sizeof(int), CompareInt);
    ok &= found != NULL && *found == key;
    key = 1000;
    ok &= bsearch(&key, v, 1000, sizeof(int), CompareInt) == NULL;
    int sorted[5] = { 1, 2, 3, 4, 5 }, reversed[5] = { 5, 4, 3, 2, 1 };
    qsort(reversed, 5, sizeof(int), CompareInt);
    ok &= memcmp(sorted, reversed, sizeof(sorted)) == 0;
    srand(1);
    ok &= rand() == 41 && rand() == 18467;   /* MSVCRT's generator, seed 1 */
    Report("qsort", ok);
}

/* ---- numbers -------------------------------------------------------------------------------- */

static void TestStrtol(void)
{
    char *end;
    int ok = 1;
    ok &= strtol("  -123xyz", &end, 10) == -123 && *end == 'x';
    ok &= strtol("0x1F", &end, 0) == 31 && *end == 0;
    ok &= strtol("017", NULL, 0) == 15;
    ok &= strtol("z", NULL, 36) == 35;
    ok &= strtol("abc", &end, 10) == 0 && strcmp(end, "abc") == 0;
    errno = 0;
    ok &= strtol("99999999999", NULL, 10) == 2147483647L && errno == ERANGE;
    errno = 0;
    ok &= strtol("-2147483648", NULL, 10) == (long)0x80000000 && errno == 0;
    ok &= strtoul("4294967295", NULL, 10) == 4294967295UL;
    ok &= strtoul("-1", NULL, 10) == 4294967295UL;
    ok &= atoi("  42abc") == 42 && atol("-7") == -7;
    ok &= abs(-5) == 5 && labs(-6L) == 6L;
    div_t d = div(17, 5);
    ok &= d.quot == 3 && d.rem == 2;
    Report("strtol", ok);
}

static void TestStrtod(void)
{
    char *end;
    int ok = 1;
    ok &= strtod("3.25", &end) == 3.25 && *end == 0;
    ok &= strtod("-0.5e-3x", &end) == -0.0005 && *end == 'x';
    ok &= strtod("1e10", NULL) == 1e10;
    ok &= strtod("  .5", NULL) == 0.5;
    ok &= strtod("0.1", NULL) == 0.1;
    ok &= strtod("123456789012345678", NULL) == 123456789012345678.0;
    ok &= atof("2.5") == 2.5;
    ok &= strtod("abc", &end) == 0.0 && strcmp(end, "abc") == 0;
    Report("strtod", ok);
}

/* ---- strings and ctype ---------------------------------------------------------------------- */

static void TestStringFunctions(void)
{
    char buf[64];
    int ok = 1;
    strcpy(buf, "hello");
    strcat(buf, ", world");
    ok &= strcmp(buf, "hello, world") == 0 && strlen(buf) == 12;
    ok &= strncmp("abcd", "abcf", 3) == 0 && strcmp("a", "b") < 0 && strcmp("b", "a") > 0;
    ok &= strchr(buf, 'o') == buf + 4 && strrchr(buf, 'o') == buf + 8 && strchr(buf, 0) == buf + 12;
    ok &= strstr(buf, "world") == buf + 7 && strstr(buf, "xyz") == NULL;
    ok &= strspn("aabbc", "ab") == 4 && strcspn("abc;d", ";") == 3;
    ok &= strpbrk("abc", "xc") != NULL && *strpbrk("abc", "xc") == 'c';
    ok &= _stricmp("HeLLo", "hello") == 0 && _strnicmp("ABCx", "abcy", 3) == 0;
    memset(buf, 'q', sizeof(buf));
    strncpy(buf, "ab", 5);
    ok &= memcmp(buf, "ab\0\0\0q", 6) == 0;
    strcpy(buf, "0123456789");
    memmove(buf + 2, buf, 5);
    ok &= memcmp(buf, "0101234789", 10) == 0;
    memmove(buf, buf + 2, 5);
    ok &= memcmp(buf, "0123434789", 10) == 0;
    ok &= memchr("abc", 'c', 3) != NULL && memcmp("ab", "ac", 2) < 0;
    strcpy(buf, " one, two,,three ");
    char *t1 = strtok(buf, " ,"), *t2 = strtok(NULL, " ,"), *t3 = strtok(NULL, " ,"), *t4 = strtok(NULL, " ,");
    ok &= t1 && strcmp(t1, "one") == 0 && t2 && strcmp(t2, "two") == 0 && t3 && strcmp(t3, "three") == 0 && !t4;
    char *dup = _strdup("copy");
    ok &= dup && strcmp(dup, "copy") == 0;
    free(dup);
    wchar_t w[8];
    wcscpy(w, L"wide");
    ok &= wcslen(w) == 4 && wcscmp(w, L"wide") == 0 && wcschr(w, L'd') == w + 2;
    wcsncpy(w, L"ab", 3);
    ok &= wcscmp(w, L"ab") == 0;
    Report("string", ok);
}

static void TestCtype(void)
{
    int ok = 1;
    ok &= isalpha('a') && isalpha('Z') && !isalpha('1') && !isalpha('@');
    ok &= isdigit('0') && isdigit('9') && !isdigit('a');
    ok &= isspace(' ') && isspace('\t') && isspace('\n') && !isspace('x');
    ok &= isupper('Q') && !isupper('q') && islower('q') && !islower('Q');
    ok &= isalnum('7') && isalnum('k') && !isalnum('-');
    ok &= isxdigit('f') && isxdigit('F') && !isxdigit('g');
    ok &= ispunct('!') && !ispunct('a') && !ispunct(' ');
    ok &= isprint(' ') && isprint('~') && !isprint('\n') && iscntrl('\n') && !iscntrl('a');
    ok &= toupper('a') == 'A' && toupper('1') == '1' && tolower('Z') == 'z' && tolower('z') == 'z';
    ok &= !isalpha(EOF) && !isalpha(200);
    Report("ctype", ok);
}

static void TestLocaleErrno(void)
{
    int ok = 1;
    const char *name = setlocale(LC_ALL, NULL);
    ok &= name && strcmp(name, "C") == 0;
    ok &= setlocale(LC_ALL, "") != NULL && setlocale(LC_ALL, "C") != NULL;
    ok &= setlocale(LC_ALL, "Klingon_Empire.1252") == NULL;
    struct lconv *lc = localeconv();
    ok &= lc && strcmp(lc->decimal_point, ".") == 0;
    ok &= strcmp(strerror(ENOENT), "No such file or directory") == 0;
    ok &= strcmp(strerror(EACCES), "Permission denied") == 0;
    errno = 0;
    FILE *f = fopen("C:\\Tests\\no-such-file.txt", "r");
    ok &= f == NULL && errno == ENOENT;
    if (f)
        fclose(f);
    Report("errno", ok);
}

/* ---- files ------------------------------------------------------------------------------------ */

#define TMP "C:\\Tests\\crt.tmp"

static void TestFiles(void)
{
    char line[128];
    int ok = 1;
    FILE *f = fopen(TMP, "w");
    if (!f) {
        printf("  fopen(\"%s\", \"w\"): errno %d\n", TMP, errno);
        Report("file", 0);
        return;
    }
    ok &= fprintf(f, "line %d\n", 1) == 7;
    ok &= fputs("second line\n", f) >= 0;
    ok &= fputc('x', f) == 'x';
    ok &= fwrite("yz\n", 1, 3, f) == 3;
    ok &= ftell(f) == 26;               /* 7+1 + 12+1 + 1 + 3+1: "\n" is "\r\n" on disk */
    ok &= fclose(f) == 0;

    /* binary: the bytes on disk carry "\r\n" */
    f = fopen(TMP, "rb");
    size_t n = f ? fread(line, 1, sizeof(line), f) : 0;
    ok &= n == 26 && memcmp(line, "line 1\r\nsecond line\r\nxyz\r\n", 26) == 0;
    ok &= f && feof(f) && !ferror(f);
    if (f)
        fclose(f);

    /* text: read back as written */
    f = fopen(TMP, "r");
    ok &= f && fgets(line, sizeof(line), f) && strcmp(line, "line 1\n") == 0;
    ok &= f && fgetc(f) == 's' && ungetc('S', f) == 'S' && fgetc(f) == 'S';
    ok &= f && fgets(line, sizeof(line), f) && strcmp(line, "econd line\n") == 0;
    ok &= f && ftell(f) == 21;
    ok &= f && fgets(line, sizeof(line), f) && strcmp(line, "xyz\n") == 0;
    ok &= f && fgets(line, sizeof(line), f) == NULL && feof(f);
    ok &= f && fseek(f, 8, SEEK_SET) == 0 && fgets(line, 7, f) && strcmp(line, "second") == 0;
    if (f) {
        rewind(f);
        ok &= fgetc(f) == 'l';
        fclose(f);
    }
    Report("file.text", ok);

    /* update in place, then append */
    ok = 1;
    f = fopen(TMP, "r+b");
    ok &= f && fseek(f, 0, SEEK_END) == 0 && ftell(f) == 26;
    ok &= f && fseek(f, 0, SEEK_SET) == 0 && fwrite("LINE", 1, 4, f) == 4;
    ok &= f && fseek(f, 0, SEEK_SET) == 0 && fread(line, 1, 6, f) == 6 && memcmp(line, "LINE 1", 6) == 0;
    if (f)
        fclose(f);
    f = fopen(TMP, "ab");
    ok &= f && fwrite("end", 1, 3, f) == 3;
    if (f)
        fclose(f);
    f = fopen(TMP, "rb");
    n = f ? fread(line, 1, sizeof(line), f) : 0;
    ok &= n == 29 && memcmp(line + 26, "end", 3) == 0 && memcmp(line, "LINE", 4) == 0;
    if (f)
        fclose(f);

    /* a large file through the buffer */
    f = fopen(TMP, "wb");
    for (int i = 0; f && i < 5000; i++)
        fputc(i % 251, f);
    if (f)
        fclose(f);
    f = fopen(TMP, "rb");
    for (int i = 0; f && i < 5000; i++)
        if (fgetc(f) != i % 251) {
            ok = 0;
            break;
        }
    ok &= f && fgetc(f) == EOF;
    if (f)
        fclose(f);
    Report("file.update", ok);

    ok = remove(TMP) == 0;
    errno = 0;
    ok &= fopen(TMP, "r") == NULL && errno == ENOENT;
    ok &= remove(TMP) != 0;
    Report("file.remove", ok);
}

/* ---- directories, stat, find, temporary files ------------------------------------------------- */

static void TestDirectories(void)
{
    struct _stat st;
    char cwd[260];
    int ok = _getcwd(cwd, sizeof(cwd)) != NULL && cwd[0] != 0;
    _rmdir("C:\\Tests\\crtdir");                          /* left over from a failed run */
    ok &= _mkdir("C:\\Tests\\crtdir") == 0 && _access("C:\\Tests\\crtdir", 0) == 0;
    ok &= _stat("C:\\Tests\\crtdir", &st) == 0 && (st.st_mode & _S_IFDIR);
    FILE *f = fopen("C:\\Tests\\crtdir\\f.txt", "wb");
    ok &= f && fwrite("12345", 1, 5, f) == 5;
    if (f)
        fclose(f);
    ok &= _stat("C:\\Tests\\crtdir\\f.txt", &st) == 0 && st.st_size == 5 && (st.st_mode & _S_IFREG);
    struct _finddata_t found;
    intptr_t h = _findfirst("C:\\Tests\\crtdir\\*.txt", &found);
    ok &= h != -1 && _stricmp(found.name, "f.txt") == 0 && found.size == 5;
    if (h != -1) {
        ok &= _findnext(h, &found) == -1;
        _findclose(h);
    }
    ok &= remove("C:\\Tests\\crtdir\\f.txt") == 0 && _rmdir("C:\\Tests\\crtdir") == 0;
    errno = 0;
    ok &= _stat("C:\\Tests\\crtdir", &st) == -1 && errno == ENOENT;
    Report("directories", ok);

    ok = 1;
    f = tmpfile();
    ok &= f && fputs("scratch", f) >= 0 && fseek(f, 0, SEEK_SET) == 0;
    char text[16] = "";
    ok &= f && fgets(text, sizeof(text), f) && strcmp(text, "scratch") == 0;
    if (f)
        ok &= fclose(f) == 0;
    Report("tmpfile", ok);
}

/* ---- scanf, math, time, setjmp ------------------------------------------------------------------ */

static void TestScanf(void)
{
    int a = 0, n = 0, r;
    unsigned x = 0;
    double d = 0;
    float f = 0;
    char word[16], rest[16];
    r = sscanf("  42 hello 0x1f 3.5e2 -7", "%d %15s %x %lf %f", &a, word, &x, &d, &f);
    int ok = r == 5 && a == 42 && strcmp(word, "hello") == 0 && x == 31 && d == 350.0 && f == -7.0f;
    r = sscanf("key=value;", "%15[^=]=%15[a-z]%n", word, rest, &n);
    ok &= r == 2 && strcmp(word, "key") == 0 && strcmp(rest, "value") == 0 && n == 9;
    ok &= sscanf("", "%d", &a) == EOF && sscanf("x", "%d", &a) == 0;
    ok &= sscanf("010 0x10", "%i %i", &a, &n) == 2 && a == 8 && n == 16;
    Report("scanf", ok);
}

static int Near(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1); }

static void TestMath(void)
{
    volatile double one = 1.0, half = 0.5, thousand = 1000.0;
    int ok = Near(tan(one), 1.5574077246549023) && Near(atan(one) * 4, 3.141592653589793);
    ok &= Near(asin(half), 0.5235987755982989) && Near(acos(half), 1.0471975511965979);
    ok &= Near(log10(thousand), 3.0) && Near(sinh(one), 1.1752011936438014);
    ok &= Near(sqrt(2.0 * one), 1.4142135623730951) && Near(pow(2.0, half), 1.4142135623730951);
    ok &= Near(exp(one), 2.718281828459045) && Near(log(thousand), 6.907755278982137);
    ok &= floor(-2.5 * one) == -3.0 && ceil(-2.5 * one) == -2.0 && fmod(10.0 * one, 3.0) == 1.0;
    Report("math", ok);
}

static void TestTime(void)
{
    time_t when = 1700000000;           /* 2023-11-14 22:13:20 UTC, a Tuesday */
    struct tm *tm = gmtime(&when);
    char text[64];
    int ok = tm && tm->tm_year == 123 && tm->tm_mon == 10 && tm->tm_mday == 14 && tm->tm_wday == 2;
    ok &= tm && strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %a %b %j", tm) > 0 &&
          strcmp(text, "2023-11-14 22:13:20 Tue Nov 318") == 0;
    ok &= tm && mktime(tm) == when;
    time_t now = time(NULL);
    ok &= now > 1600000000;             /* the clock is set to something after 2020 */
    if (!ok)
        printf("  time: now %ld, text \"%s\"\n", (long)now, tm ? text : "");
    Report("time", ok);
}

static jmp_buf Jump;
static int Depth;

static void Dive(int n);
static void (*volatile DiveAgain)(int) = Dive;   /* keeps the recursion opaque to the compiler */

static void Dive(int n)
{
    Depth++;
    if (n > 0)
        DiveAgain(n - 1);
    else
        longjmp(Jump, 7);
    Depth = -1000;                      /* never reached */
}

static void TestSetjmp(void)
{
    volatile int passes = 0;
    int r = setjmp(Jump);
    passes++;
    if (r == 0)
        Dive(10);
    Report("setjmp", r == 7 && passes == 2 && Depth == 11);
}

/* ---- threads: errno and strtok are per thread -------------------------------------------------- */

static volatile int ThreadErrno = -1, ThreadToken;

static unsigned __stdcall ThreadMain(void *Argument)
{
    errno = EDOM;
    char text[] = "x y";
    ThreadToken = strtok(text, " ") != NULL && strtok(NULL, " ") != NULL && strtok(NULL, " ") == NULL;
    ThreadErrno = errno;
    return 5;
}

/* Two threads print to one stream at once: every line must arrive whole. */
#define SHARED "C:\\Tests\\crtthr.tmp"
#define LINES 300
static FILE *Shared;

static unsigned __stdcall Printer(void *Argument)
{
    int id = (int)(intptr_t)Argument;
    for (int i = 0; i < LINES; i++)
        fprintf(Shared, "thread %d line %03d of the shared stream test\n", id, i);
    return 0;
}

static int SharedStreamOk(void)
{
    Shared = fopen(SHARED, "w");
    if (!Shared)
        return 0;
    HANDLE a = (HANDLE)_beginthreadex(NULL, 0, Printer, (void *)1, 0, NULL);
    HANDLE b = (HANDLE)_beginthreadex(NULL, 0, Printer, (void *)2, 0, NULL);
    int ok = a && b;
    if (a) { WaitForSingleObject(a, INFINITE); CloseHandle(a); }
    if (b) { WaitForSingleObject(b, INFINITE); CloseHandle(b); }
    fclose(Shared);
    FILE *f = fopen(SHARED, "r");
    char line[128];
    int next[3] = { 0, 0, 0 };
    while (ok && f && fgets(line, sizeof(line), f)) {
        int id, n;
        char tail[64];
        if (sscanf(line, "thread %d line %d of the shared %63[a-z ]", &id, &n, tail) != 3 ||
            id < 1 || id > 2 || n != next[id] || strcmp(tail, "stream test") != 0)
            ok = 0;
        else
            next[id]++;
    }
    if (f)
        fclose(f);
    remove(SHARED);
    return ok && next[1] == LINES && next[2] == LINES;
}

static void TestThreads(void)
{
    char text[] = "a b c";
    errno = 0;
    int ok = strcmp(strtok(text, " "), "a") == 0;
    unsigned id;
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, ThreadMain, NULL, 0, &id);
    DWORD code = 0;
    ok &= h != NULL && WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0 && GetExitCodeThread(h, &code) && code == 5;
    if (h)
        CloseHandle(h);
    ok &= ThreadErrno == EDOM && ThreadToken && errno == 0;
    char *next = strtok(NULL, " ");                 /* the thread's strtok did not move ours */
    ok &= next && strcmp(next, "b") == 0;
    Report("threads", ok);
    Report("threads.stream", SharedStreamOk());
}

/* ---- exit ------------------------------------------------------------------------------------- */

static char Order[8];
static void Third(void) { strcat(Order, "3"); }
static void Second(void) { strcat(Order, "2"); }
/* Registered first, so it runs last: checks the order and reports. */
static void First(void)
{
    strcat(Order, "1");
    int ok = strcmp(Order, "321") == 0;
    printf("TEST w_crt.atexit: %s\n", ok ? "PASS" : "FAIL");
    if (!ok) {
        fflush(stdout);
        _exit(1);
    }
}

int main(int argc, char **argv)
{
    TestIntegers();
    TestStrings();
    TestFloats();
    TestBounded();
    TestArgs(argc, argv);
    TestEnvironment();
    TestHeap();
    TestSort();
    TestStrtol();
    TestStrtod();
    TestStringFunctions();
    TestCtype();
    TestLocaleErrno();
    TestFiles();
    TestDirectories();
    TestScanf();
    TestMath();
    TestTime();
    TestSetjmp();
    TestThreads();
    int ok = atexit(First) == 0 && atexit(Second) == 0 && atexit(Third) == 0;
    Report("atexit.register", ok);
    printf("w_crt: %d failed\n", Failures);
    return Failures ? 1 : 0;
}
