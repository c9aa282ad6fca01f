// Side panel: everything known about the selected span (and its episode) or
// event, including all decoded fields of the event.
#pragma once

#include "app/gui/capture_session.h"

#include <QTreeWidget>
#include <memory>

namespace irqlens::gui {

class DetailsPanel : public QTreeWidget {
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget* parent = nullptr);
    void setCapture(std::shared_ptr<const LoadedCapture> capture);
    void showSpan(SpanId id);
    void showEvent(EventRef ref);
    void clearDetails();

private:
    QTreeWidgetItem* section(const QString& title);
    void add(QTreeWidgetItem* parent, const QString& name, const QString& value);
    void addEventFields(QTreeWidgetItem* parent, EventRef ref);
    void addEpisodes(SpanId id);
    QString rel(std::int64_t ts) const;

    std::shared_ptr<const LoadedCapture> capture_;
};

} // namespace irqlens::gui
