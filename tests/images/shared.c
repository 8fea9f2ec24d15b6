/*
 * shared.c - the image-section test DLL (kernel/test/imagetest.c): code in .text, a write-copy
 * global in .data, a zero-filled global in .bss and a global in ".shared", a section GNU ld marks
 * IMAGE_SCN_MEM_SHARED because of GCC's PE `shared` attribute. The magic values let the kernel
 * test find each variable in the file and in the mapped image. No CRT: the entry is DllMain.
 */
int data_value = 0x5EC7DA7A;
int shared_value __attribute__((section(".shared"), shared)) = 0x5AA4ED01;
int bss_value;

__declspec(dllexport) int get_value(void) { return data_value + shared_value + bss_value; }

int __stdcall DllMain(void *Instance, unsigned long Reason, void *Reserved)
{
    (void)Instance; (void)Reason; (void)Reserved;
    return 1;
}
