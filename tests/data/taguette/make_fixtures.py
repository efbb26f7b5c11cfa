"""Produce the Taguette fixtures with Taguette itself (not with qualtool).

Run with the Python of a throwaway venv that has Taguette installed:

    python3 -m venv /tmp/taguette-venv && /tmp/taguette-venv/bin/pip install taguette==1.5.2
    /tmp/taguette-venv/bin/python tests/data/taguette/make_fixtures.py tests/data/taguette

It starts the real Taguette server (single-user mode, 127.0.0.1 only, a fresh database in a
temporary folder), then does over HTTP exactly what the web page does: create a project, upload
three HTML documents, add tags (hierarchical paths with «.»), add highlights, and download
Taguette's own exports. Highlight positions are computed the way taguette.js `describePos`
does it: UTF-8 bytes of the document's text content, tags not counted. Taguette checks them
itself (`extract.extract` on the server makes the stored snippet from them).
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

PORT = 7491
BASE = f"http://127.0.0.1:{PORT}"

DOCUMENTS = [
    (
        "Интервью 01 — МФЦ, Алматы",
        "int01.html",
        """<h1>Интервью 01</h1>
<p><strong>Интервьюер:</strong> Расскажите, как вы получали справку о несудимости.</p>
<p><strong>Респондент (Айгерим, 34):</strong> Сначала я пришла в ЦОН к девяти утра, а очередь уже стояла до самой двери. Талончик электронный не работал, пришлось ждать почти три часа.</p>
<p><strong>Интервьюер:</strong> А через портал пробовали?</p>
<p><strong>Респондент (Айгерим, 34):</strong> Пробовала, но ЭЦП на ноутбуке не ставилась, а помочь было некому. Сотрудница в окне потом всё объяснила спокойно и вежливо, за это спасибо.</p>
""",
    ),
    (
        "Интервью 02 — акимат, Шымкент",
        "int02.html",
        """<h1>Интервью 02</h1>
<p><strong>Интервьюер:</strong> С какими трудностями вы столкнулись при оформлении пособия?</p>
<p><strong>Респондент (Ерлан, 51):</strong> Документы просили приносить три раза: то копия не заверена, то справка «устарела». Каждый раз новый список, и никто не мог сказать заранее, чего не хватает.</p>
<p><strong>Респондент (Ерлан, 51):</strong> В итоге помог знакомый, который работает в районном отделе 🙂 без него я бы до сих пор ходил.</p>
""",
    ),
    (
        "Интервью 03 — поликлиника, Караганда",
        "int03.html",
        """<h1>Интервью 03</h1>
