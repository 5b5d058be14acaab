#!/usr/bin/env python3
"""Generates the personal-data masking corpus: personal.json and innocent.json (see README.md).

Deterministic (random.Random(2026)), standard library only. Run from anywhere:

    python3 tests/data/privacy/generate.py

personal.json: [{"kind", "text", "masked"}], each text holding exactly one piece of personal data; "masked" is the
text with exactly the characters the detector must hide replaced by '*' (a character outside the Basic Multilingual
Plane, such as a mathematical bold digit, is two UTF-16 code units and so becomes "**").
innocent.json: [text], texts full of look-alikes (dates, document numbers, amounts, lane numbers, ...) that must come
back unchanged.
"""

import json
import os
import random
import sys
import unicodedata

rng = random.Random(2026)
HERE = os.path.dirname(os.path.abspath(__file__))

# ----------------------------------------------------------------------------------------------------------------
# What the detector counts as a digit, a separator, an invisible character and a letter (used to keep every text
# free of anything but its one piece of personal data).

CN_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "幺": 1,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
SEPARATORS = set(" \u3000\u00a0.·-‐–—－()（）/／")
INVISIBLE = set("\u200b\u200c\u200d\u00ad\u2060")
PASSPORT_LETTERS = set("EGCWLTHMDSP")
PHONE_WORDS = ["电话", "手机", "座机", "联系", "热线", "固话", "tel", "phone"]
EMAIL_WORDS = ["@", "＠", " at ", " dot ", "(at)", "[at]", "(dot)", "（at）", "［at］"]


def digit_value(c):
    if c in CN_DIGITS:
        return CN_DIGITS[c]
    n = unicodedata.normalize("NFKC", c)
    if len(n) == 1 and "0" <= n <= "9":
        return int(n)
    try:
        return unicodedata.decimal(c)
    except ValueError:
        return None


def half(c):
    n = unicodedata.normalize("NFKC", c)
    return n if len(n) == 1 else c


def is_letter(c):
    h = half(c)
    return h.isascii() and h.isalpha()


