#include "app/gui/stacks/stacks_view.h"

#include "app/gui/capture_session.h"
#include "app/gui/mechanism_text.h"
#include "app/gui/view_registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>
#include <map>

namespace irqlens::gui {
namespace {

const ViewRegistration registration{
    ViewFactory{QStringLiteral("stacks"), QStringLiteral("Stacks"), 30,
                [](CaptureSession* session, QWidget* parent) -> QWidget* {
                    return new StacksView(session, parent);
                }}};

constexpr SpanKind kKinds[] = {SpanKind::HardIrq,   SpanKind::Softirq,   SpanKind::Tasklet,
                               SpanKind::Workqueue, SpanKind::IrqThread, SpanKind::Task,
                               SpanKind::Function};

QString seconds(std::int64_t ns) {
    return QString::number(static_cast<double>(ns) / 1e9, 'f', 6);
}

} // namespace

StacksView::StacksView(CaptureSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildControls());
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildSelectedPanel());
    auto* right = new QSplitter(Qt::Vertical, split);
    model_ = new CallTreeModel(this);
    treeView_ = new QTreeView(right);
    treeView_->setModel(model_);
    treeView_->setUniformRowHeights(true);
    treeView_->header()->setStretchLastSection(false);
    treeView_->header()->setSectionResizeMode(CallTreeModel::Frame, QHeaderView::Stretch);
    flame_ = new FlameGraph(right);
    right->addWidget(treeView_);
    right->addWidget(flame_);
    split->addWidget(right);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    connect(flame_, &FlameGraph::frameClicked, this, [this](const QString& f) {
        search_->setText(f); // highlight every occurrence of the clicked function
    });
    connect(treeView_, &QTreeView::activated, this,
            [this](const QModelIndex& index) { flame_->zoomTo(model_->nodeOf(index)); });
    connectCaptureReload(session_, this, [this] { onCaptureChanged(); });
    connect(session_, &CaptureSession::eventSelected, this, &StacksView::onEventSelected);
    connect(session_, &CaptureSession::spanSelected, this, &StacksView::onSpanSelected);
    onCaptureChanged();
}

QWidget* StacksView::buildControls() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    kind_ = new QComboBox(bar);
    kind_->addItem(tr("All stacks"), -1);
    for (SpanKind k : kKinds) {
        // Interrupt mechanisms by their label and definition (mechanism.h), others by kind.
        const auto mechanism = mechanismOf(k);
        kind_->addItem(mechanism ? labelText(*mechanism)
                                 : QString::fromUtf8(spanKindName(k).data(),
                                                     static_cast<int>(spanKindName(k).size())),
                       static_cast<int>(k));
        if (mechanism) {
            kind_->setItemData(kind_->count() - 1, mechanismTooltip(*mechanism), Qt::ToolTipRole);
        }
    }
    key_ = new QComboBox(bar);
    key_->setMinimumContentsLength(24);
    scope_ = new QComboBox(bar);
    scope_->addItem(tr("stack of the begin event"), static_cast<int>(StackScope::BeginEvent));
    scope_->addItem(tr("stacks inside the span"), static_cast<int>(StackScope::WholeSpan));
    bottomUp_ = new QCheckBox(tr("Bottom-up"), bar);
    filter_ = new QLineEdit(bar);
    filter_->setPlaceholderText(tr("only stacks through function..."));
    filter_->setMinimumWidth(200);
    filter_->setClearButtonEnabled(true);
    search_ = new QLineEdit(bar);
    search_->setPlaceholderText(tr("highlight in flame graph..."));
    search_->setClearButtonEnabled(true);
    summary_ = new QLabel(bar);
    summary_->setMinimumWidth(160);
    for (QWidget* w :
         {static_cast<QWidget*>(new QLabel(tr("Class:"), bar)), static_cast<QWidget*>(kind_),
          static_cast<QWidget*>(key_), static_cast<QWidget*>(scope_),
          static_cast<QWidget*>(bottomUp_), static_cast<QWidget*>(filter_),
          static_cast<QWidget*>(search_), static_cast<QWidget*>(summary_)}) {
        row->addWidget(w);
    }
    row->addStretch();
    connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
        fillKeys();
        rebuild();
    });
    connect(key_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(scope_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(bottomUp_, &QCheckBox::toggled, this, [this] { rebuild(); });
    connect(filter_, &QLineEdit::textChanged, this, [this] { rebuild(); });
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& t) {
        flame_->setSearch(t);
        summary_->setText(tr("%1 stacks").arg(aggregatedStacks()) +
                          (t.isEmpty() ? QString() : tr(", %1 match").arg(flame_->matchedCount())));
    });
    return bar;
}

