#include "results/report/report_page.h"

#include "results/report/html_text.h"

namespace mxsentry {

namespace {

const char* const styles = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}td{font-family:ui-monospace,monospace;font-size:12px;overflow-wrap:break-word}
table.summary td,table.summary th{font-family:inherit;font-size:inherit;cursor:auto}
.table{overflow-x:auto}input.filter{margin:.5em 0;padding:2px 4px;width:20em}.shown{color:#666;font-size:12px}
.note{color:#666}svg.chart{display:block;margin:.5em 0}svg text{font:12px system-ui,sans-serif;fill:#222}
.axis{stroke:#888}.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:10px;height:10px;margin-right:3px}
.v-poisoned{fill:#c0392b;background:#c0392b}.v-suspicious{fill:#e67e22;background:#e67e22}
.v-variation{fill:#f1c40f;background:#f1c40f}.v-consistent{fill:#27ae60;background:#27ae60}
.v-failed{fill:#8e44ad;background:#8e44ad}.v-unreachable{fill:#7f8c8d;background:#7f8c8d}
.v-unknown{fill:#bdc3c7;background:#bdc3c7}.v-not-asked{fill:#95a5a6;background:#95a5a6}
.in-truth{fill:#27ae60;background:#27ae60}.forged{fill:#c0392b;background:#c0392b}.flagged{fill:#c0392b;background:#c0392b}
.other{fill:#34495e;background:#34495e}td[class]{background:none}td.v-poisoned,td.forged{color:#c0392b;font-weight:bold}
td.v-suspicious{color:#d35400;font-weight:bold}td.in-truth,td.v-consistent{color:#1e8449}
)";

// Sorting (click a heading; numeric columns by data-value when a cell has one) and filtering
// (rows whose text holds the box's text, case-insensitive). No string from the data is in it.
const char* const script = R"(
(function () {
  "use strict";
  function key(row, i, numeric) {
    var cell = row.cells[i];
    if (!cell) return numeric ? 0 : "";
    var text = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    if (!numeric) return text.toLowerCase();
    var n = parseFloat(text);
    return isNaN(n) ? 0 : n;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headings = table.querySelectorAll("th");
    headings.forEach(function (th, i) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.getAttribute("data-type") === "num";
        headings.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, i, numeric), y = key(b, i, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll("input.filter").forEach(function (input) {
    var id = input.getAttribute("data-for");
    var table = document.getElementById(id);
    var shown = document.querySelector("span.shown[data-for='" + id + "']");
    if (!table) return;
    input.addEventListener("input", function () {
      var wanted = input.value.toLowerCase(), n = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var keep = row.textContent.toLowerCase().indexOf(wanted) >= 0;
        row.hidden = !keep;
        if (keep) n++;
      });
      if (shown) shown.textContent = n + " rows";
    });
  });
  document.body.setAttribute("data-script", "ok");
})();
)";

}  // namespace

std::string report_page_head(const std::string& title) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_escaped(out, title);
  out += "</title>\n<style>";
  out += styles;
  out += "</style>\n</head><body>\n";
  return out;
}

std::string report_page_end() {
  std::string out = "<script>";
  out += script;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace mxsentry
