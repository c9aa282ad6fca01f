// The timeline legend: one colour chip per mechanism shown; clicking a chip
// picks a new colour (remembered in QSettings).
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

signals:
    void colorsChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::vector<std::pair<Mechanism, QRect>> layoutChips() const;
    std::vector<Mechanism> shown_;
};

} // namespace irqlens::gui
