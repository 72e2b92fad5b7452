#pragma once
// Name lists: one name a line, optionally followed by a record type, `#` comments. Read as a
// stream so that a list of millions of names never sits in memory.

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "targets/list_error.h"

namespace mxsentry {

struct NameEntry {
  std::string name;
  std::optional<std::uint16_t> qtype;  ///< the type on the line, if any
  std::size_t line = 0;
};

/// Parses one line; nullopt for a blank or comment line. Throws ListError.
std::optional<NameEntry> parse_name_line(std::string_view line, const std::string& source, std::size_t line_no);

/// Parses a comma separated list of types ("A,AAAA,MX"); throws ListError naming the bad one.
std::vector<std::uint16_t> parse_type_list(std::string_view text);

/// Where names come from.
class NameSource {
 public:
  virtual ~NameSource() = default;
  /// The next entry, nullopt at the end; throws ListError on a bad line.
  virtual std::optional<NameEntry> next() = 0;
};

/// Names from a file (or "-" for standard input), one line at a time. A UTF-8 byte order mark
/// before the first line is skipped.
class NameFileReader final : public NameSource {
 public:
  explicit NameFileReader(const std::string& path);
  /// Names from `text` already read; errors name `source`.
  NameFileReader(std::string text, const std::string& source);
  std::optional<NameEntry> next() override;

 private:
  std::string path_;
  std::unique_ptr<std::istream> owned_;
  std::istream* in_;
  std::string line_;
  std::size_t line_no_ = 0;
};

/// Names from memory (tests, and names computed by other commands).
class NameVectorSource final : public NameSource {
 public:
  explicit NameVectorSource(std::vector<NameEntry> entries) : entries_(std::move(entries)) {}
  std::optional<NameEntry> next() override {
    if (pos_ >= entries_.size()) return std::nullopt;
    return entries_[pos_++];
  }

 private:
  std::vector<NameEntry> entries_;
  std::size_t pos_ = 0;
};

/// Reads a whole name file once to find its first bad line before any work starts; returns the
/// number of names. Throws ListError.
std::size_t validate_name_file(const std::string& path);

/// True when `path` can be read twice: a regular file (not "-", a pipe, a terminal or a socket).
bool rereadable_file(const std::string& path);

/// A name list whose every line has been checked, for a run that must find a bad line before
/// its first query: a regular file is read once to check it, then streamed; what can be read
/// only once ("-", a pipe, /dev/stdin) is read into memory and checked there. Throws ListError.
std::unique_ptr<NameFileReader> open_checked_name_list(const std::string& path);

}  // namespace mxsentry
