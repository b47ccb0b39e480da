#pragma once

namespace mt::cli {

// Whether a person is watching stderr (a terminal, not a pipe or a log file): progress lines are
// only for them. One implementation file per platform.
bool stderrIsTerminal();

} // namespace mt::cli
