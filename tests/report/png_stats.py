#!/usr/bin/env python3
"""Prints statistics of a PNG image so that tests can prove a rendered chart is not blank.

Usage: png_stats.py FILE.png
Output (one line): width height non_background_pixels distinct_colors major_colors
  background     the most frequent pixel value (for a chart: its white ground)
  distinct       number of different pixel values (anti-aliasing adds many)
  major          colours covering at least 0.05% of the image (and 20 pixels): the ones a reader sees

Standard library only: decodes 8-bit greyscale, grey+alpha, RGB, RGBA and palette images, not interlaced,
as rsvg-convert writes them. Exits with status 2 and a message on anything else.
"""

import struct
import sys
import zlib
from collections import Counter

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def fail(message):
    print("png_stats: " + message, file=sys.stderr)
    sys.exit(2)


def read_chunks(data):
    if data[:8] != SIGNATURE:
        fail("not a PNG file (bad signature)")
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            fail("truncated chunk " + kind.decode("latin-1"))
        yield kind, body
        pos += 12 + length  # length, type, body, CRC
        if kind == b"IEND":
            return
    fail("no IEND chunk")


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, bpp):
    """Undoes the per-scanline filters (None, Sub, Up, Average, Paeth); returns the pixel bytes."""
    stride = width * bpp
    out = bytearray(stride * height)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if len(line) != stride:
            fail("image data too short")
        if kind == 0:
            pass
        elif kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((x + p) & 0xFF for x, p in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                if i >= bpp:
                    line[i] = (line[i] + paeth(line[i - bpp], prev[i], prev[i - bpp])) & 0xFF
                else:
                    line[i] = (line[i] + prev[i]) & 0xFF
        else:
            fail("unknown filter type %d in row %d" % (kind, y))
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return out


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    header = None
    palette = None
    idat = []
    for kind, body in read_chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
    if header is None:
        fail("no IHDR chunk")
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8:
        fail("bit depth %d is not supported (8 only)" % depth)
    if colour not in CHANNELS:
        fail("colour type %d is not supported" % colour)
    if interlace != 0:
        fail("interlaced images are not supported")
    if colour == 3 and palette is None:
        fail("palette image without PLTE chunk")
    bpp = CHANNELS[colour]
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        fail("corrupt image data: %s" % e)
    pixels = unfilter(raw, width, height, bpp)
    if colour == 3:
        pixels = bytes(b for i in pixels for b in palette[3 * i : 3 * i + 3])
        bpp = 3
    return width, height, bpp, pixels


def pixel_counts(pixels, bpp):
    if bpp == 4:
        # Whole RGBA pixels as 32-bit integers: fast, and every fully transparent pixel counts as one colour.
        view = memoryview(pixels).cast("I")
        counts = Counter(view)
        transparent = sum(n for v, n in counts.items() if (v.to_bytes(4, sys.byteorder)[3] == 0))
        counts = Counter({v: n for v, n in counts.items() if v.to_bytes(4, sys.byteorder)[3] != 0})
        if transparent:
            counts[-1] = transparent
        return counts
    return Counter(bytes(pixels[i : i + bpp]) for i in range(0, len(pixels), bpp))


def main(argv):
    if len(argv) != 2:
        fail("usage: png_stats.py FILE.png")
    width, height, bpp, pixels = decode(argv[1])
    counts = pixel_counts(pixels, bpp)
    total = width * height
    background = counts.most_common(1)[0][1] if counts else 0
    threshold = max(20, total // 2000)
    major = sum(1 for n in counts.values() if n >= threshold)
    print(width, height, total - background, len(counts), major)


if __name__ == "__main__":
    main(sys.argv)
