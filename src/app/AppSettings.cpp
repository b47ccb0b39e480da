#include "AppSettings.h"

#include <QSettings>

namespace mt::app {

AppSettings AppSettings::load()
{
    QSettings s;
    AppSettings a;
    a.engine = EngineChoice(std::clamp(s.value(QStringLiteral("triage/engine"), 0).toInt(), 0, 2));
    a.model = s.value(QStringLiteral("triage/model"), gemini::GeminiConfig::fromEnvironment().model).toString();
    a.recursive = s.value(QStringLiteral("scan/recursive"), false).toBool();
    a.thumbnailEdge = s.value(QStringLiteral("thumbnailEdge"), 160).toInt();
    a.uncertainOnly = s.value(QStringLiteral("triage/uncertainOnly"), false).toBool();
    a.includeLocation = s.value(QStringLiteral("triage/includeLocation"), false).toBool();
    a.budgetUsd = s.value(QStringLiteral("triage/budgetUsd"), 0.0).toDouble();
    a.inputPricePerMillion = s.value(QStringLiteral("triage/inputPricePerMillion"), 0.0).toDouble();
    a.outputPricePerMillion = s.value(QStringLiteral("triage/outputPricePerMillion"), 0.0).toDouble();
    return a;
}

void AppSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("triage/engine"), int(engine));
    s.setValue(QStringLiteral("triage/model"), model);
    s.setValue(QStringLiteral("scan/recursive"), recursive);
    s.setValue(QStringLiteral("thumbnailEdge"), thumbnailEdge);
    s.setValue(QStringLiteral("triage/uncertainOnly"), uncertainOnly);
    s.setValue(QStringLiteral("triage/includeLocation"), includeLocation);
    s.setValue(QStringLiteral("triage/budgetUsd"), budgetUsd);
    s.setValue(QStringLiteral("triage/inputPricePerMillion"), inputPricePerMillion);
    s.setValue(QStringLiteral("triage/outputPricePerMillion"), outputPricePerMillion);
}

} // namespace mt::app
