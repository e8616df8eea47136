// "Follow one query" in the pipeline view, on the built-in decoder and on lessons: the followed
// row's numbers against the capture, which keys and entries a long list shows, the default mode
// per kind of input and that a choice is remembered, the shared colour scales, zoom, the stage
// stepper and the next-token prediction. With ATTNVIZ_GALLERY set, saves the pictures there.

#include "export/viewstylescope.h"
#include "views/numberformat.h"
#include "views/pipeline/followedquery.h"
#include "views/pipeline/pipelinestepper.h"
#include "views/pipeline/pipelinepaint.h"
#include "views/pipeline/pipelinestage.h"
#include "views/pipeline/pipelineview.h"
#include "state/selectionstate.h"
#include "viewtestdata.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

#include <numeric>

using namespace attnviz;

namespace {

const char* sentence = "The animal didn't cross the street because it was too tired.";

std::shared_ptr<const AttentionResult> decoder(int layer = 2, int head = 1)
{
    RunRequest request;
    request.text = sentence;
    request.pipelineHead = std::make_pair(layer, head);
    return openModel("builtin:decoder")->run(request);
}

// The built-in translator with the pipeline on one of its stacks (0 encoder, 1 decoder, 2 cross).
std::shared_ptr<const AttentionResult> translator(int stack)
{
    RunRequest request;
    request.text = "the red car is fast";
    request.pipelineStack = stack;
    request.pipelineHead = std::make_pair(1, 0);
    return openModel("builtin:translator")->run(request);
}

void shape(SelectionState& selection, const AttentionResult& r)
{
    const auto& a = r.stacks.front().attention;
    selection.setShape(int(r.stacks.size()), a.layers, a.heads, a.queries, a.keys);
}

// A pipeline view of the built-in decoder's result at `size`, on fresh settings (the view reads
// its remembered mode when it is made).
struct DecoderPipeline
{
    explicit DecoderPipeline(QSize size = {})
    {
        shape(selection, *result);
        view.setResult(result);
        if (size.isValid())
            view.resize(size);
    }
    bool freshSettings = (QSettings().clear(), true);
    SelectionState selection;
    std::shared_ptr<const AttentionResult> result = decoder();
    PipelineView view{&selection};
};

// Where `cell` of the follow picture lands in the view's image.
QPoint pixelOf(const PipelineView::Fitted& f, const QRectF& cell, QPointF within = {3, 3})
{
    return ((PipelineView::followOrigin() + cell.topLeft() + within) * f.scale).toPoint();
}

// The picture in 256 colours for the README's small PNG files: colours are grouped by their top
// five bits per channel (anti-aliased text falls into a few groups) and each group offers its most
// used colour, so the cells keep theirs rather than a dithered colour cube's.
QImage withCommonColours(const QImage& image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) ++counts[image.pixel(x, y)];
    struct Group
    {
        int total = 0;
        int best = 0;
        QRgb colour = 0;
    };
    QHash<int, Group> groups;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const QRgb c = it.key();
        Group& g = groups[(qRed(c) >> 3) << 10 | (qGreen(c) >> 3) << 5 | (qBlue(c) >> 3)];
        g.total += it.value();
        if (it.value() > g.best) {
            g.best = it.value();
            g.colour = c;
        }
    }
    std::vector<std::pair<int, QRgb>> byUse;
    for (const Group& g : groups) byUse.emplace_back(g.total, g.colour);
    std::sort(byUse.begin(), byUse.end(), std::greater<>());
    // Most used first, skipping colours close to one already taken, so a rare but distinct colour
    // (the legend's yellow end) gets a place.
    auto close = [](QRgb a, QRgb b) {
        return std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)), std::abs(qBlue(a) - qBlue(b))}) < 10;
    };
    QList<QRgb> table;
    for (const auto& entry : byUse) {
        if (table.size() == 256) break;
        const QRgb colour = entry.second;
        if (std::none_of(table.cbegin(), table.cend(), [&close, colour](QRgb t) { return close(t, colour); }))
            table << colour;
    }
    return image.convertToFormat(QImage::Format_Indexed8, table, Qt::ThresholdDither);
}

} // namespace

