"""Scale-out on real components (issue 19 §3): nginx → two `zhongshu serve` → PostgreSQL + Redis, on this machine.

    python bench/scaleout.py failover            # 2 app servers, the daily mix, one server killed (kill -9) mid-run
    python bench/scaleout.py peak                # the county's peak: 60 people, 5–15 s think time, 2 app servers
    python bench/scaleout.py knee --servers 1    # no think time, users stepped up: where p95 passes 500 ms
    python bench/scaleout.py all                 # the three, knee for 1 and for 2 servers

Everything listens on 127.0.0.1 only.  Needs Debian's nginx (`apt-get install nginx`; `--install-nginx` runs it),
a PostgreSQL server (--pg, a superuser URL: a scratch database is created from a template and dropped at the end)
and Redis (--redis; a private redis-server is started on a scratch port when none answers).  The template database
(migrated, demo county loaded; several minutes to build the first time) is kept for the next run
(`--rebuild-template` builds it again).  The nginx configuration is deploy/nginx/zhongshu-proxy.conf — the file an
IT person installs — included verbatim; only the listen address, upstream ports and paths differ.

Each run is bounded in time (--seconds, ≤ 180) and in requests (--max-requests).  Printed: requests/s and
p50/p95/p99 per action; for failover the checks (exit code 1 if one fails):
  - every acknowledged write is in the database (收文 with its 收文号, 发文 drafted and submitted, 审批 done, 文号);
  - 文号 and 收文号: no duplicate, no gap in any (机关代字, 年) sequence;
  - errors (5xx, refused connections) only for requests in flight on the killed server when it died;
  - the service continued: requests answered by the other server after the kill, sessions still valid there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LOCUSTFILE = ROOT / "bench" / "scaleout_locust.py"
PROXY_CONF = ROOT / "deploy" / "nginx" / "zhongshu-proxy.conf"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} 未就绪（{timeout:.0f} 秒）")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


class Stack:
    """The processes of one run; everything is stopped in close()."""

    def __init__(self, args, workdir: Path):
        self.args, self.workdir = args, workdir
        self.procs: list[subprocess.Popen] = []
        self.servers: dict[int, subprocess.Popen] = {}
        self.db = f"zs_scaleout_{os.getpid()}"
        self.nginx_port = free_port()
        base = args.pg.rstrip("/")
        self.db_url = f"{base}/{self.db}"
        self.env = {
            **os.environ, "DATABASE_URL": self.db_url, "REDIS_URL": self.redis_url(), "ZHONGSHU_VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(workdir / "media"), "STATIC_ROOT": str(workdir / "static"), "TRUSTED_PROXY": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
            "AUDIT_KEY": "scaleout-bench-key-0123456789abcdef", "DB_POOL_MAX": "4", "WEB_WORKERS": str(args.web_workers),
        }

    # ---- components ----------------------------------------------------------------------
    def redis_url(self) -> str:
        try:
            import redis

            redis.Redis.from_url(self.args.redis, socket_timeout=1).ping()
            return self.args.redis
        except Exception:
            port = free_port()
            log(f"Redis 未响应（{self.args.redis}），在 127.0.0.1:{port} 启动临时 redis-server")
            self.procs.append(subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                                "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True))
            time.sleep(0.5)
            return f"redis://127.0.0.1:{port}/0"

    def database(self) -> None:
        admin = self.args.pg.rstrip("/") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as c:
            exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.args.template,)).fetchone()
            if exists and self.args.rebuild_template:
                c.execute(f'DROP DATABASE "{self.args.template}"')
                exists = None
            if not exists:
                log(f"建模板库 {self.args.template}：migrate + 演示县（首次需数分钟）")
                c.execute(f'CREATE DATABASE "{self.args.template}"')
                env = {**self.env, "DATABASE_URL": self.args.pg.rstrip("/") + "/" + self.args.template}
                subprocess.run([PY, "-m", "zhongshu", "migrate", "-v", "0"], env=env, check=True)
                subprocess.run([PY, "-m", "zhongshu", "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
            c.execute(f'CREATE DATABASE "{self.db}" TEMPLATE "{self.args.template}"')
        log(f"临时数据库 {self.db}（模板 {self.args.template}）")

    def static(self) -> None:
        if not (self.workdir / "static" / "staticfiles.json").exists():
            log("collectstatic")
            subprocess.run([PY, "-m", "zhongshu", "collectstatic", "--no-input", "-v", "0"], env=self.env, check=True)

    def start_server(self, port: int) -> None:
        p = subprocess.Popen([PY, "-m", "zhongshu", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(self.args.web_workers)],
                             env=self.env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=open(self.workdir / f"serve-{port}.log", "w"))  # noqa: SIM115
        self.servers[port] = p

    def kill_server(self, port: int) -> float:
        """kill -9 of the whole app server (gunicorn master and its workers): a lost machine."""
        t = time.time()
        os.killpg(self.servers[port].pid, signal.SIGKILL)
        return t

    def worker(self) -> None:
        self.procs.append(subprocess.Popen([PY, "-m", "zhongshu", "worker"], env=self.env, start_new_session=True,
                                           stdout=subprocess.DEVNULL, stderr=open(self.workdir / "worker.log", "w")))  # noqa: SIM115

    def nginx(self, ports: list[int]) -> None:
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(exe).exists():
            if not self.args.install_nginx:
                raise SystemExit("未安装 nginx：apt-get install nginx（或加 --install-nginx）")
            subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx"], check=True)
        nd = self.workdir / "nginx"
        (nd / "tmp").mkdir(parents=True, exist_ok=True)
        self.access_log = nd / "access.log"
        self.access_log.unlink(missing_ok=True)
        proxy = PROXY_CONF.read_text(encoding="utf-8")
        upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
        user = "user root root;" if os.getuid() == 0 else ""
        conf = f"""{user}
