#include "coordinator/sweep/task_space.h"

#include <algorithm>

namespace mxsentry {

TaskSpace::TaskSpace(std::vector<std::string> resolver_list, std::vector<Question> question_list)
    : resolvers(std::move(resolver_list)), questions(std::move(question_list)) {
  endpoints.reserve(resolvers.size());
  for (const auto& r : resolvers) endpoints.push_back(Endpoint::parse(r));
}

std::uint32_t TaskRange::most_per_resolver() const {
  if (empty()) return 0;
  // Consecutive tasks cycle through the block's resolvers: any run of n tasks gives each
  // resolver n / resolver_count of them, rounded down or up.
  return task_count / resolver_count + (task_count % resolver_count != 0 ? 1 : 0);
}

protocol::WorkTask work_task(const TaskSpace& space, const TaskRange& range, std::uint32_t task) {
  const Question& q = space.questions[range.question_index(task)];
  return protocol::WorkTask{task, space.resolvers[range.resolver_index(task)], q.qname, q.qtype};
}

bool range_fits(const TaskSpace& space, const TaskRange& range) {
  if (range.resolver_count == 0) return false;
  if (std::uint64_t{range.resolver_first} + range.resolver_count > space.resolvers.size()) return false;
  // Written so that nothing wraps: a damaged or hostile database may hold any 64-bit value.
  const std::uint64_t limit = std::uint64_t{range.resolver_count} * space.questions.size();
  return range.task_first <= limit && range.task_count <= limit - range.task_first;
}

}  // namespace mxsentry
