#pragma once
// A FIFO of records in a ring indexed by sequence number (capacity a power of two, doubled
// when full): a record stays where it is until it leaves, in order, so a 32-bit sequence number
// finds it in O(1). The query engine keeps its lingering queries here. Inline: it is on the
// path of every answer.

#include <cstdint>
#include <utility>
#include <vector>

namespace mxsentry {

template <typename Record>
class SequenceRing {
 public:
  std::uint32_t size() const { return tail_ - head_; }
  bool empty() const { return head_ == tail_; }
  /// Sequence number of the oldest record.
  std::uint32_t head() const { return head_; }
  /// Whether `seq` names a record in the ring now.
  bool holds(std::uint32_t seq) const { return seq - head_ < size(); }
  /// The record of sequence number `seq` (one held, or the slot it would be in).
  Record& at(std::uint32_t seq) { return records_[seq & (records_.size() - 1)]; }
  const Record& at(std::uint32_t seq) const { return records_[seq & (records_.size() - 1)]; }
  /// A slot at the back, for the record of the returned sequence number.
  std::uint32_t push() {
    if (size() + 1 > records_.size()) grow();
    return tail_++;
  }
  /// The oldest record leaves.
  void pop() { ++head_; }

 private:
  void grow() {
    std::size_t capacity = records_.empty() ? 1024 : 2 * records_.size();
    std::vector<Record> grown(capacity);
    for (std::uint32_t seq = head_; seq != tail_; ++seq) grown[seq & (capacity - 1)] = std::move(at(seq));
    records_ = std::move(grown);
  }

  std::vector<Record> records_;
  std::uint32_t head_ = 0;  ///< sequence number of the oldest
  std::uint32_t tail_ = 0;  ///< sequence number of the next
};

}  // namespace mxsentry
