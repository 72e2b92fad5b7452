#pragma once
// Text from a store (resolver names, host names, evidence, rdata) placed into HTML or SVG: every
// such string goes through escape_html, since a resolver's answer can hold anything.

#include <string>
#include <string_view>

namespace mxsentry {

/// `text` with &, <, >, " and ' replaced by character references, safe in element content and
/// in quoted attribute values of HTML and SVG; control characters other than tab and newline
/// become U+FFFD (XML forbids them).
std::string escape_html(std::string_view text);
/// Appends escape_html(text) to `out`.
void append_escaped(std::string& out, std::string_view text);

}  // namespace mxsentry
