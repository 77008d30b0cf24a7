/* 中枢 page script: incoming_stats (data from json_script, CSP without inline scripts).
   Labels fit: grids contain their axis labels, long names are cut with an ellipsis (full name in the tooltip). */
(function () {
  var data = JSON.parse(document.getElementById("incoming-charts").textContent);
  function chart(id, option) { var el = document.getElementById(id); if (!el || !window.echarts) return; var c = echarts.init(el, null, { renderer: "svg" }); c.setOption(option); window.addEventListener("resize", function () { c.resize(); }); }
  function pie(id, rows) { chart(id, { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["30%", "55%"], avoidLabelOverlap: true, data: rows, label: { formatter: "{b}：{c}", alignTo: "edge", edgeDistance: 8, width: 90, overflow: "truncate", ellipsis: "…" }, labelLine: { length: 8, length2: 0 } }] }); }
  function bars(id, names, values) { chart(id, { tooltip: { trigger: "axis" }, grid: { left: 8, right: 24, top: 10, bottom: 8, containLabel: true }, xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 120, overflow: "truncate", ellipsis: "…" } }, series: [{ type: "bar", data: values }] }); }
  pie("chart-source", data.source);
  pie("chart-status", data.status);
  bars("chart-type", data.type.names, data.type.values);
  bars("chart-department", data.department.names, data.department.values);
  chart("chart-month", { tooltip: { trigger: "axis" }, grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true }, xAxis: { type: "category", data: ["1月","2月","3月","4月","5月","6月","7月","8月","9月","10月","11月","12月"], axisLabel: { interval: 0, hideOverlap: false, rotate: window.innerWidth < 640 ? 45 : 0 } }, yAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: data.month }] });
})();
