// The ports of a -z scan: "22", "20-30", "22,80,8000-8010", service names ("ssh").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace ipcat {

/// Reads a port list: comma-separated items, each a port 1-65535, a range LOW-HIGH (LOW at
/// most HIGH) or a service name known for protocol ("tcp" or "udp"). The ports come out in the
/// order written, each once.
Result<std::vector<std::uint16_t>> parse_port_list(std::string_view text, const char* protocol);

} // namespace ipcat
