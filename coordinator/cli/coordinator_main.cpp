// mxsentry-coordinator: the long-running sweep service. Not implemented yet.
#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << "mxsentry-coordinator: plans sweeps and hands work to probers over ZeroMQ.\n"
                   "Not implemented yet: use `mxsentry probe` for measurements on this machine.\n";
      return 0;
    }
  }
  std::cerr << "mxsentry-coordinator: not yet implemented (see README)\n";
  return 2;
}
