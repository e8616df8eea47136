#include "tokenizers/sentencepiecemodel.h"

#include "util/messagetext.h"
#include "util/sizelimits.h"

#include <cstdint>
#include <cstring>
#include <limits>

namespace attnviz {

namespace {

// A protobuf wire-format reader over one message; every read is checked against its end.
class ProtoReader
{
public:
    explicit ProtoReader(std::string_view bytes) : m_bytes(bytes) {}

    bool atEnd() const { return m_pos == m_bytes.size(); }

    std::uint64_t varint()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_bytes.size())
                throw TokenizerError("truncated varint at byte " + std::to_string(m_pos));
            const auto b = static_cast<unsigned char>(m_bytes[m_pos++]);
            if (shift == 63 && b > 1)
                break;
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (b < 0x80)
                return v;
        }
        throw TokenizerError("varint longer than 64 bits at byte " + std::to_string(m_pos));
    }

    // The field number and wire type of the next field.
    std::pair<std::uint64_t, int> tag()
    {
        const std::uint64_t t = varint();
        if ((t >> 3) == 0)
            throw TokenizerError("field number 0 at byte " + std::to_string(m_pos));
        return {t >> 3, static_cast<int>(t & 7)};
    }

    std::string_view bytes()
    {
        const std::uint64_t n = varint();
        if (n > m_bytes.size() - m_pos)
            throw TokenizerError("a field of " + std::to_string(n) + " bytes runs past the end of its message");
        const std::string_view out = m_bytes.substr(m_pos, static_cast<std::size_t>(n));
        m_pos += static_cast<std::size_t>(n);
        return out;
    }

    float fixed32AsFloat()
    {
        if (m_bytes.size() - m_pos < 4)
            throw TokenizerError("truncated 32-bit field");
        std::uint32_t u = 0;
        for (int i = 0; i < 4; ++i)
            u |= static_cast<std::uint32_t>(static_cast<unsigned char>(m_bytes[m_pos + i])) << (8 * i);
        m_pos += 4;
        float f = 0;
        std::memcpy(&f, &u, sizeof f);
        return f;
    }

    void skip(int wireType)
    {
        switch (wireType) {
        case 0:
            varint();
            return;
        case 1:
            advance(8);
            return;
        case 2:
            bytes();
            return;
        case 5:
            advance(4);
            return;
        default:
            throw TokenizerError("unsupported protobuf wire type " + std::to_string(wireType));
        }
    }

private:
    void advance(std::size_t n)
    {
        if (m_bytes.size() - m_pos < n)
            throw TokenizerError("truncated fixed-size field");
        m_pos += n;
    }

    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

void expectWire(int got, int want, const char* field)
{
    if (got != want)
        throw TokenizerError(std::string(field) + " has wire type " + std::to_string(got) + ", expected " +
                             std::to_string(want));
}

// An int32 field: protobuf sends negative values as 64-bit two's complement.
int int32Field(ProtoReader& r, int wire, const char* field)
{
    expectWire(wire, 0, field);
    const auto v = static_cast<std::int64_t>(r.varint());
    if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
        throw TokenizerError(std::string(field) + " is outside the int32 range");
    return static_cast<int>(v);
}

bool boolField(ProtoReader& r, int wire, const char* field)
{
    expectWire(wire, 0, field);
    return r.varint() != 0;
}

SentencePieceModel::Piece parsePiece(std::string_view bytes)
{
    SentencePieceModel::Piece p;
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [field, wire] = r.tag();
        if (field == 1) {
            expectWire(wire, 2, "piece");
            p.piece = r.bytes();
        } else if (field == 2) {
            expectWire(wire, 5, "score");
            p.score = r.fixed32AsFloat();
        } else if (field == 3) {
            const int type = int32Field(r, wire, "piece type");
            if (type < 1 || type > 6)
                throw TokenizerError("piece type " + std::to_string(type) + " is not one of SentencePiece's");
            p.type = static_cast<SentencePieceModel::PieceType>(type);
        } else {
            r.skip(wire);
        }
    }
    return p;
}

