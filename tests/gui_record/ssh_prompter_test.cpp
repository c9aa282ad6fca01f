// The Record dialog's answers to ssh's and sudo's questions, as the user
// sees them (no test hook): the unknown host key's dialog shows the key type
// and SHA256 fingerprint and says "yes" to ssh only on Accept; password
// dialogs hide what is typed and hand it over only on OK.  The asking side
// is a thread, as in a recording.
#include "app/gui/record/ssh_prompter.h"
#include "tests/gui/gui_test_support.h"
#include "tests/gui_record/record_test_support.h"

#include <QAbstractButton>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>
#include <atomic>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <thread>

namespace irqlens::gui {
namespace {

// Asks a question from a thread of its own, as a recording does.  Declared
// before the SshPrompter: the prompter goes first (an unanswered question
// then returns), then the thread is joined.
class Asker {
public:
    Asker() = default;
    ~Asker() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    Asker(const Asker&) = delete;
    Asker& operator=(const Asker&) = delete;
    void ask(Prompter prompter, PromptRequest request) {
        thread_ = std::thread([this, prompter = std::move(prompter), request] {
            answer_ = prompter(request);
            done_ = true;
        });
    }
    bool waitForAnswer() {
        return test::waitUntil([this] { return done_.load(); }, 5000);
    }
    const std::optional<std::string>& answer() const { return answer_; }

private:
    std::optional<std::string> answer_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

template <typename Dialog> Dialog* waitForDialog(QWidget& parent) {
    Dialog* dialog = nullptr;
    test::waitUntil(
        [&] {
            for (Dialog* d : parent.findChildren<Dialog*>()) {
                if (d->isVisible()) {
                    dialog = d; // earlier ones are closed, waiting for deletion
                }
            }
            return dialog != nullptr;
        },
        5000);
    return dialog;
}

PromptRequest hostKeyRequest() {
    PromptRequest r;
    r.kind = PromptRequest::Kind::HostKey;
    r.destination = "pi@raspberrypi.local";
    r.keyType = "ED25519";
    r.fingerprint = "SHA256:7pQJx0Fz1nQe0m2d3uXh5kq9H9Y0bT8Jw4S9m2kY3aE";
    r.text = "The authenticity of host 'raspberrypi.local' can't be established.\n"
             "ED25519 key fingerprint is " +
             r.fingerprint + ".\nAre you sure you want to continue connecting?";
    return r;
}

class SshPrompterTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureIsolatedApp();
        SshPrompter::setTestHook({});
        parentWidget_ = std::make_unique<QWidget>(); // after the application
        parentWidget_->setAttribute(Qt::WA_DontShowOnScreen, true);
        parentWidget_->show();
    }
    QWidget& parent() { return *parentWidget_; }
    std::unique_ptr<QWidget> parentWidget_;
};

TEST_F(SshPrompterTest, HostKeyDialogShowsTypeAndFingerprintAndAcceptSaysYes) {
    for (const bool accept : {true, false}) {
        Asker asker;
        SshPrompter prompter(&parent());
        const PromptRequest request = hostKeyRequest();
        asker.ask(prompter.prompter(), request);
        auto* box = waitForDialog<QMessageBox>(parent());
        ASSERT_TRUE(box) << "no host key dialog";
        EXPECT_TRUE(box->text().contains(QStringLiteral("pi@raspberrypi.local")))
            << box->text().toStdString();
        EXPECT_TRUE(box->informativeText().contains(QStringLiteral("ED25519 key fingerprint:\n") +
                                                    QString::fromStdString(request.fingerprint)))
            << box->informativeText().toStdString();
        EXPECT_TRUE(box->informativeText().contains(
            QStringLiteral("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub")));
        EXPECT_EQ(static_cast<QAbstractButton*>(box->defaultButton()), box->button(QMessageBox::No))
            << "Enter must not accept";
        EXPECT_EQ(box->button(QMessageBox::Yes)->text(), QStringLiteral("Accept"));
        box->button(accept ? QMessageBox::Yes : QMessageBox::No)->click();
        ASSERT_TRUE(asker.waitForAnswer());
        EXPECT_EQ(asker.answer(), accept ? std::optional<std::string>("yes") : std::nullopt);
    }
}

TEST_F(SshPrompterTest, PasswordDialogsHideTheTextAndGiveItOnlyOnOk) {
    const std::string password = "pi's \"pass\" $(reboot) `x`";
    struct Case {
        PromptRequest::Kind kind;
        const char* prompt;
        QString title;
        bool ok;
    };
    const Case cases[] = {
        {PromptRequest::Kind::Password, "pi@raspberrypi.local's password: ",
         QStringLiteral("Log in to pi@raspberrypi.local"), true},
        {PromptRequest::Kind::SudoPassword,
         "[sudo] password for pi: ", QStringLiteral("sudo password"), true},
        {PromptRequest::Kind::Password, "pi@raspberrypi.local's password: ",
         QStringLiteral("Log in to pi@raspberrypi.local"), false},
    };
    for (const Case& c : cases) {
        Asker asker;
        SshPrompter prompter(&parent());
        PromptRequest request;
        request.kind = c.kind;
        request.destination = "pi@raspberrypi.local";
        request.text = c.prompt;
        asker.ask(prompter.prompter(), request);
        auto* input = waitForDialog<QInputDialog>(parent());
        ASSERT_TRUE(input) << "no password dialog";
        EXPECT_EQ(input->windowTitle(), c.title);
        EXPECT_EQ(input->labelText(), QString::fromLatin1(c.prompt).trimmed());
        EXPECT_EQ(input->textEchoMode(), QLineEdit::Password);
        input->setTextValue(QString::fromStdString(password));
        if (c.ok) {
            input->accept();
        } else {
            input->reject();
        }
        ASSERT_TRUE(asker.waitForAnswer());
        EXPECT_EQ(asker.answer(), c.ok ? std::optional<std::string>(password) : std::nullopt);
    }
}

// The recording stopped while a question is open: the asking thread gets
// no answer at once, and the dialog goes away.
TEST_F(SshPrompterTest, CancelAllAnswersNothing) {
    Asker asker;
    SshPrompter prompter(&parent());
    asker.ask(prompter.prompter(), hostKeyRequest());
    auto* box = waitForDialog<QMessageBox>(parent());
    ASSERT_TRUE(box);
    prompter.cancelAll();
    ASSERT_TRUE(asker.waitForAnswer());
    EXPECT_EQ(asker.answer(), std::nullopt);
}

} // namespace
} // namespace irqlens::gui
