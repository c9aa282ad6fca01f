#include "app/gui/timeline/legend_bar.h"

#include <QColorDialog>
#include <QMouseEvent>
#include <QPainter>

namespace irqlens::gui {

LegendBar::LegendBar(QWidget* parent) : QWidget(parent) {
    setToolTip(tr("Click a colour to change it"));
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

} // namespace irqlens::gui
