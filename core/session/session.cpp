#include "session/session.h"

#include "session/sessionfields.h"
#include "util/checkednumbers.h"
#include "util/json.h"
#include "util/regularfile.h"

#include <algorithm>
#include <filesystem>
#include <limits>

namespace attnviz {

namespace {

using sessionjson::arrayOf;
using sessionjson::Fields;
using sessionjson::idsOf;

constexpr const char* kFormat = "attnviz-session";
// Far above anything real (the text field takes 200,000 characters), low enough that a hostile
// file cannot make the window allocate much.
constexpr std::size_t kMaxTextBytes = std::size_t(1) << 20;
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxSpecBytes = 4096;
constexpr Index kMaxMaskCells = Index(4096) * 4096;
constexpr int kMaxIndex = 1 << 20;
// Every head of a large model is a few thousand (layers x heads); far longer lists are not sessions.
constexpr std::size_t kMaxHeadEntries = 16384;

const struct
{
    MaskOverride mask;
    const char* name;
} kMaskNames[] = {{MaskOverride::ModelDefault, "model"},
                  {MaskOverride::None, "none"},
                  {MaskOverride::Causal, "causal"},
                  {MaskOverride::Padding, "padding"},
                  {MaskOverride::Custom, "custom"}};

void readCustomMask(Fields& mask, Session& s)
{
    const json::Value* cells = mask.optional("cells");
    s.customMaskStack = mask.integer("stack", -1, kMaxIndex, -1);
    s.customMaskRowIds = idsOf(mask.optional("rowIds"), mask.name("rowIds"));
    s.customMaskColIds = idsOf(mask.optional("colIds"), mask.name("colIds"));
    if (cells == nullptr) {
        if (!s.customMaskRowIds.empty() || !s.customMaskColIds.empty())
            throw SessionError(mask.name("rowIds") + " and colIds need mask.cells");
        return;
    }
    // One string of 0 and 1 per query row: readable, and a tenth of the size of nested arrays.
    const json::Array& rows = arrayOf(*cells, mask.name("cells"));
    if (rows.empty())
        throw SessionError(mask.name("cells") + " must hold at least one row");
    const auto rowName = [&](std::size_t r) { return mask.name("cells") + "[" + std::to_string(r) + "]"; };
    if (!rows.front().isString() || rows.front().asString().empty())
        throw SessionError(rowName(0) + " must be a non-empty string of 0 and 1");
    const Index cols = static_cast<Index>(rows.front().asString().size());
    if (static_cast<Index>(rows.size()) > kMaxMaskCells / cols)
        throw SessionError(mask.name("cells") + " is larger than " + std::to_string(kMaxMaskCells) + " cells");
    s.customMask.resize(static_cast<Index>(rows.size()), cols);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (!rows[r].isString() || static_cast<Index>(rows[r].asString().size()) != cols)
            throw SessionError(rowName(r) + " must be a string of " + std::to_string(cols) + " characters 0 or 1");
        const std::string& row = rows[r].asString();
        for (Index c = 0; c < cols; ++c) {
            const char cell = row[static_cast<std::size_t>(c)];
            if (cell != '0' && cell != '1')
                throw SessionError(rowName(r) + " holds \"" + std::string(1, cell) + "\"; only 0 and 1 are allowed");
            s.customMask(static_cast<Index>(r), c) = cell == '1' ? 1 : 0;
        }
    }
    if (!s.customMaskRowIds.empty() && s.customMaskRowIds.size() != rows.size())
        throw SessionError(mask.name("rowIds") + " must have one id per row of mask.cells");
    if (!s.customMaskColIds.empty() && static_cast<Index>(s.customMaskColIds.size()) != cols)
        throw SessionError(mask.name("colIds") + " must have one id per column of mask.cells");
}

void readHeads(const json::Value* v, Session& s)
{
    if (v == nullptr)
        return;
    const json::Array& items = arrayOf(*v, "ablated");
    if (items.size() > kMaxHeadEntries)
        throw SessionError("ablated lists more than " + std::to_string(kMaxHeadEntries) + " heads");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string what = "ablated[" + std::to_string(i) + "]";
        const json::Array& pair = arrayOf(items[i], what);
        if (pair.size() != 2)
            throw SessionError(what + " must be [layer, head]");
        s.ablatedHeads.insert({checked::toInt<SessionError>(pair[0], what + "[0]", 0, kMaxIndex),
                               checked::toInt<SessionError>(pair[1], what + "[1]", 0, kMaxIndex)});
    }
}

