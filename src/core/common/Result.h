#pragma once

#include <QString>

#include <cassert>
#include <utility>
#include <variant>

namespace mt {

// An error a person can act on: `message` is shown as is in the UI, the CLI and reports.
struct Error {
    enum class Code {
        NotFound,
        PermissionDenied,
        Empty,
        UnsupportedFormat,
        Corrupt,
        Io,
        Cancelled,
        Timeout,
        Network,
        InvalidArgument,
        Internal,
    };
    Code code = Code::Internal;
    QString message;
};

// A value or an Error; the std::expected idiom for C++20 (std::expected is C++23).
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<0>(m_data); }
    const T &value() const & { assert(ok()); return std::get<0>(m_data); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { assert(!ok()); return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but may fail.
struct Done {};
using Status = Result<Done>;

inline Error makeError(Error::Code code, QString message) { return Error{code, std::move(message)}; }

// A stable, untranslated name for scripts and result documents ("not_found", "timeout", ...).
QString errorCodeName(Error::Code code);

} // namespace mt
