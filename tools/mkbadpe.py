#!/usr/bin/env python3
"""mkbadpe.py - derives a corpus of broken PE images from good ones, one file per defect, for the
PE parser's host tests (tests/unit/pe_test.c).

Usage: mkbadpe.py GOOD.dll GOOD.exe OUTDIR

GOOD.dll must be a relocatable i386 DLL with exports (at least 3, one a forwarder), imports and a
TLS directory with callbacks (tests/unit/pe/pedll.c); GOOD.exe any i386 EXE. OUTDIR receives
<name>.bin files and MANIFEST, one line per file:

    <name> <stage> <status>

stage is where the parser must first reject the image: file (RtlValidateImageFile), reloc
(RtlRelocateImage), import, export, tls (the mapped-form accessors); status is the NTSTATUS in hex
it must return. Each defect is a small edit of a good image, so everything else stays valid.
"""
import os
import struct
import sys

NOT_MZ = 0xC000012F
PROTECT = 0xC0000130
WIN_16 = 0xC0000131
LE_FORMAT = 0xC000012E
WIN_64 = 0xC000035A
FORMAT = 0xC000007B

DIR_EXPORT, DIR_IMPORT, DIR_RELOC, DIR_TLS = 0, 1, 5, 9


class Image:
    """A PE32 file as a bytearray, with the header offsets and helpers to edit fields."""

    def __init__(self, data):
        self.b = bytearray(data)
        self.nt = self.u32(0x3C)
        self.fh = self.nt + 4
        self.opt = self.fh + 20
        self.nsec = self.u16(self.fh + 2)
        self.table = self.opt + self.u16(self.fh + 16)

    def copy(self):
        return Image(self.b)

    def u16(self, off):
        return struct.unpack_from('<H', self.b, off)[0]

    def u32(self, off):
        return struct.unpack_from('<I', self.b, off)[0]

    def w16(self, off, v):
        struct.pack_into('<H', self.b, off, v & 0xFFFF)

    def w32(self, off, v):
        struct.pack_into('<I', self.b, off, v & 0xFFFFFFFF)

    # Optional header fields by offset (PE32 layout).
    ENTRY, IMAGE_BASE, SECT_ALIGN, FILE_ALIGN, SIZE_IMAGE, SIZE_HEADERS, NRVA = 16, 28, 32, 36, 56, 60, 92

    def opt32(self, field):
        return self.u32(self.opt + field)

    def set_opt32(self, field, v):
        self.w32(self.opt + field, v)

    def dir_off(self, i):
        return self.opt + 96 + 8 * i

    def dir(self, i):
        return self.u32(self.dir_off(i)), self.u32(self.dir_off(i) + 4)

    def sec_off(self, i):
        return self.table + 40 * i

    def section(self, i):
        """(VirtualSize, VirtualAddress, SizeOfRawData, PointerToRawData) of section i."""
        return struct.unpack_from('<IIII', self.b, self.sec_off(i) + 8)

    def rva_to_off(self, rva):
        for i in range(self.nsec):
            vsize, va, raw, ptr = self.section(i)
            if va <= rva < va + max(vsize, raw) and rva - va < raw:
                return ptr + rva - va
        raise ValueError('RVA %#x is not file data' % rva)

    def r32(self, rva):
        return self.u32(self.rva_to_off(rva))

    def p32(self, rva, v):
        self.w32(self.rva_to_off(rva), v)

    def add_filler_section(self):
        """Appends a section of one page of 'A' bytes (no NUL anywhere) at the end of the image and
        returns its RVA: strings pointed into it are never terminated inside the image."""
        salign = self.opt32(self.SECT_ALIGN)
        falign = self.opt32(self.FILE_ALIGN)
        sh = self.sec_off(self.nsec)
        assert sh + 40 <= self.opt32(self.SIZE_HEADERS), 'no room for another section header'
        va = self.opt32(self.SIZE_IMAGE)
        size = salign
        ptr = (len(self.b) + falign - 1) // falign * falign
        self.b += b'\0' * (ptr - len(self.b)) + b'A' * size
        struct.pack_into('<8sIIIIIIHHI', self.b, sh, b'.filler', size, va, size, ptr, 0, 0, 0, 0,
                         0x40000040)
        self.nsec += 1
        self.w16(self.fh + 2, self.nsec)
        self.set_opt32(self.SIZE_IMAGE, va + size)
        return va

    def first_reloc_block(self):
        rva, size = self.dir(DIR_RELOC)
        assert size >= 12
        return rva, size, self.r32(rva + 4)

    def export_dir(self):
        rva, size = self.dir(DIR_EXPORT)
        # Base, NumberOfFunctions, NumberOfNames, AddressOfFunctions, AddressOfNames, ...Ordinals
        fields = [self.r32(rva + 16 + 4 * i) for i in range(6)]
        return rva, size, fields

    def tls_dir(self):
        rva, _ = self.dir(DIR_TLS)
        return rva

    def find_forwarder_slot(self):
        erva, esize, (_, nfun, _, funcs, _, _) = self.export_dir()
        for i in range(nfun):
            f = self.r32(funcs + 4 * i)
            if erva <= f < erva + esize:
                return funcs + 4 * i
        raise ValueError('no forwarder')


