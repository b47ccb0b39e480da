#include "gemini/ModelFamily.h"

#include "gemini/GeminiConfig.h"

#include <QRegularExpression>

namespace mt::gemini {

ModelFamily ModelFamily::of(const QString &modelId)
{
    ModelFamily f;
    const QString id = modelId.toLower().section(u'/', -1); // "models/<id>" too
    static const QRegularExpression version(QStringLiteral("^gemini-(\\d+)(?:\\.(\\d+))?"));
    if (const auto m = version.match(id); m.hasMatch()) {
        f.major = m.captured(1).toInt();
        f.minor = m.captured(2).toInt();
    }
    if (id.contains(QLatin1String("flash-lite")))
        f.tier = Tier::FlashLite;
    else if (id.contains(QLatin1String("flash")))
        f.tier = Tier::Flash;
    else if (id.contains(QLatin1String("pro")))
        f.tier = Tier::Pro;
    return f;
}

QString ModelFamily::tierName(Tier tier)
{
    switch (tier) {
    case Tier::FlashLite: return QStringLiteral("flash-lite");
    case Tier::Flash: return QStringLiteral("flash");
    case Tier::Pro: return QStringLiteral("pro");
    case Tier::Unknown: break;
    }
    return QStringLiteral("unknown");
}

ThinkingPlan ThinkingPlan::forModel(const QString &modelId, const GeminiConfig &config)
{
    ThinkingPlan plan;
    if (ModelFamily::of(modelId).major == 2) {
        plan.kind = Kind::Budget;
        plan.budget = config.thinkingBudget;
    } else {
        plan.level = config.thinkingLevel;
    }
    return plan;
}

} // namespace mt::gemini
