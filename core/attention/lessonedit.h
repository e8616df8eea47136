#pragma once
// Changes to a lesson's shape that keep every matrix the shape parseLesson requires: a token adds
// or drops a row of X (and of the mask), d_model a column of X and a row of every W, d_k / d_v
// columns of a head's W, a head its matrices and its rows of W_O. New cells are 0. A bad index or
// removing the last token or head throws LessonError; sizes beyond LessonLimits are caught by
// checkLesson, which the caller runs on the result (the editor edits a copy, then checks it).

#include "attention/lesson.h"

namespace attnviz {

enum class LessonSide { Queries, Source }; // the tokens of X, or the source tokens of cross-attention

// A small lesson to start from: 3 tokens, d_model 3, one head with d_k = d_v = 2, no W_O, no mask,
// scaled. Its matrices hold a few ones (not all zeros), so the views show something at once.
Lesson blankLesson();

void insertToken(Lesson& lesson, LessonSide side, Index at, const std::string& name);
void removeToken(Lesson& lesson, LessonSide side, Index at);
void renameToken(Lesson& lesson, LessonSide side, Index at, const std::string& name);

void setModelDimension(Lesson& lesson, Index dModel);
void setKeyDimension(Lesson& lesson, Index head, Index dk);
void setValueDimension(Lesson& lesson, Index dv); // every head: the loader wants one d_v
void setOutputDimension(Lesson& lesson, Index dOut);

void addHead(Lesson& lesson); // zero matrices, d_k of the last head
void removeHead(Lesson& lesson, Index head);

// On: W_O starts as (heads*d_v) x d_model with ones on its diagonal. Off: W_O is dropped.
void setOutputProjection(Lesson& lesson, bool on);
// On: the source starts as a copy of the tokens. Off: keys are the tokens again (a custom mask
// keeps its cells where the two shapes overlap).
void setCrossAttention(Lesson& lesson, bool on);

// Makes the mask custom (from what it was) and sets one cell; 1 = may attend.
void setMaskCell(Lesson& lesson, Index query, Index key, bool allowed);
void setMaskKind(Lesson& lesson, MaskKind kind); // None, Causal or Custom (from the current cells)

} // namespace attnviz
