#include "export/dataexporter.h"

#include "engine/resultjson.h"
#include "export/npywriter.h"
#include "export/safefilewriter.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace attnviz {

namespace {

struct Range
{
    int layerBegin, layerEnd, headBegin, headEnd;
};

const AttentionStack& stackOf(const AttentionResult& result, int stack)
{
    if (stack < 0 || stack >= static_cast<int>(result.stacks.size()))
        throw std::out_of_range("no attention stack to export");
    return result.stacks[static_cast<std::size_t>(stack)];
}

Range rangeOf(const AttentionTensor& a, std::optional<int> layer, std::optional<int> head)
{
    if (layer && (*layer < 0 || *layer >= a.layers)) {
        throw std::out_of_range("layer " + std::to_string(*layer) + " out of range (0.." +
                                std::to_string(a.layers - 1) + ")");
    }
    if (head && (*head < 0 || *head >= a.heads)) {
        throw std::out_of_range("head " + std::to_string(*head) + " out of range (0.." + std::to_string(a.heads - 1) +
                                ")");
    }
    return {layer.value_or(0), layer ? *layer + 1 : a.layers, head.value_or(0), head ? *head + 1 : a.heads};
}

QByteArray csvField(const std::string& text)
{
    // RFC 4180: always quoted, inner quotes doubled; token displays may hold spaces and commas.
    return '"' + QByteArray::fromStdString(text).replace('"', "\"\"") + '"';
}

QByteArray number(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v < 0 ? "-inf" : "inf";
    return QByteArray::number(v, 'g', 9); // float32 round-trips with 9 significant digits
}

std::string tokenText(const std::vector<Token>& tokens, int i)
{
    return i < static_cast<int>(tokens.size()) ? tokens[static_cast<std::size_t>(i)].display : std::to_string(i);
}

struct NamedMatrix
{
    const char* name;
    const Matrix* matrix;
};

std::vector<NamedMatrix> pipelineMatrices(const PipelineCapture& p)
{
    const HeadCapture& c = p.capture;
    return {{"q", &c.q},           {"k", &c.k},           {"v", &c.v},
            {"scores", &c.scores}, {"scaled", &c.scaled}, {"weights", &c.weights}};
}

} // namespace

std::optional<DataFormat> DataExporter::formatForPath(const QString& path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("csv"))
        return DataFormat::Csv;
    if (s == QLatin1String("json"))
        return DataFormat::Json;
    if (s == QLatin1String("npy"))
        return DataFormat::Npy;
    return std::nullopt;
}

QString DataExporter::suffix(DataFormat format)
{
    switch (format) {
    case DataFormat::Csv:
        return QStringLiteral("csv");
    case DataFormat::Json:
        return QStringLiteral("json");
    case DataFormat::Npy:
        return QStringLiteral("npy");
    }
    return {};
}

QString DataExporter::fileFilter()
{
    return QObject::tr("CSV table (*.csv);;JSON (*.json);;NumPy array (*.npy)");
}

QByteArray DataExporter::attentionCsv(const AttentionResult& result, int stack, std::optional<int> layer,
                                      std::optional<int> head)
{
    const AttentionStack& s = stackOf(result, stack);
    const AttentionTensor& a = s.attention;
    const Range r = rangeOf(a, layer, head);
    const auto& keyTokens = keyTokensOf(result, s);
    const auto& queryTokens = queryTokensOf(result, s);
    QByteArray out = "layer,head,query,key,query_token,key_token,weight\n";
    for (int l = r.layerBegin; l < r.layerEnd; ++l) {
        for (int h = r.headBegin; h < r.headEnd; ++h) {
            if (!a.holds(l, h)) continue; // not in the attention file: no rows rather than false zeros
            for (int q = 0; q < a.queries; ++q) {
                for (int k = 0; k < a.keys; ++k) {
                    out += QByteArray::number(l) + ',' + QByteArray::number(h) + ',' + QByteArray::number(q) + ',' +
                           QByteArray::number(k) + ',' + csvField(tokenText(queryTokens, q)) + ',' +
                           csvField(tokenText(keyTokens, k)) + ',' + number(a.at(l, h, q, k)) + '\n';
                }
            }
        }
    }
    return out;
}

QByteArray DataExporter::attentionJson(const AttentionResult& result, int stack, std::optional<int> layer,
                                       std::optional<int> head)
{
    return QByteArray::fromStdString(attnviz::attentionJson(result, stack, layer, head)) + '\n';
}

