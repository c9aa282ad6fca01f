#include "core/overview/overview.h"

#include "core/stats/latency_groups.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace irqlens {

namespace {

bool durationKnown(const Span& span) {
    return !(span.flags & (SpanFlag::OpenStart | SpanFlag::OpenEnd));
}

// A softirq link whose span holds one of the episode's tasklets is that
// tasklet's softirq: the tasklet is the bottom half worth naming.
const Span* taskletParent(const Analysis& a, EpisodeId e, const Span& softirq) {
    for (const EpisodeLink& l : a.linksOf(e)) {
        const Span& t = a.spans[l.span];
        if (t.kind == SpanKind::Tasklet && t.cpu == softirq.cpu && t.start >= softirq.start &&
            t.end <= softirq.end) {
            return &t;
        }
    }
    return nullptr;
}

// Values collected for one bottom half of one source before they become Summaries.
struct UseBuilder {
    BottomHalfUse use;
    std::vector<std::int64_t> waits;
    std::vector<SpanId> runSpans; // deduplicated at the end
    std::map<std::string, std::size_t> runners;
    EpisodeId lastEpisode = kNone;
};

struct SourceBuilder {
    InterruptSource source;
    std::vector<std::int64_t> topHalves, endToEnds;
    std::vector<std::int64_t> stage[4];
    std::int64_t slowestNs = -1;
    std::vector<UseBuilder> uses;
    std::map<std::pair<SpanKind, std::uint32_t>, std::size_t> useIndex;
};

class OverviewBuilder {
public:
    OverviewBuilder(const EventStore& store, const Analysis& analysis)
        : store_(store), a_(analysis) {}

    Overview build() {
        for (std::size_t e = 0; e < a_.episodes.size(); ++e) {
            addEpisode(static_cast<EpisodeId>(e));
        }
        Overview overview;
        overview.episodes = a_.episodes.size();
        for (auto& [key, b] : sources_) {
            overview.sources.push_back(finish(b));
        }
        std::stable_sort(overview.sources.begin(), overview.sources.end(),
                         [](const InterruptSource& x, const InterruptSource& y) {
                             if (x.isDevice() != y.isDevice()) {
                                 return x.isDevice();
                             }
                             return x.count != y.count ? x.count > y.count : x.key < y.key;
                         });
        return overview;
    }

private:
    SourceBuilder& sourceOf(const Span& hard) {
        auto [it, inserted] = sources_.try_emplace(hard.key);
        if (inserted) {
            it->second.source.key = spanKeyName(store_, hard);
            if (hard.key < store_.irqActions.size()) {
                it->second.source.irq = store_.irqActions.get(hard.key).irq;
            }
        }
        return it->second;
    }

    void addEpisode(EpisodeId e) {
        const Episode& episode = a_.episodes[e];
        const Span& hard = a_.spans[episode.hardIrq];
        SourceBuilder& b = sourceOf(hard);
        InterruptSource& s = b.source;
        ++s.count;
        if (std::find(s.cpus.begin(), s.cpus.end(), hard.cpu) == s.cpus.end()) {
            s.cpus.push_back(hard.cpu);
        }
        if (durationKnown(hard)) {
            b.topHalves.push_back(hard.duration());
        }
        if (!(episode.flags & EpisodeFlag::Incomplete)) {
            const std::int64_t e2e = episode.endToEnd(a_.spans);
            b.endToEnds.push_back(e2e);
            const Stages st = episodeStages(a_, e);
            const std::int64_t parts[4] = {st.topHalf, st.wait, st.run, st.preempted};
            for (int i = 0; i < 4; ++i) {
                b.stage[i].push_back(parts[i]);
            }
            if (e2e > b.slowestNs) {
                b.slowestNs = e2e;
                s.slowest = e;
            }
        }
        if (episode.linkCount == 0) {
            ++s.withoutBottomHalf;
        }
        for (const EpisodeLink& link : a_.linksOf(e)) {
            addLink(b, e, link);
        }
    }

    void addLink(SourceBuilder& b, EpisodeId e, const EpisodeLink& link) {
        const Span& span = a_.spans[link.span];
        const auto mechanism = mechanismOf(span.kind);
        if (!mechanism || *mechanism == Mechanism::HardIrq) {
            return;
        }
        if (span.kind == SpanKind::Softirq && taskletParent(a_, e, span)) {
            return; // named through its tasklet
        }
        auto [it, inserted] = b.useIndex.try_emplace({span.kind, span.key}, b.uses.size());
        if (inserted) {
            b.uses.emplace_back();
            b.uses.back().use.mechanism = *mechanism;
            b.uses.back().use.key = spanKeyName(store_, span);
        }
        UseBuilder& u = b.uses[it->second];
        if (u.lastEpisode != e) {
            ++u.use.episodes;
            u.lastEpisode = e;
        }
        if (span.kind == SpanKind::Tasklet && u.use.softirq.empty()) {
            u.use.softirq = softirqOf(e, span);
        }
        if (link.triggerTs >= 0 && !(span.flags & SpanFlag::OpenStart)) {
            u.waits.push_back(span.start - link.triggerTs);
        }
        if (durationKnown(span)) {
            u.runSpans.push_back(link.span);
        }
        ++u.use.runs;
        ++u.runners[runnerOf(span)];
    }

