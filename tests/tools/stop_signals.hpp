// SIGTERM and SIGINT for the test servers: blocked, with `handler` installed, so that they are
// taken only where the caller waits with the mask this returns (ppoll's sigmask) and a stop
// cannot fall between checking the flag and going to sleep.
#pragma once

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <string>
#include <system_error>

namespace mxsentry::test_tools {

inline sigset_t block_stop_signals(void (*handler)(int)) {
  sigset_t stop_signals, unblocked;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &stop_signals, &unblocked) != 0)
    throw std::system_error(errno, std::generic_category(), "sigprocmask");
  sigdelset(&unblocked, SIGTERM);
  sigdelset(&unblocked, SIGINT);
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  return unblocked;
}

}  // namespace mxsentry::test_tools
