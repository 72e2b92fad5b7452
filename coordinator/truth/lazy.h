#pragma once
// A lazily started coroutine that produces a T. The truth iterator is written as the
// recursive algorithm it is (follow a referral, resolve a name server's address, ask every
// server) while staying sans-I/O: what it awaits are queries that the engine carries out.
// Coroutines take their parameters by value: they run after the caller's frame is gone.

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace mxsentry {

template <typename T>
class [[nodiscard]] Lazy {
 public:
  struct promise_type {
    std::optional<T> value;
    std::exception_ptr error;
    std::coroutine_handle<> continuation;

    Lazy get_return_object() { return Lazy(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      // Symmetric transfer: resuming the awaiting coroutine does not grow the stack.
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        if (auto next = h.promise().continuation) return next;
        return std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { error = std::current_exception(); }
  };

  Lazy(Lazy&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Lazy& operator=(Lazy&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Lazy(const Lazy&) = delete;
  Lazy& operator=(const Lazy&) = delete;
  ~Lazy() {
    if (handle_) handle_.destroy();
  }

  // Awaiting a Lazy starts it and resumes the awaiter when it finishes.
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    return std::move(*handle_.promise().value);
  }

  /// Runs a top-level coroutine until its first suspension.
  void start() { handle_.resume(); }
  bool done() const { return handle_ && handle_.done(); }
  /// The result of a finished coroutine (rethrows what it threw).
  T take() { return await_resume(); }

 private:
  explicit Lazy(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace mxsentry
