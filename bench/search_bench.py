"""Full-text search at scale: N realistic Chinese documents (≈1,500 characters each, built from the phrases of
government documents), index rate, index size, and p50/p95 of 20 typical queries (1–8 characters, some with
filters) through the production `search()` as a non-admin user with row-level access.

Usage (a separate database — never the demo one):
    .venv/bin/python bench/search_bench.py --docs 100000                    # SQLite: var/bench/search-100000.sqlite3
    createdb -h 127.0.0.1 -U postgres zs_search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_search_bench .venv/bin/python bench/search_bench.py --docs 100000

Index rows are bulk-inserted straight into search_entry (SQLite: executemany, the FTS5 triggers fill the token
index; PostgreSQL: COPY, then the GIN index is built) with the production tokenizer (indexing.entry_from_doc);
the 发文 rows they point to are bulk-created through the ORM so restrict() has real rows to check.
Running again with a larger --docs adds documents to the same database.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOPICS = ["安全生产", "防汛抗旱", "森林防火", "乡村振兴", "营商环境", "生态环境保护", "河长制", "耕地保护", "消防安全", "食品安全",
          "疫情防控", "信访维稳", "招商引资", "项目建设", "财政预算", "审计整改", "民生实事", "农村人居环境整治", "城乡医保", "义务教育",
          "就业创业", "社会救助", "养老服务", "数字政府", "政务公开", "12345热线", "扫黑除恶", "禁毒工作", "安全隐患排查", "冬春火灾防控",
          "秸秆禁烧", "大气污染防治", "水污染防治", "土壤污染防治", "地质灾害防治", "应急管理", "粮食安全", "高标准农田建设", "文明城市创建",
          "网格化管理", "基层治理", "党风廉政建设", "作风建设", "督查督办", "公文处理", "机要保密", "档案管理", "值班值守", "统计调查", "人口普查"]
ACTIONS = ["做好", "加强", "进一步加强", "开展", "深入开展", "切实做好", "全面推进", "扎实推进", "规范", "印发", "转发", "调整", "落实"]
DOCTYPES = ["通知", "意见", "报告", "请示", "批复", "函", "通报", "纪要", "决定", "方案"]
OPENERS = ["为深入贯彻落实党中央、国务院决策部署", "根据上级有关文件精神", "经县人民政府同意", "为进一步提高工作效能", "按照年初工作安排",
           "为切实解决群众反映强烈的突出问题", "根据工作需要", "为推动各项工作落到实处"]
PHRASES = ["高质量发展", "压实属地责任", "强化部门协同", "健全工作机制", "加强组织领导", "严格落实责任制", "加大资金投入", "完善应急预案",
           "开展专项整治", "强化督促检查", "及时报送信息", "确保取得实效", "坚持问题导向", "补齐短板弱项", "提升服务水平", "优化工作流程",
           "加强宣传引导", "营造良好氛围", "严肃追责问责", "统筹发展和安全", "守牢安全底线", "巩固拓展成果", "深化改革创新", "推进数字化转型",
           "落实主体责任", "建立工作台账", "实行销号管理", "按时办结", "限期整改到位", "分级分类处置", "做到应收尽收", "切实减轻基层负担"]
UNITS = ["县发展和改革局", "县财政局", "县应急管理局", "县自然资源局", "县生态环境局", "县住房和城乡建设局", "县交通运输局", "县水利局",
         "县农业农村局", "县卫生健康委员会", "县教育局", "县民政局", "县人力资源和社会保障局", "县市场监督管理局", "县公安局", "各乡镇人民政府"]
NAME_CHARS = "安宝北碧昌长城川大东丰凤福富高光广桂汉和河红洪华怀黄惠吉嘉金锦景靖康兰乐黎丽临龙隆茂梅民明南宁平浦七青清庆仁荣瑞三山上石寿顺太泰天通万文西溪祥新兴秀阳永玉元岳云泽长兆镇中竹"
NUMS = "一二三四五六七八九十"
# 机关代字 of the issuing offices: a 文号 names one document (serials run per 代字 and year, as an office numbers them)
DAIZI = ["某政办发", "某政发", "某政办函", "某政函", "某政办电", "某政任", "某府发", "某府办发", "某财预", "某财行", "某发改发", "某应急发",
         "某自然资发", "某环发", "某住建发", "某交发", "某水发", "某农发", "某卫健发", "某教发", "某民发", "某人社发", "某市监发", "某公发",
         "某审发", "某统发", "某医保发", "某林发", "某商发", "某文旅发"]
YEARS = [2022, 2023, 2024, 2025, 2026]


class Corpus:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.main = TOPICS[0]

    def place(self) -> str:
        r = self.rng
        return "".join(r.choice(NAME_CHARS) for _ in range(2)) + r.choice(["村", "社区", "镇", "乡", "街道"])

    def topic(self) -> str:
        # Mostly the document's own subject; now and then another one, as real documents do.
        return self.main if self.rng.random() < 0.85 else self.rng.choice(TOPICS)

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.3:
            return f"{r.choice(OPENERS)}，{r.choice(PHRASES)}，{r.choice(PHRASES)}。"
        if kind < 0.55:
            return f"各地各部门要围绕{self.topic()}，{r.choice(PHRASES)}，{r.choice(PHRASES)}，{r.choice(PHRASES)}。"
        if kind < 0.75:
            return (f"{r.choice(UNITS)}牵头负责{self.topic()}工作，{self.place()}等{r.randint(2, 40)}个点位"
                    f"于{r.randint(1, 12)}月{r.randint(1, 28)}日前完成{r.choice(PHRASES)}。")
        if kind < 0.9:
            return f"截至{r.randint(1, 12)}月底，全县累计投入资金{r.randint(10, 9000)}万元，{r.choice(PHRASES)}，{r.choice(PHRASES)}。"
        return f"（{r.choice(NUMS)}）{r.choice(ACTIONS)}{self.topic()}。{r.choice(PHRASES)}，{r.choice(PHRASES)}。"

    def document(self, i: int) -> tuple[int, str, str, str]:
        """Document number i: its year, title, 文号 (unique: 代字 and year from i, then the serial) and body."""
        r = self.rng
        year = YEARS[(i // len(DAIZI)) % len(YEARS)]
        serial = i // (len(DAIZI) * len(YEARS)) + 1
        topic = self.main = r.choice(TOPICS)
        title = f"某县人民政府办公室关于{r.choice(ACTIONS)}{topic}工作的{r.choice(DOCTYPES)}"
        number = f"{DAIZI[i % len(DAIZI)]}〔{year}〕{serial}号"
        target = max(300, int(r.gauss(1500, 400)))
        parts = [f"{r.choice(UNITS)}、{r.choice(UNITS)}：\n"]
        size = len(parts[0])
        n = 0
        while size < target:
            if n % 5 == 0:
                head = f"{NUMS[(n // 5) % 10]}、{r.choice(ACTIONS)}{self.topic()}\n"
                parts.append(head)
                size += len(head)
            s = self.sentence()
            if r.random() < 0.03:
                s = f"根据某政办发〔{year - 1}〕{r.randint(1, 300)}号文件要求，" + s
            parts.append(s)
            size += len(s)
            n += 1
        return year, title, number, "".join(parts)


QUERIES: list[tuple[str, dict]] = [
    ("防", {}),
    ("涝", {"order": "date"}),
    ("河长", {}),
    ("禁毒", {"year": 2025}),
    ("普查", {"classification": 1}),
    ("热线", {"order": "date"}),
    ("安全生", {}),
    ("营商环", {"status": "distributed"}),
    ("乡村振兴", {}),
    ("秸秆禁烧", {"year": 2024}),
    ("作风建设", {"department": True}),
    ("数字政府", {"order": "date"}),
    ("高质量发展", {}),
    ("地质灾害防治", {"year": 2026, "order": "date"}),
    ("切实减轻基层负担", {}),
    ("完善应急预案", {"classification": 0}),
    ("某政办发〔2025〕15号", {}),
    ("某政办发[2024]128号", {}),
    ("县水利局牵头负责", {"order": "date"}),
    ("农村人居环境整治", {"year": 2025}),
]


STATUSES = [("distributed", "已分发", 55), ("filed", "已归档", 20), ("signed", "已签发", 5), ("reviewing", "审核中", 5), ("draft", "拟稿", 15)]


def _make_batch(job: tuple[int, int, dict]) -> tuple:
    """Worker: documents start … start+n-1 as 发文 fields and index rows (tokenized by the production code)."""
    from zhongshu.search.indexing import entry_from_doc
    from zhongshu.search.registry import SearchDoc

    start, n, ctx = job
    t0 = time.perf_counter()
    corpus = Corpus(seed=start + 1)
    rng = random.Random(start)
    fields, bodies = [], []
    for i in range(start, start + n):
        year, title, number, body = corpus.document(i)
        status, label, _ = rng.choices(STATUSES, weights=[s[2] for s in STATUSES])[0]
        fields.append(dict(
            organization_id=ctx["org"] if rng.random() < 0.9 else ctx["other_org"], doc_type="通知", title=title[:200],
            classification=rng.choices([0, 1, 2, 3, 4], weights=[30, 50, 15, 4, 1])[0], drafter_id=rng.choice(ctx["drafters"]),
            drafting_department_id=rng.choice(ctx["departments"]), doc_number=number if status != "draft" else "",
            number_year=year, status=status, issue_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        ))
        bodies.append(body)
    t1 = time.perf_counter()
    labels = {s[0]: s[1] for s in STATUSES}
    entries = []
    for f, body in zip(fields, bodies, strict=True):
        e = entry_from_doc("outgoing", 0, SearchDoc(
            title=f["title"], head=f["doc_number"], text=body, url="", meta=f["doc_number"], organization_id=f["organization_id"],
            department_id=f["drafting_department_id"], year=f["number_year"], classification=f["classification"],
            status=f["status"], status_label=labels[f["status"]], date=f["issue_date"],
        ))
        entries.append((e.kind, e.title, e.head, e.meta, e.organization_id, e.department_id, e.year, e.classification, e.status,
                        e.status_label, e.date, e.text, e.canon, e.tokens))
    return start, n, fields, entries, sum(map(len, bodies)), t1 - t0, time.perf_counter() - t1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up)")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="processes generating and tokenizing documents")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'search-{args.docs}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    os.environ["QUEUE_SYNC"] = "1"
    os.environ["DB_POOL"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models.signals import post_save

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.org.models import Organization, User
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.search import signals
    from zhongshu.search.registry import search

    if not already_built():
        build()
    post_save.disconnect(signals._on_change, sender=OutgoingDocument, dispatch_uid="search-outgoing-save")
    user = User.objects.get(username="clerk")  # 文秘: clearance 秘密, sees the office's sent documents and own drafts
    org = user.organization
    other_org = Organization.objects.exclude(pk=org.pk).first()
    drafters = list(User.objects.filter(organization=org, admin_role="").exclude(pk=user.pk).values_list("pk", flat=True))
    departments = list(org.departments.values_list("pk", flat=True))
    vendor = connection.vendor
    existing = OutgoingDocument.objects.filter(title__startswith="某县人民政府办公室关于").count()
    print(f"数据库: {vendor}  已有基准文档: {existing}  目标: {args.docs}")

    columns = ["kind", "object_id", "title", "head", "url", "meta", "organization_id", "department_id", "year", "classification",
               "status", "status_label", "date", "indexed_at", "text", "canon", "tokens"]
    gen_s = tok_s = write_s = 0.0
    chars = 0
    if existing < args.docs:
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("DROP INDEX IF EXISTS search_entry_tsv")
        now = datetime.datetime.now(datetime.UTC)
        ctx = {"org": org.pk, "other_org": other_org.pk, "drafters": drafters, "departments": departments}
        starts = [(start, min(args.batch, args.docs - start), ctx) for start in range(existing, args.docs, args.batch)]
        connection.close()  # the workers are forked: they must not share this connection (they only tokenize)
        t_all = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            for start, n, fields, entries, n_chars, t_gen, t_tok in pool.imap(_make_batch, starts):
                gen_s += t_gen
                tok_s += t_tok
                chars += n_chars
                t2 = time.perf_counter()
                with transaction.atomic():
                    created = OutgoingDocument.objects.bulk_create([OutgoingDocument(**f) for f in fields])
                    t3 = time.perf_counter()
                    rows = [(e[0], d.pk, e[1], e[2], f"/outgoing/{d.pk}/", *e[3:11], now, *e[11:])
                            for d, e in zip(created, entries, strict=True)]
                    with connection.cursor() as cur:
                        if vendor == "postgresql":
                            with cur.cursor.copy(f"COPY search_entry ({', '.join(columns)}) FROM STDIN") as copy:
                                for row in rows:
                                    copy.write_row(row)
                        else:
                            cur.executemany(
                                f"INSERT INTO search_entry ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                                [tuple(str(v) if isinstance(v, datetime.date) else v for v in row) for row in rows],
                            )
                gen_s += t3 - t2  # the 发文 rows are benchmark scaffolding, not indexing
                write_s += time.perf_counter() - t3
                wall = time.perf_counter() - t_all
                print(f"\r  索引 {start + n}/{args.docs}  {(start + n - existing) / wall:,.0f} 篇/秒（墙钟，{args.workers} 个分词进程）",
                      end="", flush=True)
        wall_s = time.perf_counter() - t_all
        print()
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            if vendor == "postgresql":
                cur.execute("SET maintenance_work_mem = '1GB'")
                cur.execute("CREATE INDEX IF NOT EXISTS search_entry_tsv ON search_entry USING gin (tsv)")
                cur.execute("VACUUM ANALYZE search_entry") if connection.get_autocommit() else None
                cur.execute("ANALYZE")
            else:
                cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cur.execute("ANALYZE")
        build_s = time.perf_counter() - t0
        total_new = args.docs - existing
        print(f"新增 {total_new} 篇，平均 {chars / max(1, total_new):,.0f} 字；生成 {gen_s:.1f}s，分词 {tok_s:.1f}s（各进程合计），"
              f"写入 {write_s:.1f}s，{'GIN 建索引' if vendor == 'postgresql' else 'FTS optimize'} {build_s:.1f}s")
        print(f"索引速率: {total_new / (tok_s + write_s + build_s):,.0f} 篇/秒（单核：分词+写入+建索引）；"
              f"墙钟 {total_new / (wall_s + build_s):,.0f} 篇/秒（{args.workers} 个分词进程与写入并行）")

    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("SELECT pg_total_relation_size('search_entry'), pg_relation_size('search_entry_tsv')")
            total, gin = cur.fetchone()
            print(f"索引大小: search_entry 共 {total / 2**20:,.0f} MB（含原文、规范文本、TOAST 和索引），其中 GIN {gin / 2**20:,.0f} MB")
        else:
            try:
                cur.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name")
                sizes = dict(cur.fetchall())
                fts = sum(v for k, v in sizes.items() if k.startswith("search_fts"))
                print(f"索引大小: search_entry 表 {sizes.get('search_entry', 0) / 2**20:,.0f} MB，FTS5 {fts / 2**20:,.0f} MB")
            except Exception:
                path = settings.DATABASES["default"]["NAME"]
                print(f"索引大小: 数据库文件 {os.path.getsize(path) / 2**20:,.0f} MB（dbstat 不可用）")
        cur.execute("SELECT COUNT(*) FROM search_entry")
        print(f"索引行数: {cur.fetchone()[0]}")

    dept = departments[0]
    timings: list[float] = []
    print(f"{'查询':<20} {'筛选':<34} {'命中':>6} {'中位 ms':>8} {'最大 ms':>8}")
    for q, filters in QUERIES:
        kw = dict(filters)
        if kw.get("department") is True:
            kw["department"] = dept
        search(user, q, **kw)  # warm-up
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r = search(user, q, **kw)
            runs.append((time.perf_counter() - t0) * 1000)
        timings.extend(runs)
        total = f"{r.total}{'+' if r.capped else ''}"
        print(f"{q:<20} {str(filters):<34} {total:>6} {statistics.median(runs):8.1f} {max(runs):8.1f}")
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"\n{args.docs:,} 篇（{vendor}）：p50 {p50:.1f} ms，p95 {p95:.1f} ms（{len(QUERIES)} 个查询 × {args.runs} 次，含计数、排序、摘要高亮）")


if __name__ == "__main__":
    main()