QWidget* StacksView::buildSelectedPanel() {
    auto* panel = new QWidget(this);
    auto* col = new QVBoxLayout(panel);
    col->setContentsMargins(0, 0, 0, 0);
    title_ = new QLabel(tr("Select an event or span to see its stack"), panel);
    title_->setWordWrap(true);
    frames_ = new QListWidget(panel);
    frames_->setToolTip(tr("Click a frame to keep only the stacks through that function"));
    col->addWidget(title_);
    col->addWidget(frames_, 1);
    connect(frames_, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { setFilter(item->data(Qt::UserRole).toString()); });
    return panel;
}

void StacksView::onCaptureChanged() {
    const auto& capture = session_->current();
    index_.reset();
    names_.reset();
    if (capture && capture->store) {
        index_ = std::make_unique<StackIndex>(*capture->store);
        names_ = std::make_unique<FrameNames>(*capture->store);
    }
    frames_->clear();
    title_->setText(
        index_ && index_->attachedCount() == 0
            ? tr("This capture has no kernel_stack events (record with trace-cmd record -T)")
            : tr("Select an event or span to see its stack"));
    fillKeys();
    rebuild();
}

void StacksView::fillKeys() {
    const bool was = updating_;
    updating_ = true;
    key_->clear();
    key_->addItem(tr("(every key)"));
    const auto& capture = session_->current();
    const int kind = kind_->currentData().toInt();
    if (capture && capture->analysis && kind >= 0) {
        std::map<std::uint32_t, std::pair<std::string, int>> byKey;
        forEachSpanOf(*capture->analysis, static_cast<SpanKind>(kind), [&](SpanId, const Span& s) {
            auto [it, inserted] = byKey.try_emplace(s.key, std::string(), 0);
            if (inserted) {
                it->second.first = spanKeyName(*capture->store, s);
            }
            ++it->second.second;
        });
        std::multimap<int, std::string, std::greater<>> byCount;
        for (const auto& [key, nameCount] : byKey) {
            byCount.emplace(nameCount.second, nameCount.first);
        }
        for (const auto& [count, name] : byCount) {
            key_->addItem(QString::fromStdString(name) + tr("  (%1)").arg(count),
                          QString::fromStdString(name));
        }
    }
    key_->setEnabled(kind >= 0);
    scope_->setEnabled(kind >= 0);
    updating_ = was;
}

void StacksView::rebuild() {
    if (updating_) {
        return;
    }
    const auto& capture = session_->current();
    std::vector<StackSample> samples;
    if (capture && capture->store && index_) {
        const EventStore& store = *capture->store;
        const int kind = kind_->currentData().toInt();
        if (kind < 0 || !capture->analysis) {
            samples = stacksOfEvents(store, *index_, std::nullopt);
        } else {
            const QVariant key = key_->currentData();
            const auto spans = spansOfClass(
                store, *capture->analysis, static_cast<SpanKind>(kind),
                key.isValid() ? std::optional<std::string>(key.toString().toStdString())
                              : std::nullopt);
            samples = stacksOfSpans(store, *capture->analysis, *index_, spans,
                                    static_cast<StackScope>(scope_->currentData().toInt()));
        }
        if (!filter_->text().isEmpty()) {
            samples = withFrameMatching(store, *names_, samples, filter_->text().toStdString());
        }
        tree_ = std::make_shared<const CallTree>(CallTree::build(
            store, *names_, samples,
            bottomUp_->isChecked() ? TreeDirection::BottomUp : TreeDirection::TopDown));
    } else {
        tree_ = std::make_shared<const CallTree>();
    }
    model_->setTree(tree_);
    treeView_->expandToDepth(3);
    flame_->setTree(tree_);
    summary_->setText(tr("%1 stacks").arg(aggregatedStacks()));
}