worker_processes 1;
pid {nd}/nginx.pid;
error_log {nd}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  client_body_temp_path {nd}/tmp/body; proxy_temp_path {nd}/tmp/proxy; fastcgi_temp_path {nd}/tmp/fcgi;
  uwsgi_temp_path {nd}/tmp/uwsgi; scgi_temp_path {nd}/tmp/scgi;
  log_format bench '$msec $request_time $status "$upstream_addr" "$upstream_status" $request_method "$request_uri"';
  access_log {self.access_log} bench;
  upstream zhongshu {{
{upstream}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.nginx_port};
    server_name 127.0.0.1;
    location /static/ {{ alias {self.workdir / 'static'}/; expires 7d; access_log off; }}
{proxy}
  }}
}}
"""
        (nd / "nginx.conf").write_text(conf, encoding="utf-8")
        subprocess.run([exe, "-t", "-q", "-c", str(nd / "nginx.conf"), "-p", str(nd)], check=True)
        self.procs.append(subprocess.Popen([exe, "-c", str(nd / "nginx.conf"), "-p", str(nd), "-g", "daemon off;"],
                                           start_new_session=True))

    def start(self, n_servers: int) -> list[int]:
        (self.workdir / "media").mkdir(parents=True, exist_ok=True)
        self.database()
        self.static()
        ports = [free_port() for _ in range(n_servers)]
        for p in ports:
            self.start_server(p)
        self.worker()
        for p in ports:
            wait_http(f"http://127.0.0.1:{p}/healthz")
        self.nginx(ports)
        wait_http(f"http://127.0.0.1:{self.nginx_port}/healthz")
        log(f"nginx 127.0.0.1:{self.nginx_port} → 应用服务器 {ports}（各 {self.args.web_workers} 个 gunicorn 进程）+ worker")
        return ports

    def close(self) -> None:
        # Whole process groups: the worker's django-q children and gunicorn's workers must not outlive the run (an
        # orphaned worker would take the next run's jobs from the same Redis queue).
        group = [*self.servers.values(), *self.procs]
        for p in group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.time() + 20
        for p in group:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=max(0.1, deadline - time.time()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
        if not self.args.keep_db:
            admin = self.args.pg.rstrip("/") + "/postgres"
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            log(f"已删除临时数据库 {self.db}")

    # ---- the people ----------------------------------------------------------------------
    def credentials(self) -> Path:
        base = f"http://127.0.0.1:{self.nginx_port}"
        tokens, sessions = {}, {}
        for login in ("clerk", "u009", "director", "deputy"):
            r = requests.post(f"{base}/api/v1/auth/token", json={"username": login, "password": self.args.password,
                                                                  "name": "scaleout"}, timeout=30)
            r.raise_for_status()
            tokens[login] = r.json()["token"]
        for login in ("clerk", "director", "leader", "deputy"):
            s = requests.Session()
            s.get(f"{base}/accounts/login/", timeout=30)
            r = s.post(f"{base}/accounts/login/", data={"username": login, "password": self.args.password,
                                                       "csrfmiddlewaretoken": s.cookies["csrftoken"]},
                       headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False, timeout=30)
            if "sessionid" not in s.cookies:
                raise SystemExit(f"网页登录失败：{login} {r.status_code}")
            sessions[login] = s.cookies["sessionid"]
        h = {"Authorization": f"Token {tokens['clerk']}"}
        out = [d["id"] for d in requests.get(f"{base}/api/v1/outgoing/", headers=h, timeout=30).json()["results"]]
        inc = [d["id"] for d in requests.get(f"{base}/api/v1/incoming/", headers=h, timeout=30).json()["results"]]
        book = requests.get(f"{base}/api/v1/address-book/", headers=h, timeout=30).json()["results"]
        path = self.workdir / "creds.json"
        path.write_text(json.dumps({"tokens": tokens, "sessions": sessions, "outgoing_ids": out, "incoming_ids": inc,
                                    "recipients": [o["id"] for o in book[:3]]}), encoding="utf-8")
        return path

    def warm_up(self) -> None:
        """Every gunicorn process loads its lazy parts on first use (templates, the proofreading dictionary, fonts):
        a short unmeasured run first, so the figures are of warm servers."""
        log("预热 15 秒（不计入）")
        self.locust(users=6, seconds=15, think="0,0", tag="warmup", spawn_rate=6)

    def locust(self, *, users: int, seconds: int, think: str, tag: str, spawn_rate: float, writes: bool = True) -> dict:
        out = self.workdir / f"records-{tag}.json"
        env = {**os.environ, "SCALEOUT_CREDS": str(self.creds), "SCALEOUT_OUT": str(out), "SCALEOUT_THINK": think,
               "SCALEOUT_MAX_REQUESTS": str(self.args.max_requests), "SCALEOUT_WRITES": "1" if writes else "0"}
        cmd = [PY, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(spawn_rate),
               "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{self.nginx_port}", "--only-summary",
               "--stop-timeout", "10", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
        with open(self.workdir / f"locust-{tag}.log", "w") as err:
            subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=err)
        return json.loads(out.read_text(encoding="utf-8"))


# ---- reports -----------------------------------------------------------------------------
def is_error(status: int) -> bool:
    return status == 0 or status >= 500 or status in (302, 400, 401, 403, 404)


def report(title: str, records: list, t0: float | None = None, t1: float | None = None) -> dict:
    rows = [r for r in records if (t0 is None or r[0] >= t0) and (t1 is None or r[0] < t1)]
    if not rows:
        print(f"\n{title}: 无请求")
        return {}
    span = (max(r[0] for r in rows) - min(r[0] for r in rows)) or 1.0
    print(f"\n{title}  — {len(rows)} 个请求，{span:.0f} 秒，{len(rows) / span:.1f} 请求/秒，"
          f"错误 {sum(is_error(r[2]) for r in rows)}，业务冲突(409) {sum(r[2] == 409 for r in rows)}")
    print(f"  {'动作':<10}{'次数':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'错误':>6}")
    actions = sorted({r[1] for r in rows}, key=lambda a: -sum(r[1] == a for r in rows))
    for a in [*actions, "（全部）"]:
        sel = rows if a == "（全部）" else [r for r in rows if r[1] == a]
        ms = [r[3] for r in sel]
        print(f"  {a:<10}{len(sel):>7}{pct(ms, 50):>9.0f}{pct(ms, 95):>9.0f}{pct(ms, 99):>9.0f}{sum(is_error(r[2]) for r in sel):>6}")
    allms = [r[3] for r in rows]
    return {"rps": len(rows) / span, "p50": pct(allms, 50), "p95": pct(allms, 95), "p99": pct(allms, 99),
            "errors": sum(is_error(r[2]) for r in rows), "n": len(rows)}


def check_writes(stack: Stack, acks: list) -> list[str]:
    problems = []
    with psycopg.connect(stack.db_url) as c:
        for a in acks:
            if a["kind"] == "incoming":
                row = c.execute("SELECT number_year, number_serial FROM incoming_incomingdocument WHERE id = %s", (a["id"],)).fetchone()
                m = re.search(r"〔(\d+)〕(\d+)号", a["receipt_number"])
                if row is None or m is None or (row[0], row[1]) != (int(m.group(1)), int(m.group(2))):
                    problems.append(f"已确认的收文 {a['id']} {a['receipt_number']} 不在数据库中或编号不符：{row}")
            elif a["kind"] in ("draft", "submit"):
                row = c.execute("SELECT status FROM outgoing_outgoingdocument WHERE id = %s", (a["id"],)).fetchone()
                if row is None or (a["kind"] == "submit" and row[0] == "draft"):
                    problems.append(f"已确认的发文 {a['kind']} {a['id']} 丢失：{row}")
            elif a["kind"] == "approve":
                row = c.execute("SELECT status FROM flow_workitem WHERE id = %s", (a["item"],)).fetchone()
                if row is None or row[0] == "pending":
                    problems.append(f"已确认的审批 {a['item']} 未生效：{row}")
            elif a["kind"] == "number":
                row = c.execute("SELECT doc_number FROM outgoing_outgoingdocument WHERE id = %s", (a["id"],)).fetchone()
                if row is None or row[0] != a["doc_number"]:
                    problems.append(f"已确认的文号 {a['doc_number']}（发文 {a['id']}）不在数据库中：{row}")
        # 文号: one NumberRecord per serial, no gaps, each assigned one to one document
        seqs: dict[tuple, list[int]] = {}
        for org, prefix, year, serial in c.execute("SELECT organization_id, prefix, year, serial FROM outgoing_numberrecord"):
            seqs.setdefault((org, prefix, year), []).append(serial)
        dup_docs = c.execute("SELECT doc_number, count(*) FROM outgoing_outgoingdocument WHERE doc_number <> '' "
                             "GROUP BY organization_id, doc_number HAVING count(*) > 1").fetchall()
        problems += [f"文号 {d} 重复（{n} 件）" for d, n in dup_docs]
        inc: dict[tuple, list[int]] = {}
        for org, year, serial in c.execute("SELECT organization_id, number_year, number_serial FROM incoming_incomingdocument "
                                           "WHERE number_serial IS NOT NULL"):
            inc.setdefault((org, year), []).append(serial)
    for label, groups in (("文号", seqs), ("收文号", inc)):
        for key, serials in groups.items():
            if len(serials) != len(set(serials)):
                problems.append(f"{label} {key} 有重复序号")
            missing = sorted(set(range(1, max(serials) + 1)) - set(serials))
            if missing:
                problems.append(f"{label} {key} 缺号：{missing[:10]}")
    n = {k: sum(a["kind"] == k for a in acks) for k in ("incoming", "draft", "submit", "approve", "number")}
    log(f"已确认的写入：收文 {n['incoming']}，拟稿 {n['draft']}，送审 {n['submit']}，审批 {n['approve']}，编号 {n['number']}；"
        f"文号序列 {len(seqs)} 个（{sum(map(len, seqs.values()))} 个号），收文号序列 {len(inc)} 个（{sum(map(len, inc.values()))} 个号）")
    return problems


def check_failover(stack: Stack, killed: int, survivor: int, kill_t: float) -> list[str]:
    """From nginx's log: every failed request was in flight on the killed server; the other one served after."""
    problems, errors, after = [], 0, 0
    for line in stack.access_log.read_text(encoding="utf-8").splitlines():
        m = re.match(r'(\S+) (\S+) (\d+) "([^"]*)" "([^"]*)" (\S+) "([^"]*)"', line)
        if not m:
            continue
        end, dur, status, upstream = float(m.group(1)), float(m.group(2)), int(m.group(3)), m.group(4)
        start = end - dur
        if status >= 500:
            errors += 1
            in_flight = start <= kill_t + 0.05 and end >= kill_t - 0.05
            last = upstream.split(",")[-1].strip().split(" : ")[-1]
            if not (in_flight and last.endswith(f":{killed}")):
                problems.append(f"不该出现的错误：{status} {m.group(6)} {m.group(7)} 上游 {upstream}，"
                                f"开始于停机后 {start - kill_t:+.2f} 秒")
        elif start > kill_t + 1 and status < 400:
            after += 1
            if str(killed) in upstream.split(",")[-1]:
                problems.append(f"停机后仍由被停的服务器应答：{line}")
    log(f"nginx：5xx {errors} 个（均须是停机时正在被停服务器上处理的请求），停机 1 秒后成功应答 {after} 个（127.0.0.1:{survivor}）")
    if after == 0:
        problems.append("停机后另一台服务器没有继续服务")
    return problems


