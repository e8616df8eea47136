#include "attention/lesson.h"

#include "util/json.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

using json::Value;

std::string dims(Index rows, Index cols)
{
    return std::to_string(rows) + " x " + std::to_string(cols);
}

[[noreturn]] void fail(const std::string& path, const std::string& message)
{
    throw LessonError("lesson field \"" + path + "\": " + message);
}

// Reads a matrix of finite numbers; expectedRows/Cols < 0 means "any". `what` explains the shape.
Matrix readMatrix(const Value* v, const std::string& path, Index expectedRows, Index expectedCols,
                  const std::string& what)
{
    // Unknown dimensions print as "?", e.g. "expected a 4 x ? matrix (d_model x d_k)".
    const auto dim = [](Index n) { return n >= 0 ? std::to_string(n) : std::string("?"); };
    const std::string sizeText =
        expectedRows >= 0 || expectedCols >= 0 ? dim(expectedRows) + " x " + dim(expectedCols) + " " : std::string();
    const std::string expectation = "expected a " + sizeText + "matrix (" + what + ")";
    if (v == nullptr) fail(path, "missing; " + expectation);
    if (!v->isArray() || v->asArray().empty()) fail(path, expectation + " as a non-empty array of rows");
    const auto& rows = v->asArray();
    if (!rows.front().isArray() || rows.front().asArray().empty()) {
        fail(path + "[0]", expectation + "; each row must be a non-empty array of numbers");
    }
    const auto rowCount = static_cast<Index>(rows.size());
    const auto colCount = static_cast<Index>(rows.front().asArray().size());
    if ((expectedRows >= 0 && rowCount != expectedRows) || (expectedCols >= 0 && colCount != expectedCols)) {
        fail(path, expectation + ", got " + dims(rowCount, colCount));
    }
    Matrix m(rowCount, colCount);
    for (Index i = 0; i < rowCount; ++i) {
        const Value& row = rows[static_cast<std::size_t>(i)];
        const std::string rowPath = path + "[" + std::to_string(i) + "]";
        if (!row.isArray() || static_cast<Index>(row.asArray().size()) != colCount) {
            fail(rowPath, "every row needs " + std::to_string(colCount) + " numbers (" + expectation + ")");
        }
        for (Index j = 0; j < colCount; ++j) {
            const Value& cell = row.asArray()[static_cast<std::size_t>(j)];
            const std::string cellPath = rowPath + "[" + std::to_string(j) + "]";
            if (!cell.isNumber()) fail(cellPath, std::string("expected a number, got ") + Value::typeName(cell.type()));
            const double d = cell.asNumber();
            if (!std::isfinite(static_cast<float>(d))) fail(cellPath, "value does not fit a 32-bit float");
            m(i, j) = static_cast<float>(d);
        }
    }
    return m;
}

void checkAtMost(const std::string& path, Index value, Index limit, const std::string& what)
{
    if (value > limit) fail(path, what + " " + std::to_string(value) + ", at most " + std::to_string(limit));
}

void checkTokens(const std::string& path, Index count)
{
    if (count > LessonLimits::maxTokens) {
        fail(path, std::to_string(count) + " tokens, at most " + std::to_string(LessonLimits::maxTokens));
    }
}

// heads x max(T, S) x d: the size of each head's Q, K, V and output, summed over heads.
void checkProjection(const std::string& path, Index heads, Index tokens, Index d, const char* dName)
{
    if (heads * tokens * d > LessonLimits::maxCells) {
        fail(path, std::to_string(heads) + " heads x " + std::to_string(tokens) + " tokens x " + dName + " " +
                       std::to_string(d) + " = " + std::to_string(heads * tokens * d) + " values, at most " +
                       std::to_string(LessonLimits::maxCells));
    }
}

