#!/usr/bin/env python3
"""Generate the receipt field-extraction fixtures: evalsets/receipt-fields/images/*.png and cases.jsonl.

Every receipt is rendered from data held in this file, and its expected fields are computed
from the same data, so the answer is exactly what is printed:

  merchant  the shop name as printed (for a fapiao: the seller's name, 销售方 名称)
  date      ISO YYYY-MM-DD, whatever the printed writing (2026/03/14, 14 Mar 2026,
            March 14, 2026, 03/14/2026, 2026年3月14日, 2026年03月14日, ...)
  currency  "USD" or "CNY"
  total     the grand total as printed (a fapiao's 价税合计), two decimals, no sign or separator
  items     in printed order: the name as printed and the line's amount (not its unit price)

Totals are consistent: total = sum of the item amounts, plus tax where a tax line is printed
(a fapiao's tax is its 税额 column, rounded per line).

Kinds: English shop receipts (USD), Chinese shop receipts (CNY written ¥, 元 or RMB) and
fapiao-style Chinese VAT invoices (增值税发票: 发票号码, 开票日期, buyer and seller blocks, an
item table with 金额/税率/税额, 价税合计 in 大写 and 小写).
Tags: en or zh first; then fapiao, long (12 or more items), noise (light gaussian or
salt-and-pepper) and rotated (1-3 degrees, canvas expanded, background fill).

Output is deterministic: fixed seeds, Pillow's basic layout engine, no PNG metadata.
Running it twice gives byte-identical files with the same Pillow/zlib versions.
suite.yaml is written by hand and left alone.

Requirements:
  Debian packages fonts-noto-cjk and fonts-dejavu-core
    (apt-get install -y fonts-noto-cjk fonts-dejavu-core)
  Python 3 with Pillow, e.g. in the project venv:
    .assay/venv/bin/pip install pillow

Run from the repository root:
  .assay/venv/bin/python scripts/make-receipt-fixtures.py             # writes evalsets/receipt-fields
  .assay/venv/bin/python scripts/make-receipt-fixtures.py --out DIR   # writes DIR/images, DIR/cases.jsonl
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
    sys.exit("make-receipt-fixtures: Pillow is missing; install it with: .assay/venv/bin/pip install pillow")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_drawing import DEJAVU_DIR, NOTO_CJK_DIR, Fonts, bicubic  # noqa: E402
from fixture_drawing import add_noise as drawn_noise  # noqa: E402
from fixture_drawing import check_glyphs as glyphs_checked  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "evalsets" / "receipt-fields"

MAX_WIDTH = 1000
BASE_SEED = 20260314
PROG = "make-receipt-fixtures"

# ---------------------------------------------------------------------------
# Fonts (absolute Debian paths)
# ---------------------------------------------------------------------------

FONT_FILES = {
    # name: (path, Debian package, family name expected at the collection index or None)
    "sans": (f"{DEJAVU_DIR}/DejaVuSans.ttf", "fonts-dejavu-core", None),
    "sans-bold": (f"{DEJAVU_DIR}/DejaVuSans-Bold.ttf", "fonts-dejavu-core", None),
    "cond": (f"{DEJAVU_DIR}/DejaVuSansCondensed.ttf", "fonts-dejavu-core", None),
    "cond-bold": (f"{DEJAVU_DIR}/DejaVuSansCondensed-Bold.ttf", "fonts-dejavu-core", None),
    "serif": (f"{DEJAVU_DIR}/DejaVuSerif.ttf", "fonts-dejavu-core", None),
    "serif-bold": (f"{DEJAVU_DIR}/DejaVuSerif-Bold.ttf", "fonts-dejavu-core", None),
    "mono": (f"{DEJAVU_DIR}/DejaVuSansMono.ttf", "fonts-dejavu-core", None),
    "mono-bold": (f"{DEJAVU_DIR}/DejaVuSansMono-Bold.ttf", "fonts-dejavu-core", None),
    "cjk": (f"{NOTO_CJK_DIR}/NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
    "cjk-bold": (f"{NOTO_CJK_DIR}/NotoSansCJK-Bold.ttc", "fonts-noto-cjk", "Noto Sans CJK SC"),
    "cjk-serif": (f"{NOTO_CJK_DIR}/NotoSerifCJK-Regular.ttc", "fonts-noto-cjk", "Noto Serif CJK SC"),
    "cjk-serif-bold": (f"{NOTO_CJK_DIR}/NotoSerifCJK-Bold.ttc", "fonts-noto-cjk", "Noto Serif CJK SC"),
}

_fonts = Fonts(FONT_FILES, PROG)


def load_font(name, size):
    return _fonts.load(name, size)


def check_glyphs(font, text, where):
    glyphs_checked(font, text, where, PROG)


# ---------------------------------------------------------------------------
# Money, dates, 大写
# ---------------------------------------------------------------------------

CENT = Decimal("0.01")


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value):
    """The expected form: two decimals, no sign, no separator."""
    return f"{money(value):.2f}"


def grouped(value):
    """Thousands separators: 1,234.50."""
    return f"{money(value):,.2f}"


def written(value, style):
    """A total as printed in a currency style."""
    text = grouped(value)
    return {
        "usd": f"${text}",
        "yen": f"¥{text}",
        "yuan": f"{text}元",
        "rmb": f"RMB {text}",
        "plain": text,
    }[style]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def date_text(date, style):
    y, m, d = date
    if style == "us" and d <= 12:
        raise ValueError(f"{date}: 03/04-style dates must have a day above 12 to be unambiguous")
    return {
        "iso": f"{y:04d}-{m:02d}-{d:02d}",
        "slash": f"{y:04d}/{m:02d}/{d:02d}",
        "dmy": f"{d} {MONTHS[m - 1][:3]} {y}",
        "long": f"{MONTHS[m - 1]} {d}, {y}",
        "us": f"{m:02d}/{d:02d}/{y:04d}",
        "zh": f"{y}年{m}月{d}日",
        "zh0": f"{y}年{m:02d}月{d:02d}日",
    }[style]


def iso(date):
    return date_text(date, "iso")


CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ["仟", "佰", "拾", ""]
CAPITAL_GROUPS = ["", "万", "亿"]


def capital_group(n):
    """0 < n < 10000 in capital numerals, inner zeros read as one 零."""
    out, zero, started = "", False, False
    for digit, unit in zip(f"{n:04d}", CAPITAL_UNITS):
        d = int(digit)
        if d == 0:
            zero = zero or started
            continue
        if zero:
            out += "零"
            zero = False
        out += CAPITAL_DIGITS[d] + unit
        started = True
    return out


def capital_integer(n):
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, pending = "", False
    for index in reversed(range(len(groups))):
        g = groups[index]
        if g == 0:
            pending = bool(out)
            continue
        if out and (pending or g < 1000):
            out += "零"
        pending = False
        out += capital_group(g) + CAPITAL_GROUPS[index]
    return out


def capital(value):
    """价税合计（大写）: 1130.00 -> 壹仟壹佰叁拾元整, 1005.20 -> 壹仟零伍元贰角整."""
    cents = int(money(value) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = capital_integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (out or "零元") + "整"
    if jiao:
        out += CAPITAL_DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    return out + (CAPITAL_DIGITS[fen] + "分" if fen else "整")


def check_capital():
    samples = {"1130.00": "壹仟壹佰叁拾元整", "1005.20": "壹仟零伍元贰角整",
               "10010.00": "壹万零壹拾元整", "28000.00": "贰万捌仟元整",
               "100000.05": "壹拾万元零伍分", "128.56": "壹佰贰拾捌元伍角陆分",
               "30560.00": "叁万零伍佰陆拾元整", "0.50": "伍角整"}
    for value, want in samples.items():
        got = capital(Decimal(value))
        if got != want:
            sys.exit(f"{PROG}: capital({value}) = {got}, expected {want}")


# ---------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------
# Shop receipt spec: lang, font, bold, size, header (merchant = header[merchant_at], default 0),
# meta (lines; "{date}" is replaced by the date in date_style), columns (header cells or None),
# layout ("na": name amount | "nqa": name qty amount | "nqua": name qty unit amount),
# items [(name, qty, unit price)], item_style (currency style of item amounts, default plain),
# tax (label, rate) or None, subtotal label, total (label, currency style), paid (label,
# amount, change label) or None, footer, and optional bg, noise ("gauss" | "sp"), rotate.

EN_RECEIPTS = [
    dict(font="mono", bold="mono-bold", size=24, date=(2026, 3, 14), date_style="iso",
         header=["FRESH MART", "12 Harbor Road, Springfield"],
         meta=["{date} 18:42", "Receipt #004217"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Milk 1gal", 2, "3.49"), ("Bread", 1, "2.25"), ("Eggs Large 12ct", 1, "4.80"),
                ("Apples", 6, "0.65"), ("Cheddar 8oz", 1, "5.29")],
         tax=("Tax 8%", "0.08"), total=("Total", "usd"),
         footer=["Thank you!"]),
    dict(font="sans", bold="sans-bold", size=24, date=(2026, 3, 14), date_style="long",
         header=["Corner Cafe", "401 Main St"],
         meta=["{date} 8:05 AM", "Table 7  Server: Ana"],
         columns=None, layout="na",
         items=[("Latte", 2, "4.50"), ("Croissant", 2, "3.25"), ("Orange Juice", 1, "4.25"),
                ("Bagel w/ Cream Cheese", 1, "3.75")],
         tax=("Tax 6.25%", "0.0625"), total=("TOTAL", "usd"),
         footer=["VISA **** 4821"], noise="sp"),
    dict(font="mono", bold="mono-bold", size=22, date=(2026, 3, 17), date_style="us",
         header=["HARDWARE DEPOT", "Store 0318"],
         meta=["Date: {date} 11:26", "Cashier: M. Lopez"],
         columns=("Item", "Qty", "Each", "Amount"), layout="nqua",
         items=[("Wood Screws 4x40", 2, "3.99"), ("Hammer 16oz", 1, "14.99"),
                ("Tape Measure 5m", 1, "9.49"), ("Sandpaper P120", 3, "1.79"),
                ("Wall Plugs", 4, "0.55"), ("Wood Glue 250ml", 1, "4.59"),
                ("Paint Brush 2in", 2, "3.25")],
         tax=("Sales Tax 7%", "0.07"), total=("Total", "usd"),
         paid=("Cash", "80.00", "Change")),
    dict(font="serif", bold="serif-bold", size=24, date=(2026, 3, 19), date_style="dmy",
         header=["BookNook"],
         meta=["{date} 4:15 PM"],
         columns=None, layout="na",
         items=[("The Silent River", 1, "16.99"), ("Notebook A5 (3)", 1, "11.85"),
                ("Gel Pens (5)", 1, "6.40")],
         tax=None, total=("Amount Due", "usd"),
         footer=["Returns within 14 days"], rotate=1.5),
    dict(font="sans", bold="sans-bold", size=22, date=(2026, 3, 21), date_style="slash",
         header=["Bright Electronics", "Westfield Mall, Unit 214"],
         meta=["{date} 15:02", "Invoice 88-20417"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Laptop 14in 16GB", 1, "1299.00"), ("27in Monitor", 2, "349.99"),
                ("USB-C Dock", 1, "189.50"), ("HDMI Cable 2m", 2, "12.99")],
         tax=("Sales Tax 8.875%", "0.08875"), total=("Total", "usd"),
         footer=["Extended warranty: see reverse"]),
    dict(font="mono", bold="mono-bold", size=22, date=(2026, 3, 23), date_style="iso",
         header=["GREEN LEAF MARKET", "77 Orchard Ave"],
         meta=["{date} 19:48", "Lane 4  Op 112"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Bananas", 1, "1.89"), ("Spinach", 2, "2.99"), ("Tomatoes", 1, "3.47"),
                ("Chicken Breast", 1, "9.82"), ("Brown Rice 2lb", 1, "3.29"),
                ("Greek Yogurt", 4, "1.25"), ("Almond Milk", 2, "3.79"), ("Oats 42oz", 1, "5.49"),
                ("Peanut Butter", 1, "4.19"), ("Honey 12oz", 1, "6.99"), ("Avocados", 3, "1.50"),
                ("Salmon Fillet", 1, "12.74"), ("Pasta 1lb", 3, "1.39"), ("Olive Oil", 1, "8.99"),
                ("Coffee Beans", 1, "11.49"), ("Dark Chocolate", 2, "2.79")],
         tax=None, total=("TOTAL", "usd"),
         footer=["You saved $0.00 today"]),
    dict(font="sans", bold="sans-bold", size=24, date=(2026, 3, 22), date_style="long",
         header=["*** WELCOME ***", "Luigi's Pizzeria", "88 Elm St, Brookfield"], merchant_at=1,
         meta=["{date} 7:31 PM", "Order #5532"],
         columns=None, layout="na",
         items=[("Large Margherita", 1, "18.50"), ("Garlic Knots", 1, "6.75"),
                ("Caesar Salad", 1, "9.25"), ("Soda", 3, "2.50")],
         tax=("Tax 6.35%", "0.0635"), total=("Total", "usd"),
         footer=["Grazie!"], rotate=-2.0),
    dict(font="cond", bold="cond-bold", size=22, date=(2026, 3, 24), date_style="us",
         header=["PaperWorks Supply Co.", "5 Commerce Park"],
         meta=["{date}  10:12", "Acct: WALK-IN"],
         columns=("Item", "Qty", "Unit", "Amount"), layout="nqua",
         items=[("Copy Paper 500sh", 5, "6.49"), ("Stapler", 1, "12.99"), ("Staples 5000", 2, "3.49"),
                ("Binder 2in", 4, "5.25"), ("Sticky Notes 12pk", 1, "9.99"), ("Ballpoint Pens 24", 1, "7.79"),
                ("Highlighters 6", 2, "4.49"), ("File Folders 100", 1, "14.29"), ("Tape Dispenser", 1, "6.89"),
                ("Scissors 8in", 2, "5.99"), ("Whiteboard Markers", 1, "8.49"), ("Envelopes #10", 1, "11.99"),
                ("Label Maker Tape", 2, "13.49")],
         tax=("Tax 7.25%", "0.0725"), total=("TOTAL", "usd"),
         footer=["Questions? 555-0142"], noise="gauss"),
    dict(font="sans", bold="sans-bold", size=24, date=(2026, 3, 25), date_style="dmy",
         header=["CityCare Pharmacy"],
         meta=["{date} 13:20", "Rx counter 2"],
         columns=None, layout="na",
         items=[("Vitamin D3 1000IU", 1, "8.99"), ("Allergy Relief 24ct", 1, "15.49"),
                ("Bandages 30ct", 2, "4.29"), ("Hand Sanitizer", 1, "3.99")],
         tax=("Tax 5%", "0.05"), total=("Balance Due", "usd"),
         footer=["Feel better soon"]),
    dict(font="serif", bold="serif-bold", size=22, date=(2026, 3, 28), date_style="iso",
         header=["Oak & Pine Furniture", "2100 Lakeshore Blvd"],
         meta=["Date: {date}", "Sales: R. Chen"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Oak Dining Table", 1, "2450.00"), ("Dining Chair", 4, "189.00"),
                ("Bookcase 5-Shelf", 1, "1125.50")],
         tax=("Sales Tax 6%", "0.06"), total=("Total", "usd"),
         footer=["Delivery in 2-3 weeks"], rotate=1.0, noise="sp"),
    dict(font="mono", bold="mono-bold", size=24, date=(2026, 4, 14), date_style="us",
         header=["QUICKFUEL #2281"],
         meta=["{date} 06:58", "Pump 6"],
         columns=None, layout="na",
         items=[("Unleaded 12.345 gal", 1, "43.21"), ("Coffee 16oz", 1, "2.19"),
                ("Granola Bar", 2, "1.49")],
         tax=None, total=("TOTAL", "usd"),
         footer=["Drive safely"]),
    dict(font="cond", bold="cond-bold", size=22, date=(2026, 4, 11), date_style="long",
         header=["The Blue Door Bistro", "19 Market Square"],
         meta=["{date}  8:47 PM", "Table 12  Guests 6"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Bruschetta", 2, "9.50"), ("Calamari", 1, "13.75"), ("House Salad", 2, "8.25"),
                ("Ribeye Steak", 2, "34.00"), ("Salmon", 1, "27.50"), ("Mushroom Risotto", 1, "22.00"),
                ("Fries", 2, "5.50"), ("Red Wine Glass", 3, "12.00"), ("Sparkling Water", 2, "4.00"),
                ("Tiramisu", 2, "9.00"), ("Creme Brulee", 1, "8.50"), ("Espresso", 3, "3.50")],
         tax=("Tax 8.5%", "0.085"), total=("Total", "usd"),
         footer=["Gratuity not included"]),
    dict(font="sans", bold="sans-bold", size=20, date=(2026, 4, 18), date_style="slash",
         header=["Summit Outfitters", "Trailhead Plaza"],
         meta=["{date} 12:05", "Reg 03  Trans 7741"],
         columns=("Item", "Qty", "Amount"), layout="nqa",
         items=[("Hiking Boots", 1, "139.95"), ("Wool Socks", 3, "14.00"), ("Rain Jacket", 1, "119.00"),
                ("Fleece Pullover", 1, "64.50"), ("Daypack 24L", 1, "79.99"), ("Water Bottle", 2, "18.95"),
                ("Headlamp", 1, "34.95"), ("Trekking Poles", 1, "89.00"), ("First Aid Kit", 1, "24.99"),
                ("Sunscreen SPF50", 2, "9.49"), ("Trail Mix", 4, "3.99"), ("Map Set", 1, "12.00"),
                ("Compass", 1, "21.50"), ("Bug Spray", 1, "7.99"), ("Beanie", 1, "19.00"),
                ("Gloves", 1, "29.95"), ("Camp Mug", 2, "11.50"), ("Sleeping Pad", 1, "74.00"),
                ("Stuff Sack", 2, "8.75"), ("Carabiner", 3, "4.25")],
         tax=("Tax 5.5%", "0.055"), total=("TOTAL", "usd"),
         footer=["Members earn 10% back"], noise="gauss", rotate=-1.5),
]

ZH_RECEIPTS = [
    dict(font="cjk", bold="cjk-bold", size=26, date=(2026, 3, 14), date_style="zh",
         header=["好邻居便利店", "朝阳路店"],
         meta=["日期：{date} 18:42", "单号：HL0314-0087"],
         columns=("品名", "数量", "金额"), layout="nqa",
         items=[("牛奶", 2, "3.50"), ("面包", 1, "6.50"), ("鸡蛋", 1, "12.00"),
                ("苹果", 3, "3.20"), ("矿泉水", 4, "2.00")],
         tax=None, total=("合计", "yen"), paid=("实收", "50.00", "找零"),
         footer=["谢谢惠顾，欢迎再次光临！"]),
    dict(font="cjk", bold="cjk-bold", size=26, date=(2026, 3, 16), date_style="iso",
         header=["鲜果坊水果店"],
         meta=["{date} 17:30", "收银员：02"],
         columns=("品名", "数量", "金额"), layout="nqa",
         items=[("香蕉", 2, "4.30"), ("橙子", 5, "3.00"), ("葡萄", 1, "22.80")],
         tax=None, total=("合计", "yuan"),
         footer=["支付方式：微信支付"], rotate=2.0),
    dict(font="cjk", bold="cjk-bold", size=24, date=(2026, 3, 18), date_style="slash",
         header=["老街面馆"],
         meta=["桌号：5  人数：3", "{date} 12:47"],
         columns=None, layout="nqa",
         items=[("牛肉面", 2, "18.00"), ("炸酱面", 1, "16.00"), ("凉拌黄瓜", 1, "8.00"),
                ("可乐", 3, "3.00")],
         tax=None, total=("合计", "rmb"),
         footer=["发票请扫码开具"], noise="gauss"),
    dict(font="cjk", bold="cjk-bold", size=22, date=(2026, 3, 20), date_style="zh",
         header=["惠民超市（朝阳店）"],
         meta=["{date} 19:03", "单号：HM20260320-118"],
         columns=("商品", "数量", "单价", "金额"), layout="nqua",
         items=[("大米5kg", 1, "39.90"), ("食用油", 1, "59.80"), ("酱油", 2, "8.50"),
                ("卫生纸", 1, "25.50"), ("洗洁精", 1, "9.90"), ("鸡蛋30枚", 1, "21.00"),
                ("挂面", 3, "4.60"), ("白砂糖", 1, "7.20"), ("食盐", 2, "2.50"),
                ("牙膏", 2, "12.80"), ("洗衣液", 1, "32.90"), ("纸巾", 4, "3.90"),
                ("酸奶", 6, "4.50"), ("火腿肠", 2, "9.90"), ("西红柿", 1, "6.34")],
         tax=None, total=("合计", "yen"), paid=("实收", "400.00", "找零"),
         footer=["会员积分：330"]),
    dict(font="cjk-serif", bold="cjk-serif-bold", size=26, date=(2026, 3, 21), date_style="iso",
         header=["书香书店"],
         meta=["销售日期：{date}", "流水号：000931"],
         columns=None, layout="nqa",
         items=[("《三体》全集", 1, "168.00"), ("《活着》", 1, "39.50"),
                ("英汉词典", 1, "86.00"), ("书签套装", 2, "12.00")],
         tax=None, total=("应付金额", "yuan"),
         footer=["读书使人进步"]),
    dict(font="cjk", bold="cjk-bold", size=24, date=(2026, 3, 22), date_style="zh",
         header=["数码港电子商城"],
         meta=["开单日期：{date}", "导购：李明"],
         columns=("商品", "数量", "金额"), layout="nqa",
         items=[("笔记本电脑", 1, "5999.00"), ("显示器27寸", 1, "1299.00"),
                ("无线鼠标", 2, "89.00"), ("机械键盘", 1, "459.00")],
         tax=None, total=("总计", "yen"),
         footer=["整机保修一年"]),
    dict(font="cjk", bold="cjk-bold", size=26, date=(2026, 3, 23), date_style="slash",
         header=["星辰咖啡"],
         meta=["{date} 09:15", "取餐号：A036"],
         columns=None, layout="na",
         items=[("拿铁（大杯）", 1, "32.00"), ("美式咖啡", 1, "26.00"), ("蓝莓松饼", 2, "18.00")],
         tax=None, total=("合计", "rmb"),
         footer=["WiFi：Star_Guest"], rotate=-1.5),
    dict(font="cjk", bold="cjk-bold", size=20, date=(2026, 3, 27), date_style="slash",
         header=["万家生鲜超市"],
         meta=["{date} 18:20", "收银台：07"],
         columns=("品名", "数量", "金额"), layout="nqa",
         items=[("五花肉", 1, "32.60"), ("排骨", 1, "45.80"), ("鸡翅", 1, "28.90"),
                ("草鱼", 1, "26.40"), ("虾仁", 1, "39.90"), ("青菜", 2, "3.50"),
                ("土豆", 1, "5.20"), ("胡萝卜", 1, "3.80"), ("洋葱", 1, "4.10"),
                ("大蒜", 1, "6.00"), ("生姜", 1, "4.50"), ("香菇", 1, "9.60"),
                ("豆腐", 2, "3.00"), ("黄瓜", 1, "4.40"), ("西兰花", 1, "7.90"),
                ("鸡蛋", 1, "13.50"), ("牛奶", 2, "6.80"), ("面条", 1, "5.50")],
         tax=None, total=("合计", "yen"), paid=("实收", "300.00", "找零"),
         footer=["新鲜每一天"], noise="sp"),
    dict(font="cjk", bold="cjk-bold", size=26, date=(2026, 4, 1), date_style="zh",
         header=["同仁大药房"],
         meta=["日期：{date}", "药师：王芳"],
         columns=("药品", "数量", "金额"), layout="nqa",
         items=[("感冒灵颗粒", 2, "15.80"), ("维生素C片", 1, "12.50"),
                ("创可贴", 1, "8.00"), ("医用口罩", 3, "9.90")],
         tax=None, total=("合计", "yuan"),
         footer=["请遵医嘱用药"]),
    dict(font="cjk", bold="cjk-bold", size=22, date=(2026, 4, 3), date_style="iso",
         header=["川味小厨"],
         meta=["{date} 20:10", "桌号：8  人数：6"],
         columns=("菜品", "数量", "金额"), layout="nqa",
         items=[("水煮鱼", 1, "88.00"), ("宫保鸡丁", 1, "42.00"), ("麻婆豆腐", 1, "26.00"),
                ("回锅肉", 1, "48.00"), ("鱼香肉丝", 1, "38.00"), ("干煸四季豆", 1, "32.00"),
                ("酸辣汤", 1, "22.00"), ("米饭", 6, "3.00"), ("啤酒", 4, "8.00"),
                ("酸梅汤", 1, "18.00"), ("凉拌木耳", 1, "16.00"), ("红糖糍粑", 1, "24.00")],
         tax=None, total=("合计", "yuan"),
         footer=["欢迎下次光临"], rotate=1.0, noise="gauss"),
    dict(font="cjk-serif", bold="cjk-serif-bold", size=24, date=(2026, 4, 6), date_style="zh",
         header=["优品家居生活馆"],
         meta=["日期：{date}", "单号：YP-0406-021"],
         columns=("商品", "数量", "金额"), layout="nqa",
         items=[("布艺沙发", 1, "3280.00"), ("实木茶几", 1, "899.00"),
                ("落地灯", 2, "259.00"), ("抱枕", 4, "39.90")],
         tax=None, total=("合计", "rmb"),
         footer=["送货上门 安装免费"]),
    dict(font="cjk-serif", bold="cjk-serif-bold", size=26, date=(2026, 4, 9), date_style="zh",
         header=["快乐文具店"],
         meta=["{date} 16:40"],
         columns=("品名", "数量", "单价", "金额"), layout="nqua",
         items=[("笔记本", 3, "5.50"), ("中性笔", 10, "1.50"), ("橡皮", 2, "1.00"),
                ("直尺", 1, "2.50"), ("文件夹", 2, "4.80"), ("胶棒", 1, "3.20")],
         tax=None, total=("合计", "yen"),
         footer=["开学季 满百减十"]),
    dict(font="cjk", bold="cjk-bold", size=26, date=(2026, 4, 12), date_style="slash",
         header=["阳光烘焙坊"],
         meta=["{date} 07:55", "收银员：小张"],
         columns=None, layout="na", item_style="yen",
         items=[("全麦吐司", 1, "16.00"), ("肉松面包", 2, "9.50"), ("芝士蛋糕", 1, "28.00"),
                ("豆浆", 2, "5.00"), ("蛋挞", 4, "6.50")],
         tax=None, total=("合计", "yen"),
         footer=["当日面包 当日售完"], noise="sp"),
]

# Fapiao spec: title, code (发票代码, old style only) and number, date, buyer and seller
# (name, tax id, optional address line), items [(name, spec, unit, qty, unit price, rate %)],
# payee/checker/drawer names, grouped (小写 with thousands separators), size, font.

FAPIAO = [
    dict(title="增值税普通发票", code="031002100111", number="08736125", date=(2026, 3, 14),
         buyer=("北京云帆科技有限公司", "91110108MA01ABCD3X"),
         seller=("上海鼎新办公用品有限公司", "91310115MA1K4F2Y7Q", "上海市浦东新区张江路88号 021-58881234"),
         items=[("*纸制品*复印纸", "A4 70g", "箱", 3, "100.00", 13),
                ("*文具*中性笔", "0.5mm", "盒", 5, "18.00", 13),
                ("*办公设备*碎纸机", "S-200", "台", 1, "520.00", 13)],
         people=("李娜", "王强", "陈静"), grouped=False),
    dict(title="增值税专用发票", code="033001900104", number="21580973", date=(2026, 3, 18),
         buyer=("杭州西溪网络科技有限公司", "91330106MA2CFL8N0B"),
         seller=("杭州青禾餐饮管理有限公司", "91330102MA27XK5R4E", "杭州市上城区解放路56号 0571-87001122"),
         items=[("*餐饮服务*餐费", "", "次", 1, "1580.00", 6)],
         people=("周敏", "刘洋", "孙丽"), grouped=True),
    dict(title="电子发票（普通发票）", code=None, number="26442000000183920571", date=(2026, 3, 26),
         buyer=("个人", ""),
         seller=("深圳市华讯电子科技有限公司", "91440300MA5G7TQ21L", "深圳市南山区科技园南路12号"),
         items=[("*计算机*笔记本电脑", "X14 Pro", "台", 1, "6190.27", 13),
                ("*计算机配套产品*鼠标", "M220", "个", 2, "79.65", 13),
                ("*计算机配套产品*键盘", "K380", "个", 1, "176.99", 13),
                ("*电子元件*数据线", "1.5m", "根", 3, "25.66", 13)],
         people=("", "", "赵晓"), grouped=True),
    dict(title="增值税普通发票", code="044001900211", number="47021566", date=(2026, 3, 30),
         buyer=("广州明德学校", "52440100MJ0000123K"),
         seller=("广州市百汇商贸有限公司", "91440101MA59PL3W6R", "广州市天河区体育东路140号 020-38880000"),
         items=[("*日用杂品*洗衣液", "2kg", "瓶", 10, "25.00", 13),
                ("*日用杂品*洗洁精", "1.5kg", "瓶", 12, "9.50", 13),
                ("*纸制品*卫生纸", "10卷", "提", 20, "22.00", 13),
                ("*纸制品*抽纸", "3包", "提", 15, "12.80", 13),
                ("*日用杂品*垃圾袋", "50只", "卷", 30, "4.50", 13),
                ("*清洁用品*消毒液", "500ml", "瓶", 24, "11.00", 13),
                ("*日用杂品*拖把", "", "把", 6, "28.00", 13),
                ("*日用杂品*扫帚", "", "把", 6, "16.00", 13),
                ("*清洁用品*洗手液", "300ml", "瓶", 18, "13.50", 13),
                ("*日用杂品*水桶", "15L", "个", 5, "19.90", 13),
                ("*纸制品*擦手纸", "200张", "包", 40, "3.60", 13),
                ("*日用杂品*手套", "M", "双", 25, "5.20", 13)],
         people=("黄丽", "郑伟", "何晴"), grouped=False, noise="sp"),
    dict(title="电子发票（增值税专用发票）", code=None, number="26512000000077431209", date=(2026, 4, 2),
         buyer=("成都蓉城食品有限公司", "91510100MA6CJ9H85U"),
         seller=("成都锦程物流有限公司", "91510107MA61XR0T3D", ""),
         items=[("*运输服务*国内公路货物运输", "", "次", 2, "1850.00", 9),
                ("*物流辅助服务*装卸搬运", "", "次", 2, "300.00", 6)],
         people=("", "", "吴刚"), grouped=True, rotate=1.5),
    dict(title="增值税普通发票", code="032001800105", number="11093348", date=(2026, 4, 8),
         buyer=("南京市鼓楼区图书馆", "12320106466012345X"),
         seller=("南京博雅图书有限公司", "91320102MA1MX6Q74A", "南京市鼓楼区中山路200号 025-83001188"),
         items=[("*图书*中国通史", "", "套", 2, "256.00", 9),
                ("*图书*现代汉语词典", "第7版", "本", 10, "89.00", 9),
                ("*图书*少儿百科全书", "", "套", 5, "198.00", 9),
                ("*图书*唐诗三百首", "", "本", 20, "32.00", 9),
                ("*图书*世界地图册", "", "本", 8, "45.50", 9)],
         people=("钱芳", "冯磊", "许晴"), grouped=False, rotate=-2.0, noise="gauss"),
    dict(title="增值税专用发票", code="042001900308", number="36210455", date=(2026, 4, 15),
         buyer=("武汉光谷智造有限公司", "91420100MA4KWE2J6P"),
         seller=("武汉长江软件技术有限公司", "91420106MA49B3K81C", "武汉市洪山区珞喻路1037号 027-87654321"),
         items=[("*信息技术服务*软件开发服务", "", "项", 1, "28000.00", 6),
                ("*信息技术服务*系统运维服务", "", "月", 3, "2500.00", 6)],
         people=("邓超", "罗娟", "谢明"), grouped=True),
    dict(title="电子发票（普通发票）", code=None, number="26322000000250817764", date=(2026, 4, 20),
         buyer=("苏州工业园区星海小学", "12320594MB1234567Y"),
         seller=("苏州优品家居有限公司", "91320594MA1Y8T6G5K", "苏州市工业园区星湖街328号"),
         items=[("*家具*课桌", "1200mm", "张", 40, "320.00", 13),
                ("*家具*学生椅", "", "把", 40, "145.00", 13),
                ("*家具*讲台", "", "个", 2, "980.00", 13),
                ("*家具*书柜", "五层", "个", 4, "760.00", 13),
                ("*家具*文件柜", "", "个", 3, "650.00", 13),
                ("*家具*办公桌", "1400mm", "张", 6, "880.00", 13),
                ("*家具*办公椅", "", "把", 6, "420.00", 13),
                ("*家具*会议桌", "3m", "张", 1, "2600.00", 13),
                ("*家具*会议椅", "", "把", 12, "260.00", 13),
                ("*家具*储物柜", "", "组", 5, "1180.00", 13),
                ("*家具*鞋柜", "", "个", 2, "390.00", 13),
                ("*家具*衣帽架", "", "个", 4, "85.00", 13),
                ("*家具*茶水柜", "", "个", 1, "1350.00", 13),
                ("*家具*屏风隔断", "1.2m", "块", 8, "275.00", 13)],
         people=("", "", "蒋涛"), grouped=True),
]

# ---------------------------------------------------------------------------
# Shop receipts: rows and expected fields
# ---------------------------------------------------------------------------

MARGIN = 36


def line_height(font, spacing=1.35):
    ascent, descent = font.getmetrics()
    return int(round((ascent + descent) * spacing))


def text_width(font, text):
    return int(round(font.getlength(text)))


def shop_rows(spec, lang):
    """The receipt as rows, ("center", text, bold) | ("left", text) | ("rule",) |
    ("cols", [cells]) | ("pair", label, value, bold), and its expected fields."""
    date = date_text(spec["date"], spec["date_style"])
    merchant_at = spec.get("merchant_at", 0)
    rows = [("center", line, i == merchant_at) for i, line in enumerate(spec["header"])]
    rows += [("left", line.replace("{date}", date)) for line in spec["meta"]]
    rows.append(("rule",))
    if spec.get("columns"):
        rows.append(("cols", list(spec["columns"])))
    item_style = spec.get("item_style", "plain")
    items, subtotal = [], Decimal("0")
    for name, qty, unit in spec["items"]:
        amount = money(Decimal(unit) * qty)
        subtotal += amount
        items.append({"name": name, "amount": plain(amount)})
        cells = {"na": [name], "nqa": [name, str(qty)], "nqua": [name, str(qty), grouped(unit)]}
        rows.append(("cols", cells[spec["layout"]] + [written(amount, item_style)]))
    rows.append(("rule",))
    label, style = spec["total"]
    total = subtotal
    if spec.get("tax"):
        tax_label, rate = spec["tax"]
        tax = money(subtotal * Decimal(rate))
        total = subtotal + tax
        rows.append(("pair", spec.get("subtotal", "Subtotal"), written(subtotal, "plain"), False))
        rows.append(("pair", tax_label, written(tax, "plain"), False))
    colon = "：" if lang == "zh" else ""
    rows.append(("pair", label + colon, written(total, style), True))
    if spec.get("paid"):
        paid_label, paid, change_label = spec["paid"]
        change = Decimal(paid) - total
        if change < 0:
            raise ValueError(f"{spec['header'][0]}: paid {paid} is less than the total {total}")
        rows.append(("pair", paid_label + colon, written(paid, style), False))
        rows.append(("pair", change_label + colon, written(change, style), False))
    if spec.get("footer"):
        rows.append(("rule",))
        rows += [("center", line, False) for line in spec["footer"]]
    fields = {"merchant": spec["header"][merchant_at], "date": iso(spec["date"]),
              "currency": "CNY" if lang == "zh" else "USD", "total": plain(total), "items": items}
    return rows, fields


def row_texts(rows):
    for row in rows:
        if row[0] in ("center", "left"):
            yield row[1]
        elif row[0] == "cols":
            yield from row[1]
        elif row[0] == "pair":
            yield row[1]
            yield row[2]


def render_shop(spec, lang, where):
    font = load_font(spec["font"], spec["size"])
    bold = load_font(spec["bold"], spec["size"] + 4)
    rows, fields = shop_rows(spec, lang)
    for text in row_texts(rows):
        check_glyphs(font, text, where)
        check_glyphs(bold, text, where)

    gap = text_width(font, "  ")
    cols = [r[1] for r in rows if r[0] == "cols"]
    ncols = len(cols[0])
    if any(len(c) != ncols for c in cols):
        raise ValueError(f"{where}: column rows differ in length")
    widths = [max(text_width(font, c[j]) for c in cols) for j in range(ncols)]
    cols_w = sum(widths) + 2 * gap * (ncols - 1)
    pair_w = max(text_width(bold, r[1]) + 2 * gap + text_width(bold, r[2]) for r in rows if r[0] == "pair")
    text_w = max(text_width(bold if r[0] == "center" and r[2] else font, r[1])
                 for r in rows if r[0] in ("center", "left"))
    inner = max(cols_w, pair_w, text_w)
    right = MARGIN + inner
    # Right edges of columns 1..n-1, pushed right so that the last one meets the right margin.
    edges, x = [], MARGIN + widths[0] + (inner - cols_w)
    for j in range(1, ncols):
        x += 2 * gap + widths[j]
        edges.append(x)

    lh = line_height(font)
    rule_h = lh // 2
    ascent, descent = font.getmetrics()
    height = 2 * MARGIN + sum(rule_h if r[0] == "rule" else lh for r in rows) + ascent + descent - lh
    height += 6  # the bold lines are a little taller
    img = Image.new("L", (inner + 2 * MARGIN, height), spec.get("bg", 255))
    draw = ImageDraw.Draw(img)
    fg = spec.get("fg", 25)
    y = MARGIN
    for row in rows:
        kind = row[0]
        if kind == "rule":
            mid = y + rule_h // 2
            for x0 in range(MARGIN, right, 16):  # dashed separator, drawn as graphics
                draw.line([(x0, mid), (min(x0 + 10, right), mid)], fill=fg + 60, width=2)
            y += rule_h
            continue
        if kind == "center":
            f = bold if row[2] else font
            draw.text((MARGIN + inner // 2, y), row[1], font=f, fill=fg, anchor="ma")
        elif kind == "left":
            draw.text((MARGIN, y), row[1], font=font, fill=fg)
        elif kind == "cols":
            draw.text((MARGIN, y), row[1][0], font=font, fill=fg)
            for cell, edge in zip(row[1][1:], edges):
                draw.text((edge, y), cell, font=font, fill=fg, anchor="ra")
        elif kind == "pair":
            f = bold if row[3] else font
            draw.text((MARGIN, y), row[1], font=f, fill=fg)
            draw.text((right, y), row[2], font=f, fill=fg, anchor="ra")
        y += lh
    return img, fields


# ---------------------------------------------------------------------------
# Fapiao
# ---------------------------------------------------------------------------

FAPIAO_COLUMNS = ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]


def fapiao_fields(spec):
    """Table rows (cells as printed), the 合计 amounts and the expected fields."""
    table, items = [], []
    net, tax = Decimal("0"), Decimal("0")
    for name, model, unit, qty, price, rate in spec["items"]:
        amount = money(Decimal(price) * qty)
        line_tax = money(amount * rate / 100)
        net += amount
        tax += line_tax
        items.append({"name": name, "amount": plain(amount)})
        table.append([name, model, unit, str(qty), plain(price), plain(amount), f"{rate}%", plain(line_tax)])
    total = net + tax
    fields = {"merchant": spec["seller"][0], "date": iso(spec["date"]), "currency": "CNY",
              "total": plain(total), "items": items}
    return table, net, tax, total, fields


def fapiao_lines(spec, net, tax, total):
    """The texts outside the item table, by part."""
    small = written(total, "yen") if spec["grouped"] else "¥" + plain(total)
    top = []
    if spec.get("code"):
        top.append(f"发票代码：{spec['code']}")
    top += [f"发票号码：{spec['number']}", f"开票日期：{date_text(spec['date'], 'zh0')}"]
    buyer = [f"名称：{spec['buyer'][0]}"]
    if spec["buyer"][1]:
        buyer.append(f"纳税人识别号：{spec['buyer'][1]}")
    seller = [f"名称：{spec['seller'][0]}", f"纳税人识别号：{spec['seller'][1]}"]
    if spec["seller"][2]:
        seller.append(f"地址、电话：{spec['seller'][2]}")
    total_row = ["价税合计（大写）", capital(total), f"（小写）{small}"]
    sums = ["合计", "¥" + plain(net), "¥" + plain(tax)]
    payee, checker, drawer = spec["people"]
    sign = "    ".join(f"{k}：{v}" for k, v in (("收款人", payee), ("复核", checker), ("开票人", drawer)) if v)
    return top, buyer, seller, sums, total_row, sign


def render_fapiao(spec, where):
    size = spec.get("size", 18)
    font = load_font(spec.get("font", "cjk"), size)
    bold = load_font("cjk-bold", size + 12)
    table, net, tax, total, fields = fapiao_fields(spec)
    top, buyer, seller, sums, total_row, sign = fapiao_lines(spec, net, tax, total)
    texts = [spec["title"], "购买方", "销售方", sign] + top + buyer + seller + sums + total_row + FAPIAO_COLUMNS
    for text in texts + [c for row in table for c in row]:
        check_glyphs(font, text, where)
    check_glyphs(bold, spec["title"], where)

    pad = size // 2
    lh = line_height(font, 1.5)
    widths = [max(text_width(font, r[j]) for r in table + [FAPIAO_COLUMNS]) + 2 * pad
              for j in range(len(FAPIAO_COLUMNS))]
    label_w = text_width(font, "购买方") + 2 * pad
    block_w = label_w + max(text_width(font, t) for t in buyer + seller) + 2 * pad
    total_w = sum(text_width(font, t) for t in total_row) + 6 * pad
    inner = max(sum(widths), block_w, total_w, max(text_width(font, t) for t in top) + 2 * pad)
    widths[0] += inner - sum(widths)  # the name column takes what is left
    left, right = MARGIN, MARGIN + inner

    title_h = line_height(bold, 1.6)
    height = (2 * MARGIN + title_h + lh * len(top) + pad
              + lh * (len(buyer) + len(seller)) + 2 * pad
              + lh * (len(table) + 3) + lh + pad)
    img = Image.new("L", (inner + 2 * MARGIN, height), spec.get("bg", 255))
    draw = ImageDraw.Draw(img)
    fg, line_fg = 25, 90
    y = MARGIN
    draw.text((left + inner // 2, y), spec["title"], font=bold, fill=fg, anchor="ma")
    y += title_h - 8
    for off in (0, 4):
        draw.line([(left + inner // 4, y + off), (right - inner // 4, y + off)], fill=line_fg, width=1)
    y += 12
    for text in top:
        draw.text((right - pad, y), text, font=font, fill=fg, anchor="ra")
        y += lh
    y += pad // 2
    box_top = y

    def block(label, lines, y):
        draw.line([(left, y), (right, y)], fill=line_fg, width=2)
        h = lh * len(lines) + pad
        draw.text((left + pad, y + (h - lh) // 2 + pad // 2), label, font=font, fill=fg)
        draw.line([(left + label_w, y), (left + label_w, y + h)], fill=line_fg, width=1)
        for i, text in enumerate(lines):
            draw.text((left + label_w + pad, y + pad // 2 + i * lh), text, font=font, fill=fg)
        return y + h

    y = block("购买方", buyer, y)
    draw.line([(left, y), (right, y)], fill=line_fg, width=2)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    table_top = y
    numeric = {3, 4, 5, 6, 7}
    for r, row in enumerate([FAPIAO_COLUMNS] + table):
        for j, cell in enumerate(row):
            if r > 0 and j in numeric:
                draw.text((xs[j + 1] - pad, y + pad // 2), cell, font=font, fill=fg, anchor="ra")
            else:
                draw.text((xs[j] + pad, y + pad // 2), cell, font=font, fill=fg)
        y += lh
        if r == 0:
            draw.line([(left, y), (right, y)], fill=line_fg, width=1)
    for x in xs[1:-1]:
        draw.line([(x, table_top), (x, y)], fill=line_fg, width=1)
    draw.line([(left, y), (right, y)], fill=line_fg, width=1)
    draw.text((xs[0] + pad, y + pad // 2), sums[0], font=font, fill=fg)
    draw.text((xs[6] - pad, y + pad // 2), sums[1], font=font, fill=fg, anchor="ra")
    draw.text((xs[8] - pad, y + pad // 2), sums[2], font=font, fill=fg, anchor="ra")
    y += lh
    draw.line([(left, y), (right, y)], fill=line_fg, width=2)
    x = left + pad
    for i, text in enumerate(total_row):
        draw.text((x, y + pad // 2), text, font=font, fill=fg)
        x += text_width(font, text) + 2 * pad
    y += lh
    y = block("销售方", seller, y)
    draw.rectangle([(left, box_top), (right, y)], outline=line_fg, width=2)
    y += pad
    draw.text((left + pad, y), sign, font=font, fill=fg)
    return img, fields


# ---------------------------------------------------------------------------
# Noise, rotation, build
# ---------------------------------------------------------------------------


def add_noise(img, kind, rng):
    """Gaussian noise (sigma 8) on a random 12% of pixels, or specks on 0.5% of them."""
    return drawn_noise(img, kind, rng, gauss_share=0.12, sigma=8.0, pepper=0.003, salt=0.002)


def build(kind, spec, where, seed):
    if kind == "fapiao":
        img, fields = render_fapiao(spec, where)
    else:
        img, fields = render_shop(spec, kind, where)
    bg = spec.get("bg", 255)
    if spec.get("rotate"):
        img = img.rotate(spec["rotate"], resample=bicubic(), expand=True, fillcolor=bg)
    if spec.get("noise"):
        img = add_noise(img, spec["noise"], random.Random(seed))
    if img.width > MAX_WIDTH:
        sys.exit(f"{PROG}: {where} is {img.width} px wide (max {MAX_WIDTH}); "
                 "shorten its lines or use a smaller font")
    return img, fields


def tags_for(kind, spec, fields):
    tags = ["en" if kind == "en" else "zh"]
    if kind == "fapiao":
        tags.append("fapiao")
    if len(fields["items"]) >= 12:
        tags.append("long")
    if spec.get("noise"):
        tags.append("noise")
    if spec.get("rotate"):
        tags.append("rotated")
    return tags


def check_fields(case_id, fields):
    """The invariants the suite promises: ISO date, two-decimal plain amounts, no duplicates."""
    amount = re.compile(r"\d+\.\d\d")
    problems = []
    if not re.fullmatch(r"2026-\d\d-\d\d", fields["date"]):
        problems.append(f"date {fields['date']!r}")
    for value in [fields["total"]] + [i["amount"] for i in fields["items"]]:
        if not amount.fullmatch(value):
            problems.append(f"amount {value!r}")
    if not fields["merchant"] or fields["currency"] not in ("CNY", "USD"):
        problems.append("merchant or currency")
    if problems:
        sys.exit(f"{PROG}: {case_id}: bad expected fields: {', '.join(problems)}")


def interleave(*groups):
    """en, zh and fapiao specs mixed, so that ids do not group by kind."""
    out, queues = [], [list(g) for g in groups]
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output directory (default: {DEFAULT_OUT.relative_to(REPO_ROOT)} "
                             "under the repository root)")
    args = parser.parse_args(argv)
    out = args.out
    check_capital()
    for name in FONT_FILES:  # fail on a missing font before writing anything
        load_font(name, 24)
    images_dir = out / "images"
    images_dir.mkdir(parents=True, exist_ok=True)

    specs = interleave([("en", s) for s in EN_RECEIPTS], [("zh", s) for s in ZH_RECEIPTS],
                       [("fapiao", s) for s in FAPIAO])
    cases, written_names, total_bytes = [], set(), 0
    for number, (kind, spec) in enumerate(specs, start=1):
        case_id = f"rcpt-{number:03d}"
        img, fields = build(kind, spec, case_id, BASE_SEED + number)
        check_fields(case_id, fields)
        tags = tags_for(kind, spec, fields)
        rel = f"images/{case_id}.png"
        path = out / rel
        img.save(path, format="PNG", optimize=True)
        size = path.stat().st_size
        total_bytes += size
        written_names.add(path.name)
        cases.append({"id": case_id, "input": {"image": rel}, "expected": {"fields": fields}, "tags": tags})
        print(f"wrote {path} ({img.width}x{img.height}, {size / 1024:.1f} KB) [{', '.join(tags)}]")

    for stale in sorted(images_dir.glob("rcpt-*.png")):
        if re.fullmatch(r"rcpt-\d+\.png", stale.name) and stale.name not in written_names:
            stale.unlink()
            print(f"removed stale {stale}")

    cases_path = out / "cases.jsonl"
    with open(cases_path, "w", encoding="utf-8", newline="\n") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"wrote {cases_path} ({len(cases)} cases)")

    counts = {}
    for case in cases:
        for tag in case["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    summary = ", ".join(f"{t} {n}" for t, n in counts.items())
    print(f"{len(cases)} images, {total_bytes / 1024:.0f} KB in {images_dir} ({summary})")
    if not (out / "suite.yaml").exists():
        print(f"note: {out / 'suite.yaml'} does not exist; it is written by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
