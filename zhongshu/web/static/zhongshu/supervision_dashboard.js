/* 中枢 page script: supervision_dashboard (data from json_script, CSP without inline scripts).
   Labels fit: grids contain their axis labels, long names are cut with an ellipsis (full name in the tooltip),
   many months are rotated. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("sup-charts").textContent);
  var charts = [];
  function chart(id, option) { var c = echarts.init(document.getElementById(id), null, {renderer: "svg"}); c.setOption(option); charts.push(c); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  chart("chart-sources", {
    tooltip: {trigger: "item"},
    series: [{type: "pie", radius: ["30%", "55%"], avoidLabelOverlap: true, data: d.sources,
              label: {formatter: "{b}：{c}", alignTo: "edge", edgeDistance: 8, width: 90, overflow: "truncate", ellipsis: "…"},
              labelLine: {length: 8, length2: 0}}]
  });
  chart("chart-trend", {
    tooltip: {trigger: "axis"}, legend: {data: ["新交办", "已销号"]},
    grid: {left: 8, right: 16, top: 40, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: d.trend.months, axisLabel: {interval: 0, rotate: d.trend.months.length > 6 ? 45 : 0}},
    yAxis: {type: "value", minInterval: 1},
    series: [{name: "新交办", type: "bar", data: d.trend.new}, {name: "已销号", type: "line", data: d.trend.closed}]
  });
  chart("chart-departments", {
    tooltip: {trigger: "axis"}, grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", inverse: true, data: d.departments.names,
            axisLabel: {width: 150, overflow: "truncate", ellipsis: "…"}},
    series: [{name: "办结率", type: "bar", data: d.departments.rates}]
  });
});
