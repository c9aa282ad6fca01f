// The group chooser of the latency view: mechanism → key → metric, with the
// number of values of each group.
#pragma once

#include <QTreeWidget>

namespace irqlens::gui {

class CaptureGroups;

class GroupTree : public QTreeWidget {
    Q_OBJECT
public:
    explicit GroupTree(QWidget* parent = nullptr);
    void setGroups(const CaptureGroups* groups); // null clears
    void selectGroup(int index);                 // without emitting groupSelected
    int selectedGroup() const;

signals:
    void groupSelected(int index);

private:
    bool updating_ = false;
};

} // namespace irqlens::gui
