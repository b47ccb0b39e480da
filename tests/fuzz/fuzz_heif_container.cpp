// HeifContainer and HeifGridLayout read item tables, extents and grid descriptors from untrusted
// bytes (the tile thumbnail path): every count, size and offset must stay inside the input.
#include "FuzzSupport.h"
#include "thumbs/HeifContainer.h"
#include "thumbs/HeifGridLayout.h"

#include <QBuffer>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer device(&bytes);
    device.open(QIODevice::ReadOnly);
    auto container = mt::HeifContainer::read(device);
    if (!container)
        return 0;
    if (auto plan = mt::HeifGridLayout::plan(*container, device))
        (void)plan->displaySize();
    for (const mt::HeifItem &item : container->items())
        (void)container->itemData(device, item, 1 << 20);
    return 0;
}