# ---- scenarios ---------------------------------------------------------------------------
def failover(args, workdir: Path) -> bool:
    stack = Stack(args, workdir)
    try:
        a, b = stack.start(2)
        stack.creds = stack.credentials()
        stack.warm_up()
        kill_at = args.seconds / 2
        box: dict = {}

        def killer():
            time.sleep(kill_at + 3)  # + the users' ramp-up
            box["t"] = stack.kill_server(a)
            log(f"kill -9 应用服务器 127.0.0.1:{a}（gunicorn 主进程及其工作进程）")

        threading.Thread(target=killer, daemon=True).start()
        log(f"Locust：{args.users} 人，思考 {args.think} 秒，{args.seconds} 秒；第 {kill_at + 3:.0f} 秒停掉一台")
        data = stack.locust(users=args.users, seconds=args.seconds, think=args.think, tag="failover", spawn_rate=args.users / 3)
        kill_t = box["t"]
        report("两台应用服务器（停机前）", data["records"], t1=kill_t)
        report("一台应用服务器（停机后）", data["records"], t0=kill_t + 2)
        problems = check_writes(stack, data["acks"]) + check_failover(stack, a, b, kill_t)
        client_errors = [r for r in data["records"] if is_error(r[2])]
        late = [r for r in client_errors if not (r[0] <= kill_t + 0.05 and r[0] + r[3] / 1000 >= kill_t - 0.05)]
        problems += [f"客户端看到的不该出现的错误：{r}" for r in late[:10]]
        print(f"\n停机时在途而失败的请求：{len(client_errors) - len(late)}；其余错误：{len(late)}")
        print("检查：" + ("全部通过" if not problems else "失败\n  " + "\n  ".join(problems[:30])))
        return not problems
    finally:
        stack.close()


