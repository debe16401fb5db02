#!/usr/bin/env python3
"""Checks an HTML report of ethos-assess against the JSON report of the same run and the rules of the page.

Usage: check_html.py [--self-test] REPORT.html REPORT.json SECTION[,SECTION...]

With --self-test it plants leaks and faults in the page one at a time and fails unless each is found.

The JSON report is the audited one (the attack tests prove that no combination of its figures exposes fewer than
k people). This program reads the HTML as a browser's parser does (html.parser) and proves that it publishes
nothing more:
  - privacy: every figure of every table is placed: it is the JSON's figure of the same cell (group, unit, cut
    level, construct ...) rounded as printed, and a cell the JSON hides is hatched with its reason in words and
    holds nothing else (no digit in its text or attributes); no comment, script, template, hidden attribute or
    invisible style anywhere; data attributes only name cells (labels the JSON publishes);
  - self-contained: no script, no link, image, frame or object, no URL but in-page references (and the SVG
    namespace);
  - structure: the sections given, in the library's order, each with a heading and one reading sentence;
  - accessibility: tables with a caption, column headers and row headers; every chart an SVG with a title and
    a description; every colour pair of text and ground in the page at a contrast of at least 4.5:1; the page's
    language and title; print rules for A4 that keep tables whole.
Standard library only. Prints one line per problem and exits 1 when there is any.
"""

import json
import math
import re
import sys
from html.parser import HTMLParser

ORDER = ["summary", "constructs", "profile", "heatmap", "drivers", "trend", "internal-service", "measurement",
         "warnings", "key"]
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
problems = []


def problem(message):
    problems.append(message)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag=None, cls=None):
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.attrs.get("class", "").split()):
                    yield c
                yield from c.find_all(tag, cls)

    def elements(self):
        return [c for c in self.children if isinstance(c, Node)]


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root
        self.style = ""

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is None:
            problem("end tag </%s> without a start tag" % tag)
            return
        self.cur = n.parent

    def handle_data(self, data):
        if self.cur.tag == "style":
            self.style += data
        self.cur.children.append(data)

    def handle_comment(self, data):
        problem("a comment in the page: <!--%s-->" % data[:60])

    def handle_pi(self, data):
        problem("a processing instruction in the page")


# ---- numbers as the page prints them ----------------------------------------------------------------------------

def fixed(v, d):
    # format_fixed: half away from zero.
    q = 10 ** d
    r = math.floor(abs(v) * q + 0.5) / q
    s = ("%." + str(d) + "f") % r
    return ("-" + s) if v < 0 and float(s) != 0 else s


def close(printed, value, decimals, label):
    """A printed figure is `value` rounded to `decimals` (half a unit of the last digit, and a hair for ties)."""
    try:
        p = float(printed.replace("\u2212", "-").replace("+", "").replace("%", "").replace("\u25b2", "")
                  .replace("\u25bc", "").strip())
    except ValueError:
        problem("%s: '%s' is not a number (expected %r)" % (label, printed, value))
        return
    if value is None or abs(p - value) > 0.5 * 10 ** -decimals + 1e-9:
        problem("%s: printed %s, the JSON says %r" % (label, printed, value))


def cells(tr):
    return [c for c in tr.elements() if c.tag in ("td", "th")]


def hidden_ok(td, status, reasons, label):
    """A hidden cell: class hid, its reason as title, a decorative hatch and one word (or the sentence)."""
    if "hid" not in td.attrs.get("class", "").split():
        problem("%s: hidden in the JSON (%s) but not hatched: %r" % (label, status, td.text()))
        return
    for name, value in td.attrs.items():
        if name not in ("class", "title", "colspan"):
            problem("%s: a hidden cell carries the attribute %s" % (label, name))
        if name == "title" and value not in reasons:
            problem("%s: a hidden cell's title is not a reason: %r" % (label, value))
    words = td.text().strip()
    allowed = {"too_small": {"too few"}, "secondary": {"withheld"}, "withheld": {"withheld"}}.get(status, set())
    if words not in allowed and words not in reasons:
        problem("%s: a hidden cell reads %r, not its reason (%s)" % (label, words, status))
    for el in td.find_all():
        if el.tag not in ("svg", "rect", "span"):
            problem("%s: a hidden cell holds a <%s>" % (label, el.tag))
        for name, value in el.attrs.items():
            if name not in ("class", "aria-hidden", "focusable", "width", "height", "fill"):
                problem("%s: a hidden cell's <%s> carries %s" % (label, el.tag, name))
            elif name in ("width", "height") and value != "100%":
                problem("%s: a hidden cell's <%s> carries %s=%r" % (label, el.tag, name, value))


