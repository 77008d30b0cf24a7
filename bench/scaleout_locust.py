"""Locust scenario of bench/scaleout.py: a county office's daily mix, through nginx.

Not run on its own: bench/scaleout.py prepares the logins (web sessions and API tokens of the demo county) and passes
them in SCALEOUT_CREDS.  Every request is recorded (start, action, status, milliseconds) and every acknowledged write
(收文 registered, 发文 drafted, 审批 done, 文号 assigned) is written to SCALEOUT_OUT for the checks that follow.

Pages (session cookie, as a browser): 待办 (/inbox/), open a document (/outgoing/ID/, /incoming/ID/), search (/search/).
Writes (API token, as the office's client would): register a 收文, draft and submit a 发文, approve the next 发文 step
(核稿 → 审核 → 签发, three people), number a signed 发文.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import deque

import gevent
from locust import HttpUser, between, constant, events, task

with open(os.environ["SCALEOUT_CREDS"], encoding="utf-8") as _fh:
    CREDS = json.load(_fh)
OUT = os.environ["SCALEOUT_OUT"]
THINK = [float(x) for x in os.environ.get("SCALEOUT_THINK", "0,0").split(",")]
MAX_REQUESTS = int(os.environ.get("SCALEOUT_MAX_REQUESTS", "100000"))
WRITES = os.environ.get("SCALEOUT_WRITES", "1") == "1"
SEARCH_WORDS = ["通知", "安全", "防汛", "预算", "消防", "节能", "春节", "资金", "检查", "会议"]
APPROVERS = ["u009", "director", "deputy"]  # 部门负责人核稿 → 办公室审核 → 分管领导签发 (the demo's 发文 flow)

RECORDS: list[tuple] = []
ACKS: list[dict] = []
CLAIMED: set[int] = set()  # work items taken by a simulated person (one Locust process: no two approve the same)
NUMBERING: set[int] = set()
DOCS = {"outgoing": deque(CREDS["outgoing_ids"], maxlen=200), "incoming": deque(CREDS["incoming_ids"], maxlen=200)}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, start_time=None, **kw):
    status = 0 if exception is not None and (response is None or not getattr(response, "status_code", 0)) else response.status_code
    RECORDS.append((start_time or time.time() - response_time / 1000, name, status, round(response_time, 2)))
    runner = getattr(_record, "runner", None)
    if len(RECORDS) == MAX_REQUESTS and runner is not None:  # bounded in requests as well as in time
        gevent.spawn(runner.quit)


@events.init.add_listener
def _init(environment, **kw):
    _record.runner = environment.runner


@events.quitting.add_listener
def _dump(environment, **kw):
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"records": RECORDS, "acks": ACKS}, fh, ensure_ascii=False)


class Office(HttpUser):
    wait_time = between(THINK[0], THINK[1]) if THINK[1] > 0 else constant(0)

    def _page(self, path: str, action: str, login: str | None = None) -> None:
        login = login or random.choice(list(CREDS["sessions"]))
        with self.client.get(path, name=action, cookies={"sessionid": CREDS["sessions"][login]}, allow_redirects=False,
                             catch_response=True) as r:
            if r.status_code != 200:  # a redirect to the login page would mean the session was lost
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")

    def _api(self, method: str, path: str, action: str, login: str, body: dict | None = None, ok=(200, 201)):
        headers = {"Authorization": f"Token {CREDS['tokens'][login]}"}
        with self.client.request(method, path, name=action, json=body, headers=headers, catch_response=True) as r:
            if r.status_code == 409:
                r.success()  # a business conflict (someone else was first) is an answer, not an error
                return None
            if r.status_code not in ok:
                r.failure(f"{r.status_code} {r.text[:200]}")
                return None
            try:
                return r.json()
            except ValueError:
                r.failure("not JSON")
                return None

    @task(6)
    def todo(self):
        self._page("/inbox/", "待办")

    @task(4)
    def open_document(self):
        kind = random.choice(("outgoing", "incoming"))
        if DOCS[kind]:
            self._page(f"/{kind}/{random.choice(DOCS[kind])}/", "打开公文", login="clerk")

    @task(3)
    def search(self):
        self._page(f"/search/?q={random.choice(SEARCH_WORDS)}", "搜索")

    @task(1)
    def register_incoming(self):
        if not WRITES:
            return
        n = random.randint(1, 999)
        data = self._api("POST", "/api/v1/incoming/register/", "登记收文", "clerk", {
            "source": "paper", "sender_name": "某市财政局", "doc_number": f"某财发〔2026〕{n}号",
            "title": f"关于压力测试第{n}号来文的通知", "allow_duplicate": True}, ok=(201,))
        if data:
            ACKS.append({"kind": "incoming", "id": data["id"], "receipt_number": data["receipt_number"], "t": time.time()})
            DOCS["incoming"].append(data["id"])

    @task(1)
    def draft_outgoing(self):
        if not WRITES:
            return
        data = self._api("POST", "/api/v1/outgoing/", "拟稿发文", "clerk", {
            "doc_type": "通知", "title": f"关于做好第{random.randint(1, 9999)}次压力测试工作的通知",
            "body": "各乡镇人民政府，县直各单位：\n现将有关事项通知如下。", "main_recipients": CREDS["recipients"]}, ok=(201,))
        if not data:
            return
        ACKS.append({"kind": "draft", "id": data["id"], "t": time.time()})
        DOCS["outgoing"].append(data["id"])
        if self._api("POST", f"/api/v1/outgoing/{data['id']}/submit/", "送审发文", "clerk", {}):
            ACKS.append({"kind": "submit", "id": data["id"], "t": time.time()})

    @task(4)
    def approve(self):
        if not WRITES:
            return
        for login in random.sample(APPROVERS, len(APPROVERS)):  # whoever has a 发文 waiting
            page = self._api("GET", "/api/v1/flow/todo/", "待办接口", login)
            items = [i for i in (page or {}).get("results", []) if i["business_type"] == "outgoing" and i["id"] not in CLAIMED]
            if items:
                break
        else:
            return
        item = items[0]
        CLAIMED.add(item["id"])
        if self._api("POST", f"/api/v1/flow/items/{item['id']}/approve/", "审批", login, {"opinion": "同意。"}):
            ACKS.append({"kind": "approve", "item": item["id"], "t": time.time()})

    @task(1)
    def number(self):
        if not WRITES:
            return
        page = self._api("GET", "/api/v1/outgoing/?page_size=50", "发文列表接口", "clerk")
        signed = [d for d in (page or {}).get("results", []) if d["status"] == "signed" and d["id"] not in NUMBERING]
        if not signed:
            return
        doc = signed[0]["id"]
        NUMBERING.add(doc)
        data = self._api("POST", f"/api/v1/outgoing/{doc}/number/", "编号发文", "clerk", {})
        if data:
            ACKS.append({"kind": "number", "id": doc, "doc_number": data["doc_number"], "t": time.time()})