def u16(s):
    """Length in UTF-16 code units (what .NET's string.Length counts)."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def star(c):
    return "*" * u16(c)


def digit_runs(text):
    """Runs of digits joined by 1-3 separators (invisible characters anywhere): (start, end, digit count, Chinese)."""
    runs, i, n = [], 0, len(text)
    while i < n:
        if digit_value(text[i]) is None:
            i += 1
            continue
        start, j, count, cn, end = i, i, 0, 0, i
        while j < n:
            c = text[j]
            if digit_value(c) is not None:
                count += 1
                cn += c in CN_DIGITS
                j += 1
                end = j
                continue
            k, seps = j, 0
            while k < n and (text[k] in SEPARATORS or text[k] in INVISIBLE):
                seps += text[k] in SEPARATORS
                k += 1
            if k > j and seps <= 3 and k < n and digit_value(text[k]) is not None:
                j = k
                continue
            break
        runs.append((start, end, count, cn))
        i = end
    return runs


def skip_back(text, k):
    while k >= 0 and (text[k] in SEPARATORS or text[k] in INVISIBLE):
        k -= 1
    return k


def problems(text):
    """Everything in text that could be (part of) personal data under the rules; [] for an innocent text."""
    out = []
    low = text.lower()
    if "*" in text:
        out.append("asterisk")
    for w in EMAIL_WORDS:
        if w in low:
            out.append("e-mail marker %r" % w)
    for start, end, count, cn in digit_runs(text):
        run = text[start:end]
        if count >= 9:
            out.append("long digit run %r" % run)
        if cn > 6:
            out.append("long Chinese numeral run %r" % run)
        if count >= 7:
            k = skip_back(text, start - 1)
            if k >= 0 and is_letter(text[k]) and half(text[k]).upper() in PASSPORT_LETTERS:
                out.append("letter before digits %r" % text[k:end])
            before = low[max(0, start - 8):start]
            if any(w in before for w in PHONE_WORDS):
                out.append("phone word before %r" % run)
    for i, c in enumerate(text):
        if c == "室":
            k = skip_back(text, i - 1)
            if k >= 0 and digit_value(text[k]) is not None:
                out.append("room number %r" % text[max(0, k - 4):i + 1])
    return out


# ----------------------------------------------------------------------------------------------------------------
# Spans: a piece of personal data is a list of (original, masked) pieces.

def P(c, masked):
    return (c, star(c) if masked else c)


def keep(s):
    return [(c, c) for c in s]


ASCII = lambda d: str(d)
FULL = lambda d: chr(0xFF10 + d)
ARABIC = lambda d: chr(0x0660 + d)
BOLD = lambda d: chr(0x1D7CE + d)          # mathematical bold, outside the BMP
DOUBLE = lambda d: chr(0x1D7D8 + d)        # mathematical double-struck, outside the BMP
CIRCLED = lambda d: chr(0x2460 + d - 1) if d else "0"   # numbers for this style are drawn without zeros
CN_LING = lambda d: "零一二三四五六七八九"[d]
CN_CIRCLE = lambda d: "〇一二三四五六七八九"[d]
CN_YAO = lambda d: "零幺二三四五六七八九"[d]
CN_DAXIE = lambda d: "零壹贰叁肆伍陆柒捌玖"[d]


def mixed(*styles):
    return lambda d: rng.choice(styles)(d)


def chars(digits, style, mask):
    """digits rendered one by one; mask(i) says whether digit i is hidden."""
    return [P(style(d), mask(i)) for i, d in enumerate(digits)]


def grouped(pieces, sizes, sep, paren=None):
    """Splits pieces into groups of the given sizes joined by sep (a string, or a list of strings per gap)."""
    assert sum(sizes) == len(pieces), (sizes, len(pieces))
    out, pos = [], 0
    for g, size in enumerate(sizes):
        if g:
            s = sep[g - 1] if isinstance(sep, list) else sep
            out += keep(s)
        group = pieces[pos:pos + size]
        if g == 0 and paren:
            group = keep(paren[0]) + group + keep(paren[1])
        out += group
        pos += size
    return out


def sprinkle(pieces, count=None, choices="\u200b\u200c\u200d\u00ad\u2060"):
    """Inserts invisible characters between pieces (never at either end)."""
    pieces = list(pieces)
    count = count or rng.randint(1, 3)
    for _ in range(count):
        at = rng.randint(1, len(pieces) - 1)
        c = rng.choice(choices)
        pieces.insert(at, (c, c))
    return pieces


def every(pieces, sep):
    return grouped(pieces, [1] * len(pieces), sep)


def rand_digits(n, first=None, no_zero=False):
    lo = 1 if no_zero else 0
    out = [rng.randint(lo, 9) for _ in range(n)]
    if first is not None:
        out[0] = first
    return out


# --- Mobile ------------------------------------------------------------------------------------------------------

MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183",
                   "185", "186", "187", "188", "189", "191", "193", "195", "198", "199"]


def mobile_digits(no_zero=False):
    while True:
        prefix = rng.choice(MOBILE_PREFIXES)
        if no_zero and "0" in prefix:
            continue
        return [int(c) for c in prefix] + rand_digits(8, no_zero=no_zero)


def mob(style=ASCII, no_zero=False):
    return chars(mobile_digits(no_zero), style, lambda i: 3 <= i <= 6)


def with_prefix(prefix, pieces):
    return keep(prefix) + pieces


MOBILE_FORMATS = [
    lambda: mob(),
    lambda: mob(),
    lambda: grouped(mob(), [3, 4, 4], "-"),
    lambda: grouped(mob(), [3, 4, 4], " "),
    lambda: grouped(mob(), [3, 4, 4], "."),
    lambda: grouped(mob(), [3, 4, 4], "  "),
    lambda: grouped(mob(), [3, 4, 4], "\u3000"),
    lambda: grouped(mob(), [3, 4, 4], "\u00a0"),
    lambda: grouped(mob(), [3, 4, 4], "·"),
    lambda: grouped(mob(), [3, 4, 4], " - "),
    lambda: grouped(mob(), [3, 4, 4], "—"),
    lambda: grouped(mob(), [3, 4, 4], "–"),
    lambda: grouped(mob(FULL), [3, 4, 4], "－"),
    lambda: grouped(mob(), [4, 3, 4], "-"),
    lambda: grouped(mob(), [4, 3, 4], " "),
    lambda: grouped(mob(), [4, 4, 3], " "),
    lambda: grouped(mob(), [3, 4, 4], ["", "-"], paren="()"),
    lambda: grouped(mob(), [3, 4, 4], ["", " "], paren="（）"),
    lambda: grouped(mob(), [3, 8], "-"),
    lambda: grouped(mob(), [3, 4, 4], "/"),
    lambda: every(mob(), " "),
    lambda: mob(CN_LING),
    lambda: mob(CN_CIRCLE),
    lambda: mob(CN_YAO),
    lambda: mob(CN_DAXIE),
    lambda: mob(CIRCLED, no_zero=True),
    lambda: mob(FULL),
    lambda: grouped(mob(FULL), [3, 4, 4], "\u3000"),
    lambda: mob(BOLD),
    lambda: grouped(mob(BOLD), [3, 4, 4], " "),
    lambda: mob(DOUBLE),
    lambda: mob(ARABIC),
    lambda: mob(mixed(ASCII, FULL)),
    lambda: (lambda d: grouped([P(ASCII(x), 3 <= i <= 6) if not 3 <= i <= 6 else P(CN_LING(x), True)
                                for i, x in enumerate(d)], [3, 4, 4], " "))(mobile_digits()),
    lambda: (lambda d: [P(CN_LING(x) if i < 3 else ASCII(x), 3 <= i <= 6) for i, x in enumerate(d)])(mobile_digits()),
    lambda: sprinkle(mob()),
    lambda: every(mob(), "\u00ad"),
    lambda: sprinkle(grouped(mob(), [3, 4, 4], "-"), 1),
    lambda: with_prefix("+86", mob()),
    lambda: with_prefix("+86 ", grouped(mob(), [3, 4, 4], " ")),
    lambda: with_prefix("+86-", mob()),
    lambda: with_prefix("0086 ", mob()),
    lambda: with_prefix("0086-", grouped(mob(), [3, 4, 4], "-")),
    lambda: with_prefix("86 ", mob()),
    lambda: with_prefix("86-", grouped(mob(), [3, 4, 4], "-")),
    lambda: with_prefix("＋８６", mob(FULL)),
]

# --- ID card -----------------------------------------------------------------------------------------------------

REGIONS = ["310105", "310105", "310105", "310105", "310101", "310104", "310106", "310107", "310112", "310115",
           "110101", "110105", "320102", "320106", "330102", "330106", "340104", "370102", "420106", "510107"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def birth(lo=1940, hi=2005):
    y = rng.randint(lo, hi)
    m = rng.randint(1, 12)
    last = DAYS[m - 1] + (1 if m == 2 and (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 0)
    return y, m, rng.randint(1, last)


def id_check(body):
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


def id18(want_x=None):
    while True:
        y, m, d = birth()
        body = rng.choice(REGIONS) + "%04d%02d%02d" % (y, m, d) + "%03d" % rng.randint(1, 999)
        check = id_check(body)
        if want_x is None or (check == "X") == want_x:
            return body + check


def id15():
    y, m, d = birth(1940, 1999)
    return rng.choice(REGIONS) + "%02d%02d%02d" % (y % 100, m, d) + "%03d" % rng.randint(1, 999)


def id_pieces(number, style=ASCII, x="X", styles_by_pos=None):
    out = []
    for i, c in enumerate(number):
        if c == "X":
            ch = x
        else:
            st = styles_by_pos(i) if styles_by_pos else style
            ch = st(int(c))
        out.append(P(ch, True))
    return out


ID_FORMATS = [
    lambda: id_pieces(id18()),
    lambda: id_pieces(id18()),
    lambda: id_pieces(id18(want_x=True)),
    lambda: id_pieces(id18(want_x=True), x="x"),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], " "),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], "-"),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], "\u3000"),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], "  "),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], "－"),
    lambda: grouped(id_pieces(id18()), [6, 8, 4], "."),
    lambda: grouped(id_pieces(id18()), [6, 4, 4, 4], " "),
    lambda: grouped(id_pieces(id18()), [3, 3, 4, 4, 4], " "),
    lambda: id_pieces(id18(), FULL, x="Ｘ"),
    lambda: grouped(id_pieces(id18(), FULL, x="Ｘ"), [6, 8, 4], "\u3000"),
    lambda: sprinkle(id_pieces(id18())),
    lambda: sprinkle(id_pieces(id18()), 2, "\u00ad"),
    lambda: id_pieces(id18(), styles_by_pos=lambda i: CN_CIRCLE if 6 <= i <= 9 else ASCII),
    lambda: id_pieces(id18(), styles_by_pos=lambda i: CN_LING if 6 <= i <= 13 else ASCII),
    lambda: id_pieces(id18(), CN_CIRCLE),
    lambda: id_pieces(id18(), mixed(ASCII, FULL)),
    lambda: id_pieces(id18(), BOLD),
    lambda: id_pieces(id15()),
    lambda: id_pieces(id15()),
    lambda: grouped(id_pieces(id15()), [6, 6, 3], " "),
    lambda: id_pieces(id15(), FULL),
]

# --- Landline ----------------------------------------------------------------------------------------------------

AREA3 = ["021"] * 6 + ["010", "020", "025", "027"]
AREA4 = ["0571", "0512", "0510", "0574", "0551", "0755"]
LANDLINE_LEADS = ["电话", "座机", "联系电话", "固话", "家里电话", "我家座机", "单位座机"]
LANDLINE_GAPS = ["", "", "：", ":", " ", "： "]


def area_code(four=False):
    code = rng.choice(AREA4 if four else AREA3)
    return [int(c) for c in code]


def subscriber(n=8):
    return rand_digits(n, first=rng.randint(2, 9))


def landline(style=ASCII, four=False, n=None, sizes_sub=None, sep="-", paren=None, sub_sep=" ", ext=None):
    area = area_code(four)
    n = n or (rng.choice([7, 8]) if four else 8)
    sub = subscriber(n)
    out = [P(style(d), False) for d in area]
    if paren:
        out = keep(paren[0]) + out + keep(paren[1])
    out += keep(sep)
    sub_pieces = [P(style(d), True) for d in sub]
    if sizes_sub:
        sub_pieces = grouped(sub_pieces, sizes_sub, sub_sep)
    out += sub_pieces
    if ext:
        out += keep(ext) + [P(style(d), True) for d in rand_digits(rng.choice([3, 3, 4]), first=rng.randint(1, 9))]
    return out


def bare_landline(sizes=None, sep=" ", style=ASCII):
    pieces = [P(style(d), True) for d in subscriber(8)]
    if sizes:
        pieces = grouped(pieces, sizes, sep)
    return pieces


LANDLINE_FORMATS = [
    lambda: landline(),
    lambda: landline(),
    lambda: landline(sep=" "),
    lambda: landline(sep="", paren="()"),
    lambda: landline(sep="", paren="（）"),
    lambda: landline(sep=" ", paren="()", sizes_sub=[4, 4]),
    lambda: landline(sep=".", sizes_sub=[4, 4], sub_sep="."),
    lambda: landline(sep="-", sizes_sub=[4, 4], sub_sep="-"),
    lambda: landline(sep=" ", sizes_sub=[4, 4], sub_sep=" "),
    lambda: landline(sep="－"),
    lambda: landline(sep="—"),
    lambda: landline(FULL, sep="－"),
    lambda: sprinkle(landline()),
    lambda: landline(ext="转"),
    lambda: landline(ext="-"),
    lambda: landline(ext=" ext "),
    lambda: landline(sep=" ", sizes_sub=[4, 4], ext="转"),
    lambda: landline(four=True, n=7),
    lambda: landline(four=True, n=8, sep=" ", sizes_sub=[4, 4]),
    lambda: landline(four=True, n=7, sizes_sub=[3, 4], sub_sep="-"),
    ("bare", lambda: bare_landline()),
    ("bare", lambda: bare_landline([4, 4], " ")),
    ("bare", lambda: bare_landline([4, 4], "-")),
    ("bare", lambda: bare_landline(style=FULL)),
]

# --- E-mail ------------------------------------------------------------------------------------------------------

SURNAMES = ["zhang", "wang", "li", "zhao", "chen", "liu", "yang", "huang", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu",
            "guo", "lin", "gao", "luo", "shen", "qian", "jiang", "cai", "tang"]
GIVEN = ["wei", "fang", "min", "jing", "li", "qiang", "lei", "jun", "yan", "hong", "ming", "xiaoyu", "jianguo",
         "meiling", "haoran", "yiting", "zihan", "shuang", "peng", "xin", "lan", "ayi", "laoshi"]
DOMAINS = [["qq", "com"], ["163", "com"], ["126", "com"], ["sina", "com"], ["foxmail", "com"], ["outlook", "com"],
           ["gmail", "com"], ["sohu", "com"], ["aliyun", "com"], ["hotmail", "com"], ["yeah", "net"], ["139", "com"],
           ["example", "com"], ["example", "org"], ["fudan", "edu", "cn"], ["sjtu", "edu", "cn"], ["vip", "163", "com"],
           ["mail", "example", "cn"]]


def local_part():
    """(local part, forced domain): a QQ number goes with qq.com, a name with any domain."""
    r = rng.random()
    if r < 0.12:
        qq = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(6, 9)))
        return qq, ["qq", "com"]
    name = rng.choice(SURNAMES) + rng.choice(["", "", ".", "_", "-"]) + rng.choice(GIVEN)
    tail = rng.choice(["", "", "", "88", "1985", "2008", "66", "123", "07", "1962", "_cn", ".sh"])
    if r > 0.95:
        tail += "+changning"
    return name + tail, None


def email(at="@", dot=".", full=False, invisible=False):
    local, domain = local_part()
    domain = domain or rng.choice(DOMAINS)
    if full:
        conv = lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)
    else:
        conv = lambda s: s
    pieces = [P(conv(c), True) for c in local]
    if invisible:
        pieces = sprinkle(pieces, 1)
    pieces += keep(conv(at) if full else at)
    pieces += keep((conv(dot) if full else dot).join(conv(label) for label in domain))
    return pieces


EMAIL_FORMATS = [
    lambda: email(),
    lambda: email(),
    lambda: email(),
    lambda: email(),
    lambda: email(dot="。"),
    lambda: email(dot="．"),
    lambda: email(at="＠"),
    lambda: email(at=" ＠ "),
    lambda: email(at=" @ "),
    lambda: email(at=" at ", dot=" dot "),
    lambda: email(at=" at "),
    lambda: email(at="(at)"),
    lambda: email(at="(at)", dot="(dot)"),
    lambda: email(at="[at]"),
    lambda: email(at="＠", dot="．", full=True),
    lambda: email(invisible=True),
]

# --- Bank card ---------------------------------------------------------------------------------------------------

CARD_PREFIXES = ["6222", "6217", "6228", "4367", "6259"]


def luhn_ok(digits):
    s = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


def card_digits(length=None):
    length = length or rng.choice([16, 19])
    body = [int(c) for c in rng.choice(CARD_PREFIXES)] + rand_digits(length - 5)
    for check in range(10):
        if luhn_ok(body + [check]):
            return body + [check]
    raise AssertionError


def card(style=ASCII, length=None):
    return chars(card_digits(length), style, lambda i: True)


def fours(pieces):
    n = len(pieces)
    return [4] * (n // 4) + ([n % 4] if n % 4 else [])


def card_grouped(sep, style=ASCII, length=None):
    pieces = card(style, length)
    return grouped(pieces, fours(pieces), sep)


CARD_FORMATS = [
    lambda: card(length=16),
    lambda: card(length=19),
    lambda: card_grouped(" ", length=16),
    lambda: card_grouped(" ", length=19),
    lambda: card_grouped("-", length=16),
    lambda: card_grouped("-", length=19),
    lambda: card(FULL),
    lambda: card_grouped("\u3000", FULL),
    lambda: sprinkle(card()),
    lambda: card_grouped("  "),
]

# --- Passport and travel permits -----------------------------------------------------------------------------------

PERMIT_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"   # no I or O


def doc_pieces(letters, digits, style=ASCII, letter_style=lambda c: c, digit_sizes=None):
    pieces = [P(letter_style(c), True) for c in letters]
    dp = [P(style(d), True) for d in digits]
    if digit_sizes:
        dp = grouped(dp, digit_sizes, " ")
    return pieces + dp


FULL_LETTER = lambda c: chr(ord(c) + 0xFEE0)


def passport(kind):
    if kind == "E8":
        return "E", rand_digits(8, first=rng.randint(1, 9))
    if kind == "G8":
        return "G", rand_digits(8, first=rng.randint(1, 9))
    return "E" + rng.choice(PERMIT_LETTERS), rand_digits(7, first=rng.randint(1, 9))


PASSPORT_LEADS = ["护照号", "护照号：", "护照号码", "护照号码：", "护照", "护照：", "护照 ", "护照号: "]
PASSPORT_FORMATS = [
    lambda: doc_pieces(*passport("E8")),
    lambda: doc_pieces(*passport("E8")),
    lambda: doc_pieces(*passport("EA7")),
    lambda: doc_pieces(*passport("EA7")),
    lambda: doc_pieces(*passport("G8")),
    lambda: doc_pieces(*passport("G8")),
    lambda: doc_pieces(*passport("E8"), style=FULL, letter_style=FULL_LETTER),
    lambda: doc_pieces(*passport("EA7"), style=FULL, letter_style=FULL_LETTER),
    lambda: sprinkle(doc_pieces(*passport("E8")), 1),
    lambda: doc_pieces(*passport("E8"), digit_sizes=[4, 4]),
]


def permit(kind):
    if kind == "C8":
        return "C", rand_digits(8, first=rng.randint(1, 9))
    if kind == "CA7":
        return "C" + rng.choice(PERMIT_LETTERS), rand_digits(7, first=rng.randint(1, 9))
    if kind == "L8":
        return "L", rand_digits(8, first=rng.randint(1, 9))
    letter, n = kind[0], int(kind[1:])
    return letter, rand_digits(n, first=rng.choice([0, 1, 2, 5, 6, 7]))


PERMIT_LEADS = {
    "C": ["港澳通行证号", "港澳通行证号码：", "港澳通行证：", "往来港澳通行证号码", "港澳通行证"],
    "L": ["台湾通行证", "台湾通行证号", "台湾通行证号：", "往来台湾通行证号码："],
    "H": ["回乡证", "回乡证号", "回乡证号码：", "港澳居民来往内地通行证号码", "回乡证："],
    "M": ["回乡证", "回乡证号码：", "港澳居民来往内地通行证：", "回乡证号"],
}
PERMIT_FORMATS = [
    lambda: doc_pieces(*permit("C8")),
    lambda: doc_pieces(*permit("CA7")),
    lambda: doc_pieces(*permit("L8")),
    lambda: doc_pieces(*permit("H8")),
    lambda: doc_pieces(*permit("H10")),
    lambda: doc_pieces(*permit("M8")),
    lambda: doc_pieces(*permit("M10")),
    lambda: doc_pieces(*permit("C8"), style=FULL, letter_style=FULL_LETTER),
    lambda: doc_pieces(*permit("H8"), style=FULL, letter_style=FULL_LETTER),
    lambda: sprinkle(doc_pieces(*permit("L8")), 1),
    lambda: sprinkle(doc_pieces(*permit("CA7")), 1),
    lambda: doc_pieces(*permit("C8"), digit_sizes=[4, 4]),
]

# --- Address -----------------------------------------------------------------------------------------------------

ROADS = ["长宁路", "仙霞路", "天山路", "安西路", "愚园路", "定西路", "延安西路", "虹桥路", "娄山关路", "古北路", "水城路",
         "遵义路", "哈密路", "金钟路", "剑河路", "淞虹路", "茅台路", "武夷路", "番禺路", "江苏路", "华阳路", "凯旋路",
         "万航渡路", "新华路", "法华镇路", "威宁路", "协和路", "芙蓉江路", "中山西路", "宣化路", "镇宁路", "可乐路",
         "平塘路", "新渔路", "北渔路", "广顺路", "红宝石路", "荣华东道", "姚虹路", "黄金城道"]
COMPOUNDS = ["虹桥新城", "仙霞新村", "天山新村", "剑河家苑", "金钟苑", "华阳小区", "新泾家苑", "哈密公寓", "虹古小区",
             "茅台新苑", "北虹小区", "武夷花园", "安化小区", "虹旭小区", "玉屏小区", "天原小区", "海华花园", "馥园",
             "虹桥馨苑", "锦绣华庭", "通协小区", "紫云小区"]
STREETS = ["华阳路街道", "新泾镇", "天山路街道", "仙霞新村街道", "虹桥街道", "周家桥街道", "江苏路街道", "北新泾街道",
           "程家桥街道", "新华路街道"]


def num(n, style=ASCII, masked=False):
    return [P(style(int(c)), masked) for c in str(n)]


def room_number():
    return rng.randint(1, 18) * 100 + rng.randint(1, 6)


def cn_small(n):
    """1..99 the way Chinese numbers are read: 七, 十二, 二十一."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else units[tens]) + "十" + (units[ones] if ones else "")


def address(form):
    road = rng.choice(ROADS)
    lane = rng.randint(1, 1800)
    bldg = rng.randint(1, 60)
    room = room_number()
    unit = rng.randint(1, 6)
    compound = rng.choice(COMPOUNDS)
    street = rng.choice(STREETS)
    if form == "lane":
        return keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号") + num(room, masked=True) + keep("室")
    if form == "lane-building":
        return (keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号楼") + num(room, masked=True)
                + keep("室"))
    if form == "compound":
        return keep(compound) + num(bldg) + keep("号") + num(room, masked=True) + keep("室")
    if form == "compound-dong":
        return keep(compound) + num(bldg) + keep(rng.choice(["栋", "幢"])) + num(room, masked=True) + keep("室")
    if form == "unit":
        return (keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号") + num(unit, masked=True) + keep("单元")
                + num(room, masked=True) + keep("室"))
    if form == "street-unit":
        return (keep(street) + keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号") + num(unit, masked=True)
                + keep("单元") + num(room, masked=True) + keep("室"))
    if form == "street-compound":
        return keep(street) + keep(compound) + num(bldg) + keep("号") + num(room, masked=True) + keep("室")
    if form == "district":
        return (keep("长宁区") + keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号") + num(room, masked=True)
                + keep("室"))
    if form == "cn-room":
        return (keep(road) + num(lane) + keep("弄") + keep(cn_small(bldg % 20 + 1)) + keep("号")
                + num(room, CN_CIRCLE, masked=True) + keep("室"))
    if form == "cn-unit":
        return (keep(compound) + num(bldg) + keep("号") + num(unit, CN_LING, masked=True) + keep("单元")
                + num(room, CN_CIRCLE, masked=True) + keep("室"))
    if form == "full-room":
        return keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号") + num(room, FULL, masked=True) + keep("室")
    if form == "road-number":
        return keep(road) + num(rng.randint(1, 1600)) + keep("号") + num(room, masked=True) + keep("室")
    if form == "lane-building-unit":
        return (keep(road) + num(lane) + keep("弄") + num(bldg) + keep("号楼") + num(unit, masked=True) + keep("单元")
                + num(room, masked=True) + keep("室"))
    raise ValueError(form)


ADDRESS_FORMATS = [(lambda f: (lambda: address(f)))(f) for f in
                   ["lane", "lane", "lane-building", "compound", "compound-dong", "unit", "street-unit",
                    "street-compound", "district", "cn-room", "cn-unit", "full-room", "road-number",
                    "lane-building-unit"]]

# ----------------------------------------------------------------------------------------------------------------
# Contexts

TOPICS = [
    "老旧小区加装电梯的补贴什么时候能批下来",
    "我们楼加装电梯的意见征询已经签满了，想问下一步怎么走",
    "加装电梯施工噪音太大，早上不到七点就开工",
    "加装电梯后低楼层住户的采光受影响，希望给予补偿",
    "小区停车位太少，晚上回来根本找不到车位",
    "建议附近商场晚上错峰共享停车，方便居民停车",
    "垃圾分类投放点离我们楼太远了，老人走过去不方便",
    "湿垃圾桶清运不及时，夏天味道很大",
    "垃圾厢房的开放时间太短，上班族赶不上",
    "长者食堂的菜品可以再丰富一点，价格也希望优惠些",
    "想给家里老人办长者食堂的助餐卡",
    "天山路上的道路施工已经持续好几个月了，晚上还在打桩",
    "华阳路街道的口袋公园晚上灯光太暗，希望增加照明",
    "新泾镇这边的公交线路太少，去地铁站很不方便",
    "楼下广场舞音乐太响，晚上九点以后还在跳",
    "中山公园周边的非机动车乱停乱放问题很严重",
    "小区里的共享单车堆成山，堵住了消防通道",
    "临街饭店油烟直排，影响楼上住户",
    "希望在社区增设几处无障碍坡道",
    "小区的电动自行车充电桩不够用",
    "楼道里堆放杂物，存在消防隐患",
    "外环林带的步道能否延长到新泾镇",
    "学校门口早晚高峰接送车辆太多，交通很乱",
    "想报名参加社区老年大学的书法班",
    "我是独居老人，想申请居家养老上门服务",
    "社区卫生服务中心的配药时间能不能延长",
    "小区门口的路灯坏了半个月还没人修",
    "愚园路的街区改造很好看，但是人行道太窄",
    "苏州河步道的夜跑照明可以再加强",
    "小区绿化带被改成了停车位，希望恢复",
    "建议在长宁区多建几个社区食堂，方便上班族",
    "大件垃圾预约清运的流程太复杂了",
    "小区物业费上涨没有经过业主大会讨论",
    "非机动车道被机动车占用，骑车很危险",
    "虹桥路附近的工地夜间施工，严重影响休息",
    "希望社区能开设老年人智能手机培训课",
    "居委会组织的议事会我很想参加",
    "河道边的健身器材坏了好几件",
    "公园里的公共厕所需要增加无障碍设施",
    "仙霞路菜场门口早上乱停车，行人都走不过去",
    "对长宁区加装电梯实施办法的征求意见稿有几点建议",
    "地铁2号线娄山关路站出口的非机动车停放点太小",
    "小区里的快递柜占了消防通道",
    "长者食堂的送餐服务能不能覆盖到我们小区",
    "古北这边外籍居民多，希望垃圾分类宣传有双语版",
    "新泾镇的社区文化活动中心周末能否延长开放",
    "对停车管理办法里的错峰停车收费标准有意见",
    "楼上空调外机噪音很大，晚上睡不着",
]
CLOSINGS = ["谢谢！", "麻烦尽快回复。", "盼复。", "请工作人员联系我。", "白天都在家。", "工作日晚上方便接听。",
            "如需材料我可以提供。", "辛苦了！", "希望早日解决。", "期待答复，谢谢。", "谢谢街道的工作人员。", "急！"]
NAMES = ["王阿姨", "李先生", "张老师", "陈女士", "刘师傅", "赵阿姨", "周先生", "吴女士", "孙老伯", "徐老师"]

MONEY_TOPICS = [
    "加装电梯的财政补贴请打到我的账户",
    "长者食堂预存的餐费想申请退款",
    "停车场多收的停车费请退回",
    "高龄老人营养补贴一直没有到账",
    "垃圾分类积分兑换的奖励金请发放到卡上",
    "社区志愿服务的交通补贴还没收到",
    "加装电梯我们家出资的部分多交了，请退还",
    "居家养老服务的补贴发放账户需要变更",
]
PASSPORT_TOPICS = [
    "我长期在国外工作，刚回到长宁，社区要登记身份信息",
    "我是华侨，回国探亲期间想参加社区议事会",
    "参加区里的政府开放月活动需要实名预约",
    "替父母咨询长者食堂办卡，我本人常住国外",
    "我们楼加装电梯表决，我在国外只能远程签字",
    "回国后想在新泾镇租房，居住登记要准备什么材料",
    "公众代表报名表上没有护照的选项",
    "想旁听区政府常务会议，报名时只能填护照",
]
PERMIT_TOPICS = {
    "C": ["社区组织去澳门参观养老机构，报名需要登记证件", "街道组织的港澳交流活动报名", "下个月去香港参加社区治理交流会",
          "居委会统计出行的志愿者名单"],
    "L": ["参加两岸社区交流活动报名", "街道组织去台湾参访养老服务", "报名海峡两岸青年交流营"],
    "H": ["我是香港居民，父母住在华阳路，想帮他们申请长者食堂助餐卡", "我是香港居民，在新泾镇租房住，想办停车证",
          "我在香港工作，周末回长宁照顾老人，想报名社区志愿者"],
    "M": ["我是澳门居民，想为住在天山路的母亲申请居家养老服务", "我是澳门居民，报名参加长宁区的政府开放月活动",
          "我是澳门居民，老房子加装电梯需要我签字"],
}

MOBILE_FRAMES = [
    "{P}是我的手机号，{T}，{C}", "{P}（微信同号），{T}，{C}", "{P}，这是我的联系方式。{T}。", "{P}请回电，{T}。",
    "{T}，我的手机{P}，{C}", "{T}，联系电话：{P}，{C}", "我的电话{P}请回电，{T}。", "{N}，手机{P}，{T}。",
    "{T}，有问题打{P}找我，{C}", "{T}。联系人{N}，电话{P}，{C}", "手机号{P}，{T}。", "{T}，请打我手机{P}，{C}",
    "{T}，手机：{P}", "{T}，联系方式{P}", "{T}，我的手机号码是{P}。", "{T}，麻烦回电{P}！", "{T}，请联系{N}{P}",
    "{T}。手机 {P}", "{T}（联系人：{N}，{P}）", "{T}，打{P}就能找到我。",
]
ID_FRAMES = [
    "{P}是我的身份证号，{T}。", "{P}，这是我母亲的身份证号码，想给她办长者食堂的助餐卡。", "身份证号{P}，{T}，{C}",
    "{T}，我的身份证号码：{P}，{C}", "{T}，本人身份证{P}", "报名人{N}，身份证号{P}，{T}。", "{T}。申请人身份证号：{P}。",
    "{T}，身份证{P}，{C}", "{T}，需要的话我的证件号是{P}，{C}", "我是{N}，身份证号码{P}，{T}。",
    "{T}，老人的身份证号是{P}", "身份证：{P}。{T}，{C}",
]
LANDLINE_FRAMES = [
    "{T}，我家座机{P}，{C}", "{P}是我家电话，{T}。", "{T}，联系电话：{P}", "{T}，请打{P}找{N}。", "家里电话{P}，{T}，{C}",
    "{T}，办公电话{P}，{C}", "{T}。座机：{P}", "{P}（家里座机），{T}。", "{T}，固定电话{P}，{C}",
]
LANDLINE_BARE_FRAMES = ["{T}，{L}{P}，{C}", "{L}{P}，{T}。", "{T}，{L}{P}", "{N}，{L}{P}，{T}。"]
EMAIL_FRAMES = [
    "{T}，详细材料可以发到我的邮箱{P}，{C}", "{P}是我的邮箱，{T}。", "邮箱：{P}，{T}，{C}", "{T}，请把回复发到{P}",
    "{T}，电子邮件{P}，{C}", "{T}，我的邮箱是 {P} {C}", "{T}，照片已经发到{P}了", "我是{N}，邮箱{P}，{T}。",
    "{T}。回复请寄{P}！",
]
CARD_FRAMES = [
    "{M}，我的银行卡号{P}，{C}", "{P}是我的银行卡，{M}。", "银行卡号：{P}，户名{N}，{M}。", "{M}，请打到卡号{P}",
    "{M}，收款账户{P}（借记卡），{C}", "{M}，卡号 {P} {C}", "我是{N}，{M}，卡号{P}。",
]
DOC_FRAMES = [
    "{D}，我的{P}，{C}", "{P}，{D}。", "{D}，{P}，{C}", "{D}，登记时填的{P}，请核对。", "我是{N}，{P}，{D}。",
    "{D}。{P}", "{D}，{P}已经过期了，还能用来登记吗？",
]
ADDRESS_FRAMES = [
    "我家住{P}，{T}。", "{P}的住户反映：{T}。", "{T}，我住在{P}，{C}", "地址：{P}，{T}，{C}", "{T}，欢迎来{P}实地看看。",
    "{P}，{T}。", "{T}，家住{P}", "{N}（{P}）反映，{T}。", "{T}，材料请寄到{P}，{C}", "我是{N}，住{P}，{T}。",
]

OK_BEFORE_EMAIL = set("._%+-")


def neighbour_ok(prefix, suffix, kind):
    """The characters around the span must not extend it (a digit, a letter, an e-mail character, 室)."""
    def bad(c):
        return (digit_value(c) is not None or is_letter(c) or c in "@＠+＋_%" or c == "室")
    if kind == "Email":
        if prefix and (prefix[-1] in OK_BEFORE_EMAIL or is_letter(prefix[-1]) or digit_value(prefix[-1]) is not None):
            return False
        if suffix and (suffix[0] in "._%+-。．" or is_letter(suffix[0]) or digit_value(suffix[0]) is not None):
            return False
    k = skip_back(prefix, len(prefix) - 1)
    if k >= 0 and bad(prefix[k]):
        return False
    k = 0
    while k < len(suffix) and (suffix[k] in SEPARATORS or suffix[k] in INVISIBLE):
        k += 1
    if k < len(suffix) and bad(suffix[k]):
        return False
    return True


def fill(frame, topics, **extra):
    text = frame
    for key, pool in [("{T}", topics), ("{C}", CLOSINGS), ("{N}", NAMES)] + list(extra.items()):
        while key in text:
            text = text.replace(key, rng.choice(pool), 1)
    before, after = text.split("{P}")
    return before, after


def generate(kind, count, formats, make_context):
    entries, seen, i, attempts = [], set(), 0, 0
    while len(entries) < count:
        attempts += 1
        assert attempts < count * 100, (kind, len(entries))
        fmt = formats[i % len(formats)]
        tag = None
        if isinstance(fmt, tuple):
            tag, fmt = fmt
        pieces = fmt()
        prefix, suffix = make_context(tag)
        span = "".join(o for o, _ in pieces)
        masked_span = "".join(m for _, m in pieces)
        text = prefix + span + suffix
        if text in seen or not 10 <= len(text) <= 120 or u16(text) > 120:
            continue
        if problems(prefix + "〓" + suffix) or not neighbour_ok(prefix, suffix, kind):
            continue
        seen.add(text)
        entries.append({"kind": kind, "text": text, "masked": prefix + masked_span + suffix})
        i += 1
    return entries


def landline_context(tag):
    if tag == "bare":
        lead = rng.choice(["电话", "座机", "联系电话", "固话"]) + rng.choice(LANDLINE_GAPS)
        frame = rng.choice(LANDLINE_BARE_FRAMES).replace("{L}", lead)
        return fill(frame, TOPICS)
    return fill(rng.choice(LANDLINE_FRAMES), TOPICS)


def passport_context(_):
    before, after = fill(rng.choice(DOC_FRAMES), TOPICS, **{"{D}": PASSPORT_TOPICS})
    return before + rng.choice(PASSPORT_LEADS), after


def permit_generate(count):
    # The permit's letter decides its lead word (港澳通行证 C, 台湾通行证 L, 回乡证 H/M), so contexts follow the format.
    entries, seen, i, attempts = [], set(), 0, 0
    while len(entries) < count:
        attempts += 1
        assert attempts < count * 100
        pieces = PERMIT_FORMATS[i % len(PERMIT_FORMATS)]()
        letter = half(pieces[0][0]) if pieces[0][0] not in INVISIBLE else half(pieces[1][0])
        before, after = fill(rng.choice(DOC_FRAMES), TOPICS, **{"{D}": PERMIT_TOPICS[letter]})
        prefix = before + rng.choice(PERMIT_LEADS[letter])
        suffix = after
        text = prefix + "".join(o for o, _ in pieces) + suffix
        if text in seen or not 10 <= len(text) <= 120:
            continue
        if problems(prefix + "〓" + suffix) or not neighbour_ok(prefix, suffix, "TravelPermit"):
            continue
        seen.add(text)
        entries.append({"kind": "TravelPermit", "text": text, "masked": prefix + "".join(m for _, m in pieces) + suffix})
        i += 1
    return entries


# ----------------------------------------------------------------------------------------------------------------
# Innocent texts

CN_YEAR = lambda y: "".join("〇一二三四五六七八九"[int(c)] for c in str(y))
FULLW = lambda s: "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in s)


def r_date():
    y, m, d = rng.randint(2022, 2027), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([
        "%d-%02d-%02d" % (y, m, d), "%d.%d.%d" % (y, m, d), "%d/%d/%d" % (y, m, d), "%d年%d月%d日" % (y, m, d),
        "%d年%d月%d日" % (y, m, d), "%s年%s月" % (CN_YEAR(y), cn_small(m)),
        "%s年%s月%s日" % (CN_YEAR(y), cn_small(m), cn_small(d)), FULLW("%d年%d月%d日" % (y, m, d)),
        "%d年%d月" % (y, m), "%d月%d日" % (m, d)])


def r_md():
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(["%d月%d日" % (m, d), "%s月%s日" % (cn_small(m), cn_small(d)), "%d.%d" % (m, d)])


def r_doc():
    return rng.choice(["长府发〔%d〕%d号", "沪府办〔%d〕%d号", "长民〔%d〕%d号", "长府办发〔%d〕%d号", "沪建房管〔%d〕%d号",
                       "长建管〔%d〕%d号", "沪府规〔%d〕%d号", "长发改〔%d〕%d号", "长府办〔%d〕%d号"]) % (
        rng.randint(2021, 2026), rng.randint(1, 60))


def r_road():
    return rng.choice(ROADS)


def r_addr():
    """A place down to the lane, the number or the building, never to the room."""
    road = rng.choice(ROADS)
    return rng.choice([
        "%s%d弄%d号" % (road, rng.randint(1, 1800), rng.randint(1, 60)),
        "%s%d弄" % (road, rng.randint(1, 1800)),
        "%s%d号" % (road, rng.randint(1, 1800)),
        "%s%d号楼" % (rng.choice(COMPOUNDS), rng.randint(1, 40)),
        "%s%d弄%d号楼" % (road, rng.randint(1, 1800), rng.randint(1, 60)),
        "%s%d栋" % (rng.choice(COMPOUNDS), rng.randint(1, 40)),
        "长宁路1018弄5号", "愚园路1136弄", "天山路345弄3号楼"])


def r_pct():
    return rng.choice(["%d%%" % rng.randint(51, 99), "%.1f%%" % (rng.randint(500, 999) / 10), "三分之二", "四分之三",
                       "七成", "八成以上", "%d%%" % rng.randint(5, 45)])


def r_growth():
    return rng.choice(["增长%.1f%%" % (rng.randint(10, 400) / 10), "下降%.1f个百分点" % (rng.randint(5, 90) / 10),
                       "提高了%d%%" % rng.randint(2, 40), "翻了一番", "增长了近三成"])


SLOTS = {
    "{DATE}": r_date,
    "{MD}": r_md,
    "{DOC}": r_doc,
    "{ROAD}": r_road,
    "{ADDR}": r_addr,
    "{PCT}": r_pct,
    "{GROWTH}": r_growth,
    "{TIME_AM}": lambda: rng.choice(["上午9点", "早上7点", "早上6点半", "上午8:30", "上午10:30", "早上7:30", "上午九点",
                                     "上午9:30"]),
    "{TIME_PM}": lambda: rng.choice(["下午2:30", "下午3点", "下午4点半", "下午5点", "下午两点", "下午4:30", "傍晚6点"]),
    "{TIME_NIGHT}": lambda: rng.choice(["晚上10点", "晚上9点半", "晚上22:30", "凌晨2点", "晚上八点", "夜里11点",
                                        "晚上10:30", "晚上9点"]),
    "{HOURS}": lambda: rng.choice(["9:00-17:00", "上午8:30至11:30", "7:00到19:00", "10:30-13:00",
                                   "周一至周五9:00-17:00", "11:00—13:30"]),
    "{SUBSIDY}": lambda: rng.choice(["每台24万元", "最高28万元", "12.5万元", "每台不超过30万元", "每台20万元",
                                     "总造价的40%", "每台¥250,000"]),
    "{BUDGET}": lambda: rng.choice(["1,250,000元", "2,480,000元", "约1.2亿元", "86.5万元", "3,600万元", "¥5,800,000",
                                    "4.3亿元", "960万元"]),
    "{MEAL}": lambda: rng.choice(["15元", "¥12.5", "18元", "￥22", "20元", "13.5元", "¥16"]),
    "{FEE}": lambda: rng.choice(["每小时10元", "每月300元", "每月450元", "¥3800一年", "每次5元", "每月600元",
                                 "每小时15元", "每月¥280"]),
    "{ALLOW}": lambda: rng.choice(["每人每月100元", "每月150元", "每户2000元", "每年1200元", "每月75元", "每月300元"]),
    "{MAINT}": lambda: rng.choice(["1200元", "2000元左右", "800元", "1,500元", "三四千元", "¥2600"]),
    "{SMALLMONEY}": lambda: rng.choice(["1元", "5元", "2元钱", "一包纸巾", "0.5元"]),
    "{ART}": lambda: rng.choice(["第十二条", "第3条第2款", "第二十一条", "第五章第三十条", "第8条", "第四条第一款",
                                 "第十五条第（二）项", "第6条第3项", "第二章", "第九条", "第17条", "第二十四条第二款"]),
    "{YEARS}": lambda: rng.choice(["2022-2026年", "2025年至2027年", "2024—2026年", "2023~2025年", "2026—2030年",
                                   "十四五期间", "2026年", "2025-2027年"]),
    "{YEARS_AGO}": lambda: rng.choice(["三十多年", "四十年", "二十几年", "快五十年", "%d年" % rng.randint(12, 45)]),
    "{BUS}": lambda: rng.choice(["71路", "地铁2号线", "地铁10号线", "地铁15号线", "57路", "925路", "地铁3号线",
                                 "地铁4号线", "88路", "748路", "地铁13号线", "941路", "73路", "临空1路"]),
    "{POST}": lambda: rng.choice(["200050", "200051", "200335", "200336", "200042", "200052"]),
    "{STD_NOISE}": lambda: rng.choice(["GB 3096-2008", "GB 3096", "《声环境质量标准》"]),
    "{STD_ELEV}": lambda: rng.choice(["GB 7588-2003", "GB/T 10058", "TSG T7001"]),
    "{STD_ACCESS}": lambda: rng.choice(["GB 55019", "GB 50763", "《无障碍设计规范》"]),
    "{HOT}": lambda: rng.choice(["12345", "110", "119", "120", "962121", "12319", "962200"]),
    "{WO}": lambda: rng.choice(["工单编号%d" % rng.randint(2025001, 2026999), "受理号%d" % rng.randint(100000, 999999),
                                "工单号2026-%04d" % rng.randint(1, 9999), "编号%d" % rng.randint(20250101, 20261231)]),
    "{PROJ}": lambda: rng.choice(["项目编号%d" % rng.randint(20250101, 20261231), "项目编号2026-%04d" % rng.randint(1, 9999),
                                  "合同编号%d" % rng.randint(1000000, 9999999), "标段%d" % rng.randint(1, 12)]),
    "{HH}": lambda: rng.choice(["%d户" % rng.randint(60, 3000), "%s户" % "{:,}".format(rng.randint(1000, 9999)),
                                "%s 户" % "{:,}".format(rng.randint(1000, 9999)), "1280户", "3,600 户"]),
    "{ELEV}": lambda: rng.choice(["%d台" % rng.randint(20, 600), "%d部电梯" % rng.randint(20, 600)]),
    "{SPOTS}": lambda: "%d个车位" % rng.randint(20, 400),
    "{CARS}": lambda: "%d辆" % rng.randint(300, 900),
    "{OLD}": lambda: rng.choice(["%d位老人" % rng.randint(40, 500), "上百位老人", "%d名老人" % rng.randint(40, 500)]),
    "{PEOPLE}": lambda: rng.choice(["%d位居民" % rng.randint(100, 5000), "%s人次" % "{:,}".format(rng.randint(1000, 20000)),
                                    "近万人"]),
    "{COMMENTS}": lambda: "%d条" % rng.randint(120, 3000),
    "{DIST}": lambda: rng.choice(["500米", "1.2公里", "150米", "800多米", "2.5公里", "三百米"]),
    "{WIDTH}": lambda: rng.choice(["1.2米", "不到1米", "1.5米", "80厘米", "两米"]),
    "{DB}": lambda: rng.choice(["%d分贝" % rng.randint(55, 85), "55分贝", "70分贝"]),
    "{AGE}": lambda: rng.choice(["60岁以上", "80周岁以上", "70岁以上", "90岁以上", "65岁以上"]),
    "{DUR}": lambda: rng.choice(["三个月", "半年", "两年多", "45天", "一年半", "%d个月" % rng.randint(2, 18)]),
    "{DUR_SHORT}": lambda: rng.choice(["20分钟", "半小时", "40多分钟", "一个小时", "15分钟"]),
    "{FLOORS}": lambda: rng.choice(["6层", "7层", "六层", "五层", "5层"]),
    "{CNC}": lambda: rng.choice(["三百二十户", "两千多户", "一百多户", "八百多户", "六十多户"]),
    "{N}": lambda: str(rng.randint(3, 40)),
    "{QUORUM}": lambda: rng.choice(["三分之二", "四分之三", "75%", "90%", "2/3", "80%"]),
    "{BUSONLY}": lambda: rng.choice(["71路", "57路", "925路", "88路", "748路", "941路", "73路", "临空1路"]),
    "{NB}": lambda: str(rng.randint(10, 30)),
    "{NS}": lambda: str(rng.randint(2, 9)),
    "{M1}": lambda: str(rng.randint(15, 40) * 10),
    "{M2}": lambda: str(rng.randint(45, 80) * 10),
    "{ELEV_COST}": lambda: rng.choice(["60万元", "¥580,000", "55.8万元", "七十多万元", "650,000元"]),
}

INNOCENT_TEMPLATES = [
    "《长宁区既有多层住宅加装电梯实施办法（征求意见稿）》{ART}的补贴标准建议提高到{SUBSIDY}。",
    "{DATE}{TIME_PM}在{ADDR}召开加装电梯议事会，欢迎居民参加。",
    "根据{DOC}，{YEARS}全区计划完成加装电梯{ELEV}。",
    "我们小区一共{HH}，同意加装电梯的占{PCT}，希望尽快立项。",
    "{ADDR}的垃圾厢房每天{TIME_AM}才开门，上班族根本赶不上。",
    "建议{BUS}在{ROAD}附近增设一个站点，老人出行会方便很多。",
    "征求意见稿{ART}提到的错峰停车，收费标准{FEE}是否合理？",
    "今年长者食堂服务人次{GROWTH}，建议在{ADDR}附近再开一家。",
    "夜间施工噪声超过{STD_NOISE}规定的限值，{TIME_NIGHT}还在打桩。",
    "电梯安装应当符合{STD_ELEV}，请街道在验收时严格把关。",
    "{DOC}要求{YEARS}完成垃圾分类达标小区创建，我们小区还差得远。",
    "邮寄地址请写长宁区{ROAD}{N}号，邮编{POST}，信封上注明“意见征集”。",
    "遇到紧急情况请拨打{HOT}，不要在留言板上反映，耽误事。",
    "我已经打过{HOT}反映，{WO}，到现在还没有处理结果。",
    "{ROAD}的排水管道改造，{PROJ}，{DATE}开工，工期{DUR}，影响太大。",
    "补贴申请表第{N}项要提供的材料太多，建议简化。",
    "{ADDR}门口的人行道只有{WIDTH}宽，推轮椅根本过不去。",
    "小区停车位只有{SPOTS}，而登记车辆超过{CARS}，缺口很大。",
    "{ADDR}楼下的广场舞{TIME_NIGHT}还在放音乐，音量超过{DB}。",
    "建议长者食堂的套餐价格控制在{MEAL}以内，{AGE}的老人再打折。",
    "区里{YEARS}的养老服务规划中，社区食堂要覆盖{PCT}的居委会。",
    "{DATE}的议事会我参加了，会上说补贴{SUBSIDY}，后来又变了。",
    "坐{BUS}到{ROAD}要{DUR_SHORT}，希望优化线路。",
    "意见征集截止到{DATE}，请大家在{TIME_PM}前提交。",
    "《上海市生活垃圾管理条例》{ART}规定了分类投放管理责任人，物业要落实。",
    "我们楼是{FLOORS}的老房子，建成{YEARS_AGO}了，住户{PCT}都是老人。",
    "{ADDR}那里的积水问题从{DATE}开始就一直存在。",
    "加装电梯后每户每年维保费用大约{MAINT}，谁来承担？",
    "文件{DOC}{ART}写得很清楚，街道应该按规定执行。",
    "建议在{ADDR}旁边设置临时停车泊位{N}个，{TIME_NIGHT}以后免费。",
    "全区{YEARS}要改造{HH}，预算{BUDGET}，这个钱怎么分配？",
    "{DATE}开始实施的新规定，{ART}对低楼层住户的补偿太少。",
    "小区有{CNC}，{PCT}的居民支持把绿地改成停车场，我反对。",
    "新泾镇的文化活动中心{TIME_PM}就关门了，能否延长到{TIME_NIGHT}？",
    "华阳路街道今年垃圾分类达标率{GROWTH}，但湿垃圾的纯净度还是不够。",
    "天山路那段道路施工，{PROJ}，原定{DATE}完工，现在延期了。",
    "建议参考{DOC}的做法，给{AGE}的独居老人上门送餐。",
    "加装电梯的井道距离窗户只有{WIDTH}，低层采光影响很大。",
    "{ADDR}到{BUS}车站只有{DIST}，但是没有红绿灯，很危险。",
    "投放点从{NB}个减少到{NS}个以后，有的居民要走{DIST}才能扔垃圾。",
    "我家住{ADDR}，楼里一半以上是{AGE}的老人，希望加装电梯。",
    "这份征求意见稿{ART}和{ART}的表述前后矛盾。",
    "议事会记录显示{PCT}的住户同意，但实际签字的不到一半。",
    "{DATE}{TIME_NIGHT}，{ADDR}附近的工地还在施工，噪声很大。",
    "我统计了一下，{YEARS}我们小区的物业费涨了{PCT}。",
    "长者食堂的套餐{MEAL}一份，比外面的快餐还贵，不太合理。",
    "社区卫生服务中心{TIME_PM}就停止配药，上班族来不及。",
    "建议把{ADDR}的闲置用房改成社区食堂，能服务{OLD}。",
    "地铁站出口的非机动车停放点只有{N}个车位，每天{TIME_AM}就停满了。",
    "老旧小区改造计划里写的是{YEARS}，我们已经等了{DUR}。",
    "{HOT}热线的回复说要等{DUR}，能不能快一点？",
    "公示期从{MD}开始，只有{NS}个工作日，时间太短了。",
    "{ADDR}是历史风貌保护建筑，加装电梯的外观要协调。",
    "请问{DOC}有没有公开的全文？我在区政府网站上没找到。",
    "共享单车每天{TIME_AM}就堆满了{ADDR}门口，有{N}辆之多。",
    "噪声监测结果是{DB}，已经超过{STD_NOISE}规定的限值。",
    "我们楼其余{N}户都同意，只有一楼不同意，电梯还能不能装？",
    "{DATE}的会议纪要里写的同意率是{PCT}，和现场情况不一致。",
    "建议将{ART}中的“三分之二”改为“四分之三”。",
    "{ADDR}拐角的路灯坏了，{DATE}报修到现在还没修。",
    "停车收费从每月{M1}元涨到每月{M2}元，居民难以接受。",
    "养老服务补贴{ALLOW}，对{AGE}的老人来说太少了。",
    "去年区里一共收集到意见{COMMENTS}，采纳了{PCT}。",
    "中山公园{TIME_NIGHT}以后灯光太暗，建议增加照明。",
    "我{DATE}提交的意见到现在都没有回复，{WO}。",
    "小区门口{BUSONLY}的站台没有遮雨棚，下雨天老人只能淋雨。",
    "加装电梯施工期间，{ADDR}的消防通道被占用了。",
    "建议{YEARS}把长者食堂的数量翻一番，达到{N}家。",
    "{ADDR}前面那条路{TIME_NIGHT}以后大车很多，噪声超过{DB}。",
    "垃圾分类积分每{N}分可以兑换{SMALLMONEY}，奖励太少了。",
    "本次意见征集共有{PEOPLE}参与，比去年{GROWTH}。",
    "政府开放月的活动{DATE}开始报名，名额{N}个，{TIME_AM}开放预约。",
    "我们小区{CNC}，都很关心这次的停车管理办法。",
    "区政府常务会议{DATE}{TIME_AM}召开，公众代表可以旁听。",
    "请把{DOC}和相关附件挂到网上，方便大家对照{ART}。",
    "我住的{ADDR}已经{YEARS_AGO}了，外墙一直没有修缮。",
    "建议{BUS}末班车延后到{TIME_NIGHT}，下夜班的人回家太难了。",
    "{ADDR}的电梯{DATE}就装好了，到现在还没通过验收。",
    "加装电梯审批要走{NB}个环节，平均要{DUR}，太慢了。",
    "错峰停车{FEE}，{TIME_NIGHT}进场、{TIME_AM}离场，希望放宽时间。",
    "第{N}期议事会定在{MD}{TIME_PM}，地点在居委会二楼活动室。",
    "长宁区{YEARS}共完成加装电梯{ELEV}，惠及{HH}。",
    "道路施工公告上写的是{DATE}起施工，为期{DUR}，施工时间{HOURS}。",
    "我在{ADDR}住了{YEARS_AGO}，第一次参加意见征集。",
    "{STD_ACCESS}对无障碍设施有明确要求，{ADDR}的坡道太陡了。",
    "{ART}规定的{QUORUM}同意比例，对{FLOORS}的老楼来说太高了。",
    "{BUS}{TIME_AM}的班次太少，等车要{DUR_SHORT}。",
    "小区里{NB}台电梯有{NS}台经常坏，维保单位要换。",
    "社区食堂{HOURS}营业，周末能不能也开门？",
    "{DOC}里说的补贴{SUBSIDY}，是按户算还是按栋算？",
    "长宁区{DATE}发布的公告说，{ROAD}将改为单行道。",
    "垃圾分类志愿者{TIME_AM}到{TIME_AM}值守，{AGE}的志愿者太辛苦了。",
    "{ROAD}{N}号附近新开了一家长者食堂，{MEAL}一餐，味道不错。",
    "有事可以打{HOT} 热线反映，但是{ADDR}的问题处理了{DUR}还没结果。",
    "{ADDR}的加装电梯项目，{PROJ}，计划{DATE}竣工。",
    "希望{DOC}在{DATE}前出台实施细则，{ART}的口径要说清楚。",
    "我们楼{FLOORS}，一共{N}户，加装电梯要{ELEV_COST}，每户分摊多少？",
    "外环林带步道全长{DIST}，建议每隔{DIST}设一个休息座椅。",
    "{AGE}的老人在长者食堂用餐可以享受优惠，每餐减免{SMALLMONEY}。",
    "{YEARS}全区新增公共停车泊位{SPOTS}，还是不够用。",
]

def generate_innocent(count):
    out, seen, attempts, i, tries = [], set(), 0, 0, 0
    while len(out) < count:
        attempts += 1
        assert attempts < count * 60, len(out)
        template = INNOCENT_TEMPLATES[i % len(INNOCENT_TEMPLATES)]
        text = template
        for key, fn in SLOTS.items():
            while key in text:
                text = text.replace(key, fn(), 1)
        tries += 1
        if text in seen or len(text) < 10 or problems(text):
            if tries >= 20:   # a template with few variants is used up: go on to the next one
                i, tries = i + 1, 0
            continue
        seen.add(text)
        out.append(text)
        i, tries = i + 1, 0
    return out


# ----------------------------------------------------------------------------------------------------------------

ESCAPE = {c: "\\u%04x" % ord(c) for c in "\u200b\u200c\u200d\u00ad\u2060\u00a0"}


def dumps(value):
    s = json.dumps(value, ensure_ascii=False)
    for c, e in ESCAPE.items():   # invisible characters and no-break spaces written as escapes, so a reader sees them
        s = s.replace(c, e)
    return s


def write(name, items):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("[\n" + ",\n".join("  " + dumps(x) for x in items) + "\n]\n")


def utf16_units(s):
    b = s.encode("utf-16-le")
    return [b[i:i + 2] for i in range(0, len(b), 2)]


def self_check(personal, innocent):
    star_unit = "*".encode("utf-16-le")
    for e in personal:
        t, m = utf16_units(e["text"]), utf16_units(e["masked"])
        assert len(t) == len(m), e
        assert e["text"] != e["masked"], e
        assert all(a == b or b == star_unit for a, b in zip(t, m)), e
        assert "*" not in e["text"], e
        assert 10 <= len(e["text"]) <= 120, e
    assert len({e["text"] for e in personal}) == len(personal)
    assert len(set(innocent)) == len(innocent)
    for t in innocent:
        assert not problems(t), (t, problems(t))
    # The files read back to the same values.
    for name, items in [("personal.json", personal), ("innocent.json", innocent)]:
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            assert json.load(f) == items, name


def main():
    def ctx(frames, topics=TOPICS, **extra):
        return lambda _tag: fill(rng.choice(frames), topics, **extra)

    personal = []
    personal += generate("IdCard", 95, ID_FORMATS, ctx(ID_FRAMES))
    personal += generate("Mobile", 120, MOBILE_FORMATS, ctx(MOBILE_FRAMES))
    personal += generate("Landline", 60, LANDLINE_FORMATS, landline_context)
    personal += generate("Email", 60, EMAIL_FORMATS, ctx(EMAIL_FRAMES))
    personal += generate("BankCard", 50, CARD_FORMATS, ctx(CARD_FRAMES, **{"{M}": MONEY_TOPICS}))
    personal += generate("Passport", 45, PASSPORT_FORMATS, passport_context)
    personal += permit_generate(50)
    personal += generate("Address", 60, ADDRESS_FORMATS, ctx(ADDRESS_FRAMES))
    # Interleave the kinds so a reader (or a failing test's first lines) sees every kind early on.
    rng.shuffle(personal)

    innocent = generate_innocent(480)

    write("personal.json", personal)
    write("innocent.json", innocent)
    self_check(personal, innocent)

    counts = {}
    for e in personal:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    for kind in ["IdCard", "Mobile", "Landline", "Email", "BankCard", "Passport", "TravelPermit", "Address"]:
        print("%-13s %4d" % (kind, counts.get(kind, 0)))
    print("%-13s %4d" % ("personal", len(personal)))
    print("%-13s %4d" % ("innocent", len(innocent)))


if __name__ == "__main__":
    sys.exit(main())
