#include "targets/ioc_list.h"

#include "targets/text_file.h"

namespace mxsentry {

PrefixList load_ioc_list(const std::string& path) {
  return parse_prefix_list(read_list_file(path, "IOC list"), path);
}

}  // namespace mxsentry
