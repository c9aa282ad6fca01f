// EventOrder (1 byte per event + checkpoints) against the store's own k-way
// merge: same sequence, and rowOf() inverts at().
#include "app/gui/timeline/event_order.h"
#include "gui_test_support.h"
#include "parsers/capture_loader.h"

#include <gtest/gtest.h>

namespace irqlens::gui::test {
namespace {

TEST(EventOrder, MatchesTheMergeAndInvertsOnNetV6) {
    const LoadResult r = loadCapture(qDataPath("net_v6.dat").toStdString());
    ASSERT_TRUE(r.ok()) << r.error;
    const EventOrder order(*r.store);
    ASSERT_EQ(order.size(), r.store->totalEvents());
    std::size_t row = 0;
    bool same = true;
    r.store->forEachInTimeOrder([&](EventRef ref) {
        if (same && !(order.at(row) == ref)) {
            ADD_FAILURE() << "row " << row;
            same = false;
        }
        ++row;
    });
    for (std::size_t i = 0; i < order.size(); i += 37) {
        ASSERT_EQ(order.rowOf(order.at(i)), i);
    }
    // About one byte per event.
    EXPECT_LT(order.bytesUsed(), order.size() * 11 / 10 + 4096);
}

} // namespace
} // namespace irqlens::gui::test
