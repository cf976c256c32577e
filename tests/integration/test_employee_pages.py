"""Issue 17 on the HTML of the employee's pages: page steps that name each value and say its
state, messages where they belong, the review in words, the printable result, no item codes,
no attribute reading "None", the product's name in every title, a favicon."""

from __future__ import annotations

import re
from html import unescape

import pytest

from surveyapp.nip import format_nip

ITEM_CODE = re.compile(r"\b[A-Z]{2}-\d+[a-z]?\b")


def visible_text(html: str) -> str:
    """What a person reads: no tags, no attributes, no stylesheet or script."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _pages(period):
    pages: dict[int, list] = {}
    for item in period.version.items:
        pages.setdefault(item.core_value.position, []).append(item)
    return [pages[p] for p in sorted(pages)]


@pytest.fixture
def period(build, org):
    return build.period([org.root])


def test_page_steps_name_the_value_and_say_each_state(app, build, period, org, login):
    pages = _pages(period)
    answers = {i.code: 4 for i in pages[0]} | {pages[2][0].code: 3}  # page 1 and 1 of page 3
    build.response(period, org.employee, answers, submitted=False)
    html = login(org.employee, app.test_client()).get(f"/survey/{period.code}/page/3").text
    steps = html[html.index('class="page-steps"') : html.index("</nav>", html.index("page-steps"))]
    text = " ".join(visible_text(steps).split())
    assert "Halaman 3 dari 7: Kompeten" in text
    assert "Halaman 1: Berorientasi Pelayanan, semua sudah dijawab" in text
    assert "Halaman 2: Akuntabel, belum dijawab" in text
    assert "Halaman 3: Kompeten, 1 dari 4 terjawab" in text
    assert re.search(
        r'aria-current="page">\s*<span class="step-code" aria-hidden="true">KO<', steps
    )


def test_header_colour_does_not_leak_into_other_navigation(app):
    css = (app.static_folder + "/css/app.css").replace("\\", "/")
    with open(css, encoding="utf-8") as fh:
        rules = re.sub(r"/\*.*?\*/", "", fh.read(), flags=re.S)
    selectors = {s.strip() for group in re.findall(r"([^{}]+)\{", rules) for s in group.split(",")}
    assert "nav a" not in selectors and "nav .link" not in selectors
    assert ".topbar nav a" in selectors


def test_moving_on_does_not_claim_a_save_there_and_counts_the_empty_questions(
    app, period, org, login
):
    client = login(org.employee, app.test_client())
    pages = _pages(period)
    data = {f"item-{i.code}": "4" for i in pages[0]}
    page2 = client.post(
        f"/survey/{period.code}/page/1", data={**data, "go": "next"}, follow_redirects=True
    )
    assert page2.request.path.endswith("/page/2")
    assert "sudah tersimpan" not in page2.text and "belum dijawab." not in page2.text
    saved = client.post(
        f"/survey/{period.code}/page/2",
        data={f"item-{pages[1][0].code}": "5", "go": "stay"},
        follow_redirects=True,
    )
    assert saved.request.path.endswith("/page/2")
    assert "Jawaban Anda di halaman ini sudah tersimpan." in saved.text
    page3 = client.post(f"/survey/{period.code}/page/2", data={"go": "next"}, follow_redirects=True)
    assert "3 pertanyaan di halaman 2 (Akuntabel) belum dijawab." in page3.text
    client.post("/locale", data={"lang": "en"})
    data = {f"item-{i.code}": "2" for i in pages[2][:3]}
    page4 = client.post(
        f"/survey/{period.code}/page/3", data={**data, "go": "next"}, follow_redirects=True
    )
    assert "1 question on page 3 (Competent) is not answered yet." in page4.text


def test_review_lists_my_answers_in_words_with_a_link_to_change_each(
    app, build, period, org, login
):
    pattern = (1, 2, 3, 4, 5)
    words = ["Tidak pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu"]
    items = list(period.version.items)
    build.response(
        period, org.employee, {i.code: pattern[n % 5] for n, i in enumerate(items)}, submitted=False
    )
    html = login(org.employee, app.test_client()).get(f"/survey/{period.code}/review").text
    for number, page in enumerate(_pages(period), 1):
        assert page[0].core_value.name("id") in html
        for item in page:
            assert f'href="/survey/{period.code}/page/{number}#item-{item.code}"' in html
    answers = re.findall(r'<p class="answer">\s*<strong>([^<]+)</strong>', html)
    assert answers == [words[n % 5] for n in range(len(items))]
    assert html.count(">Ubah jawaban<") == len(items)
    assert 'name="confirm"' in html  # all answered: the form to send comes after the list
    assert html.index("Jawaban saya") < html.index('name="confirm"')


def test_review_of_a_sent_response_lists_the_answers_without_links(app, build, period, org, login):
    build.response(period, org.employee, 5)
    html = login(org.employee, app.test_client()).get(f"/survey/{period.code}/review").text
    assert html.count("<strong>Selalu</strong>") == len(period.version.items)
    assert "Ubah jawaban" not in html and 'name="confirm"' not in html


def test_employee_pages_never_show_item_codes(app, build, period, org, login):
    first = _pages(period)[0]
    build.response(period, org.employee, {i.code: 3 for i in first}, submitted=False)
    client = login(org.employee, app.test_client())
    urls = [f"/survey/{period.code}/page/{n}" for n in range(1, 8)]
    urls += [f"/survey/{period.code}/review", "/"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert not ITEM_CODE.findall(visible_text(page.text)), url
    build.response(period, org.colleague, 4)
    other = login(org.colleague, app.test_client())
    for url in (f"/survey/{period.code}/review", f"/survey/{period.code}/result"):
        assert not ITEM_CODE.findall(visible_text(other.get(url).text)), url


def test_result_page_can_be_printed_as_a_personal_report(app, build, period, org, login):
    build.response(period, org.employee, 4)
    html = login(org.employee, app.test_client()).get(f"/survey/{period.code}/result").text
    assert re.search(r"<button[^>]*data-print[^>]*hidden>Cetak / Simpan PDF</button>", html)
    assert '<script src="/static/js/print.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    head = html[
        html.index('class="print-only report-head"') : html.index(
            "</header>", html.index("report-head")
        )
    ]
    text = " ".join(visible_text(head).split())
    for expected in (
        "Nama " + org.employee.name,
        "NIP " + format_nip(org.employee.nip),
        "Unit kerja Bidang A1",
        "Periode " + period.name,
        "Dicetak ",
    ):
        assert expected in text, (expected, text)


def test_result_chart_names_the_bands_and_keeps_numbers_off_the_lines(
    app, build, period, org, login
):
    build.response(period, org.employee, 4)
    html = login(org.employee, app.test_client()).get(f"/survey/{period.code}/result").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "viewBox" not in svg  # drawn for the width it gets, text never scaled down
    bands = re.findall(r'<text class="band-name"[^>]*>([^<]+)</text>', svg)
    assert bands == ["Sangat Baik", "Baik", "Cukup"]
    assert re.findall(r'<text class="value" x="100%"', svg)  # numbers in their own column


@pytest.mark.parametrize("url", ["/login", "/activate"])
def test_no_attribute_reads_none_and_nip_is_typed_on_the_number_keypad(client, url):
    html = client.get(url).text
    assert '="None"' not in html
    nip = re.search(r"<input[^>]*name=\"nip\"[^>]*>", html).group(0)
    assert 'inputmode="numeric"' in nip


def test_admin_nip_fields_get_the_number_keypad_too(admin_client, build, org):
    period = build.period([org.root])
    html = admin_client.get(f"/admin/periods/{period.id}").text
    fields = re.findall(r"<input[^>]*name=\"[a-z]+-nip\"[^>]*>", html)
    assert len(fields) == 1 and all('inputmode="numeric"' in f for f in fields)
    # Late joiners come as a pasted list (lines), which needs a keyboard with Enter.
    assert re.search(r"<textarea[^>]*name=\"joiner-nips\"", html)
    assert '="None"' not in html
    assert '="None"' not in admin_client.get("/account/password").text


@pytest.mark.parametrize(
    ("lang", "product"),
    [("id", "BerAKHLAK Penilaian Mandiri"), ("en", "BerAKHLAK Self-assessment")],
)
def test_tab_titles_end_in_the_products_name(employee_client, period, lang, product):
    employee_client.post("/locale", data={"lang": lang})
    for url in ("/", f"/survey/{period.code}/page/1", "/account/password"):
        title = re.search(r"<title>(.*?)</title>", employee_client.get(url).text, re.S).group(1)
        assert title.endswith(f" · {product}") and "surveyapp" not in title, title


def test_every_page_links_a_favicon_that_is_there(client):
    html = client.get("/login").text
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    icon = client.get(href)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
