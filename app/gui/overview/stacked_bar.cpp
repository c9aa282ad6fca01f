#include "app/gui/overview/stacked_bar.h"

#include "app/gui/mechanism_colors.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <algorithm>

namespace irqlens::gui {

namespace {

// The timeline's colour of a core mechanism (the row kinds share it).
gui::Mechanism rowKindOf(irqlens::Mechanism mechanism) {
    switch (mechanism) {
    case irqlens::Mechanism::HardIrq:
        return gui::Mechanism::HardIrq;
    case irqlens::Mechanism::Softirq:
        return gui::Mechanism::Softirq;
    case irqlens::Mechanism::Tasklet:
        return gui::Mechanism::Tasklet;
    case irqlens::Mechanism::IrqThread:
        return gui::Mechanism::IrqThread;
    default:
        return gui::Mechanism::Workqueue;
    }
}

const QColor kWaitColor{0xb8, 0xb8, 0xb8};

} // namespace

QColor stageColor(int stage, irqlens::Mechanism mechanism) {
    const auto& colors = MechanismColors::instance();
    switch (stage) {
    case 0:
        return colors.color(gui::Mechanism::HardIrq);
    case 1:
        return kWaitColor;
    default:
        return colors.color(rowKindOf(mechanism));
    }
}

std::vector<BarSegment> stageSegments(const Stages& s, irqlens::Mechanism mechanism) {
    return {{static_cast<double>(s.topHalf), stageColor(0, mechanism), false},
            {static_cast<double>(s.wait), stageColor(1, mechanism), true},
            {static_cast<double>(s.run), stageColor(2, mechanism), false},
            {static_cast<double>(s.preempted), stageColor(3, mechanism), true}};
}

void paintStackedBar(QPainter& p, const QRectF& rect, const std::vector<BarSegment>& segments,
                     double fullScale) {
    if (fullScale <= 0 || rect.width() <= 0) {
        return;
    }
    p.save();
    p.setClipRect(rect);
    double x = rect.left();
    for (const BarSegment& s : segments) {
        const double w = s.value / fullScale * rect.width();
        if (w <= 0) {
            continue;
        }
        // Anything that took time stays visible, however short.
        const QRectF r(x, rect.top(), std::max(w, 1.0), rect.height());
        p.fillRect(r, s.color);
        if (s.hatched) {
            p.fillRect(r, QBrush(s.color.darker(160), Qt::BDiagPattern));
        }
        x += w;
    }
    p.setPen(QColor(0x80, 0x80, 0x80));
    p.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.left(), rect.bottom()));
    p.restore();
}

void StageBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // background and selection only; the bar is the content
    const QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, option.widget);
    const QVariantList v = index.data(kStagesRole).toList();
    if (v.size() != 5) {
        return;
    }
    const Stages s{v[0].toLongLong(), v[1].toLongLong(), v[2].toLongLong(), v[3].toLongLong()};
    const auto mechanism = static_cast<irqlens::Mechanism>(v[4].toInt());
    const int h = std::min(14, option.rect.height() - 6);
    const QRectF bar(option.rect.left() + 6, option.rect.center().y() - h / 2.0,
                     option.rect.width() - 12, h);
    painter->save();
    paintStackedBar(*painter, bar, stageSegments(s, mechanism), scale_);
    painter->restore();
}

QSize StageBarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return {200, option.fontMetrics.height() + 8};
}

} // namespace irqlens::gui