// heads x T x S attention weights (and as many scores).
void checkAttentionCells(Index heads, Index queries, Index keys)
{
    if (heads * queries * keys > LessonLimits::maxCells) {
        fail("heads", std::to_string(heads) + " heads x " + std::to_string(queries) + " x " + std::to_string(keys) +
                          " tokens = " + std::to_string(heads * queries * keys) + " attention weights, at most " +
                          std::to_string(LessonLimits::maxCells));
    }
}

// A matrix built in memory (not read) with the shape `what` requires.
void checkShape(const std::string& path, const Matrix& m, Index rows, Index cols, const std::string& what)
{
    if (m.rows() != rows || m.cols() != cols) {
        fail(path, "expected a " + dims(rows, cols) + " matrix (" + what + "), got " + dims(m.rows(), m.cols()));
    }
}

void checkAtLeastOne(const std::string& path, Index value, const std::string& what)
{
    if (value < 1) fail(path, what + " " + std::to_string(value) + ", at least 1");
}

std::vector<std::string> readTokens(const Value* v, const std::string& path)
{
    if (v == nullptr) fail(path, "missing; expected a non-empty array of token strings");
    if (!v->isArray() || v->asArray().empty()) fail(path, "expected a non-empty array of token strings");
    checkTokens(path, static_cast<Index>(v->asArray().size()));
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < v->asArray().size(); ++i) {
        const Value& t = v->asArray()[i];
        if (!t.isString()) fail(path + "[" + std::to_string(i) + "]", "expected a string");
        tokens.push_back(t.asString());
    }
    return tokens;
}

MaskSpec readMask(const Value* v, Index queries, Index keys)
{
    if (v == nullptr) return MaskSpec::none();
    if (v->isString()) {
        if (v->asString() == "none") return MaskSpec::none();
        if (v->asString() == "causal") return MaskSpec::causal();
        fail("mask", "expected \"none\", \"causal\" or a " + dims(queries, keys) + " matrix of 0/1, got " +
                         quotedForMessage(v->asString()));
    }
    const Matrix m = readMatrix(v, "mask", queries, keys, "queries x keys, 1 = may attend");
    MaskMatrix mask(queries, keys);
    for (Index i = 0; i < queries; ++i) {
        for (Index j = 0; j < keys; ++j) {
            if (m(i, j) != 0.0f && m(i, j) != 1.0f) {
                fail("mask[" + std::to_string(i) + "][" + std::to_string(j) + "]", "expected 0 or 1");
            }
            mask(i, j) = m(i, j) != 0.0f ? 1 : 0;
        }
    }
    return MaskSpec::matrix(std::move(mask));
}

void rejectUnknownKeys(const Value& object, const std::string& path, std::initializer_list<std::string_view> known)
{
    for (const auto& [key, value] : object.asObject()) {
        bool ok = false;
        for (auto k : known) ok = ok || key == k;
        if (!ok) fail(path.empty() ? key : path + "." + key, "unknown field");
    }
}

} // namespace

