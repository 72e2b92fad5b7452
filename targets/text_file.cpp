#include "targets/text_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "targets/list_error.h"

namespace mxsentry {

std::string read_list_file(const std::string& path, std::string_view what) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw ListError(path + ": cannot open the " + std::string(what) + " (it is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ListError(path + ": cannot open the " + std::string(what));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ListError(path + ": read error");
  return std::move(text).str();
}

}  // namespace mxsentry
