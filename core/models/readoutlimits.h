#pragma once
// How much of a reading (engine/readouts.h) one run may compute: each either fits its bound or is
// refused (or narrowed) with a notice saying why, never an unbounded allocation or a long stall.

#include "models/transformer.h"

#include <string>
#include <vector>

namespace attnviz {

// Every position while layers × positions × vocabulary logits stay within 2^25 floats, else only
// `readout` (a notice says so).
std::vector<Index> lensRows(const TransformerInfo& t, Index tokens, Index readout, std::vector<std::string>& notices);

// ALTI's work, layers × T² × heads × d multiply-adds, within 4·10^9; else false and a notice.
bool altiAffordable(const TransformerInfo& t, Index tokens, std::vector<std::string>& notices);

// Value weighting keeps, per layer, every head's write of every key (heads × T × d floats) and,
// for the whole run, a Gram per key (layers × T × heads² floats): each within 2^27 floats (512 MB);
// else false and a notice.
bool valueWeightingAffordable(const TransformerInfo& t, Index tokens, std::vector<std::string>& notices);

} // namespace attnviz
