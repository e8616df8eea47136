#pragma once
// A session (.attnviz): what the user was looking at, so it can be reopened exactly or rendered by
// the CLI. A small versioned JSON document ("format": "attnviz-session", "version": 1); the
// reader refuses anything it does not understand with a message, never guesses.

#include "engine/attentionmodel.h"

#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace attnviz {

class SessionError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct Session
{
    static constexpr int kVersion = 1;

    std::string model;      // the spec as the window had it: "builtin:decoder", a path (relative = to the session)
    std::string modelHash;  // modelContentHash() when saved; empty = not recorded
    std::string text;       // the main text field, as typed (a translator's source)
    std::string secondText; // sentence B / a translator's target
    std::string view = "heatmap";
    int stack = 0;
    int layer = 0;
    int head = 0;
    int query = -1; // -1 = no query token selected
    MaskOverride mask = MaskOverride::ModelDefault;
    // The custom mask (kept even when another mode is chosen, as the window keeps it), the token
    // ids it was made for (empty = it must fit as is) and its stack (-1 = whichever is shown).
    MaskMatrix customMask; // (rows, cols), 1 = may attend
    std::vector<int> customMaskRowIds, customMaskColIds;
    int customMaskStack = -1;
    std::optional<bool> scale;                  // ÷√d_k; unset = the model's own choice
    std::set<std::pair<int, int>> ablatedHeads; // (layer, head)
    std::set<int> headsOff;                     // heads switched off in the mean and the rollout
    bool meanOfHeads = false;
    bool rollout = false;
    bool mergeSubwords = false;
    std::string measure = "raw"; // what the cells mean: engine/readouts.h measureName()
    std::string colorMap = "viridis";
    std::string sentenceBlock = "all";   // a sentence pair's heatmap block: "all", "a-to-b", "b-to-a"
    std::string gridBadges = "statistics"; // the model grid's badges: "statistics", "attribution"
    std::string sideView;                // the side dock's view; empty = the dock is hidden

    bool operator==(const Session& other) const;
};

// Pretty-printed JSON. Throws SessionError when the custom mask is too large to save.
std::string sessionToJson(const Session& session);
// Parses and validates a document; SessionError says what is wrong and where ("mask.cells[3]: ...").
Session parseSession(std::string_view text);
// Reads a session file (bounded size, regular files only). Throws SessionError naming the path.
Session readSessionFile(const std::string& path);

// The spec to open: a relative path is taken from the session file's folder (so a session can
// travel with its model); builtin:, lesson: and absolute paths are kept.
std::string sessionModelSpec(const Session& session, const std::string& sessionPath);

// "model", "none", "causal", "padding", "custom" (the file's names) and back.
const char* sessionMaskName(MaskOverride mask);
std::optional<MaskOverride> parseSessionMask(std::string_view name);

} // namespace attnviz
