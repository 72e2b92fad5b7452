#pragma once
// Reading a whole list file at once: lists are parsed from memory so that every parser has one
// code path for files and for text given by tests.

#include <string>
#include <string_view>

namespace mxsentry {

/// The file's bytes; throws ListError "PATH: cannot open the WHAT" or "PATH: read error".
std::string read_list_file(const std::string& path, std::string_view what);

}  // namespace mxsentry