Lesson parseLesson(std::string_view jsonText)
{
    Value root;
    try {
        root = json::parse(jsonText);
    } catch (const json::ParseError& e) {
        throw LessonError(std::string("lesson is not valid JSON: ") + e.what());
    }
    if (!root.isObject()) throw LessonError("lesson must be a JSON object");
    rejectUnknownKeys(root, "", {"title", "description", "tokens", "embeddings", "source", "heads", "wo", "mask", "scale"});

    Lesson lesson;
    if (const Value* t = root.find("title")) {
        if (!t->isString()) fail("title", "expected a string");
        lesson.title = t->asString();
    }
    if (const Value* d = root.find("description")) {
        if (!d->isString()) fail("description", "expected a string");
        lesson.description = d->asString();
    }
    lesson.tokens = readTokens(root.find("tokens"), "tokens");
    const auto queries = static_cast<Index>(lesson.tokens.size());
    lesson.embeddings = readMatrix(root.find("embeddings"), "embeddings", queries, -1, "T x d_model, one row per token");
    const Index dModel = lesson.embeddings.cols();
    checkAtMost("embeddings", dModel, LessonLimits::maxDimension, "d_model");

    if (const Value* src = root.find("source")) {
        if (!src->isObject()) fail("source", "expected an object with \"tokens\" and \"embeddings\"");
        rejectUnknownKeys(*src, "source", {"tokens", "embeddings"});
        lesson.crossAttention = true;
        lesson.sourceTokens = readTokens(src->find("tokens"), "source.tokens");
        lesson.sourceEmbeddings = readMatrix(src->find("embeddings"), "source.embeddings",
                                             static_cast<Index>(lesson.sourceTokens.size()), dModel,
                                             "S x d_model, same d_model as embeddings");
    } else {
        lesson.sourceTokens = lesson.tokens;
        lesson.sourceEmbeddings = lesson.embeddings;
    }
    const auto keys = static_cast<Index>(lesson.sourceTokens.size());

    const Value* heads = root.find("heads");
    if (heads == nullptr || !heads->isArray() || heads->asArray().empty()) {
        fail("heads", "expected a non-empty array of {\"wq\", \"wk\", \"wv\"} objects");
    }
    const auto headCount = static_cast<Index>(heads->asArray().size());
    if (headCount > LessonLimits::maxHeads) {
        fail("heads", std::to_string(headCount) + " heads, at most " + std::to_string(LessonLimits::maxHeads));
    }
    checkAttentionCells(headCount, queries, keys);
    const Index longest = std::max(queries, keys);
    Index dv = -1;
    for (std::size_t i = 0; i < heads->asArray().size(); ++i) {
        const Value& h = heads->asArray()[i];
        const std::string path = "heads[" + std::to_string(i) + "]";
        if (!h.isObject()) fail(path, "expected an object with \"wq\", \"wk\", \"wv\"");
        rejectUnknownKeys(h, path, {"name", "wq", "wk", "wv"});
        HeadWeights w;
        if (const Value* n = h.find("name")) {
            if (!n->isString()) fail(path + ".name", "expected a string");
            w.name = n->asString();
        }
        w.wq = readMatrix(h.find("wq"), path + ".wq", dModel, -1, "d_model x d_k");
        checkAtMost(path + ".wq", w.wq.cols(), LessonLimits::maxDimension, "d_k");
        checkProjection(path + ".wq", headCount, longest, w.wq.cols(), "d_k");
        w.wk = readMatrix(h.find("wk"), path + ".wk", dModel, w.wq.cols(), "d_model x d_k, same d_k as wq");
        w.wv = readMatrix(h.find("wv"), path + ".wv", dModel, dv, "d_model x d_v, same d_v for every head");
        dv = w.wv.cols();
        checkAtMost(path + ".wv", dv, LessonLimits::maxDimension, "d_v");
        checkProjection(path + ".wv", headCount, longest, dv, "d_v");
        lesson.heads.push_back(std::move(w));
    }
    if (const Value* wo = root.find("wo")) {
        lesson.wo = readMatrix(wo, "wo", static_cast<Index>(lesson.heads.size()) * dv, -1, "(heads * d_v) x d_out");
        checkAtMost("wo", lesson.wo->cols(), LessonLimits::maxDimension, "d_out");
    }
    lesson.mask = readMask(root.find("mask"), queries, keys);
    if (const Value* s = root.find("scale")) {
        if (!s->isBool()) fail("scale", "expected true or false");
        lesson.scale = s->asBool();
    }
    return lesson;
}

