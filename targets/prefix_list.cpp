#include "targets/prefix_list.h"

#include "targets/line_cursor.h"
#include "targets/text_file.h"

namespace mxsentry {

void PrefixList::add(const Prefix& prefix) {
  prefixes_.push_back(prefix);
  index_.insert(prefix, static_cast<std::uint32_t>(prefixes_.size() - 1));
}

const Prefix* PrefixList::match(const Endpoint& address) const {
  auto position = index_.longest_match(address);
  return position ? &prefixes_[*position] : nullptr;
}

PrefixList parse_prefix_list(std::string_view text, const std::string& source) {
  PrefixList list;
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    line = strip_comment(line);
    if (line.empty()) continue;
    std::string error;
    auto prefix = parse_prefix(line, &error);
    if (!prefix) throw ListError(source, lines.line_no(), error);
    list.add(*prefix);
  }
  return list;
}

PrefixList load_prefix_list(const std::string& path) {
  return parse_prefix_list(read_list_file(path, "prefix list"), path);
}

}  // namespace mxsentry
