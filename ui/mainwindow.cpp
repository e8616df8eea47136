#include "mainwindow.h"

#include <QLabel>

namespace attnviz {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("AttnViz"));
    setCentralWidget(new QLabel(tr("AttnViz"), this));
    resize(1200, 800);
}

} // namespace attnviz