void checkLesson(const Lesson& lesson)
{
    const auto queries = static_cast<Index>(lesson.tokens.size());
    const auto keys = static_cast<Index>(lesson.sourceTokens.size());
    checkAtLeastOne("tokens", queries, "tokens");
    checkTokens("tokens", queries);
    const Index dModel = lesson.embeddings.cols();
    checkAtLeastOne("embeddings", dModel, "d_model");
    checkAtMost("embeddings", dModel, LessonLimits::maxDimension, "d_model");
    checkShape("embeddings", lesson.embeddings, queries, dModel, "T x d_model, one row per token");
    if (lesson.crossAttention) {
        checkAtLeastOne("source.tokens", keys, "tokens");
        checkTokens("source.tokens", keys);
    } else if (lesson.sourceTokens != lesson.tokens || lesson.sourceEmbeddings != lesson.embeddings) {
        fail("source", "without cross-attention the keys must be the tokens themselves");
    }
    checkShape("source.embeddings", lesson.sourceEmbeddings, keys, dModel, "S x d_model, same d_model as embeddings");

    const auto headCount = static_cast<Index>(lesson.heads.size());
    checkAtLeastOne("heads", headCount, "heads");
    checkAtMost("heads", headCount, LessonLimits::maxHeads, "heads");
    checkAttentionCells(headCount, queries, keys);
    const Index longest = std::max(queries, keys);
    const Index dv = lesson.heads.front().wv.cols();
    for (std::size_t i = 0; i < lesson.heads.size(); ++i) {
        const HeadWeights& w = lesson.heads[i];
        const std::string path = "heads[" + std::to_string(i) + "]";
        const Index dk = w.wq.cols();
        checkAtLeastOne(path + ".wq", dk, "d_k");
        checkAtMost(path + ".wq", dk, LessonLimits::maxDimension, "d_k");
        checkProjection(path + ".wq", headCount, longest, dk, "d_k");
        checkShape(path + ".wq", w.wq, dModel, dk, "d_model x d_k");
        checkShape(path + ".wk", w.wk, dModel, dk, "d_model x d_k, same d_k as wq");
        checkAtLeastOne(path + ".wv", dv, "d_v");
        checkAtMost(path + ".wv", dv, LessonLimits::maxDimension, "d_v");
        checkProjection(path + ".wv", headCount, longest, dv, "d_v");
        checkShape(path + ".wv", w.wv, dModel, dv, "d_model x d_v, same d_v for every head");
    }
    if (lesson.wo) {
        checkAtLeastOne("wo", lesson.wo->cols(), "d_out");
        checkAtMost("wo", lesson.wo->cols(), LessonLimits::maxDimension, "d_out");
        checkShape("wo", *lesson.wo, headCount * dv, lesson.wo->cols(), "(heads * d_v) x d_out");
    }
    if (lesson.mask.kind == MaskKind::Custom &&
        (lesson.mask.custom.rows() != queries || lesson.mask.custom.cols() != keys)) {
        fail("mask", "expected a " + dims(queries, keys) + " matrix of 0/1, got " +
                         dims(lesson.mask.custom.rows(), lesson.mask.custom.cols()));
    }
    if (lesson.mask.kind == MaskKind::Padding && static_cast<Index>(lesson.mask.keyValid.size()) != keys) {
        fail("mask", "expected one padding flag per key");
    }
}

Lesson loadLesson(const std::string& path)
{
    std::string text;
    try {
        text = json::readTextFile(path);
    } catch (const std::runtime_error& e) {
        throw LessonError(e.what());
    }
    try {
        return parseLesson(text);
    } catch (const LessonError& e) {
        throw LessonError(path + ": " + e.what());
    }
}

MultiHeadResult runLesson(const Lesson& lesson, const AttentionOptions& options)
{
    return multiHeadAttention(lesson.embeddings, lesson.sourceEmbeddings, lesson.heads,
                              lesson.wo ? &*lesson.wo : nullptr, options);
}

MultiHeadResult runLesson(const Lesson& lesson, const std::atomic<bool>* cancel)
{
    AttentionOptions options;
    options.scale = lesson.scale;
    options.mask = lesson.mask;
    options.cancel = cancel;
    return runLesson(lesson, options);
}

} // namespace attnviz
