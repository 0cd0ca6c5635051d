#!/usr/bin/env python3
"""Marks one symbol-version need of an ELF shared library weak (VER_FLG_WEAK in .gnu.version_r).

TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 for a single symbol,
std::ios_base_library_init(), which nothing calls; Debian 12's libstdc++ stops at 3.4.30, so
ld.so refuses the library. A weak need is only reported (LD_DEBUG=versions), not fatal.

Usage: mark_version_need_weak.py LIBRARY VERSION
The file is rewritten through a temporary copy and a rename, so a hard link to a package cache
is never modified. Running it again is a no-op.
"""
import os
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def c_string(data, offset):
    return data[offset:data.index(b"\0", offset)].decode()


def find_vernaux_flags(data, version):
    """Offset of the vna_flags field of the Vernaux entry naming `version`, or None."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("not a 64-bit little-endian ELF file")
    (section_table,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    # Elf64_Shdr: name, type, flags, addr, offset, size, link, info, addralign, entsize
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, section_table + i * entry_size) for i in range(count)]
    for section in sections:
        if section[1] != SHT_GNU_VERNEED:
            continue
        strings = sections[section[6]][4]  # sh_link: the string table of the names
        need = section[4]
        for _ in range(section[7]):  # sh_info: how many Verneed entries
            _, aux_count, _, aux_offset, next_need = struct.unpack_from("<HHIII", data, need)
            aux = need + aux_offset
            for _ in range(aux_count):
                _, _, _, name, next_aux = struct.unpack_from("<IHHII", data, aux)
                if c_string(data, strings + name) == version:
                    return aux + 4
                aux += next_aux
            need += next_need
    return None


def main(path, version):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    flags_at = find_vernaux_flags(data, version)
    if flags_at is None:
        print(f"{path}: needs no {version}; left as is")
        return
    (flags,) = struct.unpack_from("<H", data, flags_at)
    if flags & VER_FLG_WEAK:
        print(f"{path}: {version} already weak")
        return
    struct.pack_into("<H", data, flags_at, flags | VER_FLG_WEAK)
    mode = os.stat(path).st_mode
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
    print(f"{path}: marked {version} weak")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
