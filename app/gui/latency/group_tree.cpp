#include "app/gui/latency/group_tree.h"

#include "app/gui/latency/axis_format.h"
#include "app/gui/latency/group_cache.h"
#include "app/gui/mechanism_text.h"

#include <QHeaderView>
#include <map>

namespace irqlens::gui {

namespace {
constexpr int kGroupRole = Qt::UserRole + 1;

QTreeWidgetItem* childNamed(QTreeWidgetItem* parent, const QString& name) {
    for (int i = 0; i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0) == name)
            return parent->child(i);
    }
    return new QTreeWidgetItem(parent, QStringList{name});
}
} // namespace

GroupTree::GroupTree(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(2);
    setHeaderLabels({QStringLiteral("Group"), QStringLiteral("Count")});
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(false);
    setUniformRowHeights(true);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (updating_ || !item)
            return;
        const QVariant g = item->data(0, kGroupRole);
        if (g.isValid())
            emit groupSelected(g.toInt());
    });
}

void GroupTree::setGroups(const CaptureGroups* groups) {
    updating_ = true;
    clear();
    if (groups) {
        std::map<irqlens::Mechanism, QTreeWidgetItem*> mechanisms;
        for (std::size_t i = 0; i < groups->size(); ++i) {
            const LatencyGroup& g = groups->group(i);
            QTreeWidgetItem*& top = mechanisms[g.mechanism];
            if (!top) {
                top = new QTreeWidgetItem(this, QStringList{labelText(g.mechanism)});
                top->setToolTip(0, mechanismTooltip(g.mechanism));
                QFont bold = top->font(0);
                bold.setBold(true);
                top->setFont(0, bold);
            }
            QTreeWidgetItem* key = childNamed(top, QString::fromStdString(g.key));
            auto* leaf = new QTreeWidgetItem(
                key, QStringList{labelText(g.metric), QString::number(g.values.size())});
            leaf->setData(0, kGroupRole, static_cast<int>(i));
            leaf->setToolTip(0, definitionText(g.metric));
            leaf->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        }
        expandAll();
    }
    updating_ = false;
}

void GroupTree::selectGroup(int index) {
    updating_ = true;
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        const QVariant g = (*it)->data(0, kGroupRole);
        if (g.isValid() && g.toInt() == index) {
            setCurrentItem(*it);
            scrollToItem(*it);
            break;
        }
    }
    updating_ = false;
}

int GroupTree::selectedGroup() const {
    const QTreeWidgetItem* item = currentItem();
    const QVariant g = item ? item->data(0, kGroupRole) : QVariant();
    return g.isValid() ? g.toInt() : -1;
}

} // namespace irqlens::gui
