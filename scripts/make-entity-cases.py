#!/usr/bin/env python3
"""Write evalsets/entity-extraction/cases.jsonl: texts and the entities a model should pull out.

Each case is a short English or Chinese text (a customer message, a support ticket, an
order complaint or a news item) and its expected fields:

  people         person names exactly as written, without titles ("Mayor Linda Cho" -> "Linda Cho")
  organizations  named companies, banks, shops, schools, courts, ... exactly as written
  amounts        sums of money: two decimals, no currency, no separators
                 ("$1,299" -> "1299.00", "$48.2 million" -> "48200000.00", "5,000万元" -> "50000000.00")
  dates          calendar dates, ISO YYYY-MM-DD (every date in a text has its year)
  products       named products (brand and model) exactly as written

Every list is present (possibly empty), in order of first appearance, without duplicates.
The texts are written so that the answer is unambiguous: each person is named one way,
products are named without a trailing category word, every date is a full date with its
year, and every amount of money carries a currency. Numbers that are not money (order
numbers, counts, percentages, serial numbers) are left out of amounts.

Before writing, the script checks each case against its text: every name appears verbatim,
every amount and date appears in one of its usual writings, and every money-like or
date-like span of the text is accounted for. suite.yaml is written by hand and left alone.

Run from the repository root (any Python 3):
  python3 scripts/make-entity-cases.py             # writes evalsets/entity-extraction/cases.jsonl
  python3 scripts/make-entity-cases.py --out DIR   # writes DIR/cases.jsonl
"""

import argparse
import json
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "evalsets" / "entity-extraction"
PROG = "make-entity-cases"


def case(lang, kind, text, people=(), orgs=(), amounts=(), dates=(), products=()):
    return dict(lang=lang, kind=kind, text=text, people=list(people), organizations=list(orgs),
                amounts=list(amounts), dates=list(dates), products=list(products))


