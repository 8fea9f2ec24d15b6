; boot/entry.asm - the Multiboot header and the kernel's first instructions.
;
; The boot loader (GRUB, or QEMU's -kernel) enters KiBootEntry at its physical address with paging
; off, EAX = Multiboot magic and EBX = physical address of the Multiboot information. We build a
; boot page directory that maps the first 4 MiB one-to-one (for the instruction that enables
; paging) and the first 1 GiB of RAM at KSEG0 (0x80000000) with 4 MiB pages, turn paging on, move
; to the kernel's own addresses and call KiSystemStartup. MmInitSystem replaces this directory
; with the real one (4 KiB pages, self-mapped) soon after.

bits 32

KSEG0           equ 0x80000000
MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010003      ; modules page-aligned, memory map, load addresses below
PDE_LARGE_RW    equ 0x83            ; present, writable, 4 MiB page
CR4_PSE         equ 0x10
CR0_PG          equ 0x80000000

extern KiImageStart, KiLoadEnd, KiImageEnd, KiBootEntryPhysical

; The address fields (flag 16) tell the loader where the image goes in physical memory; GRUB and
; QEMU both honour them, where their handling of an ELF linked high but loaded low differs. The
; build checks (tools/checkimage.sh) that the file holds the image contiguously from .text on.
section .multiboot
align 4
KiMultibootHeader:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd KiMultibootHeader - KSEG0            ; header_addr
    dd KiImageStart - KSEG0                 ; load_addr
    dd KiLoadEnd - KSEG0                    ; load_end_addr: end of .data
    dd KiImageEnd - KSEG0                   ; bss_end_addr
    dd KiBootEntryPhysical                  ; entry_addr

section .text
global KiBootEntry
extern KiSystemStartup

KiBootEntry:
    cli
    mov     esi, eax                        ; keep the magic
    mov     edi, KiBootPageDirectory - KSEG0
    push    edi
    xor     eax, eax
    mov     ecx, 1024
    rep stosd                               ; clear the directory
    pop     edi
    mov     dword [edi], PDE_LARGE_RW       ; 0-4 MiB identity
    xor     ecx, ecx
.map_kseg0:
    mov     edx, ecx
    shl     edx, 22
    or      edx, PDE_LARGE_RW
    mov     [edi + 512*4 + ecx*4], edx      ; KSEG0 + n*4 MiB -> n*4 MiB
    inc     ecx
    cmp     ecx, 256
    jb      .map_kseg0

    mov     eax, cr4
    or      eax, CR4_PSE
    mov     cr4, eax
    mov     cr3, edi
    mov     eax, cr0
    or      eax, CR0_PG
    mov     cr0, eax
    lea     eax, [.high]
    jmp     eax

.high:
    mov     esp, KiBootStackTop
    xor     ebp, ebp                        ; ends stack traces here
    push    ebx                             ; Multiboot information (physical)
    push    esi                             ; magic
    call    KiSystemStartup
.hang:
    cli
    hlt
    jmp     .hang

section .bss
align 4096
global KiBootPageDirectory
KiBootPageDirectory:
    resb    4096
KiBootStack:
    resb    16384
KiBootStackTop:
