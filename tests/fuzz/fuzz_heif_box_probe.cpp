// HeifBoxProbe reads box sizes and indices straight from untrusted bytes: every offset it follows
// must stay inside the file.
#include "FuzzSupport.h"
#include "metadata/HeifBoxProbe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A heap copy of exactly `size` bytes, so ASan sees any read past the end.
    const QByteArray file = mt::fuzz::bytes(data, size);
    if (const auto probed = mt::probeHeifPrimarySize(file))
        (void)probed->isEmpty();
    return 0;
}
