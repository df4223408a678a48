// The entry point: parse, build the endpoints, run the event loop, report.
#pragma once

namespace ipcat {

/// Runs ipcat with the process arguments; returns the exit status (0, 1, 2, 130, 143).
int run(int argc, char** argv);

} // namespace ipcat
