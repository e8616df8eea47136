#include "views/heldheads.h"

#include <QCoreApplication>
#include <QStringList>

namespace attnviz {

QString notHeldMessage(const AttentionTensor& a, int layer, int head, bool recorded)
{
    if (!recorded)
        return QCoreApplication::translate("HeldHeads", "Computing the maps of layer %1… (with this many tokens the "
                                                        "attention budget keeps only the layers around the one shown; "
                                                        "View → Attention Memory Budget)")
            .arg(layer);
    QStringList held;
    for (int h = 0; h < a.heads; ++h)
        if (a.holds(layer, h)) held << QString::number(h);
    const QString what = head < 0 ? QCoreApplication::translate("HeldHeads", "none of the chosen heads of layer %1").arg(layer)
                                  : QCoreApplication::translate("HeldHeads", "layer %1 head %2").arg(layer).arg(head);
    const QString where = held.isEmpty()
                              ? QCoreApplication::translate("HeldHeads", "it holds no head of that layer")
                              : QCoreApplication::translate("HeldHeads", "in that layer it holds head %1").arg(held.join(", "));
    return QCoreApplication::translate("HeldHeads", "This attention file does not hold %1; %2.").arg(what, where);
}

} // namespace attnviz
