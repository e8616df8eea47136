#include "shell/modelpicker.h"

#include "registry/resourcepaths.h"

#include <QFileInfo>
#include <QSignalBlocker>
#include <QStandardItemModel>

namespace attnviz {

namespace {

constexpr int kSpecRole = Qt::UserRole;
const QString kOpenItem = QStringLiteral("::open");

void addHeader(QComboBox* box, const QString& text)
{
    box->addItem(text);
    auto* model = qobject_cast<QStandardItemModel*>(box->model());
    QStandardItem* item = model->item(box->count() - 1);
    item->setFlags(Qt::NoItemFlags); // a section title, not a choice
    QFont f = item->font();
    f.setBold(true);
    item->setFont(f);
}

} // namespace

ModelPicker::ModelPicker(QWidget* parent) : QComboBox(parent)
{
    setToolTip(tr("The model to run: built-in models, lessons with hand-made matrices, or a model you opened "
                  "(Ctrl+O opens a Hugging Face folder, a llama2.c .bin or a lesson .json)"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(18);
    connect(this, &QComboBox::activated, this, &ModelPicker::onActivated);
    rebuild();
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
            addItem(displayName(spec), spec);
            setItemData(count() - 1, spec, Qt::ToolTipRole);
        }
    }
    insertSeparator(count());
    addItem(tr("Open model…"), kOpenItem);
    int index = findData(m_current, kSpecRole);
    if (index < 0 && !m_current.isEmpty()) {
        // A spec given as a path to a shipped lesson still shows as that lesson.
        addItem(displayName(m_current), m_current);
        index = count() - 1;
    }
    setCurrentIndex(index);
}

void ModelPicker::onActivated(int index)
{
    const QString spec = itemData(index, kSpecRole).toString();
    if (spec == kOpenItem) {
        setCurrentIndex(findData(m_current, kSpecRole)); // stay on the current model until one is chosen
        emit openRequested();
        return;
    }
    if (!spec.isEmpty() && spec != m_current)
        emit modelChosen(spec);
}

} // namespace attnviz
