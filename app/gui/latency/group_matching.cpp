#include "app/gui/latency/group_matching.h"

#include <cctype>

namespace irqlens::gui {

std::optional<int> irqNumberOfKey(const std::string& key) {
    std::size_t pos = key.rfind("irq/", 0) == 0 ? 4 : 0;
    std::size_t end = pos;
    while (end < key.size() && std::isdigit(static_cast<unsigned char>(key[end])))
        ++end;
    if (end == pos || end - pos > 9)
        return std::nullopt;
    return std::stoi(key.substr(pos, end - pos));
}

int matchGroup(const LatencyGroup& a, const std::vector<LatencyGroup>& b) {
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i].mechanism == a.mechanism && b[i].key == a.key && b[i].metric == a.metric)
            return static_cast<int>(i);
    }
    const auto irq = irqNumberOfKey(a.key);
    if (!irq)
        return -1;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i].mechanism == a.mechanism && b[i].metric == a.metric &&
            irqNumberOfKey(b[i].key) == irq)
            return static_cast<int>(i);
    }
    return -1;
}

int largestGroup(const std::vector<LatencyGroup>& groups, const std::string& mechanism,
                 const std::string& metric) {
    int best = -1;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const LatencyGroup& g = groups[i];
        if (g.mechanism == mechanism && g.metric == metric &&
            (best < 0 || g.values.size() > groups[static_cast<std::size_t>(best)].values.size()))
            best = static_cast<int>(i);
    }
    return best;
}

namespace {
int firstDifferent(const std::vector<LatencyGroup>& groups, int other) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (static_cast<int>(i) != other)
            return static_cast<int>(i);
    }
    return groups.empty() ? -1 : 0;
}

// In one capture: workqueue queue latency vs threaded-IRQ wake latency, the
// comparison this tool exists for, else two episodes, else anything.
std::pair<int, int> defaultPairWithin(const std::vector<LatencyGroup>& groups) {
    const int wq = largestGroup(groups, "workqueue", "queue_to_start");
    const int thread = largestGroup(groups, "irq_thread", "wake_to_run");
    if (wq >= 0 && thread >= 0)
        return {wq, thread};
    int a = largestGroup(groups, "episode", "end_to_end");
    if (a < 0)
        a = groups.empty() ? -1 : 0;
    int b = -1;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        if (static_cast<int>(i) != a && g.mechanism == "episode" &&
            (b < 0 || g.values.size() > groups[static_cast<std::size_t>(b)].values.size()))
            b = static_cast<int>(i);
    }
    return {a, b >= 0 ? b : firstDifferent(groups, a)};
}
} // namespace

std::pair<int, int> defaultPair(const std::vector<LatencyGroup>& a,
                                const std::vector<LatencyGroup>& b, bool sameCapture) {
    if (sameCapture)
        return defaultPairWithin(a);
    // The largest episode group of A whose IRQ also has episodes in B, device
    // IRQs (keys with an irq number, "26 irqlens-gpio") before CPU-local
    // vectors such as local_timer: the device IRQ is what a user compares.
    const auto rank = [&](std::size_t i) {
        return std::pair(irqNumberOfKey(a[i].key).has_value(), a[i].values.size());
    };
    int best = -1, bestMatch = -1;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].mechanism != "episode" || a[i].metric != "end_to_end")
            continue;
        if (best >= 0 && rank(i) <= rank(static_cast<std::size_t>(best)))
            continue;
        const int m = matchGroup(a[i], b);
        if (m >= 0) {
            best = static_cast<int>(i);
            bestMatch = m;
        }
    }
    if (best >= 0)
        return {best, bestMatch};
    int ia = largestGroup(a, "episode", "end_to_end");
    if (ia < 0)
        ia = a.empty() ? -1 : 0;
    if (ia < 0)
        return {-1, b.empty() ? -1 : 0};
    const LatencyGroup& ga = a[static_cast<std::size_t>(ia)];
    int ib = matchGroup(ga, b);
    if (ib < 0)
        ib = largestGroup(b, ga.mechanism, ga.metric);
    if (ib < 0)
        ib = b.empty() ? -1 : 0;
    return {ia, ib};
}

} // namespace irqlens::gui
