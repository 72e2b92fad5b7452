// The SVG charts: bars in proportion to the largest, labels escaped, classes only those the
// page defines, a timeline's points and intervals.
#include <catch2/catch.hpp>

#include "results/report/svg_chart.h"

using namespace mxsentry;

TEST_CASE("svg chart: bars in proportion, the total after each, labels escaped", "[results][report]") {
  BarChart chart{"t<1>", {{"a&b", {{10, "v-poisoned"}, {30, "v-consistent"}}}, {"c", {{20, "v-consistent"}}}}};
  std::string svg = bar_chart_svg(chart);
  CHECK(svg.find("<title>t&lt;1&gt;</title>") != std::string::npos);
  CHECK(svg.find(">a&amp;b</text>") != std::string::npos);
  // The largest bar (40) is 420 wide: 10 -> 105, 30 -> 315, 20 -> 210.
  CHECK(svg.find("class=\"v-poisoned\" x=\"260.0\" y=\"5\" width=\"105.0\"") != std::string::npos);
  CHECK(svg.find("class=\"v-consistent\" x=\"365.0\" y=\"5\" width=\"315.0\"") != std::string::npos);
  CHECK(svg.find("width=\"210.0\"") != std::string::npos);
  CHECK(svg.find(">40</text>") != std::string::npos);
  CHECK(svg.find(">20</text>") != std::string::npos);
  CHECK(bar_chart_svg(BarChart{"none", {}}).empty());
}

TEST_CASE("svg chart: a class the page does not define becomes other", "[results][report]") {
  CHECK(chart_class("v-suspicious") == "v-suspicious");
  CHECK(chart_class("x\" onclick=\"y") == "other");
  std::string svg = bar_chart_svg(BarChart{"t", {{"a", {{1, "\"><script>"}}}}});
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("class=\"other\"") != std::string::npos);
}

TEST_CASE("svg chart: a timeline of intervals on one axis, a point as a dot", "[results][report]") {
  Timeline t{"forged", {{"r1", 1'000'000, 3'000'000, "forged"}, {"r2", 2'000'000, 2'000'000, "forged"}}};
  std::string svg = timeline_svg(t);
  // r1 spans the whole axis (420 wide from 260); r2 is a dot in the middle.
  CHECK(svg.find("<rect class=\"forged\" x=\"260.0\" y=\"7\" width=\"420.0\"") != std::string::npos);
  CHECK(svg.find("<circle class=\"forged\" cx=\"470.0\"") != std::string::npos);
  CHECK(svg.find("1970-01-01T00:16:40Z") != std::string::npos);  // the axis's start
  CHECK(svg.find("1970-01-01T00:50:00Z") != std::string::npos);  // and end
  CHECK(timeline_svg(Timeline{"none", {}}).empty());
}
