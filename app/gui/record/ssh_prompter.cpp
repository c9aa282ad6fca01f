#include "app/gui/record/ssh_prompter.h"

#include <QAbstractButton>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QMetaObject>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace irqlens::gui {

namespace {
SshPrompter::TestHook& testHook() {
    static SshPrompter::TestHook hook;
    return hook;
}
} // namespace

// Lives as long as any prompter function: `owner` is cleared when the
// SshPrompter goes, so a late question finds nobody instead of a dangling
// pointer.
struct SshPrompter::Shared {
    std::mutex mutex;
    SshPrompter* owner = nullptr;
};

struct SshPrompter::Slot {
    std::mutex mutex;
    std::condition_variable answered;
    bool done = false;
    std::optional<std::string> answer;
    void give(std::optional<std::string> value) {
        std::lock_guard lock(mutex);
        if (!done) {
            answer = std::move(value);
            done = true;
        }
        answered.notify_all();
    }
};

SshPrompter::SshPrompter(QWidget* parent)
    : QObject(parent), parent_(parent), shared_(std::make_shared<Shared>()) {
    shared_->owner = this;
}

SshPrompter::~SshPrompter() {
    std::lock_guard lock(shared_->mutex);
    shared_->owner = nullptr;
}

void SshPrompter::setTestHook(TestHook hook) {
    testHook() = std::move(hook);
}

Prompter SshPrompter::prompter() {
    return [shared = shared_](const PromptRequest& request) -> std::optional<std::string> {
        auto slot = std::make_shared<Slot>();
        {
            std::lock_guard lock(shared->mutex);
            if (!shared->owner) {
                return std::nullopt;
            }
            PromptRequest copy = request;
            copy.abandoned = nullptr; // only this thread looks at it
            QMetaObject::invokeMethod(
                shared->owner, [owner = shared->owner, slot, copy] { owner->ask(slot, copy); },
                Qt::QueuedConnection);
        }
        std::unique_lock lock(slot->mutex);
        while (!slot->done) {
            slot->answered.wait_for(lock, std::chrono::milliseconds(100));
            const bool gone = [&] {
                std::lock_guard ownerLock(shared->mutex);
                return shared->owner == nullptr;
            }();
            if (gone || (request.abandoned && request.abandoned->load())) {
                return std::nullopt;
            }
        }
        return slot->answer;
    };
}

void SshPrompter::cancelAll() {
    if (open_) {
        open_->reject();
    }
}

QDialog* SshPrompter::hostKeyDialog(const PromptRequest& request) {
    auto* box = new QMessageBox(parent_);
    box->setIcon(QMessageBox::Question);
    box->setWindowTitle(tr("Unknown host key"));
    box->setText(tr("The host key of %1 is not known yet.")
                     .arg(QString::fromStdString(request.destination)));
    const QString type = QString::fromStdString(request.keyType);
    box->setInformativeText(
        tr("%1 key fingerprint:\n%2\n\nAccept it only if it is your device's: on it, "
           "`ssh-keygen -lf /etc/ssh/ssh_host_%3_key.pub` shows the same. Accepted keys are "
           "added to your known_hosts.")
            .arg(type, QString::fromStdString(request.fingerprint), type.toLower()));
    box->setDetailedText(QString::fromStdString(request.text));
    box->setStandardButtons(QMessageBox::Yes | QMessageBox::No);
    box->button(QMessageBox::Yes)->setText(tr("Accept"));
    box->button(QMessageBox::No)->setText(tr("Reject"));
    box->setDefaultButton(QMessageBox::No);
    return box;
}

QDialog* SshPrompter::passwordDialog(const PromptRequest& request) {
    auto* input = new QInputDialog(parent_);
    input->setWindowTitle(
        request.kind == PromptRequest::Kind::SudoPassword
            ? tr("sudo password")
            : tr("Log in to %1").arg(QString::fromStdString(request.destination)));
    input->setLabelText(QString::fromStdString(request.text).trimmed());
    input->setTextEchoMode(request.kind == PromptRequest::Kind::Other ? QLineEdit::Normal
                                                                      : QLineEdit::Password);
    return input;
}

void SshPrompter::ask(const std::shared_ptr<Slot>& slot, const PromptRequest& request) {
    if (testHook()) {
        const auto answer = testHook()(request);
        slot->give(answer ? std::optional<std::string>(answer->toStdString()) : std::nullopt);
        return;
    }
    QDialog* dialog = request.kind == PromptRequest::Kind::HostKey ? hostKeyDialog(request)
                                                                   : passwordDialog(request);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    const bool hostKey = request.kind == PromptRequest::Kind::HostKey;
    connect(dialog, &QDialog::finished, this, [slot, dialog, hostKey](int result) {
        if (hostKey) {
            slot->give(result == QMessageBox::Yes ? std::optional<std::string>("yes")
                                                  : std::nullopt);
        } else if (result == QDialog::Accepted) {
            slot->give(qobject_cast<QInputDialog*>(dialog)->textValue().toStdString());
        } else {
            slot->give(std::nullopt);
        }
    });
    open_ = dialog;
    dialog->open();
}

} // namespace irqlens::gui
