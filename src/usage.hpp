// The --help text, kept apart from the parser so that options.cpp holds only the parsing.
#pragma once

#include <string>

namespace ipcat {

/// The --help text.
std::string usage_text();

} // namespace ipcat
