// The percentile table of the latency view: one row per group (count, min,
// p50, p90, p99, p99.9, max), the current group selected.  Cells show
// readable units; CSV export writes the exact ns values.
#pragma once

#include <QTableWidget>

namespace irqlens::gui {

class CaptureGroups;

class PercentileTable : public QTableWidget {
    Q_OBJECT
public:
    explicit PercentileTable(QWidget* parent = nullptr);
    void setGroups(const CaptureGroups* groups);
    void selectGroup(int index); // without emitting groupActivated

signals:
    void groupActivated(int index);

private:
    bool updating_ = false;
};

} // namespace irqlens::gui