EN = [
    # --- customer messages, tickets, complaints ----------------------------------
    case("en", "customer",
         "Hi, I ordered a Zephyr 300 from KitchenCraft on March 2, 2026 and paid $149.99. It arrived "
         "with a cracked jar. Please send a replacement or a refund. Thanks, Laura Mitchell",
         people=["Laura Mitchell"], orgs=["KitchenCraft"], amounts=["149.99"], dates=["2026-03-02"],
         products=["Zephyr 300"]),
    case("en", "customer",
         "Ticket #48213. Customer: Daniel Park. His CloudVault Plus subscription with Nimbus Storage Inc. "
         "was charged twice on January 15, 2026, at $12.99 each time. He asks for one charge to be "
         "refunded. Assigned to: Priya Shah (billing).",
         people=["Daniel Park", "Priya Shah"], orgs=["Nimbus Storage Inc."], amounts=["12.99"],
         dates=["2026-01-15"], products=["CloudVault Plus"]),
    case("en", "customer",
         "Order 7781-AX, placed on February 20, 2026, still hasn't shipped. I paid $89.50 for two units "
         "of the Trailblazer Flask and $12.00 for express delivery with SwiftShip. If it doesn't arrive "
         "by March 1, 2026, please cancel it. - Kevin O'Brien",
         people=["Kevin O'Brien"], orgs=["SwiftShip"], amounts=["89.50", "12.00"],
         dates=["2026-02-20", "2026-03-01"], products=["Trailblazer Flask"]),
    case("en", "customer",
         "Hello, my name is Aisha Khan. The Lumen Desk Lamp I bought at BrightHome on April 3, 2026 "
         "flickers constantly. The receipt shows $64.00. I'd like to exchange it.",
         people=["Aisha Khan"], orgs=["BrightHome"], amounts=["64.00"], dates=["2026-04-03"],
         products=["Lumen Desk Lamp"]),
    case("en", "customer",
         "Dear Coastal Energy, my bill dated March 31, 2026 shows $412.87, but my usage was the same as "
         "last month, when I paid $138.20. Please review account 55-0192. Regards, Tom Becker",
         people=["Tom Becker"], orgs=["Coastal Energy"], amounts=["412.87", "138.20"],
         dates=["2026-03-31"]),
    case("en", "customer",
         "Hi Sam, this is Rachel Green from Harbor Dental. Your cleaning is booked for May 12, 2026 at "
         "10:30 am. The copay is $25.00. Reply YES to confirm.",
         people=["Sam", "Rachel Green"], orgs=["Harbor Dental"], amounts=["25.00"], dates=["2026-05-12"]),
    case("en", "customer",
         "I stayed at the Grand Meridian Hotel from June 5, 2026 to June 8, 2026 and was charged "
         "$1,245.60 instead of the quoted $980.00. The front desk manager, Luis Ortega, promised a "
         "correction that never came. - Emma Wilson",
         people=["Luis Ortega", "Emma Wilson"], orgs=["Grand Meridian Hotel"],
         amounts=["1245.60", "980.00"], dates=["2026-06-05", "2026-06-08"]),
    case("en", "customer",
         "My Vortex V8 stopped working after three months. I bought it on November 28, 2025 from "
         "HomeGoods Direct for $329.00 (serial VX8-22817). Can Vortex Appliances repair it under "
         "warranty? Jason Lee",
         people=["Jason Lee"], orgs=["HomeGoods Direct", "Vortex Appliances"], amounts=["329.00"],
         dates=["2025-11-28"], products=["Vortex V8"]),
    case("en", "customer",
         "Following up on my return of the AeroFit Tracker 2 (RMA 55102). UPS shows it was delivered to "
         "your warehouse on February 9, 2026, but the $79.99 refund still hasn't posted. Please "
         "escalate. Best, Nina Alvarez",
         people=["Nina Alvarez"], orgs=["UPS"], amounts=["79.99"], dates=["2026-02-09"],
         products=["AeroFit Tracker 2"]),
    case("en", "customer",
         "Instead of the Pebble Mouse I ordered, I received a Pebble Keyboard. The order was placed on "
         "March 8, 2026 and came to $39.95. Please send the right item. Chris Donovan",
         people=["Chris Donovan"], amounts=["39.95"], dates=["2026-03-08"],
         products=["Pebble Mouse", "Pebble Keyboard"]),
    case("en", "customer",
         "Support ticket 30917: account holder Mei Lin reports that Orbit Bank declined a $2,500.00 wire "
         "transfer on March 19, 2026. Agent Jordan Blake reversed the $35.00 fee the same day.",
         people=["Mei Lin", "Jordan Blake"], orgs=["Orbit Bank"], amounts=["2500.00", "35.00"],
         dates=["2026-03-19"]),
    case("en", "customer",
         "Please cancel my StreamBox Premium plan effective April 30, 2026. I was charged $17.99 on "
         "April 1, 2026 and I don't want another renewal. Thank you, Oliver Grant",
         people=["Oliver Grant"], amounts=["17.99"], dates=["2026-04-30", "2026-04-01"],
         products=["StreamBox Premium"]),
    case("en", "customer",
         "The package arrived with the box soaked and the contents damaged. I would like a replacement "
         "as soon as possible, or my money back.",
         ),
    # --- news ----------------------------------------------------------------------
    case("en", "news",
         "Lumen Audio reported revenue of $48.2 million for the quarter ended December 31, 2025, chief "
         "executive Sarah Jennings said on February 3, 2026. The company credited strong sales of its "
         "Aurora X2.",
         people=["Sarah Jennings"], orgs=["Lumen Audio"], amounts=["48200000.00"],
         dates=["2025-12-31", "2026-02-03"], products=["Aurora X2"]),
    case("en", "news",
         "Regional carrier SkyLink Airways will buy four Condor 900 jets from Avia Dynamics for $212 "
         "million, the companies announced on March 10, 2026. Deliveries begin on January 15, 2027.",
         orgs=["SkyLink Airways", "Avia Dynamics"], amounts=["212000000.00"],
         dates=["2026-03-10", "2027-01-15"], products=["Condor 900"]),
    case("en", "news",
         "Local lawmaker David Romero proposed a $3.5 million budget for new bike lanes on April 7, "
         "2026. Mayor Linda Cho is expected to respond by April 21, 2026.",
         people=["David Romero", "Linda Cho"], amounts=["3500000.00"], dates=["2026-04-07", "2026-04-21"]),
    case("en", "news",
         "Greenfield Motors recalled 12,000 units of its Volt City on May 2, 2026 after reports of brake "
         "faults. Each repair is estimated at $450.00, according to spokesperson Mark Feld.",
         people=["Mark Feld"], orgs=["Greenfield Motors"], amounts=["450.00"], dates=["2026-05-02"],
         products=["Volt City"]),
    case("en", "news",
         "Chip startup Quanta Labs raised $15 million in a round led by Redwood Ventures, the company said "
         "on June 18, 2026. Founder Elena Petrova said the money will pay for the launch of the QL-1.",
         people=["Elena Petrova"], orgs=["Quanta Labs", "Redwood Ventures"], amounts=["15000000.00"],
         dates=["2026-06-18"], products=["QL-1"]),
    case("en", "news",
         "Harborview Hospital received a $2 million donation from the Carter Foundation on March 3, 2026. "
         "Hospital director Samuel Okafor said it will fund a new pediatric wing.",
         people=["Samuel Okafor"], orgs=["Harborview Hospital", "Carter Foundation"],
         amounts=["2000000.00"], dates=["2026-03-03"]),
    case("en", "news",
         "Shares of Pinecrest Foods fell 8% on January 22, 2026 after the company cut the price of its "
         "Morning Crunch to $3.99 from $4.49.",
         orgs=["Pinecrest Foods"], amounts=["3.99", "4.49"], dates=["2026-01-22"],
         products=["Morning Crunch"]),
    case("en", "news",
         "Northgate Transit said fares will rise from $2.50 to $2.75 on July 1, 2026. General manager "
         "Carlos Mendes said it is the first increase in seven years.",
         people=["Carlos Mendes"], orgs=["Northgate Transit"], amounts=["2.50", "2.75"],
         dates=["2026-07-01"]),
    case("en", "news",
         "Orion Mobile unveiled the Orion Nova 5 on August 20, 2026, priced at $699. Rival Helix Devices "
         "cut the price of its Helix One to $649 the same day.",
         orgs=["Orion Mobile", "Helix Devices"], amounts=["699.00", "649.00"], dates=["2026-08-20"],
         products=["Orion Nova 5", "Helix One"]),
    case("en", "news",
         "A federal court fined Apex Logistics $1.2 million on October 5, 2026 for safety violations at "
         "its Denver warehouse. Judge Karen Holt gave the company until December 31, 2026 to pay.",
         people=["Karen Holt"], orgs=["Apex Logistics"], amounts=["1200000.00"],
         dates=["2026-10-05", "2026-12-31"]),
    case("en", "news",
         "Bayside Grocers will close its Elm Street store on February 28, 2026 and open a larger one across "
         "town. Chief operating officer Hannah Brooks said the move will cost $6.8 million.",
         people=["Hannah Brooks"], orgs=["Bayside Grocers"], amounts=["6800000.00"], dates=["2026-02-28"]),
]

