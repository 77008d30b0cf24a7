/* 中枢 page script: incoming_stats (data from json_script, CSP without inline scripts) */
(function () {
  var data = JSON.parse(document.getElementById("incoming-charts").textContent);
  function chart(id, option) { var el = document.getElementById(id); if (!el || !window.echarts) return; var c = echarts.init(el); c.setOption(option); window.addEventListener("resize", function () { c.resize(); }); }
  function pie(id, rows) { chart(id, { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "65%"], data: rows, label: { formatter: "{b}：{c}" } }] }); }
  function bars(id, names, values) { chart(id, { tooltip: {}, grid: { left: 90, right: 20, top: 10, bottom: 20 }, xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: names, inverse: true }, series: [{ type: "bar", data: values }] }); }
  pie("chart-source", data.source);
  pie("chart-status", data.status);
  bars("chart-type", data.type.names, data.type.values);
  bars("chart-department", data.department.names, data.department.values);
  chart("chart-month", { tooltip: {}, xAxis: { type: "category", data: ["1月","2月","3月","4月","5月","6月","7月","8月","9月","10月","11月","12月"] }, yAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: data.month }] });
})();
