#include "app/gui/timeline/details_panel.h"

#include "app/gui/mechanism_text.h"
#include "app/gui/time_format.h"
#include "app/gui/timeline/event_filter.h"
#include "app/gui/timeline/timeline_canvas.h"
#include "core/spans/span_lookup.h"

#include <QHeaderView>

namespace irqlens::gui {

namespace {
QString q(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString flagsText(std::uint16_t f) {
    QStringList out;
    const std::pair<std::uint16_t, const char*> names[] = {
        {SpanFlag::OpenStart, "began before capture"},
        {SpanFlag::OpenEnd, "open at capture end"},
        {SpanFlag::CrossesDrop, "lost events inside"},
        {SpanFlag::InKsoftirqd, "ran in ksoftirqd"},
        {SpanFlag::LatencyUnknown, "latency unknown"},
        {SpanFlag::Preempted, "preempted"},
        {SpanFlag::Nested, "nested"},
        {SpanFlag::SharedBottomHalf, "shared bottom half"},
        {SpanFlag::Unhandled, "unhandled"}};
    for (const auto& [bit, name] : names) {
        if (f & bit) {
            out << QString::fromLatin1(name);
        }
    }
    return out.isEmpty() ? QStringLiteral("—") : out.join(QStringLiteral(", "));
}

QString linkRoleName(LinkRole r) {
    switch (r) {
    case LinkRole::SoftirqRaise:
        return QStringLiteral("softirq raised");
    case LinkRole::Tasklet:
        return QStringLiteral("tasklet scheduled");
    case LinkRole::WorkQueued:
        return QStringLiteral("work queued");
    case LinkRole::ThreadWoken:
        return inText(irqlens::Mechanism::IrqThread) + QStringLiteral(" woken");
    }
    return {};
}
} // namespace

DetailsPanel::DetailsPanel(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(2);
    setHeaderLabels({tr("Property"), tr("Value")});
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
}

void DetailsPanel::setCapture(std::shared_ptr<const LoadedCapture> capture) {
    capture_ = std::move(capture);
    clearDetails();
}

void DetailsPanel::clearDetails() {
    clear();
    auto* hint = new QTreeWidgetItem(this, {tr("Click a span or an event")});
    hint->setForeground(0, QColor(130, 135, 145));
}

QString DetailsPanel::rel(std::int64_t ts) const {
    return QStringLiteral("+") + formatSeconds(ts - capture_->store->firstTs()) +
           QStringLiteral(" s");
}

QTreeWidgetItem* DetailsPanel::section(const QString& title) {
    auto* item = new QTreeWidgetItem(this, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    item->setExpanded(true);
    return item;
}

QTreeWidgetItem* DetailsPanel::add(QTreeWidgetItem* parent, const QString& name,
                                   const QString& value) {
    return new QTreeWidgetItem(parent, {name, value});
}

QTreeWidgetItem* DetailsPanel::addKind(QTreeWidgetItem* parent, const QString& name, SpanKind kind,
                                       const QString& suffix) {
    const auto mechanism = irqlens::mechanismOf(kind);
    QTreeWidgetItem* item =
        add(parent, name, (mechanism ? labelText(*mechanism) : q(spanKindName(kind))) + suffix);
    if (mechanism) {
        item->setToolTip(0, mechanismTooltip(*mechanism));
        item->setToolTip(1, mechanismTooltip(*mechanism));
    }
    return item;
}

void DetailsPanel::addEventFields(QTreeWidgetItem* parent, EventRef ref) {
    const EventStore& store = *capture_->store;
    const EventFields e = store.event(ref);
    add(parent, tr("event"), QString::fromStdString(store.type(e.type).fullName()));
    add(parent, tr("time"), rel(e.ts));
    add(parent, tr("CPU"), cpuLabel(store, ref.cpu));
    add(parent, tr("task"), taskLabel(store, e.pid, e.ts));
    QString lat;
    lat += e.flags & LatencyFlag::IrqsOff ? 'd' : '.';
    lat += e.flags & LatencyFlag::NeedResched ? 'N' : '.';
    lat += e.flags & LatencyFlag::Nmi
               ? 'Z'
               : (e.flags & LatencyFlag::HardIrq ? (e.flags & LatencyFlag::SoftIrq ? 'H' : 'h')
                                                 : (e.flags & LatencyFlag::SoftIrq ? 's' : '.'));
    lat += QString::number(e.preempt & 0xf);
    add(parent, tr("flags"), lat);
    for (const auto& f : store.decode(ref)) {
        add(parent, QString::fromStdString(f.name), QString::fromStdString(f.value));
    }
}

void DetailsPanel::showEvent(EventRef ref) {
    if (!capture_) {
        return;
    }
    clear();
    addEventFields(section(tr("Event")), ref);
    // The spans the event lies in: where a trace_printk was printed from.
    const EventStore& store = *capture_->store;
    const auto around = spansAround(*capture_->analysis, ref.cpu, store.ts(ref));
    if (!around.empty()) {
        QTreeWidgetItem* inside = section(tr("Inside"));
        for (SpanId id : around) {
            const Span s = capture_->analysis->spanAt(id);
            add(inside, q(spanKindName(s.kind)), q(spanKeyName(store, s)));
        }
    }
}

void DetailsPanel::showSpan(SpanId id) {
    if (!capture_ || id == kNone || !capture_->analysis->hasSpan(id)) {
        clearDetails();
        return;
    }
    clear();
    const EventStore& store = *capture_->store;
    const Span s = spanWithEvents(store, *capture_->analysis, id);
    auto* sp = section(tr("Span"));
    addKind(sp, tr("mechanism"), s.kind);
    add(sp, tr("key"), QString::fromStdString(spanKeyName(store, s)));
    add(sp, tr("CPU"), QString::number(s.cpu));
    add(sp, tr("task"), taskLabel(store, s.pid, s.start));
    add(sp, tr("start"), rel(s.start));
    add(sp, tr("end"), rel(s.end));
    add(sp, tr("duration"), formatDuration(s.duration()));
    add(sp, tr("latency"),
        s.latencyKnown() ? formatDuration(s.latency()) + QStringLiteral("  (") +
                               latencyDefinition(s.kind) + QStringLiteral(")")
                         : tr("unknown / n.a."));
    if (s.kind == SpanKind::HardIrq || s.kind == SpanKind::Function) {
        add(sp, tr("depth"), QString::number(s.depth));
    }
    add(sp, tr("flags"), flagsText(s.flags));
    addEpisodes(id);
    if (!(s.flags & SpanFlag::OpenStart)) {
        auto* ev = section(tr("Begin event"));
        addEventFields(ev, s.begin);
    }
    if (!(s.flags & SpanFlag::OpenEnd)) {
        auto* ev = section(tr("End event"));
        addEventFields(ev, s.finish);
        ev->setExpanded(false);
    }
}

void DetailsPanel::addEpisodes(SpanId id) {
    const Analysis& a = *capture_->analysis;
    const EventStore& store = *capture_->store;
    if (id >= a.spans.size()) {
        return; // task runs belong to no episode
    }
    for (EpisodeId e : a.episodesOf(id)) {
        const Episode& ep = a.episodes[e];
        auto* es = section(tr("Episode %1").arg(e));
        QTreeWidgetItem* hard =
            add(es, inText(irqlens::Mechanism::HardIrq),
                QString::fromStdString(spanKeyName(store, a.spans[ep.hardIrq])));
        hard->setToolTip(0, mechanismTooltip(irqlens::Mechanism::HardIrq));
        add(es, tr("top half"), formatDuration(ep.topHalfNs));
        add(es, tr("wait"), formatDuration(ep.waitNs));
        add(es, tr("bottom half run"), formatDuration(ep.runNs));
        add(es, tr("end to end"), formatDuration(ep.endToEnd(a.spans)));
        if (ep.preemptedNs > 0) {
            add(es, tr("preempted"), formatDuration(ep.preemptedNs));
        }
        for (const EpisodeLink& link : a.linksOf(e)) {
            const Span& b = a.spans[link.span];
            addKind(es, linkRoleName(link.role), b.kind,
                    QStringLiteral(" %1 on CPU %2")
                        .arg(QString::fromStdString(spanKeyName(store, b)))
                        .arg(b.cpu));
        }
    }
}

} // namespace irqlens::gui
