#include "export/exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace attnviz {

namespace {
const QString kGroup = QStringLiteral("export/");
} // namespace

ExportDialog::ExportDialog(Mode mode, QWidget* parent) : QDialog(parent), m_mode(mode)
{
    setWindowTitle(mode == Mode::View ? tr("Export View") : tr("Export All Heads"));
    auto* form = new QFormLayout(this);
    if (mode == Mode::Batch) {
        m_scope = new QComboBox(this);
        m_scope->addItem(tr("Every head of the current layer, one file each"));
        m_scope->addItem(tr("Every layer × head, one file each"));
        m_scope->addItem(tr("Handout PDF, one page per layer"));
        form->addRow(tr("&Export:"), m_scope);
        connect(m_scope, &QComboBox::currentIndexChanged, this, &ExportDialog::updateEnabled);
    }
    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG image"), int(ExportFormat::Png));
    m_format->addItem(tr("SVG drawing (vector, editable text)"), int(ExportFormat::Svg));
    m_format->addItem(tr("PDF document (vector)"), int(ExportFormat::Pdf));
    form->addRow(tr("&Format:"), m_format);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateEnabled);

    m_scale = new QDoubleSpinBox(this);
    m_scale->setRange(1.0, 4.0);
    m_scale->setSingleStep(0.5);
    m_scale->setSuffix(QStringLiteral("×"));
    form->addRow(tr("&Scale:"), m_scale);
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(0, 1200);
    m_dpi->setSingleStep(50);
    m_dpi->setSpecialValueText(tr("use the scale"));
    m_dpi->setSuffix(tr(" dpi"));
    form->addRow(tr("or &DPI:"), m_dpi);
    connect(m_dpi, &QSpinBox::valueChanged, this, &ExportDialog::updateEnabled);
    m_transparent = new QCheckBox(tr("&Transparent background"), this);
    form->addRow(QString(), m_transparent);

    if (mode == Mode::Batch) {
        m_autoTitles = new QCheckBox(tr("Title each picture with model, layer, head and mask"), this);
        form->addRow(tr("Title:"), m_autoTitles);
    } else {
        m_title = new QLineEdit(this);
        m_title->setPlaceholderText(tr("none"));
        form->addRow(tr("T&itle:"), m_title);
    }
    m_sentence = new QLineEdit(this);
    m_sentence->setPlaceholderText(tr("none"));
    form->addRow(tr("Se&ntence:"), m_sentence);
    m_legend = new QCheckBox(tr("Colour &legend (where the view has none of its own)"), this);
    form->addRow(QString(), m_legend);
    m_theme = new QComboBox(this);
    m_theme->addItem(tr("Light"), int(ExportTheme::Light));
    m_theme->addItem(tr("Dark"), int(ExportTheme::Dark));
    form->addRow(tr("T&heme:"), m_theme);
    m_fontSize = new QDoubleSpinBox(this);
    m_fontSize->setRange(6.0, 32.0);
    m_fontSize->setSingleStep(1.0);
    m_fontSize->setSuffix(tr(" pt"));
    form->addRow(tr("Font si&ze:"), m_fontSize);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export…"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::accepted, this, &ExportDialog::saveSettings);

    setOptions(savedOptions());
    if (m_scope != nullptr)
        m_scope->setCurrentIndex(QSettings().value(kGroup + QStringLiteral("batchScope"), 0).toInt());
    if (m_autoTitles != nullptr)
        m_autoTitles->setChecked(QSettings().value(kGroup + QStringLiteral("autoTitles"), true).toBool());
    updateEnabled();
}

