#pragma once

#include "quality/QualityAnalyzer.h"

#include <nlohmann/json.hpp>

namespace mt::quality {

nlohmann::ordered_json imageSignalsToJson(const ImageSignals &s);
nlohmann::ordered_json videoSignalsToJson(const VideoSignals &s);
// {path, kind, verdict, reason, rule, confidence, signals, duplicate_group, best_in_group, similar_to, ...}
nlohmann::ordered_json analysisToJson(const ItemAnalysis &a);

} // namespace mt::quality
