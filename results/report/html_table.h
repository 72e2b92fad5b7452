#pragma once
// A sortable, filterable HTML table: the page's script sorts by a column when its heading is
// clicked and hides rows that do not contain the filter box's text.

#include <string>
#include <utility>
#include <vector>

namespace mxsentry {

struct HtmlCell {
  HtmlCell(std::string text_, std::string sort_value_ = "", std::string css_class_ = "")
      : text(std::move(text_)), sort_value(std::move(sort_value_)), css_class(std::move(css_class_)) {}
  std::string text;        ///< shown (escaped)
  std::string sort_value;  ///< what a numeric column sorts by when the text is not a plain number ("" = text)
  std::string css_class;   ///< one of the page's classes (chart_class), "" for none
};

struct HtmlColumn {
  HtmlColumn(std::string heading_, bool numeric_ = false) : heading(std::move(heading_)), numeric(numeric_) {}
  std::string heading;
  bool numeric = false;
};

struct HtmlTable {
  std::string id;  ///< the element id: letters, digits and '-' only (set by the program, never from data)
  std::vector<HtmlColumn> columns;
  std::vector<std::vector<HtmlCell>> rows;
};

/// The filter box and the table; rows with fewer cells than columns are padded.
std::string html_table(const HtmlTable& table);

}  // namespace mxsentry
