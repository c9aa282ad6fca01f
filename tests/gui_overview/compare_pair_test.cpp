// One rule pairs latency groups (core/stats/group_compare.h): the Compare tab
// shows first the pair `irqlens-cli compare --json` reports as default_pair,
// on every capture of the repository (samples/*.dat, tests/data/*.dat) — two
// groups of one capture, and each pair of captures.
#include "app/gui/latency/compare_view.h"
#include "parsers/capture_loader.h"
#include "tests/cli/cli_runner.h"
#include "tests/gui/gui_test_support.h"

#include <QDir>
#include <gtest/gtest.h>
#include <map>

namespace irqlens::gui::test {
namespace {

using Json = nlohmann::json;

// Our own captures: every .dat of samples/, and big, irq_stack and net_v6
// of tests/data (the field copies there are other machines' captures, some
// without two latency groups to compare at all).
std::vector<std::string> everyCapture() {
    std::vector<std::string> files;
    const QDir samples(QString::fromStdString(irqlens::test::sourceDir()) +
                       QStringLiteral("/samples"));
    for (const QString& name :
         samples.entryList({QStringLiteral("*.dat")}, QDir::Files, QDir::Name)) {
        files.push_back(samples.filePath(name).toStdString());
    }
    for (const char* name : {"big.dat", "irq_stack.dat", "net_v6.dat"}) {
        files.push_back(irqlens::test::dataPath(name));
    }
    return files;
}

std::shared_ptr<const LoadedCapture> load(const std::string& path) {
    static std::map<std::string, std::shared_ptr<const LoadedCapture>> cache;
    auto& slot = cache[path];
    if (!slot) {
        LoadResult r = loadCapture(path);
        EXPECT_TRUE(r.ok()) << r.error;
        auto c = std::make_shared<LoadedCapture>();
        c->analysis = std::make_shared<const Analysis>(analyze(*r.store));
        c->store = std::move(r.store);
        c->path = QString::fromStdString(path);
        slot = c;
    }
    return slot;
}

// The pair the Compare tab picks, as group ids ("" for none).
std::pair<std::string, std::string> tabPair(const std::string& a, const std::string& b) {
    CaptureSession session;
    session.setCurrent(load(a));
    session.setComparison(b.empty() ? nullptr : load(b));
    CompareView view(&session);
    const auto [ia, ib] = view.pair();
    if (ia < 0 || ib < 0) {
        return {};
    }
    return {groupId(view.groupsA()->group(static_cast<std::size_t>(ia))),
            groupId(view.groupsB()->group(static_cast<std::size_t>(ib)))};
}

std::pair<std::string, std::string> cliPair(const std::string& a, const std::string& b) {
    std::vector<std::string> args = {"compare", a};
    if (!b.empty()) {
        args.push_back(b);
    }
    // The pair does not depend on the intervals: one resample keeps this quick.
    args.insert(args.end(), {"--json", "--resamples", "1"});
    const Json j = irqlens::test::runCliJson(args);
    const Json& p = j["default_pair"];
    if (p.is_null()) {
        return {};
    }
    return {p["a"].get<std::string>(), p["b"].get<std::string>()};
}

TEST(ComparePair, TabAndCliPickTheSameDefaultPairOnEveryCapture) {
    ensureApp();
    const auto files = everyCapture();
    ASSERT_GE(files.size(), 7u); // 4 samples + big, irq_stack, net_v6
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto alone = cliPair(files[i], "");
        EXPECT_FALSE(alone.first.empty()) << files[i];
        EXPECT_EQ(tabPair(files[i], ""), alone) << files[i] << " alone";
        for (std::size_t j = i + 1; j < files.size(); ++j) {
            const auto both = cliPair(files[i], files[j]);
            EXPECT_FALSE(both.first.empty()) << files[i] << " vs " << files[j];
            EXPECT_EQ(tabPair(files[i], files[j]), both) << files[i] << " vs " << files[j];
        }
    }
}

// The GPIO line handled two ways pairs end to end by its IRQ number.
TEST(ComparePair, WorkqueueAgainstThreadedPairsIrq26EndToEnd) {
    ensureApp();
    const std::string wq = irqlens::test::dataPath("wq.dat");
    const std::string threaded = irqlens::test::dataPath("threaded.dat");
    EXPECT_EQ(cliPair(wq, threaded),
              std::make_pair(std::string("episode/26 irqlens-gpio/end_to_end"),
                             std::string("episode/26 irqlens-gpio/end_to_end")));
    // One capture: its work items' queue latency against its irq thread's wake latency
    // (threaded.dat has both: the kernel's own work items and irq/26).
    EXPECT_EQ(cliPair(threaded, ""),
              std::make_pair(std::string("workqueue/free_work/queue_to_start"),
                             std::string("irq_thread/irq/26-irqlens-/wake_to_run")));
}

} // namespace
} // namespace irqlens::gui::test
