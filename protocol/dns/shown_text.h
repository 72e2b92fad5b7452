#pragma once
// Text a user gave, as an error message shows it: the message must not carry terminal codes,
// binary or a whole 1 MB line back to the screen or the log.

#include <cstddef>
#include <string>
#include <string_view>

namespace mxsentry {

/// `text` in single quotes, control (but tab) and non-ASCII bytes written \DDD (as in a DNS name's
/// presentation form), cut after `max_chars` characters with the full size added.
std::string shown_text(std::string_view text, std::size_t max_chars = 300);

/// A string a peer sent, fit for a log line or a status reply: every byte outside printable
/// ASCII (newlines, escape codes, UTF-8) becomes '?', and at most `max_chars` are kept.
std::string printable_ascii(std::string_view text, std::size_t max_chars = 200);

}  // namespace mxsentry