void StacksView::showStackOf(EventRef owner, const QString& what) {
    frames_->clear();
    const auto& capture = session_->current();
    if (!capture || !index_) {
        return;
    }
    const EventStore& store = *capture->store;
    const auto stack = index_->kernelStackOf(owner);
    const QString type = QString::fromStdString(store.type(store.event(owner).type).fullName());
    if (!stack) {
        title_->setText(tr("%1: %2 on CPU %3 at %4 s has no kernel stack")
                            .arg(what, type)
                            .arg(owner.cpu)
                            .arg(seconds(store.ts(owner))));
        return;
    }
    title_->setText(tr("%1: %2 on CPU %3 at %4 s")
                        .arg(what, type)
                        .arg(owner.cpu)
                        .arg(seconds(store.ts(owner))));
    for (std::uint64_t address : store.stacks.get(*stack)) {
        auto* item = new QListWidgetItem(
            QString::fromStdString(names_->name(address, FrameStyle::FunctionOffset)), frames_);
        item->setData(Qt::UserRole,
                      QString::fromStdString(names_->name(address, FrameStyle::Function)));
        item->setToolTip(QStringLiteral("0x%1").arg(address, 16, 16, QLatin1Char('0')));
    }
}

void StacksView::onEventSelected(EventRef event) {
    const auto& capture = session_->current();
    if (!capture || !index_ || event.cpu >= capture->store->cpuCount() ||
        event.index >= capture->store->cpu(event.cpu).size()) {
        return;
    }
    // Selecting the kernel_stack record itself shows its owner's stack.
    const auto owner = index_->ownerOf(event);
    showStackOf(owner.value_or(event), tr("Event"));
}

void StacksView::onSpanSelected(SpanId id) {
    const auto& capture = session_->current();
    if (!capture || !capture->analysis || !capture->analysis->hasSpan(id)) {
        return;
    }
    const Span span = capture->analysis->spanAt(id);
    if (!(span.flags & SpanFlag::OpenStart)) {
        showStackOf(span.begin, tr("Span begin"));
    }
    // Aggregate the selected span's class.
    setSpanClass(span.kind, QString::fromStdString(spanKeyName(*capture->store, span)));
}

void StacksView::setSpanClass(std::optional<SpanKind> kind, const QString& key) {
    updating_ = true;
    kind_->setCurrentIndex(kind ? kind_->findData(static_cast<int>(*kind)) : 0);
    fillKeys();
    updating_ = true;
    const int keyIndex = key.isEmpty() ? 0 : key_->findData(key);
    key_->setCurrentIndex(keyIndex < 0 ? 0 : keyIndex);
    updating_ = false;
    rebuild();
}

void StacksView::setDirection(TreeDirection direction) {
    bottomUp_->setChecked(direction == TreeDirection::BottomUp);
}

void StacksView::setFilter(const QString& functionText) {
    filter_->setText(functionText);
}

QStringList StacksView::selectedFrames() const {
    QStringList out;
    for (int i = 0; i < frames_->count(); ++i) {
        out << frames_->item(i)->text();
    }
    return out;
}

QString StacksView::selectedTitle() const {
    return title_->text();
}

} // namespace irqlens::gui
