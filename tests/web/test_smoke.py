import pytest


@pytest.mark.django_db
def test_workbench_renders_for_clerk(web, people):
    resp = web(people.clerk).get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "工作台" in html and "通知公告" in html and "王思远" in html
