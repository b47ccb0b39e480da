#pragma once

#include <QString>

namespace mt::app {

// The bundled sample media: installed under share/mediatriage/samples next to the binary's
// prefix, or the source tree's resources/samples when run from a build directory.
QString sampleFolder();

} // namespace mt::app
