#include "shell/modelpicker.h"

#include "registry/resourcepaths.h"
#include "shell/localmodelscanner.h"

#include <QAbstractItemView>
#include <QFileInfo>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QTimer>

namespace attnviz {

namespace {

constexpr int kSpecRole = Qt::UserRole;
const QString kOpenItem = QStringLiteral("::open");
const QString kRescanItem = QStringLiteral("::rescan");
constexpr int kMaxLocalNameChars = 48; // the picker widens to its longest item

QStandardItem* lastItem(QComboBox* box)
{
    return qobject_cast<QStandardItemModel*>(box->model())->item(box->count() - 1);
}

void addHeader(QComboBox* box, const QString& text)
{
    box->addItem(text);
    QStandardItem* item = lastItem(box);
    item->setFlags(Qt::NoItemFlags); // a section title, not a choice
    QFont f = item->font();
    f.setBold(true);
    item->setFont(f);
}

// Shown but not choosable (a model AttnViz cannot open, "Scanning…"); the tooltip says why.
void addDisabledItem(QComboBox* box, const QString& text, const QString& toolTip)
{
    box->addItem(text);
    QStandardItem* item = lastItem(box);
    item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
    item->setToolTip(toolTip);
}

QString localItemText(const LocalModel& m)
{
    QString name = QString::fromStdString(m.name);
    if (name.size() > kMaxLocalNameChars)
        name = name.left(kMaxLocalNameChars - 1) + QStringLiteral("…");
    return m.quantisation.empty() ? name : QStringLiteral("%1 · %2").arg(name, QString::fromStdString(m.quantisation));
}

} // namespace

ModelPicker::ModelPicker(QWidget* parent) : QComboBox(parent), m_scanner(new LocalModelScanner(this))
{
    setToolTip(tr("The model to run: built-in models, lessons with hand-made matrices, GGUF models of Ollama, "
                  "LM Studio and the Hugging Face cache, or a model you opened (Ctrl+O opens a GGUF file, a "
                  "llama2.c .bin, a lesson .json or an attention file; Ctrl+Shift+O a Hugging Face folder)"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(18);
    connect(this, &QComboBox::activated, this, &ModelPicker::onActivated);
    connect(m_scanner, &LocalModelScanner::scanStarted, this, &ModelPicker::onLocalModelsChanged);
    connect(m_scanner, &LocalModelScanner::scanFinished, this, &ModelPicker::onLocalModelsChanged);
    QTimer::singleShot(0, this, [this]() {
        if (!m_scanner->hasScanned() && !m_scanner->isScanning())
            m_scanner->rescan();
    });
    rebuild();
}

QString ModelPicker::nameOf(const QString& spec) const
{
    for (const LocalModel& m : m_scanner->models()) {
        if (QString::fromStdString(m.path) == spec)
            return QString::fromStdString(m.name);
    }
    return displayName(spec);
}

void ModelPicker::onLocalModelsChanged()
{
    // Rebuilding under the user's pointer would move the items while they choose.
    if (view()->isVisible())
        m_rebuildAfterPopup = true;
    else
        rebuild();
}

void ModelPicker::hidePopup()
{
    QComboBox::hidePopup();
    if (m_rebuildAfterPopup) {
        m_rebuildAfterPopup = false;
        rebuild();
    }
}

void ModelPicker::rescanLocalModels()
{
    m_scanner->rescan();
}

QString ModelPicker::localModelToolTip(const LocalModel& m)
{
    QStringList lines{QString::fromStdString(m.name),
                      tr("Architecture: %1").arg(m.architecture.empty() ? tr("unknown") : QString::fromStdString(m.architecture)),
                      tr("Quantisation: %1").arg(m.quantisation.empty() ? tr("unknown") : QString::fromStdString(m.quantisation)),
                      tr("Size: %1").arg(QString::fromStdString(humanBytes(m.bytes))),
                      tr("Source: %1").arg(QString::fromStdString(m.source)),
                      tr("Path: %1").arg(QString::fromStdString(m.path))};
    if (!m.supported)
        lines << tr("Cannot be opened: %1").arg(QString::fromStdString(m.problem));
    return lines.join(QLatin1Char('\n'));
}

QString ModelPicker::displayName(const QString& spec)
{
    if (spec.startsWith(QLatin1String("builtin:")))
        return spec.mid(8);
    if (spec.startsWith(QLatin1String("lesson:")))
        return tr("Lesson: %1").arg(spec.mid(7));
    const QFileInfo info(spec);
    if (info.suffix() == QLatin1String("json"))
        return tr("Lesson: %1").arg(info.completeBaseName());
    return info.fileName().isEmpty() ? spec : info.fileName();
}

void ModelPicker::setRecent(const QStringList& specs)
{
    m_recent = specs;
    rebuild();
}

void ModelPicker::setCurrentSpec(const QString& spec)
{
    m_current = spec;
    const bool builtin = spec.startsWith(QLatin1String("builtin:")) || spec.startsWith(QLatin1String("lesson:"));
    if (!builtin && !spec.isEmpty()) {
        m_recent.removeAll(spec);
        m_recent.prepend(spec);
        while (m_recent.size() > 8)
            m_recent.removeLast();
    }
    rebuild();
}

void ModelPicker::rebuild()
{
    const QSignalBlocker blocker(this);
    clear();
    const auto models = builtinModelNames();
    if (!models.empty()) {
        addHeader(this, tr("Built-in models"));
        for (const auto& name : models)
            addItem(QString::fromStdString(name), QStringLiteral("builtin:") + QString::fromStdString(name));
    }
    const auto lessons = builtinLessonNames();
    if (!lessons.empty()) {
        addHeader(this, tr("Lessons"));
        for (const auto& name : lessons) {
            addItem(tr("Lesson: %1").arg(QString::fromStdString(name)),
                    QStringLiteral("lesson:") + QString::fromStdString(name));
        }
    }
    if (!m_recent.isEmpty()) {
        addHeader(this, tr("Recently opened"));
        for (const QString& spec : m_recent) {
            addItem(nameOf(spec), spec);
            setItemData(count() - 1, spec, Qt::ToolTipRole);
        }
    }
    addLocalModels();
    insertSeparator(count());
    addItem(tr("Open model…"), kOpenItem);
    int index = findData(m_current, kSpecRole);
    if (index < 0 && !m_current.isEmpty()) {
        // A spec given as a path to a shipped lesson still shows as that lesson.
        addItem(nameOf(m_current), m_current);
        index = count() - 1;
    }
    setCurrentIndex(index);
}

void ModelPicker::addLocalModels()
{
    addHeader(this, tr("Local models"));
    const auto& models = m_scanner->models();
    if (m_scanner->isScanning() && models.empty()) {
        addDisabledItem(this, tr("Scanning…"), tr("Looking for the GGUF models of Ollama, LM Studio and the Hugging Face cache"));
    } else if (models.empty()) {
        QStringList places;
        for (const ModelRoot& r : m_scanner->roots())
            places << QStringLiteral("%1 (%2)").arg(QString::fromStdString(r.path), QString::fromUtf8(modelStoreName(r.store)));
        addDisabledItem(this, tr("No GGUF models found"), tr("Looked in:\n%1").arg(places.join(QLatin1Char('\n'))));
    }
    for (const LocalModel& m : models) {
        const QString path = QString::fromStdString(m.path);
        if (m.supported) {
            addItem(localItemText(m), path);
            setItemData(count() - 1, localModelToolTip(m), Qt::ToolTipRole);
        } else {
            addDisabledItem(this, localItemText(m), localModelToolTip(m));
        }
    }
    addItem(m_scanner->isScanning() ? tr("Rescan local models (scanning…)") : tr("Rescan local models"), kRescanItem);
    setItemData(count() - 1, tr("Look again for GGUF models in Ollama, LM Studio and the Hugging Face cache"),
                Qt::ToolTipRole);
}

void ModelPicker::onActivated(int index)
{
    const QString spec = itemData(index, kSpecRole).toString();
    if (spec == kRescanItem) {
        setCurrentIndex(findData(m_current, kSpecRole));
        rescanLocalModels();
        return;
    }
    if (spec == kOpenItem) {
        setCurrentIndex(findData(m_current, kSpecRole)); // stay on the current model until one is chosen
        emit openRequested();
        return;
    }
    if (!spec.isEmpty() && spec != m_current)
        emit modelChosen(spec);
}

} // namespace attnviz
