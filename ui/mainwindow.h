#pragma once

#include <QMainWindow>

namespace attnviz {

// Composes the views; computes and paints nothing itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace attnviz
