#include "cli/Terminal.h"

#include <cstdio>

#include <io.h>

namespace mt::cli {

bool stderrIsTerminal()
{
    return _isatty(_fileno(stderr)) != 0;
}

} // namespace mt::cli
