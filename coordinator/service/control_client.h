#pragma once
// The CLI's side of the control endpoint: one JSON request, one JSON reply, over REQ.

#include <string>

#include <nlohmann/json.hpp>

namespace mxsentry {

/// Sends `request` and waits at most `timeout_ms` for the reply; throws std::runtime_error when
/// the coordinator does not answer or says ok=false (with its error).
nlohmann::json control_request(const std::string& endpoint, const nlohmann::json& request, int timeout_ms = 5000);

}  // namespace mxsentry
