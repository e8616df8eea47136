#pragma once
// Lessons: hand-written JSON teaching examples with explicit matrices (schema in README.md).

#include "attention/attention.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

// A lesson file that does not follow the schema. The message names the JSON path of the field
// (e.g. "heads[1].wq") and what was expected (e.g. "a 4 x 2 matrix (d_model x d_k), got 3 x 2").
class LessonError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Lessons are teaching examples; their outputs grow with heads x tokens² (and x d_k), so sizes are
// bounded before anything is computed. A lesson at every limit still runs in well under a second.
struct LessonLimits
{
    static constexpr Index maxTokens = 1024;   // T and S
    static constexpr Index maxDimension = 1024; // d_model, d_k, d_v, d_out
    static constexpr Index maxHeads = 64;
    static constexpr Index maxCells = Index(1) << 22; // heads x T x S, and heads x max(T, S) x d_k (or d_v)
};

struct Lesson
{
    std::string title;
    std::string description;               // optional: how the lesson was made (e.g. from a real head)
    std::vector<std::string> tokens;       // (T) query tokens
    Matrix embeddings;                     // (T, d_model)
    bool crossAttention = false;           // true when "source" is given
    std::vector<std::string> sourceTokens; // (S) key/value tokens; equals tokens when not cross
    Matrix sourceEmbeddings;               // (S, d_model); equals embeddings when not cross
    std::vector<HeadWeights> heads;
    std::optional<Matrix> wo;              // (heads*d_v, d_out)
    MaskSpec mask;                         // None, Causal or Custom (T, S)
    bool scale = true;
};

Lesson parseLesson(std::string_view jsonText); // throws LessonError
Lesson loadLesson(const std::string& path);    // throws LessonError (also for I/O problems)

// The shape rules and LessonLimits of parseLesson for a lesson made in memory (the editor checks
// every change with it, so what it accepts always loads back). Throws LessonError with the
// loader's messages, e.g. "lesson field \"tokens\": 1025 tokens, at most 1024".
void checkLesson(const Lesson& lesson);

// Runs the lesson's attention. options.mask/scale override the lesson's own when given.
MultiHeadResult runLesson(const Lesson& lesson, const std::atomic<bool>* cancel = nullptr);
MultiHeadResult runLesson(const Lesson& lesson, const AttentionOptions& options);

} // namespace attnviz
