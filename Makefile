comma := ,
# Makefile - builds NanoNT (build/kernel.elf, build/nanont.iso) and runs, debugs, tests and
# benchmarks it. Missing tools are installed by tools/install-deps.sh on first use.
#
#   make            build the kernel and the ISO
#   make run        boot the ISO in QEMU (ARGS='...' boots the kernel with that command line;
#                   INIT='C:\Tests\x.exe args' runs that program from C: and exits with its status)
#   make debug      QEMU halted with its gdb stub, and gdb-multiarch with the kernel's symbols
#   make test       unit tests on the host and system tests in QEMU; last line "N passed, N failed"
#   make bench      boot-time benchmarks under -icount (instruction counts) and wall time

BUILD   := build
CC      := i686-linux-gnu-gcc
LD      := i686-linux-gnu-ld
NM      := i686-linux-gnu-nm
NASM    := nasm
MINGW_CC := i686-w64-mingw32-gcc
QEMU    := qemu-system-i386
GDB     := gdb-multiarch
PYTHON  := python3
GDB_PORT ?= 1234
ARGS    ?=

CFLAGS  := -std=gnu11 -O2 -g -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
           -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -mno-sse -mno-sse2 -mno-mmx -mno-80387 -fno-strict-aliasing -mstringop-strategy=rep_4byte \
           -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
           -Ikernel/include
NASMFLAGS := -f elf32 -g -F dwarf -Werror -i$(BUILD)/
LDFLAGS := -nostdlib -T linker.ld -z max-page-size=0x1000 --no-warn-rwx-segments -z noexecstack

