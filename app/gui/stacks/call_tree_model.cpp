#include "app/gui/stacks/call_tree_model.h"

namespace irqlens::gui {

void CallTreeModel::setTree(std::shared_ptr<const CallTree> tree) {
    beginResetModel();
    tree_ = std::move(tree);
    rowInParent_.assign(tree_ ? tree_->nodes().size() : 0, 0);
    if (tree_) {
        for (const auto& n : tree_->nodes()) {
            for (std::size_t r = 0; r < n.children.size(); ++r) {
                rowInParent_[n.children[r]] = static_cast<int>(r);
            }
        }
    }
    endResetModel();
}

// Internal ids are node ids; the root ("all") is the single top-level row.
std::uint32_t CallTreeModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<std::uint32_t>(index.internalId()) : CallTree::kRoot;
}

QModelIndex CallTreeModel::indexOf(std::uint32_t node) const {
    if (!tree_ || node >= tree_->nodes().size()) {
        return {};
    }
    return createIndex(node == CallTree::kRoot ? 0 : rowInParent_[node], 0, node);
}

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!tree_ || row < 0 || column < 0 || column >= ColumnCount) {
        return {};
    }
    if (!parent.isValid()) {
        return row == 0 ? createIndex(0, column, quintptr(CallTree::kRoot)) : QModelIndex();
    }
    const auto& children = tree_->node(nodeOf(parent)).children;
    if (static_cast<std::size_t>(row) >= children.size()) {
        return {};
    }
    return createIndex(row, column, quintptr(children[static_cast<std::size_t>(row)]));
}

QModelIndex CallTreeModel::parent(const QModelIndex& child) const {
    if (!tree_ || !child.isValid() || nodeOf(child) == CallTree::kRoot) {
        return {};
    }
    return indexOf(tree_->node(nodeOf(child)).parent);
}

int CallTreeModel::rowCount(const QModelIndex& parent) const {
    if (!tree_) {
        return 0;
    }
    if (!parent.isValid()) {
        return 1;
    }
    if (parent.column() != 0) {
        return 0;
    }
    return static_cast<int>(tree_->node(nodeOf(parent)).children.size());
}

int CallTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant CallTreeModel::data(const QModelIndex& index, int role) const {
    if (!tree_ || !index.isValid()) {
        return {};
    }
    const std::uint32_t node = nodeOf(index);
    const CallTreeNode& n = tree_->node(node);
    if (role == Qt::TextAlignmentRole && index.column() != Frame) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) {
        return {};
    }
    switch (index.column()) {
    case Frame:
        return QString::fromStdString(tree_->label(node));
    case Total:
        return QVariant::fromValue<qulonglong>(n.total);
    case Percent:
        return role == Qt::UserRole ? QVariant(tree_->percent(node))
                                    : QVariant(QString::number(tree_->percent(node), 'f', 1) + "%");
    case Self:
        return QVariant::fromValue<qulonglong>(n.self);
    default:
        return {};
    }
}

QVariant CallTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Frame:
        return tr("Frame");
    case Total:
        return tr("Stacks");
    case Percent:
        return tr("%");
    case Self:
        return tr("Self");
    default:
        return {};
    }
}

} // namespace irqlens::gui
