/* 中枢 page script: supervision_dashboard (data from json_script, CSP without inline scripts) */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("sup-charts").textContent);
  echarts.init(document.getElementById("chart-sources")).setOption({
    tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.sources}]
  });
  echarts.init(document.getElementById("chart-trend")).setOption({
    tooltip: {trigger: "axis"}, legend: {data: ["新交办", "已销号"]}, xAxis: {type: "category", data: d.trend.months},
    yAxis: {type: "value"}, series: [{name: "新交办", type: "bar", data: d.trend.new}, {name: "已销号", type: "line", data: d.trend.closed}]
  });
  echarts.init(document.getElementById("chart-departments")).setOption({
    tooltip: {trigger: "axis"}, grid: {left: 160}, xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", inverse: true, data: d.departments.names}, series: [{name: "办结率", type: "bar", data: d.departments.rates}]
  });
});
