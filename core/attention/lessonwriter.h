#pragma once
// Writes a Lesson back as JSON in the schema parseLesson reads (README.md), e.g. after editing its
// matrices in the GUI. Floats print in their shortest round-trip form, so parseLesson gives back
// bit-identical matrices.

#include "attention/lesson.h"

#include <string>

namespace attnviz {

// Pretty-printed, one matrix row per line. Self-attention lessons write no "source"; a padding
// mask (never produced by parseLesson) is written as its 0/1 matrix.
std::string lessonToJson(const Lesson& lesson);

} // namespace attnviz
