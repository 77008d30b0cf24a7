"""Statistics pages: every chart label lies inside its chart (nothing cut off), at desktop and phone width, and a
figure of 0 is not shown in alarm red."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = {
    "/supervision/dashboard/": ("sources", "trend", "departments"),
    "/incoming/stats/": ("source", "status", "type", "department", "month"),
}
RED = "rgb(198, 40, 40)"  # --red
BRAND = "rgb(158, 27, 27)"  # --brand


def _labels_inside(page, chart_id):
    """(text, overflow) for every ECharts text element sticking out of its chart box."""
    return page.evaluate(
        """(id) => {
            const box = document.getElementById(id).getBoundingClientRect();
            const out = [];
            document.querySelectorAll('#' + id + ' svg text').forEach(t => {
                const r = t.getBoundingClientRect();
                if (!t.textContent.trim() || r.width === 0) return;
                if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
                    out.push([t.textContent, [r.left - box.left, box.right - r.right, r.top - box.top, box.bottom - r.bottom]]);
            });
            return out;
        }""",
        chart_id,
    )


LONG = "某县住房和城乡建设局城市建设管理综合科"


def _lengthen(route):
    """Serve the page with every category name of its chart data made long (a real county's department names)."""
    import json
    import re

    response = route.fetch()
    body = response.text()

    def longer(value):
        if isinstance(value, dict):
            return {k: (LONG + v if k == "name" and isinstance(v, str) else longer(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [LONG + v if isinstance(v, str) and not v[:1].isdigit() else longer(v) for v in value]
        return value

    def swap(m):
        return m.group(1) + json.dumps(longer(json.loads(m.group(2)))) + m.group(3)

    body = re.sub(r'(<script id="(?:sup|incoming)-charts" type="application/json">)(.*?)(</script>)', swap, body, flags=re.S)
    route.fulfill(response=response, body=body)


@pytest.mark.parametrize("width", [1366, 390])
def test_chart_labels_fit(county, browser, login, live_server, shot, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        login(page, "director")
        page.route("**/incoming/stats/", _lengthen)
        page.route("**/supervision/dashboard/", _lengthen)
        for url, charts in CHARTS.items():
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, url  # no sideways scroll
            for name in charts:
                chart_id = f"chart-{name}"
                page.wait_for_selector(f"#{chart_id} svg text")
                if name in ("departments", "department", "type", "sources", "source"):
                    assert LONG[:4] in page.locator(f"#{chart_id}").inner_html() or name == "type", (url, name)
                assert _labels_inside(page, chart_id) == [], (url, name)
            shot(page, f"charts-{width}-{url.strip('/').replace('/', '-')}")
    finally:
        context.close()


def test_zero_is_not_red(county, page, login, live_server):
    login(page, "director")
    page.goto(f"{live_server.url}/incoming/stats/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/supervision/dashboard/")
    page.wait_for_load_state("networkidle")
    colours = page.evaluate(
        """() => Array.from(document.querySelectorAll('.count, .u-stat')).map(
            el => [el.textContent.trim(), getComputedStyle(el).color])"""
    )
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    colours += page.evaluate(
        """() => Array.from(document.querySelectorAll('.count, .u-stat')).map(
            el => [el.textContent.trim(), getComputedStyle(el).color])"""
    )
    zeros = [(t, c) for t, c in colours if t in ("0", "0%", "0.0%", "0.0 个工作日")]
    assert zeros, colours  # the demo has some zero figures (e.g. 档案借阅待审批, 超期)
    assert all(c not in (RED, BRAND) for _, c in zeros), zeros
    non_zero = [(t, c) for t, c in colours if t not in ("0", "0%", "0.0%", "0.0 个工作日") and t[:1].isdigit() and t[:1] != "0"]
    assert any(c in (RED, BRAND) for _, c in non_zero) or not non_zero  # real figures keep their colour
