#pragma once
// The frame of a report page: its head (styles, a policy that forbids loading anything from
// elsewhere) and its end (the script that sorts and filters tables). The page needs nothing
// but itself: no fonts, scripts or images from the network.

#include <string>

namespace mxsentry {

/// From <!DOCTYPE html> to the opening <body>; `title` is escaped.
std::string report_page_head(const std::string& title);
/// The script and the closing tags. When the script has run without an error it sets
/// data-script="ok" on <body> (tests read it from the DOM).
std::string report_page_end();

}  // namespace mxsentry