void writeCustomMask(json::Writer& w, const Session& s)
{
    const MaskMatrix& m = s.customMask;
    if (m.size() == 0)
        return;
    if (m.rows() > kMaxMaskCells / m.cols())
        throw SessionError("the custom mask (" + std::to_string(m.rows()) + " x " + std::to_string(m.cols()) +
                           ") is too large to save in a session");
    w.key("stack").value(s.customMaskStack);
    for (const auto& [key, ids] :
         {std::pair{"rowIds", &s.customMaskRowIds}, std::pair{"colIds", &s.customMaskColIds}}) {
        if (ids->empty())
            continue;
        w.key(key).beginArray(true);
        for (int id : *ids)
            w.value(id);
        w.endArray();
    }
    w.key("cells").beginArray();
    std::string row;
    for (Index r = 0; r < m.rows(); ++r) {
        row.assign(static_cast<std::size_t>(m.cols()), '0');
        for (Index c = 0; c < m.cols(); ++c)
            row[static_cast<std::size_t>(c)] = m(r, c) != 0 ? '1' : '0';
        w.value(std::string_view(row));
    }
    w.endArray();
}

} // namespace

bool Session::operator==(const Session& o) const
{
    const bool sameMask = customMask.rows() == o.customMask.rows() && customMask.cols() == o.customMask.cols() &&
                          (customMask.size() == 0 || customMask == o.customMask);
    return model == o.model && modelHash == o.modelHash && text == o.text && secondText == o.secondText &&
           view == o.view && stack == o.stack && layer == o.layer && head == o.head && query == o.query &&
           mask == o.mask && sameMask && customMaskRowIds == o.customMaskRowIds &&
           customMaskColIds == o.customMaskColIds && customMaskStack == o.customMaskStack && scale == o.scale &&
           ablatedHeads == o.ablatedHeads && headsOff == o.headsOff && meanOfHeads == o.meanOfHeads &&
           rollout == o.rollout && mergeSubwords == o.mergeSubwords && measure == o.measure && colorMap == o.colorMap &&
           sentenceBlock == o.sentenceBlock && gridBadges == o.gridBadges && sideView == o.sideView;
}

const char* sessionMaskName(MaskOverride mask)
{
    for (const auto& m : kMaskNames) {
        if (m.mask == mask)
            return m.name;
    }
    return "model";
}

std::optional<MaskOverride> parseSessionMask(std::string_view name)
{
    for (const auto& m : kMaskNames) {
        if (name == m.name)
            return m.mask;
    }
    return std::nullopt;
}

std::string sessionToJson(const Session& s)
{
    json::Writer w(true);
    w.beginObject();
    w.key("format").value(kFormat).key("version").value(Session::kVersion);
    w.key("model").beginObject().key("spec").value(std::string_view(s.model));
    if (!s.modelHash.empty())
        w.key("hash").value(std::string_view(s.modelHash));
    w.endObject();
    w.key("text").value(std::string_view(s.text)).key("secondText").value(std::string_view(s.secondText));
    w.key("view").value(std::string_view(s.view)).key("stack").value(s.stack).key("layer").value(s.layer);
    w.key("head").value(s.head).key("query").value(s.query);
    w.key("mask").beginObject().key("mode").value(sessionMaskName(s.mask));
    writeCustomMask(w, s);
    w.endObject();
    w.key("scale").value(!s.scale ? "model" : (*s.scale ? "on" : "off"));
    w.key("ablated").beginArray(true);
    for (const auto& lh : s.ablatedHeads)
        w.beginArray(true).value(lh.first).value(lh.second).endArray();
    w.endArray();
    w.key("headsOff").beginArray(true);
    for (int h : s.headsOff)
        w.value(h);
    w.endArray();
    w.key("meanOfHeads").value(s.meanOfHeads).key("rollout").value(s.rollout);
    w.key("mergeSubwords").value(s.mergeSubwords);
    w.key("measure").value(std::string_view(s.measure)).key("colorMap").value(std::string_view(s.colorMap));
    w.key("sentenceBlock").value(std::string_view(s.sentenceBlock));
    w.key("gridBadges").value(std::string_view(s.gridBadges)).key("sideView").value(std::string_view(s.sideView));
    w.endObject();
    return w.str() + "\n";
}