ZH = [
    # --- 客户留言、工单、投诉 -------------------------------------------------------------
    case("zh", "customer",
         "您好，我叫王丽。我于2026年3月5日在优选家电旗舰店购买了一台极光X7，付款2,999元，现在无法开机，请尽快处理退换货。",
         people=["王丽"], orgs=["优选家电旗舰店"], amounts=["2999.00"], dates=["2026-03-05"],
         products=["极光X7"]),
    case("zh", "customer",
         "订单号20260312-8851：我在2026年3月12日下单的云朵Pad 11至今未发货，已付款1,899.00元。客服刘洋说三天内发货，"
         "但现在还没有消息。——陈晨",
         people=["刘洋", "陈晨"], amounts=["1899.00"], dates=["2026-03-12"], products=["云朵Pad 11"]),
    case("zh", "customer",
         "顺达快递把我的包裹送错了地址。包裹里是静音王T3，价值399元，2026年4月2日寄出，到现在还没找回来。寄件人：赵敏",
         people=["赵敏"], orgs=["顺达快递"], amounts=["399.00"], dates=["2026-04-02"], products=["静音王T3"]),
    case("zh", "customer",
         "我的银行卡于2026年2月18日被扣款588.00元，但我从没在华信银行办理过这项业务。请客服周杰帮我查一下。——孙浩",
         people=["周杰", "孙浩"], orgs=["华信银行"], amounts=["588.00"], dates=["2026-02-18"]),
    case("zh", "customer",
         "我预订了海景大酒店2026年5月1日至2026年5月3日的房间，共计1,680元，但入住时被要求再交押金500元。"
         "前台经理李强说这是规定，我不能接受。",
         people=["李强"], orgs=["海景大酒店"], amounts=["1680.00", "500.00"],
         dates=["2026-05-01", "2026-05-03"]),
    case("zh", "customer",
         "你好，我在2026年1月20日退回了青禾F5，快递单号SF1234567890，但298元退款至今未到账，麻烦查一下。",
         amounts=["298.00"], dates=["2026-01-20"], products=["青禾F5"]),
    case("zh", "customer",
         "我家的冰川BCD-520是2025年8月8日在美佳电器买的，花了4,599元，现在冷藏室不制冷。请安排师傅上门维修。联系人：黄小梅",
         people=["黄小梅"], orgs=["美佳电器"], amounts=["4599.00"], dates=["2025-08-08"],
         products=["冰川BCD-520"]),
    case("zh", "customer",
         "星空影视的年度会员在2026年3月1日自动续费了198元，可我之前已经关闭了自动续费，请退还这笔钱。联系人：林丽",
         people=["林丽"], orgs=["星空影视"], amounts=["198.00"], dates=["2026-03-01"]),
    case("zh", "customer",
         "2026年4月10日中午在美味餐厅点的外卖少送了一份饮料，订单金额86.50元，希望退还12.00元。",
         orgs=["美味餐厅"], amounts=["86.50", "12.00"], dates=["2026-04-10"]),
    case("zh", "customer",
         "我的星河S20屏幕碎了，2026年2月25日送到星河售后服务中心，报价1,150元，比官网公布的860元高很多。联系人：吴佳",
         people=["吴佳"], orgs=["星河售后服务中心"], amounts=["1150.00", "860.00"], dates=["2026-02-25"],
         products=["星河S20"]),
    case("zh", "customer",
         "东西收到了，但是包装破损严重，里面的零件也少了两个，希望尽快给我换一个新的。",
         ),
    case("zh", "customer",
         "工单编号TK-3391：客户黄磊反映，2026年3月22日通过蓝海支付缴纳的电费356.40元未到账。处理人：郑华。",
         people=["黄磊", "郑华"], orgs=["蓝海支付"], amounts=["356.40"], dates=["2026-03-22"]),
    case("zh", "customer",
         "2026年4月18日在优品家居订购了云栖L3，定金1,000元已付，尾款2,280元，约定2026年4月28日送货，现在已经延期一周。——何静",
         people=["何静"], orgs=["优品家居"], amounts=["1000.00", "2280.00"], dates=["2026-04-18", "2026-04-28"],
         products=["云栖L3"]),
    # --- 新闻 ----------------------------------------------------------------------
    case("zh", "news",
         "星河电子2026年3月20日发布新款手机星河S30，起售价3,999元。公司董事长李明远表示，新品将于2026年4月1日正式开售。",
         people=["李明远"], orgs=["星河电子"], amounts=["3999.00"], dates=["2026-03-20", "2026-04-01"],
         products=["星河S30"]),
    case("zh", "news",
         "华信银行2026年4月28日发布年报，全年净利润128.6亿元，同比增长6%。行长张建国表示将继续支持小微企业。",
         people=["张建国"], orgs=["华信银行"], amounts=["12860000000.00"], dates=["2026-04-28"]),
    case("zh", "news",
         "青松科技2026年1月9日宣布完成5,000万元B轮融资，由红杉岭资本领投。创始人周晓峰称资金将主要用于研发。",
         people=["周晓峰"], orgs=["青松科技", "红杉岭资本"], amounts=["50000000.00"], dates=["2026-01-09"]),
    case("zh", "news",
         "江州市交通委员会2026年5月6日宣布，自2026年7月1日起地铁起步票价由2元调整为3元。",
         orgs=["江州市交通委员会"], amounts=["2.00", "3.00"], dates=["2026-05-06", "2026-07-01"]),
    case("zh", "news",
         "远航汽车2026年2月14日宣布召回8,200辆远航E5，原因是电池存在安全隐患。每辆车的检修费用约1,200元，由公司承担。"
         "发言人刘芳表示，车主无需支付任何费用。",
         people=["刘芳"], orgs=["远航汽车"], amounts=["1200.00"], dates=["2026-02-14"], products=["远航E5"]),
    case("zh", "news",
         "明德学校获得李氏基金会捐赠的300万元，用于建设新图书馆。捐赠仪式于2026年3月28日举行，校长陈光华出席。",
         people=["陈光华"], orgs=["明德学校", "李氏基金会"], amounts=["3000000.00"], dates=["2026-03-28"]),
    case("zh", "news",
         "海天航空2026年6月9日与东方飞机制造公司签约，以45亿元采购鲲鹏900共10架。",
         orgs=["海天航空", "东方飞机制造公司"], amounts=["4500000000.00"], dates=["2026-06-09"],
         products=["鲲鹏900"]),
    case("zh", "news",
         "江南出版社将于2026年9月12日举办读者见面会，作家林清扬到场签售，门票每张20元。",
         people=["林清扬"], orgs=["江南出版社"], amounts=["20.00"], dates=["2026-09-12"]),
    case("zh", "news",
         "江州市中级人民法院2026年10月15日判决顺达物流赔偿客户损失共计86,500元，并于2026年11月15日前履行完毕。",
         orgs=["江州市中级人民法院", "顺达物流"], amounts=["86500.00"], dates=["2026-10-15", "2026-11-15"]),
    case("zh", "news",
         "云端软件2026年8月3日推出办公套件云端Office 2026，个人版年费299元，企业版每用户每年480元。产品经理赵雪介绍了新功能。",
         people=["赵雪"], orgs=["云端软件"], amounts=["299.00", "480.00"], dates=["2026-08-03"],
         products=["云端Office 2026"]),
    case("zh", "news",
         "健康药业2026年11月20日宣布，降压药康平片每盒价格从45.00元降至31.50元，降幅30%。",
         orgs=["健康药业"], amounts=["45.00", "31.50"], dates=["2026-11-20"], products=["康平片"]),
]

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_RE = "|".join(MONTHS)
DATE_SPANS = [
    re.compile(rf"\b(?:{MONTH_RE}) \d{{1,2}}, \d{{4}}"),
    re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
]
MONEY_SPANS = [
    re.compile(r"\$[\d,]+(?:\.\d+)?(?: million)?"),
    re.compile(r"[\d,]+(?:\.\d+)?[万亿]?元"),
]


