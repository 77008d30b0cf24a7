/* 公文校对 — inline proofreader. Plain JS, no dependencies.
 *
 * Each <section class="proofreader"> posts its text to the proofreading API and shows the findings
 * highlighted in the text and listed at the side, each with 接受 / 忽略 / 全文忽略:
 *  - 接受 (pasted text): applies the suggestion to the text and proofreads again;
 *    (a .docx): marks the fix as accepted — the download applies it.
 *  - 忽略: ignores this one finding (rule, start, end); positions are moved along with later edits.
 *  - 全文忽略: ignores this rule on this wording for the whole document (rule, matched text).
 * Offsets from the API count Unicode code points, so the text is handled as an array of code points
 * (Array.from), never with UTF-16 string indexes.
 */
(function () {
  "use strict";

  var META = null;
  function meta() {
    if (!META) {
      var el = document.getElementById("pr-meta");
      META = el ? JSON.parse(el.textContent) : { categories: {}, severities: {}, rules: {} };
    }
    return META;
  }

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "class") el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return el;
  }

  /* Same rule as zhongshu.proofread.apply_fixes: in order, skipping overlaps. */
  function applyFixes(cps, findings) {
    var chosen = [], lastStart = -1, lastEnd = -1;
    findings.filter(function (f) { return f.suggestion !== null; })
      .sort(function (a, b) { return a.start - b.start || a.end - b.end; })
      .forEach(function (f) {
        if (f.start < lastEnd || (f.start === f.end && f.start === lastStart && lastStart === lastEnd)) return;
        var prev = chosen[chosen.length - 1];
        if (f.start === lastEnd && f.start === f.end && prev && prev.start === prev.end) return;
        chosen.push(f); lastStart = f.start; lastEnd = f.end;
      });
    var out = [], pos = 0;
    chosen.forEach(function (f) { out.push(cps.slice(pos, f.start).join(""), f.suggestion); pos = f.end; });
    out.push(cps.slice(pos).join(""));
    return out.join("");
  }

  function Proofreader(root) {
    this.root = root;
    this.q = function (name) { return root.querySelector('[data-pr="' + name + '"]'); };
    var src = root.getAttribute("data-source");
    this.textarea = src ? document.querySelector(src) : this.q("text");
    this.select = root.querySelector("select");
    this.findings = [];
    this.ignored = [];        // [[rule, text], …]
    this.ignoredSpans = [];   // [[rule, start, end], …]
    this.accepted = {};       // docx mode: "rule:start:end" -> true
    this.file = null;         // docx mode: the File (kept in the browser only)
    this.text = "";           // the text the findings refer to
    this.lastValue = this.textarea ? this.textarea.value : "";
    this.seq = 0;
    this.filter = null;
    this.bind();
    this.updateLength();
  }

  Proofreader.prototype.bind = function () {
    var self = this;
    this.q("run").addEventListener("click", function () { self.run(); });
    this.q("tab-edit").addEventListener("click", function () { self.show("edit"); });
    this.q("tab-view").addEventListener("click", function () { self.show("view"); });
    this.q("accept-all").addEventListener("click", function () { self.acceptAll(); });
    this.q("copy").addEventListener("click", function () { self.copy(); });
    var dl = this.q("download");
    if (dl) dl.addEventListener("click", function () { self.download(); });
    var file = this.q("file");
    if (file) file.addEventListener("change", function () { if (file.files[0]) self.upload(file.files[0]); file.value = ""; });
    var clear = this.q("clear-file");
    if (clear) clear.addEventListener("click", function () { self.clearFile(); });
    if (this.select) this.select.addEventListener("change", function () { if (self.findings.length || self.text) self.run(); });
    if (this.textarea) {
      this.textarea.addEventListener("input", function () { self.edited(); });
      this.textarea.addEventListener("keydown", function (e) {
        if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); self.run(); }
      });
    }
    this.q("view").addEventListener("click", function (e) {
      var m = e.target.closest("mark[data-i]");
      if (m) self.focusItem(+m.getAttribute("data-i"), true);
    });
  };

  Proofreader.prototype.show = function (which) {
    var view = which === "view";
    this.q("view").hidden = !view;
    if (this.textarea && !this.root.hasAttribute("data-source")) this.textarea.hidden = view || !!this.file;
    this.q("tab-view").classList.toggle("active", view);
    this.q("tab-edit").classList.toggle("active", !view);
    this.q("tab-edit").disabled = !!this.file;
  };

  Proofreader.prototype.setStatus = function (msg) { this.q("status").textContent = msg || ""; };

  Proofreader.prototype.setError = function (msg) {
    var box = this.q("error");
    box.hidden = !msg;
    box.firstElementChild.textContent = msg || "";
  };

  Proofreader.prototype.updateLength = function () {
    var n = this.file ? Array.from(this.text).length : (this.textarea ? Array.from(this.textarea.value).length : 0);
    this.q("length").textContent = n ? n.toLocaleString("zh-CN") + " 字" : "";
  };

  /* The user typed: move the ignored positions along (common prefix/suffix diff), re-run later. */
  Proofreader.prototype.edited = function () {
    var before = Array.from(this.lastValue), after = Array.from(this.textarea.value);
    this.lastValue = this.textarea.value;
    var p = 0;
    while (p < before.length && p < after.length && before[p] === after[p]) p++;
    var s = 0;
    while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
    this.shiftSpans(p, before.length - s, after.length - before.length);
    this.updateLength();
    var self = this;
    if (this.text) {
      clearTimeout(this.timer);
      this.timer = setTimeout(function () { self.run(true); }, 800);
    }
  };

  /* Text [a, b) was replaced, changing the length by delta. */
  Proofreader.prototype.shiftSpans = function (a, b, delta) {
    this.ignoredSpans = this.ignoredSpans.filter(function (sp) {
      return sp[2] <= a || sp[1] >= b;
    }).map(function (sp) {
      return sp[1] >= b ? [sp[0], sp[1] + delta, sp[2] + delta] : sp;
    });
  };

  Proofreader.prototype.request = function (url, body, isForm) {
    var headers = { "X-CSRFToken": this.root.getAttribute("data-csrf"), "Accept": "application/json" };
    if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", headers: headers, body: isForm ? body : JSON.stringify(body), credentials: "same-origin" })
      .then(function (r) {
        var ct = r.headers.get("Content-Type") || "";
        if (ct.indexOf("application/json") < 0) {
          if (!r.ok) throw new Error("服务器错误（" + r.status + "），请稍后再试。");
          return r;
        }
        return r.json().then(function (data) {
          if (!r.ok) {
            var fields = data.fields || {}, first = Object.keys(fields)[0];
            throw new Error(data.error || (first ? fields[first][0] : "请求失败。"));
          }
          return data;
        });
      });
  };

  Proofreader.prototype.docType = function () { return this.select ? this.select.value : ""; };

  Proofreader.prototype.run = function (quiet) {
    var self = this, seq = ++this.seq, t0 = performance.now(), req;
    if (this.file) {
      var fd = new FormData();
      fd.append("file", this.file);
      fd.append("doc_type", this.docType());
      fd.append("ignored", JSON.stringify(this.ignored));
      fd.append("ignored_spans", JSON.stringify(this.ignoredSpans));
      req = this.request(this.root.getAttribute("data-docx-api"), fd, true);
    } else {
      var text = this.textarea ? this.textarea.value : "";
      if (!text.trim()) {
        if (!quiet) this.setError("请先粘贴要校对的文字。");
        return Promise.resolve();
      }
      req = this.request(this.root.getAttribute("data-api"), {
        text: text, doc_type: this.docType(), ignored: this.ignored, ignored_spans: this.ignoredSpans
      });
      req = req.then(function (data) { data.text = text; return data; });
    }
    this.setStatus("正在校对……");
    this.root.classList.add("busy");
    return req.then(function (data) {
      if (seq !== self.seq) return;  // a newer run is on its way
      self.setError("");
      self.text = data.text;
      self.findings = data.findings;
      self.counts = data.counts;
      self.render();
      self.show("view");
      var errors = data.findings.filter(function (f) { return f.severity === "error"; }).length;
      self.setStatus(data.findings.length
        ? "共 " + data.findings.length + " 处（错误 " + errors + "，提示 " + (data.findings.length - errors) + "），用时 " + Math.round(performance.now() - t0) + " 毫秒"
        : "未发现问题");
    }).catch(function (err) {
      if (seq !== self.seq) return;
      self.setError(err.message || "校对失败，请稍后再试。");
      self.setStatus("");
    }).then(function () { if (seq === self.seq) self.root.classList.remove("busy"); });
  };

  Proofreader.prototype.key = function (f) { return f.rule + ":" + f.start + ":" + f.end; };

  Proofreader.prototype.render = function () {
    var self = this, m = meta(), cps = Array.from(this.text);
    // Highlighted text: one <mark> per finding that does not overlap an earlier one.
    var view = this.q("view");
    view.textContent = "";
    var pos = 0, lastEnd = -1;
    this.findings.forEach(function (f, i) {
      if (self.filter && f.category !== self.filter) return;
      if (f.start < lastEnd) return;
      view.appendChild(document.createTextNode(cps.slice(pos, f.start).join("")));
      var cls = "pr-mark sev-" + f.severity + " cat-" + f.category + (f.start === f.end ? " pr-ins" : "") +
        (self.accepted[self.key(f)] ? " accepted" : "");
      view.appendChild(h("mark", { "class": cls, "data-i": i, "title": f.message, "text": cps.slice(f.start, f.end).join("") }));
      pos = f.end; lastEnd = f.end;
    });
    view.appendChild(document.createTextNode(cps.slice(pos).join("")));

    // Counts per category (click to filter).
    var counts = this.q("counts");
    counts.textContent = "";
    Object.keys(m.categories).forEach(function (cat) {
      var n = (self.counts || {})[cat] || 0;
      if (!n) return;
      var b = h("button", { type: "button", "class": "pr-chip cat-" + cat + (self.filter === cat ? " active" : ""), "aria-pressed": self.filter === cat ? "true" : "false" },
        [m.categories[cat] + " ", h("b", { text: String(n) })]);
      b.addEventListener("click", function () { self.filter = self.filter === cat ? null : cat; self.render(); });
      counts.appendChild(b);
    });
    this.q("total").textContent = String(this.findings.length);

    // The side list.
    var list = this.q("list");
    list.textContent = "";
    var shown = 0;
    this.findings.forEach(function (f, i) {
      if (self.filter && f.category !== self.filter) return;
      shown++;
      var orig = cps.slice(f.start, f.end).join("");
      var change;
      if (f.suggestion === null) change = h("span", { "class": "pr-orig", text: "“" + orig + "”" });
      else if (f.start === f.end) change = h("span", {}, ["插入 ", h("ins", { text: "“" + f.suggestion + "”" })]);
      else change = h("span", {}, [h("del", { text: "“" + orig + "”" }), " → ",
        f.suggestion ? h("ins", { text: "“" + f.suggestion + "”" }) : h("ins", { text: "（删除）" })]);
      var accepted = !!self.accepted[self.key(f)];
      var btns = h("div", { "class": "pr-btns" });
      if (f.suggestion !== null) {
        var acc = h("button", { type: "button", "class": "btn small primary", "data-act": "accept", text: accepted ? "已接受" : "接受" });
        if (accepted) acc.disabled = true;
        btns.appendChild(acc);
      }
      btns.appendChild(h("button", { type: "button", "class": "btn small", "data-act": "ignore", text: "忽略", title: "只忽略这一处" }));
      btns.appendChild(h("button", { type: "button", "class": "btn small", "data-act": "ignore-all", text: "全文忽略", title: "本文中同样的文字不再提示此规则" }));
      var li = h("li", { "class": "pr-item sev-" + f.severity + (accepted ? " accepted" : ""), "data-i": i }, [
        h("div", { "class": "pr-head" }, [
          h("span", { "class": "pr-cat cat-" + f.category, text: m.categories[f.category] || f.category }),
          h("span", { "class": "pr-sev", text: (m.severities || {})[f.severity] || f.severity }),
          change,
        ]),
        h("div", { "class": "pr-msg", text: f.message }),
        btns,
      ]);
      li.addEventListener("click", function (e) {
        var act = e.target.getAttribute("data-act");
        if (act === "accept") self.accept(f);
        else if (act === "ignore") self.ignore(f, false);
        else if (act === "ignore-all") self.ignore(f, true);
        else self.focusMark(i);
      });
      list.appendChild(li);
    });
    if (!shown) list.appendChild(h("li", { "class": "empty", text: this.findings.length ? "该类别下没有问题。" : "未发现问题。" }));

    var fixable = this.findings.some(function (f) { return f.suggestion !== null; });
    this.q("accept-all").disabled = !fixable;
    this.q("copy").disabled = !!this.file || !this.text;
    this.q("copy").hidden = !!this.file;
    this.q("accept-all").hidden = !!this.file;
    var dl = this.q("download");
    if (dl) dl.hidden = !this.file;
    this.q("tab-view").disabled = false;
    this.q("hint").textContent = this.file
      ? "下载时应用所有未忽略的修改建议，保留原文档格式。"
      : "复制的文本已应用所有未忽略的修改建议。";
    this.updateLength();
  };

  Proofreader.prototype.focusItem = function (i, scroll) {
    var li = this.q("list").querySelector('li[data-i="' + i + '"]');
    this.root.querySelectorAll(".pr-item.focus, .pr-mark.focus").forEach(function (el) { el.classList.remove("focus"); });
    var mark = this.q("view").querySelector('mark[data-i="' + i + '"]');
    if (mark) mark.classList.add("focus");
    if (li) { li.classList.add("focus"); if (scroll) li.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
  };

  Proofreader.prototype.focusMark = function (i) {
    this.focusItem(i, false);
    var mark = this.q("view").querySelector('mark[data-i="' + i + '"]');
    if (mark) mark.scrollIntoView({ block: "center", behavior: "smooth" });
  };

  Proofreader.prototype.accept = function (f) {
    if (this.file) {  // the .docx is fixed on download; mark it
      this.accepted[this.key(f)] = true;
      this.render();
      return;
    }
    var cps = Array.from(this.textarea.value);
    if (cps.slice(0).join("") !== this.text) { this.run(); return; }  // stale findings: refresh first
    var next = cps.slice(0, f.start).join("") + f.suggestion + cps.slice(f.end).join("");
    this.shiftSpans(f.start, f.end, Array.from(f.suggestion).length - (f.end - f.start));
    this.setValue(next);
    this.run();
  };

  Proofreader.prototype.acceptAll = function () {
    if (this.file) return;
    var cps = Array.from(this.text);
    var fixed = applyFixes(cps, this.findings.filter(function (f) { return f.suggestion !== null; }));
    this.ignoredSpans = [];  // positions no longer meaningful after many edits
    this.setValue(fixed);
    this.run();
  };

  Proofreader.prototype.setValue = function (v) {
    this.textarea.value = v;
    this.lastValue = v;
    this.textarea.dispatchEvent(new Event("change", { bubbles: true }));  // an embedding editor may listen
  };

  Proofreader.prototype.ignore = function (f, whole) {
    var cps = Array.from(this.text);
    if (whole) this.ignored.push([f.rule, cps.slice(f.start, f.end).join("")]);
    else this.ignoredSpans.push([f.rule, f.start, f.end]);
    this.run();
  };

  Proofreader.prototype.fixedText = function () {
    return applyFixes(Array.from(this.text), this.findings);
  };

  Proofreader.prototype.copy = function () {
    var self = this, text = this.fixedText();
    function done() { self.setStatus("已复制修改后的文本（" + Array.from(text).length.toLocaleString("zh-CN") + " 字）"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { self.copyFallback(text); done(); });
    } else {
      this.copyFallback(text);
      done();
    }
  };

  Proofreader.prototype.copyFallback = function (text) {
    var ta = h("textarea", { "class": "pr-offscreen", "aria-hidden": "true" });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand("copy"); } catch (e) { /* the status still tells the user */ }
    document.body.removeChild(ta);
  };

  Proofreader.prototype.upload = function (file) {
    if (!/\.docx$/i.test(file.name)) { this.setError("只能上传 .docx 文件（Word 2007 及以上）。"); return; }
    if (file.size > 10 * 1024 * 1024) { this.setError("文件不能超过 10 MB。"); return; }
    this.file = file;
    this.ignored = []; this.ignoredSpans = []; this.accepted = {}; this.filter = null;
    var name = this.q("file-name");
    name.textContent = file.name;
    name.hidden = false;
    this.q("clear-file").hidden = false;
    var self = this;
    this.run().then(function () { if (!self.text) self.clearFile(); });
  };

  Proofreader.prototype.clearFile = function () {
    this.file = null;
    this.text = ""; this.findings = []; this.counts = {};
    this.ignored = []; this.ignoredSpans = []; this.accepted = {};
    this.q("file-name").hidden = true;
    this.q("clear-file").hidden = true;
    this.render();
    this.q("list").firstChild.textContent = "尚未校对。";
    this.q("tab-view").disabled = true;
    this.q("copy").disabled = true;
    this.setStatus("");
    this.show("edit");
  };

  Proofreader.prototype.download = function () {
    if (!this.file) return;
    var self = this, fd = new FormData();
    fd.append("file", this.file);
    fd.append("doc_type", this.docType());
    fd.append("ignored", JSON.stringify(this.ignored));
    fd.append("ignored_spans", JSON.stringify(this.ignoredSpans));
    this.setStatus("正在生成修改后的文档……");
    this.request(this.root.getAttribute("data-docx-fixed"), fd, true).then(function (r) {
      return r.blob().then(function (blob) {
        var a = h("a", { href: URL.createObjectURL(blob), download: self.file.name.replace(/\.docx$/i, "") + "（校对后）.docx" });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        self.setStatus("已下载修改后的文档");
      });
    }).catch(function (err) { self.setError(err.message); self.setStatus(""); });
  };

  function init() {
    document.querySelectorAll("section.proofreader:not([data-pr-ready])").forEach(function (root) {
      root.setAttribute("data-pr-ready", "");
      root.proofreader = new Proofreader(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:load", init);
  window.ZhongshuProofreader = { init: init, applyFixes: applyFixes };
})();
