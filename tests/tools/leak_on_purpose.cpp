// mxsentry-test-leak-on-purpose: a program that loses memory when asked to, so that a test
// can show that a sanitizer's leak report in a child process it starts fails it.
//   --leak   lose 10 blocks before exiting 0
//   --wait   print "ready" and wait for SIGTERM first (a service stopped by the test)
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <unistd.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_term(int) { g_stop = 1; }

// Not inlined, and the pointer kept only in a volatile local: nothing refers to the block
// once the function returns, so LeakSanitizer reports it as a direct leak.
__attribute__((noinline)) void lose_a_block() {
  char* volatile block = new char[100];
  std::memset(block, 0x5a, 100);
}

}  // namespace

int main(int argc, char** argv) {
  bool leak = false, wait = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--leak") leak = true;
    else if (arg == "--wait") wait = true;
    else {
      std::fprintf(stderr, "usage: %s [--leak] [--wait]\n", argv[0]);
      return 2;
    }
  }
  if (wait) {
    std::signal(SIGTERM, on_term);
    std::printf("ready\n");
    std::fflush(stdout);
    while (g_stop == 0) pause();
  }
  if (leak)
    for (int i = 0; i < 10; ++i) lose_a_block();
  return 0;
}
