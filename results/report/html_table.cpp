#include "results/report/html_table.h"

#include "results/report/html_text.h"
#include "results/report/svg_chart.h"

namespace mxsentry {

std::string html_table(const HtmlTable& table) {
  std::string out = "<div class=\"table\"><input type=\"search\" class=\"filter\" placeholder=\"filter rows\" "
                    "aria-label=\"filter rows\" data-for=\"";
  append_escaped(out, table.id);
  out += "\"> <span class=\"shown\" data-for=\"";
  append_escaped(out, table.id);
  out += "\">" + std::to_string(table.rows.size()) + " rows</span>\n<table class=\"sortable\" id=\"";
  append_escaped(out, table.id);
  out += "\"><thead><tr>";
  for (const auto& column : table.columns) {
    out += column.numeric ? "<th data-type=\"num\">" : "<th>";
    append_escaped(out, column.heading);
    out += "</th>";
  }
  out += "</tr></thead><tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const HtmlCell* cell = i < row.size() ? &row[i] : nullptr;
      out += "<td";
      if (cell && !cell->css_class.empty()) out += " class=\"" + chart_class(cell->css_class) + "\"";
      if (cell && !cell->sort_value.empty()) {
        out += " data-value=\"";
        append_escaped(out, cell->sort_value);
        out += "\"";
      }
      out += ">";
      if (cell) append_escaped(out, cell->text);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  return out;
}

}  // namespace mxsentry
