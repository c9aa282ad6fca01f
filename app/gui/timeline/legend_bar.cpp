#include "app/gui/timeline/legend_bar.h"

#include <QColorDialog>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace irqlens::gui {

LegendBar::LegendBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LegendBar::setMechanisms(std::vector<Mechanism> shown) {
    shown_ = std::move(shown);
    updateGeometry();
    update();
}

std::vector<std::pair<Mechanism, QRect>> LegendBar::layoutChips() const {
    std::vector<std::pair<Mechanism, QRect>> out;
    int x = 4;
    const QFontMetrics fm(font());
    for (Mechanism m : shown_) {
        const int w = 12 + 6 + fm.horizontalAdvance(mechanismLabel(m)) + 14;
        out.emplace_back(m, QRect(x, 0, w, height()));
        x += w;
    }
    return out;
}

QSize LegendBar::sizeHint() const {
    const auto chips = layoutChips();
    return {chips.empty() ? 10 : chips.back().second.right() + 4, fontMetrics().height() + 10};
}

void LegendBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    for (const auto& [m, r] : layoutChips()) {
        const QColor c = MechanismColors::instance().color(m);
        const QRectF chip(r.left(), r.center().y() - 5.5, 12, 12);
        p.setPen(c.darker(130));
        p.setBrush(c);
        p.drawRoundedRect(chip, 2.5, 2.5);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(r.left() + 18, r.top(), r.width() - 18, r.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, mechanismLabel(m));
    }
}

void LegendBar::mousePressEvent(QMouseEvent* event) {
    for (const auto& [m, r] : layoutChips()) {
        if (r.contains(event->pos())) {
            const QColor c = QColorDialog::getColor(MechanismColors::instance().color(m), this,
                                                    tr("Colour of %1").arg(mechanismLabel(m)));
            if (c.isValid()) {
                MechanismColors::instance().setColor(m, c);
                update();
                emit colorsChanged();
            }
            return;
        }
    }
}

QString LegendBar::tooltipAt(QPoint pos) const {
    for (const auto& [m, r] : layoutChips()) {
        if (r.contains(pos)) {
            return mechanismTooltip(m) + tr("<p><i>Click to change its colour.</i></p>");
        }
    }
    return {};
}

bool LegendBar::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip) {
        return QWidget::event(event);
    }
    const auto* help = static_cast<QHelpEvent*>(event);
    for (const auto& [m, r] : layoutChips()) {
        if (r.contains(help->pos())) {
            // Shown until the pointer leaves this chip.
            QToolTip::showText(help->globalPos(), tooltipAt(help->pos()), this, r);
            return true;
        }
    }
    QToolTip::hideText();
    return true;
}

} // namespace irqlens::gui
