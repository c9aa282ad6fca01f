// The core's words (core/stats/mechanism.h, duration_format.h) as QStrings
// for the views: mechanism and metric ids and labels, the two-line
// definitions the tooltips show.  Nothing here decides a word: it only
// converts, so the GUI says what the CLI and the exports say.  (Other names
// than the core's functions, so that a call never has two candidates.)
#pragma once

#include "core/stats/mechanism.h"

#include <QString>

namespace irqlens::gui {

QString idText(irqlens::Mechanism mechanism);    // "workqueue" (CSV, group ids)
QString labelText(irqlens::Mechanism mechanism); // "Work item"
QString inText(irqlens::Mechanism mechanism);    // "work item" (inside a sentence)
// "<p><b>Work item</b><br>line 1<br>line 2</p>": a tooltip (rich text, wraps).
QString mechanismTooltip(irqlens::Mechanism mechanism);

QString idText(irqlens::Metric metric);         // "queue_to_start"
QString labelText(irqlens::Metric metric);      // "Queue → start latency"
QString definitionText(irqlens::Metric metric); // "workqueue_queue_work → ..."

} // namespace irqlens::gui
