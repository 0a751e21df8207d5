// The router's retry policy is core::RetryPolicy (core/retry_policy.h),
// shared with the REST integrations and the artifact stores; the LLM layer
// keeps its name for it.
#pragma once

#include "core/retry_policy.h"

namespace codecrew::llm {

using RetryPolicy = core::RetryPolicy;

}  // namespace codecrew::llm
