#!/usr/bin/env python3
"""Generate the vision OCR fixtures: evalsets/vision-ocr/images/*.png and cases.jsonl.

Every image is rendered from text held in this file, so the ground truth is exactly
the text drawn: its lines joined with "\\n", no trailing newline. Receipt item and
total lines are drawn in columns, but their ground truth is the fields joined by
single spaces ("Milk 2 3.50"), so it does not depend on pixel spacing.

Groups (the first tag of each case): en, zh (Simplified Chinese), mixed
(Chinese + English + numbers) and receipt (receipts also carry en or zh).
Extra tags: paragraph (2-4 lines of running text), noise (light gaussian or
salt-and-pepper noise) and rotated (1-3 degrees, canvas expanded, background fill).

Output is deterministic: fixed seeds, Pillow's basic layout engine, no PNG metadata.
Running it twice gives byte-identical files with the same Pillow/zlib versions
(other versions may compress differently; the pixels stay the same).
suite.yaml is written by hand and left alone.

Requirements:
  Debian packages fonts-noto-cjk and fonts-dejavu-core
    (apt-get install -y fonts-noto-cjk fonts-dejavu-core)
  Python 3 with Pillow, e.g. in the project venv:
    .assay/venv/bin/pip install pillow

Run from the repository root:
  .assay/venv/bin/python scripts/make-ocr-fixtures.py             # writes evalsets/vision-ocr
  .assay/venv/bin/python scripts/make-ocr-fixtures.py --out DIR   # writes DIR/images, DIR/cases.jsonl
"""

import argparse
import json
import random
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

try:
    from PIL import Image, ImageDraw
except ImportError:
    sys.exit("make-ocr-fixtures: Pillow is missing; install it with: .assay/venv/bin/pip install pillow")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_drawing import DEJAVU_DIR, NOTO_CJK_DIR, Fonts, bicubic  # noqa: E402
from fixture_drawing import add_noise as drawn_noise  # noqa: E402
from fixture_drawing import check_glyphs as glyphs_checked  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "evalsets" / "vision-ocr"

MAX_WIDTH = 1000
BASE_SEED = 20260314

# ---------------------------------------------------------------------------
# Fonts (absolute Debian paths)
# ---------------------------------------------------------------------------

