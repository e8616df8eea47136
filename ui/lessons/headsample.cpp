#include "lessons/headsample.h"

#include "state/computeservice.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFutureWatcher>

namespace attnviz {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("HeadSample", text);
}

} // namespace

std::optional<HeadSample> headSampleOf(const AttentionResult& result, QString* reason)
{
    if (result.model.recorded || !result.pipeline) {
        *reason = tr("This model's maps are not computed here (or its Q/K/V inputs are not captured), so there is "
                     "no head to take apart.");
        return std::nullopt;
    }
    const PipelineCapture& p = *result.pipeline;
    const auto stack = static_cast<std::size_t>(p.stack);
    if (stack >= result.stacks.size() || result.stacks[stack].keysFromSource ||
        result.stacks[stack].queriesFromSource || p.source.rows() != p.x.rows() || p.source != p.x) {
        *reason = tr(
            "Only self-attention heads over the typed tokens can become a lesson; this one reads the source sequence.");
        return std::nullopt;
    }
    if (p.x.cols() > LessonLimits::maxDimension || p.wq.cols() > LessonLimits::maxDimension ||
        p.wv.cols() > LessonLimits::maxDimension) {
        *reason = tr("The model is too large for a lesson: d_model %1, d_k %2 (a lesson allows at most %3).")
                      .arg(p.x.cols())
                      .arg(p.wq.cols())
                      .arg(LessonLimits::maxDimension);
        return std::nullopt;
    }
    if (p.x.rows() != static_cast<Index>(result.tokens.size()) || p.capture.mask.rows() != p.x.rows() ||
        p.wq.size() == 0) {
        *reason = tr("The captured head is incomplete.");
        return std::nullopt;
    }
    HeadSample s;
    s.model = result.model.name;
    s.layer = p.layer;
    s.head = p.head;
    for (const Token& t : result.tokens)
        s.tokens.push_back(t.display.empty() ? t.piece : t.display);
    s.x = p.x;
    s.wq = p.wq;
    s.wk = p.wk;
    s.wv = p.wv;
    s.mask = p.capture.mask;
    s.scaled = p.capture.scaledByRootDk;
    return s;
}

std::optional<HeadSample> captureHeadSample(ComputeService& service, const RunRequest& request, QString* reason)
{
    if (!service.hasModel()) {
        *reason = tr("Open a model first.");
        return std::nullopt;
    }
    auto result = std::make_shared<std::shared_ptr<AttentionResult>>();
    auto error = std::make_shared<std::string>();
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(service.runOnModelThread([request, result, error](const AttentionModel& model) {
        try {
            *result = model.run(request);
        } catch (const std::exception& e) {
            *error = e.what();
        }
    }));
    if (!watcher.isFinished())
        loop.exec();
    if (!*result) {
        *reason = error->empty() ? tr("The model gave no result.") : QString::fromStdString(*error);
        return std::nullopt;
    }
    return headSampleOf(**result, reason);
}

} // namespace attnviz