void parseTrainerSpec(std::string_view bytes, SentencePieceModel& m)
{
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [field, wire] = r.tag();
        switch (field) {
        case 3: {
            const int type = int32Field(r, wire, "trainer_spec.model_type");
            if (type < 1 || type > 4)
                throw TokenizerError("trainer_spec.model_type " + std::to_string(type) + " is unknown");
            m.modelType = static_cast<SentencePieceModel::ModelType>(type);
            break;
        }
        case 35:
            m.byteFallback = boolField(r, wire, "trainer_spec.byte_fallback");
            break;
        case 40:
            m.unkId = int32Field(r, wire, "trainer_spec.unk_id");
            break;
        case 41:
            m.bosId = int32Field(r, wire, "trainer_spec.bos_id");
            break;
        case 42:
            m.eosId = int32Field(r, wire, "trainer_spec.eos_id");
            break;
        case 43:
            m.padId = int32Field(r, wire, "trainer_spec.pad_id");
            break;
        default:
            r.skip(wire);
        }
    }
}

void parseNormalizerSpec(std::string_view bytes, SentencePieceModel& m)
{
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [field, wire] = r.tag();
        switch (field) {
        case 1:
            expectWire(wire, 2, "normalizer_spec.name");
            m.normalizerName = r.bytes();
            break;
        case 2:
            expectWire(wire, 2, "normalizer_spec.precompiled_charsmap");
            m.precompiledCharsmap = r.bytes();
            break;
        case 3:
            m.addDummyPrefix = boolField(r, wire, "normalizer_spec.add_dummy_prefix");
            break;
        case 4:
            m.removeExtraWhitespaces = boolField(r, wire, "normalizer_spec.remove_extra_whitespaces");
            break;
        default:
            r.skip(wire);
        }
    }
}

} // namespace

SentencePieceModel parseSentencePieceModel(std::string_view bytes)
{
    SentencePieceModel m;
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [field, wire] = r.tag();
        if (field >= 1 && field <= 3)
            expectWire(wire, 2, field == 1 ? "pieces" : field == 2 ? "trainer_spec" : "normalizer_spec");
        if (field == 1) {
            if (m.pieces.size() > static_cast<std::size_t>(maxTokenId))
                throw TokenizerError("more pieces than any token id may name");
            m.pieces.push_back(parsePiece(r.bytes()));
        } else if (field == 2) {
            parseTrainerSpec(r.bytes(), m);
        } else if (field == 3) {
            parseNormalizerSpec(r.bytes(), m);
        } else {
            r.skip(wire);
        }
    }
    if (m.pieces.empty())
        throw TokenizerError("no pieces (is this a SentencePiece .model file?)");
    const int count = static_cast<int>(m.pieces.size());
    if (m.unkId < 0 || m.unkId >= count)
        throw TokenizerError("trainer_spec.unk_id " + std::to_string(m.unkId) + " is outside the " +
                             std::to_string(count) + " pieces");
    return m;
}

AddedTokens sentencePieceAddedTokens(const SentencePieceModel& model, std::size_t firstPiece,
                                     const std::function<int(const std::string&)>& idOf,
                                     const std::function<const std::string*(int)>& pieceAt,
                                     const std::vector<AddedToken>& configTokens)
{
    // Control and user-defined pieces (by their id in the new order), then the entries of
    // tokenizer_config.json, which say lstrip/rstrip and may add <mask>.
    std::vector<AddedToken> tokens;
    for (std::size_t i = firstPiece; i < model.pieces.size(); ++i) {
        const SentencePieceModel::Piece& p = model.pieces[i];
        const bool control = p.type == SentencePieceModel::PieceType::Control;
        if ((control || p.type == SentencePieceModel::PieceType::UserDefined) && idOf(p.piece) >= 0)
            tokens.push_back({idOf(p.piece), p.piece, control, false, false});
    }
    for (const AddedToken& t : configTokens) {
        const std::string* piece = pieceAt(t.id);
        if (!piece || *piece != t.content)
            throw TokenizerError("tokenizer_config.json names token " + std::to_string(t.id) + " " +
                                 quotedForMessage(t.content) + ", which is not that id in the .model's vocabulary");
        std::erase_if(tokens, [&](const AddedToken& o) { return o.id == t.id; });
        tokens.push_back(t);
    }
    AddedTokens added;
    for (AddedToken& t : tokens)
        added.add(std::move(t));
    return added;
}

std::unique_ptr<Tokenizer> tokenizerFromSentencePiece(const SentencePieceModel& model,
                                                      const SentencePieceLayout& layout)
{
    switch (model.modelType) {
    case SentencePieceModel::ModelType::Unigram:
        return unigramFromSentencePiece(model, layout);
    case SentencePieceModel::ModelType::Bpe:
        return bpeFromSentencePiece(model, layout);
    default:
        throw TokenizerError("SentencePiece model type " + std::to_string(static_cast<int>(model.modelType)) +
                             " (word or char) is not supported; only Unigram and BPE are");
    }
}

} // namespace attnviz
