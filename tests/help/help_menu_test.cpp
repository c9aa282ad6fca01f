// Help menu: the versions shown in About are checked against pkg-config
// and the -dev symlinks; the user guide found next to bin/ is the one in docs/, and every
// picture it shows exists.
#include "app/gui/help_menu.h"
#include "app/gui/library_versions.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QRegularExpression>
#include <QSettings>
#include <QTextBrowser>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace irqlens::gui {
namespace {

std::string run(const std::string& command) {
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buffer[256];
        while (fgets(buffer, sizeof buffer, p)) {
            out += buffer;
        }
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

class HelpMenu : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
        static int argc = 1;
        static char name[] = "help_menu_test";
        static char* argv[] = {name, nullptr};
        static QApplication app(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("irqlens"));
        QApplication::setApplicationName(QStringLiteral("irqlens"));
        QApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    }
};

TEST(LibraryVersions, VersionFromSoname) {
    EXPECT_EQ(versionFromSoname("/usr/lib/x/libtracecmd.so.1.3.1", "libtracecmd"), "1.3.1");
    EXPECT_EQ(versionFromSoname("libtracefs.so.1", "libtracefs"), "1");
    EXPECT_EQ(versionFromSoname("/lib/libtraceevent.so", "libtraceevent"), "");
    EXPECT_EQ(versionFromSoname("/lib/libtracecmdx.so.1.2", "libtracecmd"), "");
}

// On the build machine the library built against is the one loaded: the -dev
// package's libX.so symlink (from pkg-config's libdir) resolves to the file the
// loader mapped, and pkg-config's version is that file's version.
TEST(LibraryVersions, AgreeWithPkgConfigAndTheDevSymlink) {
    const char* expected[] = {"libtracecmd", "libtraceevent", "libtracefs"};
    const auto libs = traceLibraryVersions();
    ASSERT_EQ(libs.size(), 3u);
    for (std::size_t i = 0; i < libs.size(); ++i) {
        SCOPED_TRACE(libs[i].name);
        EXPECT_EQ(libs[i].name, expected[i]);
        const std::string version = run("pkg-config --modversion " + libs[i].name);
        EXPECT_EQ(libs[i].builtWith, version);
        if (libs[i].loaded.empty()) {
            continue; // not linked into this program: nothing to compare
        }
        EXPECT_EQ(libs[i].loaded, version);
        const std::string devLink = run("readlink -f \"$(pkg-config --variable=libdir " +
                                        libs[i].name + ")/" + libs[i].name + ".so\"");
        EXPECT_EQ(libs[i].loadedPath, devLink);
    }
    EXPECT_FALSE(libs[0].loaded.empty()) << "libtracecmd is linked, it must be seen loaded";
}

TEST_F(HelpMenu, AboutNamesVersionsAndSettingsFile) {
    const QString text = aboutText();
    EXPECT_TRUE(text.contains(QStringLiteral("9.8.7")));
    EXPECT_TRUE(text.contains(QString::fromLatin1(qVersion())));
    EXPECT_TRUE(text.contains(QSettings().fileName()));
    EXPECT_TRUE(text.contains(QString::fromStdString(run("pkg-config --modversion libtracecmd"))));
    EXPECT_TRUE(text.contains(QStringLiteral("libtracefs")));
}

TEST_F(HelpMenu, FillsGuideShortcutsAndAboutInThatOrder) {
    QMenu help;
    fillHelpMenu(&help, nullptr);
    const auto actions = help.actions();
    ASSERT_EQ(actions.size(), 3);
    EXPECT_EQ(actions[0]->text(), QStringLiteral("&User guide"));
    EXPECT_EQ(actions[0]->shortcut(), QKeySequence(QKeySequence::HelpContents));
    EXPECT_EQ(actions[1]->text(), QStringLiteral("&Keyboard shortcuts"));
    EXPECT_EQ(actions[2]->text(), QStringLiteral("&About irqlens"));
}

TEST_F(HelpMenu, GuideNextToBinIsTheOneInDocsAndItsPicturesExist) {
    const QString path = userGuidePath();
    ASSERT_FALSE(path.isEmpty()) << "USER_GUIDE.md not found next to the test's bin/";
    const char* source = std::getenv("IRQLENS_SOURCE_DIR");
    ASSERT_NE(source, nullptr);
    QFile copy(path), original(QString::fromLocal8Bit(source) + "/docs/USER_GUIDE.md");
    ASSERT_TRUE(copy.open(QIODevice::ReadOnly));
    ASSERT_TRUE(original.open(QIODevice::ReadOnly));
    const QByteArray text = original.readAll();
    EXPECT_EQ(copy.readAll(), text);

    const QRegularExpression image(QStringLiteral(R"(!\[[^\]]*\]\(([^)]+)\))"));
    int images = 0;
    for (auto it = image.globalMatch(QString::fromUtf8(text)); it.hasNext(); ++images) {
        const QString rel = it.next().captured(1);
        EXPECT_TRUE(QFileInfo::exists(QFileInfo(path).absolutePath() + "/" + rel))
            << rel.toStdString();
    }
    EXPECT_GE(images, 3);

    QTextBrowser browser;
    browser.setSearchPaths({QFileInfo(path).absolutePath()});
    browser.setSource(QUrl::fromLocalFile(path), QTextDocument::MarkdownResource);
    EXPECT_TRUE(browser.toPlainText().contains(QStringLiteral("threaded IRQ")));
}

} // namespace
} // namespace irqlens::gui
