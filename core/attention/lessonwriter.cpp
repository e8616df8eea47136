#include "attention/lessonwriter.h"

#include "util/jsonmatrix.h"


namespace attnviz {

namespace {

void writeTokens(json::Writer& w, const std::vector<std::string>& tokens)
{
    w.beginArray(true);
    for (const auto& t : tokens)
        w.value(std::string_view(t));
    w.endArray();
}

// Lesson files keep each matrix row on one line, so people can edit them by hand.
template <typename M> void writeRows(json::Writer& w, const M& m)
{
    json::writeMatrix(w, m, nullptr, true);
}

void writeMask(json::Writer& w, const Lesson& lesson)
{
    switch (lesson.mask.kind) {
    case MaskKind::None:
        w.value("none");
        return;
    case MaskKind::Causal:
        w.value("causal");
        return;
    case MaskKind::Padding:
    case MaskKind::Custom:
        break;
    }
    writeRows(w, buildMask(lesson.mask, static_cast<Index>(lesson.tokens.size()),
                             static_cast<Index>(lesson.sourceTokens.size())));
}

} // namespace

std::string lessonToJson(const Lesson& lesson)
{
    json::Writer w(true);
    w.beginObject();
    if (!lesson.title.empty())
        w.key("title").value(std::string_view(lesson.title));
    if (!lesson.description.empty())
        w.key("description").value(std::string_view(lesson.description));
    w.key("tokens");
    writeTokens(w, lesson.tokens);
    w.key("embeddings");
    writeRows(w, lesson.embeddings);
    if (lesson.crossAttention) {
        w.key("source").beginObject();
        w.key("tokens");
        writeTokens(w, lesson.sourceTokens);
        w.key("embeddings");
        writeRows(w, lesson.sourceEmbeddings);
        w.endObject();
    }
    w.key("heads").beginArray();
    for (const HeadWeights& h : lesson.heads) {
        w.beginObject();
        if (!h.name.empty())
            w.key("name").value(std::string_view(h.name));
        w.key("wq");
        writeRows(w, h.wq);
        w.key("wk");
        writeRows(w, h.wk);
        w.key("wv");
        writeRows(w, h.wv);
        w.endObject();
    }
    w.endArray();
    if (lesson.wo) {
        w.key("wo");
        writeRows(w, *lesson.wo);
    }
    w.key("mask");
    writeMask(w, lesson);
    w.key("scale").value(lesson.scale);
    w.endObject();
    return w.str() + "\n";
}

} // namespace attnviz