KERNEL_C   := $(sort $(wildcard kernel/*/*.c kernel/drivers/*/*.c))
KERNEL_ASM := $(sort $(wildcard boot/*.asm kernel/*/*.asm kernel/drivers/*/*.asm))
GEN        := $(BUILD)/gen
SVC_GEN    := $(GEN)/svctable.c $(GEN)/zwstubs.asm $(GEN)/ntdll_stubs.S $(GEN)/ntdll.def \
              $(GEN)/ustubs.asm $(GEN)/svclist.h
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.asm,$(BUILD)/%.o,$(KERNEL_ASM)) \
              $(GEN)/svctable.o $(GEN)/zwstubs.o
TOOLS_OK   := $(BUILD)/.tools-ok

.PHONY: all iso run debug test unit-test system-test bench clean deps
all: $(BUILD)/kernel.elf $(BUILD)/nanont.iso $(BUILD)/disk.img $(GEN)/ntdll_stubs.o
iso: $(BUILD)/nanont.iso

# Install the toolchain once if anything is missing.
$(TOOLS_OK):
	@mkdir -p $(BUILD)
	@missing=""; for t in $(NASM) $(CC) $(LD) i686-w64-mingw32-gcc grub-mkrescue xorriso mformat \
	    mkfs.fat $(QEMU) $(GDB) gcc $(PYTHON); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then echo "missing:$$missing -> running tools/install-deps.sh"; \
	    bash tools/install-deps.sh || exit 1; fi
	@touch $@
deps:
	bash tools/install-deps.sh

$(BUILD)/%.o: $(BUILD)/%.c | $(TOOLS_OK)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: $(BUILD)/%.asm | $(TOOLS_OK)
	@echo "  NASM    $<"
	@$(NASM) $(NASMFLAGS) $< -o $@

# Objects depend on this Makefile too: a changed flag rebuilds them.
$(BUILD)/%.o: %.c Makefile | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) $(NASMFLAGS) $< -o $@

-include $(KERNEL_OBJ:.o=.d)

# System services: kernel/services.tab is the one list; everything that knows a service number is
# generated from it. ntdll's stubs are assembled here (the DLL comes later) to prove them valid.
$(SVC_GEN) &: kernel/services.tab tools/gensvc.py | $(TOOLS_OK)
	@echo "  GEN     $(GEN)/{svctable.c,zwstubs.asm,ntdll_stubs.S,ntdll.def}"
	@$(PYTHON) tools/gensvc.py kernel/services.tab $(GEN)
$(GEN)/ntdll_stubs.o: $(GEN)/ntdll_stubs.S
	@echo "  AS      $<"
	@$(MINGW_CC) -c $< -o $@

LIBGCC = $(shell $(CC) -print-libgcc-file-name)

# The native user-mode test program (tests/native): a flat image at 0x00400000, embedded in the
# kernel (kernel/test/uimage.asm) until the PE loader can load programs from the volume.
UTEST_OBJ := $(BUILD)/tests/native/ustart.o $(BUILD)/tests/native/utest.o $(GEN)/ustubs.o
$(BUILD)/tests/native/utest.o: CFLAGS += -I$(GEN) -Itests/native
$(BUILD)/tests/native/utest.o: $(GEN)/svclist.h
$(BUILD)/utest.elf: $(UTEST_OBJ) tests/native/user.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -T tests/native/user.ld -z noexecstack -o $@ $(UTEST_OBJ) $(LIBGCC)
$(BUILD)/utest.bin: $(BUILD)/utest.elf
	@i686-linux-gnu-objcopy -O binary $< $@
$(BUILD)/kernel/test/uimage.o: $(BUILD)/utest.bin
$(BUILD)/kernel/test/pstest.o $(BUILD)/kernel/test/iotest.o: CFLAGS += -Itests/native

# Test images (tests/images): small PE files built with MinGW, no CRT, put on the test volume by
# the image-section system test. shared*.c become DLLs (base 0x10000000, with relocations), every
# other file a native-subsystem EXE (base 0x400000).
IMAGE_DLLS := $(patsubst tests/images/%.c,$(BUILD)/images/%.dll,$(wildcard tests/images/shared*.c))
IMAGE_EXES := $(patsubst tests/images/%.c,$(BUILD)/images/%.exe,$(filter-out tests/images/shared%,$(wildcard tests/images/*.c)))
IMAGE_CFLAGS := -O2 -Wall -Werror -nostdlib -ffreestanding -fno-asynchronous-unwind-tables
all: $(IMAGE_DLLS) $(IMAGE_EXES)
$(BUILD)/images/%.dll: tests/images/%.c | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  MINGW   $@"
	@$(MINGW_CC) $(IMAGE_CFLAGS) -shared -Wl,--entry,_DllMain@12 -Wl,--image-base,0x10000000 -o $@ $<
$(BUILD)/images/%.exe: tests/images/%.c | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  MINGW   $@"
	@$(MINGW_CC) $(IMAGE_CFLAGS) -Wl,--subsystem,native -Wl,--entry,_NtProcessStartup@4 -Wl,--image-base,0x00400000 \
	    -Xlinker --stack=0x100000,0x2000 -o $@ $<

# ---- User mode: PE images built with MinGW (i686-w64-mingw32) ------------------------------
# ntdll.dll is its own sources (ntdll/), the generated service stubs and export list, and the
# run-time library it shares with the kernel (kernel/rtl: the same source compiled twice, as NT's
# Rtl is). Its import library build/lib/libntdll.a is what native programs link against.
# Objects for user mode go under $(BUILD)/u/ so a shared source has a kernel and a user object.
UCFLAGS := -std=gnu11 -O2 -g -march=i686 -ffreestanding -nostdinc -fno-stack-protector \
           -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -mno-sse -mno-sse2 -mno-mmx \
           -fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
           -Wstrict-prototypes -Ikernel/include -Intdll/include -Isubsys/include -Idlls/include
ULIBGCC  = $(shell $(MINGW_CC) -print-libgcc-file-name)
NTDLL_BASE := 0x7C900000
NTDLL_RTL  := kernel/rtl/memory.c kernel/rtl/string.c kernel/rtl/unicode.c kernel/rtl/format.c \
              kernel/rtl/peimage.c kernel/rtl/peaccess.c
NTDLL_C    := $(sort $(wildcard ntdll/*.c ntdll/*/*.c)) $(NTDLL_RTL)
NTDLL_S    := $(sort $(wildcard ntdll/*.S ntdll/*/*.S))
NTDLL_OBJ  := $(patsubst %.c,$(BUILD)/u/%.o,$(NTDLL_C)) $(patsubst %.S,$(BUILD)/u/%.o,$(NTDLL_S)) \
              $(BUILD)/u/ntdll_stubs.o
