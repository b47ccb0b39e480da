#pragma once

namespace mt::cli {

// Whether a person is watching stderr (a terminal, not a pipe or a log file): progress lines are
// only for them. One implementation file per platform.
bool stderrIsTerminal();
// Whether a person can answer a question on stdin.
bool stdinIsTerminal();

} // namespace mt::cli
