#include "app/gui/mechanism_text.h"

namespace irqlens::gui {

namespace {
QString utf8(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

QString idText(irqlens::Mechanism mechanism) {
    return utf8(irqlens::mechanismId(mechanism));
}

QString labelText(irqlens::Mechanism mechanism) {
    return utf8(irqlens::mechanismLabel(mechanism));
}

QString inText(irqlens::Mechanism mechanism) {
    return utf8(irqlens::mechanismInText(mechanism));
}

QString mechanismTooltip(irqlens::Mechanism mechanism) {
    return QStringLiteral("<p><b>%1</b><br>%2<br>%3</p>")
        .arg(labelText(mechanism).toHtmlEscaped(),
             utf8(irqlens::mechanismContext(mechanism)).toHtmlEscaped(),
             utf8(irqlens::mechanismLatencyMeaning(mechanism)).toHtmlEscaped());
}

QString idText(irqlens::Metric metric) {
    return utf8(irqlens::metricId(metric));
}

QString labelText(irqlens::Metric metric) {
    return utf8(irqlens::metricLabel(metric));
}

QString definitionText(irqlens::Metric metric) {
    return utf8(irqlens::metricDefinition(metric));
}

} // namespace irqlens::gui