def shown_share(td, share, label):
    if share is None:
        if td.text().strip() != "n/a":
            problem("%s: the JSON has no value, the page shows %r" % (label, td.text()))
        return
    if "hid" in td.attrs.get("class", ""):
        problem("%s: shown in the JSON but hatched in the page" % label)
        return
    close(td.text(), 100.0 * share, 0, label)


# ---- the checks ---------------------------------------------------------------------------------------------------

def check_structure(doc, expected):
    html = next(doc.find_all("html"), None)
    if html is None or not html.attrs.get("lang"):
        problem("the page has no <html lang>")
    if not next(doc.find_all("title"), None) or not next(doc.find_all("title")).text().strip():
        problem("the page has no title")
    if len(list(doc.find_all("h1"))) != 1:
        problem("the page needs exactly one h1")
    sections = [s for s in doc.find_all("section")]
    ids = [s.attrs.get("id") for s in sections]
    if ids != expected:
        problem("sections %s, expected %s" % (ids, expected))
    if ids != [i for i in ORDER if i in ids]:
        problem("sections out of order: %s" % ids)
    for s in sections:
        h2 = [e for e in s.elements() if e.tag == "h2"]
        reading = [e for e in s.elements() if e.tag == "p" and "reading" in e.attrs.get("class", "")]
        if len(h2) != 1 or h2[0].attrs.get("id") != s.attrs.get("aria-labelledby"):
            problem("section %s: one h2 that labels it" % s.attrs.get("id"))
        if len(reading) != 1:
            problem("section %s: one reading sentence" % s.attrs.get("id"))
        else:
            t = reading[0].text().strip()
            if not t.endswith(".") or re.search(r"[.!?] [A-Z]", t[:-1]):
                problem("section %s: the reading guide is not one sentence: %r" % (s.attrs.get("id"), t))
    return {s.attrs.get("id"): s for s in sections}


def check_self_contained(doc, style):
    for el in doc.find_all():
        if el.tag in ("script", "link", "img", "iframe", "object", "embed", "template", "noscript", "base", "audio",
                      "video", "input", "form", "image", "use", "foreignobject", "a"):
            problem("the page has a <%s>" % el.tag)
        for name, value in el.attrs.items():
            value = value or ""
            if name in ("hidden",) or (name == "type" and value == "hidden"):
                problem("a hidden element: <%s %s>" % (el.tag, name))
            if name.startswith("on"):
                problem("an event handler: <%s %s>" % (el.tag, name))
            if name in ("src", "href", "xlink:href", "srcset", "action", "poster"):
                problem("<%s %s=%r>: nothing is loaded" % (el.tag, name, value))
            if name == "style" and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d])",
                                             value):
                problem("an invisible element: <%s style=%r>" % (el.tag, value))
            for url in re.findall(r"url\(([^)]*)\)", value):
                if not url.startswith("#"):
                    problem("<%s %s> refers to %r" % (el.tag, name, url))
            if "http" in value and not (el.tag == "svg" and name == "xmlns" and value == "http://www.w3.org/2000/svg"):
                problem("<%s %s=%r> names an address" % (el.tag, name, value))
    if re.search(r"@import|url\(|@font-face|http", style):
        problem("the style sheet loads something")
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style):
        problem("the style sheet hides something")
    for must in (r"@page\{size:A4", r"table\{[^}]*break-inside:avoid", r"tr\{break-inside:avoid",
                 r"thead\{display:table-header-group"):
        if not re.search(must, style):
            problem("the print rules lack %s" % must)