NTDLL      := $(BUILD)/root/Windows/System32/ntdll.dll
LIBNTDLL   := $(BUILD)/lib/libntdll.a
-include $(NTDLL_OBJ:.o=.d)
# Every other user-mode object (subsys, dlls, apps, tests) depends on the headers it included too.
-include $(filter-out $(NTDLL_OBJ:.o=.d),$(patsubst %.c,$(BUILD)/u/%.d,$(wildcard subsys/*/*.c dlls/*/*.c apps/*/*.c tests/ntdll/*.c tests/ntdll/dll/*.c tests/win32/*.c)))

$(BUILD)/u/ntdll/%.o: UCFLAGS += -DNTSYSAPI='__attribute__((dllexport))'
$(BUILD)/u/kernel/rtl/%.o: UCFLAGS += -DNTSYSAPI='__attribute__((dllexport))'
$(BUILD)/u/%.o: %.c Makefile | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  MINGW   $<"
	@$(MINGW_CC) $(UCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/u/%.o: %.S Makefile | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@echo "  MINGW   $<"
	@$(MINGW_CC) $(UCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/u/ntdll_stubs.o: $(GEN)/ntdll_stubs.S
	@mkdir -p $(dir $@)
	@$(MINGW_CC) -c $< -o $@

$(NTDLL) $(LIBNTDLL) &: $(NTDLL_OBJ) $(GEN)/ntdll.def tools/mkimplib.sh
	@mkdir -p $(dir $(NTDLL)) $(dir $(LIBNTDLL))
	@echo "  LD      $(NTDLL)"
	@$(MINGW_CC) -shared -nostdlib -Wl,--image-base,$(NTDLL_BASE) -Wl,--kill-at -Wl,--entry,0 \
	    -Wl,--subsystem,native -Wl,--output-def,$(BUILD)/lib/ntdll.def -Wl,--disable-auto-import \
	    -Wl,--fatal-warnings -o $(NTDLL) $(GEN)/ntdll.def $(NTDLL_OBJ) $(ULIBGCC)
	@bash tools/mkimplib.sh $(BUILD)/lib/ntdll.def ntdll.dll $(LIBNTDLL)

# Native programs (NATIVE subsystem, import only ntdll): entry NtProcessStartup(PPEB).
NATIVE_LDFLAGS = -nostdlib -Wl,--subsystem,native -Wl,--entry,_NtProcessStartup@4 \
                 -Wl,--disable-auto-import -Wl,--fatal-warnings
SMSS_C   := $(sort $(wildcard subsys/smss/*.c))
SMSS     := $(BUILD)/root/Windows/System32/smss.exe
$(SMSS): $(patsubst %.c,$(BUILD)/u/%.o,$(SMSS_C)) $(LIBNTDLL)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(MINGW_CC) $(NATIVE_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBNTDLL) $(ULIBGCC)

# System DLLs and programs of the Win32 layers, one folder each, installed in System32:
#   $(call SYSTEM_DLL,name,folder,base,import libraries)   name.dll, entry DllMain, exports from
#       NTSYSAPI/dllexport declarations or folder/name.def, import library build/lib/libname.a
#   $(call SYSTEM_EXE,name,folder,subsystem,import libraries,base)
# Objects get -DNTSYSAPI=dllexport only in ntdll; a DLL's own exports say __declspec(dllexport).
SYSTEM32 := $(BUILD)/root/Windows/System32
define SYSTEM_DLL
ifneq ($$(wildcard $(2)/*.c),)
$(SYSTEM32)/$(1).dll $(BUILD)/lib/lib$(1).a &: $$(patsubst %.c,$(BUILD)/u/%.o,$$(wildcard $(2)/*.c $(2)/*.S)) \
        $(foreach l,$(4),$(BUILD)/lib/lib$(l).a) $$(wildcard $(2)/$(1).def) tools/mkimplib.sh
	@mkdir -p $(SYSTEM32) $(BUILD)/lib
	@echo "  LD      $(SYSTEM32)/$(1).dll"
	@$$(MINGW_CC) -shared -nostdlib -Wl,--entry,_DllMain@12 -Wl,--kill-at -Wl,--image-base,$(3) \
	    -Wl,--disable-auto-import -Wl,--fatal-warnings -Wl,--output-def,$(BUILD)/lib/$(1).def \
	    -o $(SYSTEM32)/$(1).dll $$(wildcard $(2)/$(1).def) $$(filter %.o,$$^) \
	    $(foreach l,$(4),$(BUILD)/lib/lib$(l).a) $$(ULIBGCC)
	@bash tools/mkimplib.sh $(BUILD)/lib/$(1).def $(1).dll $(BUILD)/lib/lib$(1).a
ROOT_FILES += $(SYSTEM32)/$(1).dll
endif
endef
define SYSTEM_EXE
ifneq ($$(wildcard $(2)/*.c),)
$(SYSTEM32)/$(1).exe: $$(patsubst %.c,$(BUILD)/u/%.o,$$(wildcard $(2)/*.c)) $(foreach l,$(4),$(BUILD)/lib/lib$(l).a)
	@mkdir -p $(SYSTEM32)
	@echo "  LD      $$@"
	@$$(MINGW_CC) -nostdlib -Wl,--subsystem,$(3) -Wl,--entry,_NtProcessStartup@4 -Wl,--disable-auto-import \
	    $(if $(5),-Xlinker --image-base -Xlinker $(5)) \
	    -Wl,--fatal-warnings -o $$@ $$(filter %.o,$$^) $(foreach l,$(4),$(BUILD)/lib/lib$(l).a) $$(ULIBGCC)
ROOT_FILES += $(SYSTEM32)/$(1).exe
endif
endef

ROOT_FILES := $(NTDLL) $(if $(SMSS_C),$(SMSS))
# The Win32 environment subsystem: csrss.exe and its server DLLs (subsys/), the client DLLs
# (dlls/). XP-like fixed bases, so they load unrelocated and gdb finds their symbols.
$(eval $(call SYSTEM_DLL,basesrv,subsys/basesrv,0x75B50000,ntdll))
$(eval $(call SYSTEM_DLL,consrv,subsys/consrv,0x75B20000,ntdll))
$(eval $(call SYSTEM_EXE,csrss,subsys/csrss,native,ntdll,0x4A680000))
$(eval $(call SYSTEM_DLL,kernel32,dlls/kernel32,0x7C800000,ntdll))
$(eval $(call SYSTEM_DLL,msvcrt,dlls/msvcrt,0x77C10000,kernel32 ntdll))

# Applications (apps/<name>/*.c): ordinary Win32 programs built as any MinGW user builds them
# (default CRT, MinGW's <windows.h> and import libraries). The shell is System32\cmd.exe; the
# others go to C:\Apps.
APPS := $(notdir $(wildcard apps/*))
define APP
$(if $(filter cmd,$(1)),$(SYSTEM32),$(BUILD)/root/Apps)/$(1).exe: $$(wildcard apps/$(1)/*.c apps/$(1)/*.h) | $$(TOOLS_OK)
	@mkdir -p $$(dir $$@)
	@echo "  MINGW   $$@ (stock MinGW build)"
	@$$(MINGW_CC) -O2 -Wall -Werror -o $$@ $$(wildcard apps/$(1)/*.c)
ROOT_FILES += $(if $(filter cmd,$(1)),$(SYSTEM32),$(BUILD)/root/Apps)/$(1).exe
endef
$(foreach a,$(filter-out README.md,$(APPS)),$(eval $(call APP,$(a))))

# Native test programs and their DLLs (tests/ntdll/Makefile.inc adds to ROOT_FILES); Win32 test
# programs, built as any MinGW program is (tests/win32/Makefile.inc).
-include tests/ntdll/Makefile.inc
-include tests/win32/Makefile.inc
all: $(ROOT_FILES)

# Two links: the first gives the code addresses, the second adds the symbol table made from them
# (in .rodata, after .text, so no code moves). The check proves it.
$(BUILD)/ksyms-empty.c: | $(TOOLS_OK)
	@mkdir -p $(BUILD)
	@printf '#include "ntdef.h"\ntypedef struct { ULONG_PTR Address; PCSTR Name; } KSYMBOL;\nconst KSYMBOL KiSymbolTable[1];\nconst ULONG KiSymbolCount = 0;\n' > $@
$(BUILD)/kernel-pass1.elf: $(KERNEL_OBJ) $(BUILD)/ksyms-empty.o linker.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms-empty.o $(LIBGCC)
$(BUILD)/ksyms.c: $(BUILD)/kernel-pass1.elf tools/gensyms.sh
	@NM=$(NM) bash tools/gensyms.sh $< > $@
$(BUILD)/kernel.elf: $(KERNEL_OBJ) $(BUILD)/ksyms.o linker.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@.tmp $(KERNEL_OBJ) $(BUILD)/ksyms.o $(LIBGCC)
	@NM=$(NM) bash tools/gensyms.sh $@.tmp | cmp -s - $(BUILD)/ksyms.c || \
	    { echo "kernel symbol table does not match the final link"; exit 1; }
	@bash tools/checkimage.sh $@.tmp
	mv $@.tmp $@

# The system volume C: (FAT32) holds what $(BUILD)/root stages: \Windows\System32 (ntdll, smss,
# ...) and \Tests. `make run` attaches build/disk.img as the IDE disk, so what programs write
# there stays: it is made once, and later builds copy the rebuilt system files into it (delete it
# for a fresh one). The ISO carries a fresh copy as a boot module (a RAM disk C: when no disk is
# attached).
DISK_MB := 40
$(BUILD)/disk.img: tools/mkdisk.sh $(ROOT_FILES) | $(TOOLS_OK)
	@echo "  DISK    $@"
	@if [ -f $@ ]; then bash tools/mkdisk.sh --update $@ $(BUILD)/root; \
	else bash tools/mkdisk.sh $@ $(DISK_MB) $(BUILD)/root; fi
	@touch $@
# GRUB inflates a gzip module as it loads it: far less to read from the CD.
# It is a small FAT16 volume: GRUB's inflating takes time in proportion to the size, so its
# programs and DLLs go without their debug information (gdb reads symbols from build/root).
ISO_DISK_MB := 6
$(BUILD)/iso/disk.img: tools/mkdisk.sh $(ROOT_FILES) | $(TOOLS_OK)
	@mkdir -p $(dir $@)
	@rm -rf $(BUILD)/iso/root && cp -r $(BUILD)/root $(BUILD)/iso/root
	@find $(BUILD)/iso/root -type f \( -name '*.exe' -o -name '*.dll' \) -exec sh -c \
	    'i686-w64-mingw32-strip --strip-debug "$$1" 2>/dev/null || true' _ {} \;
	@bash tools/mkdisk.sh $@.raw $(ISO_DISK_MB) $(BUILD)/iso/root
	@rm -rf $(BUILD)/iso/root
	@gzip -9 -c $@.raw > $@ && rm -f $@.raw

$(BUILD)/nanont.iso: $(BUILD)/kernel.elf boot/grub.cfg $(BUILD)/iso/disk.img
	bash tools/mkiso.sh $@ boot/grub.cfg $(BUILD)/kernel.elf $(BUILD)/iso/disk.img

QEMU_FLAGS := -m 256 -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_VIEW  := $(if $(DISPLAY),-serial stdio,-nographic)
# The volume C: (DISK=... picks another image). With a hard disk attached the BIOS would try it
# first, so the ISO boot says -boot d. INIT='C:\Tests\x.exe args' runs one program from the disk
# (kernel command line init=..., which must come last) and exits with its status.
DISK       ?= $(BUILD)/disk.img
INIT       ?=
KARGS      := $(strip $(ARGS) $(if $(strip $(INIT)),init=$(INIT)))
QEMU_BOOT  := $(if $(KARGS),-kernel $(BUILD)/kernel.elf -append "$(KARGS)",-cdrom $(BUILD)/nanont.iso -boot d) \
              -drive file=$(DISK),format=raw,if=ide,index=0

run: all
	bash tools/qemu-exit.sh $(QEMU) $(QEMU_FLAGS) $(QEMU_VIEW) $(QEMU_BOOT)

# The script names the program INIT= runs as a path under $(BUILD)/root (C:\Tests\x.exe ->
# Tests/x.exe), so gdb has its symbols too.
.PHONY: $(BUILD)/gdbinit
$(BUILD)/gdbinit: tools/gdbinit.in $(BUILD)/kernel.elf
	@app=$$(printf '%s' '$(firstword $(INIT))' | sed -e 's|^[A-Za-z]:||' -e 's|\\|/|g' -e 's|^/||'); \
	sed -e 's|@KERNEL@|$(BUILD)/kernel.elf|' -e 's|@ROOT@|$(BUILD)/root|' -e 's|@PORT@|$(GDB_PORT)|' \
	    -e "s|@APP@|$$app|" $< > $@

debug: all $(BUILD)/gdbinit
	$(QEMU) $(QEMU_FLAGS) -display none -serial file:$(BUILD)/debug-serial.log -S \
	    -gdb tcp::$(GDB_PORT) $(QEMU_BOOT) & qemu=$$!; \
	$(GDB) -q -x $(BUILD)/gdbinit; kill $$qemu 2>/dev/null; true

unit-test: | $(TOOLS_OK)
	$(MAKE) -C tests/unit run

system-test: all
	$(PYTHON) tests/system/run.py

test: all | $(TOOLS_OK)
	bash tests/run.sh

bench: all
	$(PYTHON) tools/bench.py

clean:
	rm -rf $(BUILD)
