// The "stacks" view: the kernel stack of the selected event or span (frames
// clickable to filter by function), and the aggregated stacks of a span class
// (kind + key, e.g. all hard IRQ entries of "36 virtio1-req.0") as a call
// tree (top-down / bottom-up) and a flame graph.
#pragma once

#include "app/gui/stacks/call_tree_model.h"
#include "app/gui/stacks/flame_graph.h"
#include "core/spans/span.h"
#include "core/stacks/frame_names.h"
#include "core/stacks/stack_index.h"
#include "core/stacks/stack_selection.h"

#include <QWidget>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTreeView;
class QCheckBox;

namespace irqlens::gui {

class CaptureSession;

class StacksView : public QWidget {
    Q_OBJECT
public:
    explicit StacksView(CaptureSession* session, QWidget* parent = nullptr);

    // Aggregation controls (also driven by the widgets).  kind = nullopt: every stack.
    void setSpanClass(std::optional<SpanKind> kind, const QString& key = {});
    void setDirection(TreeDirection direction);
    void setFilter(const QString& functionText);

    // What is shown, for tests and the status line.
    QStringList selectedFrames() const; // the selected event's stack, innermost first
    QString selectedTitle() const;
    std::uint64_t aggregatedStacks() const { return tree_ ? tree_->total() : 0; }
    CallTreeModel* callTreeModel() const { return model_; }
    FlameGraph* flameGraph() const { return flame_; }
    QTreeView* treeView() const { return treeView_; }
    QListWidget* frameList() const { return frames_; }

private slots:
    void onCaptureChanged();
    void onEventSelected(irqlens::EventRef event);
    void onSpanSelected(irqlens::SpanId span);

private:
    QWidget* buildControls();
    QWidget* buildSelectedPanel();
    void fillKeys();
    void showStackOf(EventRef owner, const QString& what);
    void rebuild();

    CaptureSession* session_;
    std::unique_ptr<StackIndex> index_;
    std::unique_ptr<FrameNames> names_;
    std::shared_ptr<const CallTree> tree_;

    QComboBox* kind_ = nullptr;
    QComboBox* key_ = nullptr;
    QComboBox* scope_ = nullptr;
    QCheckBox* bottomUp_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QLineEdit* search_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* title_ = nullptr;
    QListWidget* frames_ = nullptr;
    CallTreeModel* model_ = nullptr;
    QTreeView* treeView_ = nullptr;
    FlameGraph* flame_ = nullptr;
    bool updating_ = false; // while controls are set programmatically
};

} // namespace irqlens::gui
