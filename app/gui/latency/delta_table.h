// The compare view's table: each statistic of A and B, the difference B − A,
// the ratio B / A, and for p50 and p99 a bootstrap 95 % confidence interval
// of the difference, highlighted when it excludes 0 (a real difference, not
// noise).
#pragma once

#include "core/stats/distribution.h"

#include <QTableWidget>
#include <optional>

namespace irqlens::gui {

class DeltaTable : public QTableWidget {
    Q_OBJECT
public:
    explicit DeltaTable(QWidget* parent = nullptr);

    // CIs are null while they are being computed.
    void setStatistics(const Summary& a, const Summary& b, const std::optional<DeltaCi>& p50,
                       const std::optional<DeltaCi>& p99);
    void clearStatistics();

    // Row of the statistic ("p50", "p99", ...), -1 when absent.
    int rowOf(const QString& statistic) const;
    static bool ciExcludesZero(const DeltaCi& ci) { return ci.low > 0 || ci.high < 0; }
};

} // namespace irqlens::gui
