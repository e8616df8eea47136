#pragma once
// Numbers as the views print them (cells, legends, tooltips): fixed decimals, and no "-0.0" for a
// small negative value that rounds to zero, which reads as a different number from "0.0".

#include <QString>

#include <algorithm>

namespace attnviz {

inline QString formatNumber(double value, int decimals)
{
    QString text = QString::number(value, 'f', decimals);
    const bool allZero = std::all_of(text.cbegin() + (text.startsWith(QLatin1Char('-')) ? 1 : 0), text.cend(),
                                     [](QChar c) { return c == QLatin1Char('0') || c == QLatin1Char('.'); });
    if (allZero && text.startsWith(QLatin1Char('-')))
        text.remove(0, 1);
    return text;
}

} // namespace attnviz
