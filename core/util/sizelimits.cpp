#include "util/sizelimits.h"

namespace attnviz {

SizeLimit sizeLimit(SizeKind kind)
{
    switch (kind) {
    case SizeKind::Width:
        return {1, 1 << 16};
    case SizeKind::HeadSize:
        return {1, 1 << 14};
    case SizeKind::Layers:
        return {1, 1024};
    case SizeKind::Heads:
        return {1, 1024};
    case SizeKind::Vocabulary:
        return {1, maxTokenId + 1};
    case SizeKind::Positions:
        return {1, 1 << 24};
    case SizeKind::Intermediate:
        return {1, 1 << 20};
    case SizeKind::TokenTypes:
        return {1, 1024};
    }
    return {1, 1};
}

} // namespace attnviz