QByteArray DataExporter::attentionNpy(const AttentionResult& result, int stack, std::optional<int> layer,
                                      std::optional<int> head)
{
    const AttentionTensor& a = stackOf(result, stack).attention;
    const Range r = rangeOf(a, layer, head);
    std::vector<float> values;
    values.reserve(static_cast<std::size_t>(r.layerEnd - r.layerBegin) * (r.headEnd - r.headBegin) * a.queries *
                   a.keys);
    for (int l = r.layerBegin; l < r.layerEnd; ++l) {
        for (int h = r.headBegin; h < r.headEnd; ++h) {
            const float* w = a.head(l, h);
            const std::size_t cells = static_cast<std::size_t>(a.queries) * a.keys;
            if (w == nullptr) // a head the attention file does not hold reads NaN, never a false 0
                values.insert(values.end(), cells, std::numeric_limits<float>::quiet_NaN());
            else
                values.insert(values.end(), w, w + cells);
        }
    }
    return NpyWriter::encode({r.layerEnd - r.layerBegin, r.headEnd - r.headBegin, a.queries, a.keys}, values.data());
}

QList<DataFile> DataExporter::pipeline(const AttentionResult& result, DataFormat format)
{
    if (!result.pipeline)
        throw std::runtime_error("this result has no Q/K/V capture (show the pipeline view first)");
    const PipelineCapture& p = *result.pipeline;
    const auto matrices = pipelineMatrices(p);
    QList<DataFile> files;
    if (format == DataFormat::Npy) {
        for (const auto& [name, m] : matrices) {
            // Eigen matrices here are row-major, so data() is already C order.
            const std::vector<float> values(m->data(), m->data() + m->size());
            files.append(
                {QStringLiteral("-") + QLatin1String(name),
                 NpyWriter::encode({static_cast<int>(m->rows()), static_cast<int>(m->cols())}, values.data())});
        }
        return files;
    }
    if (format == DataFormat::Csv) {
        QByteArray out = "matrix,row,col,value\n";
        for (const auto& [name, m] : matrices) {
            for (Index i = 0; i < m->rows(); ++i) {
                for (Index j = 0; j < m->cols(); ++j) {
                    out += QByteArray(name) + ',' + QByteArray::number(qlonglong(i)) + ',' +
                           QByteArray::number(qlonglong(j)) + ',' + number((*m)(i, j)) + '\n';
                }
            }
        }
        files.append({QString(), out});
        return files;
    }
    QJsonObject root;
    root[QStringLiteral("stack")] = p.stack;
    root[QStringLiteral("layer")] = p.layer;
    root[QStringLiteral("head")] = p.head;
    QJsonArray tokens;
    for (const Token& t : queryTokensOf(result, result.stacks.at(static_cast<std::size_t>(p.stack))))
        tokens.append(QString::fromStdString(t.display));
    root[QStringLiteral("tokens")] = tokens;
    for (const auto& [name, m] : matrices) {
        QJsonArray rows;
        for (Index i = 0; i < m->rows(); ++i) {
            QJsonArray row;
            for (Index j = 0; j < m->cols(); ++j) {
                const double v = (*m)(i, j);
                row.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue()); // −∞ (masked) as null
            }
            rows.append(row);
        }
        root[QLatin1String(name)] = rows;
    }
    files.append({QString(), QJsonDocument(root).toJson(QJsonDocument::Compact) + '\n'});
    return files;
}

QStringList DataExporter::plannedPaths(const AttentionResult& result, const QString& path, DataFormat format,
                                       bool pipeline)
{
    if (!pipeline || format != DataFormat::Npy || !result.pipeline)
        return {path};
    const QFileInfo info(path);
    const QString base = info.dir().filePath(info.completeBaseName());
    QStringList paths;
    for (const auto& m : pipelineMatrices(*result.pipeline))
        paths << base + QLatin1Char('-') + QLatin1String(m.name) + QStringLiteral(".npy");
    return paths;
}

QString DataExporter::exportToFile(const AttentionResult& result, const QString& path, DataFormat format, bool pipeline,
                                   bool overwrite, int stack)
{
    try {
        QList<DataFile> files;
        if (pipeline) {
            files = DataExporter::pipeline(result, format);
        } else if (format == DataFormat::Csv) {
            files.append({QString(), attentionCsv(result, stack)});
        } else if (format == DataFormat::Json) {
            files.append({QString(), attentionJson(result, stack)});
        } else {
            files.append({QString(), attentionNpy(result, stack)});
        }
        const QStringList paths = plannedPaths(result, path, format, pipeline);
        if (!overwrite) {
            for (const QString& p : paths) {
                if (QFileInfo::exists(p))
                    return SafeFileWriter::existsMessage(p);
            }
        }
        for (int i = 0; i < files.size() && i < paths.size(); ++i) {
            const QString error = SafeFileWriter::write(paths[i], files[i].bytes, overwrite);
            if (!error.isEmpty())
                return error;
        }
        return {};
    } catch (const std::exception& e) {
        return QObject::tr("Could not export the data: %1").arg(QString::fromUtf8(e.what()));
    }
}

} // namespace attnviz
