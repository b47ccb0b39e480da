#pragma once

namespace mt {

// What a compressed clip for Gemini looks like. Every value is a maximum: a source that is
// already smaller, slower or quieter is never raised to it.
struct CompressionProfile {
    // SVT-AV1 constant rate factor (0..63, higher is smaller).
    int crf = 35;
    // SVT-AV1 preset (0 slowest .. 13 fastest); -1 picks one from the clip's duration.
    int preset = -1;
    // Longest edge of the upright output picture in pixels; output dimensions are even.
    int maxLongEdge = 768;
    // Highest output frame rate.
    int maxFps = 5;
    // Opus target bit rate in bits per second (VBR), mono, 48 kHz as Opus requires.
    int audioBitRate = 24000;

    // The preset used for a clip of `seconds` (the explicit `preset` if one is set).
    int presetForDuration(double seconds) const;
};

} // namespace mt
