"""What the fixture generators share: Debian's fonts, checked; a glyph check; seeded noise.

Imported by scripts/make-ocr-fixtures.py and scripts/make-receipt-fixtures.py (each puts
this directory on sys.path). Pillow's basic layout engine and pure-Python noise keep the
output the same on every machine with the same Pillow and zlib.
"""

import os
import sys

from PIL import Image, ImageFont

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu"
NOTO_CJK_DIR = "/usr/share/fonts/opentype/noto"

# Noto CJK collections: index 2 is Simplified Chinese (JP, KR, SC, TC, HK, Mono JP, ...).
CJK_SC_INDEX = 2

_NOTDEF_PROBE = "\U0010FFFD"  # a private-use code point no font here maps


def layout_basic():
    layout = getattr(ImageFont, "Layout", None)
    return layout.BASIC if layout is not None else ImageFont.LAYOUT_BASIC


def bicubic():
    resampling = getattr(Image, "Resampling", None)
    return resampling.BICUBIC if resampling is not None else Image.BICUBIC


class Fonts:
    """Fonts by name from `files` (name: (path, Debian package, family expected at the
    collection index, or None)), loaded once each and checked; `prog` names the script in
    its errors."""

    def __init__(self, files, prog):
        self.files = files
        self.prog = prog
        self.cache = {}

    def load(self, name, size):
        key = (name, size)
        if key in self.cache:
            return self.cache[key]
        path, package, family = self.files[name]
        if not os.path.isfile(path):
            sys.exit(f"{self.prog}: font {path} is missing; install the Debian package "
                     f"{package} (apt-get install -y {package})")
        index = CJK_SC_INDEX if family else 0
        font = ImageFont.truetype(path, size, index=index, layout_engine=layout_basic())
        if family and font.getname()[0] != family:
            sys.exit(f"{self.prog}: {path} index {index} is {font.getname()[0]!r}, "
                     f"expected {family!r}; reinstall the Debian package {package}")
        self.cache[key] = font
        return font


def check_glyphs(font, text, where, prog):
    """Fail if a character would render as the font's missing-glyph box."""
    notdef = font.getmask(_NOTDEF_PROBE)
    notdef_key = (notdef.size, bytes(notdef))
    for ch in sorted(set(text)):
        if ch.isspace():
            continue
        mask = font.getmask(ch)
        if (mask.size, bytes(mask)) == notdef_key:
            sys.exit(f"{prog}: {where}: font {font.getname()} has no glyph for "
                     f"{ch!r} (U+{ord(ch):04X})")


def add_noise(img, kind, rng, gauss_share, sigma, pepper, salt):
    """Light noise, seeded, in pure Python: gaussian (`sigma`) on a random `gauss_share` of
    pixels, or salt-and-pepper: dark specks on `pepper` of them, white on `salt` more."""
    data = bytearray(img.tobytes())
    n = len(data)
    if kind == "gauss":
        for i in range(n):
            if rng.random() < gauss_share:
                v = data[i] + int(round(rng.gauss(0.0, sigma)))
                data[i] = 0 if v < 0 else 255 if v > 255 else v
    elif kind == "sp":
        for i in range(n):
            r = rng.random()
            if r < pepper:
                data[i] = rng.randint(40, 110)
            elif r < pepper + salt:
                data[i] = 255
    else:
        raise ValueError(f"unknown noise kind {kind!r}")
    return Image.frombytes("L", img.size, bytes(data))
