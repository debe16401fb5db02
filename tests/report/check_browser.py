#!/usr/bin/env python3
"""Renders an HTML report in a real browser (Chromium, headless) and checks what it shows and prints.

Usage: check_browser.py CHROMIUM REPORT.html WORKDIR PAGES SECTION[,SECTION...] [SCREENSHOT.png]

  - a screenshot of the whole page (PNG) is not blank: most of it is the white ground, but thousands of pixels
    are not, in many colours, among them the heatmap's blues (statistics by png_stats.py, next to this file);
  - printing to PDF gives exactly PAGES pages of A4 (pdfinfo), and no table is cut across two pages: every row
    header of a table is on the page that has its caption (pdftotext, page by page);
  - the DOM Chromium dumps after loading holds every SECTION in order, each with its heading.
With SCREENSHOT.png, the first screen (1100 x 1400) is also written there (the README's picture is made so).
Needs Chromium, pdfinfo and pdftotext (poppler-utils); a missing one fails the test.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))


def chromium(binary, work, *args):
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--user-data-dir=" + profile] + list(args)
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return r


def fail(message):
    print("check_browser: " + message)
    return 1


class Tables(HTMLParser):
    """Each table's caption and row headers; each section's id and heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []
        self.sections = []
        self.where = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption" or (tag == "th" and a.get("scope") == "row"):
            self.where, self.text = tag, ""
        elif tag == "section":
            self.sections.append([a.get("id"), ""])
        elif tag == "h2":
            self.where, self.text = tag, ""

    def handle_endtag(self, tag):
        if tag != self.where:
            return
        t = " ".join(self.text.split())
        if tag == "caption":
            self.tables[-1]["caption"] = t
        elif tag == "th":
            self.tables[-1]["rows"].append(t)
        elif tag == "h2" and self.sections:
            self.sections[-1][1] = t
        self.where = None

    def handle_data(self, data):
        if self.where:
            self.text += data


def words(s):
    return " ".join(s.split())


def main():
    if len(sys.argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    binary, page, work, pages, sections = sys.argv[1:6]
    shot_out = sys.argv[6] if len(sys.argv) == 7 else None
    expected = [s for s in sections.split(",") if s]
    os.makedirs(work, exist_ok=True)
    url = "file://" + os.path.abspath(page)
    problems = 0
    with open(page, encoding="utf-8") as f:
        source = Tables()
        source.feed(f.read())

    # The whole page as a picture: not blank.
    png = os.path.join(work, "page.png")
    r = chromium(binary, work, "--window-size=1100,9000", "--screenshot=" + png, url)
    if r.returncode != 0 or not os.path.exists(png):
        return fail("no screenshot (exit %d): %s" % (r.returncode, r.stderr.decode(errors="replace")[-400:]))
    stats = subprocess.run([sys.executable, os.path.join(HERE, "png_stats.py"), png], stdout=subprocess.PIPE,
                           check=True).stdout.decode().split()
    width, height, ink, distinct, major = (int(x) for x in stats[:5])
    print("check_browser: screenshot %dx%d, %d pixels not background, %d colours, %d major" %
          (width, height, ink, distinct, major))
    if width != 1100 or ink < width * height // 50 or distinct < 200 or major < 12:
        problems += fail("the screenshot looks blank or flat")
    if shot_out:
        r = chromium(binary, work, "--window-size=1100,1400", "--screenshot=" + os.path.abspath(shot_out), url)
        if r.returncode != 0:
            problems += fail("no first-screen screenshot")

    # Printed: A4, the expected number of pages, no table across two pages.
    pdf = os.path.join(work, "page.pdf")
    r = chromium(binary, work, "--no-pdf-header-footer", "--print-to-pdf=" + pdf, url)
    if r.returncode != 0 or not os.path.exists(pdf):
        return fail("no PDF (exit %d): %s" % (r.returncode, r.stderr.decode(errors="replace")[-400:]))
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, check=True).stdout.decode()
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    print("check_browser: PDF of %d pages, %s x %s pt, %d bytes" % (n, size.group(1), size.group(2),
                                                                   os.path.getsize(pdf)))
    if n != int(pages):
        problems += fail("the PDF has %d pages, expected %s" % (n, pages))
    if abs(float(size.group(1)) - 595.3) > 1.5 or abs(float(size.group(2)) - 841.9) > 1.5:
        problems += fail("the pages are not A4")
    if os.path.getsize(pdf) > 5 * 1024 * 1024:
        problems += fail("the PDF is larger than 5 MB (a background rasterised?)")
    texts = []
    for p in range(1, n + 1):
        t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"], stdout=subprocess.PIPE,
                           check=True).stdout.decode(errors="replace")
        texts.append(words(t))
    for table in source.tables:
        cap = words(table["caption"])
        on = [i for i, t in enumerate(texts) if cap in t]
        if not on:
            problems += fail("table '%s' is not in the PDF" % cap)
            continue
        missing = [row for row in table["rows"] if words(row) not in texts[on[0]]]
        if missing:
            problems += fail("table '%s' is cut: rows %s are not on its page %d" % (cap, missing[:3], on[0] + 1))
    print("check_browser: %d tables, each on one page" % len(source.tables))

    # The DOM after loading: every section, in order, with its heading.
    r = chromium(binary, work, "--dump-dom", url)
    if r.returncode != 0:
        return fail("no DOM dump (exit %d)" % r.returncode)
    dom = Tables()
    dom.feed(r.stdout.decode(errors="replace"))
    ids = [s[0] for s in dom.sections]
    if ids != expected:
        problems += fail("the DOM has sections %s, expected %s" % (ids, expected))
    for sid, heading in dom.sections:
        if not heading:
            problems += fail("section %s has no heading in the DOM" % sid)
    print("check_browser: sections in the DOM: %s" % ", ".join(ids))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
