#include "cli/Terminal.h"

#include <cstdio>

#include <unistd.h>

namespace mt::cli {

bool stderrIsTerminal()
{
    return isatty(fileno(stderr)) != 0;
}

} // namespace mt::cli