def defects(dll, exe):
    """Yields (name, stage, status, Image) for every defect."""
    def mk(base=dll):
        return base.copy()

    size = len(dll.b)
    salign = dll.opt32(Image.SECT_ALIGN)
    soi = dll.opt32(Image.SIZE_IMAGE)

    # --- DOS header and signature -------------------------------------------------------------
    m = mk(); m.w16(0, 0x4D5A); yield 'bad_mz', 'file', NOT_MZ, m
    m = mk(); m.b = m.b[:40]; yield 'tiny_file', 'file', NOT_MZ, m
    m = mk(); m.b = bytearray(); yield 'empty_file', 'file', NOT_MZ, m
    m = mk(); m.w32(m.nt, 0x00005850); yield 'bad_pe_signature', 'file', PROTECT, m
    m = mk(); m.w32(m.nt, 0x0000454E); yield 'ne_signature', 'file', WIN_16, m
    m = mk(); m.w32(m.nt, 0x0000454C); yield 'le_signature', 'file', LE_FORMAT, m
    m = mk(); m.w32(0x3C, size + 0x100); yield 'lfanew_outside', 'file', PROTECT, m
    m = mk(); m.w32(0x3C, dll.nt + 2); yield 'lfanew_unaligned', 'file', PROTECT, m
    m = mk(); m.w32(0x3C, 0xFFFFFFF8); yield 'lfanew_huge', 'file', PROTECT, m
    m = mk(); m.w32(0x3C, (size - 8) & ~3); yield 'lfanew_near_eof', 'file', PROTECT, m

    # --- file header and optional header ------------------------------------------------------
    m = mk(); m.w16(m.fh, 0x01C0); yield 'machine_arm', 'file', FORMAT, m
    m = mk(); m.w16(m.fh, 0x0000); yield 'machine_unknown', 'file', FORMAT, m
    m = mk(); m.w16(m.fh, 0x8664); yield 'machine_amd64', 'file', WIN_64, m
    m = mk(); m.w16(m.opt, 0x107); yield 'magic_rom', 'file', FORMAT, m
    m = mk(); m.w16(m.opt, 0x20B); yield 'magic_pe32plus', 'file', WIN_64, m
    m = mk(); m.w16(m.fh + 18, m.u16(m.fh + 18) & ~0x0002); yield 'not_executable', 'file', FORMAT, m
    m = mk(); m.w16(m.fh + 16, 0x60); yield 'optional_header_too_small', 'file', FORMAT, m
    m = mk(); m.w16(m.fh + 16, 0x1); yield 'optional_header_tiny', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.NRVA, 0x10000); yield 'rva_and_sizes_huge', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.NRVA, 0x40000000); yield 'rva_and_sizes_wrap', 'file', FORMAT, m
    m = mk(); m.b = m.b[:m.nt + 100]; yield 'truncated_in_optional_header', 'file', FORMAT, m

    # --- section table ------------------------------------------------------------------------
    room = (dll.opt32(Image.SIZE_HEADERS) - dll.table) // 40
    m = mk(); m.w16(m.fh + 2, room + 1); yield 'section_table_outside_headers', 'file', FORMAT, m
    m = mk(); m.w16(m.fh + 2, 0xFFFF); yield 'sections_huge', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SIZE_HEADERS, m.table + 8); yield 'headers_cut_section_table', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SIZE_HEADERS, 0xFFFFFFFF); yield 'size_of_headers_huge', 'file', FORMAT, m
    m = mk()
    vs0, va0, _, _ = m.section(0)
    _, va1, _, _ = m.section(1)
    m.w32(m.sec_off(0) + 8, va1 - va0 + 0x10)
    yield 'sections_overlap', 'file', FORMAT, m
    m = mk()
    a, b = m.sec_off(1), m.sec_off(2)
    m.b[a:a + 40], m.b[b:b + 40] = m.b[b:b + 40], m.b[a:a + 40]
    yield 'sections_out_of_order', 'file', FORMAT, m
    m = mk(); m.w32(m.sec_off(1) + 12, va1 + 0x10); yield 'section_va_unaligned', 'file', FORMAT, m
    m = mk(); m.w32(m.sec_off(0) + 12, 0); yield 'section_over_headers', 'file', FORMAT, m
    last = dll.nsec - 1
    m = mk(); m.w32(m.sec_off(last) + 20, size - 0x10); yield 'raw_data_past_eof', 'file', FORMAT, m
    m = mk(); m.w32(m.sec_off(last) + 20, 0xFFFFFE00); yield 'raw_data_wrap', 'file', FORMAT, m
    m = mk(); m.b = m.b[:size - 0x100]; yield 'truncated_file', 'file', FORMAT, m
    m = mk(); m.w32(m.sec_off(last) + 8, 0xFFFFF000); yield 'size_of_image_wrap', 'file', FORMAT, m

    # --- alignment and sizes ------------------------------------------------------------------
    m = mk(); m.set_opt32(Image.FILE_ALIGN, 0x300); yield 'file_alignment_not_pow2', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SECT_ALIGN, 0x1800); yield 'section_alignment_not_pow2', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SECT_ALIGN, 0); yield 'section_alignment_zero', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.FILE_ALIGN, 0x100); yield 'file_alignment_too_small', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.FILE_ALIGN, 2 * salign); yield 'file_alignment_above_section', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SIZE_IMAGE, soi + 4); yield 'size_of_image_unaligned', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.SIZE_IMAGE, dll.section(last)[1]); yield 'size_of_image_too_small', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.IMAGE_BASE, 0x100000000 - soi + 0x1000); yield 'image_base_wrap', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.ENTRY, soi); yield 'entry_outside', 'file', FORMAT, m
    m = mk(); m.set_opt32(Image.ENTRY, 0xFFFFFFFF); yield 'entry_huge', 'file', FORMAT, m
    m = mk(exe); m.set_opt32(Image.ENTRY, 0); yield 'exe_entry_zero', 'file', FORMAT, m

    # --- data directories ---------------------------------------------------------------------
    m = mk(); m.w32(m.dir_off(DIR_IMPORT), soi - 4); m.w32(m.dir_off(DIR_IMPORT) + 4, 0x100)
    yield 'directory_outside_image', 'file', FORMAT, m
    m = mk(); m.w32(m.dir_off(DIR_EXPORT), 0xFFFFFFF0); m.w32(m.dir_off(DIR_EXPORT) + 4, 0x20)
    yield 'directory_wrap', 'file', FORMAT, m
    m = mk(); m.w32(m.dir_off(DIR_RELOC) + 4, 0xFFFFFFFF); yield 'directory_size_huge', 'file', FORMAT, m

    # --- base relocations (the file validates; RtlRelocateImage must refuse) -------------------
    rrva, rsize, bsize = dll.first_reloc_block()
    m = mk(); m.p32(rrva + 4, 4); yield 'reloc_block_short', 'reloc', FORMAT, m
    m = mk(); m.p32(rrva + 4, 0); yield 'reloc_block_zero', 'reloc', FORMAT, m
    m = mk(); m.p32(rrva + 4, bsize + 1); yield 'reloc_block_odd', 'reloc', FORMAT, m
    m = mk(); m.p32(rrva + 4, rsize + 8); yield 'reloc_block_past_directory', 'reloc', FORMAT, m
    m = mk(); m.w32(m.dir_off(DIR_RELOC) + 4, bsize + 4); yield 'reloc_header_truncated', 'reloc', FORMAT, m
    m = mk()
    first = m.r32(rrva + 8) & 0xFFFF
    assert first >> 12 == 3
    m.p32(rrva, soi - 2 - (first & 0xFFF))
    yield 'reloc_entry_straddles_end', 'reloc', FORMAT, m
    m = mk(); m.p32(rrva, 0xFFFFF000); yield 'reloc_page_wrap', 'reloc', FORMAT, m
    m = mk(); m.w16(m.rva_to_off(rrva + 8), 0xA000 | first & 0xFFF); yield 'reloc_type_dir64', 'reloc', FORMAT, m
    m = mk(); m.w16(m.fh + 18, m.u16(m.fh + 18) | 0x0001); yield 'relocs_stripped', 'reloc', FORMAT, m

    # --- imports ------------------------------------------------------------------------------
    irva, _ = dll.dir(DIR_IMPORT)
    m = mk(); f = m.add_filler_section(); m.p32(irva + 12, f + 0x800)
    yield 'import_dll_name_unterminated', 'import', FORMAT, m
    m = mk(); m.p32(irva + 12, soi + 0x100); yield 'import_dll_name_outside', 'import', FORMAT, m
    m = mk(); m.p32(irva + 16, 0); yield 'import_no_iat', 'import', FORMAT, m
    m = mk(); m.p32(irva, soi + 0x10); yield 'import_lookup_outside', 'import', FORMAT, m
    m = mk(); m.p32(irva + 16, soi - 2); m.p32(irva, soi - 2)
    yield 'import_table_straddles_end', 'import', FORMAT, m
    m = mk(); oft = m.r32(irva); m.p32(oft, soi - 1); yield 'import_by_name_outside', 'import', FORMAT, m
    m = mk(); f = m.add_filler_section(); oft = m.r32(irva); m.p32(oft, f + 0x800)
    yield 'import_name_unterminated', 'import', FORMAT, m
    m = mk(); oft = m.r32(irva); m.p32(oft, 0x80010005); yield 'import_ordinal_high_bits', 'import', FORMAT, m
    m = mk(); f = m.add_filler_section()
    m.w32(m.dir_off(DIR_IMPORT), m.opt32(Image.SIZE_IMAGE) - 20); m.w32(m.dir_off(DIR_IMPORT) + 4, 20)
    yield 'import_descriptors_unterminated', 'import', FORMAT, m

    # --- exports ------------------------------------------------------------------------------
    erva, esize, (ebase, nfun, nnames, funcs, names, ords) = dll.export_dir()
    m = mk(); f = m.add_filler_section(); m.p32(names, f + 0x800)
    yield 'export_name_unterminated', 'export', FORMAT, m
    m = mk(); m.p32(names + 4, soi + 8); yield 'export_name_outside', 'export', FORMAT, m
    m = mk(); m.p32(erva + 28, soi - 8); yield 'export_functions_outside', 'export', FORMAT, m
    m = mk(); m.p32(erva + 20, 0x40000001); yield 'export_function_count_wrap', 'export', FORMAT, m
    m = mk(); m.p32(erva + 32, soi - 4); yield 'export_names_outside', 'export', FORMAT, m
    m = mk(); m.w16(m.rva_to_off(ords), 0xFFFF); yield 'export_ordinal_index_outside', 'export', FORMAT, m
    m = mk(); m.p32(funcs, soi + 0x40); yield 'export_rva_outside', 'export', FORMAT, m
    m = mk(); m.w32(m.dir_off(DIR_EXPORT) + 4, 8); yield 'export_directory_too_small', 'export', FORMAT, m
    m = mk(); f = m.add_filler_section(); m.p32(erva + 12, f + 0x800)
    yield 'export_dll_name_unterminated', 'export', FORMAT, m
    m = mk(); slot = m.find_forwarder_slot(); f = m.add_filler_section()
    m.p32(slot, f + 0x800); m.w32(m.dir_off(DIR_EXPORT) + 4, m.opt32(Image.SIZE_IMAGE) - erva)
    yield 'forwarder_unterminated', 'export', FORMAT, m
    m = mk(); m.p32(funcs, m.r32(names)); yield 'forwarder_without_dot', 'export', FORMAT, m

    # --- TLS ----------------------------------------------------------------------------------
    trva = dll.tls_dir()
    base = dll.opt32(Image.IMAGE_BASE)
    m = mk(); m.p32(trva + 12, base + soi - 2); yield 'tls_callbacks_outside', 'tls', FORMAT, m
    m = mk(); f = m.add_filler_section(); m.p32(trva + 12, base + f)
    yield 'tls_callback_outside', 'tls', FORMAT, m
    m = mk(); m.p32(trva + 12, 0x10); yield 'tls_callbacks_below_base', 'tls', FORMAT, m
    m = mk(); m.p32(trva + 4, m.r32(trva) - 4); yield 'tls_raw_data_reversed', 'tls', FORMAT, m
    m = mk(); m.p32(trva + 4, base + soi + 0x1000); yield 'tls_raw_data_outside', 'tls', FORMAT, m
    m = mk(); m.p32(trva + 8, base + soi - 2); yield 'tls_index_outside', 'tls', FORMAT, m
    m = mk(); m.w32(m.dir_off(DIR_TLS) + 4, 8); yield 'tls_directory_too_small', 'tls', FORMAT, m


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1], 'rb') as f:
        dll = Image(f.read())
    with open(sys.argv[2], 'rb') as f:
        exe = Image(f.read())
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    lines = []
    for name, stage, status, img in defects(dll, exe):
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(img.b)
        lines.append('%s %s %08X\n' % (name, stage, status))
    with open(os.path.join(out, 'MANIFEST'), 'w') as f:
        f.writelines(lines)


if __name__ == '__main__':
    main()
