#pragma once
// The selected head's inputs and weights, for "Make a lesson from this head": taken from a run's
// pipeline capture, run again with the capture when the result on screen lacks it. Models that
// cannot give one (maps read from a file, a cross-attention head, a model wider than a lesson
// may be) are refused with the reason.

#include "attention/lessonfromhead.h"
#include "engine/attentionmodel.h"

#include <QString>

#include <optional>

namespace attnviz {

class ComputeService;

// From a result whose pipeline holds the head; nullopt with `reason` otherwise.
std::optional<HeadSample> headSampleOf(const AttentionResult& result, QString* reason);
// Runs `request` (which names the head in pipelineHead) on the model's thread and waits for it:
// meant for the small models a lesson can show, which run in a moment.
std::optional<HeadSample> captureHeadSample(ComputeService& service, const RunRequest& request, QString* reason);

} // namespace attnviz
