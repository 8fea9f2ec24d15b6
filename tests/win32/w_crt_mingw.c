/* w_crt_mingw.c - the C runtime as a default MinGW build uses it: MinGW's own C99 printf and
 * scanf (linked into the program) format the text and hand it to msvcrt.dll's streams through
 * fputc/fwrite, asking localeconv for the decimal point. Checks the text that arrives in a file
 * (C:\Tests\crtm.tmp) and on the console. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int Failures;

static void Report(const char *Name, int Ok)
{
    printf("TEST w_crt_mingw.%s: %s\n", Name, Ok ? "PASS" : "FAIL");
    if (!Ok)
        Failures++;
}

#define TMP "C:\\Tests\\crtm.tmp"

int main(void)
{
    char text[128];
    volatile double pi = 3.14159265358979;
    volatile long long big = 1234567890123LL;

    /* C99 formatting, two-digit exponents: MinGW's printf, not msvcrt's */
    snprintf(text, sizeof(text), "%.3f %e %lld %zu %ls %5.1Lf", pi, 1e10 * pi, big, sizeof(text),
             L"wide", (long double)2.25);
    int ok = strcmp(text, "3.142 3.141593e+10 1234567890123 128 wide   2.2") == 0;
    if (!ok)
        printf("  snprintf: [%s]\n", text);
    Report("snprintf", ok);

    /* the same through a stream: fprintf/fputc/fwrite on a file, read back in binary */
    FILE *f = fopen(TMP, "w");
    ok = f != NULL;
    if (f) {
        fprintf(f, "%d|%s|%.2f\n", -42, "str", 0.125);
        fprintf(f, "%x\n", 0xBEEFu);
        ok &= fclose(f) == 0;
    }
    f = fopen(TMP, "rb");
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    text[n] = 0;
    if (f)
        fclose(f);
    ok &= strcmp(text, "-42|str|0.12\r\nbeef\r\n") == 0;    /* 0.125 rounds to even */
    if (!ok)
        printf("  file: [%s]\n", text);
    remove(TMP);
    Report("fprintf", ok);

    int a = 0;
    double d = 0;
    char word[16] = "";
    ok = sscanf("17 2.5 word", "%d %lf %15s", &a, &d, word) == 3 && a == 17 && d == 2.5 &&
         strcmp(word, "word") == 0;
    Report("sscanf", ok);

    /* console: a partial line, then the rest (stdout is line buffered on the console) */
    printf("TEST w_crt_mingw.console: ");
    fflush(stdout);
    printf("%s\n", "PASS");
    return Failures ? 1 : 0;
}
