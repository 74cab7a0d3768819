#!/usr/bin/python3
"""report.html as a user sees it: loaded in headless Chromium at 1400x900.

check_report.py [RUN_DIR [PNG]]: on RUN_DIR (a copy of it: summary and
report are made there), else on check_views.py's synthetic run labelled
emulated (platform bochs), with a conformance.csv whose register-operand
branch differs (conformfix.py): the page loads without a console error or an
uncaught exception; the headline table's net-cost column (its header and
first row) lies inside the 1400x900 viewport without scrolling, and every
net cell inside 1400 px; the headline comes before the per-point summary;
an emulated run says so inside the first screen; the behaviour line is
inside the first screen with the differing branch in the warning colour, and
the behaviour table lies within 1400 px with its differs row on a background
of its own.  A screenshot is kept as
PNG (default tests/analysis/log/report-1400x900.png).  Chromium missing
(Debian package `chromium`, in scripts/deps.sh's test list): SKIP with the
reason.  Prints "PASS name" / "FAIL name: why" / "SKIP name: why".
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import conformfix
from check_views import make_run  # noqa: E402
from testlib import HERE, results, check, run  # noqa: E402

W, H = 1400, 900

# First in <head>: note every console error and uncaught exception.
PROBE_HEAD = """<script>
window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push('exception: ' + e.message); });
(function () { var ce = console.error; console.error = function () {
  window.__errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
  return ce.apply(console, arguments); }; })();
</script>"""
# Last in <body>: the layout, written where --dump-dom shows it.
PROBE_TAIL = """<script>
(function () {
  function box(el) { if (!el) return null; var r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; }
  var t = document.querySelector('table.headline');
  var nets = t ? Array.prototype.map.call(t.querySelectorAll('td.net'), box) : [];
  var out = { head: t ? box(t.tHead.rows[0].cells[2]) : null, nets: nets,
              emu: box(document.querySelector('p.emu')),
              summary: box(document.getElementById('summary')),
              headline: box(document.getElementById('headline')),
              bline: box(document.getElementById('behaviour-line')),
              bwarn: (function (e) { return e ? getComputedStyle(e).color : null; })(
                document.querySelector('#behaviour-line .warn')),
              btable: box(document.querySelector('table.conform')),
              bdiffers: (function (r) { return r ? getComputedStyle(r.cells[0]).backgroundColor : null; })(
                document.querySelector('table.conform tr.differs')),
              bdoc: (function (r) { return r ? getComputedStyle(r.cells[0]).backgroundColor : null; })(
                document.querySelector('table.conform tr.doc')),
              errors: window.__errors, vw: window.innerWidth, vh: window.innerHeight };
  var p = document.createElement('pre'); p.id = '__probe';
  p.textContent = JSON.stringify(out); document.body.appendChild(p);
})();
</script>"""


def chromium(*args):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    prof = tempfile.mkdtemp(prefix="vb-chromium-")
    try:
        p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", "--user-data-dir=" + prof,
                            f"--window-size={W},{H}", *args],
                           capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout, p.stderr
    finally:
        shutil.rmtree(prof, ignore_errors=True)


def main(argv):
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIP report in Chromium: chromium not installed (apt-get install chromium; scripts/deps.sh test)")
        return 0
    tmp = tempfile.mkdtemp(prefix="vb-report-")
    png = argv[1] if len(argv) > 1 else os.path.join(HERE, "log", "report-1400x900.png")
    try:
        A = os.path.join(tmp, "a")
        if argv:
            shutil.copytree(argv[0], A)
            for old in ("summary.csv", "headline.csv", "report.html", "plots"):
                p = os.path.join(A, old)
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.remove(p)
        else:
            make_run(A, platform="bochs")
            conformfix.write(A, "differs")
        rc, out, err = run("summary", A)
        rc2, out, err2 = run("report", A)
        if not check("report: summary and report exit 0", rc == 0 and rc2 == 0, err + err2):
            return 1
        with open(os.path.join(A, "report.html")) as f:
            page = f.read()
        page = page.replace("<head>", "<head>" + PROBE_HEAD, 1)
        page = page.replace("</body>", PROBE_TAIL + "</body>", 1)
        probe_html = os.path.join(A, "probe.html")
        with open(probe_html, "w") as f:
            f.write(page)
        rc, dom, err = chromium("--dump-dom", "file://" + probe_html)
        m = re.search(r'<pre id="__probe">(.*?)</pre>', dom, re.S)
        if not check("report: Chromium loads the page and the probe runs", rc == 0 and m,
                     f"rc={rc} {err[-400:]}"):
            return 1
        pr = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        check("report: no console errors or uncaught exceptions", pr["errors"] == [],
              str(pr["errors"]))
        check("report: viewport is 1400x900", (pr["vw"], pr["vh"]) == (W, H) or
              (pr["vw"] <= W and pr["vh"] <= H), f'{pr["vw"]}x{pr["vh"]}')
        hd, nets = pr["head"], pr["nets"]
        check("report: headline net column header inside 1400x900",
              hd and hd[0] >= 0 and hd[1] >= 0 and hd[2] <= W and hd[3] <= H, str(hd))
        check("report: headline's first net cell inside 1400x900 (no scrolling)",
              nets and nets[0][2] <= W and nets[0][3] <= H, str(nets[:1]))
        check("report: every headline net cell within 1400 px across",
              nets and all(n[2] <= W for n in nets), str(max((n[2] for n in nets), default=None)))
        with open(os.path.join(A, "meta.csv")) as f:
            emulated = any(l.split(",", 1)[1].strip() in ("bochs", "qemu")
                           for l in f if l.startswith("platform,"))
        if emulated:
            em = pr.get("emu")
            check("report: an emulated run says so inside the first screen",
                  em and em[1] >= 0 and em[3] <= H, str(em))
        if os.path.exists(os.path.join(A, "conformance.csv")):
            bl = pr.get("bline")
            check("report: the behaviour line inside the first screen",
                  bl and bl[1] >= 0 and bl[3] <= H and bl[2] <= W, str(bl))
            with open(os.path.join(A, "conformance.csv"), newline="") as f:
                differs = any(r.get("verdict") == "differs" for r in csv.DictReader(f))
            if differs:
                check("report: the differing branches in the warning colour (#b00)",
                      pr.get("bwarn") == "rgb(187, 0, 0)", pr.get("bwarn"))
                check("report: the differs row on a background of its own",
                      pr.get("bdiffers") and pr.get("bdiffers") != pr.get("bdoc"),
                      f'{pr.get("bdiffers")} {pr.get("bdoc")}')
            bt = pr.get("btable")
            check("report: the behaviour table within 1400 px across", bt and bt[2] <= W, str(bt))
        check("report: headline before the per-point summary",
              pr["headline"] and pr["summary"] and pr["headline"][1] < pr["summary"][1],
              f'{pr["headline"]} {pr["summary"]}')
        os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
        rc, _, err = chromium("--screenshot=" + png, "file://" + os.path.join(A, "report.html"))
        check("report: screenshot kept", rc == 0 and os.path.getsize(png) > 0, err[-300:])
        print(f"screenshot: {png}")
    finally:
        shutil.rmtree(tmp)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