FONT_FILES = {
    # name: (path, Debian package, family name expected at the collection index or None)
    "sans": (f"{DEJAVU_DIR}/DejaVuSans.ttf", "fonts-dejavu-core", None),
    "sans-bold": (f"{DEJAVU_DIR}/DejaVuSans-Bold.ttf", "fonts-dejavu-core", None),
    "serif": (f"{DEJAVU_DIR}/DejaVuSerif.ttf", "fonts-dejavu-core", None),
    "mono": (f"{DEJAVU_DIR}/DejaVuSansMono.ttf", "fonts-dejavu-core", None),
    "mono-bold": (f"{DEJAVU_DIR}/DejaVuSansMono-Bold.ttf", "fonts-dejavu-core", None),
    "cjk": (f"{NOTO_CJK_DIR}/NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
    "cjk-bold": (f"{NOTO_CJK_DIR}/NotoSansCJK-Bold.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
}

_fonts = Fonts(FONT_FILES, "make-ocr-fixtures")


def load_font(name, size):
    return _fonts.load(name, size)


def check_glyphs(font, text, where):
    glyphs_checked(font, text, where, "make-ocr-fixtures")


# ---------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------
# Each spec: tags (group first), font, size, lines or receipt, optional bg/fg,
# noise ("gauss" | "sp"), rotate (degrees, positive = counter-clockwise).

TEXT_CASES = [
    # --- English --------------------------------------------------------------
    dict(tags=["en"], font="sans", size=34,
         lines=["The quick brown fox jumps over the lazy dog."]),
    dict(tags=["en"], font="sans", size=32,
         lines=["Invoice No: INV-2026-0042",
                "Date: 2026-03-14",
                "Due: April 30, 2026"]),
    dict(tags=["en", "noise"], font="sans", size=30, noise="gauss",
         lines=["Contact: support@assay-labs.example",
                "Phone: +1 (415) 555-0187"]),
    dict(tags=["en", "paragraph"], font="serif", size=28, bg=242,
         lines=["Please keep this receipt for your records.",
                "Returns are accepted within 30 days of",
                "purchase with the original packaging."]),
    dict(tags=["en", "rotated"], font="sans", size=30, rotate=2.0,
         lines=["JavaScript, iOS, eBay and LaTeX use",
                "MiXeD cAsE; keep it exact: aBc-DeF_123."]),
    dict(tags=["en"], font="mono", size=30,
         lines=["Order #A7F3-9K2Q",
                "Tracking: 1Z 999 AA1 01 2345 6784",
                "PIN: 0427"]),
    dict(tags=["en", "paragraph", "noise"], font="sans", size=26, noise="sp",
         lines=["Meeting moved to Thursday (3:30 p.m.).",
                "Bring: laptop, charger, and notes;",
                "questions? Email j.doe@example.org!",
                "\"Late\" arrivals - please sign in."]),
    dict(tags=["en"], font="sans-bold", size=36, bg=238,
         lines=["Total due: $1,234.56",
                "Discount: 12.5%",
                "Balance: -$87.09"]),
    dict(tags=["en", "paragraph", "rotated"], font="serif", size=30, rotate=-1.5,
         lines=["Temperature readings above 38.5 °C",
                "must be reported within 24 hours."]),
    dict(tags=["en"], font="sans-bold", size=40,
         lines=["WARNING: High Voltage",
                "Authorized Personnel Only",
                "Ref. EL-7/B, Rev. 3"]),
    dict(tags=["en", "noise"], font="mono", size=28, noise="gauss", bg=245,
         lines=["SKU: 00-4471-B Lot: 2026/03/A",
                "Exp. 09/2027 Batch #118"]),

    # --- Chinese (simplified) --------------------------------------------------
    dict(tags=["zh", "paragraph"], font="cjk", size=32,
         lines=["本产品采用食品级不锈钢材质，",
                "耐高温、易清洗，适合家庭日常使用。"]),
    dict(tags=["zh", "noise"], font="cjk", size=30, noise="sp",
         lines=["通知：因设备检修，本周六（3月14日）",
                "上午9:00至12:00暂停供水，请提前储水。"]),
    dict(tags=["zh"], font="cjk", size=32, bg=240,
         lines=["地址：北京市海淀区中关村大街27号",
                "邮编：100080"]),
    dict(tags=["zh", "rotated"], font="cjk-bold", size=34, rotate=-2.5,
         lines=["温馨提示：请勿在车厢内吸烟！",
                "如遇紧急情况，请按下红色按钮。"]),
    dict(tags=["zh"], font="cjk", size=36,
         lines=["他说：「明天见。」",
                "你准备好了吗？"]),
    dict(tags=["zh", "paragraph", "noise"], font="cjk", size=30, noise="gauss",
         lines=["春天来了，公园里的花都开了。",
                "孩子们在草地上放风筝；",
                "老人们坐在长椅上聊天、晒太阳。"]),
    dict(tags=["zh"], font="cjk", size=32,
         lines=["营业时间：周一至周五 8:30至17:30",
                "节假日休息，敬请谅解。"]),
    dict(tags=["zh", "paragraph"], font="cjk", size=30, bg=244,
         lines=["产品说明：",
                "本品为纯棉毛巾，柔软吸水，",
                "不掉毛，不褪色。洗涤温度≤40℃。"]),

    # --- Mixed Chinese + English + numbers -------------------------------------
    dict(tags=["mixed"], font="cjk", size=34,
         lines=["型号 XR-200，价格 ¥1,299.00",
                "颜色：黑色 / 银色"]),
    dict(tags=["mixed", "noise"], font="cjk", size=28, noise="sp",
         lines=["请于2026年4月1日前登录 www.example.cn",
                "输入验证码 7K9-QX2 完成注册。"]),
    dict(tags=["mixed", "rotated"], font="cjk", size=30, rotate=1.5,
         lines=["Type-C 数据线，长度 1.5m，支持 65W 快充",
                "材质：TPU + 尼龙编织，重量约 32g"]),
    dict(tags=["mixed"], font="cjk", size=30, bg=240,
         lines=["客服邮箱：service@shop-demo.com",
                "电话：400-820-1234（工作日 9:00-18:00）"]),
    dict(tags=["mixed"], font="cjk-bold", size=36,
         lines=["Wi-Fi 名称：Cafe_Guest_5G",
                "密码：Latte2026!"]),
    dict(tags=["mixed", "paragraph"], font="cjk", size=28,
         lines=["订单号 SO-20260314-0087 已发货，",
                "快递公司：SF Express，运单号 SF1234567890。",
                "预计3月16日送达，请保持电话畅通。"]),
    dict(tags=["mixed", "noise", "rotated"], font="cjk", size=30, noise="gauss", rotate=-2.0,
         lines=["会议室 B-302 已预订：",
                "3月20日 14:00-15:30，参会 8 人"]),
]

RECEIPT_CASES = [
    dict(tags=["receipt", "en"], font="mono", bold="mono-bold", size=26,
         header=["FRESH MART", "12 Harbor Road, Springfield"],
         meta=["2026-03-14 18:42", "Receipt #004217"],
         columns=("Item", "Qty", "Price"),
         items=[("Milk", 2, "3.50"), ("Bread", 1, "2.25"), ("Eggs", 12, "4.80"),
                ("Apples", 6, "3.90")],
         tax=("Tax 8%", "0.08"), total="Total",
         footer=["Thank you!"]),
    dict(tags=["receipt", "zh"], font="cjk", bold="cjk-bold", size=28,
         header=["好邻居便利店"],
         meta=["2026-03-15 09:12"],
         columns=None,
         items=[("牛奶", 2, "7.00"), ("面包", 1, "6.50"), ("鸡蛋", 10, "12.00"),
                ("苹果", 3, "10.00")],
         tax=None, total="合计",
         paid=("实收", "50.00", "找零"),
         footer=["谢谢惠顾，欢迎再次光临！"]),
    dict(tags=["receipt", "en", "noise"], font="sans", bold="sans-bold", size=26, noise="sp",
         header=["CORNER CAFE"],
         meta=["Date: 03/14/2026 Time: 08:05", "Table 7, Server: Ana"],
         columns=("Item", "Qty", "Amount"),
         items=[("Latte", 2, "9.00"), ("Croissant", 2, "6.50"), ("Orange Juice", 1, "4.25"),
                ("Bagel", 1, "3.75"), ("Extra Shot", 1, "0.80")],
         tax=("Tax 6.25%", "0.0625"), total="TOTAL",
         footer=["VISA **** 4821"]),
    dict(tags=["receipt", "zh", "rotated"], font="cjk", bold="cjk-bold", size=28, rotate=2.0,
         header=["鲜果坊水果店"],
         meta=["日期：2026-03-16 17:30", "收银员：02"],
         columns=("品名", "数量", "金额"),
         items=[("香蕉", 2, "8.60"), ("橙子", 5, "15.00"), ("葡萄", 1, "22.80")],
         tax=None, total="合计",
         footer=["支付方式：微信支付"]),
    dict(tags=["receipt", "en", "rotated"], font="mono", bold="mono-bold", size=24, rotate=-1.0,
         bg=243,
         header=["HARDWARE DEPOT", "Store 0318"],
         meta=["2026-03-17 11:26", "Cashier: M. Lopez"],
         columns=("Item", "Qty", "Price"),
         items=[("Wood Screws 4x40", 2, "7.98"), ("Hammer", 1, "14.99"),
                ("Tape Measure 5m", 1, "9.49"), ("Sandpaper P120", 3, "5.37"),
                ("Wall Plugs", 1, "2.19"), ("Glue 250ml", 1, "4.59")],
         tax=("Sales Tax 7%", "0.07"), total="Total",
         paid=("Cash", "60.00", "Change"),
         footer=[]),
    dict(tags=["receipt", "zh", "noise"], font="cjk", bold="cjk-bold", size=26, noise="gauss",
         header=["老街面馆"],
         meta=["桌号：5，人数：3", "2026-03-18 12:47"],
         columns=None,
         items=[("牛肉面", 2, "36.00"), ("炸酱面", 1, "16.00"), ("凉拌黄瓜", 1, "8.00"),
                ("可乐", 3, "9.00")],
         tax=None, total="合计",
         footer=["发票请扫码开具"]),
    dict(tags=["receipt", "en"], font="sans", bold="sans-bold", size=28, bg=240,
         header=["BookNook"],
         meta=["Mar 19, 2026 4:15 PM"],
         columns=None,
         items=[("Notebook A5", 3, "11.85"), ("Gel Pens (5)", 1, "6.40"),
                ("Paperback", 2, "25.98")],
         tax=("VAT 5%", "0.05"), total="Total",
         footer=["Returns within 14 days"]),
    dict(tags=["receipt", "zh"], font="cjk", bold="cjk-bold", size=26,
         header=["惠民超市（朝阳店）"],
         meta=["2026-03-20 19:03", "单号：HM20260320-118"],
         columns=("商品", "数量", "金额"),
         items=[("大米5kg", 1, "39.90"), ("食用油", 1, "59.80"), ("酱油", 2, "17.00"),
                ("卫生纸", 1, "25.50"), ("洗洁精", 1, "9.90")],
         tax=None, total="合计",
         paid=("实收", "160.00", "找零"),
         footer=[]),
]

# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

MARGIN = 36


def line_height(font, spacing=1.45):
    ascent, descent = font.getmetrics()
    return int(round((ascent + descent) * spacing))


def text_width(font, text):
    return int(round(font.getlength(text)))


def new_canvas(width, height, bg):
    return Image.new("L", (width, height), bg)


def render_text(spec, where):
    font = load_font(spec["font"], spec["size"])
    lines = spec["lines"]
    for line in lines:
        check_glyphs(font, line, where)
    lh = line_height(font)
    width = max(text_width(font, line) for line in lines) + 2 * MARGIN
    ascent, descent = font.getmetrics()
    height = lh * (len(lines) - 1) + ascent + descent + 2 * MARGIN
    img = new_canvas(width, height, spec.get("bg", 255))
    draw = ImageDraw.Draw(img)
    fg = spec.get("fg", 20)
    for i, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + i * lh), line, font=font, fill=fg)
    return img, "\n".join(lines)


