#pragma once
// The CLI's side of the control endpoint: one JSON request, one JSON reply, over REQ.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace mxsentry {

/// Sends `request` and waits at most `timeout_ms` for the reply; throws std::runtime_error when
/// the coordinator does not answer or says ok=false (with its error).
nlohmann::json control_request(const std::string& endpoint, const nlohmann::json& request, int timeout_ms = 5000);

/// Asks for a sweep's state every 200 ms until it is complete, incomplete or failed, and
/// returns it (the sweep-show object); nullopt when `timeout_ms` passes first.
std::optional<nlohmann::json> wait_for_sweep(const std::string& endpoint, std::uint64_t sweep, std::int64_t timeout_ms);

}  // namespace mxsentry