def date_writings(iso_date):
    d = date.fromisoformat(iso_date)
    month = MONTHS[d.month - 1]
    return [iso_date, f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}",
            f"{d.year}年{d.month}月{d.day}日", f"{d.year}年{d.month:02d}月{d.day:02d}日"]


def amount_value(span):
    """The value of a money span of the text, in units."""
    number = Decimal(re.search(r"[\d,]+(?:\.\d+)?", span).group().replace(",", ""))
    for word, scale in ((" million", 10**6), ("万", 10**4), ("亿", 10**8)):
        if word in span:
            number *= scale
    return f"{number:.2f}"


def check(case_id, c):
    problems = []
    text = c["text"]
    for key in ("people", "organizations", "products"):
        for name in c[key]:
            if name not in text:
                problems.append(f"{key}: {name!r} is not in the text")
        if [text.find(n) for n in c[key]] != sorted(text.find(n) for n in c[key]):
            problems.append(f"{key} are not in order of appearance")
    for key in ("people", "organizations", "amounts", "dates", "products"):
        if len(set(c[key])) != len(c[key]):
            problems.append(f"{key} has duplicates")
    for value in c["amounts"]:
        if not re.fullmatch(r"\d+\.\d\d", value):
            problems.append(f"amount {value!r} is not a two-decimal string")
    found = {amount_value(m.group()) for p in MONEY_SPANS for m in p.finditer(text)}
    if found != set(c["amounts"]):
        problems.append(f"amounts {sorted(c['amounts'])} but the text has {sorted(found)}")
    spans = [m.group() for p in DATE_SPANS for m in p.finditer(text)]
    for iso_date in c["dates"]:
        if not any(w in text for w in date_writings(iso_date)):
            problems.append(f"date {iso_date} is not written in the text")
    for span in spans:
        if not any(span in date_writings(d) for d in c["dates"]):
            problems.append(f"date {span!r} in the text is not expected")
    if problems:
        sys.exit(f"{PROG}: {case_id}: " + "; ".join(problems))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    lines = []
    ordered = [c for pair in zip(EN, ZH) for c in pair] + EN[len(ZH):] + ZH[len(EN):]
    for number, c in enumerate(ordered, start=1):
        case_id = f"ent-{number:03d}"
        check(case_id, c)
        fields = {k: c[k] for k in ("people", "organizations", "amounts", "dates", "products")}
        lines.append({"id": case_id, "input": {"text": c["text"]}, "expected": {"fields": fields},
                      "tags": [c["lang"], c["kind"]]})
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "cases.jsonl"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    counts = {}
    for line in lines:
        key = " ".join(line["tags"])
        counts[key] = counts.get(key, 0) + 1
    print(f"wrote {path} ({len(lines)} cases: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