class TestPipelineFollow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("AttnVizPipelineTest"));
        QSettings().clear();
    }

    void followedRowMatchesTheCapture()
    {
        const auto result = decoder();
        QVERIFY(result->pipeline.has_value());
        const PipelineCapture& p = *result->pipeline;
        const HeadCapture& h = p.capture;
        const int query = 5;
        const FollowedQuery f = followQuery(p, query, 30);
        QCOMPARE(f.query, query);
        QVERIFY(!f.lastByDefault);
        QCOMPARE(f.keyCount(), int(h.weights.cols()));
        const double rootDk = std::sqrt(double(h.q.cols()));
        QVERIFY(h.scaledByRootDk);
        double weightSum = 0.0, shareSum = 0.0;
        for (int j = 0; j < f.keyCount(); ++j) {
            const auto js = std::size_t(j);
            QCOMPARE(f.scores[js], h.scores(query, j));
            QVERIFY(std::abs(double(f.scaled[js]) - double(f.scores[js]) / rootDk) < 1e-5);
            QCOMPARE(bool(f.allowed[js]), j <= query); // causal
            weightSum += f.weights[js];
            shareSum += f.shares[js];
            // Each share is ‖a_ij·v_j‖ over the total.
            QCOMPARE(f.shares[js] > 0.0f, f.weights[js] > 0.0f);
        }
        QVERIFY(std::abs(weightSum - 1.0) < 1e-5);
        QVERIFY(std::abs(shareSum - 1.0) < 1e-5);
        // q_i and o_i are the capture's rows; o_i is the sum of the terms.
        QCOMPARE(f.q, Matrix(h.q.row(query)));
        Matrix sum = Matrix::Zero(1, h.v.cols());
        for (int j = 0; j < f.keyCount(); ++j) sum += f.term(j);
        QVERIFY((sum - f.output).cwiseAbs().maxCoeff() < 1e-5);
    }

    void noQueryFollowsTheLastToken()
    {
        const auto result = decoder();
        const FollowedQuery f = followQuery(*result->pipeline, -1, 30);
        QVERIFY(f.lastByDefault);
        QCOMPARE(f.query, int(result->tokens.size()) - 1);
    }

    void longKeyListsShowTheStrongest()
    {
        std::vector<float> w(300);
        for (int j = 0; j < 300; ++j) w[std::size_t(j)] = float((j * 37) % 101) / 1000.0f;
        const std::vector<int> shown = keysToShow(w, 12);
        QCOMPARE(shown.size(), std::size_t(12));
        QCOMPARE(shown.front(), 0);
        QCOMPARE(shown.back(), 299);
        QVERIFY(std::is_sorted(shown.begin(), shown.end()));
        // The 10 others are the 10 largest weights among keys 1..298.
        std::vector<float> middle(w.begin() + 1, w.end() - 1);
        std::sort(middle.begin(), middle.end(), std::greater<>());
        const float tenth = middle[9];
        for (std::size_t s = 1; s + 1 < shown.size(); ++s) QVERIFY(w[std::size_t(shown[s])] >= tenth);
        // Short lists are shown whole.
        QCOMPARE(keysToShow(std::vector<float>(7, 0.1f), 12).size(), std::size_t(7));
    }

    void longVectorsShowFirstAndLargest()
    {
        std::vector<float> v(64, 0.01f);
        v[40] = -9.0f;
        v[10] = 5.0f;
        v[63] = 4.0f;
        const std::vector<int> shown = entriesToShow({v.data()}, 64, 2, 3);
        QCOMPARE(shown, (std::vector<int>{0, 1, 10, 40, 63}));
        QCOMPARE(entriesToShow({v.data()}, 5, 2, 3), (std::vector<int>{0, 1, 2, 3, 4}));
    }

    void modeDefaultsAndIsRemembered()
    {
        DecoderPipeline fixture;
        SelectionState& selection = fixture.selection;
        const auto& model = fixture.result;
        PipelineView& view = fixture.view;
        QVERIFY(!view.showsSmallInput());
        QCOMPARE(view.mode(), PipelineView::Mode::FollowQuery);
        const auto lesson = testdata::lesson("two-heads-causal");
        view.setResult(lesson);
        QVERIFY(view.showsSmallInput());
        QCOMPARE(view.mode(), PipelineView::Mode::Matrices);
        // A choice made for models is kept for models (in a new view too) and leaves lessons alone.
        view.setResult(model);
        view.setMode(PipelineView::Mode::Matrices);
        PipelineView again(&selection);
        again.setResult(model);
        QCOMPARE(again.mode(), PipelineView::Mode::Matrices);
        again.setResult(lesson);
        QCOMPARE(again.mode(), PipelineView::Mode::Matrices);
        again.setMode(PipelineView::Mode::FollowQuery);
        PipelineView third(&selection);
        third.setResult(lesson);
        QCOMPARE(third.mode(), PipelineView::Mode::FollowQuery);
        QSettings().clear();
    }

    // Scores and scaled scores share one scale: the scaled cell is the colour of score ÷ √d_k on
    // the scores' scale, so it is paler by the factor.
    void scoresShareOneScale()
    {
        DecoderPipeline fixture;
        SelectionState& selection = fixture.selection;
        PipelineView& view = fixture.view;
        selection.setQueryToken(6);
        const QSize size(1920, 1080);
        const PipelineView::Fitted f = view.fit(QRectF(QPointF(), QSizeF(size)));
        QVERIFY(f.follow.has_value());
        const FollowQueryPicture& picture = *f.follow;
        const FollowedQuery& q = picture.followed();
        float largest = 0.0f;
        for (int j = 0; j <= 6; ++j) largest = std::max(largest, std::abs(q.scores[std::size_t(j)]));
        QCOMPARE(picture.scales().scores, std::max(1.0f, largest));
        const QImage image = view.renderImage(size);
        for (int s = 0; s < int(q.shownKeys.size()); ++s) {
            const int j = q.shownKeys[std::size_t(s)];
            const QColor scaled = image.pixelColor(pixelOf(f, picture.cellRect(FollowQueryPicture::Scaled, s)));
            QCOMPARE(scaled.rgb(), picture.scales().rgb(ScaleKind::Scores, q.scaled[std::size_t(j)]));
            const QColor weight = image.pixelColor(pixelOf(f, picture.cellRect(FollowQueryPicture::Softmax, s)));
            QCOMPARE(weight.rgb(), picture.scales().rgb(ScaleKind::Probabilities, q.weights[std::size_t(j)]));
        }
    }

    void zoomChangesTheCellSize()
    {
        DecoderPipeline fixture(QSize(1920, 1080));
        PipelineView& view = fixture.view;
        const QRectF target(0, 0, 1920, 1080);
        const qreal before = view.fit(target).scale;
        QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 1.2);
        QVERIFY(view.fit(target).scale > before * 1.1);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(view.fit(target).scale < before);
        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 1.0);
        QCOMPARE(view.fit(target).scale, before);
        // Matrices too: the cells drawn grow with the zoom.
        view.setMode(PipelineView::Mode::Matrices);
        const qreal matrices = view.fit(target).scale;
        view.zoomBy(2);
        QVERIFY(view.fit(target).scale > matrices * 1.3);
        QSettings().clear();
    }

    void stepperCountsAndClamps()
    {
        PipelineStepper s;
        s.setStageCount(3);
        QVERIFY(s.showsAll());
        s.next();
        QCOMPARE(s.current(), 0);
        QVERIFY(s.revealed(0) && !s.revealed(1));
        s.next();
        s.next();
        s.next();
        QCOMPARE(s.current(), 2);
        s.previous();
        QCOMPARE(s.current(), 1);
        s.showAll();
        s.previous();
        QCOMPARE(s.current(), 2);
        s.setStageCount(2);
        QCOMPARE(s.current(), 1);
    }

    // Next reveals the stages in order, with their sentence; the cells of a stage not yet
    // revealed stay blank.
    void stepperRevealsStagesInOrder()
    {
        DecoderPipeline fixture;
        SelectionState& selection = fixture.selection;
        const auto& result = fixture.result;
        PipelineView& view = fixture.view;
        selection.setQueryToken(int(result->tokens.size()) - 1);
        const QSize size(1920, 1080);
        const QColor base = view.palette().color(QPalette::Base);
        QCOMPARE(view.stageCount(), int(FollowQueryPicture::StageCount)); // with the prediction
        QVERIFY(view.stageExplanation().startsWith(QStringLiteral("One query's path")));
        for (int stage = 0; stage < view.stageCount(); ++stage) {
            QTest::keyClick(&view, Qt::Key_Period);
            QCOMPARE(view.stepper().current(), stage);
            QVERIFY(view.stageExplanation().startsWith(QStringLiteral("Stage %1 of %2: ").arg(stage + 1).arg(view.stageCount())));
            QVERIFY(view.stageExplanation().endsWith(FollowQueryPicture::stageExplanation(stage, true)));
            if (stage < FollowQueryPicture::Keys) continue;
            // The table's columns appear one by one: this stage's first cell is drawn, the next one's is not.
            const PipelineView::Fitted f = view.fit(QRectF(QPointF(), QSizeF(size)));
            const QImage image = view.renderImage(size);
            auto drawn = [&](int column) {
                return image.pixelColor(pixelOf(f, f.follow->cellRect(FollowQueryPicture::Stage(column), 0), {20, 2})) != base;
            };
            if (stage <= FollowQueryPicture::Sum) QVERIFY2(drawn(stage), qPrintable(QString::number(stage)));
            if (stage < FollowQueryPicture::Sum) QVERIFY2(!drawn(stage + 1), qPrintable(QString::number(stage)));
        }
        QTest::keyClick(&view, Qt::Key_Comma);
        QCOMPARE(view.stepper().current(), view.stageCount() - 2);
        view.showAllStages();
        QVERIFY(view.stepper().showsAll());
    }

    // Past attention: the residual add and the MLP, as the core captured them, for a decoder;
    // a lesson has no block after attention, and its stepper skips those stages.
    void followsTheTokenThroughTheBlock()
    {
        QSettings().clear();
        const auto result = decoder();
        const PipelineCapture& p = *result->pipeline;
        QVERIFY(p.blockOutput.size() > 0);
        const FollowedQuery f = followQuery(p, 4, 30);
        QVERIFY(f.hasBlock());
        QVERIFY(!f.normAfterAdd); // GPT-2 is pre-norm: the row's sums are plain sums
        QCOMPARE(f.residual, Matrix(p.residual.row(4)));
        QCOMPARE(f.mlp, Matrix(p.mlpOutput.row(4)));
        QVERIFY((f.afterAttention + f.mlp - f.blockOutput).cwiseAbs().maxCoeff() < 1e-4f);
        SelectionState selection;
        shape(selection, *result);
        selection.setQueryToken(4);
        PipelineView view(&selection);
        view.setResult(result);
        const auto stages = view.fit(QRectF(0, 0, 1920, 1080)).follow->stages();
        QVERIFY(std::find(stages.begin(), stages.end(), FollowQueryPicture::Residual) != stages.end());
        QVERIFY(std::find(stages.begin(), stages.end(), FollowQueryPicture::Mlp) != stages.end());
        // The stream's own scale covers the block's numbers, whatever the head's vectors are.
        QVERIFY(view.fit(QRectF(0, 0, 1920, 1080)).follow->scales().stream >= f.blockOutput.cwiseAbs().maxCoeff());

        const auto lesson = testdata::lesson("two-heads-causal");
        SelectionState small;
        shape(small, *lesson);
        PipelineView lessonView(&small);
        lessonView.setResult(lesson);
        lessonView.setMode(PipelineView::Mode::FollowQuery);
        QVERIFY(!followQuery(*lesson->pipeline, 1, 30).hasBlock());
        QCOMPARE(lessonView.stageCount(), int(FollowQueryPicture::Sum) + 1);
        QSettings().clear();
    }

    // A translator's stacks have the block row too: after a cross-attention head the MLP, after a
    // decoder self-attention head cross-attention and the MLP together, said in its title.
    void translatorsFollowTheTokenThroughTheBlock()
    {
        QSettings().clear();
        for (int stack : {0, 1, 2}) {
            const auto result = translator(stack);
            const FollowedQuery f = followQuery(*result->pipeline, 1, 30);
            QVERIFY2(f.hasBlock(), qPrintable(QString::number(stack)));
            QCOMPARE(f.restLabel.contains(QStringLiteral("cross-attention")), stack == 1);
            QVERIFY(f.normAfterAdd); // BART: each sum is normalised, and the row says so
            if (stack == 0) { // and BERT's post-norm encoder says the same
                RunRequest bert;
                bert.text = "the red car is fast";
                bert.pipelineHead = std::make_pair(1, 0);
                QVERIFY(followQuery(*openModel("builtin:encoder")->run(bert)->pipeline, 1, 30).normAfterAdd);
            }
            SelectionState selection;
            shape(selection, *result);
            selection.setStack(stack);
            selection.setQueryToken(1);
            PipelineView view(&selection);
            view.setResult(result);
            view.setMode(PipelineView::Mode::FollowQuery);
            const auto follow = view.fit(QRectF(0, 0, 1920, 1080)).follow;
            const auto stages = follow->stages();
            QVERIFY(std::find(stages.begin(), stages.end(), FollowQueryPicture::Mlp) != stages.end());
            // The labels are the tokens of this stack: the encoder's queries and keys are the source
            // sentence, the decoder's self-attention keys the target, cross-attention's keys the source.
            const AttentionStack& s = result->stacks[std::size_t(stack)];
            const auto label = [](const Token& t) { return QString::fromStdString(t.display).trimmed(); };
            QCOMPARE(follow->inputs().queryLabel, label(queryTokensOf(*result, s)[1]));
            const auto& keys = keyTokensOf(*result, s);
            QCOMPARE(follow->inputs().keyLabels.size(), qsizetype(keys.size()));
            for (std::size_t j = 0; j < keys.size(); ++j) QCOMPARE(follow->inputs().keyLabels[qsizetype(j)], label(keys[j]));
            // Only cross-attention computes K and V from a second sentence.
            const auto columns = buildPipelineColumns(*result->pipeline, pipelineAttendsToSource(*result));
            const bool fromSource = std::any_of(columns.begin(), columns.end(), [](const PipelineColumn& c) {
                return std::any_of(c.stages.begin(), c.stages.end(),
                                   [](const PipelineStage& st) { return st.title == QStringLiteral("K = X_source·W_K"); });
            });
            QCOMPARE(fromSource, stack == 2);
        }
        // The check can tell: the translator's target tokens are not its source tokens.
        const auto r = translator(0);
        QVERIFY(!std::equal(r->tokens.begin(), r->tokens.end(), r->sourceTokens.begin(), r->sourceTokens.end(),
                            [](const Token& a, const Token& b) { return a.display == b.display; }));
        QSettings().clear();
    }

    void lastTokenShowsTheNextTokenPrediction()
    {
        QSettings().clear();
        SelectionState selection;
        const auto result = decoder();
        QVERIFY(!result->nextToken.empty());
        shape(selection, *result);
        PipelineView view(&selection);
        view.setResult(result);
        const QRectF target(0, 0, 1920, 1080);
        QVERIFY(view.fit(target).follow->hasPrediction());
        QCOMPARE(view.fit(target).follow->followed().query, int(result->tokens.size()) - 1);
        selection.setQueryToken(2);
        QVERIFY(view.fit(target).follow->hasPrediction()); // says where to look instead
    }

    // A long input keeps one screen: the picture fits 1280×800 and 1920×1080 whole, showing the
    // strongest keys and saying how many are hidden.
    void longInputsFitOneScreen()
    {
        QSettings().clear();
        for (const auto& result : {decoder(), testdata::withPipeline(testdata::synthetic(1, 2, 300))}) {
            SelectionState selection;
            shape(selection, *result);
            PipelineView view(&selection);
            view.setResult(result);
            QCOMPARE(view.mode(), PipelineView::Mode::FollowQuery);
            for (const QSizeF size : {QSizeF(1280, 800), QSizeF(1920, 1080)}) {
                const PipelineView::Fitted f = view.fit(QRectF(QPointF(), size));
                QVERIFY(f.layout.contentSize.width() * f.scale <= size.width() + 0.5);
                QVERIFY(f.layout.contentSize.height() * f.scale <= size.height() + 0.5);
                QVERIFY2(f.scale >= 0.75, qPrintable(QStringLiteral("%1 at %2x%3, %4 keys").arg(f.scale).arg(size.width()).arg(size.height()).arg(f.follow->followed().keyCount()))); // and stays readable
                const FollowedQuery& q = f.follow->followed();
                QCOMPARE(q.hiddenKeys, q.keyCount() - int(q.shownKeys.size()));
                if (q.keyCount() == 300) QVERIFY(q.hiddenKeys > 250);
            }
        }
    }

    void clickingAKeyRowFollowsIt()
    {
        DecoderPipeline fixture(QSize(1280, 800));
        SelectionState& selection = fixture.selection;
        PipelineView& view = fixture.view;
        const PipelineView::Fitted f = view.fit(QRectF(view.rect()));
        const auto& shown = f.follow->followed().shownKeys;
        const int row = int(std::find(shown.begin(), shown.end(), 3) - shown.begin());
        QVERIFY(row < int(shown.size()));
        QTest::mouseClick(&view, Qt::LeftButton, {}, pixelOf(f, f.follow->cellRect(FollowQueryPicture::Scores, row)));
        QCOMPARE(selection.queryToken(), 3);
        QCOMPARE(view.fit(QRectF(view.rect())).follow->followed().query, 3);
    }

    // Presentation's large type (the view's font over the application's) scales the picture.
    void textScaleGrowsThePicture()
    {
        DecoderPipeline fixture;
        PipelineView& view = fixture.view;
        const QRectF target(0, 0, 4000, 3000); // room enough that nothing has to shrink
        const qreal normal = view.fit(target).scale;
        QFont large = view.font();
        large.setPointSizeF(QApplication::font().pointSizeF() * 2);
        view.setFont(large);
        QCOMPARE(view.textScale(), 2.0);
        QVERIFY(std::abs(view.fit(target).scale - 2 * normal) < 1e-9);
    }

    // The tooltip of a key's vector gives every entry, not only the ones drawn.
    void tooltipGivesEveryValue()
    {
        DecoderPipeline fixture;
        const auto& result = fixture.result;
        PipelineView& view = fixture.view;
        const PipelineView::Fitted f = view.fit(QRectF(0, 0, 1920, 1080));
        const FollowQueryPicture& picture = *f.follow;
        const int key = picture.followed().shownKeys[1];
        const QString tip = picture.tooltipAt(picture.cellRect(FollowQueryPicture::Keys, 1).center());
        const Matrix& k = result->pipeline->capture.k;
        QVERIFY2(tip.contains(QStringLiteral("#%1").arg(key)), qPrintable(tip));
        for (Index d = 0; d < k.cols(); ++d) {
            const float v = k(key, d);
            const QString entry = QStringLiteral("%1:%2").arg(d).arg(formatNumber(double(v), std::abs(v) < 10 ? 2 : 1));
            QVERIFY2(tip.contains(entry), qPrintable(entry));
        }
        const QString scaled = picture.tooltipAt(picture.cellRect(FollowQueryPicture::Scaled, 1).center());
        QVERIFY2(scaled.contains(QStringLiteral("÷ √d_k")), qPrintable(scaled));
    }

    // The segmented control switches the mode, and the choice is what a new view starts in.
    void modeButtonsSwitchAndRemember()
    {
        DecoderPipeline fixture;
        PipelineView& view = fixture.view;
        QToolButton* matrices = nullptr;
        for (QToolButton* b : view.findChildren<QToolButton*>())
            if (b->text() == QStringLiteral("Matrices")) matrices = b;
        QVERIFY(matrices != nullptr);
        QVERIFY(!matrices->isChecked());
        matrices->click();
        QCOMPARE(view.mode(), PipelineView::Mode::Matrices);
        QVERIFY(matrices->isChecked());
        QVERIFY(!view.fit(QRectF(0, 0, 1280, 800)).follow.has_value());
        QCOMPARE(QSettings().value(PipelineView::modeSettingsKey(false)).toString(), QStringLiteral("matrices"));
        QSettings().clear();
    }

    void gallery()
    {
        const QString dir = qEnvironmentVariable("ATTNVIZ_GALLERY");
        if (dir.isEmpty()) QSKIP("ATTNVIZ_GALLERY not set");
        QDir().mkpath(dir);
        QSettings().clear();
        struct Shot
        {
            QString name;
            std::shared_ptr<const AttentionResult> result;
            int query;
            int steps; // Next presses
            PipelineView::Mode mode = PipelineView::Mode::FollowQuery;
        };
        const std::vector<Shot> shots = {{QStringLiteral("decoder"), decoder(), -1, 0},
                                         {QStringLiteral("decoder-q7"), decoder(), 7, 0},
                                         {QStringLiteral("stepper"), decoder(), -1, 5},
                                         {QStringLiteral("long"), testdata::withPipeline(testdata::synthetic(1, 2, 300)), 150, 0},
                                         {QStringLiteral("lesson"), testdata::lesson("two-heads-causal"), 2, 0},
                                         {QStringLiteral("matrices-lesson"), testdata::lesson("two-heads-causal"), 2, 0,
                                          PipelineView::Mode::Matrices},
                                         {QStringLiteral("matrices-decoder"), decoder(), 3, 0, PipelineView::Mode::Matrices},
                                         {QStringLiteral("translator-decoder"), translator(1), 2, 0}};
        for (const Shot& shot : shots) {
            for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
                for (const ExportTheme theme : {ExportTheme::Light, ExportTheme::Dark}) {
                    SelectionState selection;
                    shape(selection, *shot.result);
                    selection.setStack(shot.result->pipeline->stack);
                    selection.setQueryToken(shot.query);
                    PipelineView view(&selection);
                    view.setPalette(ViewStyleScope::palette(theme));
                    view.setResult(shot.result);
                    view.setMode(shot.mode);
                    for (int step = 0; step < shot.steps; ++step) view.nextStage();
                    const QString file = QStringLiteral("%1/pipeline-%2-%3x%4-%5.png")
                                             .arg(dir, shot.name)
                                             .arg(size.width())
                                             .arg(size.height())
                                             .arg(theme == ExportTheme::Dark ? "dark" : "light");
                    QVERIFY(withCommonColours(view.renderImage(size)).save(file, "PNG", 0));
                }
            }
        }
        QSettings().clear();
    }
};

QTEST_MAIN(TestPipelineFollow)
#include "test_pipelinefollow.moc"
