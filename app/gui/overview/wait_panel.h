// "Why was this one slow?": for one episode, what occupied the CPU its bottom
// half ran on while it waited (core/overview/wait_breakdown.h) — a sentence,
// a bar of the shares and a table (exportable as CSV) whose rows add up to
// the wait.
#pragma once

#include "app/gui/capture_session.h"
#include "core/overview/wait_breakdown.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace irqlens::gui {

class ShareBar;

class WaitPanel : public QWidget {
    Q_OBJECT
public:
    explicit WaitPanel(CaptureSession* session, QWidget* parent = nullptr);

    // Explains `episode` of the session's current capture (kNone: clears).
    void showEpisode(EpisodeId episode, const QString& why);
    EpisodeId episode() const { return episode_; }
    const std::optional<WaitBreakdown>& breakdown() const { return breakdown_; }
    QTableWidget* table() const { return table_; }
    QString text() const; // the sentence and every share, for the clipboard

private:
    void fillTable();

    CaptureSession* session_;
    EpisodeId episode_ = kNone;
    std::optional<WaitBreakdown> breakdown_;
    QLabel* title_ = nullptr;
    ShareBar* bar_ = nullptr;
    QTableWidget* table_ = nullptr;
    QPushButton* showWait_ = nullptr;
};

} // namespace irqlens::gui