def peak(args, workdir: Path) -> bool:
    stack = Stack(args, workdir)
    try:
        stack.start(args.servers)
        stack.creds = stack.credentials()
        stack.warm_up()
        log(f"县级高峰：{args.users} 人，思考 {args.think} 秒，{args.seconds} 秒，{args.servers} 台应用服务器")
        data = stack.locust(users=args.users, seconds=args.seconds, think=args.think, tag="peak", spawn_rate=max(1, args.users / 10))
        r = report(f"高峰（{args.users} 人，思考 {args.think} 秒，{args.servers} 台）", data["records"])
        ok = r.get("errors", 1) == 0 and r.get("p95", 1e9) <= 300
        print(f"\n目标 p95 ≤ 300 ms 且无错误：{'达到' if ok else '未达到'}")
        problems = check_writes(stack, data["acks"])
        print("写入检查：" + ("全部通过" if not problems else "失败\n  " + "\n  ".join(problems[:30])))
        return ok and not problems
    finally:
        stack.close()


def knee(args, workdir: Path) -> bool:
    """No think time; users stepped 1, 2, 4, … each for --step seconds: the rate where p95 passes 500 ms."""
    stack = Stack(args, workdir)
    try:
        stack.start(args.servers)
        stack.creds = stack.credentials()
        stack.warm_up()
        rows = []
        for users in args.steps:
            data = stack.locust(users=users, seconds=args.step, think="0,0", tag=f"knee{users}", spawn_rate=users)
            rec = [r for r in data["records"] if r[0] >= min(x[0] for x in data["records"]) + 2]  # after the spawn
            r = report(f"{args.servers} 台，{users} 人无思考", rec)
            rows.append((users, r))
            if r.get("p95", 0) > 5000 and len(rows) >= 3:  # well past the knee
                break
        print(f"\n拐点（{args.servers} 台应用服务器，每台 {args.web_workers} 个进程）：")
        print(f"  {'并发':>4}{'请求/秒':>9}{'p50':>7}{'p95':>7}{'p99':>7}{'错误':>6}")
        knee_rate = None
        for users, r in rows:
            print(f"  {users:>4}{r['rps']:>9.1f}{r['p50']:>7.0f}{r['p95']:>7.0f}{r['p99']:>7.0f}{r['errors']:>6}")
            if knee_rate is None and r["p95"] > 500:
                knee_rate = r["rps"]
        best = max((r["rps"] for _, r in rows if r["p95"] <= 500), default=None)
        print(f"  p95 ≤ 500 ms 时的最高速率：{best and round(best, 1)} 请求/秒；p95 超过 500 ms 于：{knee_rate and round(knee_rate, 1)} 请求/秒")
        return True
    finally:
        stack.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", choices=["failover", "peak", "knee", "all"])
    ap.add_argument("--pg", default=os.environ.get("SCALEOUT_PG", "postgres://postgres@127.0.0.1:5432"),
                    help="PostgreSQL superuser URL without database name")
    ap.add_argument("--redis", default=os.environ.get("SCALEOUT_REDIS", "redis://127.0.0.1:6379/7"))
    ap.add_argument("--template", default="zs_scaleout_template")
    ap.add_argument("--rebuild-template", action="store_true")
    ap.add_argument("--keep-db", action="store_true")
    ap.add_argument("--install-nginx", action="store_true")
    ap.add_argument("--workdir", default="/tmp/zs-scaleout")
    ap.add_argument("--password", default="Zhongshu@2026", help="the demo county's password (demo only)")
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--web-workers", type=int, default=2, help="gunicorn processes per app server")
    ap.add_argument("--users", type=int, default=None)
    ap.add_argument("--think", default=None, help="min,max seconds between a person's actions")
    ap.add_argument("--seconds", type=int, default=None)
    ap.add_argument("--max-requests", type=int, default=20000)
    ap.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4, 8, 12, 16])
    ap.add_argument("--step", type=int, default=20, help="seconds per knee step")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"机器负载（1/5/15 分钟）：{os.getloadavg()}，CPU {os.cpu_count()} 核")
    ok = True
    for sc in (["failover", "peak", "knee", "knee1"] if args.scenario == "all" else [args.scenario]):
        a = argparse.Namespace(**vars(args))
        if sc == "failover":
            a.users, a.think, a.seconds = args.users or 20, args.think or "0.5,1.5", min(args.seconds or 90, 180)
            ok &= failover(a, workdir)
        elif sc == "peak":
            a.users, a.think, a.seconds = args.users or 60, args.think or "5,15", min(args.seconds or 120, 180)
            ok &= peak(a, workdir)
        else:
            if sc == "knee1":
                a.servers = 1
            knee(a, workdir)
        print(f"机器负载（1/5/15 分钟）：{os.getloadavg()}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
