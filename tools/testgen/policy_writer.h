// Internal to the policy generator: the state of writing one random policy.
// policy_generator.cpp writes the structure (header, definitions, steps,
// actions, pauses, stops, templates, tests); policy_expressions.cpp writes
// typed expressions, literals and anchors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/counter_random.h"

namespace recoup::testgen::internal {

// The value types of the language, as the generator tracks them.
enum class Kind : std::uint8_t { Money, Percent, Rate, Duration, Date, Count, Number, Bool, Text };
inline constexpr int kKindCount = 9;

const char* KindName(Kind kind);

// The policy currency: its code, decimals, and how many of its major units
// make roughly one US dollar (so amounts have plausible sizes).
struct CurrencyChoice {
  const char* code;
  int exponent;
  std::int64_t scale;
};

// A named value the policy can use: a constant, an attribute, a template
// parameter. `business_days` marks a duration constant in business days
// (it must not meet a runtime duration, which is in calendar days).
struct NamedValue {
  std::string name;  // as written in an expression: `k_gap`, `invoice.region`
  Kind kind = Kind::Text;
  bool business_days = false;
  bool is_list = false;
  bool runtime = false;  // an attribute: read per invoice or customer
};

// Numbers a runtime value usually takes, in natural units (days, counts,
// major currency units, percentage points), so literals compared with it
// make guards that are sometimes true.
struct Range {
  double low = 0;
  double high = 100;
};

// An expression as text, with the range its value usually lies in.
struct Term {
  std::string text;
  Range range;
};

class PolicyWriter {
 public:
  PolicyWriter(std::uint64_t seed, std::uint64_t case_index);
  // The whole policy text; call once.
  std::string Write();

 private:
  // Random choices. At most one of these (directly or through a writer
  // that draws) per expression: the order of operands and arguments is
  // unspecified in C++, so two would give another text with another
  // compiler. Draw into named locals first.
  bool Chance(double probability) { return random_.Bernoulli(probability); }
  std::int64_t Between(std::int64_t low, std::int64_t high) { return random_.UniformInt(low, high); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }
  std::size_t Weighted(std::initializer_list<double> weights);

  // policy_generator.cpp: the structure.
  void PlanPolicy();
  void WriteImports();
  void WriteHeader();
  void WriteDefinitions();
  void WriteCalendarDefinition();
  void WriteCostTableDefinition();
  void WriteCostEntries(int count);
  void WriteTemplateDefinition();
  void WriteStep(std::size_t index);
  void WriteTrigger(std::size_t index);
  std::string Action(bool in_template);
  std::string Actions(int count, bool in_template);
  void WritePauses();
  void WriteStops();
  void WriteTest();
  void Line(const std::string& text) { out_ += text + "\n"; }

  // policy_expressions.cpp: literals in the policy currency and ranges.
  std::string MoneyLiteral(double major_low, double major_high);
  std::string MoneyMinorLiteral(std::int64_t minor);
  std::string PercentLiteral(double low, double high);
  std::string DurationLiteral(std::int64_t days, bool allow_business);
  std::string DateLiteral();
  std::string TextLiteral(const std::vector<std::string>& choices);
  std::string Literal(Kind kind, Range range, bool allow_business);
  // A value known when checking: a literal, a constant, a template parameter.
  std::string Constant(Kind kind, Range range, bool allow_business = true);
  // A value read per subject and day, with its usual range.
  Term Runtime(Kind kind, int depth);
  bool HasRuntime(Kind kind) const;
  // A bool built from comparisons, `in`, `not`, `and`, `or` and bool attributes.
  std::string Condition(int depth);
  std::string Comparison(int depth);
  std::string Membership();
  // A trigger anchor; labels only of steps before `step_index` (no cycles).
  std::string Anchor(int label_weight, std::size_t step_index, int depth = 0);
  std::string Offsets(Range days, bool allow_business);
  std::string Label(std::size_t before_step);
  const NamedValue* FindNamed(Kind kind, bool runtime, bool list, bool business_ok);

  runtime::RandomStream random_;
  std::uint64_t case_index_;
  std::string out_;
  CurrencyChoice currency_{"USD", 2, 1};
  bool customer_subject_ = false;
  std::string calendar_;             // the header's calendar name; empty = the default
  std::size_t step_count_ = 0;
  std::vector<std::string> labels_;  // per planned step; empty = unlabelled
  std::vector<NamedValue> named_;    // constants and attributes in scope
  std::vector<NamedValue> params_;   // template parameters while writing a template
  bool in_template_ = false;
  std::vector<std::string> uses_;    // `use` lines to write among the steps
  std::vector<std::string> imports_;
};

}  // namespace recoup::testgen::internal
