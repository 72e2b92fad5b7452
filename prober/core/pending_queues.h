#pragma once
// The query engine's intake: one FIFO of waiting tasks per resolver, all of them singly linked
// through one vector of nodes whose freed nodes are reused, so a task queued costs no
// allocation once the engine is warm. Inline: every task goes through push and pop.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "prober/core/task.h"

namespace mxsentry {

/// A task waiting to be sent, with the identity of its (resolver, qname, qtype).
struct PendingTask {
  Task task;
  std::uint64_t dedupe_key = 0;
};

class PendingQueues {
 public:
  static constexpr std::uint32_t none = UINT32_MAX;

  /// One resolver's queue (kept in its state): where it starts and ends among the nodes.
  struct Queue {
    std::uint32_t head = none, tail = none;
    std::uint32_t size = 0;
  };

  /// Adds at the back of `q`, or at the front (a task that waited for its twin goes first).
  void push(Queue& q, PendingTask&& item, bool front) {
    std::uint32_t node;
    if (!free_.empty()) {
      node = free_.back();
      free_.pop_back();
      nodes_[node].item = std::move(item);
    } else {
      node = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(Node{std::move(item), none});
    }
    nodes_[node].next = none;
    if (q.head == none) {
      q.head = q.tail = node;
    } else if (front) {
      nodes_[node].next = q.head;
      q.head = node;
    } else {
      nodes_[q.tail].next = node;
      q.tail = node;
    }
    ++q.size;
    ++size_;
  }
  /// Takes the front of a queue that is not empty.
  PendingTask pop(Queue& q) {
    std::uint32_t node = q.head;
    q.head = nodes_[node].next;
    if (q.head == none) q.tail = none;
    --q.size;
    --size_;
    free_.push_back(node);
    return std::move(nodes_[node].item);
  }
  /// The front of a queue that is not empty.
  const PendingTask& front(const Queue& q) const { return nodes_[q.head].item; }
  /// Tasks queued over every queue.
  std::size_t size() const { return size_; }

 private:
  struct Node {
    PendingTask item;
    std::uint32_t next = none;
  };
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> free_;
  std::size_t size_ = 0;
};

}  // namespace mxsentry
