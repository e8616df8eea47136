#pragma once
// The numbers behind the pictures: the attention tensor of a stack (all layers × heads, or one
// layer/head) and, for the pipeline, Q, K, V, scores and weights of the captured head, as CSV
// (tidy, one value per row), JSON (the same attentionJson() as `attnviz-cli attention --json`)
// or NumPy .npy (float32, C order).

#include "engine/attentionresult.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace attnviz {

enum class DataFormat { Csv, Json, Npy };

struct DataFile
{
    QString suffix; // added to the chosen base name: "" for the main file, "-q" for pipeline parts
    QByteArray bytes;
};

class DataExporter
{
public:
    static std::optional<DataFormat> formatForPath(const QString& path);
    static QString suffix(DataFormat format); // "csv", "json", "npy"
    static QString fileFilter();

    // layer/head restrict the output to one layer/head (still four-dimensional).
    // CSV columns: layer,head,query,key,query_token,key_token,weight.
    static QByteArray attentionCsv(const AttentionResult& result, int stack = 0,
                                   std::optional<int> layer = std::nullopt, std::optional<int> head = std::nullopt);
    static QByteArray attentionJson(const AttentionResult& result, int stack = 0,
                                    std::optional<int> layer = std::nullopt, std::optional<int> head = std::nullopt);
    // Shape (layers, heads, queries, keys), or (1, 1, queries, keys) for one head.
    static QByteArray attentionNpy(const AttentionResult& result, int stack = 0,
                                   std::optional<int> layer = std::nullopt, std::optional<int> head = std::nullopt);

    // The pipeline capture: CSV columns matrix,row,col,value (masked scores are -inf); JSON one
    // object with tokens and each matrix as rows (masked scores null); .npy one file per matrix.
    static QList<DataFile> pipeline(const AttentionResult& result, DataFormat format);

    // Writes the attention tensor (or the pipeline capture when `pipeline`) to `path` atomically;
    // pipeline .npy goes to one file per matrix (name-q.npy, name-k.npy, ...). Empty on success.
    static QString exportToFile(const AttentionResult& result, const QString& path, DataFormat format, bool pipeline,
                                bool overwrite, int stack = 0);
    // The paths exportToFile would write.
    static QStringList plannedPaths(const AttentionResult& result, const QString& path, DataFormat format,
                                    bool pipeline);
};

} // namespace attnviz
