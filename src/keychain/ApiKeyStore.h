#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QString>

namespace mt::gemini {

// Where the Gemini API key lives: the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable
// first, then the OS keychain (QtKeychain). A missing or unusable keychain is "no key", never an
// error that stops the program: the person is asked again instead.
class ApiKeyStore {
    Q_DECLARE_TR_FUNCTIONS(ApiKeyStore)
public:
    static QString fromEnvironment();
    static Result<QString> readKeychain();
    static Status writeKeychain(const QString &key);
    static Status removeFromKeychain();

    // The key to use, or empty when there is none anywhere.
    static QString lookup();
};

} // namespace mt::gemini
