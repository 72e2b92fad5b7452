#include "results/report/svg_chart.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "results/report/html_text.h"
#include "results/time_text.h"

namespace mxsentry {

namespace {

constexpr int label_width = 260;
constexpr int bar_width = 420;
constexpr int row_height = 22;
constexpr int value_width = 80;

// Labels longer than this are cut (the full text stays in the row's <title>).
std::string short_label(const std::string& label) {
  constexpr std::size_t keep = 38;
  if (label.size() <= keep) return label;
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return label.substr(0, cut) + "\xE2\x80\xA6";
}

void open_svg(std::string& out, int width, int height, const std::string& title) {
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + ' ' +
         std::to_string(height) + "\"><title>";
  append_escaped(out, title);
  out += "</title>";
}

void text_at(std::string& out, int x, int y, const std::string& text, const char* anchor) {
  out += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" text-anchor=\"" + anchor + "\">";
  append_escaped(out, text);
  out += "</text>";
}

}  // namespace

std::string chart_class(const std::string& css_class) {
  static const std::set<std::string> known{"v-consistent", "v-variation", "v-suspicious", "v-poisoned",
                                           "v-failed",     "v-unreachable", "v-unknown",  "v-not-asked",
                                           "in-truth",     "forged",       "flagged"};
  return known.count(css_class) ? css_class : "other";
}

std::string bar_chart_svg(const BarChart& chart) {
  if (chart.rows.empty()) return "";
  std::uint64_t largest = 1;
  for (const auto& row : chart.rows) {
    std::uint64_t total = 0;
    for (const auto& s : row.segments) total += s.value;
    largest = std::max(largest, total);
  }
  int height = static_cast<int>(chart.rows.size()) * row_height + 4;
  std::string out;
  open_svg(out, label_width + bar_width + value_width, height, chart.title);
  int y = 2;
  for (const auto& row : chart.rows) {
    out += "<g><title>";
    append_escaped(out, row.label);
    out += "</title>";
    text_at(out, label_width - 6, y + 15, short_label(row.label), "end");
    double x = label_width;
    std::uint64_t total = 0;
    for (const auto& s : row.segments) {
      if (s.value == 0) continue;
      double w = static_cast<double>(s.value) * bar_width / static_cast<double>(largest);
      char geometry[96];
      std::snprintf(geometry, sizeof geometry, "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"", x, y + 3, w,
                    row_height - 6);
      out += "<rect class=\"" + chart_class(s.css_class) + "\" " + geometry + "/>";
      x += w;
      total += s.value;
    }
    text_at(out, static_cast<int>(x) + 4, y + 15, std::to_string(total), "start");
    out += "</g>";
    y += row_height;
  }
  out += "</svg>";
  return out;
}

std::string timeline_svg(const Timeline& timeline) {
  if (timeline.rows.empty()) return "";
  std::int64_t start = timeline.rows.front().first_ms, end = timeline.rows.front().last_ms;
  for (const auto& row : timeline.rows) {
    start = std::min(start, std::min(row.first_ms, row.last_ms));
    end = std::max(end, std::max(row.first_ms, row.last_ms));
  }
  double span = static_cast<double>(std::max<std::int64_t>(end - start, 1));
  int axis = 20;
  int height = static_cast<int>(timeline.rows.size()) * row_height + axis + 8;
  std::string out;
  open_svg(out, label_width + bar_width + value_width, height, timeline.title);
  auto x_of = [&](std::int64_t ms) { return label_width + static_cast<double>(ms - start) * bar_width / span; };
  int y = 2;
  for (const auto& row : timeline.rows) {
    out += "<g><title>";
    append_escaped(out, row.label + ": " + format_utc(row.first_ms) + " to " + format_utc(row.last_ms));
    out += "</title>";
    text_at(out, label_width - 6, y + 15, short_label(row.label), "end");
    double x1 = x_of(std::min(row.first_ms, row.last_ms)), x2 = x_of(std::max(row.first_ms, row.last_ms));
    char shape[160];
    if (x2 - x1 < 4)
      std::snprintf(shape, sizeof shape, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"4\"/>",
                    chart_class(row.css_class).c_str(), (x1 + x2) / 2, y + row_height / 2);
    else
      std::snprintf(shape, sizeof shape, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\"/>",
                    chart_class(row.css_class).c_str(), x1, y + 5, x2 - x1, row_height - 10);
    out += shape;
    out += "</g>";
    y += row_height;
  }
  out += "<line class=\"axis\" x1=\"" + std::to_string(label_width) + "\" y1=\"" + std::to_string(y + 2) +
         "\" x2=\"" + std::to_string(label_width + bar_width) + "\" y2=\"" + std::to_string(y + 2) + "\"/>";
  text_at(out, label_width, y + axis, format_utc(start), "start");
  text_at(out, label_width + bar_width, y + axis, format_utc(end), "end");
  out += "</svg>";
  return out;
}

}  // namespace mxsentry
