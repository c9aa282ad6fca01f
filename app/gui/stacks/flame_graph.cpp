#include "app/gui/stacks/flame_graph.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>

namespace irqlens::gui {
namespace {

// Warm colours as flame graphs use, stable per function name.
QColor frameColor(const std::string& label) {
    const auto h = std::hash<std::string>()(label);
    return QColor::fromHsv(static_cast<int>(h % 50), 120 + static_cast<int>((h >> 8) % 80),
                           230 + static_cast<int>((h >> 16) % 25));
}

} // namespace

FlameGraph::FlameGraph(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumHeight(120);
}

void FlameGraph::setTree(std::shared_ptr<const CallTree> tree) {
    tree_ = std::move(tree);
    range_ = {};
    setSearch(search_);
}

void FlameGraph::setSearch(const QString& text) {
    search_ = text;
    matched_ = 0;
    matches_.assign(tree_ ? tree_->nodes().size() : 0, false);
    if (tree_ && !text.isEmpty()) {
        for (std::uint32_t n : tree_->find(text.toStdString())) {
            matches_[n] = true;
        }
        // Count each stack once: a match whose ancestor also matches adds nothing.
        for (std::uint32_t n = 1; n < matches_.size(); ++n) {
            bool ancestor = false;
            for (auto p = tree_->node(n).parent; p != CallTree::kRoot; p = tree_->node(p).parent) {
                ancestor = ancestor || matches_[p];
            }
            matched_ += matches_[n] && !ancestor ? tree_->node(n).total : 0;
        }
    }
    relayout();
}

void FlameGraph::zoomTo(std::uint32_t node) {
    if (tree_ && node < tree_->nodes().size()) {
        range_ = nodeRange(*tree_, node);
        relayout();
    }
}

void FlameGraph::resetZoom() {
    range_ = {};
    relayout();
}

// Rows shrink to fit the deepest stack in the widget (labels need ~12 px;
// thinner rows still show the shape).
void FlameGraph::relayout() {
    boxes_ = tree_ ? layoutFlame(*tree_, range_, width()) : std::vector<FlameBox>{};
    std::uint32_t depth = 0;
    for (const auto& b : boxes_) {
        depth = std::max(depth, b.depth);
    }
    rowHeight_ = std::clamp(height() / static_cast<int>(depth + 1), 3, 17);
    update();
}

QRectF FlameGraph::rectOf(const FlameBox& box) const {
    const double y = height() - static_cast<double>(box.depth + 1) * rowHeight_;
    return {box.left, y, box.width, static_cast<double>(rowHeight_ - 1)};
}

void FlameGraph::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (boxes_.empty() || !tree_) {
        p.drawText(rect(), Qt::AlignCenter, tr("No stacks for this selection"));
        return;
    }
    const QFontMetrics fm(font());
    for (const FlameBox& b : boxes_) {
        const QRectF r = rectOf(b);
        const std::string& label = tree_->label(b.node);
        QColor fill = b.merged ? QColor(200, 200, 200) : frameColor(label);
        if (!b.merged && !matches_.empty() && matches_[b.node]) {
            fill = QColor(230, 90, 230);
        }
        p.fillRect(r, fill);
        if (!b.merged && r.width() > 3 * fm.averageCharWidth() && r.height() >= fm.height() - 2) {
            const QString text = fm.elidedText(QString::fromStdString(label), Qt::ElideRight,
                                               static_cast<int>(r.width()) - 4);
            p.setPen(Qt::black);
            p.drawText(r.adjusted(2, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        }
    }
}

std::int64_t FlameGraph::nodeAt(QPoint pos) const {
    for (const FlameBox& b : boxes_) {
        if (!b.merged && rectOf(b).contains(pos)) {
            return b.node;
        }
    }
    return -1;
}

void FlameGraph::mousePressEvent(QMouseEvent* event) {
    const auto node = nodeAt(event->position().toPoint());
    if (node < 0 || event->button() != Qt::LeftButton) {
        return;
    }
    zoomTo(static_cast<std::uint32_t>(node));
    if (node != CallTree::kRoot) {
        emit frameClicked(QString::fromStdString(tree_->label(static_cast<std::uint32_t>(node))));
    }
}

void FlameGraph::mouseDoubleClickEvent(QMouseEvent*) {
    resetZoom();
}

void FlameGraph::wheelEvent(QWheelEvent* event) {
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double span = range_.end - range_.begin;
    const double at = range_.begin + span * event->position().x() / std::max(width(), 1);
    const double newSpan = std::clamp(span * factor, 1e-9, 1.0);
    double begin = at - (at - range_.begin) * newSpan / span;
    begin = std::clamp(begin, 0.0, 1.0 - newSpan);
    range_ = {begin, begin + newSpan};
    relayout();
}

void FlameGraph::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        resetZoom();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool FlameGraph::event(QEvent* e) {
    if (e->type() == QEvent::Resize) {
        relayout();
    }
    if (e->type() == QEvent::ToolTip && tree_) {
        auto* help = static_cast<QHelpEvent*>(e);
        const auto node = nodeAt(help->pos());
        if (node >= 0) {
            const auto n = static_cast<std::uint32_t>(node);
            QToolTip::showText(help->globalPos(), tr("%1\n%2 stacks (%3%)")
                                                      .arg(QString::fromStdString(tree_->label(n)))
                                                      .arg(tree_->node(n).total)
                                                      .arg(tree_->percent(n), 0, 'f', 1));
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

} // namespace irqlens::gui