def money(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def receipt_rows(spec):
    """Build the receipt as rows: ("center", text, bold) | ("rule",) |
    ("cols", [fields]) | ("pair", label, amount, bold)."""
    rows = []
    for i, line in enumerate(spec["header"]):
        rows.append(("center", line, i == 0))
    for line in spec["meta"]:
        rows.append(("left", line, False))
    rows.append(("rule",))
    if spec.get("columns"):
        rows.append(("cols", list(spec["columns"])))
    subtotal = Decimal("0")
    for name, qty, price in spec["items"]:
        subtotal += Decimal(price)
        rows.append(("cols", [name, str(qty), price]))
    rows.append(("rule",))
    total = subtotal
    if spec.get("tax"):
        label, rate = spec["tax"]
        tax = money(subtotal * Decimal(rate))
        total = subtotal + tax
        rows.append(("pair", "Subtotal", str(money(subtotal)), False))
        rows.append(("pair", label, str(tax), False))
    rows.append(("pair", spec["total"], str(money(total)), True))
    if spec.get("paid"):
        paid_label, paid, change_label = spec["paid"]
        rows.append(("pair", paid_label, paid, False))
        rows.append(("pair", change_label, str(money(Decimal(paid) - total)), False))
    if spec.get("footer"):
        rows.append(("rule",))
        for line in spec["footer"]:
            rows.append(("center", line, False))
    return rows


def render_receipt(spec, where):
    font = load_font(spec["font"], spec["size"])
    bold = load_font(spec["bold"], spec["size"])
    rows = receipt_rows(spec)
    truth = []
    for row in rows:
        if row[0] in ("center", "left"):
            truth.append(row[1])
        elif row[0] == "cols":
            truth.append(" ".join(row[1]))
        elif row[0] == "pair":
            truth.append(f"{row[1]} {row[2]}")
    for line in truth:
        check_glyphs(font, line, where)
        check_glyphs(bold, line, where)

    gap = text_width(font, "  ")
    cols = [r[1] for r in rows if r[0] == "cols"]
    name_w = max(text_width(font, c[0]) for c in cols)
    qty_w = max(text_width(font, c[1]) for c in cols)
    price_w = max(text_width(font, c[2]) for c in cols)
    pair_w = max(text_width(bold, r[1]) + gap + text_width(bold, r[2])
                 for r in rows if r[0] == "pair")
    text_w = max([text_width(bold if r[2] else font, r[1])
                  for r in rows if r[0] in ("center", "left")])
    inner = max(name_w + 2 * gap + qty_w + 2 * gap + price_w, pair_w, text_w)
    width = inner + 2 * MARGIN
    qty_right = MARGIN + name_w + 2 * gap + qty_w
    right = MARGIN + inner

    lh = line_height(font, 1.35)
    rule_h = lh // 2
    ascent, descent = font.getmetrics()
    height = 2 * MARGIN
    for row in rows:
        height += rule_h if row[0] == "rule" else lh
    height += ascent + descent - lh
    img = new_canvas(width, height, spec.get("bg", 255))
    draw = ImageDraw.Draw(img)
    fg = spec.get("fg", 25)
    y = MARGIN
    for row in rows:
        kind = row[0]
        if kind == "rule":
            mid = y + rule_h // 2 - ascent // 4
            x = MARGIN
            while x < right:  # dashed separator, drawn as graphics (not text)
                draw.line([(x, mid), (min(x + 10, right), mid)], fill=fg + 60, width=2)
                x += 16
            y += rule_h
            continue
        if kind == "center":
            f = bold if row[2] else font
            draw.text((MARGIN + inner // 2, y), row[1], font=f, fill=fg, anchor="ma")
        elif kind == "left":
            draw.text((MARGIN, y), row[1], font=font, fill=fg)
        elif kind == "cols":
            name, qty, price = row[1]
            draw.text((MARGIN, y), name, font=font, fill=fg)
            draw.text((qty_right, y), qty, font=font, fill=fg, anchor="ra")
            draw.text((right, y), price, font=font, fill=fg, anchor="ra")
        elif kind == "pair":
            f = bold if row[3] else font
            draw.text((MARGIN, y), row[1], font=f, fill=fg)
            draw.text((right, y), row[2], font=f, fill=fg, anchor="ra")
        y += lh
    return img, "\n".join(truth)


def add_noise(img, kind, rng):
    """Gaussian noise (sigma 9) on a random 35% of pixels, or specks on 0.6% of them."""
    return drawn_noise(img, kind, rng, gauss_share=0.35, sigma=9.0, pepper=0.004, salt=0.002)


def build(spec, where, seed):
    if "items" in spec:
        img, truth = render_receipt(spec, where)
    else:
        img, truth = render_text(spec, where)
    bg = spec.get("bg", 255)
    if spec.get("rotate"):
        img = img.rotate(spec["rotate"], resample=bicubic(), expand=True, fillcolor=bg)
    if spec.get("noise"):
        img = add_noise(img, spec["noise"], random.Random(seed))
    if img.width > MAX_WIDTH:
        sys.exit(f"make-ocr-fixtures: {where} is {img.width} px wide (max {MAX_WIDTH}); "
                 "shorten its lines or use a smaller font")
    return img, truth


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

ALLOWED_TAGS = {"en", "zh", "mixed", "receipt", "noise", "rotated", "paragraph"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output directory (default: {DEFAULT_OUT.relative_to(REPO_ROOT)} "
                             "under the repository root)")
    args = parser.parse_args(argv)
    out = args.out
    for name in FONT_FILES:  # fail on a missing font before writing anything
        load_font(name, 24)
    images_dir = out / "images"
    images_dir.mkdir(parents=True, exist_ok=True)

    specs = TEXT_CASES + RECEIPT_CASES
    cases = []
    written = set()
    total_bytes = 0
    for number, spec in enumerate(specs, start=1):
        case_id = f"ocr-{number:03d}"
        tags = list(spec["tags"])
        unknown = set(tags) - ALLOWED_TAGS
        if unknown:
            sys.exit(f"make-ocr-fixtures: {case_id}: unknown tags {sorted(unknown)}")
        if ("noise" in tags) != bool(spec.get("noise")) or \
                ("rotated" in tags) != bool(spec.get("rotate")):
            sys.exit(f"make-ocr-fixtures: {case_id}: noise/rotated tags do not match the spec")
        img, truth = build(spec, case_id, BASE_SEED + number)
        for line in truth.split("\n"):
            if not line or line != line.strip() or "  " in line:
                sys.exit(f"make-ocr-fixtures: {case_id}: ground-truth line {line!r} is empty, "
                         "padded or has a double space")
        rel = f"images/{case_id}.png"
        path = out / rel
        img.save(path, format="PNG", optimize=True)
        size = path.stat().st_size
        total_bytes += size
        written.add(path.name)
        cases.append({"id": case_id, "input": {"image": rel}, "expected": {"text": truth},
                      "tags": tags})
        print(f"wrote {path} ({img.width}x{img.height}, {size / 1024:.1f} KB) [{', '.join(tags)}]")

    # Remove images left over from an earlier, larger set.
    for stale in sorted(images_dir.glob("ocr-*.png")):
        if re.fullmatch(r"ocr-\d+\.png", stale.name) and stale.name not in written:
            stale.unlink()
            print(f"removed stale {stale}")

    cases_path = out / "cases.jsonl"
    with open(cases_path, "w", encoding="utf-8", newline="\n") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"wrote {cases_path} ({len(cases)} cases)")

    groups = {}
    for case in cases:
        groups[case["tags"][0]] = groups.get(case["tags"][0], 0) + 1
    summary = ", ".join(f"{g} {n}" for g, n in groups.items())
    print(f"{len(cases)} images, {total_bytes / 1024:.0f} KB in {images_dir} ({summary})")
    if not (out / "suite.yaml").exists():
        print(f"note: {out / 'suite.yaml'} does not exist; it is written by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