def luminance(hexcolour):
    def ch(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    h = hexcolour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def check_accessibility(doc, style):
    for t in doc.find_all("table"):
        name = t.attrs.get("class", "?")
        if not any(e.tag == "caption" and e.text().strip() for e in t.elements()):
            problem("table %s has no caption" % name)
        head = next(t.find_all("thead"), None)
        if head is None or not all(c.attrs.get("scope") == "col" for c in head.find_all("th")):
            problem("table %s: column headers need <thead><th scope=col>" % name)
        for tr in next(t.find_all("tbody")).elements():
            first = cells(tr)[0]
            if first.tag != "th" or first.attrs.get("scope") != "row":
                problem("table %s: a row without a row header: %r" % (name, tr.text()[:40]))
    charts = 0
    for s in doc.find_all("svg"):
        if s.attrs.get("aria-hidden") == "true":
            if s.find_all("text") and next(s.find_all("text"), None) is not None:
                problem("a decorative SVG holds text")
            continue
        charts += 1
        kids = s.elements()
        if s.attrs.get("role") != "img" or len(kids) < 2 or kids[0].tag != "title" or kids[1].tag != "desc" \
                or not kids[0].text().strip() or not kids[1].text().strip():
            problem("a chart without role=img, a title and a description: %r" % s.attrs)
    # Colour pairs: inline styles (heatmap cells) and the style sheet's rules with both a colour and a ground.
    pairs = 0
    for el in doc.find_all():
        st = el.attrs.get("style", "") or ""
        bg = re.search(r"background:(#[0-9a-f]{6})", st)
        fg = re.search(r"(?<!-)color:(#[0-9a-f]{6})", st)
        if bg and fg:
            pairs += 1
            if contrast(bg.group(1), fg.group(1)) < 4.5:
                problem("contrast %.2f of %s on %s" % (contrast(bg.group(1), fg.group(1)), fg.group(1), bg.group(1)))
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        fg = re.search(r"(?<![-\w])color:(#[0-9a-f]{6})", body)
        if not fg:
            continue
        bg = re.search(r"background:(#[0-9a-f]{6})", body)
        ground = bg.group(1) if bg else "#ffffff"
        if contrast(fg.group(1), ground) < 4.5:
            problem("style %s: contrast %.2f of %s on %s" % (sel.strip(), contrast(fg.group(1), ground), fg.group(1),
                                                            ground))
    # The hatch's darker stripe behind the words of a hidden cell (they sit on a white chip, but also on the
    # stripes where the chip ends).
    if contrast("#1a1a1a", "#c4c4c4") < 4.5:
        problem("hidden cells' words lack contrast on the hatch")
    return charts, pairs


def check_tables(doc, j, k):
    """Every table of the page, cell by cell, against the JSON."""
    reasons = {"fewer than %d respondents" % k, "hidden so that a smaller group cannot be derived by subtraction",
               "hidden in both waves", "hidden in the earlier wave", "hidden in the later wave"}
    keys = [c["key"] for c in j["constructs"]]
    checked = 0
    hidden = 0
    known = {"constructs", "groups", "units", "cut", "trend", "internal", "internal-margins", "drivers", "unit-drivers",
             "fit", "loadings", "invariance", "invariance-steps"}
    for t in doc.find_all("table"):
        kinds = set(t.attrs.get("class", "").split()) - {"heat"}
        if not kinds or not kinds <= known:
            problem("a table the check does not know: class %r (every table must be placed)" % t.attrs.get("class"))
    # Overall figures.
    by_key = {c["key"]: c for c in j["constructs"]}
    for t in doc.find_all("table", "constructs"):
        for tr in next(t.find_all("tbody")).elements():
            c = by_key[tr.attrs["data-construct"]]
            row = cells(tr)
            label = "constructs/" + c["key"]
            close(row[1].text(), c["n"], 0, label + " n")
            if c.get("status", "none") != "none":
                hidden_ok(row[2], c["status"], reasons, label)
                hidden += 1
                continue
            rel = c.get("reliability", {})
            figures = [(c.get("mean"), 2), (c.get("sd"), 2), (c.get("index"), 1), (c.get("favorable"), 0),
                       (c.get("unfavorable"), 0), (rel.get("alpha"), 2), (rel.get("omega_total"), 2)]
            if "agreement" in c or len(row) > 10:
                ag = c.get("agreement") or {}
                figures += [(ag.get("icc1"), 2), (ag.get("icc2"), 2), (ag.get("rwg_j_mean"), 2)]
            for i, (v, d) in enumerate(figures):
                txt = row[2 + i].text().replace("low", "").strip()
                if v is None:
                    if txt != "n/a":
                        problem("%s column %d: %r where the JSON has none" % (label, i, txt))
                    continue
                close(txt, 100.0 * v if i in (3, 4) else v, d, "%s column %d" % (label, i))
                checked += 1
    # Groups.
    groups = {g["id"]: g for g in j.get("groups", [])}
    for t in doc.find_all("table", "groups"):
        for tr in next(t.find_all("tbody")).elements():
            g = groups.pop(tr.attrs["data-group"])
            row = cells(tr)
            label = "group " + g["id"]
            close(row[1].text(), g["n"], 0, label + " n")
            if g["suppressed"]:
                status = "too_small" if g.get("suppressed_reason", "").startswith("fewer") else "secondary"
                hidden_ok(row[2], status, reasons, label)
                hidden += 1
                if len(row) != 3:
                    problem(label + ": a suppressed group has more than its reason")
                continue
            for ci, key in enumerate(keys):
                gc = g["constructs"][key]
                if gc.get("status", "none") != "none":
                    hidden_ok(row[2 + ci], gc["status"], reasons, label + "/" + key)
                    hidden += 1
                else:
                    shown_share(row[2 + ci], gc.get("favorable"), label + "/" + key)
                    checked += 1
    if groups and (any(True for _ in doc.find_all("table", "groups")) or not any(
            "groups of" in p.text() and "more than a page can list" in p.text() for p in doc.find_all("p"))):
        problem("groups missing from the page: %s" % sorted(groups))
    # Units (and the cut).
    units = {u["id"]: u for u in j.get("units", [])}
    seen_units = set()
    for t in doc.find_all("table", "units"):
        participation = any("Resp." in th.text() for th in t.find_all("th"))
        first = 3 if participation else 2
        for tr in next(t.find_all("tbody")).elements():
            u = units[tr.attrs["data-unit"]]
            seen_units.add(u["id"])
            row = cells(tr)
            label = "unit '%s'" % u["id"]
            close(row[1].text(), u["respondents"], 0, label + " n")
            if participation and u.get("participation") is not None:
                close(row[2].text(), 100.0 * u["participation"], 0, label + " participation")
            for ci, key in enumerate(keys):
                uc = u["constructs"][key]
                if uc["status"] != "none":
                    hidden_ok(row[first + ci], uc["status"], reasons, label + "/" + key)
                    hidden += 1
                else:
                    shown_share(row[first + ci], uc.get("favorable"), label + "/" + key)
                    checked += 1
    if units and any(True for _ in doc.find_all("table", "units")) and not any(
            "more than a page can list" in p.text() for p in doc.find_all("p")):
        shallow = {i for i, u in units.items() if u["depth"] <= 1}
        if not shallow <= seen_units:
            problem("units of depth 0-1 missing from the page: %s" % sorted(shallow - seen_units))
    cut = {(c["unit"], c["level"]): c for c in (j.get("cuts") or {}).get("cells", [])}
    for t in doc.find_all("table", "cut"):
        for tr in next(t.find_all("tbody")).elements():
            c = cut[(tr.attrs["data-unit"], tr.attrs["data-level"])]
            row = cells(tr)
            label = "cut '%s' x %s" % (c["unit"], c["level"])
            close(row[2].text(), c["respondents"], 0, label + " n")
            for ci, key in enumerate(keys):
                cc = c["constructs"][key]
                if cc["status"] != "none":
                    hidden_ok(row[3 + ci], cc["status"], reasons, label + "/" + key)
                    hidden += 1
                else:
                    shown_share(row[3 + ci], cc.get("favorable"), label + "/" + key)
                    checked += 1
    # The trend.
    trend = {u["unit"]: u for u in (j.get("trend") or {}).get("units", [])}
    tkeys = [c["key"] if isinstance(c, dict) else c for c in (j.get("trend") or {}).get("constructs", [])]
    for t in doc.find_all("table", "trend"):
        for tr in next(t.find_all("tbody")).elements():
            u = trend[tr.attrs["data-unit"]]
            row = cells(tr)
            for ci, key in enumerate(tkeys):
                ch = u["constructs"][key]
                td = row[1 + ci]
                label = "trend '%s'/%s" % (u["unit"], key)
                if ch.get("change") is None:
                    if "hid" in td.attrs.get("class", ""):
                        hidden_ok(td, "withheld", reasons | {ch.get("reason", "")}, label)
                        hidden += 1
                    elif td.text().strip() != "n/a" or re.search(r"\d", json.dumps(td.attrs)):
                        problem("%s: no change in the JSON, the page shows %r %r" % (label, td.text(), td.attrs))
                    continue
                close(td.text(), ch["change"], 2, label)
                sig = "\u25b2" in td.text() or "\u25bc" in td.text()
                if sig != bool(ch.get("significant")):
                    problem("%s: significance marked %s, the JSON says %s" % (label, sig, ch.get("significant")))
                tip = td.attrs.get("title", "")
                for name, d in (("before", 2), ("after", 2)):
                    m = re.search(r"%s ([-\d.]+)" % {"before": "from", "after": "to"}[name], tip)
                    if m:
                        close(m.group(1), ch.get(name), d, label + " " + name)
                checked += 1
    # Internal service.
    isv = j.get("internal_service")
    for t in doc.find_all("table", "internal"):
        matrix = {(c["rater"], c["served"]): c for c in isv["matrix"]}
        head = [th.text() for th in next(t.find_all("thead")).find_all("th")][1:-1]
        for tr in next(t.find_all("tbody")).elements():
            row = cells(tr)
            rater = tr.attrs.get("data-unit")
            for ci, served in enumerate(head):
                if rater is None:
                    c = isv["received"][served]
                elif rater == served:
                    c = matrix.get((rater, served))
                    if c is None:
                        continue
                else:
                    c = matrix.get((rater, served), {"status": "none", "mean": None})
                label = "internal %s -> %s" % (rater or "all", served)
                td = row[1 + ci]
                if c["status"] != "none":
                    hidden_ok(td, c["status"], reasons, label)
                    hidden += 1
                elif c.get("mean") is None:
                    if re.search(r"\d", td.text()):
                        problem("%s: no mean in the JSON, the page shows %r" % (label, td.text()))
                else:
                    close(td.text(), c["mean"], 2, label)
                    checked += 1
            margin = isv["overall"] if rater is None else isv["given"][rater]
            if margin["status"] != "none":
                hidden_ok(row[-1], margin["status"], reasons, "internal margin of %s" % rater)
            elif margin.get("mean") is not None:
                close(row[-1].text(), margin["mean"], 2, "internal margin of %s" % rater)
                checked += 1
    for t in doc.find_all("table", "internal-margins"):
        for tr in next(t.find_all("tbody")).elements():
            row = cells(tr)
            rater = tr.attrs.get("data-unit")
            pair = ((isv["overall"], isv["overall"]) if rater is None else
                    (isv["received"][rater], isv["given"][rater]))
            for td, c, side in zip(row[1:], pair, ("receives", "gives")):
                label = "internal margin %s of %s" % (side, rater or "all")
                if c["status"] != "none":
                    hidden_ok(td, c["status"], reasons, label)
                    hidden += 1
                elif c.get("mean") is not None:
                    close(td.text(), c["mean"], 2, label)
                    checked += 1
    # Drivers: the organisation's table, and the units' quadrants.
    drivers = {d["unit"]: d for d in j.get("drivers", [])}
    for t in doc.find_all("table", "drivers"):
        d = {x["key"]: x for x in drivers[""]["drivers"]}
        for tr in next(t.find_all("tbody")).elements():
            x = d[tr.attrs["data-construct"]]
            row = cells(tr)
            label = "driver " + x["key"]
            for i, (v, dec) in enumerate(((x.get("r"), 2), (None if x.get("share") is None else 100 * x["share"], 0),
                                          (x.get("performance"), 2))):
                if v is None:
                    if row[1 + i].text().strip() != "n/a":
                        problem(label + ": a figure the JSON does not have")
                else:
                    close(row[1 + i].text(), v, dec, label)
                    checked += 1
    for t in doc.find_all("table", "unit-drivers"):
        for tr in next(t.find_all("tbody")).elements():
            d = drivers[tr.attrs["data-unit"]]
            row = cells(tr)
            close(row[1].text(), d["n"], 0, "drivers of %s n" % d["unit"])
            labels = {x["key"]: x for x in d["drivers"]}
            if len(row) > 3:
                for col, q in ((2, "priority"), (3, "strength")):
                    want = {x["key"] for x in d["drivers"] if x.get("quadrant") == q}
                    titles = {a.attrs.get("title") for a in row[col].find_all("abbr")}
                    named = {key for key, c in by_key.items() if c["label"] in titles}
                    if want != named & set(labels):
                        problem("drivers of %s: %s %s, the JSON %s" % (d["unit"], q, sorted(named), sorted(want)))
                checked += 1
    # The measurement model's fit.
    mm = j.get("measurement_model")
    for t in doc.find_all("table", "fit"):
        row = cells(next(next(t.find_all("tbody")).find_all("tr")))[1:]
        for i, (key, dec) in enumerate((("chisq", 2), ("df", 0), ("cfi", 3), ("tli", 3), ("rmsea", 3), ("srmr", 3))):
            close(row[i].text(), mm[key], dec, "measurement " + key)
            checked += 1
    return checked, hidden


def check_summary(sec, j, k):
    tiles = {}
    for tile in sec.find_all("div", "tile"):
        dt = next(tile.find_all("dt")).text().strip()
        dd = next(tile.find_all("dd"))
        small = next(dd.find_all("small"), None)
        tiles[dt] = ("".join(c for c in dd.children if isinstance(c, str)).strip(), small.text() if small else "")
    enps = j.get("enps")
    if enps and enps.get("score") is not None:
        if "eNPS" not in tiles:
            problem("summary: no eNPS")
        else:
            value, small = tiles["eNPS"]
            close(value, enps["score"], 1, "summary eNPS")
            lo = max(-100.0, enps["score"] - 1.96 * enps["se"])
            hi = min(100.0, enps["score"] + 1.96 * enps["se"])
            m = re.search(r"95% interval ([+\u2212-]?[\d.]+) to ([+\u2212-]?[\d.]+), n (\d+)", small)
            if not m:
                problem("summary: no eNPS interval")
            else:
                close(m.group(1), lo, 1, "eNPS interval low")
                close(m.group(2), hi, 1, "eNPS interval high")
                close(m.group(3), enps["n"], 0, "eNPS n")
    shown = [c for c in j["constructs"] if c.get("status", "none") == "none" and c.get("index") is not None]
    if shown:
        close(tiles.get("Overall index", ("", ""))[0], sum(c["index"] for c in shown) / len(shown), 1, "overall index")
        ranked = sorted(shown, key=lambda c: -c["index"])
        each = min(3, len(ranked) // 2)
        lists = list(sec.find_all("ol"))
        for ol, want in zip(lists, (ranked[:each], list(reversed(ranked))[:each])):
            items = [li.text() for li in ol.find_all("li")]
            if [c["label"] for c in want] != [i.split(":")[0] for i in items]:
                problem("summary: strongest/weakest %s, expected %s" % (items, [c["label"] for c in want]))
            for li, c in zip(items, want):
                close(re.search(r"index ([\d.]+)", li).group(1), c["index"], 1, "summary " + c["key"])
                close(re.search(r"\((\d+)% favourable", li).group(1), 100 * c["favorable"], 0, "summary " + c["key"])
    close(tiles.get("Respondents", ("", ""))[0], j["respondents"]["used"], 0, "summary respondents")
    units = j.get("units") or []
    if units and units[0].get("participation") is not None:
        close(tiles.get("Participation", ("", ""))[0], 100 * units[0]["participation"], 0, "summary participation")
    elif tiles.get("Participation", ("", ""))[0] != "not known":
        problem("summary: a participation the JSON does not have")


def check_data_attributes(doc, j):
    """Data attributes name cells; every value is a label the JSON publishes (never a figure)."""
    labels = {""} | {c["key"] for c in j["constructs"]} | {str(i) for i in range(len(j["constructs"]))}
    labels |= {g["id"] for g in j.get("groups", [])} | {u["id"] for u in j.get("units", [])}
    labels |= {d["unit"] for d in j.get("drivers", [])} | set((j.get("cuts") or {}).get("levels", []))
    labels |= set((j.get("internal_service") or {}).get("units", []))
    for el in doc.find_all():
        for name, value in el.attrs.items():
            if name.startswith("data-") and value not in labels:
                problem("<%s %s=%r>: not a label of the report" % (el.tag, name, value))


def run_checks(page, j, expected):
    """Every check on one page; returns the problems and the counts."""
    del problems[:]
    tree = Tree()
    tree.feed(page)
    tree.close()
    doc = tree.root
    k = j["min_group_size"]
    sections = check_structure(doc, expected)
    check_self_contained(doc, tree.style)
    charts, pairs = check_accessibility(doc, tree.style)
    checked, hidden = check_tables(doc, j, k)
    if "summary" in sections:
        check_summary(sections["summary"], j, k)
    check_data_attributes(doc, j)
    return list(problems), (checked, hidden, charts, pairs)


# Leaks and faults planted in a good page: each must be found, or the checks above cannot fail.
MUTATIONS = [
    ("a hidden cell's value in its title", r'(<td class="hid") title="[^"]*"', r'\1 title="57"'),
    ("a hidden cell's value as its text", r'<span>too few</span>', r'<span>57</span>'),
    ("a hidden cell with a data attribute", r'<td class="hid"', r'<td class="hid" data-value="0.57"'),
    ("a hidden cell shown", r'<td class="hid" title="[^"]*"><svg[^>]*><rect[^>]*/></svg><span>too few</span></td>',
     r'<td>57</td>'),
    ("a comment", r'</main>', r'<!-- 57 --></main>'),
    ("a hidden element", r'</main>', r'<p hidden>57</p></main>'),
    ("an invisible element", r'</main>', r'<p style="display:none">57</p></main>'),
    ("a shown value off by one", r'(<td style="[^"]*">)(\d+)(</td>)', lambda m: m.group(1) +
     str(int(m.group(2)) + 1) + m.group(3)),
    ("a script", r'</main>', r'<script>var x = 1;</script></main>'),
    ("an external style sheet", r'</head>', r'<link rel="stylesheet" href="https://example.org/a.css"></head>'),
    ("a font from elsewhere", r'<style>', r'<style>@font-face{font-family:x;src:url(https://example.org/x.woff)}'),
    ("a table the check does not know", r'</main>',
     r'<table class="extra"><caption>x</caption><thead><tr><th scope="col">a</th></tr></thead>'
     r'<tbody><tr><th scope="row">b</th><td>57</td></tr></tbody></table></main>'),
    ("a chart without a description", r'(<svg xmlns[^>]*>\s*<title>[^<]*</title>)\s*<desc>[^<]*</desc>', r'\1'),
    ("low contrast", r'color:#ffffff', r'color:#9ecae1'),
    ("a section missing", r'<section id="key"', r'<section id="legend"'),
    ("no print rules", r'@page\{size:A4', r'@page{size:letter'),
]


def self_test(page, j, expected):
    """The good page passes; each planted fault is found."""
    found, _ = run_checks(page, j, expected)
    failures = ["the unchanged page: " + p for p in found]
    for name, pattern, repl in MUTATIONS:
        mutated, n = re.subn(pattern, repl, page, count=1)
        if n == 0:
            failures.append("mutation '%s' found nothing to change" % name)
            continue
        found, _ = run_checks(mutated, j, expected)
        if not found:
            failures.append("mutation '%s' was not caught" % name)
    for f in failures:
        print("check_html: " + f)
    print("check_html: %d planted faults, %d not caught" % (len(MUTATIONS), len(failures)))
    return 1 if failures else 0


def main():
    args = [a for a in sys.argv[1:] if a != "--self-test"]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        page = f.read()
    with open(args[1], encoding="utf-8") as f:
        j = json.load(f)
    expected = [s for s in args[2].split(",") if s]
    if "--self-test" in sys.argv:
        return self_test(page, j, expected)
    found, (checked, hidden, charts, pairs) = run_checks(page, j, expected)
    for p in found[:40]:
        print("check_html: " + p)
    if len(found) > 40:
        print("check_html: ... and %d more" % (len(found) - 40))
    print("check_html: %d figures placed, %d hidden cells without a value, %d charts, %d coloured cells, %d problems"
          % (checked, hidden, charts, pairs, len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
