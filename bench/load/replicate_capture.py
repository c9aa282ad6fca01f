#!/usr/bin/env python3
"""Makes a bigger trace.dat v6 from a smaller one, for the load benchmark.

usage: replicate_capture.py IN.dat OUT.dat TIMES

IN must be an uncompressed little-endian v6 file (`trace-cmd convert
--file-version 6 --compression none`).  Each CPU's ring-buffer pages are
written TIMES times (a fraction copies that share of the CPU's first pages);
every copy's page timestamps are shifted past the end of the previous copy,
so each CPU's time line stays monotonic and `trace-cmd report` reads the
result.  Events inside a page carry deltas, so only the 8-byte page header
timestamp changes.  The header (formats, kallsyms, cmdlines, options) is
kept; the flyrecord table gets the new offsets and sizes.
"""
import struct
import sys


def find_table(data):
    """Offset of the flyrecord CPU table and the CPU count."""
    tag = data.find(b"flyrecord\0")
    if tag < 0 or data[10:12] != b"6\0":
        sys.exit("%s: not an uncompressed trace.dat v6" % sys.argv[1])
    table = tag + 10
    # The CPU count precedes the "options  " / "flyrecord" sections: count
    # table entries until their offsets stop being plausible instead.
    cpus = 0
    while True:
        off, size = struct.unpack_from("<QQ", data, table + 16 * cpus)
        if off == 0 or off + size > len(data) or off % 4096:
            break
        cpus += 1
    return table, cpus


def main():
    src, dst, times = sys.argv[1], sys.argv[2], float(sys.argv[3])
    data = open(src, "rb").read()
    page = struct.unpack_from("<I", data, 14)[0]
    table, cpus = find_table(data)
    ranges = [struct.unpack_from("<QQ", data, table + 16 * c) for c in range(cpus)]
    stamps = [struct.unpack_from("<Q", data, off + p)[0]
              for off, size in ranges for p in range(0, size, page)]
    span = max(stamps) - min(stamps) + 1000000  # + 1 ms between copies
    head_end = min(off for off, _ in ranges)
    # Written as it goes (a 100 M-event copy is 4 GB: never held in memory).
    with open(dst, "wb") as out:
        out.write(data[:head_end])
        new_ranges = []
        for off, size in ranges:
            pages = size // page
            copies = int(times)
            extra = int(round((times - copies) * pages))
            start = out.tell()
            for k in range(copies + (1 if extra else 0)):
                count = pages if k < copies else extra
                chunk = bytearray(data[off:off + count * page])
                for p in range(0, len(chunk), page):
                    ts = struct.unpack_from("<Q", chunk, p)[0]
                    struct.pack_into("<Q", chunk, p, ts + k * span)
                out.write(chunk)
            new_ranges.append((start, out.tell() - start))
            out.write(b"\0" * (-out.tell() % page))
        for c, (off, size) in enumerate(new_ranges):
            out.seek(table + 16 * c)
            out.write(struct.pack("<QQ", off, size))


if __name__ == "__main__":
    main()
