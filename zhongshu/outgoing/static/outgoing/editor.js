/* 发文正文编辑：识别标题层次（一、（一）1.（1）），在旁边显示提纲，提示跳级和序号不连续。无外部依赖。 */
(function () {
  "use strict";
  var LEVELS = [
    { re: /^([一二三四五六七八九十百]+)、/, name: "一级标题（黑体）", cls: "h1" },
    { re: /^（([一二三四五六七八九十百]+)）/, name: "二级标题（楷体）", cls: "h2" },
    { re: /^(\d+)\.(?!\d)/, name: "三级标题（仿宋加粗）", cls: "h3" },
    { re: /^（(\d+)）/, name: "四级标题（仿宋）", cls: "h4" }
  ];
  var CN = "零一二三四五六七八九";
  function cnValue(s) {
    if (/^\d+$/.test(s)) return parseInt(s, 10);
    var v = 0, cur = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c === "十") { v += (cur || 1) * 10; cur = 0; }
      else if (c === "百") { v += (cur || 1) * 100; cur = 0; }
      else cur = CN.indexOf(c);
    }
    return v + cur;
  }
  function outline(text) {
    var items = [], counters = [0, 0, 0, 0], last = -1;
    text.split("\n").forEach(function (line, n) {
      var t = line.replace(/^[\s\u3000]+/, "");
      for (var lv = 0; lv < LEVELS.length; lv++) {
        var m = LEVELS[lv].re.exec(t);
        if (!m) continue;
        var value = cnValue(m[1]), warn = "";
        if (lv > last + 1) warn = "跳级：上一级标题缺失";
        else if (value !== counters[lv] + 1) warn = "序号不连续，应为 " + (counters[lv] + 1);
        counters[lv] = value;
        for (var k = lv + 1; k < counters.length; k++) counters[k] = 0;
        last = lv;
        items.push({ level: lv, text: t.slice(0, 30), line: n + 1, warn: warn, name: LEVELS[lv].name, cls: LEVELS[lv].cls });
        break;
      }
    });
    return items;
  }
  function render(box, items) {
    box.innerHTML = "";
    if (!items.length) { box.innerHTML = '<p class="muted">正文中还没有标题。标题层次依次为：一、（一）1.（1）</p>'; return; }
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li");
      li.className = "ol-" + it.cls;
      li.style.paddingLeft = (it.level * 1.2) + "em";
      li.title = it.name + "，第 " + it.line + " 行";
      li.textContent = it.text;
      if (it.warn) {
        var w = document.createElement("span");
        w.className = "tag internal";
        w.textContent = it.warn;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(w);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var ta = document.getElementById("id_body"), box = document.getElementById("outline");
    if (!ta || !box) return;
    var update = function () { render(box, outline(ta.value)); };
    ta.addEventListener("input", update);
    update();
  });
})();
