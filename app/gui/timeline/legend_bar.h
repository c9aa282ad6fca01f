// The timeline legend: one colour chip per mechanism shown, each with its
// definition as tooltip; clicking a chip picks a new colour (remembered in
// QSettings).
#pragma once

#include "app/gui/mechanism_colors.h"

#include <QWidget>
#include <vector>

namespace irqlens::gui {

class LegendBar : public QWidget {
    Q_OBJECT
public:
    explicit LegendBar(QWidget* parent = nullptr);
    void setMechanisms(std::vector<Mechanism> shown);
    QSize sizeHint() const override;
    // The chips shown, left to right, and what hovering one says (the
    // mechanism's definition); for the tooltip event and tests.
    std::vector<std::pair<Mechanism, QRect>> layoutChips() const;
    QString tooltipAt(QPoint pos) const;

signals:
    void colorsChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    std::vector<Mechanism> shown_;
};

} // namespace irqlens::gui
