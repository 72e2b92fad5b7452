// mxsentry-prober: the long-running vantage-point agent. Not implemented yet.
#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << "mxsentry-prober: takes work from a coordinator over ZeroMQ and probes resolvers.\n"
                   "Not implemented yet: use `mxsentry probe` for measurements on this machine.\n";
      return 0;
    }
  }
  std::cerr << "mxsentry-prober: not yet implemented (see README)\n";
  return 2;
}