void ExportDialog::setOptions(const ExportOptions& o)
{
    m_format->setCurrentIndex(m_format->findData(int(o.format)));
    m_scale->setValue(o.scale);
    m_dpi->setValue(o.dpi);
    m_transparent->setChecked(o.transparent);
    if (m_title != nullptr)
        m_title->setText(o.title);
    m_sentence->setText(o.sentence);
    m_legend->setChecked(o.legend);
    m_theme->setCurrentIndex(m_theme->findData(int(o.theme)));
    m_fontSize->setValue(o.fontSize > 0 ? o.fontSize : 10.0);
    updateEnabled();
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.format = batchScope() == BatchScope::Handout ? ExportFormat::Pdf : ExportFormat(m_format->currentData().toInt());
    o.scale = m_scale->value();
    o.dpi = m_dpi->value();
    o.transparent = m_transparent->isChecked();
    o.title = m_title != nullptr ? m_title->text().trimmed() : QString();
    o.sentence = m_sentence->text().trimmed();
    o.legend = m_legend->isChecked();
    o.theme = ExportTheme(m_theme->currentData().toInt());
    o.fontSize = m_fontSize->value();
    return o;
}

ExportDialog::BatchScope ExportDialog::batchScope() const
{
    return m_scope != nullptr ? BatchScope(m_scope->currentIndex()) : BatchScope::LayerHeads;
}

void ExportDialog::setBatchScope(BatchScope scope)
{
    if (m_scope != nullptr)
        m_scope->setCurrentIndex(int(scope));
}

void ExportDialog::setLayerName(const QString& layer)
{
    if (m_scope != nullptr)
        m_scope->setItemText(0, tr("Every head of %1, one file each").arg(layer));
}

bool ExportDialog::automaticTitles() const
{
    return m_autoTitles == nullptr || m_autoTitles->isChecked();
}

void ExportDialog::updateEnabled()
{
    const bool handout = batchScope() == BatchScope::Handout;
    const bool png = !handout && ExportFormat(m_format->currentData().toInt()) == ExportFormat::Png;
    m_format->setEnabled(!handout); // a handout is always one PDF
    m_scale->setEnabled(png && m_dpi->value() == 0);
    m_dpi->setEnabled(png);
}

ExportOptions ExportDialog::savedOptions()
{
    const QSettings s;
    ExportOptions o;
    o.format = ExportOptions::formatFromName(s.value(kGroup + QStringLiteral("format")).toString())
                   .value_or(ExportFormat::Png);
    o.scale = s.value(kGroup + QStringLiteral("scale"), 2.0).toDouble();
    o.dpi = s.value(kGroup + QStringLiteral("dpi"), 0).toInt();
    o.transparent = s.value(kGroup + QStringLiteral("transparent"), false).toBool();
    o.legend = s.value(kGroup + QStringLiteral("legend"), true).toBool();
    o.theme =
        ExportOptions::themeFromName(s.value(kGroup + QStringLiteral("theme")).toString()).value_or(ExportTheme::Light);
    o.fontSize = s.value(kGroup + QStringLiteral("fontSize"), 10.0).toDouble();
    return o;
}

void ExportDialog::saveSettings() const
{
    QSettings s;
    const ExportOptions o = options();
    if (batchScope() != BatchScope::Handout)
        s.setValue(kGroup + QStringLiteral("format"), ExportOptions::suffix(o.format));
    s.setValue(kGroup + QStringLiteral("scale"), o.scale);
    s.setValue(kGroup + QStringLiteral("dpi"), o.dpi);
    s.setValue(kGroup + QStringLiteral("transparent"), o.transparent);
    s.setValue(kGroup + QStringLiteral("legend"), o.legend);
    s.setValue(kGroup + QStringLiteral("theme"), ExportOptions::themeName(o.theme));
    s.setValue(kGroup + QStringLiteral("fontSize"), o.fontSize);
    if (m_scope != nullptr)
        s.setValue(kGroup + QStringLiteral("batchScope"), m_scope->currentIndex());
    if (m_autoTitles != nullptr)
        s.setValue(kGroup + QStringLiteral("autoTitles"), m_autoTitles->isChecked());
}

} // namespace attnviz
