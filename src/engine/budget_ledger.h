// BudgetLedger: what an execution has spent (tokens and dollars), per agent
// and in total, checked against the crew's limits per step, per agent and per
// execution. A breach names its scope and carries the token math, so the
// terminal failure can show it together with the command that resumes.
// Thread-safety: a plain value; the engine keeps one per execution and uses
// it from that execution's strand only. Serialises into the checkpoint.
#pragma once

#include "engine/crew.h"

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>

namespace codecrew::engine {

struct Spend {
  std::int64_t tokens = 0;
  double cost = 0;
};

struct BudgetBreach {
  std::string scope;  // "step", "agent <name>", "execution"
  BudgetLimit limit;
  Spend spent;
  std::int64_t next_estimate = 0;  // tokens the next call would take
  // "execution budget exceeded: 41200 tokens spent + 9800 estimated for the next call = 51000 > 50000 allowed"
  std::string math() const;
};

class BudgetLedger {
 public:
  explicit BudgetLedger(CrewBudgets limits = {}) : limits_(limits) {}

  // Whether a call estimated at `estimate` prompt+output tokens may start.
  std::optional<BudgetBreach> checkBefore(const std::string& agent, std::int64_t estimate) const;
  // Whether a finished call of `used` breached the step limit.
  std::optional<BudgetBreach> checkStep(const Spend& used) const;
  void charge(const std::string& agent, const Spend& used);
  // Raises the limit of a breach's scope by its original amount (after an approval).
  void extend(const std::string& scope);

  Spend total() const { return total_; }
  Spend agent(const std::string& name) const;
  // Remaining budgets, for LlmCall.budget_snapshot.
  boost::json::object snapshot(const std::string& agent) const;
  boost::json::object toJson() const;
  static BudgetLedger fromJson(CrewBudgets limits, const boost::json::value& json);

 private:
  static std::optional<BudgetBreach> over(const std::string& scope, const BudgetLimit& limit, const Spend& spent,
                                          std::int64_t estimate);

  CrewBudgets limits_;
  Spend total_;
  std::map<std::string, Spend> agents_;
};

}  // namespace codecrew::engine
