// The Record dialog's answers to ssh's and sudo's questions (ssh_askpass.h):
// a password dialog, or the unknown host key (type and SHA256 fingerprint,
// as ssh shows them) with Accept / Reject.  The recorder's threads ask; the
// question is shown on the GUI thread, window-modal and non-blocking, and
// the asking thread waits for the answer (or gives up when the recording is
// stopped or the dialog goes away).
#pragma once

#include "core/record/ssh_askpass.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

class QDialog;
class QWidget;

namespace irqlens::gui {

class SshPrompter : public QObject {
    Q_OBJECT
public:
    explicit SshPrompter(QWidget* parent);
    ~SshPrompter() override;

    // Callable from any thread, for the recorder (makeRemoteRecorder) and
    // checkRemoteTarget.
    Prompter prompter();
    // Closes an open question (its answer: none).
    void cancelAll();

    // Tests: answers every question at once, on the GUI thread, instead of a dialog.
    using TestHook = std::function<std::optional<QString>(const PromptRequest&)>;
    static void setTestHook(TestHook hook);

private:
    struct Shared;
    struct Slot;
    void ask(const std::shared_ptr<Slot>& slot, const PromptRequest& request);
    QDialog* hostKeyDialog(const PromptRequest& request);
    QDialog* passwordDialog(const PromptRequest& request);

    QWidget* parent_;
    std::shared_ptr<Shared> shared_;
    QPointer<QDialog> open_;
};

} // namespace irqlens::gui