Session parseSession(std::string_view text)
{
    json::Value doc;
    try {
        doc = json::parse(text);
    } catch (const json::ParseError& e) {
        throw SessionError(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.isObject() || doc.find("format") == nullptr || !doc.find("format")->isString() ||
        doc.find("format")->asString() != kFormat)
        throw SessionError("not an AttnViz session (\"format\" is not \"attnviz-session\")");
    Fields top(doc, "");
    top.required("format");
    const int version = checked::toInt<SessionError>(top.required("version"), "version", 1);
    if (version != Session::kVersion)
        throw SessionError("session version " + std::to_string(version) +
                           " was written by a newer AttnViz; this one reads version " +
                           std::to_string(Session::kVersion));
    Session s;
    Fields model(top.required("model"), "model");
    s.model = model.string("spec", kMaxSpecBytes, "");
    if (s.model.empty())
        throw SessionError("model.spec must name the model");
    s.modelHash = model.string("hash", kMaxNameBytes, "");
    model.finish();
    s.text = top.string("text", kMaxTextBytes, "");
    s.secondText = top.string("secondText", kMaxTextBytes, "");
    s.view = top.string("view", kMaxNameBytes, s.view);
    s.stack = top.integer("stack", 0, kMaxIndex, 0);
    s.layer = top.integer("layer", 0, kMaxIndex, 0);
    s.head = top.integer("head", 0, kMaxIndex, 0);
    s.query = top.integer("query", -1, kMaxIndex, -1);
    if (const json::Value* maskValue = top.optional("mask")) {
        Fields mask(*maskValue, "mask");
        const std::string mode = mask.string("mode", kMaxNameBytes, "model");
        const auto parsed = parseSessionMask(mode);
        if (!parsed)
            throw SessionError("mask.mode \"" + mode + "\" is not one of model, none, causal, padding, custom");
        s.mask = *parsed;
        readCustomMask(mask, s);
        mask.finish();
    }
    const std::string scale = top.string("scale", kMaxNameBytes, "model");
    if (scale != "model" && scale != "on" && scale != "off")
        throw SessionError("scale must be \"model\", \"on\" or \"off\", not \"" + scale + "\"");
    if (scale != "model")
        s.scale = scale == "on";
    readHeads(top.optional("ablated"), s);
    for (int h : idsOf(top.optional("headsOff"), "headsOff", kMaxIndex))
        s.headsOff.insert(h);
    if (s.headsOff.size() > kMaxHeadEntries)
        throw SessionError("headsOff lists more than " + std::to_string(kMaxHeadEntries) + " heads");
    s.meanOfHeads = top.boolean("meanOfHeads", false);
    s.rollout = top.boolean("rollout", false);
    s.mergeSubwords = top.boolean("mergeSubwords", false);
    s.measure = top.string("measure", kMaxNameBytes, s.measure);
    s.colorMap = top.string("colorMap", kMaxNameBytes, s.colorMap);
    // Later additions to version 1: a file without them means their defaults.
    s.sentenceBlock = top.string("sentenceBlock", kMaxNameBytes, s.sentenceBlock);
    s.gridBadges = top.string("gridBadges", kMaxNameBytes, s.gridBadges);
    s.sideView = top.string("sideView", kMaxNameBytes, s.sideView);
    top.finish();
    return s;
}

Session readSessionFile(const std::string& path)
{
    std::string text;
    try {
        text = readTextFile(path, fileLimits::smallJson);
    } catch (const FileError& e) {
        throw SessionError(e.what());
    }
    try {
        return parseSession(text);
    } catch (const SessionError& e) {
        throw SessionError(path + ": " + e.what());
    }
}

std::string sessionModelSpec(const Session& session, const std::string& sessionPath)
{
    const std::string& spec = session.model;
    if (spec.rfind("builtin:", 0) == 0 || spec.rfind("lesson:", 0) == 0)
        return spec;
    const std::filesystem::path model(spec);
    if (model.is_absolute())
        return spec;
    return (std::filesystem::path(sessionPath).parent_path() / model).lexically_normal().string();
}

} // namespace attnviz
