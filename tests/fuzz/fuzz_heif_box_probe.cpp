// HeifBoxProbe reads box sizes and indices straight from untrusted bytes: every offset it follows
// must stay inside the file.
#include "FuzzSupport.h"
#include "metadata/HeifBoxProbe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // libFuzzer's own buffer is exactly `size` bytes on the heap, so ASan sees a read even one byte
    // past the end (a QByteArray copy would hide it behind its terminator and spare capacity).
    const QByteArrayView file(data, qsizetype(size));
    if (const auto probed = mt::probeHeifPrimarySize(file))
        (void)probed->isEmpty();
    return 0;
}
