#pragma once
// Asks how to export: format, scale or DPI, transparency, title and sentence, legend, theme and
// font size; in batch mode also what to export (heads of this layer, every layer × head, or a
// handout PDF). Choices other than the title and sentence are remembered in QSettings.

#include "export/exportoptions.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace attnviz {

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { View, Batch };
    enum class BatchScope { LayerHeads, AllHeads, Handout };

    explicit ExportDialog(Mode mode, QWidget* parent = nullptr);

    // Fills the fields; title and sentence are taken as given, the rest as remembered defaults.
    void setOptions(const ExportOptions& options);
    ExportOptions options() const;
    BatchScope batchScope() const;
    void setBatchScope(BatchScope scope);
    void setLayerName(const QString& layer); // "layer 2" in the scope's first entry
    bool automaticTitles() const;

    // The remembered options (no title or sentence), as the last accepted dialog left them.
    static ExportOptions savedOptions();
    void saveSettings() const;

private:
    void updateEnabled();

    Mode m_mode;
    QComboBox* m_scope = nullptr;
    QComboBox* m_format = nullptr;
    QDoubleSpinBox* m_scale = nullptr;
    QSpinBox* m_dpi = nullptr;
    QCheckBox* m_transparent = nullptr;
    QCheckBox* m_autoTitles = nullptr;
    QLineEdit* m_title = nullptr;
    QLineEdit* m_sentence = nullptr;
    QCheckBox* m_legend = nullptr;
    QComboBox* m_theme = nullptr;
    QDoubleSpinBox* m_fontSize = nullptr;
};

} // namespace attnviz
