#pragma once
// Charts as inline SVG, drawn from plain numbers: horizontal (stacked) bar charts and a
// timeline of intervals. Labels are escaped; colours come from CSS classes the page defines,
// so no string from the data ever becomes a class or a style.

#include <cstdint>
#include <string>
#include <vector>

namespace mxsentry {

/// One part of a bar: a count and the fixed CSS class that colours it ("v-poisoned", ...).
struct BarSegment {
  std::uint64_t value = 0;
  std::string css_class;
};

struct BarRow {
  std::string label;
  std::vector<BarSegment> segments;  ///< stacked left to right
};

struct BarChart {
  std::string title;  ///< the SVG's <title>, read by screen readers
  std::vector<BarRow> rows;
};

/// A horizontal bar chart, one row per bar, the total written after each bar; "" when it has
/// no rows.
std::string bar_chart_svg(const BarChart& chart);

struct TimelineRow {
  std::string label;
  std::int64_t first_ms = 0, last_ms = 0;
  std::string css_class;
};

struct Timeline {
  std::string title;
  std::vector<TimelineRow> rows;
};

/// One line per row from first to last seen (a dot when they are equal) on a shared UTC time
/// axis with its start and end written; "" when it has no rows.
std::string timeline_svg(const Timeline& timeline);

/// Keeps `css_class` when it is one of the classes the page defines, else "other".
std::string chart_class(const std::string& css_class);

}  // namespace mxsentry