    std::string softirqOf(EpisodeId e, const Span& tasklet) const {
        for (const EpisodeLink& l : a_.linksOf(e)) {
            const Span& s = a_.spans[l.span];
            if (s.kind == SpanKind::Softirq && taskletParent(a_, e, s) == &tasklet) {
                return spanKeyName(store_, s);
            }
        }
        return {};
    }

    // Who ran it: the kworker of a work item, the thread itself, ksoftirqd
    // for a softirq (or tasklet) it ran; "" for one run on IRQ exit.
    std::string runnerOf(const Span& span) const {
        switch (span.kind) {
        case SpanKind::Workqueue:
        case SpanKind::IrqThread:
            return std::string(store_.comm(span.pid, span.start));
        default:
            return span.flags & SpanFlag::InKsoftirqd
                       ? std::string(store_.comm(span.pid, span.start))
                       : std::string();
        }
    }

    BottomHalfUse finishUse(UseBuilder& u) const {
        std::sort(u.runSpans.begin(), u.runSpans.end());
        u.runSpans.erase(std::unique(u.runSpans.begin(), u.runSpans.end()), u.runSpans.end());
        std::vector<std::int64_t> runs;
        runs.reserve(u.runSpans.size());
        for (SpanId id : u.runSpans) {
            runs.push_back(a_.spans[id].duration());
        }
        u.use.wait = summarize(u.waits);
        u.use.run = summarize(runs);
        for (const auto& [name, count] : u.runners) {
            if (!name.empty()) {
                u.use.runners.push_back({name, count});
            }
        }
        std::stable_sort(u.use.runners.begin(), u.use.runners.end(),
                         [](const Runner& x, const Runner& y) { return x.count > y.count; });
        return std::move(u.use);
    }

    InterruptSource finish(SourceBuilder& b) const {
        InterruptSource s = std::move(b.source);
        std::sort(s.cpus.begin(), s.cpus.end());
        s.topHalf = summarize(b.topHalves);
        s.endToEnd = summarize(b.endToEnds);
        std::int64_t* medians[4] = {&s.medianStages.topHalf, &s.medianStages.wait,
                                    &s.medianStages.run, &s.medianStages.preempted};
        for (int i = 0; i < 4; ++i) {
            *medians[i] = summarize(b.stage[i]).p50;
        }
        for (UseBuilder& u : b.uses) {
            s.bottomHalves.push_back(finishUse(u));
        }
        std::stable_sort(
            s.bottomHalves.begin(), s.bottomHalves.end(),
            [](const BottomHalfUse& x, const BottomHalfUse& y) { return x.episodes > y.episodes; });
        s.sentence = describeSource(s);
        return s;
    }

    const EventStore& store_;
    const Analysis& a_;
    std::map<std::uint32_t, SourceBuilder> sources_; // by IrqActionId
};

} // namespace

Stages episodeStages(const Analysis& a, EpisodeId e) {
    const Episode& episode = a.episodes[e];
    const Span& hard = a.spans[episode.hardIrq];
    Stages st;
    st.topHalf = hard.duration();
    const EpisodeLink* link = stageLink(a, e);
    if (!link) {
        return st;
    }
    // After the top half: the bottom half's wait, its run and its preemption
    // fill [hard IRQ exit, episode end] without overlap.
    const Span& bottom = a.spans[link->span];
    const std::int64_t rest = std::max<std::int64_t>(episode.end - hard.end, 0);
    st.preempted = std::clamp<std::int64_t>(episode.preemptedNs, 0, rest);
    st.wait = std::clamp<std::int64_t>(bottom.start - hard.end, 0, rest - st.preempted);
    st.run = rest - st.preempted - st.wait;
    return st;
}

Overview buildOverview(const EventStore& store, const Analysis& analysis) {
    return OverviewBuilder(store, analysis).build();
}

std::string topHalfGroupId(const InterruptSource& source) {
    return groupId(Mechanism::HardIrq, source.key, Metric::Duration);
}

std::string endToEndGroupId(const InterruptSource& source) {
    return groupId(Mechanism::Episode, source.key, Metric::EndToEnd);
}

std::string waitGroupId(const BottomHalfUse& use) {
    const auto metric = waitMetricOf(use.mechanism);
    return metric ? groupId(use.mechanism, use.key, *metric) : std::string();
}

std::string runGroupId(const BottomHalfUse& use) {
    return groupId(use.mechanism, use.key, Metric::Duration);
}

} // namespace irqlens
