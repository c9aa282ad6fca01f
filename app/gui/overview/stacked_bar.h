// Small horizontal stacked bars: the overview's median stages (one scale for
// every row) and the shares of a bottom half's wait.
#pragma once

#include "core/overview/overview.h"

#include <QColor>
#include <QString>
#include <QStyledItemDelegate>
#include <vector>

class QPainter;

namespace irqlens::gui {

struct BarSegment {
    double value = 0; // ns
    QColor color;
    bool hatched = false; // drawn with a diagonal pattern (waiting, preempted)
};

// Draws the segments left to right in `rect`; `fullScale` ns is the rect's
// full width (segments past it are clipped).
void paintStackedBar(QPainter& painter, const QRectF& rect, const std::vector<BarSegment>& segments,
                     double fullScale);

// The four stages with their colours: top half (hard IRQ colour), wait
// (hatched grey), run (the colour of `mechanism`), preempted (hatched run
// colour).
std::vector<BarSegment> stageSegments(const Stages& stages, irqlens::Mechanism mechanism);
QColor stageColor(int stage, irqlens::Mechanism mechanism); // 0 top, 1 wait, 2 run, 3 preempted

// Item role carrying a source's stages (QVariantList of 4 qint64 + the
// mechanism as int) for StageBarDelegate.
inline constexpr int kStagesRole = 0x0100 + 20;

// Paints the stage bar of a cell holding kStagesRole, all rows on one scale.
class StageBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void setScale(double fullScaleNs) { scale_ = fullScaleNs; }
    double scale() const { return scale_; }
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    double scale_ = 1;
};

} // namespace irqlens::gui
