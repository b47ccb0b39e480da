#include "common/HeifUtil.h"

#include "media/NativePath.h"

#include <QCoreApplication>

#include <libheif/heif.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace mt {

void HeifHandleDeleter::operator()(heif_image_handle *h) const { heif_image_handle_release(h); }
void HeifImageDeleter::operator()(heif_image *i) const { heif_image_release(i); }

void ensureHeifInitialised()
{
    static std::once_flag once;
    std::call_once(once, [] { heif_init(nullptr); });
}

void applyPhoneFileLimits(heif_context *ctx)
{
#if LIBHEIF_HAVE_VERSION(1, 19, 0)
    // 1.19 introduced per-context limits, with defaults tuned against fuzzers rather than phones.
    heif_security_limits *limits = heif_context_get_security_limits(ctx);
    if (limits) {
        limits->max_items = std::max<uint32_t>(limits->max_items, 100000);
        limits->max_children_per_box = std::max<uint32_t>(limits->max_children_per_box, 100000);
        limits->max_number_of_tiles = std::max<uint64_t>(limits->max_number_of_tiles, 100000);
        limits->max_image_size_pixels = std::max<uint64_t>(limits->max_image_size_pixels, uint64_t(32768) * 32768);
    }
#else
    // Older versions only limit the edge length; their default already fits any phone or camera
    // file, so keep it rather than inviting multi-gigabyte allocations.
    (void)ctx;
#endif
}

bool heifCanDecodeAvif()
{
    ensureHeifInitialised();
    return heif_have_decoder_for_format(heif_compression_AV1) != 0;
}

QString heifErrorMessage(const heif_error &err)
{
    // Some libheif messages end in a newline, which would break one-line error reports.
    return QString::fromUtf8(err.message ? err.message : "unknown libheif error").trimmed();
}

Result<std::unique_ptr<HeifFile>> HeifFile::open(const QString &path)
{
    ensureHeifInitialised();
    std::unique_ptr<HeifFile> file(new HeifFile);
    if (auto opened = NativePath::open(file->m_file, path, QIODevice::ReadOnly); !opened)
        return makeError(Error::Code::Io, QCoreApplication::translate("HeifFile", "cannot open: %1").arg(opened.error().message));
    const qint64 size = file->m_file.size();
    if (size == 0)
        return makeError(Error::Code::Empty, QCoreApplication::translate("HeifFile", "the file is empty (0 bytes)"));
    const uchar *data = file->m_file.map(0, size);
    if (!data)
        return makeError(Error::Code::Io, QCoreApplication::translate("HeifFile", "cannot read: %1")
                                              .arg(file->m_file.errorString()));
    file->m_ctx = heif_context_alloc();
    applyPhoneFileLimits(file->m_ctx);
    const heif_error err = heif_context_read_from_memory_without_copy(file->m_ctx, data, size_t(size), nullptr);
    if (err.code != heif_error_Ok)
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("HeifFile", "not a readable HEIF image: %1")
                                                   .arg(heifErrorMessage(err)));
    return file;
}

HeifFile::~HeifFile()
{
    if (m_ctx)
        heif_context_free(m_ctx);
}

Result<HeifHandlePtr> HeifFile::primaryImage() const
{
    heif_image_handle *handle = nullptr;
    const heif_error err = heif_context_get_primary_image_handle(m_ctx, &handle);
    if (err.code != heif_error_Ok)
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("HeifFile", "HEIF file has no primary image: %1")
                                                   .arg(heifErrorMessage(err)));
    return HeifHandlePtr(handle);
}

QByteArray HeifFile::primaryExif() const
{
    auto handle = primaryImage();
    if (!handle)
        return {};
    const int count = heif_image_handle_get_number_of_metadata_blocks(handle->get(), "Exif");
    if (count <= 0)
        return {};
    std::vector<heif_item_id> ids(static_cast<size_t>(count));
    heif_image_handle_get_list_of_metadata_block_IDs(handle->get(), "Exif", ids.data(), count);
    const size_t size = heif_image_handle_get_metadata_size(handle->get(), ids[0]);
    if (size < 4)
        return {};
    QByteArray block(qsizetype(size), Qt::Uninitialized);
    if (heif_image_handle_get_metadata(handle->get(), ids[0], block.data()).code != heif_error_Ok)
        return {};
    // HEIF Exif items start with a big-endian offset to the TIFF header ("Exif\0\0" on iPhones: 6).
    const auto *p = reinterpret_cast<const uchar *>(block.constData());
    const quint32 offset = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
    if (offset > size - 4)
        return {};
    return block.mid(qsizetype(4 + offset));
}

} // namespace mt
