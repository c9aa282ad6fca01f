// A QAbstractItemModel over a CallTree: columns frame, total, percent, self.
#pragma once

#include "core/stacks/call_tree.h"

#include <QAbstractItemModel>
#include <memory>

namespace irqlens::gui {

class CallTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Frame = 0, Total, Percent, Self, ColumnCount };
    using QAbstractItemModel::QAbstractItemModel;

    void setTree(std::shared_ptr<const CallTree> tree);
    const CallTree* tree() const { return tree_.get(); }
    std::uint32_t nodeOf(const QModelIndex& index) const; // kRoot for an invalid index
    QModelIndex indexOf(std::uint32_t node) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const CallTree> tree_;
    std::vector<int> rowInParent_; // per node
};

} // namespace irqlens::gui