<p><strong>Интервьюер:</strong> Как вы записываетесь к врачу?</p>
<p><strong>Респондентка (Наталья, 67):</strong> Внучка записывает через приложение, сама я не умею. Раньше по телефону звонила — никто не брал трубку, линия всё время занята.</p>
<p><strong>Респондентка (Наталья, 67):</strong> В регистратуре очередь маленькая, но ждёшь всё равно долго, потому что карточку ищут.</p>
""",
    ),
    # saved by an editor that writes no line breaks between blocks: one line, a <br> inside
    (
        "Интервью 04 — КСК, Усть-Каменогорск",
        "int04.html",
        "<h1>Интервью 04</h1><p><strong>Интервьюер:</strong> Как вы платите за коммунальные "
        "услуги?</p><p><strong>Респондент (Бауыржан, 45):</strong> Через Kaspi, это быстро."
        "<br>Но квитанции приходят с ошибками, приходится звонить в КСК.</p>",
    ),
]

TAGS = [
    ("barrier", "Барьеры при получении услуги"),
    ("barrier.queue", "Очереди и ожидание"),
    ("barrier.documents", "Документы: повторные визиты, неясные требования"),
    ("barrier.digital", "Цифровые каналы не работают или недоступны"),
    ("support.staff", "Помощь сотрудников"),
    ("support.informal", "Неформальная помощь: родные, знакомые"),
]

# (document index, quote, tags); quotes are found in the document's text content
HIGHLIGHTS = [
    (0, "очередь уже стояла до самой двери", ["barrier.queue"]),
    (
        0,
        "Талончик электронный не работал, пришлось ждать почти три часа.",
        ["barrier.queue", "barrier.digital"],
    ),
    (0, "ЭЦП на ноутбуке не ставилась, а помочь было некому", ["barrier.digital"]),
    (0, "Сотрудница в окне потом всё объяснила спокойно и вежливо", ["support.staff"]),
    (
        1,
        "Документы просили приносить три раза: то копия не заверена, то справка «устарела».",
        ["barrier.documents"],
    ),
    (1, "никто не мог сказать заранее, чего не хватает", ["barrier.documents", "barrier"]),
    (
        1,
        "помог знакомый, который работает в районном отделе 🙂 без него я бы до сих пор ходил",
        ["support.informal"],
    ),
    (
        2,
        "Внучка записывает через приложение, сама я не умею.",
        ["support.informal", "barrier.digital"],
    ),
    (2, "никто не брал трубку, линия всё время занята", ["barrier.digital"]),
    (2, "ждёшь всё равно долго, потому что карточку ищут", ["barrier.queue"]),
    # a highlight across two paragraphs (Taguette allows it)
    (
        2,
        "не умею. Раньше по телефону звонила — никто не брал трубку, линия всё время занята.\n"
        "Респондентка (Наталья, 67): В регистратуре очередь маленькая",
        ["interesting"],
    ),
    (3, "Через Kaspi, это быстро.", ["support.informal"]),
    (3, "Но квитанции приходят с ошибками", ["barrier.documents"]),
    # across the <br> and across the paragraph edge (no line break in the text there)
    (3, "быстро.Но квитанции", ["interesting"]),
    (3, "услуги?Респондент (Бауыржан, 45): Через Kaspi", ["interesting"]),
]


def text_content(html: str) -> str:
    """The text Taguette counts: every text node in document order (html5lib parse, like
    `extract.find_pos`)."""
    soup = BeautifulSoup(html, "html5lib")
    return "".join(str(s) for s in soup.descendants if isinstance(s, NavigableString))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="taguette-fixture-"))
    env = dict(os.environ, HOME=str(tmp), XDG_DATA_HOME=str(tmp / "data"))
    taguette = Path(sys.executable).with_name("taguette")
    server = subprocess.Popen(
        [
            str(taguette),
            "--no-browser",
            "-b",
            "127.0.0.1",
            "-p",
            str(PORT),
            "--database",
            str(tmp / "db.sqlite3"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = None
        log = []
        while url is None:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("taguette exited:\n" + "".join(log))
            log.append(line)
            m = re.search(r"(http://\S+\?token=\w+)", line)
            if m:
                url = m.group(1)
        time.sleep(1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = url.split("token=")[1]
        opener.open(f"{BASE}/?token={token}").read()
        opener.open(f"{BASE}/project/new").read()
        xsrf = next(c.value for c in jar if c.name == "_xsrf")

        def post_form(path, fields):
            data = urllib.parse.urlencode(dict(fields, _xsrf=xsrf)).encode()
            return opener.open(BASE + path, data=data)

        def api(path, obj=None, method=None):
            sep = "&" if "?" in path else "?"
            req = urllib.request.Request(
                f"{BASE}{path}{sep}_xsrf={urllib.parse.quote(xsrf)}",
                data=None if obj is None else json.dumps(obj).encode(),
                headers={"Content-Type": "application/json"},
                method=method,
            )
            return json.loads(opener.open(req).read())

        def upload(path, fields, filename, body):
            boundary = uuid.uuid4().hex
            parts = []
            for k, v in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"'
                    f"\r\n\r\n{v}\r\n".encode()
                )
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: text/html\r\n\r\n'.encode()
                + body
                + b"\r\n"
            )
            parts.append(f"--{boundary}--\r\n".encode())
            req = urllib.request.Request(
                f"{BASE}{path}?_xsrf={urllib.parse.quote(xsrf)}",
                data=b"".join(parts),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            return json.loads(opener.open(req).read())

        post_form(
            "/project/new",
            {
                "name": "Госуслуги: барьеры (пилот)",
                "description": "Пилотные интервью, вымышленные респонденты",
            },
        )
        pid = 1
        doc_ids = []
        for name, filename, html in DOCUMENTS:
            r = upload(
                f"/api/project/{pid}/document/new",
                {"name": name, "description": "", "text_direction": "LEFT_TO_RIGHT"},
                filename,
                html.encode("utf-8"),
            )
            doc_ids.append(r["created"])
        tag_ids = {}
        for path, desc in TAGS:
            tag_ids[path] = api(f"/api/project/{pid}/tag/new", {"path": path, "description": desc})[
                "id"
            ]
        # the default tag Taguette creates with every project
        tag_ids["interesting"] = 1
        for doc, quote, tags in HIGHLIGHTS:
            contents = api(f"/api/project/{pid}/document/{doc_ids[doc]}/contents")
            text = text_content(contents["contents"][0]["contents"])
            if quote not in text:
                raise SystemExit(f"not in document {doc}: {quote!r}\n{text!r}")
            at = text.index(quote)
            start = len(text[:at].encode("utf-8"))
            end = start + len(quote.encode("utf-8"))
            api(
                f"/api/project/{pid}/document/{doc_ids[doc]}/highlight/new",
                {"start_offset": start, "end_offset": end, "tags": [tag_ids[t] for t in tags]},
            )
        exports = {
            "project.sqlite3": f"/project/{pid}/export/project.sqlite3",
            "codebook.qdc": f"/project/{pid}/export/codebook.qdc",
            "codebook.csv": f"/project/{pid}/export/codebook.csv",
            "highlights.csv": f"/project/{pid}/export/highlights/.csv",
        }
        for i, d in enumerate(doc_ids, start=1):
            exports[f"document-{i:02d}.html"] = f"/project/{pid}/export/document/{d}.html"
        for name, path in exports.items():
            (out / name).write_bytes(opener.open(BASE + path).read())
            print("wrote", out / name)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
