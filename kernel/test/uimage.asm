; kernel/test/uimage.asm - the native test program's image (build/utest.bin, tests/native), carried
; inside the kernel until programs can be loaded from the volume.

bits 32
global TstUserImage
global TstUserImageEnd

section .rodata
align 16
TstUserImage:
    incbin  "utest.bin"
TstUserImageEnd:
