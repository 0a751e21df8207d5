// Change compaction: after a diff algorithm has marked changed lines, slides
// each run of changes up or down over identical lines (which leaves the diff
// equally valid) to merge runs that touch and to line runs up with the runs on
// the other side, as git's xdl_change_compact does without its indent
// heuristic; a run that can move freely ends up at its lowest position.
// Thread-safety: pure function over its argument.
#pragma once

#include "code/diff_problem.h"

namespace codecrew::code {

// Compacts the changes of both sides of `problem` in place.
void compactChanges(DiffProblem& problem);

}  // namespace codecrew::code
