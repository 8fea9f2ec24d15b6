/*
 * hello.c - the image-section test EXE: a native-subsystem program with no imports whose headers
 * (entry point, subsystem, stack sizes) the kernel test compares with NtQuerySection's answer.
 */
void __stdcall NtProcessStartup(void *Peb)
{
    (void)Peb;
    for (;;) { }
}
