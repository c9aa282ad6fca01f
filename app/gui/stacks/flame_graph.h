// A flame graph of a CallTree (top-down: the outermost frame at the bottom
// row, as flamegraph.pl draws it).  Click a frame to zoom to it, wheel to zoom
// around the cursor, double-click or Escape to reset; frames matching the
// search text are highlighted.  Only what layoutFlame returns is painted, so
// the cost of a frame is bounded by the widget's pixels.
#pragma once

#include "app/gui/stacks/flame_layout.h"

#include <QString>
#include <QWidget>
#include <memory>

namespace irqlens::gui {

class FlameGraph : public QWidget {
    Q_OBJECT
public:
    explicit FlameGraph(QWidget* parent = nullptr);

    void setTree(std::shared_ptr<const CallTree> tree);
    void setSearch(const QString& text);
    void zoomTo(std::uint32_t node);
    void resetZoom();

    FlameRange range() const { return range_; }
    const std::vector<FlameBox>& boxes() const { return boxes_; } // of the last layout
    int rowHeight() const { return rowHeight_; }
    // Node under a widget position, or -1.
    std::int64_t nodeAt(QPoint pos) const;
    std::uint64_t matchedCount() const { return matched_; } // stacks in matching frames

signals:
    void frameClicked(const QString& function);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override; // tooltips
    QSize sizeHint() const override { return {600, 300}; }

private:
    void relayout();
    QRectF rectOf(const FlameBox& box) const;

    std::shared_ptr<const CallTree> tree_;
    std::vector<FlameBox> boxes_;
    std::vector<bool> matches_; // per node
    std::uint64_t matched_ = 0;
    QString search_;
    FlameRange range_;
    int rowHeight_ = 17;
};

} // namespace irqlens::gui
